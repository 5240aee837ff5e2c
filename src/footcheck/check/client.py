"""The one httpx client a run uses: connection reuse, honest headers, guarded sockets."""

from __future__ import annotations

import ssl

import httpcore
import httpx

from footcheck.check.guard import Guard, GuardedBackend
from footcheck.check.options import CheckOptions, Resolver
from footcheck.check.resolve import SystemResolver

# Only what we can decode ourselves with a bounded output (see body.py): brotli and
# zstd are not installed, and letting httpx decode would inflate a whole network chunk
# at once, which is how a compression bomb gets its memory.
ACCEPT_ENCODING = "gzip, deflate"
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "ru, en"


class GuardedTransport(httpx.AsyncHTTPTransport):
    """httpx's own transport with its connection pool opened through the guard.

    httpx does not let callers choose the pool's network backend, so the pool is
    rebuilt with the same settings; a test asserts that it still is the pool in use.
    """

    def __init__(
        self,
        guard: Guard,
        *,
        limits: httpx.Limits,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        context = verify if isinstance(verify, ssl.SSLContext) else httpx.create_ssl_context(
            verify=verify, trust_env=False
        )
        super().__init__(verify=context, trust_env=False, limits=limits)
        self.backend = GuardedBackend(guard)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            http1=True,
            http2=False,
            network_backend=self.backend,
        )


def pool_limits(options: CheckOptions) -> httpx.Limits:
    # One connection per request in flight; idle ones to finished hosts are evicted by
    # httpcore when the pool is full, so no host is starved.
    return httpx.Limits(
        max_connections=options.concurrency,
        max_keepalive_connections=options.concurrency,
        keepalive_expiry=15.0,
    )


def build_transport(
    options: CheckOptions,
    resolver: Resolver | None = None,
    *,
    verify: ssl.SSLContext | bool = True,
    guard: Guard | None = None,
) -> GuardedTransport:
    """A guarded transport; ``verify`` lets tests trust their own certificate authority."""
    if guard is None:
        guard = Guard(
            resolver if resolver is not None else SystemResolver(),
            allow_private=options.allow_private,
            allow_networks=options.allow_networks,
        )
    return GuardedTransport(guard, limits=pool_limits(options), verify=verify)


def build_client(options: CheckOptions, transport: httpx.AsyncBaseTransport) -> httpx.AsyncClient:
    return httpx.AsyncClient(
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
        trust_env=False,  # a proxy would connect to addresses the guard never saw
    )
