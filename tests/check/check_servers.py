"""Real HTTP(S) servers on loopback addresses for the link checker tests.

Each :class:`Site` is a threading HTTP/1.1 server bound to one address of 127.0.0.0/8
(127.0.0.2, 127.0.0.3 ... act as distinct hosts) with a table of routes. It counts
requests per path and the largest number of requests and connections in flight at
once. Every handler is bounded in time: slow bodies stop after a few seconds or when
the client goes away.
"""

from __future__ import annotations

import contextlib
import http.server
import socket
import ssl
import threading
import time
import zlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from footcheck.check.interface import CheckOptions

Handler = Callable[["RequestHandler"], None]
MAX_HANDLER_SECONDS = 6.0


@dataclass
class Stats:
    lock: threading.Lock = field(default_factory=threading.Lock)
    requests: Counter[str] = field(default_factory=Counter)
    methods: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)
    in_flight: int = 0
    max_in_flight: int = 0
    connections: int = 0
    max_connections: int = 0
    sni: list[str | None] = field(default_factory=list)

    def total(self) -> int:
        with self.lock:
            return sum(self.requests.values())


class RequestHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 10  # an idle keep-alive connection ends its thread after this
    disable_nagle_algorithm = True  # headers and body are two writes: no 40 ms delayed-ACK wait
    server: SiteServer

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def setup(self) -> None:
        super().setup()
        stats = self.server.stats
        with stats.lock:
            stats.connections += 1
            stats.max_connections = max(stats.max_connections, stats.connections)

    def finish(self) -> None:
        stats = self.server.stats
        with stats.lock:
            stats.connections -= 1
        with contextlib.suppress(OSError):
            super().finish()

    def _dispatch(self) -> None:
        path = self.path.split("?", 1)[0]
        stats = self.server.stats
        with stats.lock:
            stats.requests[path] += 1
            stats.methods.append((self.command, path))
            stats.headers[path] = {k.lower(): v for k, v in self.headers.items()}
            stats.in_flight += 1
            stats.max_in_flight = max(stats.max_in_flight, stats.in_flight)
        try:
            route = self.server.routes.get(path)
            if route is None:
                self.send_body(404, b"<title>404</title>", content_type="text/html")
            else:
                route(self)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, TimeoutError):
            self.close_connection = True
        finally:
            with stats.lock:
                stats.in_flight -= 1

    do_GET = _dispatch
    do_HEAD = _dispatch

    # -- helpers for routes ---------------------------------------------------------
    def send_body(
        self,
        status: int,
        body: bytes | str = b"",
        *,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
    ) -> None:
        if isinstance(body, str):
            body = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


class SiteServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address: tuple[str, int], context: ssl.SSLContext | None) -> None:
        self.stats = Stats()
        self.routes: dict[str, Handler] = {}
        self.context = context
        super().__init__(address, RequestHandler)

    def get_request(self) -> tuple[socket.socket, object]:
        sock, addr = super().get_request()
        if self.context is not None:
            sock.settimeout(5)
            sock = self.context.wrap_socket(sock, server_side=True, do_handshake_on_connect=False)
        return sock, addr

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # failed handshakes are expected in the TLS tests


# Small numbers keep the suite fast; tests override what they rely on.
FAST: dict[str, Any] = {
    "timeout": 3.0,
    "backoff_base": 0.05,
    "retry_after_cap": 2.0,
    "allow_private": True,
    "max_body_bytes": 64 * 1024,
    # hermetic: no probe of well-known hosts (it would leave the machine), no proxy
    # from the environment; the network tests set their own
    "probe_hosts": (),
    "trust_env": False,
}


def fast_options(**overrides: Any) -> CheckOptions:
    return CheckOptions(**{**FAST, **overrides})


class Site:
    """One server on one loopback address; ``url(path)`` gives its URL."""

    def __init__(self, host: str = "127.0.0.2", context: ssl.SSLContext | None = None) -> None:
        self.server = SiteServer((host, 0), context)
        self.host = host
        self.port = self.server.server_address[1]
        self.scheme = "https" if context is not None else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.thread.start()

    @property
    def stats(self) -> Stats:
        return self.server.stats

    def url(self, path: str = "/", host: str | None = None) -> str:
        return f"{self.scheme}://{host or self.host}:{self.port}{path}"

    def route(self, path: str, handler: Handler) -> str:
        self.server.routes[path] = handler
        return self.url(path)

    def page(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        content_type: str = "text/html; charset=utf-8",
        headers: dict[str, str] | None = None,
        delay: float = 0.0,
    ) -> str:
        data = body.encode("utf-8") if isinstance(body, str) else body

        def handler(h: RequestHandler) -> None:
            if delay:
                time.sleep(delay)
            h.send_body(status, data, content_type=content_type, headers=headers)

        return self.route(path, handler)

    def redirect(self, path: str, location: str, status: int = 301) -> str:
        def handler(h: RequestHandler) -> None:
            h.send_body(status, b"", headers={"Location": location})

        return self.route(path, handler)

    def requests(self, path: str) -> int:
        with self.stats.lock:
            return self.stats.requests[path]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def html(title: str, heading: str = "", body: str = "", head: str = "") -> str:
    h1 = f"<h1>{heading}</h1>" if heading else ""
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title>{head}</head>"
        f"<body>{h1}<p>{body}</p></body></html>"
    )


def drip(interval: float = 0.2, length: int = 100_000) -> Handler:
    """Headers at once, then one byte per ``interval`` (bounded in time)."""

    def handler(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html")
        h.send_header("Content-Length", str(length))
        h.end_headers()
        h.wfile.write(b"<html><head>")
        h.wfile.flush()
        deadline = time.monotonic() + MAX_HANDLER_SECONDS
        while time.monotonic() < deadline:
            time.sleep(interval)
            h.wfile.write(b" ")
            h.wfile.flush()
        h.close_connection = True

    return handler


def endless(chunk: bytes = b"<p>" + b"x" * 65536 + b"</p>") -> Handler:
    """A chunked body that never ends (until the client leaves or the time cap)."""

    def handler(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Transfer-Encoding", "chunked")
        h.end_headers()
        h.wfile.write(b"%x\r\n<html><head><title>Endless</title></head><body>\r\n" % 47)
        deadline = time.monotonic() + MAX_HANDLER_SECONDS
        sent = 0
        while time.monotonic() < deadline and sent < 2_000_000_000:
            h.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            sent += len(chunk)
        h.close_connection = True

    return handler


_BOMB: bytes | None = None


def gzip_bomb() -> bytes:
    """About 100 KB of gzip that inflates to 100 MB of spaces."""
    global _BOMB
    if _BOMB is None:
        packer = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip container
        head = b"<html><head><title>Bomb</title></head><body>"
        _BOMB = packer.compress(head + b" " * 100_000_000) + packer.flush()
    return _BOMB


def bomb() -> Handler:
    data = gzip_bomb()

    def handler(h: RequestHandler) -> None:
        h.send_body(
            200,
            data,
            content_type="text/html; charset=utf-8",
            headers={"Content-Encoding": "gzip"},
        )

    return handler
