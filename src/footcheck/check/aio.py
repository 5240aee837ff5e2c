"""aiohttp behind the transport seam (``transport.py``), every connection through the guard.

aiohttp resolves a host name through its connector's resolver each time it opens a
connection (its DNS cache is off here), and connects only to the addresses that
resolver returns. :class:`GuardResolver` answers with :meth:`Guard.addresses`: the
addresses the guard vetted, memoised for the run, so what was vetted before the request
is exactly what the socket connects to, and a DNS answer that changes in between
(rebinding) cannot slip through. aiohttp does not ask the resolver for an IP literal,
so :meth:`AiohttpTransport.send` vets those itself. TLS still verifies the certificate
against the host name: aiohttp sends the URL's host as SNI whatever address it
connected to.

Bodies are not decompressed (``auto_decompress=False``): ``body.py`` inflates a bounded
prefix itself. Redirects are not followed: the checker follows them hop by hop, vetting
each hop with the guard. Cookies are kept for the run (the jar accepts cookies from IP
hosts, as httpx does), so a redirect that sets a cookie and sends the reader back works.

Imported only when links are checked online (aiohttp's import is not free).
"""

from __future__ import annotations

import asyncio
import socket
import ssl
from collections import OrderedDict
from collections.abc import Mapping
from typing import Any

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from footcheck.check.guard import Guard, parse_address
from footcheck.check.transport import Headers, Response, TransportError, causes, ssl_context, ssl_reason
from footcheck.model import LinkCause


class GuardResolver(AbstractResolver):
    """aiohttp's resolver: only the addresses the guard vetted (raises its refusal)."""

    def __init__(self, guard: Guard) -> None:
        self._guard = guard
        self.lookups: list[tuple[str, int, list[str]]] = []  # (host, port, addresses), for tests

    async def resolve(self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
                      ) -> list[ResolveResult]:
        addresses = await self._guard.addresses(host)
        if not addresses:  # behind a proxy only; proxied runs do not use aiohttp
            raise TransportError(f"cannot connect: {host}: the name does not resolve here", retryable=False,
                                 cause=LinkCause.CONNECT)
        if len(self.lookups) < 10_000:
            self.lookups.append((host, port, addresses))
        results: list[ResolveResult] = []
        for address in addresses:
            kind = socket.AF_INET6 if ":" in address else socket.AF_INET
            if family in (socket.AF_UNSPEC, kind):
                results.append({"hostname": host, "host": address, "port": port, "family": kind,
                                "proto": 0, "flags": socket.AI_NUMERICHOST})
        if not results:
            raise TransportError(f"cannot connect: {host}: no address of the asked family", retryable=False,
                                 cause=LinkCause.CONNECT)
        return results

    async def close(self) -> None:
        pass


class _IdlePool:
    """Bounds the connections aiohttp keeps open between requests.

    aiohttp caps connections in use (``limit``) but keeps every idle one until its
    keep-alive runs out: a paper citing 1,500 hosts held 1,500 sockets and, under the
    common limit of 1,024 open files, 484 of its links failed with "Too many open files".
    The connector tells the pool which connection each request got (``taken``, by
    task: aiohttp lets go of a response's connection as soon as a short body is read);
    when the request is done its connection counts as idle and, past ``limit`` of
    them, the oldest is closed; aiohttp drops a closed connection when it next looks in
    the pool. Only public parts of aiohttp are used (``BaseConnector.connect``,
    ``Connection.protocol``, the protocol's ``is_connected`` and ``close``).
    """

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._idle: OrderedDict[Any, None] = OrderedDict()  # protocol -> None, oldest first
        self._by_task: dict[asyncio.Task[Any] | None, Any] = {}

    def __len__(self) -> int:
        return len(self._idle)

    def taken(self, protocol: Any) -> None:
        """The running task's request got this connection: it is not idle."""
        self._idle.pop(protocol, None)
        self._by_task[asyncio.current_task()] = protocol

    def current(self) -> Any:
        """The connection the running task's last request got (None: not known)."""
        return self._by_task.pop(asyncio.current_task(), None)

    def released(self, protocol: Any) -> None:
        """The connection went back to the pool (if aiohttp kept it open)."""
        if protocol is None or not protocol.is_connected():
            return
        self._idle[protocol] = None
        if len(self._idle) <= self.limit:
            return
        for old in [p for p in self._idle if not p.is_connected()]:  # closed by the server or expired
            del self._idle[old]
        while len(self._idle) > self.limit:
            oldest, _ = self._idle.popitem(last=False)
            oldest.close()


class _TrackingConnector(aiohttp.TCPConnector):
    """aiohttp's connector, telling the idle pool which connection a request got."""

    def __init__(self, idle: _IdlePool, **options: Any) -> None:
        super().__init__(**options)
        self._idle_pool = idle

    async def connect(self, req: Any, traces: Any, timeout: Any) -> aiohttp.connector.Connection:
        connection = await super().connect(req, traces, timeout)
        if connection.protocol is not None:
            self._idle_pool.taken(connection.protocol)
        return connection


class _AioResponse:
    __slots__ = ("_idle", "_protocol", "_response")

    def __init__(self, response: aiohttp.ClientResponse, idle: _IdlePool) -> None:
        self._response = response
        self._idle = idle
        self._protocol = idle.current()

    @property
    def status(self) -> int:
        return self._response.status

    @property
    def headers(self) -> Headers:
        return self._response.headers

    @property
    def preloaded(self) -> bytes | None:
        return None

    async def read_chunk(self) -> bytes:
        try:
            return await self._response.content.readany()
        except (TimeoutError, asyncio.TimeoutError):
            raise
        except aiohttp.ClientError as exc:
            raise aiohttp_error(exc, reading=True) from exc

    async def aclose(self) -> None:
        # the connection goes back to the pool only if its body was read to the end
        self._response.release()
        self._idle.released(self._protocol)


class AiohttpTransport:
    """One aiohttp session for a run; its connector asks :class:`GuardResolver`."""

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
        self.resolver = GuardResolver(guard)
        self._headers = dict(headers)
        self._concurrency = concurrency
        self._verify = verify
        self._context: ssl.SSLContext | None = None  # made on the first https URL (loading roots is not free)
        self._timeout = timeout
        self._keepalive = keepalive_expiry
        self._session: aiohttp.ClientSession | None = None
        self._literals: dict[str, bool] = {}  # host -> is an IP literal
        # as many idle connections as may be in use: enough to reuse one for every host
        # the global limit keeps busy, and at most twice the limit of sockets open
        self.idle = _IdlePool(concurrency)

    def _open(self) -> aiohttp.ClientSession:
        # created on first use: an aiohttp session belongs to the running event loop
        connector = _TrackingConnector(
            self.idle,
            # The checker's HostLimiter already keeps to the global limit and to each host's
            # own (which [links.hosts.*] may set above --per-host): aiohttp's per-host limit
            # would cap those at --per-host, so it is off; the global one is a backstop.
            limit=self._concurrency,
            limit_per_host=0,
            use_dns_cache=False,  # every new connection asks the guard (memoised there)
            resolver=self.resolver,
            keepalive_timeout=self._keepalive,
        )
        self._session = aiohttp.ClientSession(
            connector=connector,
            headers=self._headers,
            auto_decompress=False,  # body.py inflates a bounded prefix itself
            cookie_jar=aiohttp.CookieJar(unsafe=True),  # cookies from IP hosts too, as httpx
            # the per-URL deadline is enforced around each request; these only stop a
            # single phase from outliving it should that enforcement ever be bypassed
            # (no sock_read: it re-arms a timer on every chunk read)
            timeout=aiohttp.ClientTimeout(total=None, sock_connect=self._timeout),
            trust_env=False,  # proxied runs go through httpx (client.py), after the guard
            requote_redirect_url=False,
            # aiohttp allows 8 KB a header line by default; a Content-Security-Policy or a
            # cookie can be longer on real sites. 32 KB x at most 128 headers bounds one
            # response's header block at 4 MB (httpcore's h11 allowed 100 KB in all).
            max_line_size=32768,
            max_field_size=32768,
        )
        # aiohttp resends an idempotent request once, on a new connection, whenever the
        # server drops one (even a fresh one); the checker has its own retry policy
        # (counted tries, backoff, the per-URL deadline), so the server would get each
        # try twice. No public switch exists: a test counts the requests a hang-up gets.
        self._session._retry_connection = False
        return self._session

    def cookies(self, url: str) -> str:
        session = self._session
        if session is None or not len(session.cookie_jar):
            return ""
        found = session.cookie_jar.filter_cookies(URL(url, encoded=True))
        return "; ".join(f"{name}={morsel.value}" for name, morsel in found.items())

    async def send(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        target = URL(url, encoded=True)  # encoded: aiohttp must not quote it again
        host = target.raw_host or ""
        literal = self._literals.get(host)
        if literal is None:
            literal = self._literals[host] = parse_address(host) is not None
        if literal:
            await self.guard.addresses(host)  # aiohttp asks no resolver for an IP literal
        try:
            response = await self._get(target, headers)
        except BaseException:
            self.idle.current()  # no response: forget its connection (aiohttp closes it)
            raise
        return _AioResponse(response, self.idle)

    async def _get(self, target: URL, headers: Mapping[str, str] | None) -> aiohttp.ClientResponse:
        session = self._session if self._session is not None else self._open()
        try:
            if target.scheme == "https":
                return await session.get(target, allow_redirects=False, ssl=self.context, headers=headers)
            return await session.get(target, allow_redirects=False, headers=headers)
        except (TimeoutError, asyncio.TimeoutError):
            raise
        except aiohttp.ClientError as exc:
            raise aiohttp_error(exc, reading=False) from exc
        except ValueError as exc:  # yarl or aiohttp refusing the URL itself
            raise TransportError(f"invalid URL: {exc}", retryable=False) from exc

    @property
    def context(self) -> ssl.SSLContext:
        if self._context is None:
            self._context = ssl_context(self._verify)
        return self._context

    async def aclose(self) -> None:
        session, self._session = self._session, None
        if session is not None:
            await session.close()


def aiohttp_error(exc: aiohttp.ClientError, *, reading: bool) -> TransportError:
    """The report's detail for an aiohttp exception (as ``transport.httpx_error``)."""
    if isinstance(exc, aiohttp.ClientConnectorCertificateError):
        return TransportError(f"TLS: {ssl_reason(exc.certificate_error)}", retryable=False, cause=LinkCause.TLS)  # type: ignore[arg-type]
    chain = causes(exc)
    if isinstance(exc, aiohttp.ClientConnectorError):
        chain.append(exc.os_error)
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            return TransportError(f"TLS: {ssl_reason(cause)}", retryable=False, cause=LinkCause.TLS)
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError):
            return TransportError("connection refused", retryable=True, cause=LinkCause.CONNECT)
        if isinstance(cause, ConnectionResetError):
            return TransportError("connection reset by the server", retryable=True)
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        if reading:
            return TransportError("the connection broke: the server closed it mid-body", retryable=True)
        return TransportError(
            "the server broke the HTTP protocol: it disconnected without sending a response", retryable=True
        )
    if isinstance(exc, aiohttp.ClientResponseError):  # a response aiohttp could not parse
        message = exc.message if len(exc.message) <= 200 else exc.message[:199] + "…"  # it may quote the header
        return TransportError(f"the server broke the HTTP protocol: {message}", retryable=True)
    if isinstance(exc, aiohttp.ClientConnectorError):
        error = exc.os_error
        return TransportError(f"cannot connect: {error.strerror or error}", retryable=True, cause=LinkCause.CONNECT)
    if isinstance(exc, (aiohttp.ClientPayloadError, aiohttp.ClientOSError)):
        return TransportError(f"the connection broke: {exc or type(exc).__name__}", retryable=True)
    if isinstance(exc, aiohttp.InvalidURL):
        return TransportError(f"invalid URL: {exc}", retryable=False)
    return TransportError(f"{type(exc).__name__}: {exc}", retryable=False)
