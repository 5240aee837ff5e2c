"""Wires the stages together: load -> parse -> rules -> check -> archive -> findings.

This is the one module that knows every stage; each stage knows only the ones before
it. The CLI builds :class:`RunOptions`, calls :func:`run_audit` and hands the audits to a
reporter. Network stages are imported only when used, so an offline run stays fast.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footcheck.load import LoadedText
from footcheck.model import Audit, Finding, Link, LinkResult, LinkStatus
from footcheck.parse import collect_links, parse_loaded
from footcheck.rules import RuleContext, run_static_rules, select_findings, sort_findings

if TYPE_CHECKING:
    from footcheck._cache import Cache
    from footcheck.archive.interface import ArchiveOptions
    from footcheck.check.options import CheckOptions
    from footcheck.registry.interface import RegistryOptions
    from footcheck.registry.verify import DocumentRegistry


@dataclass(frozen=True)
class RunOptions:
    """How to audit: the rules' context, and the network stages' options (None: not run)."""

    context: RuleContext
    offline: bool = True
    check: CheckOptions | None = None
    archive: ArchiveOptions | None = None  # None: no Wayback lookups
    registry: RegistryOptions | None = None  # None: no DOI registry lookups (--no-registry)
    use_cache: bool = True
    cache_dir: Path | None = None
    progress: Any = None  # an object with the checker's and the archive's progress callbacks
    accept: frozenset[int] = frozenset()  # HTTP statuses the configuration counts as fine


@dataclass
class RunOutcome:
    """The audits of a run, whether it was interrupted, and the notes for stderr."""

    audits: list[Audit]
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)  # said once on stderr (cache disabled, ...)


def audit_static(loaded: LoadedText, context: RuleContext) -> Audit:
    """Everything that needs no network: the model, its links and the static findings."""
    # The parser builds millions of small acyclic objects; the cyclic collector would walk
    # them again and again for nothing (about a tenth of the time on a monograph).
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        from footcheck.rules.input import input_findings

        doc = parse_loaded(loaded)
        found = select_findings(input_findings(loaded, doc), context)
        findings = sort_findings(run_static_rules(doc, context) + found)
        return Audit(document=doc, links=collect_links(doc), findings=tuple(findings), offline=True)
    finally:
        if was_enabled:
            gc.enable()


def run_audit(documents: Sequence[LoadedText], options: RunOptions) -> RunOutcome:
    return finish_audits([audit_static(d, options.context) for d in documents], options)


def finish_audits(audits: list[Audit], options: RunOptions) -> RunOutcome:
    """The network stages over static audits: every unique URL checked once (one cache,
    one politeness budget for all papers), archive lookups per citation date."""
    if options.offline:
        return RunOutcome(audits)
    outcome = RunOutcome(audits)
    with _opened_cache(options, outcome) as cache:
        network = _network_state()
        results, interrupted = _check(audits, options, cache, network)
        outcome.interrupted = interrupted
        no_network_note = len(outcome.notes)
        if network.down:
            # said once, and no Wayback lookups: they would only fail the same way
            outcome.notes.append(f"no network: {network.unverified} link{'s' if network.unverified != 1 else ''}"
                                 f" not verified ({network.reason})")
        lookups = None
        if options.archive is not None and not interrupted and not network.down:
            try:
                lookups = _archive(audits, results, options, cache, outcome)
            except KeyboardInterrupt:  # Ctrl-C or SIGTERM while asking the archive
                outcome.interrupted = True
        registry: list[Any] = [None] * len(audits)
        if options.registry is not None and not outcome.interrupted:
            # without a network the public registries cannot answer either; services the
            # user named (a local mirror, a test double) may still be reachable
            if network.down and options.registry.public:
                # the one "no network" note says this too, so the user reads it once
                outcome.notes[no_network_note] += "; the DOI registries were not asked"
            else:
                registry = _registry(audits, options.registry, cache)
        finished = []
        for a, r in zip(audits, registry, strict=True):
            mine, archive_out = lookups.for_audit(a, results) if lookups else (results, None)
            finished.append(_finish(a, mine, archive_out, options, r))
        outcome.audits = finished
    return outcome


def _registry(audits: Sequence[Audit], options: RegistryOptions, cache: Cache | None) -> list[DocumentRegistry]:
    from footcheck.registry.verify import verify_documents

    return verify_documents([a.document for a in audits], options, cache=cache)


@contextmanager
def _opened_cache(options: RunOptions, outcome: RunOutcome) -> Iterator[Cache | None]:
    """The on-disk cache for one run, closed afterwards; None when it is off or cannot
    be opened (said once in the outcome's notes)."""
    if not options.use_cache:
        yield None
        return
    from footcheck._cache import Cache

    cache = Cache(options.cache_dir)
    if cache.error:
        outcome.notes.append(cache.error)
        yield None
        return
    try:
        yield cache
    finally:
        cache.close()
        outcome.notes.extend(cache.notes)  # e.g. switched off because another process locked it


def _unique_links(audits: Sequence[Audit]) -> list[Link]:
    seen: dict[str, Link] = {}
    for a in audits:
        for link in a.links:
            seen.setdefault(link.url, link)
    return list(seen.values())


def _network_state() -> Any:
    from footcheck.check.network import NetworkState

    return NetworkState()


def _check(
    audits: Sequence[Audit], options: RunOptions, cache: Cache | None, network: Any = None
) -> tuple[dict[str, LinkResult], bool]:
    from footcheck.check.interface import CheckInterrupted, check_links
    from footcheck.check.options import CheckOptions

    links = _unique_links(audits)
    skipped: dict[str, LinkResult] = {}
    if options.registry is not None:
        # a doi.org link leads to the publisher's page, which often refuses automated
        # clients: the registry stage verifies the DOI itself instead
        skipped = {link.url: LinkResult(link.url, LinkStatus.SKIPPED, detail="DOI: verified in the registry")
                   for link in links if _DOI_LINK.match(link.url)}
        links = [link for link in links if link.url not in skipped]
    if not links:
        return skipped, False
    try:
        results = check_links(links, options.check or CheckOptions(), cache=cache,
                              progress=options.progress, network=network)
        return {**skipped, **_accepted(results, options.accept)}, False
    except CheckInterrupted as stop:
        return {**skipped, **_accepted(dict(stop.results), options.accept)}, True


_DOI_LINK = re.compile(r"^https?://(?:dx\.|www\.)?doi\.org/10\.", re.IGNORECASE)


def _accepted(results: dict[str, LinkResult], accept: frozenset[int]) -> dict[str, LinkResult]:
    """Results whose HTTP status the configuration accepts (``links.accept``) become ok."""
    if not accept:
        return results
    from footcheck.model import LinkStatus

    return {
        url: replace(r, status=LinkStatus.OK, detail=f"HTTP {r.http_status} accepted by the configuration")
        if r.http_status in accept and r.status is not LinkStatus.OK else r
        for url, r in results.items()
    }


def _date_key(link: Link) -> tuple[str, Any, Any]:
    return (link.url, link.access_date, link.source_date)


@dataclass
class _Lookups:
    """Archive lookups in rounds: round k holds the k-th distinct (access date, source
    date) of each URL, so a URL cited by several papers is looked up near each paper's
    own date (the cache keys lookups by URL and date, and the check ran once)."""

    round_of: dict[tuple[str, Any, Any], int]
    outcomes: list[Any]

    def for_audit(self, audit: Audit, results: dict[str, LinkResult]) -> tuple[dict[str, LinkResult], Any]:
        from footcheck.archive.interface import ArchiveOutcome, attach_captures

        if len(self.outcomes) == 1:
            return attach_captures(audit.links, results, self.outcomes[0]), self.outcomes[0]
        captures: dict[str, Any] = {}
        errors: dict[str, str] = {}
        candidates: dict[str, Any] = {}
        notes: dict[str, str] = {}
        for link in audit.links:
            out = self.outcomes[self.round_of[_date_key(link)]]
            for mine, theirs in ((captures, out.captures), (errors, out.errors),
                                 (candidates, out.candidates), (notes, out.notes)):
                if link.url in theirs:
                    mine[link.url] = theirs[link.url]
        merged = ArchiveOutcome(captures=captures, errors=errors, candidates=candidates, notes=notes)
        return attach_captures(audit.links, results, merged), merged


def _archive(
    audits: Sequence[Audit],
    results: dict[str, LinkResult],
    options: RunOptions,
    cache: Cache | None,
    outcome: RunOutcome,
) -> _Lookups:
    from footcheck.archive.interface import find_captures

    assert options.archive is not None
    round_of: dict[tuple[str, Any, Any], int] = {}
    per_url: dict[str, int] = {}
    rounds: list[list[Link]] = []
    for a in audits:
        for link in a.links:
            key = _date_key(link)
            if key in round_of:
                continue
            n = per_url.get(link.url, 0)
            per_url[link.url] = n + 1
            if n == len(rounds):
                rounds.append([])
            rounds[n].append(link)
            round_of[key] = n
    outcomes: list[Any] = [find_captures(links, results, options.archive, cache=cache, progress=options.progress,
                                         transport=_archive_transport(options))
                           for links in rounds]
    if not outcomes:
        from footcheck.archive.interface import ArchiveOutcome

        outcomes = [ArchiveOutcome()]
    return _Lookups(round_of, outcomes)


def _archive_transport(options: RunOptions) -> Any:
    """``--proxy`` for the Wayback client too (the environment's proxies it reads itself)."""
    proxy = options.check.proxy if options.check is not None else None
    if not proxy:
        return None
    import httpx

    return httpx.AsyncHTTPTransport(proxy=httpx.Proxy(proxy))


def _finish(
    audit: Audit, results: dict[str, LinkResult], archive_out: Any, options: RunOptions,
    registry: DocumentRegistry | None = None,
) -> Audit:
    from footcheck.rules.links import link_findings

    mine = {link.url: results[link.url] for link in audit.links if link.url in results}
    found = link_findings(audit.links, mine)
    if archive_out is not None and options.archive is not None:
        from footcheck.rules.archive import archive_findings

        found += archive_findings(audit.links, mine, archive_out, options.archive)
    if registry is not None:
        from footcheck.rules.registry import registry_findings

        found += registry_findings(audit.document, registry.references, registry.footnotes)
    findings: list[Finding] = list(audit.findings) + select_findings(found, options.context)
    return replace(audit, results=mine, findings=tuple(sort_findings(findings)), offline=False,
                   registry=dict(registry.references) if registry is not None else {})


def plan_archive(documents: Sequence[LoadedText], options: RunOptions) -> tuple[list[Audit], Any]:
    """For ``footcheck archive``: check the links, then find the live ones that have no
    recent capture. Returns the audits (with link results) and the archive's SavePlan."""
    from footcheck.archive.interface import plan_saves

    assert options.archive is not None
    audits = [audit_static(d, options.context) for d in documents]
    outcome = RunOutcome(audits)
    with _opened_cache(options, outcome) as cache:
        results, _ = _check(audits, options, cache)
        plan = plan_saves(_unique_links(audits), results, options.archive, cache=cache,
                          progress=options.progress, today=options.context.today)
    return [_finish(a, results, None, options) for a in audits], plan


def save_archive(urls: Sequence[str], options: RunOptions) -> list[Any]:
    from footcheck.archive.interface import save_pages

    assert options.archive is not None
    with _opened_cache(options, RunOutcome([])) as cache:
        return save_pages(urls, options.archive, cache=cache, progress=options.progress)
