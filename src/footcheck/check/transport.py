"""The link checker's transport seam: send one GET, get a status, headers and raw body.

The checker needs very little from an HTTP stack (no redirects followed, no body
decoding: it reads a bounded prefix and decodes it itself, see ``body.py``), so it talks
to this small protocol rather than to one library. Two implementations:

* :class:`footcheck.check.h1.H1Transport`, what a run uses: HTTP/1.1 of our own on
  asyncio and llhttp (``httptools``), its connections opened only to addresses the guard
  vetted. It costs about a sixth of the CPU per request of httpx over httpcore and under
  half of aiohttp's (``benchmarks/links.md``); the HTTP stack was most of the link
  checker's CPU.
* :class:`HttpxTransport`, any ``httpx.AsyncBaseTransport`` behind the same protocol:
  runs behind an HTTP proxy (httpx's proxy transport, CONNECT for https) and callers or
  tests that bring their own (``httpx.MockTransport``).

Errors: an implementation raises :class:`TransportError` (with the report's detail) for
anything the network or the server did, ``TimeoutError`` for a timeout, and lets the
guard's ``AddressRefused`` and ``ResolutionError`` through unchanged.
"""

from __future__ import annotations

import ssl
import typing
from collections.abc import AsyncIterator, Mapping

import httpx

from footcheck.check.guard import Guard
from footcheck.check.options import CheckOptions, Resolver
from footcheck.check.proxy import ProxyRoute
from footcheck.check.resolve import SystemResolver
from footcheck.model import LinkCause

Headers = Mapping[str, str]  # case-insensitive in both implementations (httpx.Headers, CIMultiDict)

ACCEPT_ENCODING = "gzip, deflate"  # only what body.py decodes with a bounded output
ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ACCEPT_LANGUAGE = "ru, en"


def request_headers(user_agent: str) -> dict[str, str]:
    """The headers of every request the checker sends."""
    return {
        "User-Agent": user_agent,
        "Accept": ACCEPT,
        "Accept-Language": ACCEPT_LANGUAGE,
        "Accept-Encoding": ACCEPT_ENCODING,
    }


# How a detail starts where its cause is the guard, the DNS or TLS: text for the report
# (the rules read LinkResult.cause, not these).
GUARD_DETAIL = "address guard: "
DNS_DETAIL = "DNS: "
TLS_DETAIL = "TLS: "


class TransportError(Exception):
    """No usable HTTP answer; ``detail`` is for the report."""

    def __init__(self, detail: str, *, retryable: bool, cause: LinkCause | None = None) -> None:
        super().__init__(detail)
        self.detail = detail
        self.retryable = retryable
        self.cause = cause


class Response(typing.Protocol):
    @property
    def status(self) -> int: ...

    @property
    def headers(self) -> Headers: ...

    @property
    def preloaded(self) -> bytes | None:
        """A body the transport already read and decoded (``httpx.MockTransport``)."""

    async def read_chunk(self) -> bytes:
        """The next part of the body as it arrives, still content-encoded (gzip ...);
        ``b""`` at its end. (A method, not an async iterator: async generators cost
        more per call than the rest of the read.)"""

    async def aclose(self) -> None:
        """Done with the response: the connection is kept only if its body was read."""


class Transport(typing.Protocol):
    def cookies(self, url: str) -> str:
        """The Cookie header a request to ``url`` would carry now ("" for none)."""

    async def send(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        """GET ``url`` (no redirect followed); the caller must ``aclose`` the response.

        ``url`` is an absolute URL as ``str(httpx.URL(...))`` writes it: already
        percent-encoded, the host in punycode. ``headers`` (a host's own, from its
        ``[links.hosts.*]`` table) go over the transport's default headers."""

    async def aclose(self) -> None: ...


class _HttpxResponse:
    __slots__ = ("_chunks", "_response")

    def __init__(self, response: httpx.Response) -> None:
        self._response = response
        self._chunks: AsyncIterator[bytes] | None = None

    @property
    def status(self) -> int:
        return self._response.status_code

    @property
    def headers(self) -> Headers:
        return self._response.headers

    @property
    def preloaded(self) -> bytes | None:
        try:
            return self._response.content
        except httpx.ResponseNotRead:
            return None

    async def read_chunk(self) -> bytes:
        if self._chunks is None:
            self._chunks = self._response.aiter_raw()
        try:
            return await anext(self._chunks, b"")
        except httpx.TimeoutException as exc:
            raise TimeoutError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise httpx_error(exc) from exc

    async def aclose(self) -> None:
        await self._response.aclose()


class HttpxTransport:
    """An httpx transport behind the seam; cookies kept as ``httpx.AsyncClient`` does."""

    def __init__(self, transport: httpx.AsyncBaseTransport, headers: Mapping[str, str],
                 timeout: float = 30.0) -> None:
        self.transport = transport
        self._headers = dict(headers)
        self._cookies = httpx.Cookies()
        self._timeout = httpx.Timeout(timeout).as_dict()

    def cookies(self, url: str) -> str:
        request = httpx.Request("GET", url)
        self._cookies.set_cookie_header(request)
        return str(request.headers.get("cookie", ""))

    async def send(self, url: str, headers: Mapping[str, str] | None = None) -> Response:
        request = httpx.Request("GET", url, headers={**self._headers, **headers} if headers else self._headers,
                                extensions={"timeout": self._timeout})
        self._cookies.set_cookie_header(request)
        try:
            response = await self.transport.handle_async_request(request)
        except httpx.TimeoutException as exc:
            raise TimeoutError(str(exc)) from exc
        except httpx.HTTPError as exc:
            raise httpx_error(exc) from exc
        response.request = request
        self._cookies.extract_cookies(response)
        return _HttpxResponse(response)

    async def aclose(self) -> None:
        await self.transport.aclose()


def httpx_error(exc: BaseException) -> TransportError:
    """The report's detail for an httpx exception raised while connecting or reading."""
    chain = causes(exc)
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            return TransportError(f"TLS: {ssl_reason(cause)}", retryable=False, cause=LinkCause.TLS)
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError):
            return TransportError("connection refused", retryable=True, cause=LinkCause.CONNECT)
        if isinstance(cause, ConnectionResetError):
            return TransportError("connection reset by the server", retryable=True)
    if isinstance(exc, httpx.RemoteProtocolError):
        return TransportError(f"the server broke the HTTP protocol: {exc}", retryable=True)
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or type(exc).__name__
        if "refused" in text.lower() or "all connection attempts failed" in text.lower():
            return TransportError("connection refused", retryable=True, cause=LinkCause.CONNECT)
        return TransportError(f"cannot connect: {text}", retryable=True, cause=LinkCause.CONNECT)
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return TransportError(f"the connection broke: {exc or type(exc).__name__}", retryable=True)
    return TransportError(f"{type(exc).__name__}: {exc}", retryable=False)


def causes(exc: BaseException) -> list[BaseException]:
    """``exc`` and what it was raised from (at most ten)."""
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def ssl_reason(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_message:
        return f"certificate verify failed: {exc.verify_message}"
    text = str(exc.reason or exc)
    return text.split(" (_ssl.c", 1)[0]


def build_transport(
    options: CheckOptions,
    resolver: Resolver | None = None,
    *,
    verify: ssl.SSLContext | bool = True,
    guard: Guard | None = None,
    route: ProxyRoute | None = None,
) -> Transport:
    """The transport of a run: our HTTP/1.1 through the guard, or behind the proxy ``route``
    (if any) httpx's proxy transport; ``verify`` lets tests trust their own authority."""
    if guard is None:
        guard = Guard(
            resolver if resolver is not None else SystemResolver(),
            allow_private=options.allow_private,
            allow_networks=options.allow_networks,
        )
    headers = request_headers(options.user_agent)
    if route is None:
        from footcheck.check.h1 import H1Transport

        return H1Transport(guard, headers, concurrency=options.concurrency,
                           verify=verify, timeout=options.longest_timeout)
    from footcheck.check.client import build_proxied

    return HttpxTransport(build_proxied(options, guard, route, ssl_context(verify)), headers,
                         options.longest_timeout)


def ssl_context(verify: ssl.SSLContext | bool) -> ssl.SSLContext:
    """The TLS settings of both stacks: httpx's (certifi's roots; the one context per
    process the Wayback and registry clients share), or the caller's context."""
    if isinstance(verify, ssl.SSLContext):
        return verify
    if verify:
        from footcheck._tls import client_context

        return client_context(trust_env=False)
    return httpx.create_ssl_context(verify=False, trust_env=False)
