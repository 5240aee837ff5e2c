"""The one httpx client a run uses: connection reuse, honest headers, guarded sockets."""

from __future__ import annotations

import importlib.util
import ssl
import sys
import typing
from collections import Counter, OrderedDict

import httpcore
import httpx

from footcheck.check.guard import Guard, GuardedBackend
from footcheck.check.options import CheckOptions, Resolver
from footcheck.check.proxy import ProxyRoute
from footcheck.check.resolve import SystemResolver

# Only what we can decode ourselves with a bounded output (see body.py): brotli and
# zstd are not installed, and letting httpx decode would inflate a whole network chunk
# at once, which is how a compression bomb gets its memory.
ACCEPT_ENCODING = "gzip, deflate"
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "ru, en"


def _fast_fail_missing_sniffio() -> None:
    """Make httpcore's per-lock ``import sniffio`` fail at once when it is not installed.

    httpcore 1.0 imports sniffio each time it sets up a lock or an event (several per
    request); without sniffio every attempt walks the import path, which was a fifth of
    the checker's CPU. A ``None`` entry in ``sys.modules`` raises the same ImportError
    immediately. Installing sniffio makes this a no-op.
    """
    if "sniffio" not in sys.modules and importlib.util.find_spec("sniffio") is None:
        sys.modules["sniffio"] = None  # type: ignore[assignment]


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


def build_transport(
    options: CheckOptions,
    resolver: Resolver | None = None,
    *,
    verify: ssl.SSLContext | bool = True,
    guard: Guard | None = None,
    route: ProxyRoute | None = None,
) -> GuardedTransport | ProxiedTransport:
    """A guarded transport (behind the proxy ``route``, if any); ``verify`` lets tests
    trust their own certificate authority."""
    if guard is None:
        guard = Guard(
            resolver if resolver is not None else SystemResolver(),
            allow_private=options.allow_private,
            allow_networks=options.allow_networks,
        )
    direct = GuardedTransport(
        guard,
        per_host=options.per_host,
        # enough pools for every host that can be busy at once, and as many idle ones
        # (at least 64: a paper cites dozens of hosts, and closing a host's pool while its
        # URLs are still queued means new connections for each, which made per-host 8
        # slower than 4 on 50 hosts)
        max_pools=max(64, 2 * -(-options.concurrency // options.per_host)),
        verify=verify,
    )
    if route is None:
        return direct
    return ProxiedTransport(direct, route, per_host=options.per_host, max_connections=options.concurrency)


BAD_LOCATION = "footcheck.bad_location"  # response extension: why its Location is unusable
_NOT_WEB_SCHEMES = frozenset({"javascript", "data", "vbscript", "about", "blob"})


def location_problem(request_url: httpx.URL, location: str) -> str | None:
    """Why a ``Location`` cannot be followed, or None.

    httpx resolves every redirect's ``Location`` as the response arrives, even one it
    will not follow, and raises on those it cannot read (``javascript:``, ``http:\\x``,
    a port past 65535), which would lose the response. This asks the same questions
    first, so such a redirect is a verdict with the ``Location`` in its detail.
    """
    shown = location if len(location) <= 200 else location[:199] + "…"
    if "\\" in location.split("?", 1)[0]:
        return f"Location {shown!r} has backslashes (browsers read them as slashes)"
    try:
        url = httpx.URL(location)
        if url.scheme.lower() in _NOT_WEB_SCHEMES:
            return f"Location {shown!r} is not a web address"
        if url.scheme and not url.host:
            url = url.copy_with(host=request_url.host)
        if url.is_relative_url:
            url = request_url.join(url)
        port = url.port
    except (httpx.InvalidURL, ValueError, UnicodeError, TypeError) as exc:
        return f"Location {shown!r} is not a valid URL ({exc})"
    if port is not None and not 0 < port < 65536:
        return f"Location {shown!r} names port {port}, out of range"
    return None


async def _vet_location(response: httpx.Response) -> None:
    """Response hook: an unusable ``Location`` is taken out and noted (see above)."""
    if not 300 <= response.status_code < 400 or "location" not in response.headers:
        return
    problem = location_problem(response.request.url, response.headers["location"])
    if problem is not None:
        response.extensions[BAD_LOCATION] = problem
        del response.headers["location"]


def build_client(options: CheckOptions, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        event_hooks={"response": [_vet_location]},
        transport=transport,
        headers={
            "User-Agent": options.user_agent,
            "Accept": ACCEPT,
            "Accept-Language": ACCEPT_LANGUAGE,
            "Accept-Encoding": ACCEPT_ENCODING,
        },
        # The per-URL deadline is enforced around each request; these only stop a
        # single phase from outliving it should that enforcement ever be bypassed.
        timeout=httpx.Timeout(options.timeout),
        follow_redirects=False,  # followed by hand: every hop is vetted and recorded
        trust_env=False,  # proxies are routed by ProxiedTransport, after the guard
    )
