"""HTTP/1.1 behind the transport seam (``transport.py``): asyncio protocols and llhttp.

The checker asks an HTTP stack for very little: one GET at a time per connection, no
redirect followed, the raw body in chunks (``body.py`` decodes a bounded prefix), and
every connection opened only to an address the guard vetted. General clients do much
more on every request (aiohttp: request and response objects, tracing, cookie and
timeout machinery; httpx: models and a pure-Python parser on top), and that was most of
the checker's CPU: per URL, 0.30 ms for a bare aiohttp session against 0.11 ms for this
module's approach on the same loopback workload (``benchmarks/links.md``). So the
protocol is spoken here, on asyncio's own transports, with the response parsed by
``httptools`` (bindings to llhttp, Node.js's parser): framing (Content-Length, chunked,
read-until-close), 1xx responses and keep-alive are llhttp's; this module adds the
connection pool, the guard, TLS, limits on what a server may send, and the errors.

Connections: for each new connection the guard is asked for the host's addresses
(memoised there for the run) and the socket connects to one of those, so what was vetted
is exactly what is connected to, and a DNS answer that changes in between (rebinding)
cannot slip through. TLS verifies the certificate against the URL's host (sent as SNI).
A connection goes back to the pool only when its response was read to the end and both
sides allow keep-alive; at most ``concurrency`` idle connections are kept (the oldest
closed first), so a paper citing thousands of hosts does not run out of file handles.
A request on a reused connection that the server had closed meanwhile (no byte of an
answer came back) is sent once more on a new one, as browsers do; nothing else is
retried here (the checker has its own policy).

Limits on what a server sends: the response head at most ``MAX_HEAD_BYTES`` and
``MAX_HEADERS`` fields; a body is buffered up to ``HIGH_WATER`` bytes before the socket
stops reading until the checker takes it.
"""

from __future__ import annotations

import asyncio
import base64
import ssl
from collections import OrderedDict, deque
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import SplitResult, unquote, urlsplit

import httptools

from footcheck.check.guard import Guard
from footcheck.check.transport import Headers, Response, TransportError, ssl_context, ssl_reason
from footcheck.model import LinkCause

MAX_HEAD_BYTES = 1024 * 1024  # the status line and all header fields
MAX_FIELD_BYTES = 32 * 1024  # one field, name and value (a long Content-Security-Policy is 20 KB)
MAX_HEADERS = 256  # fields (100 Set-Cookie lines are seen on real sites)
_HEAD_FEED = 16 * 1024  # a head arriving in small pieces is parsed in pieces at least this big
HIGH_WATER = 256 * 1024  # body bytes buffered before the socket pauses
_DEFAULT_PORTS = {"http": 80, "https": 443}
_FORBIDDEN_IN_TARGET = frozenset(chr(c) for c in range(33)) | {"\x7f"}


class ResponseHeaders(Mapping[str, str]):
    """Response headers, looked up case-insensitively; repeated fields joined with ", "
    (RFC 9110 5.3), ``Set-Cookie`` kept apart (its values may contain commas)."""

    __slots__ = ("_fields", "set_cookies")

    def __init__(self) -> None:
        self._fields: dict[str, str] = {}
        self.set_cookies: list[str] = []

    def add(self, name: str, value: str) -> None:
        key = name.lower()
        if key == "set-cookie":
            self.set_cookies.append(value)
        old = self._fields.get(key)
        self._fields[key] = value if old is None else f"{old}, {value}"

    def __getitem__(self, name: str) -> str:
        return self._fields[name.lower()]

    def get(self, name: str, default: Any = None) -> Any:
        return self._fields.get(name.lower(), default)

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._fields

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def __repr__(self) -> str:
        return f"ResponseHeaders({self._fields!r})"


def _text(raw: bytes) -> str:
    # a header is ASCII in the RFC; UTF-8 in practice (a Location with Cyrillic), else Latin-1
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


class _Connection(asyncio.Protocol):
    """One TCP or TLS connection, one request at a time; llhttp's callbacks fill in the
    response as bytes arrive."""

    def __init__(self, key: tuple[str, str, int]) -> None:
        self.key = key
        self.transport: asyncio.Transport | None = None
        self.closed = False
        self.idle_since = 0.0
        self.reused = False
        self._loop = asyncio.get_running_loop()
        self._parser: httptools.HttpResponseParser | None = None
        self._head: asyncio.Future[None] | None = None
        self._wakeup: asyncio.Future[None] | None = None
        self._head_bytes = 0
        self._pending = bytearray()  # head bytes not yet parsed
        self._fields = 0
        self._got_bytes = False
        self.status = 0
        self.headers = ResponseHeaders()
        self.headers_done = False
        self.message_done = False
        self.keep_alive = False
        self._chunked_or_sized = False
        self._chunks: deque[bytes] = deque()
        self._buffered = 0
        self._paused = False
        self.error: BaseException | None = None

    # --- asyncio.Protocol -----------------------------------------------------------

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport

    def data_received(self, data: bytes) -> None:
        parser = self._parser
        if parser is None or self.message_done:  # bytes nobody asked for: the connection is not reusable
            self._abort()
            return
        self._got_bytes = True
        if not self.headers_done:
            self._head_bytes += len(data)
            if self._head_bytes > MAX_HEAD_BYTES:
                self._fail(_protocol_error(f"the response head is over {MAX_HEAD_BYTES // 1024} KB"))
                return
            # httptools joins a field's pieces with bytes +=: fed a byte at a time by a slow
            # server, a long field would cost quadratic time, so small pieces wait here
            # until a blank line (the head's end) or _HEAD_FEED bytes have come
            pending = self._pending
            if pending or (len(data) < _HEAD_FEED and not _has_blank_line(data, 0)):
                start = max(0, len(pending) - 2)
                pending += data
                if len(pending) < _HEAD_FEED and not _has_blank_line(pending, start):
                    return
                data = bytes(pending)
                pending.clear()
        self._feed(data)

    def _feed(self, data: bytes) -> None:
        parser = self._parser
        assert parser is not None
        try:
            parser.feed_data(data)
        except httptools.HttpParserUpgrade:
            self._fail(_protocol_error("it switched protocols (Upgrade) on a plain GET"))
        except httptools.HttpParserCallbackError as exc:
            # a callback's own exception (a limit, below) is the error's context
            cause = exc.__context__
            if isinstance(cause, _Unasked):
                self._abort()  # the answer is whole; what follows it makes the connection unusable
                return
            self._fail(cause if isinstance(cause, TransportError) else _protocol_error(_parser_message(exc)))
        except httptools.HttpParserError as exc:
            self._fail(_protocol_error(_parser_message(exc)))

    def eof_received(self) -> bool:
        return False  # close; connection_lost says what it meant

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        if self._parser is None or self.message_done or self.error is not None:
            return
        if self._pending:  # a head cut short: let the parser say what is wrong with it
            data = bytes(self._pending)
            self._pending.clear()
            self._feed(data)
            if self.message_done or self.error is not None:
                return
        if self.headers_done and not self._chunked_or_sized and not self.keep_alive:
            self._complete()  # a body delimited by the end of the connection (RFC 9112 6.3)
            return
        if exc is not None and _is_tls(exc):
            self._fail(TransportError(f"TLS: {ssl_reason(exc)}", retryable=False, cause=LinkCause.TLS))  # type: ignore[arg-type]
        elif isinstance(exc, ConnectionResetError):
            self._fail(TransportError("connection reset by the server", retryable=True))
        elif self.headers_done:
            self._fail(TransportError("the connection broke: the server closed it mid-body", retryable=True))
        else:
            self._fail(TransportError(
                "the server broke the HTTP protocol: it disconnected without sending a response", retryable=True))

    def pause_writing(self) -> None:  # a request is a few hundred bytes: nothing to pause
        pass

    def resume_writing(self) -> None:
        pass

    # --- llhttp callbacks -----------------------------------------------------------

    def on_message_begin(self) -> None:
        if self.message_done:  # bytes after the whole answer, parsed as another one
            raise _Unasked

    def on_header(self, name: bytes, value: bytes) -> None:
        self._fields += 1
        if self._fields > MAX_HEADERS:
            raise _protocol_error(f"over {MAX_HEADERS} header fields")
        if len(name) + len(value) > MAX_FIELD_BYTES:
            raise _protocol_error(f"a header field is over {MAX_FIELD_BYTES // 1024} KB ({_text(name[:100])!r})")
        self.headers.add(_text(name), _text(value).strip())

    def on_headers_complete(self) -> None:
        assert self._parser is not None
        status = self._parser.get_status_code()
        if 100 <= status < 200:  # an interim response (100 Continue, 103 Early Hints): wait for the real one
            self.headers = ResponseHeaders()
            self._fields = 0
            return
        self.status = status
        self.keep_alive = self._parser.should_keep_alive()
        self._chunked_or_sized = "content-length" in self.headers or "chunked" in self.headers.get(
            "transfer-encoding", "").lower()
        self.headers_done = True
        self._wake(self._head)

    def on_body(self, body: bytes) -> None:
        self._chunks.append(body)
        self._buffered += len(body)
        if self._buffered > HIGH_WATER and not self._paused and self.transport is not None:
            self._paused = True
            self.transport.pause_reading()
        self._wake(self._wakeup)

    def on_message_complete(self) -> None:
        if not self.headers_done:  # the end of an interim response
            self._head_bytes = 0
            return
        self._complete()

    # --- the request ---------------------------------------------------------------

    def start(self, request: bytes) -> asyncio.Future[None]:
        """Send ``request``; the future is done when the response head is in."""
        assert self.transport is not None
        self._parser = parser = httptools.HttpResponseParser(self)
        # browsers read a head whose lines end in a bare LF (old and embedded servers send
        # them); the leniency is "dangerous" for servers parsing requests, not here
        parser.set_dangerous_leniencies(lenient_optional_cr_before_lf=True)
        self._head = self._loop.create_future()
        self._head_bytes = self._fields = 0
        self._pending.clear()
        self._got_bytes = False
        self.status = 0
        self.headers = ResponseHeaders()
        self.headers_done = self.message_done = self.keep_alive = False
        self._chunks.clear()
        self._buffered = 0
        self.error = None
        self.transport.write(request)
        return self._head

    @property
    def answered(self) -> bool:
        """Did any byte of an answer arrive?"""
        return self._got_bytes

    async def read_chunk(self) -> bytes:
        while not self._chunks:
            if self.message_done:  # whatever came after the answer does not spoil it
                return b""
            if self.error is not None:
                raise self.error
            self._wakeup = self._loop.create_future()
            try:
                await self._wakeup
            finally:
                self._wakeup = None
        data = self._chunks.popleft() if len(self._chunks) == 1 else b"".join(self._chunks)
        self._chunks.clear()
        self._buffered = 0
        if self._paused and self.transport is not None:
            self._paused = False
            self.transport.resume_reading()
        return data

    @property
    def reusable(self) -> bool:
        return self.message_done and self.keep_alive and not self.closed and self.error is None

    def close(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.close()

    def _abort(self) -> None:
        self.closed = True
        if self.transport is not None:
            self.transport.abort()

    def _complete(self) -> None:
        self.message_done = True
        self._wake(self._head)
        self._wake(self._wakeup)

    def _fail(self, error: BaseException) -> None:
        if self.error is None:
            self.error = error
        self._wake(self._head, error)
        self._wake(self._wakeup)
        self._abort()

    @staticmethod
    def _wake(future: asyncio.Future[None] | None, error: BaseException | None = None) -> None:
        if future is not None and not future.done():
            if error is not None:
                future.set_exception(error)
            else:
                future.set_result(None)


class _Unasked(Exception):
    """Raised in a parser callback: a second answer began after the one asked for."""


def _has_blank_line(data: bytes | bytearray, start: int) -> bool:
    return data.find(b"\n\n", start) >= 0 or data.find(b"\n\r\n", start) >= 0


def _protocol_error(message: str) -> TransportError:
    message = message if len(message) <= 200 else message[:199] + "…"
    return TransportError(f"the server broke the HTTP protocol: {message}", retryable=True)


def _parser_message(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.removeprefix("HPE_").replace("_", " ").lower() if text.startswith("HPE_") else text


def _is_tls(exc: BaseException) -> bool:
    return isinstance(exc, ssl.SSLError)


class _H1Response:
    __slots__ = ("_connection", "_transport")

    def __init__(self, connection: _Connection, transport: H1Transport) -> None:
        self._connection = connection
        self._transport = transport

    @property
    def status(self) -> int:
        return self._connection.status

    @property
    def headers(self) -> Headers:
        return self._connection.headers

    @property
    def preloaded(self) -> bytes | None:
        return None

    async def read_chunk(self) -> bytes:
        return await self._connection.read_chunk()

    async def aclose(self) -> None:
        # the connection goes back to the pool only if its body was read to the end
        self._transport.release(self._connection)


class H1Transport:
    """The transport of a direct run: a pool of HTTP/1.1 connections, each opened to an
    address the guard vetted."""

    def __init__(
        self,
        guard: Guard,
        headers: Mapping[str, str],
        *,
        concurrency: int,
        verify: ssl.SSLContext | bool,
        timeout: float,
        keepalive_expiry: float = 15.0,
    ) -> None:
        self.guard = guard
        self._headers = {name.lower(): (name, value) for name, value in headers.items()}
        self._default_head = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self._verify = verify
        self._context: ssl.SSLContext | None = None  # made on the first https URL (loading roots is not free)
        self._connect_timeout = timeout
        self._keepalive = keepalive_expiry
        self.idle_limit = concurrency
        self._idle: OrderedDict[_Connection, None] = OrderedDict()  # oldest first
        self._pools: dict[tuple[str, str, int], list[_Connection]] = {}
        self._busy: set[_Connection] = set()
        self._jar: Any = None  # http.cookiejar.CookieJar, made when a server first sets a cookie
        self.lookups: list[tuple[str, int, list[str]]] = []  # (host, port, addresses) per new connection, for tests
        self.connections_opened = 0

    # --- the seam -------------------------------------------------------------------

    def cookies(self, url: str) -> str:
        if self._jar is None or not len(self._jar):
            return ""
        from urllib.request import Request

        request = Request(url)
        self._jar.add_cookie_header(request)
        return str(request.get_header("Cookie", ""))

    async def send(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        parts, key, target = _split(url)
        request = self._request(parts, target, url, headers)
        connection = self._pooled(key)
        if connection is not None:
            try:
                return await self._exchange(connection, request, url)
            except TransportError:
                if connection.answered:
                    raise
                # the server closed the kept connection meanwhile: once more on a new one
        connection = await self._connect(key)
        return await self._exchange(connection, request, url)

    async def aclose(self) -> None:
        for connection in [*self._idle, *self._busy]:
            connection.close()
        self._idle.clear()
        self._busy.clear()
        self._pools.clear()

    # --- requests -------------------------------------------------------------------

    def _request(self, parts: SplitResult, target: str, url: str, extra: Mapping[str, str] | None) -> bytes:
        host = parts.netloc.rpartition("@")[2]
        head = f"GET {target} HTTP/1.1\r\nHost: {host}\r\n"
        if extra:
            merged = dict(self._headers)
            for name, value in extra.items():
                merged[name.lower()] = (name, value)
            head += "".join(f"{name}: {value}\r\n" for name, value in merged.values())
        else:
            head += self._default_head
        if parts.username is not None:  # user:password@ in the URL, as browsers and httpx send it
            credentials = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            head += f"Authorization: Basic {base64.b64encode(credentials).decode('ascii')}\r\n"
        cookie = self.cookies(url)
        if cookie:
            head += f"Cookie: {cookie}\r\n"
        try:
            return (head + "\r\n").encode("ascii")
        except UnicodeEncodeError as exc:
            raise TransportError(f"invalid URL or header: {exc.reason} at {exc.object[exc.start:exc.end]!r}",
                                 retryable=False) from None

    async def _exchange(self, connection: _Connection, request: bytes, url: str) -> Response:
        self._busy.add(connection)
        try:
            await connection.start(request)
        except BaseException:
            self._busy.discard(connection)
            connection.close()
            raise
        if connection.headers.set_cookies:
            self._keep_cookies(url, connection.headers)
        return _H1Response(connection, self)

    def release(self, connection: _Connection) -> None:
        if connection not in self._busy:
            return
        self._busy.discard(connection)
        if not connection.reusable:
            connection.close()
            return
        connection.idle_since = asyncio.get_running_loop().time()
        connection.reused = True
        self._pools.setdefault(connection.key, []).append(connection)
        self._idle[connection] = None
        while len(self._idle) > self.idle_limit:
            oldest, _ = self._idle.popitem(last=False)
            self._pools[oldest.key].remove(oldest)
            oldest.close()

    def _pooled(self, key: tuple[str, str, int]) -> _Connection | None:
        pool = self._pools.get(key)
        if not pool:
            return None
        now = asyncio.get_running_loop().time()
        while pool:
            connection = pool.pop()  # the most recently used: the likeliest still open
            del self._idle[connection]
            if not connection.closed and now - connection.idle_since < self._keepalive:
                return connection
            connection.close()
        return None

    async def _connect(self, key: tuple[str, str, int]) -> _Connection:
        scheme, host, port = key
        addresses = await self.guard.addresses(host)
        if not addresses:  # a guard for a proxied run; direct runs always resolve
            raise TransportError(f"cannot connect: {host}: the name does not resolve here", retryable=False,
                                 cause=LinkCause.CONNECT)
        if len(self.lookups) < 10_000:
            self.lookups.append((host, port, addresses))
        tls = self.context if scheme == "https" else None
        loop = asyncio.get_running_loop()
        last: OSError | None = None
        for address in addresses:
            try:
                _, connection = await asyncio.wait_for(loop.create_connection(
                    lambda: _Connection(key), address, port, ssl=tls,
                    server_hostname=host if tls is not None else None,
                    ssl_handshake_timeout=self._connect_timeout if tls is not None else None,
                ), self._connect_timeout)
            except ssl.SSLError as exc:
                raise TransportError(f"TLS: {ssl_reason(exc)}", retryable=False, cause=LinkCause.TLS) from exc
            except OSError as exc:
                last = exc
                continue
            self.connections_opened += 1
            return connection
        assert last is not None
        if isinstance(last, ConnectionRefusedError):
            raise TransportError("connection refused", retryable=True, cause=LinkCause.CONNECT) from last
        raise TransportError(f"cannot connect: {last.strerror or last}", retryable=True,
                             cause=LinkCause.CONNECT) from last

    @property
    def context(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = ssl_context(self._verify)
        return self._context

    def _keep_cookies(self, url: str, headers: ResponseHeaders) -> None:
        import http.cookiejar
        import urllib.request
        from email.message import Message

        if self._jar is None:
            # cookies from IP hosts too, as browsers and httpx keep them
            self._jar = http.cookiejar.CookieJar()
        info = Message()
        for value in headers.set_cookies:
            info["Set-Cookie"] = value
        self._jar.extract_cookies(_CookieResponse(info), urllib.request.Request(url))


class _CookieResponse:
    """What ``CookieJar.extract_cookies`` reads of a response."""

    def __init__(self, info: Any) -> None:
        self._info = info

    def info(self) -> Any:
        return self._info


def _split(url: str) -> tuple[SplitResult, tuple[str, str, int], str]:
    """The URL's parts, its pool key (scheme, host, port) and the request target."""
    try:
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        host = parts.hostname
        port = parts.port or _DEFAULT_PORTS.get(scheme)
    except ValueError as exc:  # a port out of range or not a number
        raise TransportError(f"invalid URL: {exc}", retryable=False) from exc
    if scheme not in _DEFAULT_PORTS or not host or port is None:
        raise TransportError(f"invalid URL: {url[:200]!r} is not an absolute http(s) URL", retryable=False)
    target = parts.path or "/"
    if parts.query:
        target = f"{target}?{parts.query}"
    if not _FORBIDDEN_IN_TARGET.isdisjoint(target) or not _FORBIDDEN_IN_TARGET.isdisjoint(parts.netloc):
        raise TransportError("invalid URL: it has spaces or control characters", retryable=False)
    return parts, (scheme, host, port), target
