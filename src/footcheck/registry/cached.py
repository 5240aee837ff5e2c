"""What the Crossref and doi.org clients share: their answer cache and the DOI path form.

Both keep answers under the ``registry`` namespace keyed ``{base}|{key}``, so two
services (or one service at two configured bases) never read each other's answers, and
both remember an unreadable answer briefly rather than asking again at once.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from footcheck.registry.interface import RegistryOptions
from footcheck.registry.transport import RegistryError, Transport

NAMESPACE = "registry"
UNREADABLE_TTL = 3600.0


def path_doi(doi: str) -> str:
    """A DOI as a URL path: its slashes and the punctuation DOIs carry stay readable."""
    return quote(doi, safe="/:;()")


class CachedService:
    """A registry service at ``base``, paced by ``transport``, its answers in ``cache``."""

    def __init__(self, transport: Transport, base: str, name: str, options: RegistryOptions,
                 cache: Any = None) -> None:
        self.transport = transport
        self.base = base.rstrip("/")
        self.options = options
        self.cache = cache
        transport.add_service(self.base, name)

    def _cached(self, key: str) -> Any:
        hit = self.cache.get(NAMESPACE, f"{self.base}|{key}") if self.cache is not None else None
        if isinstance(hit, dict) and "error" in hit:
            raise RegistryError(hit["error"])
        return hit

    async def _read(self, key: str, parse: Callable[[], Any]) -> Any:
        """Run ``parse``; an unreadable answer (HTTP 200 that is not what the API documents)
        is remembered for an hour: asking again at once would get the same."""
        try:
            return parse()
        except RegistryError as exc:
            self._store(key, {"error": str(exc)}, UNREADABLE_TTL)
            raise

    def _store(self, key: str, value: Any, ttl: float) -> None:
        if self.cache is not None:
            self.cache.set(NAMESPACE, f"{self.base}|{key}", value, ttl)
