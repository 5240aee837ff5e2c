"""The archive stage's contract: which links get a Wayback lookup, with what options,
and what comes back.

The CLI builds an :class:`ArchiveOptions`, calls :func:`find_captures` after the link
checker has run, hands the outcome to ``footcheck.rules.archive.archive_findings`` and
:func:`attach_captures` the chosen captures to the link results for the report. For
``footcheck archive PAPER`` it calls :func:`plan_saves`, asks the user, then
:func:`save_pages`.

Importing this module is cheap (no httpx): an offline run or ``--no-wayback`` never
pays for the network stack. The engine modules are imported when a function needs them.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Protocol

from footcheck import __version__, defaults
from footcheck.model import ArchiveCapture, Link, LinkResult, LinkStatus
from footcheck.titles import title_drift

if TYPE_CHECKING:
    import httpx

    from footcheck._cache import Cache

DEFAULT_WAYBACK_URL = defaults.WAYBACK_URL
WAYBACK_URL_ENV = "FOOTCHECK_WAYBACK_URL"
CACHE_NAMESPACE = "wayback"

# Statuses after which the cited page is gone: the editor should cite a capture instead.
DEAD_STATUSES = frozenset({LinkStatus.BROKEN, LinkStatus.SOFT404, LinkStatus.UNREACHABLE})
# Statuses where the checker could not tell: a capture lets the editor verify by hand.
UNVERIFIED_STATUSES = frozenset({LinkStatus.BLOCKED, LinkStatus.TIMEOUT})
LIVE_STATUSES = frozenset({LinkStatus.OK, LinkStatus.REDIRECT})


@dataclass(frozen=True)
class ArchiveOptions:
    """How to talk to a Wayback-compatible service.

    The defaults keep under the limits Internet Archive staff gave (CDX about 30
    requests a minute per address, Save Page Now 4 captures a minute without an
    account) with the 20 % margin they asked client authors to keep.
    """

    base_url: str = DEFAULT_WAYBACK_URL
    concurrency: int = defaults.WAYBACK_CONCURRENCY
    rate_per_minute: float = defaults.WAYBACK_RATE  # CDX requests, retries included
    # Requests that may leave at once before the pace applies: a paper with a few dead
    # links is answered without waiting, and no 60 s window ever holds more than
    # burst + rate_per_minute requests (3 + 24 = 27, under the limit of about 30).
    burst: int = 3
    # The Memento TimeGate (``/web/<timestamp>/<url>``) is asked first: it comes out of
    # the playback pool, about 600 requests a minute, and one or two answers usually
    # prove which capture the CDX query would have chosen (see memento.py). The CDX
    # query is the fall-back, paced on its own, and is asked directly when its own
    # pace is at least half the playback pace (nothing to gain from two round trips).
    timegate: bool = True
    playback_rate_per_minute: float = 480.0  # TimeGate and memento requests (80 % of ~600)
    playback_burst: int = 20
    timegate_probes: int = 4  # TimeGate questions per URL before falling back to CDX
    allow_private: bool = False  # let archive redirects go to private addresses
    timeout: float = defaults.WAYBACK_TIMEOUT  # seconds per CDX request; archive.org is often slow
    cache_ttl: float = 7 * 86400
    max_gap_days: int = defaults.MAX_ARCHIVE_GAP_DAYS
    archive_all: bool = False
    user_agent: str = f"footcheck/{__version__} (citation auditor; Wayback lookups)"
    cdx_limit: int = 10  # rows per CDX query, nearest first
    max_retries: int = 3  # per request, on 429, 5xx and timeouts
    backoff: float = 10.0  # first wait after a 429/5xx without Retry-After, then doubled
    max_backoff: float = 60.0  # cap on any single wait, Retry-After included
    max_failures: int = 5  # consecutive failed URLs before the run stops asking
    save_rate_per_minute: float = 3.0  # Save Page Now captures
    save_timeout: float = 120.0  # a capture can take a minute on archive.org
    fresh_days: int = defaults.FRESH_DAYS  # `footcheck archive`: a capture this recent needs no new one

    def __post_init__(self) -> None:
        object.__setattr__(self, "base_url", normalise_base_url(self.base_url))
        if self.concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        if self.rate_per_minute <= 0 or self.save_rate_per_minute <= 0 or self.playback_rate_per_minute <= 0:
            raise ValueError("rates must be positive")
        if self.timeout <= 0 or self.save_timeout <= 0:
            raise ValueError("timeouts must be positive")
        if self.burst < 1 or self.playback_burst < 1:
            raise ValueError("burst must be at least 1")
        if self.timegate_probes < 1:
            raise ValueError("timegate_probes must be at least 1")
        if self.cdx_limit < 1:
            raise ValueError("cdx_limit must be at least 1")
        if self.max_retries < 0 or self.max_failures < 1:
            raise ValueError("max_retries must be >= 0 and max_failures >= 1")


def normalise_base_url(value: str) -> str:
    """``https://web.archive.org/`` -> ``https://web.archive.org``; rejects non-HTTP bases."""
    base = value.strip().rstrip("/")
    if not base.startswith(("http://", "https://")) or len(base.split("://", 1)[1]) == 0:
        raise ValueError(f"the Wayback base URL must start with http:// or https://: {value!r}")
    return base


def resolve_wayback_url(cli_value: str | None = None, environ: Mapping[str, str] | None = None) -> str:
    """``--wayback-url`` wins over ``FOOTCHECK_WAYBACK_URL``, which wins over the default."""
    env = os.environ if environ is None else environ
    value = cli_value or env.get(WAYBACK_URL_ENV) or DEFAULT_WAYBACK_URL
    return normalise_base_url(value)


class ArchiveProgress(Protocol):
    """Progress callbacks, so the stage never knows about terminals."""

    def started(self, total: int) -> None: ...

    def finished_one(self, url: str) -> None: ...


@dataclass(frozen=True)
class ArchiveOutcome:
    """What the lookups found.

    ``captures`` has an entry for every URL looked up successfully: the chosen capture,
    or None when the service has no capture with status 200. ``errors`` has the URLs
    whose lookup failed (the service was down, slow, rate-limiting or answered
    nonsense); those URLs are absent from ``captures``.
    """

    captures: dict[str, ArchiveCapture | None] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    calls: int = 0  # HTTP requests sent to the service, retries included
    cache_hits: int = 0
    # Every status-200 capture the query returned, oldest first, for the rules
    # (is there any copy from before the access date?) and for the report.
    candidates: dict[str, tuple[ArchiveCapture, ...]] = field(default_factory=dict)
    notes: dict[str, str] = field(default_factory=dict)  # e.g. "site excluded from the archive"
    # Requests per endpoint ("timegate": TimeGate and memento requests; "cdx"); the sum is ``calls``.
    endpoint_calls: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class SaveResult:
    """One Save Page Now request."""

    url: str
    archive_url: str | None = None
    timestamp: dt.datetime | None = None  # UTC
    error: str | None = None
    existing: bool = False  # the service returned a capture made before this run
    calls: int = 0

    @property
    def ok(self) -> bool:
        return self.archive_url is not None


@dataclass(frozen=True)
class SavePlan:
    """`footcheck archive`: which live links lack a recent capture."""

    to_save: list[str] = field(default_factory=list)
    recent: dict[str, ArchiveCapture] = field(default_factory=dict)  # fresh enough already
    errors: dict[str, str] = field(default_factory=dict)  # lookup failed (still in to_save)
    not_live: list[str] = field(default_factory=list)  # dead or unchecked: nothing to save
    calls: int = 0


def reference_date(link: Link) -> dt.date | None:
    """The date a capture should be near: the access date, else the source's own date."""
    return link.access_date or link.source_date


def needs_lookup(link: Link, result: LinkResult | None, options: ArchiveOptions) -> bool:
    """Whether this link deserves a (rate-limited) Wayback query."""
    if options.archive_all:
        return True
    if result is None or result.status == LinkStatus.SKIPPED:
        return False  # offline or excluded: we know nothing about the page
    status = LinkStatus(result.status)
    if status in DEAD_STATUSES or status in UNVERIFIED_STATUSES:
        return True
    return status in LIVE_STATUSES and title_drifted(link, result)


def title_drifted(link: Link, result: LinkResult) -> bool:
    return title_drift(link.cited_title, result.title)


def find_captures(
    links: Sequence[Link],
    results: Mapping[str, LinkResult],
    options: ArchiveOptions,
    *,
    cache: Cache | None = None,
    progress: ArchiveProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ArchiveOutcome:
    """Look up the capture nearest each link's reference date; never raises for
    network trouble (see :class:`ArchiveOutcome`). One CDX query per URL at most,
    none for URLs whose answer is in ``cache``."""
    import asyncio

    from footcheck.archive.lookup import in_own_loop, lookup_all

    return in_own_loop(lambda: asyncio.run(
        lookup_all(links, results, options, cache=cache, progress=progress, transport=transport)))


async def find_captures_async(
    links: Sequence[Link],
    results: Mapping[str, LinkResult],
    options: ArchiveOptions,
    *,
    cache: Cache | None = None,
    progress: ArchiveProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> ArchiveOutcome:
    from footcheck.archive.lookup import lookup_all

    return await lookup_all(links, results, options, cache=cache, progress=progress, transport=transport)


def attach_captures(
    links: Sequence[Link], results: Mapping[str, LinkResult], outcome: ArchiveOutcome
) -> dict[str, LinkResult]:
    """The results with ``archive`` filled in. A link looked up without a check result
    (offline with ``--archive-all``) gets a ``skipped`` result carrying its capture."""
    merged = dict(results)
    for link in links:
        capture = outcome.captures.get(link.url)
        if capture is None:
            continue
        current = merged.get(link.url)
        if current is None:
            merged[link.url] = LinkResult(
                url=link.url, status=LinkStatus.SKIPPED, detail="not checked", archive=capture
            )
        else:
            merged[link.url] = replace(current, archive=capture)
    return merged


def plan_saves(
    links: Sequence[Link],
    results: Mapping[str, LinkResult],
    options: ArchiveOptions,
    *,
    cache: Cache | None = None,
    progress: ArchiveProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    today: dt.date | None = None,
) -> SavePlan:
    """Live links whose newest capture is older than ``options.fresh_days`` (or absent)."""
    from footcheck.archive.save import plan

    return plan(links, results, options, cache=cache, progress=progress, transport=transport, today=today)


def save_pages(
    urls: Sequence[str],
    options: ArchiveOptions,
    *,
    cache: Cache | None = None,
    progress: ArchiveProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[SaveResult]:
    """Ask Save Page Now for a capture of each URL, one at a time, under its rate limit.

    This changes state on a third-party service: the caller asks the user first."""
    import asyncio

    from footcheck.archive.lookup import in_own_loop
    from footcheck.archive.save import save_all

    return in_own_loop(lambda: asyncio.run(
        save_all(urls, options, cache=cache, progress=progress, transport=transport)))
