"""The registry stage's seam: its options, the services it asks and the values they return.

Two kinds of service: a *resolver* (doi.org) that knows whether a DOI exists and can
hand out any agency's metadata by content negotiation, and a *metadata service*
(Crossref) that returns a work's record, the notices that update it (retractions,
corrections) and candidates for an entry without a DOI. Each is a small protocol, so a
fake, a cache or another agency is one more class. Values crossing the seam are frozen
dataclasses; a failure is a :class:`~footcheck.registry.transport.RegistryError`.

Nothing here is imported by an offline run or by ``--no-registry``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Protocol

from footcheck import __version__
from footcheck.model import RegistryNotice

DEFAULT_CROSSREF_URL = "https://api.crossref.org"
DEFAULT_DOI_URL = "https://doi.org"
WEEK = 7 * 86400.0
DAY = 86400.0


@dataclass(frozen=True)
class RegistryOptions:
    crossref_url: str = DEFAULT_CROSSREF_URL
    doi_url: str = DEFAULT_DOI_URL
    mailto: str | None = None  # sent as Crossref's polite-pool parameter and in the user agent
    timeout: float = 15.0  # seconds for one answer
    retries: int = 2  # after a 429, a 5xx or a dropped connection
    backoff_base: float = 0.5
    retry_after_cap: float = 30.0  # a longer Retry-After is cut to this
    max_concurrency: int = 8  # never more in flight to one service, whatever it allows
    found_ttl: float = WEEK  # records, notices and candidates are reused this long
    missing_ttl: float = DAY  # "not registered" answers
    suggest: bool = True  # look for DOIs of entries that have none

    def __post_init__(self) -> None:
        for name in ("crossref_url", "doi_url"):
            value = getattr(self, name)
            if not value.startswith(("http://", "https://")):
                raise ValueError(f"--{name.replace('_', '-')} must start with http:// or https://, got {value!r}")
        if self.timeout <= 0 or self.retries < 0:
            raise ValueError("registry timeout must be positive and retries not negative")

    @property
    def public(self) -> bool:
        """Both services are the public ones (not a mirror or a local double)."""
        return (self.crossref_url.rstrip("/") == DEFAULT_CROSSREF_URL
                and self.doi_url.rstrip("/") == DEFAULT_DOI_URL)

    @property
    def user_agent(self) -> str:
        contact = f"; mailto:{self.mailto}" if self.mailto else ""
        return f"footcheck/{__version__} (https://pypi.org/project/footcheck/{contact})"


def resolve_urls(crossref_url: str | None, doi_url: str | None) -> tuple[str, str]:
    """The service bases: the option, else FOOTCHECK_CROSSREF_URL / FOOTCHECK_DOI_URL, else
    the public services; without a trailing slash."""
    crossref = crossref_url or os.environ.get("FOOTCHECK_CROSSREF_URL") or DEFAULT_CROSSREF_URL
    doi = doi_url or os.environ.get("FOOTCHECK_DOI_URL") or DEFAULT_DOI_URL
    return crossref.rstrip("/"), doi.rstrip("/")


@dataclass(frozen=True, slots=True)
class Record:
    """A work as a registry describes it."""

    doi: str
    titles: tuple[str, ...]  # title, then other-language and original titles
    year: str | None  # of the issue (Crossref ``issued``)
    other_years: tuple[str, ...] = ()  # print, online, created: a reference may give any
    authors: tuple[str, ...] = ()  # family names in order (an organisation's name if no person)
    kind: str | None = None  # "journal-article", "book", ...
    container: str | None = None  # the journal or book
    agency: str = "crossref"  # "crossref" or "other" (read by content negotiation)
    notices: tuple[RegistryNotice, ...] = ()  # updates the record itself lists

    @property
    def title(self) -> str | None:
        return self.titles[0] if self.titles else None


class Resolver(Protocol):
    """doi.org: does the DOI exist, and what does its agency say about it."""

    async def exists(self, doi: str) -> bool:
        """True (registered) or False (not registered); RegistryError when unknown."""
        ...

    async def metadata(self, doi: str) -> Record | None:
        """The agency's record by content negotiation; None when it has none."""
        ...


class MetadataService(Protocol):
    """Crossref: records, update notices, candidates for an entry."""

    async def work(self, doi: str) -> Record | None:
        """The record; None when the service does not hold this DOI."""
        ...

    async def updates(self, doi: str) -> tuple[RegistryNotice, ...]:
        """The notices (retraction, correction ...) that point at this DOI."""
        ...

    async def search(self, bibliographic: str, rows: int = 2) -> tuple[Record, ...]:
        """The best candidates for a free-text reference, best first."""
        ...
