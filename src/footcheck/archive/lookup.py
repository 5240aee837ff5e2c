"""The CDX lookups: one query per URL, paced, cached, never fatal.

Why a thin client of our own rather than waybackpy's ``WaybackMachineCDXServerAPI``:
waybackpy is synchronous (one lookup at a time, with ``requests``), retries only 5xx
(a 429 is an exception), sets no timeout, and parses only the plain-text dialect. Here
the lookups share one :class:`~footcheck.archive.ratelimit.TokenBucket`, run a few at
a time, honour ``Retry-After``, read both dialects, go through the on-disk cache and
accept an httpx transport in tests.

Cheaper paths considered (see also ``benchmarks/wayback.md``):

* the cache: capture lists are kept a week, "no capture" answers too (a dead page
  does not acquire new captures); failures are never cached;
* one query per URL even when it is cited in several footnotes or documents;
* a prefix or host query covering several dead URLs of one site was rejected:
  ``closest`` sorting is only meaningful for exact-URL queries, so one would have to
  fetch every capture of the site within a window, an unbounded answer on hosts such
  as a ministry site with thousands of captured pages, and a window can miss the
  nearest capture;
* the playback redirect ``/web/<ts>/<url>`` (a larger rate pool) was rejected for the
  choice itself: it goes to the nearest capture whatever its HTTP status, and its
  tie rule is the service's, not ours.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

import httpx

from footcheck.archive import cdx
from footcheck.archive.choose import choose_capture
from footcheck.archive.interface import (
    CACHE_NAMESPACE,
    ArchiveOptions,
    ArchiveOutcome,
    ArchiveProgress,
    needs_lookup,
    reference_date,
)
from footcheck.archive.ratelimit import TokenBucket, backoff_delay
from footcheck.model import ArchiveCapture, Link, LinkResult

if TYPE_CHECKING:
    from footcheck._cache import Cache

# Transient answers worth another try (the set edgi's client uses for archive.org).
RETRY_STATUSES = frozenset({408, 413, 421, 500, 502, 503, 504, 520, 522, 524, 599})
TIMEOUT_RETRIES = 1  # a slow archive is rarely faster the third time; do not pile on


def cache_key(base_url: str, url: str, reference: dt.date | None) -> str:
    return f"{base_url}|{reference.isoformat() if reference else 'latest'}|{url}"


def rows_to_json(rows: Sequence[cdx.Row]) -> list[list[str | None]]:
    return [[row.wayback_timestamp, row.status] for row in rows]


def rows_from_json(value: object) -> tuple[cdx.Row, ...] | None:
    """Rows from a cache entry, or None if the entry is not in the expected shape."""
    if not isinstance(value, dict) or not isinstance(value.get("rows"), list):
        return None
    rows = []
    for item in value["rows"]:
        if not (isinstance(item, list) and len(item) == 2 and isinstance(item[0], str)):
            return None
        timestamp = cdx.parse_timestamp(item[0])
        if timestamp is None:
            return None
        rows.append(cdx.Row(timestamp, item[1] if isinstance(item[1], str) else None))
    return tuple(rows)


@dataclass
class _Found:
    rows: tuple[cdx.Row, ...]
    note: str | None = None


@dataclass
class _Run:
    """State shared by the lookups of one run."""

    options: ArchiveOptions
    client: httpx.AsyncClient
    bucket: TokenBucket
    now: dt.datetime
    calls: int = 0
    failures_in_a_row: int = 0
    stopped: str | None = None  # why the run stopped asking the service

    @property
    def endpoint(self) -> str:
        return f"{self.options.base_url}/cdx/search/cdx"

    async def query(self, url: str, reference: dt.date | None) -> _Found | str:
        """The rows for ``url``, or an error message. Bounded: at most
        ``1 + max_retries`` requests, each within ``timeout``."""
        options = self.options
        params = cdx.query_params(url, cdx.closest_param(reference, self.now), options.cdx_limit)
        problem = "no request made"
        timeouts = 0
        for attempt in range(options.max_retries + 1):
            if self.stopped:
                return self.stopped
            await self.bucket.acquire()
            if self.stopped:
                return self.stopped
            self.calls += 1
            try:
                response = await self.client.get(self.endpoint, params=params)
            except httpx.TimeoutException:
                problem = f"no answer within {options.timeout:g} s"
                timeouts += 1
                if timeouts > TIMEOUT_RETRIES:
                    return problem
                continue
            except httpx.HTTPError as exc:
                # Connection refused, DNS failure, TLS error: retrying will not help.
                return f"cannot reach {options.base_url}: {_describe(exc)}"

            status = response.status_code
            if status == 200:
                try:
                    answer = cdx.parse(response.text)
                except cdx.CdxError as exc:
                    return f"unreadable answer from the archive: {exc}"
                note = "the site is excluded from the archive" if answer.blocked else None
                return _Found(answer.rows, note)
            if status in (403, 451) and any(m in response.text for m in cdx.BLOCKED_MARKERS):
                return _Found((), "the site is excluded from the archive")
            delay = backoff_delay(
                attempt,
                response.headers.get("retry-after"),
                base=options.backoff,
                cap=options.max_backoff,
            )
            if status == 429:
                problem = "the archive kept refusing (HTTP 429 Too Many Requests)"
                self.bucket.pause(delay)  # the limit is per address: everyone waits
            elif status in RETRY_STATUSES:
                problem = f"the archive kept failing (HTTP {status})"
                if attempt < options.max_retries:
                    await asyncio.sleep(delay)
            else:
                hint = " (is --wayback-url a Wayback-compatible service?)" if status == 404 else ""
                return f"the archive answered HTTP {status}{hint}"
        return problem

    def record(self, ok: bool, problem: str | None = None) -> None:
        if ok:
            self.failures_in_a_row = 0
            return
        self.failures_in_a_row += 1
        if self.failures_in_a_row >= self.options.max_failures and not self.stopped:
            self.stopped = (
                f"not looked up: the archive failed {self.failures_in_a_row} lookups in a row (last: {problem})"
            )


def _describe(exc: Exception) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


async def lookup_all(
    links: Sequence[Link],
    results: Mapping[str, LinkResult],
    options: ArchiveOptions,
    *,
    cache: Cache | None = None,
    progress: ArchiveProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    now: dt.datetime | None = None,
) -> ArchiveOutcome:
    todo: dict[str, Link] = {}
    for link in links:
        if link.url not in todo and needs_lookup(link, results.get(link.url), options):
            todo[link.url] = link
    if progress is not None:
        progress.started(len(todo))

    captures: dict[str, ArchiveCapture | None] = {}
    candidates: dict[str, tuple[ArchiveCapture, ...]] = {}
    errors: dict[str, str] = {}
    notes: dict[str, str] = {}
    cache_hits = 0

    def settle(url: str, rows: Sequence[cdx.Row], note: str | None) -> None:
        chosen, seen = choose_capture(rows, reference_date(todo[url]), options.base_url, url)
        captures[url] = chosen
        candidates[url] = seen
        if note:
            notes[url] = note

    def done(url: str) -> None:
        if progress is not None:
            progress.finished_one(url)

    pending: list[str] = []
    for url, link in todo.items():
        key = cache_key(options.base_url, url, reference_date(link))
        cached = cache.get(CACHE_NAMESPACE, key) if cache is not None else None
        rows = rows_from_json(cached)
        if rows is None:
            pending.append(url)
            continue
        cache_hits += 1
        settle(url, rows, cached.get("note") if isinstance(cached, dict) else None)
        done(url)

    if not pending:
        return ArchiveOutcome(captures, errors, 0, cache_hits, candidates, notes)

    started = now or dt.datetime.now(dt.timezone.utc)
    semaphore = asyncio.Semaphore(options.concurrency)
    async with httpx.AsyncClient(
        transport=transport,
        timeout=options.timeout,
        headers={"User-Agent": options.user_agent},
        limits=httpx.Limits(max_connections=options.concurrency),
        follow_redirects=True,
    ) as client:
        run = _Run(options, client, TokenBucket(options.rate_per_minute, burst=options.burst), started)

        async def one(url: str) -> None:
            async with semaphore:
                link = todo[url]
                try:
                    found = await run.query(url, reference_date(link))
                except Exception as exc:  # a bug or a surprise must not end the audit
                    found = f"lookup failed: {_describe(exc)}"
                if isinstance(found, str):
                    errors[url] = found
                    if found != run.stopped:  # URLs skipped after the stop are no news
                        run.record(False, found)
                else:
                    run.record(True)
                    settle(url, found.rows, found.note)
                    if cache is not None:
                        value: dict[str, object] = {"rows": rows_to_json(found.rows)}
                        if found.note:
                            value["note"] = found.note
                        key = cache_key(options.base_url, url, reference_date(link))
                        cache.set(CACHE_NAMESPACE, key, value, options.cache_ttl)
                done(url)

        await asyncio.gather(*(one(url) for url in pending))
    return ArchiveOutcome(captures, errors, run.calls, cache_hits, candidates, notes)


T = TypeVar("T")


def in_own_loop(go: Callable[[], T]) -> T:
    """Run ``go`` (which calls ``asyncio.run``) here, or in a worker thread when the
    caller already runs an event loop, where ``asyncio.run`` would refuse."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return go()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(go).result()
