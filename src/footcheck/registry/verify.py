"""The registry stage: every DOI of the documents asked about once, every entry judged.

For each unique DOI (case-insensitive, over all documents): the handle API says whether
it exists; Crossref's record (or, for another agency, the CSL JSON that doi.org's content
negotiation hands out) says what it is; ``works?filter=updates:{doi}`` finds the notices
that point at it (a retraction notice points at the original, so the original's record
alone would miss it). Entries without a DOI get a bibliographic query and, when one
candidate clears the precision-first bar of :mod:`footcheck.registry.match`, a suggestion.

One ``httpx.AsyncClient`` for the run, each service paced by its own headers, answers
cached (a week for records, a day for "not registered"). Failures become "unverified"
results with the reason; nothing here raises to the caller.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx

from footcheck._tls import client_context
from footcheck.model import Document, Reference, RegistryNotice, RegistryResult, RegistryStatus
from footcheck.parse.dois import doi_key
from footcheck.parse.twin import pair_twin
from footcheck.registry.crossref import Crossref
from footcheck.registry.doi import DoiOrg
from footcheck.registry.interface import MetadataService, Record, RegistryOptions, Resolver
from footcheck.registry.match import Agreement, EntryView, compare, suggestion
from footcheck.registry.transport import RegistryError, Transport

RETRACTION_KINDS = frozenset({"retraction", "withdrawal", "removal", "partial_retraction", "retracted"})
CONCERN_KINDS = frozenset({"expression_of_concern", "expression-of-concern", "concern"})


@dataclass(frozen=True, slots=True)
class Lookup:
    """What the registries said about one DOI."""

    doi: str
    exists: bool | None  # None: doi.org could not be asked
    record: Record | None = None
    notices: tuple[RegistryNotice, ...] = ()
    error: str | None = None


@dataclass
class DocumentRegistry:
    """The results for one document."""

    references: dict[int, RegistryResult] = field(default_factory=dict)  # by position in Document.references
    footnotes: list[tuple[int, RegistryResult]] = field(default_factory=list)  # (footnote number, result)


@dataclass
class RegistryStats:
    calls: dict[str, int] = field(default_factory=dict)  # requests per service


def verify_documents(
    documents: Sequence[Document], options: RegistryOptions, *, cache: Any = None,
    transport: httpx.AsyncBaseTransport | None = None, stats: RegistryStats | None = None,
) -> list[DocumentRegistry]:
    """Ask the registries about every DOI and entry of the documents."""
    return asyncio.run(_verify(documents, options, cache, transport, stats))


async def _verify(
    documents: Sequence[Document], options: RegistryOptions, cache: Any,
    transport: httpx.AsyncBaseTransport | None, stats: RegistryStats | None,
) -> list[DocumentRegistry]:
    limits = httpx.Limits(max_connections=2 * options.max_concurrency,
                          max_keepalive_connections=options.max_concurrency)
    async with httpx.AsyncClient(timeout=options.timeout, follow_redirects=False, trust_env=False,
                                 verify=client_context(trust_env=False),  # once per process (_tls.py)
                                 limits=limits, transport=transport) as client:
        tr = Transport(client, retries=options.retries, backoff_base=options.backoff_base,
                       retry_after_cap=options.retry_after_cap, max_concurrency=options.max_concurrency)
        crossref = Crossref(tr, options, cache)
        resolver = DoiOrg(tr, options, cache)
        checker = _Checker(crossref, resolver, options)
        try:
            return await checker.run(documents)
        finally:
            if stats is not None:
                stats.calls = {s.name: s.calls for s in tr.services.values()}


class _Checker:
    def __init__(self, crossref: MetadataService, resolver: Resolver, options: RegistryOptions) -> None:
        self.crossref = crossref
        self.resolver = resolver
        self.options = options
        self._lookups: dict[str, asyncio.Task[Lookup]] = {}
        self._searches: dict[str, asyncio.Task[tuple[Record, ...] | str]] = {}

    def lookup(self, doi: str) -> asyncio.Task[Lookup]:
        key = doi_key(doi)
        task = self._lookups.get(key)
        if task is None:
            task = self._lookups[key] = asyncio.get_running_loop().create_task(self._lookup(doi))
        return task

    async def _lookup(self, doi: str) -> Lookup:
        exists: bool | None
        problems: list[str] = []
        try:
            exists = await self.resolver.exists(doi)
        except RegistryError as exc:
            exists, problem = None, str(exc)
            problems.append(problem)
        if exists is False:
            return Lookup(doi, False)
        record: Record | None = None
        crossref_failed = False
        try:
            record = await self.crossref.work(doi)
        except RegistryError as exc:
            problems.append(str(exc))
            crossref_failed = True
        if record is None and exists and not crossref_failed:
            # not a Crossref DOI: its own agency answers through doi.org's content negotiation
            try:
                record = await self.resolver.metadata(doi)
            except RegistryError as exc:
                problems.append(str(exc))
        notices: tuple[RegistryNotice, ...] = ()
        if record is not None and record.agency == "crossref":
            try:
                notices = await self.crossref.updates(doi)
            except RegistryError as exc:
                problems.append(str(exc))
            notices = _merge(notices, record.notices)
        if record is not None and exists is None:
            exists = True  # Crossref holds it: registered
        error = "; ".join(problems) if problems and (record is None or exists is None) else None
        if record is not None and problems and error is None:
            error = "; ".join(problems)  # the record was read, but the notices may be missing
        return Lookup(doi, exists, record, notices, error)

    def search(self, query: str) -> asyncio.Task[tuple[Record, ...] | str]:
        task = self._searches.get(query)
        if task is None:
            task = self._searches[query] = asyncio.get_running_loop().create_task(self._search(query))
        return task

    async def _search(self, query: str) -> tuple[Record, ...] | str:
        try:
            return await self.crossref.search(query, rows=2)
        except RegistryError as exc:
            return str(exc)

    async def run(self, documents: Sequence[Document]) -> list[DocumentRegistry]:
        plans = []
        for doc in documents:
            twins = _twins(doc)
            refs: list[tuple[int, EntryView, Reference, Any]] = []
            for k, ref in enumerate(doc.references):
                view = EntryView(ref.text, ref.year, ref.surnames[0] if ref.surnames else None, twins.get(k))
                if ref.doi:
                    refs.append((k, view, ref, self.lookup(ref.doi)))
                elif self.options.suggest and _worth_searching(ref):
                    refs.append((k, view, ref, self.search(_query(ref, twins.get(k)))))
            notes = []
            for fn in doc.footnotes:
                for doi in fn.dois:
                    view = EntryView(fn.text, _year_in(fn.text), _first_surname(fn.text))
                    notes.append((fn.number, view, self.lookup(doi)))
            plans.append((refs, notes))
        everything = [*self._lookups.values(), *self._searches.values()]
        if everything:
            await asyncio.gather(*everything)
        out = []
        for refs, notes in plans:
            result = DocumentRegistry()
            for k, view, _ref, task in refs:
                answer = task.result()
                if isinstance(answer, Lookup):
                    result.references[k] = judge(answer, view)
                else:
                    suggested = _suggest(answer, view)
                    if suggested is not None:
                        result.references[k] = suggested
            for number, view, task in notes:
                result.footnotes.append((number, judge(task.result(), view)))
            out.append(result)
        return out


def _merge(a: tuple[RegistryNotice, ...], b: tuple[RegistryNotice, ...]) -> tuple[RegistryNotice, ...]:
    seen: dict[tuple[str, str], RegistryNotice] = {}
    for n in (*a, *b):
        seen.setdefault((n.doi.lower(), n.kind), n)
    return tuple(seen.values())


def _twins(doc: Document) -> dict[int, str]:
    pairing = pair_twin(doc.references, doc.twin)
    if pairing is None:
        return {}
    return {k: doc.twin[j].text for k, j in pairing.pairs}


def _worth_searching(ref: Reference) -> bool:
    """Works that may have a DOI: an entry with a year and some length, not an archival
    file or a bare web page."""
    if not ref.year or len(ref.text) < 30:
        return False
    if re.search(r"\b(?:Ф|Оп|Д|Л)\.\s*\d", ref.text):
        return False
    return not (ref.urls and "//" not in ref.text.replace("://", "") and not re.search(r"\d\s*с\.|pp?\.", ref.text))


_NOT_QUERIED = re.compile(r"(?:https?://|www\.)\S+|\((?:дата|accessed)[^)]*\)")


def _query(ref: Reference, twin: str | None) -> str:
    text = _NOT_QUERIED.sub(" ", ref.text)
    if twin:
        text += " " + _NOT_QUERIED.sub(" ", twin)
    return " ".join(text.split())[:500]


def _year_in(text: str) -> str | None:
    years = re.findall(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", re.sub(r"10\.\d{4,9}/\S+", " ", text))
    return years[0] if years else None


def _first_surname(text: str) -> str | None:
    m = re.match(r"\s*(?:См\.:?\s*)?([А-ЯЁA-Z][а-яёa-z'’-]+),?\s+(?:[А-ЯЁA-Z]\.\s?){1,3}", text)
    return m.group(1) if m else None


def _record_fields(record: Record) -> dict[str, Any]:
    return {"title": record.title, "year": record.year, "authors": record.authors, "agency": record.agency}


def judge(lookup: Lookup, view: EntryView) -> RegistryResult:
    """The verdict on one DOI for one entry (or footnote)."""
    if lookup.exists is False:
        return RegistryResult(RegistryStatus.NOT_FOUND, doi=lookup.doi, detail="doi.org has no such handle")
    record = lookup.record
    if record is None:
        detail = lookup.error or "registered, but no agency gave its metadata"
        return RegistryResult(RegistryStatus.UNVERIFIED, doi=lookup.doi, detail=detail)
    agreement = compare(record, view)
    verdict = agreement.verdict()
    fields = _record_fields(record)
    if verdict == "other":
        return RegistryResult(RegistryStatus.MISMATCH, doi=lookup.doi, score=agreement.score,
                              notices=lookup.notices, detail="other-work: " + _differences(agreement), **fields)
    retracted = [n for n in lookup.notices if n.kind in RETRACTION_KINDS]
    if retracted:
        return RegistryResult(RegistryStatus.RETRACTED, doi=lookup.doi, score=agreement.score,
                              notices=lookup.notices, detail=lookup.error or "", **fields)
    if verdict == "partial":
        return RegistryResult(RegistryStatus.MISMATCH, doi=lookup.doi, score=agreement.score,
                              notices=lookup.notices, detail="partial: " + _differences(agreement), **fields)
    if verdict == "unknown":
        return RegistryResult(RegistryStatus.UNVERIFIED, doi=lookup.doi, score=agreement.score,
                              notices=lookup.notices, detail="the entry gives nothing to compare", **fields)
    return RegistryResult(RegistryStatus.MATCH, doi=lookup.doi, score=agreement.score, notices=lookup.notices,
                          detail=lookup.error or "", **fields)


def _differences(agreement: Agreement) -> str:
    parts = []
    if agreement.title is not None and agreement.title < 0.8:
        parts.append(f"title agrees {agreement.title:.0%}")
    if agreement.author == 0:
        parts.append("another first author")
    elif agreement.author == 0.5:
        parts.append("the entry's author is not the record's first")
    if agreement.year == 0:
        parts.append("another year")
    elif agreement.year == 0.5:
        parts.append("a year apart")
    return ", ".join(parts) or "the record differs"


def _suggest(answer: tuple[Record, ...] | str, view: EntryView) -> RegistryResult | None:
    if isinstance(answer, str):
        return None  # a failed search is no finding: the entry had no DOI to verify
    found = suggestion(answer, view)
    if found is None:
        return None
    record, agreement = found
    return RegistryResult(RegistryStatus.UNVERIFIED, doi=None, suggested_doi=record.doi, score=agreement.score,
                          detail="suggestion", **_record_fields(record))
