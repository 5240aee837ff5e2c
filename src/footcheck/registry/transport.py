"""The one HTTP client a registry run uses: pacing per service, retries, redirects.

Every request goes through the :class:`~footcheck.registry.pacing.Pacer` of its service
(the configured Crossref and doi.org bases are two services), so the service's own
limits hold whatever else is in flight. 429 and 5xx answers and dropped connections are
retried with backoff (``Retry-After`` when the service sends one); after that the request
fails with :class:`RegistryError`, which the caller turns into an "unverified" verdict.
A service that fails several requests in a row is taken as down for the rest of the run,
so a dead registry costs seconds, not minutes.

Redirects are followed by hand. A hop to a host other than the configured services (the
content negotiation of doi.org hands over to the registration agency's own service) is
vetted by the link checker's address guard: no loopback or private address is fetched
unless it is one of the services the user named.
"""

from __future__ import annotations

import asyncio
import json
import random
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx

from footcheck._pacing import retry_after
from footcheck.registry.pacing import Pacer

_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_DOWN_AFTER = 3  # consecutive failed requests after which a service is taken as down


class RegistryError(Exception):
    """A registry could not be asked or its answer could not be read (the message says
    which, for the report)."""


@dataclass
class Answer:
    status: int
    body: bytes
    headers: dict[str, str]
    url: str

    def json(self) -> Any:
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise RegistryError(f"unreadable answer from {self.url} (not JSON)") from None


@dataclass
class _Service:
    name: str
    pacer: Pacer
    failures: int = 0
    down: str | None = None  # why it was taken as down
    calls: int = 0


@dataclass
class Transport:
    """One ``httpx.AsyncClient`` shared by the services of a run."""

    client: httpx.AsyncClient
    services: dict[str, _Service] = field(default_factory=dict)  # by "scheme://host:port"
    retries: int = 2
    backoff_base: float = 0.5
    retry_after_cap: float = 30.0
    max_redirects: int = 5
    max_refusals: int = 8  # 429 answers one request waits out before it gives up
    guard: Any = None  # footcheck.check.guard.Guard, created on the first foreign redirect
    max_concurrency: int = 8

    def add_service(self, base_url: str, name: str) -> None:
        key = _origin(base_url)
        if key not in self.services:
            self.services[key] = _Service(name, Pacer(max_concurrency=self.max_concurrency))

    def service_for(self, url: str) -> _Service:
        key = _origin(url)
        service = self.services.get(key)
        if service is None:
            service = self.services[key] = _Service(urlsplit(url).hostname or key,
                                                    Pacer(max_concurrency=self.max_concurrency))
        return service

    async def get(self, url: str, *, params: dict[str, str] | None = None,
                  headers: dict[str, str] | None = None) -> Answer:
        """GET with pacing, retries and redirects. Any HTTP status is returned except the
        retried ones once the retries are spent (then RegistryError), and errors of the
        transport itself (RegistryError)."""
        current = str(httpx.URL(url, params=params)) if params else url
        for _hop in range(self.max_redirects + 1):
            answer = await self._get_one(current, headers or {})
            if answer.status in (301, 302, 303, 307, 308) and "location" in answer.headers:
                current = urljoin(current, answer.headers["location"])
                await self._vet(current)
                continue
            return answer
        raise RegistryError(f"too many redirects from {url}")

    async def _vet(self, url: str) -> None:
        if _origin(url) in self.services:
            return
        host = urlsplit(url).hostname
        if not host:
            raise RegistryError(f"redirect to an invalid address {url}")
        if self.guard is None:
            from footcheck.check.guard import Guard
            from footcheck.check.resolve import SystemResolver

            self.guard = Guard(SystemResolver())
        from footcheck.check.guard import AddressRefused
        from footcheck.check.options import ResolutionError

        try:
            await self.guard.addresses(host)
        except AddressRefused as exc:
            raise RegistryError(f"redirect refused: {exc}") from None
        except ResolutionError as exc:
            raise RegistryError(f"redirect to {host}: {exc}") from None

    async def _get_one(self, url: str, headers: dict[str, str]) -> Answer:
        service = self.service_for(url)
        if service.down:
            raise RegistryError(service.down)
        problem = ""
        failed = refused = 0  # tries lost to 5xx or the network; 429 answers
        while True:
            async with service.pacer.slot():
                if service.down:
                    raise RegistryError(service.down)
                service.calls += 1
                try:
                    response = await self.client.get(url, headers=headers)
                    body = response.content
                except httpx.TimeoutException:
                    problem = f"{service.name} did not answer in time"
                    response = None
                except httpx.HTTPError as exc:
                    problem = f"{service.name} could not be reached ({type(exc).__name__})"
                    response = None
            told = None
            if response is not None:
                lowered = {k.lower(): v for k, v in response.headers.items()}
                service.pacer.observe(lowered)
                if response.status_code not in _RETRY_STATUSES:
                    service.failures = 0
                    return Answer(response.status_code, body, lowered, str(response.url))
                problem = f"{service.name} answered HTTP {response.status_code}"
                told = retry_after(lowered.get("retry-after"))
            if response is not None and response.status_code == 429:
                # "slow down" is no failure: wait as told (or back off) and try again, a
                # bounded number of times; the whole service waits, not just this request
                refused += 1
                if refused > self.max_refusals:
                    raise RegistryError(f"{problem} {refused} times: the service's limit was not lifted")
                step = min(refused - 1, 6)
            else:
                failed += 1
                if failed > self.retries:
                    break
                step = failed - 1
            delay = told if told is not None else self.backoff_base * (2**step) * (0.75 + random.random() / 2)
            service.pacer.pause(min(delay, self.retry_after_cap))
            await asyncio.sleep(0)  # let the pause reach the others before this one waits
        service.failures += 1
        if service.failures >= _DOWN_AFTER:
            service.down = f"{problem}; {service.name} is taken as down for this run"
        raise RegistryError(f"{problem} (after {failed} tries)")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.scheme}://{(parts.hostname or '').lower()}:{port}"
