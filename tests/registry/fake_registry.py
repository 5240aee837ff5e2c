"""A fake Crossref REST API and doi.org (handle API + content negotiation) on 127.0.0.1.

One threading HTTP server answers both services (the tests point --crossref-url and
--doi-url at ``/crossref`` and ``/doi`` under it) in the shapes the real APIs document:
``{"status": "ok", "message-type": "work", "message": {...}}``, ``{"responseCode": 1,
"handle": ..., "values": [...]}`` and ``{"responseCode": 100}`` with HTTP 404. It records
every call with its time, can send the rate-limit headers, refuse a burst with 429, answer
slowly, or answer garbage for a chosen DOI. Every DOI here is invented (10.12345/...).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit


def work(doi: str, title: str, year: int, *families: str, kind: str = "journal-article",
         **extra: Any) -> dict[str, Any]:
    """A Crossref work message."""
    return {
        "DOI": doi, "type": kind, "title": [title],
        "author": [{"family": f, "given": "A.", "sequence": "first" if i == 0 else "additional"}
                   for i, f in enumerate(families)],
        "issued": {"date-parts": [[year, 3, 1]]}, "container-title": ["Invented Journal"], **extra,
    }


def notice(doi: str, original: str, kind: str = "retraction",
           date: tuple[int, int, int] = (2022, 5, 1)) -> dict[str, Any]:
    return {
        "DOI": doi, "type": "journal-article", "title": [f"{kind.title()} notice"],
        "issued": {"date-parts": [list(date)]},
        "update-to": [{"DOI": original, "type": kind, "label": kind.title(),
                       "updated": {"date-parts": [list(date)]}}],
    }


@dataclass
class Call:
    at: float
    service: str  # "handle", "work", "updates", "search", "csl"
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]


@dataclass
class FakeRegistry:
    works: dict[str, dict[str, Any]] = field(default_factory=dict)  # Crossref works by lower DOI
    other: dict[str, dict[str, Any]] = field(default_factory=dict)  # CSL JSON of other agencies
    notices: list[dict[str, Any]] = field(default_factory=list)
    search_results: list[tuple[str, list[dict[str, Any]]]] = field(default_factory=list)  # (needle, items)
    # (limit, interval) sent as x-rate-limit-*. Ten times Crossref's public pool (50 a
    # second), so that tests about something else do not wait on the pace; the tests of
    # the pace (and bench_registry.py) state their own.
    rate_limit: tuple[int, str] | None = (500, "1s")
    concurrency_limit: int | None = None
    burst_429: int = 0  # the next N requests get 429
    retry_after: str | None = "0"
    delay: float = 0.0  # seconds before every answer
    slow: dict[str, float] = field(default_factory=dict)  # extra delay per lower DOI
    garbage: set[str] = field(default_factory=set)  # lower DOIs whose Crossref answer is not JSON
    down: bool = False  # every answer is 503
    calls: list[Call] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    in_flight: int = 0
    max_in_flight: int = 0

    def add(self, message: dict[str, Any]) -> None:
        self.works[message["DOI"].lower()] = message

    # --- server -----------------------------------------------------------------

    def start(self) -> FakeRegistry:
        fake = self

        class Handler(_Handler):
            registry = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.01},
                                        daemon=True)
        self._thread.start()
        return self

    def close(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> FakeRegistry:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def base(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def crossref_url(self) -> str:
        return self.base + "/crossref"

    @property
    def doi_url(self) -> str:
        return self.base + "/doi"

    def count(self, service: str | None = None) -> int:
        with self.lock:
            return sum(1 for c in self.calls if service is None or c.service == service)

    def peak(self, window: float) -> int:
        """The most requests that arrived within any ``window`` seconds."""
        times = sorted(c.at for c in self.calls)
        best, j = 0, 0
        for i, t in enumerate(times):
            while times[j] < t - window + 1e-9:
                j += 1
            best = max(best, i - j + 1)
        return best

    # --- answers ------------------------------------------------------------------

    def answer(self, path: str, query: dict[str, list[str]], accept: str) -> tuple[int, str, bytes]:
        if path.startswith("/doi/api/handles/"):
            doi = unquote(path[len("/doi/api/handles/"):])
            if doi.lower() in self.works or doi.lower() in self.other:
                body = {"responseCode": 1, "handle": doi,
                        "values": [{"index": 1, "type": "URL", "data": {"format": "string",
                                                                         "value": "https://example.org/landing"}}]}
                return 200, "application/json", json.dumps(body).encode()
            return 404, "application/json", json.dumps({"responseCode": 100, "handle": doi}).encode()
        if path.startswith("/doi/"):
            doi = unquote(path[len("/doi/"):])
            data = self.other.get(doi.lower())
            if data is None or "citationstyles" not in accept:
                return 404, "text/plain", b"DOI not found"
            return 200, "application/vnd.citationstyles.csl+json", json.dumps(data).encode()
        if path.startswith("/crossref/works/"):
            doi = unquote(path[len("/crossref/works/"):])
            if doi.lower() in self.garbage:
                return 200, "application/json", b"<html>oops</html>"
            message = self.works.get(doi.lower())
            if message is None:
                return 404, "text/plain", b"Resource not found."
            return 200, "application/json", json.dumps(
                {"status": "ok", "message-type": "work", "message-version": "1.0.0", "message": message}).encode()
        if path == "/crossref/works":
            items: list[dict[str, Any]] = []
            if "filter" in query:
                target = query["filter"][0].split("updates:", 1)[-1].lower()
                items = [n for n in self.notices
                         if any(u["DOI"].lower() == target for u in n.get("update-to", ()))]
            elif "query.bibliographic" in query:
                text = query["query.bibliographic"][0].lower()
                rows = int(query.get("rows", ["20"])[0])
                for needle, found in self.search_results:
                    if needle.lower() in text:
                        items = found[:rows]
                        break
            body = {"status": "ok", "message-type": "work-list",
                    "message": {"items": items, "total-results": len(items), "items-per-page": 20}}
            return 200, "application/json", json.dumps(body).encode()
        return 404, "text/plain", b"no such route"


def _service(path: str) -> str:
    if path.startswith("/doi/api/handles/"):
        return "handle"
    if path.startswith("/doi/"):
        return "csl"
    if path.startswith("/crossref/works/"):
        return "work"
    return "updates" if path == "/crossref/works" else "other"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes: without TCP_NODELAY the body can wait for the
    # client's delayed ACK (40 ms on Linux) on a kept-alive connection.
    disable_nagle_algorithm = True
    registry: FakeRegistry

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        fake = self.registry
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        service = _service(parts.path)
        if service == "updates" and "query.bibliographic" in query:
            service = "search"
        with fake.lock:
            fake.calls.append(Call(time.monotonic(), service, parts.path, query, dict(self.headers)))
            fake.in_flight += 1
            fake.max_in_flight = max(fake.max_in_flight, fake.in_flight)
            refuse = fake.burst_429 > 0
            if refuse:
                fake.burst_429 -= 1
        try:
            doi = unquote(parts.path.rsplit("/works/", 1)[-1]).lower() if "/works/" in parts.path else ""
            time.sleep(min(5.0, fake.delay + fake.slow.get(doi, 0.0)))
            headers = {}
            if fake.rate_limit is not None:
                headers["X-Rate-Limit-Limit"] = str(fake.rate_limit[0])
                headers["X-Rate-Limit-Interval"] = fake.rate_limit[1]
            if fake.concurrency_limit is not None:
                headers["X-Concurrency-Limit"] = str(fake.concurrency_limit)
            if fake.down:
                self._send(503, "text/plain", b"down", headers)
            elif refuse:
                if fake.retry_after is not None:
                    headers["Retry-After"] = fake.retry_after
                self._send(429, "text/plain", b"slow down", headers)
            else:
                status, ctype, body = fake.answer(parts.path, query, self.headers.get("Accept", ""))
                self._send(status, ctype, body, headers)
        finally:
            with fake.lock:
                fake.in_flight -= 1

    def _send(self, status: int, ctype: str, body: bytes, headers: dict[str, str]) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in headers.items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout test)
