"""A page server on 127.0.0.1 for the archive and fix tests: each test names its pages
with a ``route`` function (path -> status, extra headers, HTML body) and gets a base URL."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

Page = tuple[int, dict[str, str], str]  # status, headers besides the length, body
Route = Callable[[str], Page]

NOT_FOUND: Page = (404, {"Content-Type": "text/html; charset=utf-8"}, "<html><title>Not Found</title></html>")


def html(title: str) -> Page:
    """A 200 page whose title and heading are ``title`` (what the link checker compares)."""
    body = f"<html><head><title>{title}</title></head><body><h1>{title}</h1></body></html>"
    return 200, {"Content-Type": "text/html; charset=utf-8"}, body


def moved(location: str) -> Page:
    return 301, {"Location": location}, ""


@contextmanager
def serve_pages(route: Route) -> Iterator[str]:
    """Serve ``route`` until the block ends; yields ``http://127.0.0.1:PORT``."""

    class Handler(BaseHTTPRequestHandler):
        disable_nagle_algorithm = True  # headers and body are two writes: no delayed-ACK wait

        def log_message(self, format: str, *args: object) -> None:
            pass

        def do_GET(self) -> None:
            status, headers, body = route(self.path)
            data = body.encode()
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
