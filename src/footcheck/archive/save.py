"""Save Page Now for ``footcheck archive PAPER``: capture live links that have no
recent capture.

Why not waybackpy's ``WaybackMachineSaveAPI``, although its ``request_url`` can be
pointed at ``BASE/save/<url>``: (1) it sends the request with no timeout, so a stalled
capture hangs the command for good; (2) it finds the new capture with regular
expressions run over ``str(headers)``, which is a dict's repr, so its
``Content-Location`` and ``X-Cache-Key`` patterns never match, and the two that can
match require the host ``web.archive.org``: pointed at any other service it fails to
read a successful answer, sleeps 5-10 s between its eight tries and raises
``MaximumSaveRetriesExceeded`` (checked against a local server with waybackpy 3.0.6);
(3) a 429 raises at once instead of waiting. This is the same request (an
unauthenticated ``GET BASE/save/<url>``) with a timeout, ``Retry-After``, a pace under
the 4-a-minute anonymous limit, an answer parser that accepts any base, and every
redirect hop vetted by the address guard (``hops.py``).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

import httpx

from footcheck._tls import client_context
from footcheck.archive import cdx
from footcheck.archive.choose import capture_url
from footcheck.archive.hops import HopRefused, get_following, make_guard
from footcheck.archive.interface import (
    CACHE_NAMESPACE,
    LIVE_STATUSES,
    ArchiveOptions,
    ArchiveProgress,
    SavePlan,
    SaveResult,
)
from footcheck.archive.lookup import RETRY_STATUSES, cache_key, in_own_loop, lookup_all
from footcheck.archive.ratelimit import TokenBucket, backoff_delay
from footcheck.model import Link, LinkResult, LinkStatus

if TYPE_CHECKING:
    from footcheck._cache import Cache
    from footcheck.check.guard import Guard

_CAPTURE_PATH = re.compile(r"/web/(\d{14})[a-z_]*/")
_LINK_MEMENTO = re.compile(r"<([^>]*/web/\d{14}[a-z_]*/[^>]*)>\s*;[^,]*rel=\"?[^\",]*memento")


def capture_in(response: httpx.Response) -> str | None:
    """The 14-digit timestamp of the capture an SPN answer points to, if any.

    Looked for, in order, in each response of the redirect chain: ``Location``,
    ``Content-Location``, a ``Link`` with ``rel="memento"``, then the final URL.
    """
    for step in [*response.history, response]:
        for header in ("location", "content-location"):
            found = _CAPTURE_PATH.search(step.headers.get(header, ""))
            if found:
                return found.group(1)
        for link_header in step.headers.get_list("link"):
            memento = _LINK_MEMENTO.search(link_header)
            if memento:
                found = _CAPTURE_PATH.search(memento.group(1))
                if found:
                    return found.group(1)
    found = _CAPTURE_PATH.search(response.url.path)
    return found.group(1) if found else None


def _strip_fragment(url: str) -> str:
    return url.split("#", 1)[0]


async def save_all(
    urls: Sequence[str],
    options: ArchiveOptions,
    *,
    cache: Cache | None = None,
    progress: ArchiveProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> list[SaveResult]:
    if progress is not None:
        progress.started(len(urls))
    started = dt.datetime.now(dt.timezone.utc).replace(microsecond=0)
    bucket = TokenBucket(options.save_rate_per_minute)
    results: list[SaveResult] = []
    stopped: str | None = None
    failures = 0
    async with httpx.AsyncClient(
        transport=transport,
        verify=client_context(),  # built once per process, not per run (see _tls.py)
        timeout=options.save_timeout,
        headers={"User-Agent": options.user_agent},
        follow_redirects=False,  # followed by hand, each hop vetted
    ) as client:
        guard = make_guard(options.allow_private)
        # One at a time: the anonymous allowance is a handful of captures a minute and
        # a few concurrent sessions; parallel requests would only collect 429s.
        for url in urls:
            if stopped:
                result = SaveResult(url, error=stopped)
            else:
                try:
                    result = await _save_one(client, bucket, url, options, started, guard)
                except Exception as exc:  # never let one URL end the command
                    result = SaveResult(url, error=f"save failed: {type(exc).__name__}: {exc}")
                failures = failures + 1 if result.error else 0
                if failures >= options.max_failures:
                    stopped = f"not sent: Save Page Now failed {failures} times in a row"
            if result.ok and cache is not None and result.timestamp is not None:
                # The newest capture is now this one: a rerun must not save again.
                row = [cdx.wayback_timestamp(result.timestamp), "200"]
                key = cache_key(options.base_url, url, None)
                cache.set(CACHE_NAMESPACE, key, {"rows": [row]}, options.cache_ttl)
            results.append(result)
            if progress is not None:
                progress.finished_one(url)
    return results


async def _save_one(
    client: httpx.AsyncClient,
    bucket: TokenBucket,
    url: str,
    options: ArchiveOptions,
    started: dt.datetime,
    guard: Guard,
) -> SaveResult:
    target = _strip_fragment(url)
    problem = "no request made"
    calls = 0
    for attempt in range(options.max_retries + 1):
        await bucket.acquire()
        calls += 1
        try:
            response = await get_following(
                client, f"{options.base_url}/save/{target}", base=httpx.URL(options.base_url), guard=guard,
                max_redirects=5,
            )
        except HopRefused as exc:
            return SaveResult(url, error=str(exc), calls=calls)
        except httpx.TimeoutException:
            return SaveResult(url, error=f"no answer within {options.save_timeout:g} s", calls=calls)
        except httpx.HTTPError as exc:
            return SaveResult(url, error=f"cannot reach {options.base_url}: {exc}", calls=calls)
        stamp = capture_in(response)
        if response.status_code < 400 and stamp:
            timestamp = cdx.parse_timestamp(stamp)
            assert timestamp is not None  # the pattern guarantees 14 digits
            return SaveResult(
                url,
                archive_url=capture_url(options.base_url, timestamp, url),
                timestamp=timestamp,
                existing=timestamp < started,
                calls=calls,
            )
        status = response.status_code
        delay = backoff_delay(
            attempt,
            response.headers.get("retry-after"),
            base=options.backoff,
            cap=options.max_backoff,
        )
        if status == 429:
            problem = "Save Page Now refused: too many captures requested (HTTP 429)"
            bucket.pause(delay)
        elif status in RETRY_STATUSES or status == 509:
            problem = f"Save Page Now failed (HTTP {status})"
            if attempt < options.max_retries:
                await asyncio.sleep(delay)
        elif status < 400:
            return SaveResult(url, error=f"HTTP {status} but no capture named in the answer", calls=calls)
        else:
            return SaveResult(url, error=f"Save Page Now answered HTTP {status}", calls=calls)
    return SaveResult(url, error=problem, calls=calls)


def plan(
    links: Sequence[Link],
    results: Mapping[str, LinkResult],
    options: ArchiveOptions,
    *,
    cache: Cache | None = None,
    progress: ArchiveProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    today: dt.date | None = None,
) -> SavePlan:
    """Which live links to capture: those whose newest capture is older than
    ``options.fresh_days``, or that have none. Unchecked links are left out: saving
    a page nobody has seen alive may archive an error page."""
    day = today or dt.datetime.now(dt.timezone.utc).date()
    live: list[Link] = []
    not_live: list[str] = []
    seen: set[str] = set()
    for link in links:
        if link.url in seen:
            continue
        seen.add(link.url)
        result = results.get(link.url)
        if result is not None and LinkStatus(result.status) in LIVE_STATUSES:
            # No dates: the question is "is there a capture near today?"
            live.append(Link(url=link.url, line=link.line))
        else:
            not_live.append(link.url)

    newest_options = replace(options, archive_all=True)
    outcome = in_own_loop(
        lambda: asyncio.run(lookup_all(live, {}, newest_options, cache=cache, progress=progress, transport=transport))
    )
    to_save: list[str] = []
    recent = {}
    for link in live:
        capture = outcome.captures.get(link.url)
        if capture is not None and (day - capture.timestamp.date()).days <= options.fresh_days:
            recent[link.url] = capture
        else:
            to_save.append(link.url)  # a failed lookup too: SPN itself skips fresh pages
    return SavePlan(to_save, recent, dict(outcome.errors), not_live, outcome.calls)
