"""The lookups: the Memento TimeGate first, the CDX query when it does not settle the
choice; paced per endpoint, cached, never fatal.

Why a thin client of our own rather than waybackpy's ``WaybackMachineCDXServerAPI``:
waybackpy is synchronous (one lookup at a time, with ``requests``), retries only 5xx
(a 429 is an exception), sets no timeout, parses only the plain-text dialect and has
no TimeGate client. Here the lookups share one
:class:`~footcheck.archive.ratelimit.TokenBucket` per endpoint, run a few at a time,
honour ``Retry-After``, read every CDX dialect, go through the on-disk cache and accept
an httpx transport in tests.

The two endpoints (figures relayed by the maintainer of edgi's Wayback client, not
published by Internet Archive): CDX about 30 requests a minute per address, playback
(``/web/...``, the TimeGate and the captures) about 600. Each has its own bucket at 80 %
of its limit, so a TimeGate answer never waits behind the CDX pace.

The TimeGate path (:mod:`footcheck.archive.memento`) proves the choice or gives up: it
asks ``/web/<start of the reference day>/<url>`` (HEAD, no body), follows the redirect
to the capture, and reads ``Memento-Datetime``, the original status and the ``Link``
neighbours. When the evidence of at most ``timegate_probes`` answers rules out any
better status-200 capture, that capture is the one the CDX rows would have given.
Anything else (a capture that answered 404 or a redirect, missing or contradictory
Memento headers, a 429, a 5xx, an URL never archived, evidence still open) falls back
to the CDX query, so the result is the same either way, only cheaper.

Cheaper paths considered (see also ``benchmarks/wayback.md``):

* the cache: capture lists are kept a week, "no capture" answers too (a dead page
  does not acquire new captures); failures are never cached;
* one lookup per URL even when it is cited in several footnotes or documents;
* a prefix or host query covering several dead URLs of one site was rejected:
  ``closest`` sorting is only meaningful for exact-URL queries, so one would have to
  fetch every capture of the site within a window, an unbounded answer on hosts such
  as a ministry site with thousands of captured pages, and a window can miss the
  nearest capture.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import httpx

from footcheck._tls import client_context
from footcheck.archive import cdx, memento
from footcheck.archive.choose import choose_capture
from footcheck.archive.hops import HopRefused, get_following, make_guard, next_url, vet
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
    from footcheck.check.guard import Guard

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


_BEFORE_WAYBACK = int(dt.datetime(1996, 1, 1, tzinfo=dt.timezone.utc).timestamp()) - 1
MAX_TIMEGATE_HOPS = 3  # TimeGate redirect, then perhaps a scheme or host canonicalisation
MAX_REDIRECTS = 5


@dataclass
class _Run:
    """State shared by the lookups of one run."""

    options: ArchiveOptions
    client: httpx.AsyncClient
    bucket: TokenBucket  # CDX
    now: dt.datetime
    playback: TokenBucket | None = None  # TimeGate and mementos
    guard: Guard | None = None
    endpoint_calls: dict[str, int] = field(default_factory=lambda: {"timegate": 0, "cdx": 0})
    failures_in_a_row: int = 0
    stopped: str | None = None  # why the run stopped asking the service

    def __post_init__(self) -> None:
        self.base = httpx.URL(self.options.base_url)
        if self.playback is None:
            self.playback = TokenBucket(self.options.playback_rate_per_minute, burst=self.options.playback_burst)
        if self.guard is None:
            self.guard = make_guard(self.options.allow_private)

    @property
    def calls(self) -> int:
        return sum(self.endpoint_calls.values())

    @property
    def endpoint(self) -> str:
        return f"{self.options.base_url}/cdx/search/cdx"

    async def query(self, url: str, reference: dt.date | None) -> _Found | str:
        """The rows for ``url``, or an error message.

        The TimeGate costs two round trips (the redirect, then the capture) where the CDX
        query costs one, so it is asked only while the CDX pace is what a user waits
        for: a CDX endpoint allowed half the playback rate or more (a mirror of one's
        own) is asked directly."""
        options = self.options
        if options.timegate and options.rate_per_minute * 2 < options.playback_rate_per_minute:
            found = await self.timegate(url, reference)
            if found is not None:
                return found
        return await self.cdx_query(url, reference)

    # -- the TimeGate ---------------------------------------------------------------
    async def timegate(self, url: str, reference: dt.date | None) -> _Found | str | None:
        """Rows that settle the choice, an error message (the service is unreachable),
        or None: ask CDX."""
        evidence = memento.Evidence(empty=[(-(2**62), _BEFORE_WAYBACK)])
        if reference is None:
            asked = int(self.now.timestamp())
        else:
            asked = int(dt.datetime(reference.year, reference.month, reference.day, tzinfo=dt.timezone.utc).timestamp())
        start = asked
        for _ in range(self.options.timegate_probes):
            got = await self._ask(url, asked)
            if not isinstance(got, memento.Memento):
                return got
            if got.status != 200:
                return None  # the nearest capture is not playable: only CDX can filter
            evidence.add_answer(asked, got)
            question = evidence.open_question(reference, self.now)
            if question:
                asked = memento.next_probe(question)
                continue
            best = evidence.best(reference)
            assert best is not None
            if reference is not None and best >= start + memento.DAY:
                # FC604 asks whether any copy precedes the reference day: the first
                # capture answers that (nearest to 1996 is the oldest).
                before = [t for t in evidence.found if t < start]
                if not before:
                    first = await self._ask(url, _BEFORE_WAYBACK + 1)
                    if not isinstance(first, memento.Memento):
                        return first
                    if first.status != 200:
                        return None
                    evidence.add_answer(_BEFORE_WAYBACK + 1, first)
            rows = tuple(
                cdx.Row(dt.datetime.fromtimestamp(t, dt.timezone.utc), "200") for t in sorted(evidence.found)
            )
            return _Found(rows)
        return None

    async def _ask(self, url: str, asked: int) -> memento.Memento | str | None:
        """One TimeGate question: the memento reached, an error, or None (fall back)."""
        assert self.playback is not None and self.guard is not None
        target: httpx.URL | str = f"{self.options.base_url}/web/{memento.timestamp_of(asked)}/{_strip_fragment(url)}"
        for _ in range(MAX_TIMEGATE_HOPS + 1):
            if self.stopped:
                return self.stopped
            try:
                request = self.client.build_request("HEAD", target)
                await vet(request.url, self.base, self.guard)
            except (HopRefused, httpx.InvalidURL, ValueError):
                return None
            await self.playback.acquire()
            if self.stopped:
                return self.stopped
            self.endpoint_calls["timegate"] += 1
            try:
                response = await self.client.send(request)
                if response.status_code in (405, 501):  # HEAD refused: a GET without its body
                    await self.playback.acquire()
                    self.endpoint_calls["timegate"] += 1
                    async with self.client.stream("GET", request.url) as streamed:
                        response = streamed
            except (httpx.TimeoutException, httpx.InvalidURL):
                return None  # slow, or a Location httpx cannot read: CDX decides
            except httpx.HTTPError as exc:
                return f"cannot reach {self.options.base_url}: {_describe(exc)}"
            headers = {name.lower(): value for name, value in response.headers.items()}
            if "memento-datetime" in headers:
                try:
                    return memento.read_memento(
                        response.status_code, headers, response.headers.get_list("link"), str(response.url)
                    )
                except memento.NotAMemento:
                    return None
            if response.status_code == 429:
                delay = backoff_delay(
                    0, response.headers.get("retry-after"), base=self.options.backoff, cap=self.options.max_backoff
                )
                self.playback.pause(delay)
                return None
            try:
                following = next_url(response)
            except HopRefused:
                return None
            if following is None or memento.capture_timestamp(following.path + "/") is None:
                return None  # not archived (404), an error, or a redirect away from the captures
            target = following
        return None

    # -- the CDX query --------------------------------------------------------------
    async def cdx_query(self, url: str, reference: dt.date | None) -> _Found | str:
        """The rows for ``url``, or an error message. Bounded: at most
        ``1 + max_retries`` requests, each within ``timeout``."""
        assert self.guard is not None
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
            self.endpoint_calls["cdx"] += 1
            try:
                response = await get_following(
                    self.client, self.endpoint, base=self.base, guard=self.guard,
                    max_redirects=MAX_REDIRECTS, params=params,
                )
            except HopRefused as exc:
                return str(exc)
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


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


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
        return ArchiveOutcome(captures, errors, 0, cache_hits, candidates, notes, {"timegate": 0, "cdx": 0})

    started = now or dt.datetime.now(dt.timezone.utc)
    semaphore = asyncio.Semaphore(options.concurrency)
    async with httpx.AsyncClient(
        transport=transport,
        verify=client_context(),  # built once per process, not per run (see _tls.py)
        timeout=options.timeout,
        headers={"User-Agent": options.user_agent},
        limits=httpx.Limits(max_connections=options.concurrency),
        follow_redirects=False,  # followed by hand, each hop vetted (hops.py)
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
    return ArchiveOutcome(captures, errors, run.calls, cache_hits, candidates, notes, dict(run.endpoint_calls))


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
