"""Checking all links of a document: one client, one task per unique URL, the cache."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Sequence
from urllib.parse import urlsplit

import httpx

from footcheck._cache import Cache
from footcheck.check.cache import LinkCache, cache_key
from footcheck.check.checker import Checker, Outcome
from footcheck.check.client import build_client, build_transport
from footcheck.check.guard import Guard
from footcheck.check.limits import HostLimiter
from footcheck.check.options import (
    CheckInterrupted,
    CheckOptions,
    CheckProgress,
    Resolver,
)
from footcheck.check.resolve import SystemResolver
from footcheck.model import Link, LinkResult, LinkStatus
from footcheck.rules.links import choose_title


def check_links(
    links: Sequence[Link],
    options: CheckOptions | None = None,
    *,
    cache: Cache | None = None,
    progress: CheckProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
) -> dict[str, LinkResult]:
    """Check every link over HTTP; results keyed by ``Link.url``.

    Raises :class:`CheckInterrupted` (with the results finished so far) on Ctrl-C.
    """
    results: dict[str, LinkResult] = {}
    try:
        return asyncio.run(
            _run(links, options or CheckOptions(), cache, progress, transport, resolver, results)
        )
    except KeyboardInterrupt:  # Python 3.10, or a second Ctrl-C during clean-up
        raise CheckInterrupted(dict(results)) from None


async def check_links_async(
    links: Sequence[Link],
    options: CheckOptions | None = None,
    *,
    cache: Cache | None = None,
    progress: CheckProgress | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    resolver: Resolver | None = None,
) -> dict[str, LinkResult]:
    """The same as :func:`check_links` inside a running event loop.

    Cancelling the task raises :class:`CheckInterrupted` with the partial results.
    """
    return await _run(links, options or CheckOptions(), cache, progress, transport, resolver, {})


def offline_results(links: Sequence[Link], reason: str = "offline") -> dict[str, LinkResult]:
    """``skipped`` results for a run that does not touch the network."""
    return {
        link.url: LinkResult(url=link.url, status=LinkStatus.SKIPPED, detail=reason)
        for link in links
    }


async def _run(
    links: Sequence[Link],
    options: CheckOptions,
    cache: Cache | None,
    progress: CheckProgress | None,
    transport: httpx.AsyncBaseTransport | None,
    resolver: Resolver | None,
    results: dict[str, LinkResult],
) -> dict[str, LinkResult]:
    if progress is not None:
        progress.started(len(links))
    groups: dict[str, list[Link]] = {}
    for link in links:
        groups.setdefault(cache_key(link.url), []).append(link)
    store = LinkCache(cache, options.cache_ttl, allow_private=options.allow_private)
    guard = Guard(
        resolver if resolver is not None else SystemResolver(),
        allow_private=options.allow_private,
        allow_networks=options.allow_networks,
    )
    if transport is None:
        transport = build_transport(options, guard=guard)

    def finish(group: list[Link], outcome: Outcome) -> None:
        for link in group:
            result = dataclasses.replace(
                outcome.result, url=link.url, title=choose_title(outcome.titles, link.cited_title)
            )
            results[link.url] = result
            if progress is not None:
                progress.finished_one(link.url, result)

    async with build_client(options, transport) as client:
        checker = Checker(
            client, options, guard, HostLimiter(options.concurrency, options.per_host), progress
        )

        async def check_group(group: list[Link]) -> None:
            first = group[0]
            cached = None if checker.excluded(first.url) else store.get(first.url)
            if cached is not None:
                finish(group, Outcome(cached[0], tuple(cached[1]), transient=False))
                return
            try:
                outcome = await checker.check(first.url, first.cited_title)
            except Exception as exc:  # a bug for one URL must not end the run
                outcome = Outcome(
                    LinkResult(
                        url=first.url,
                        status=LinkStatus.SKIPPED,
                        detail=f"not checked: internal error ({type(exc).__name__}: {exc})",
                    )
                )
            if not outcome.transient and outcome.result.status is not LinkStatus.SKIPPED:
                store.put(first.url, outcome.result, outcome.titles, private=outcome.private)
            finish(group, outcome)

        tasks = [asyncio.create_task(check_group(groups[key])) for key in _interleave(groups)]
        try:
            await asyncio.gather(*tasks)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise CheckInterrupted(dict(results)) from None
    return {link.url: results[link.url] for link in links if link.url in results}


def _interleave(groups: dict[str, list[Link]]) -> list[str]:
    """URL keys taken round-robin over hosts, so the first requests spread over sites."""
    by_host: dict[str, list[str]] = {}
    for key in groups:
        try:
            host = urlsplit(key).hostname or ""
        except ValueError:
            host = ""
        by_host.setdefault(host, []).append(key)
    order = itertools.zip_longest(*by_host.values())
    return [key for row in order for key in row if key is not None]
