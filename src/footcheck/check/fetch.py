"""One request of a redirect chain: send a GET, read what the verdict needs, close.

The GET streams: headers first, then at most a bounded prefix of the body (titles and
soft-404 tests need only the start of a page). GET rather than HEAD, because many
servers answer HEAD wrongly (405, 404, 500) while serving GET fine.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

from footcheck.check.body import drain, read_prefix
from footcheck.check.page import media_type
from footcheck.check.transport import Headers, Transport

_ANALYSED_ERRORS = frozenset({401, 403, 429, 451, 503, 999})
REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})  # the ones httpx (and browsers) follow
_NOT_WEB_SCHEMES = frozenset({"javascript", "data", "vbscript", "about", "blob"})


@dataclass(slots=True)
class Hop:
    """What one request got; filled in as it arrives, so a timeout can say how far."""

    url: httpx.URL
    status: int | None = None
    headers: Headers = field(default_factory=dict)
    next_url: httpx.URL | None = None  # the resolved Location of a redirect
    bad_location: str | None = None  # why a redirect's Location cannot be followed
    body: bytes = b""
    complete: bool = False  # the whole body (or nothing was wanted) was read


def body_limit(status: int, headers: Headers, max_body_bytes: int) -> int:
    """How much of a body to read: pages and challenge walls yes, PDFs and 404s no."""
    kind = media_type(headers.get("content-type"))
    textual = kind in ("", "text/html", "application/xhtml+xml", "text/plain")
    if 200 <= status < 300 or status in _ANALYSED_ERRORS or status >= 500:
        return max_body_bytes if textual else 0
    return 0


async def fetch(transport: Transport, url: httpx.URL, text: str, hop: Hop, max_body: int,
                headers: Mapping[str, str] | None = None) -> None:
    """GET ``url`` (``text`` is ``str(url)``) and fill ``hop``; network errors propagate."""
    response = await transport.send(text, headers)
    try:
        hop.status = status = response.status
        hop.headers = headers = response.headers
        if status in REDIRECT_CODES and "location" in headers:
            hop.next_url, hop.bad_location = resolve_location(url, headers["location"])
            hop.complete = await drain(response)
            return
        limit = body_limit(status, headers, max_body)
        if limit:
            hop.body, hop.complete = await read_prefix(response, limit)
        else:
            hop.complete = await drain(response)
    finally:
        await response.aclose()


def resolve_location(request_url: httpx.URL, location: str) -> tuple[httpx.URL | None, str | None]:
    """Where a redirect's ``Location`` leads, resolved as httpx resolves it; or why it
    cannot be followed (``javascript:``, ``http:\\x``, a port past 65535 ...), so such a
    redirect is a verdict with the ``Location`` in its detail."""
    shown = location if len(location) <= 200 else location[:199] + "…"
    if "\\" in location.split("?", 1)[0]:
        return None, f"Location {shown!r} has backslashes (browsers read them as slashes)"
    try:
        url = httpx.URL(location)
        if url.scheme.lower() in _NOT_WEB_SCHEMES:
            return None, f"Location {shown!r} is not a web address"
        if url.scheme and not url.host:
            url = url.copy_with(host=request_url.host)
        if url.is_relative_url:
            url = request_url.join(url)
        port = url.port
        if request_url.fragment and not url.fragment:  # RFC 9110 10.2.2, as httpx does
            url = url.copy_with(fragment=request_url.fragment)
    except (httpx.InvalidURL, ValueError, UnicodeError, TypeError) as exc:
        return None, f"Location {shown!r} is not a valid URL ({exc})"
    if port is not None and not 0 < port < 65536:
        return None, f"Location {shown!r} names port {port}, out of range"
    return url, None


def location_problem(request_url: httpx.URL, location: str) -> str | None:
    """Why a ``Location`` (or a meta refresh target) cannot be followed, or None."""
    return resolve_location(request_url, location)[1]
