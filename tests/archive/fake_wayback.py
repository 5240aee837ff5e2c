"""A Wayback-compatible service on 127.0.0.1 for tests and benchmarks.

It answers the CDX search (JSON or plain text, with ``filter``, ``closest``/``sort``
and ``limit``), replay URLs ``/web/<ts>/<url>``, Save Page Now ``/save/<url>`` and the
availability API ``/wayback/available``. Every request is counted with the time it
arrived. Fault modes: the next N requests answer 429, every request fails with a
status, answers arrive late, or CDX answers are garbage.

Replay behaves like the Wayback Machine's Memento TimeGate (RFC 7089, URI-M pattern):
``GET|HEAD /web/<ts>/<url>`` with a timestamp that is not exactly a capture's answers
302 to the capture nearest that time, **whatever its status** (ties go to the later
one, unlike footcheck's rule, so the client cannot lean on it); the redirect has
``Vary: accept-datetime`` and a ``Link`` to the original and the TimeMap but no
``Memento-Datetime``. The capture answers with its original status (200, 404, a 302
for a captured redirect), ``Memento-Datetime`` and a ``Link`` header naming the
original, the TimeGate, the TimeMap and the first, previous, own, next and last
mementos with their datetimes. Switches: ``memento_headers`` (False: no
``Memento-Datetime``, as a non-Memento replay server), ``neighbour_links`` (False: only
the memento's own entry), ``lying_link`` (the own entry's datetime is wrong),
``head_allowed`` (False: HEAD answers 405).

URLs are matched the way archive.org canonicalises them, loosely: scheme, ``www.`` and
a trailing slash do not matter.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import json
import re
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]
_WEB = re.compile(r"^/web/(\d{1,14})(?:[a-z]{2}_)?/(.+)$")


def canonical(url: str) -> str:
    rest = url.split("://", 1)[-1]
    host, _, path = rest.partition("/")
    host = host.lower()
    if host.startswith("www."):
        host = host[4:]
    return f"{host}/{path}".rstrip("/")


def seconds(ts: str) -> float:
    padded = ts + "00000101000000"[len(ts) :]
    when = dt.datetime.strptime(padded, "%Y%m%d%H%M%S").replace(tzinfo=dt.timezone.utc)
    return when.timestamp()


def most_in_window(times: list[float], window: float) -> int:
    """The most of the sorted ``times`` that fall within any ``window`` seconds."""
    best = start = 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


@dataclass(frozen=True)
class Call:
    at: float  # time.monotonic() on arrival
    kind: str  # "cdx", "web", "save", "available", "other"
    url: str | None  # the URL asked about
    query: str = ""


class FakeWayback:
    def __init__(
        self,
        captures: dict[str, Iterable[tuple[str, str] | str]] | None = None,
        *,
        delay: float = 0.0,
        text_only: bool = False,
    ) -> None:
        self._captures: dict[str, list[tuple[str, str, str]]] = {}
        self._lock = threading.Lock()
        self.calls: list[Call] = []
        self.delay = delay  # seconds before every answer
        self.text_only = text_only  # ignore output=json, as some CDX servers do
        self.burst_429 = 0  # the next N requests answer 429
        self.retry_after: str | None = "0"
        self.fail_status: int | None = None  # every request answers this status
        self.garbage: str | None = None  # every CDX answer is this body (status 200)
        self.save_style = "redirect"  # "redirect" | "content-location" | "link" | "none"
        self.save_timestamp: str | None = None  # else the current time
        self.memento_headers = True
        self.neighbour_links = True
        self.lying_link = False
        self.head_allowed = True
        self.web_fail_status: int | None = None  # replay requests only answer this status
        self.redirect_to: str | None = None  # every request answers 302 to this Location
        for url, items in (captures or {}).items():
            self.add(url, *items)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self._server.daemon_threads = True
        self._server.fake = self  # type: ignore[attr-defined]
        self._server.handle_error = lambda request, address: None  # type: ignore[method-assign]
        self._closed = False
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    # -- set-up ---------------------------------------------------------------------
    def add(self, url: str, *items: tuple[str, str] | str) -> None:
        """Captures of ``url``: ``"20231220120000"`` (status 200) or ``(ts, status)``."""
        with self._lock:
            rows = self._captures.setdefault(canonical(url), [])
            for item in items:
                ts, status = (item, "200") if isinstance(item, str) else item
                rows.append((ts, status, url))
            rows.sort()

    def start(self) -> FakeWayback:
        self._thread.start()
        return self

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    def __enter__(self) -> FakeWayback:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- what happened --------------------------------------------------------------
    def count(self, kind: str | None = None, url: str | None = None) -> int:
        with self._lock:
            return sum(1 for c in self.calls if (kind is None or c.kind == kind) and (url is None or c.url == url))

    def cdx_urls(self) -> list[str | None]:
        with self._lock:
            return [c.url for c in self.calls if c.kind == "cdx"]

    def peak(self, window: float, kind: str | None = None) -> int:
        """The most requests that arrived within any ``window`` seconds."""
        with self._lock:
            times = sorted(c.at for c in self.calls if kind is None or c.kind == kind)
        return most_in_window(times, window)

    def reset_calls(self) -> None:
        with self._lock:
            self.calls.clear()

    # -- answers --------------------------------------------------------------------
    def rows(self, url: str) -> list[tuple[str, str, str]]:
        with self._lock:
            return list(self._captures.get(canonical(url), []))

    def record(self, call: Call) -> None:
        with self._lock:
            self.calls.append(call)

    def take_429(self) -> bool:
        with self._lock:
            if self.burst_429 > 0:
                self.burst_429 -= 1
                return True
            return False

    def cdx(self, query: dict[str, list[str]]) -> tuple[int, str, str]:
        if self.garbage is not None:
            return 200, "text/plain", self.garbage
        url = query.get("url", [""])[0]
        rows = self.rows(url)
        for spec in query.get("filter", []):
            negate = spec.startswith("!")
            name, _, pattern = spec.lstrip("!").partition(":")
            column = {"timestamp": 0, "statuscode": 1, "original": 2}.get(name)
            if column is None:
                continue
            rows = [r for r in rows if bool(re.fullmatch(pattern, r[column])) != negate]
        closest = query.get("closest", [None])[0]
        if closest and query.get("sort", [""])[0] == "closest":
            target = seconds(closest)
            rows.sort(key=lambda r: (abs(seconds(r[0]) - target), r[0]))
        limit = int(query.get("limit", ["0"])[0] or 0)
        if limit > 0:
            rows = rows[:limit]
        elif limit < 0:
            rows = rows[limit:]
        records = [[canonical(orig), ts, orig, "text/html", status, "DIGEST" + ts, "1234"] for ts, status, orig in rows]
        if query.get("output", [""])[0] == "json" and not self.text_only:
            body = json.dumps([HEADER, *records]) if records else "[]"
            return 200, "application/json", body
        return 200, "text/plain", "".join(" ".join(r) + "\n" for r in records)

    def nearest(self, url: str, ts: str) -> str | None:
        """The status-200 capture nearest ``ts`` (the availability API's answer)."""
        good = [r[0] for r in self.rows(url) if r[1] == "200"]
        if not good:
            return None
        target = seconds(ts)
        return min(good, key=lambda t: (abs(seconds(t) - target), t))

    def timegate(self, url: str, ts: str) -> tuple[str, str] | None:
        """The capture (ts, status) nearest ``ts`` whatever its status; ties: the later."""
        rows = [(r[0], r[1]) for r in self.rows(url)]
        if not rows:
            return None
        target = seconds(ts)
        return min(rows, key=lambda r: (abs(seconds(r[0]) - target), -seconds(r[0])))

    def memento_links(self, url: str, ts: str) -> str:
        stamps = sorted({r[0] for r in self.rows(url)})
        base = self.base_url

        def entry(stamp: str, rel: str, when: str | None = None) -> str:
            return f'<{base}/web/{stamp}/{url}>; rel="{rel}"; datetime="{http_date(when or stamp)}"'

        parts = [f'<{url}>; rel="original"', f'<{base}/web/{url}>; rel="timegate"',
                 f'<{base}/web/timemap/link/{url}>; rel="timemap"; type="application/link-format"']
        own = "20000101000000" if self.lying_link else ts
        if not self.neighbour_links:
            parts.append(entry(ts, "memento", own))
            return ", ".join(parts)
        i = stamps.index(ts)
        first, last = stamps[0], stamps[-1]
        if first != ts:
            parts.append(entry(first, "first memento"))
        if i > 0 and stamps[i - 1] != first:
            parts.append(entry(stamps[i - 1], "prev memento"))
        rel = " ".join(x for x in ("first" if first == ts else "", "last" if last == ts else "", "memento") if x)
        parts.append(entry(ts, rel, own))
        if i + 1 < len(stamps) and stamps[i + 1] != last:
            parts.append(entry(stamps[i + 1], "next memento"))
        if last != ts:
            parts.append(entry(last, "last memento"))
        return ", ".join(parts)

    def save(self, url: str) -> str:
        ts = self.save_timestamp or dt.datetime.now(dt.timezone.utc).strftime("%Y%m%d%H%M%S")
        self.add(url, ts)
        return ts


def http_date(ts: str) -> str:
    return email.utils.formatdate(seconds(ts), usegmt=True)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ThreadingHTTPServer
    head = False
    # Headers and body go out in two writes: without TCP_NODELAY the body waits for the
    # client's delayed ACK (40 ms a request on Linux).
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_HEAD(self) -> None:
        fake: FakeWayback = self.server.fake  # type: ignore[attr-defined]
        self.head = True
        if not fake.head_allowed:
            fake.record(Call(time.monotonic(), "web" if _WEB.match(self.path) else "other", None, ""))
            return self._send(405, "text/plain", "HEAD not allowed")
        self._answer()

    def do_GET(self) -> None:
        self.head = False  # the handler serves every request of a kept-alive connection
        self._answer()

    def _answer(self) -> None:
        fake: FakeWayback = self.server.fake  # type: ignore[attr-defined]
        parts = urlsplit(self.path)
        path = parts.path
        query = parse_qs(parts.query, keep_blank_values=True)
        if path == "/cdx/search/cdx":
            kind, url = "cdx", query.get("url", [None])[0]
        elif path.startswith("/save/"):
            kind, url = "save", self.path[len("/save/") :]
        elif _WEB.match(self.path):
            kind, url = "web", _WEB.match(self.path).group(2)  # type: ignore[union-attr]
        elif path == "/wayback/available":
            kind, url = "available", query.get("url", [None])[0]
        else:
            kind, url = "other", None
        fake.record(Call(time.monotonic(), kind, url, parts.query))

        if fake.delay:
            time.sleep(fake.delay)
        if fake.take_429():
            headers = {"Retry-After": fake.retry_after} if fake.retry_after is not None else {}
            return self._send(429, "text/plain", "Too Many Requests", headers)
        if fake.fail_status is not None:
            return self._send(fake.fail_status, "text/plain", "failure")
        if fake.redirect_to is not None:
            return self._send(302, "text/plain", "", {"Location": fake.redirect_to})

        if kind == "cdx":
            return self._send(*fake.cdx(query))
        if kind == "save":
            assert url is not None
            ts = fake.save(url)
            location = f"/web/{ts}/{url}"
            if fake.save_style == "redirect":
                return self._send(302, "text/plain", "", {"Location": location})
            if fake.save_style == "content-location":
                return self._send(200, "text/html", "saved", {"Content-Location": location})
            if fake.save_style == "none":  # a page that names no capture
                return self._send(200, "text/html", "<p>Saving page...</p>")
            memento = f'<{url}>; rel="original", <{fake.base_url}{location}>; rel="memento"'
            return self._send(200, "text/html", "saved", {"Link": memento})
        if kind == "web":
            match = _WEB.match(self.path)
            assert match is not None
            ts, target = match.groups()
            if fake.web_fail_status is not None:
                return self._send(fake.web_fail_status, "text/plain", "failure")
            found = fake.timegate(target, ts)
            if found is None:
                return self._send(404, "text/html", "<title>Wayback Machine</title>not archived")
            best, status = found
            if best != ts:
                links = f'<{target}>; rel="original", <{fake.base_url}/web/timemap/link/{target}>; rel="timemap"'
                headers = {"Location": f"{fake.base_url}/web/{best}/{target}", "Vary": "accept-datetime",
                           "Link": links}
                return self._send(302, "text/plain", "", headers)
            headers = {"Content-Location": f"/web/{ts}/{target}"}
            if fake.memento_headers:
                headers["Memento-Datetime"] = http_date(ts)
                headers["Link"] = fake.memento_links(target, ts)
            if status.startswith("3"):
                headers["Location"] = f"{fake.base_url}/web/{ts}/http://elsewhere.example.org/"
                return self._send(int(status), "text/plain", "", headers)
            page = f"<html><title>archived {target}</title><body>{best}</body></html>"
            return self._send(int(status) if status.isdigit() else 200, "text/html", page, headers)
        if kind == "available":
            ts = query.get("timestamp", [""])[0] or "99991231"
            best = fake.nearest(url or "", ts)
            snapshots = {}
            if best is not None:
                snapshots = {
                    "closest": {
                        "available": True,
                        "url": f"{fake.base_url}/web/{best}/{url}",
                        "timestamp": best,
                        "status": "200",
                    }
                }
            body = json.dumps({"url": url, "archived_snapshots": snapshots})
            return self._send(200, "application/json", body)
        return self._send(404, "text/plain", "not found")

    def _send(self, status: int, content_type: str, body: str, headers: dict[str, str] | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", f"{content_type}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if not self.head:
            self.wfile.write(data)
