"""Following an archive's redirects by hand, each hop vetted by the address guard.

The Wayback clients (CDX, TimeGate, Save Page Now) are pointed at one service, the
``base_url`` the user chose; that host is trusted as given (a local pywb on
``127.0.0.1`` is a legitimate ``--wayback-url``). A redirect to any *other* host goes
through :class:`footcheck.check.guard.Guard` first, as every hop of the link checker
does: a loopback, private, link-local or reserved address is refused, and so is a
scheme other than http(s). The guard resolves the name before the request is sent;
unlike the link checker's own transport, the socket is then opened by httpx, so a DNS
answer that changes between the two (rebinding) is not caught here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import httpx

if TYPE_CHECKING:
    from footcheck.check.guard import Guard


class HopRefused(Exception):
    """A redirect the client will not follow; ``str()`` says why, for the report."""


def make_guard(allow_private: bool) -> Guard:
    from footcheck.check.guard import Guard
    from footcheck.check.resolve import SystemResolver

    return Guard(SystemResolver(), allow_private=allow_private)


def same_host(url: httpx.URL, base: httpx.URL) -> bool:
    return url.host == base.host


async def vet(url: httpx.URL, base: httpx.URL, guard: Guard) -> None:
    """Raise :class:`HopRefused` unless ``url`` may be requested."""
    from footcheck.check.guard import AddressRefused
    from footcheck.check.options import ResolutionError

    if url.scheme not in ("http", "https"):
        raise HopRefused(f"the archive redirected to {url} (unsupported scheme {url.scheme!r})")
    if same_host(url, base):
        return
    try:
        await guard.addresses(url.raw_host.decode("ascii"))
    except AddressRefused as exc:
        raise HopRefused(f"the archive redirected to {url}, refused: {exc}") from None
    except ResolutionError as exc:
        raise HopRefused(f"the archive redirected to {url}, which does not resolve: {exc}") from None


def next_url(response: httpx.Response) -> httpx.URL | None:
    """The resolved ``Location`` of a redirect, or None; raises HopRefused when it is
    unusable (an invalid URL, a port out of range)."""
    if not (300 <= response.status_code < 400) or "location" not in response.headers:
        return None
    location = response.headers["location"]
    try:
        target = response.url.join(location)
    except (httpx.InvalidURL, ValueError) as exc:
        raise HopRefused(f"the archive sent an unusable redirect {location!r}: {exc}") from None
    if "\\" in location or not 0 < (target.port or 1) < 65536:
        raise HopRefused(f"the archive sent an unusable redirect {location!r}")
    return target


async def get_following(
    client: httpx.AsyncClient,
    url: str,
    *,
    base: httpx.URL,
    guard: Guard,
    max_redirects: int,
    params: dict[str, str] | None = None,
) -> httpx.Response:
    """GET ``url`` and follow its redirects (each hop vetted); the last response, with
    the earlier ones in ``history``. Network errors propagate as httpx errors."""
    request = client.build_request("GET", url, params=params)
    history: list[httpx.Response] = []
    for _ in range(max_redirects + 1):
        await vet(request.url, base, guard)
        try:
            response = await client.send(request)
        except httpx.InvalidURL as exc:  # httpx reads every Location, even unfollowed
            raise HopRefused(f"the archive sent an unusable redirect: {exc}") from None
        target = next_url(response)
        if target is None:
            response.history = history
            return response
        history.append(response)
        await vet(target, base, guard)
        try:
            request = client.build_request("GET", target)
        except (httpx.InvalidURL, ValueError) as exc:
            raise HopRefused(f"the archive sent an unusable redirect {target}: {exc}") from None
    raise HopRefused(f"more than {max_redirects} redirects from the archive")
