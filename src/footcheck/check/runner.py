"""Checking all links of a document: one client, one task per unique URL, the cache."""

from __future__ import annotations

import asyncio
import dataclasses
import gc
import itertools
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import httpx

from footcheck.check.cache import LinkCache, cache_key
from footcheck.check.checker import Checker, Outcome
from footcheck.check.guard import Guard, address_problem, parse_address
from footcheck.check.limits import HostLimiter
from footcheck.check.network import NetworkState, NetworkWatch, network_failure, unverified
from footcheck.check.options import (
    CheckInterrupted,
    CheckOptions,
    CheckProgress,
    Resolver,
)
from footcheck.check.proxy import ProxyRoute, looks_internal
from footcheck.check.resolve import BoundedResolver, SystemResolver
from footcheck.check.transport import HttpxTransport, Transport, build_transport, request_headers
from footcheck.model import Link, LinkResult, LinkStatus
from footcheck.titles import choose_title

if TYPE_CHECKING:
    from footcheck._cache import Cache  # only in annotations: an uncached run never imports sqlite3


def check_links(
    links: Sequence[Link],
    options: CheckOptions | None = None,
    *,
    cache: Cache | None = None,
    progress: CheckProgress | None = None,
    transport: httpx.AsyncBaseTransport | Transport | None = None,
    resolver: Resolver | None = None,
    network: NetworkState | None = None,
) -> dict[str, LinkResult]:
    """Check every link over HTTP; results keyed by ``Link.url``.

    ``network``, when given, is filled in: whether there was no network at all (the
    links are then ``unverified``; see :mod:`footcheck.check.network`).
    Raises :class:`CheckInterrupted` (with the results finished so far) on Ctrl-C.
    """
    results: dict[str, LinkResult] = {}
    # Everything alive before the run (imported modules, the parsed paper) is set aside
    # from the cyclic garbage collector while the run allocates its many short-lived
    # objects: its collections otherwise rescan much of it (3-7 % of the CPU of a
    # 1,000-URL run, bench_links.py). Only if nobody else froze objects; thawed afterwards.
    freeze = gc.get_freeze_count() == 0
    if freeze:
        gc.freeze()
    try:
        return asyncio.run(
            _run(links, options or CheckOptions(), cache, progress, transport, resolver, results,
                 network)
        )
    except KeyboardInterrupt:  # Python 3.10, or a second Ctrl-C during clean-up
        raise CheckInterrupted(dict(results)) from None
    finally:
        if freeze:
            gc.unfreeze()


async def check_links_async(
    links: Sequence[Link],
    options: CheckOptions | None = None,
    *,
    cache: Cache | None = None,
    progress: CheckProgress | None = None,
    transport: httpx.AsyncBaseTransport | Transport | None = None,
    resolver: Resolver | None = None,
    network: NetworkState | None = None,
) -> dict[str, LinkResult]:
    """The same as :func:`check_links` inside a running event loop.

    Cancelling the task raises :class:`CheckInterrupted` with the partial results.
    """
    return await _run(links, options or CheckOptions(), cache, progress, transport, resolver, {},
                      network)


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
    transport: httpx.AsyncBaseTransport | Transport | None,
    resolver: Resolver | None,
    results: dict[str, LinkResult],
    network: NetworkState | None = None,
) -> dict[str, LinkResult]:
    if progress is not None:
        progress.started(len(links))
    groups: dict[str, list[Link]] = {}
    for link in links:
        groups.setdefault(cache_key(link.url), []).append(link)
    store = LinkCache(cache, options.cache_ttl, allow_private=options.allow_private)
    bounded = BoundedResolver(resolver if resolver is not None else SystemResolver(), options.dns_timeout)
    route = ProxyRoute.from_settings(options.proxy, trust_env=options.trust_env)
    guard = Guard(
        bounded,
        allow_private=options.allow_private,
        allow_networks=options.allow_networks,
        proxy_resolves=_proxy_resolves(route),
    )
    seam: Transport
    if transport is None:
        seam = build_transport(options, guard=guard, route=route)
    elif isinstance(transport, httpx.AsyncBaseTransport):
        seam = HttpxTransport(transport, request_headers(options.user_agent), options.longest_timeout)
    else:
        seam = transport
    # behind a proxy, the proxy is the network there is or is not
    targets = tuple(_origin(p) for p in route.proxies) if route is not None else options.probe_hosts
    watch = NetworkWatch(targets if options.probe_hosts else (), bounded, options.probe_timeout,
                         groups=len(groups), state=network if network is not None else NetworkState())

    def finish(group: list[Link], outcome: Outcome, *, fresh: bool = True) -> None:
        for link in group:
            result = dataclasses.replace(
                outcome.result, url=link.url, title=choose_title(outcome.titles, link.cited_title)
            )
            results[link.url] = result
            if progress is not None:
                progress.finished_one(link.url, result)
        if fresh and watch.listening:  # settled after the first answer: skip _public then
            watch.observe(outcome.result, public=_public(group[0].url, guard))

    try:
        limiter = HostLimiter(options.concurrency, options.per_host, options.hosts)
        checker = Checker(seam, options, guard, limiter, progress)

        async def check_group(group: list[Link]) -> None:
            first = group[0]
            cached = None if checker.excluded(first.url) else store.get(first.url)
            if cached is not None:
                finish(group, Outcome(cached[0], tuple(cached[1]), transient=False), fresh=False)
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
        everything = asyncio.gather(*tasks)
        no_network = asyncio.ensure_future(watch.down.wait())
        first_of: set[asyncio.Future[Any]] = {everything, no_network}
        try:
            await asyncio.wait(first_of, return_when=asyncio.FIRST_COMPLETED)
            if everything.done():
                everything.result()  # a bug in the runner itself is raised here
                await watch.settle()
            else:  # no network: the rest would only fail the same way
                for task in tasks:
                    task.cancel()
                await asyncio.gather(everything, return_exceptions=True)
        except asyncio.CancelledError:
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            raise CheckInterrupted(dict(results)) from None
        finally:
            if everything.done() and not everything.cancelled():
                everything.exception()  # retrieved: the run is over either way
            no_network.cancel()
            await watch.close()
    finally:
        await seam.aclose()
    if watch.state.down:
        for link in links:
            result = results.get(link.url)
            if result is None or network_failure(result):
                results[link.url] = unverified(link.url, watch.state.reason)
                watch.state.unverified += 1
    return {link.url: results[link.url] for link in links if link.url in results}


def _public(url: str, guard: Guard) -> bool:
    """Whether a URL's host is (as far as the guard saw) on the public internet."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    literal = parse_address(host)
    if literal is not None:
        return address_problem(literal) is None
    return bool(host) and not guard.is_private(host) and not looks_internal(host)


def _origin(proxy: str) -> str:
    url = httpx.URL(proxy)
    return f"{url.host}:{url.port or (443 if url.scheme == 'https' else 80)}"


def _proxy_resolves(route: ProxyRoute | None) -> Callable[[str], bool] | None:
    """Behind a proxy, a public-looking name that does not resolve here is left to the
    proxy to resolve (the guard still refuses what it can vet, and internal names)."""
    if route is None:
        return None

    def proxied(host: str) -> bool:
        if looks_internal(host):
            return False
        return any(route.proxy_for(httpx.URL(f"{scheme}://{host}/")) for scheme in ("http", "https"))

    return proxied


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
