"""Link results in the shared on-disk cache (namespace ``links``).

Only settled answers are stored: ok, redirects, soft 404s, definitive 4xx, walls that
answer 401/403/451/999. Timeouts, 429, 5xx and network errors never are, so a flaky
moment cannot fail a later run; skipped URLs are not either, since the reason
(options, the guard) belongs to the run. An answer that came from an address the guard
would refuse is marked, and a guarded run ignores it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import httpx

from footcheck.check.urls import parse_url
from footcheck.model import LinkResult, LinkStatus

if TYPE_CHECKING:
    from footcheck._cache import Cache  # only in annotations: an uncached run never imports sqlite3

NAMESPACE = "links"
VERSION = 1


def cache_key(url: str) -> str:
    """Scheme and host lower-cased, IDN in punycode, default port and fragment dropped."""
    try:
        parsed = parse_url(url)
    except (httpx.InvalidURL, TypeError):
        return url
    # copy_with parses again (as costly as the parse): only when there is a fragment
    return str(parsed.copy_with(fragment=None)) if "#" in url else str(parsed)


def encode(result: LinkResult, titles: Sequence[str], private: bool) -> dict[str, Any]:
    return {
        "v": VERSION,
        "status": result.status.value,
        "http_status": result.http_status,
        "final_url": result.final_url,
        "detail": result.detail,
        "titles": list(titles),
        "permanent_redirect": result.permanent_redirect,
        "private": private,
    }


def decode(url: str, value: Any, *, allow_private: bool) -> tuple[LinkResult, list[str]] | None:
    """The stored result for ``url`` (without a title: the caller picks one)."""
    if not isinstance(value, dict) or value.get("v") != VERSION:
        return None
    if value.get("private") and not allow_private:
        return None
    try:
        status = LinkStatus(value["status"])
        titles = [str(t) for t in value.get("titles") or []]
        http_status = value.get("http_status")
        result = LinkResult(
            url=url,
            status=status,
            http_status=int(http_status) if http_status is not None else None,
            final_url=value.get("final_url"),
            detail=str(value.get("detail", "")),
            permanent_redirect=bool(value.get("permanent_redirect")),
            from_cache=True,
        )
    except (KeyError, TypeError, ValueError):
        return None
    return result, titles


class LinkCache:
    """The link checker's view of :class:`footcheck._cache.Cache`."""

    def __init__(self, cache: Cache | None, ttl: float, *, allow_private: bool) -> None:
        self._cache = cache if cache is not None and cache.enabled else None
        self._ttl = ttl
        self._allow_private = allow_private

    def get(self, url: str) -> tuple[LinkResult, list[str]] | None:
        if self._cache is None:
            return None
        return decode(url, self._cache.get(NAMESPACE, cache_key(url)), allow_private=self._allow_private)

    def put(self, url: str, result: LinkResult, titles: Sequence[str], *, private: bool) -> None:
        if self._cache is None:
            return
        self._cache.set(NAMESPACE, cache_key(url), encode(result, titles, private), self._ttl)
