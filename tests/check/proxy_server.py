"""A tiny HTTP proxy on a loopback address: forwards ``GET http://...`` and tunnels
``CONNECT host:port``. Host names are resolved from its own table (what a corporate
proxy's resolver would know), literals as they are. Every request is logged; every
tunnel is bounded in time."""

from __future__ import annotations

import contextlib
import http.client
import http.server
import select
import socket
import threading
import time
from urllib.parse import urlsplit

TUNNEL_SECONDS = 5.0


class ProxyHandler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: ProxyServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _target(self, host: str) -> str:
        return self.server.names.get(host.lower(), host)

    def do_GET(self) -> None:
        self.server.log.append(("GET", self.path))
        parts = urlsplit(self.path)
        if parts.scheme != "http" or not parts.hostname:
            self.send_error(400)
            return
        connection = http.client.HTTPConnection(self._target(parts.hostname), parts.port or 80, timeout=5)
        try:
            path = parts.path or "/"
            if parts.query:
                path += "?" + parts.query
            headers = {k: v for k, v in self.headers.items() if k.lower() not in ("proxy-connection",)}
            connection.request("GET", path, headers=headers)
            answer = connection.getresponse()
            body = answer.read()
        except OSError:
            self.send_error(502)
            return
        finally:
            connection.close()
        self.send_response(answer.status)
        for key, value in answer.getheaders():
            if key.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_CONNECT(self) -> None:
        self.server.log.append(("CONNECT", self.path))
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((self._target(host.strip("[]")), int(port)), timeout=5)
        except (OSError, ValueError):
            self.send_error(502)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        self.close_connection = True
        client = self.connection
        deadline = time.monotonic() + TUNNEL_SECONDS
        with upstream:
            while time.monotonic() < deadline:
                ready, _, _ = select.select([client, upstream], [], [], 0.2)
                for sock in ready:
                    try:
                        data = sock.recv(65536)
                    except OSError:
                        return
                    if not data:
                        return
                    (upstream if sock is client else client).sendall(data)


class ProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, host: str, names: dict[str, str] | None = None) -> None:
        super().__init__((host, 0), ProxyHandler)
        self.names = {k.lower(): v for k, v in (names or {}).items()}
        self.log: list[tuple[str, str]] = []
        self._thread = threading.Thread(target=self.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.shutdown()
        with contextlib.suppress(OSError):
            self.server_close()
