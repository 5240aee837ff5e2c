"""One request of a redirect chain: send a GET, read what the verdict needs, close.

The GET streams: headers first, then at most a bounded prefix of the body (titles and
soft-404 tests need only the start of a page). GET rather than HEAD, because many
servers answer HEAD wrongly (405, 404, 500) while serving GET fine.
"""

from __future__ import annotations

import ssl
from dataclasses import dataclass, field

import httpx

from footcheck.check.body import drain, read_prefix
from footcheck.check.page import media_type

_ANALYSED_ERRORS = frozenset({401, 403, 429, 451, 503, 999})


@dataclass(slots=True)
class Hop:
    """What one request got; filled in as it arrives, so a timeout can say how far."""

    url: httpx.URL
    status: int | None = None
    headers: httpx.Headers = field(default_factory=httpx.Headers)
    next_url: httpx.URL | None = None  # the resolved Location of a redirect
    bad_location: str | None = None  # why a redirect's Location cannot be followed
    body: bytes = b""
    complete: bool = False  # the whole body (or nothing was wanted) was read


def body_limit(status: int, headers: httpx.Headers, max_body_bytes: int) -> int:
    """How much of a body to read: pages and challenge walls yes, PDFs and 404s no."""
    kind = media_type(headers.get("content-type"))
    textual = kind in ("", "text/html", "application/xhtml+xml", "text/plain")
    if 200 <= status < 300 or status in _ANALYSED_ERRORS or status >= 500:
        return max_body_bytes if textual else 0
    return 0


async def fetch(client: httpx.AsyncClient, request: httpx.Request, hop: Hop, max_body: int) -> None:
    """Send ``request`` and fill ``hop``; network errors propagate to the caller."""
    response = await client.send(request, stream=True)
    try:
        hop.status = response.status_code
        hop.headers = response.headers
        hop.bad_location = response.extensions.get("footcheck.bad_location")
        if response.next_request is not None:
            hop.next_url = response.next_request.url
            hop.complete = await drain(response)
            return
        limit = body_limit(response.status_code, response.headers, max_body)
        if limit:
            hop.body, hop.complete = await read_prefix(response, limit)
        else:
            hop.complete = await drain(response)
    finally:
        await response.aclose()


def network_error(exc: BaseException) -> tuple[str, bool]:
    """(detail, retryable) for an exception raised while connecting or reading."""
    chain = list(_causes(exc))
    for cause in chain:
        if isinstance(cause, ssl.SSLError):
            return f"TLS: {_ssl_reason(cause)}", False
    for cause in chain:
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused", True
        if isinstance(cause, ConnectionResetError):
            return "connection reset by the server", True
    if isinstance(exc, httpx.RemoteProtocolError):
        text = str(exc)
        if "location header" in text.lower():
            return f"invalid redirect: {text}", False
        return f"the server broke the HTTP protocol: {text}", True
    if isinstance(exc, httpx.ConnectError):
        text = str(exc) or type(exc).__name__
        if "refused" in text.lower() or "all connection attempts failed" in text.lower():
            return "connection refused", True
        return f"cannot connect: {text}", True
    if isinstance(exc, (httpx.ReadError, httpx.WriteError)):
        return f"the connection broke: {exc or type(exc).__name__}", True
    return f"{type(exc).__name__}: {exc}", False


def _causes(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen and len(seen) < 10:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


def _ssl_reason(exc: ssl.SSLError) -> str:
    if isinstance(exc, ssl.SSLCertVerificationError) and exc.verify_message:
        return f"certificate verify failed: {exc.verify_message}"
    text = str(exc.reason or exc)
    return text.split(" (_ssl.c", 1)[0]
