"""httpx over httpcore, for runs behind an HTTP proxy: guarded sockets, small pools.

Direct runs use footcheck's own HTTP/1.1 (``h1.py``); behind a proxy the requests go through httpx's
proxy transport (CONNECT for https, absolute URLs for http), and the ``NO_PROXY`` hosts
through :class:`GuardedTransport`, whose sockets open through the guard. Both are put
behind the checker's transport seam by ``transport.HttpxTransport``.
"""

from __future__ import annotations

import importlib.util
import ssl
import sys
import typing
from collections import Counter, OrderedDict
from collections.abc import Iterable

import httpcore
import httpx

from footcheck.check.guard import Guard
from footcheck.check.options import CheckOptions
from footcheck.check.proxy import ProxyRoute


def _fast_fail_missing_sniffio() -> None:
    """Make httpcore's per-lock ``import sniffio`` fail at once when it is not installed.

    httpcore 1.0 imports sniffio each time it sets up a lock or an event (several per
    request); without sniffio every attempt walks the import path, which was a fifth of
    the checker's CPU. A ``None`` entry in ``sys.modules`` raises the same ImportError
    immediately. Installing sniffio makes this a no-op.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore network backend that connects only to addresses the guard vetted."""

    def __init__(self, guard: Guard, inner: httpcore.AsyncNetworkBackend | None = None) -> None:
        self._guard = guard
        self._inner = inner if inner is not None else httpcore.AnyIOBackend()
        self.connected: list[tuple[str, str, int]] = []  # (host, address, port), for tests

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = await self._guard.addresses(host)
        if not addresses:
            raise httpcore.ConnectError(f"{host}: the name does not resolve here")
        error: Exception | None = None
        for address in addresses:
            try:
                stream = await self._inner.connect_tcp(
                    address,
                    port,
                    timeout=timeout,
                    local_address=local_address,
                    socket_options=socket_options,
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            if len(self.connected) < 10_000:
                self.connected.append((host, address, port))
            return stream
        assert error is not None
        raise error

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,
        socket_options: Iterable[typing.Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("the link checker does not use unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class _OriginTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport for one origin, its pool opened through the guard.

    httpx does not let callers choose the pool's network backend, so the pool is
    rebuilt with the same settings; a test asserts that it is the pool in use.
    """

    def __init__(self, backend: GuardedBackend, context: ssl.SSLContext, limits: httpx.Limits):
        super().__init__(verify=context, trust_env=False, limits=limits)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=backend,
        )


class _CountedStream(httpx.AsyncByteStream):
    """A response body that tells its transport when it is closed."""

    def __init__(self, stream: httpx.AsyncByteStream, done: typing.Callable[[], None]) -> None:
        self._stream = stream
        self._done: typing.Callable[[], None] | None = done

    async def __aiter__(self) -> typing.AsyncIterator[bytes]:
        async for chunk in self._stream:
            yield chunk

    async def aclose(self) -> None:
        try:
            await self._stream.aclose()
        finally:
            done, self._done = self._done, None
            if done is not None:
                done()


class GuardedTransport(httpx.AsyncBaseTransport):
    """One small connection pool per origin; every socket is opened through the guard.

    A single pool for all hosts would do, but httpcore assigns queued requests to
    connections by scanning every connection for every request, which at 128
    connections costs more CPU than the whole rest of a check. Pools of ``per_host``
    connections keep that scan tiny. The number of pools is capped (least recently
    used idle pools are closed), which also caps open sockets at about
    ``max_pools * per_host``.
    """

    def __init__(
        self,
        guard: Guard,
        *,
        per_host: int,
        max_pools: int,
        verify: ssl.SSLContext | bool = True,
        keepalive_expiry: float = 15.0,
    ) -> None:
        self._context = (
            verify
            if isinstance(verify, ssl.SSLContext)
            else httpx.create_ssl_context(verify=verify, trust_env=False)
        )
        _fast_fail_missing_sniffio()
        self.backend = GuardedBackend(guard)
        self._limits = httpx.Limits(
            max_connections=per_host,
            max_keepalive_connections=per_host,
            keepalive_expiry=keepalive_expiry,
        )
        self._max_pools = max(1, max_pools)
        self._pools: OrderedDict[tuple[bytes, bytes, int | None], _OriginTransport] = (
            OrderedDict()
        )
        self._busy: Counter[tuple[bytes, bytes, int | None]] = Counter()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        key = (request.url.raw_scheme, request.url.raw_host, request.url.port)
        pool = self._pools.get(key)
        if pool is None:
            await self._evict_idle()
            pool = self._pools[key] = _OriginTransport(self.backend, self._context, self._limits)
        self._pools.move_to_end(key)
        self._busy[key] += 1

        def done() -> None:
            self._busy[key] -= 1

        try:
            response = await pool.handle_async_request(request)
        except BaseException:
            done()
            raise
        assert isinstance(response.stream, httpx.AsyncByteStream)
        return httpx.Response(
            status_code=response.status_code,
            headers=response.headers,
            stream=_CountedStream(response.stream, done),
            extensions=response.extensions,
        )

    async def _evict_idle(self) -> None:
        closing = []
        for key in list(self._pools):
            if len(self._pools) < self._max_pools:
                break
            if self._busy[key] <= 0 and key in self._pools:
                # taken out before any await: a task evicting at the same time must not
                # find (and pop) the same pool again
                closing.append(self._pools.pop(key))
                self._busy.pop(key, None)
        for pool in closing:
            await pool.aclose()

    @property
    def context(self) -> ssl.SSLContext:
        return self._context

    @property
    def pools(self) -> int:
        return len(self._pools)

    async def aclose(self) -> None:
        pools, self._pools = list(self._pools.values()), OrderedDict()
        for pool in pools:
            await pool.aclose()


class ProxiedTransport(httpx.AsyncBaseTransport):
    """Requests for proxied hosts go through httpx's proxy transport (CONNECT for
    https, absolute URLs for http); NO_PROXY hosts go through the guarded one. The
    checker vets every target host with the guard before the request either way."""

    def __init__(self, direct: GuardedTransport, route: ProxyRoute, *, per_host: int, max_connections: int) -> None:
        self.direct = direct
        self.route = route
        limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=per_host * 4)
        self._proxied = {
            proxy: httpx.AsyncHTTPTransport(proxy=httpx.Proxy(proxy), verify=direct.context, trust_env=False,
                                            limits=limits)
            for proxy in route.proxies
        }
        self.requests = 0  # sent through a proxy, for tests

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        proxy = self.route.proxy_for(request.url)
        if proxy is None:
            return await self.direct.handle_async_request(request)
        self.requests += 1
        return await self._proxied[proxy].handle_async_request(request)

    async def aclose(self) -> None:
        await self.direct.aclose()
        for transport in self._proxied.values():
            await transport.aclose()


def build_proxied(options: CheckOptions, guard: Guard, route: ProxyRoute, context: ssl.SSLContext
                  ) -> ProxiedTransport:
    """The httpx transport of a run behind the proxy ``route``."""
    direct = GuardedTransport(
        guard,
        per_host=options.per_host,
        # enough pools for every host that can be busy at once, and as many idle ones
        # (at least 64: a paper cites dozens of hosts, and closing a host's pool while its
        # URLs are still queued means new connections for each)
        max_pools=max(64, 2 * -(-options.concurrency // options.per_host)),
        verify=context,
    )
    return ProxiedTransport(direct, route, per_host=options.per_host, max_connections=options.concurrency)
