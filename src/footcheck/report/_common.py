"""Facts every format reports the same way: counts, link verdicts, dates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from footcheck.model import (
    ArchiveCapture,
    Audit,
    Citation,
    Document,
    Finding,
    Footnote,
    Link,
    LinkResult,
    LinkStatus,
    Reference,
    Severity,
)

OFFLINE_DETAIL = "offline"
NOT_CHECKED_DETAIL = "not checked"

SEVERITY_ORDER = (Severity.ERROR, Severity.WARNING, Severity.INFO)


def summary_counts(audits: Sequence[Audit]) -> dict[str, int]:
    """The totals of the JSON ``summary`` object, in its key order."""
    counts = {
        "documents": len(audits),
        "footnotes": 0,
        "citations": 0,
        "links": 0,
        "errors": 0,
        "warnings": 0,
        "info": 0,
    }
    key = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
    for audit in audits:
        counts["footnotes"] += len(audit.document.footnotes)
        counts["citations"] += len(audit.document.citations)
        counts["links"] += len(audit.links)
        for finding in audit.findings:
            counts[key[Severity(finding.severity)]] += 1
    return counts


@dataclass(frozen=True, slots=True)
class LinkView:
    """A link with the verdict to show: its check result, or why there is none."""

    link: Link
    status: LinkStatus
    http_status: int | None
    final_url: str | None
    detail: str
    archive: ArchiveCapture | None


def link_view(audit: Audit, link: Link) -> LinkView:
    return view_for_url(audit, link.url, link)


def view_for_url(audit: Audit, url: str, link: Link | None = None) -> LinkView:
    result: LinkResult | None = audit.results.get(url)
    link = link or Link(url=url)
    if result is None:
        # Offline, or the run was interrupted before this URL was reached.
        detail = OFFLINE_DETAIL if audit.offline else NOT_CHECKED_DETAIL
        return LinkView(link, LinkStatus.SKIPPED, None, None, detail, None)
    return LinkView(
        link,
        LinkStatus(result.status),
        result.http_status,
        result.final_url,
        result.detail,
        result.archive,
    )


def link_status_counts(audit: Audit) -> dict[LinkStatus, int]:
    """How many unique links got each verdict, in the vocabulary's order."""
    counts = dict.fromkeys(LinkStatus, 0)
    for link in audit.links:
        counts[link_view(audit, link).status] += 1
    return {status: n for status, n in counts.items() if n}


def iso_date(value: dt.date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        value = value.date()
    return value.isoformat()


def iso_timestamp(value: dt.datetime) -> str:
    """``2023-12-20T14:03:11Z``; a naive value is taken to be UTC already."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.timezone.utc)
    return value.strftime("%Y-%m-%dT%H:%M:%SZ")


def _unique(values: Iterable[dt.date]) -> list[dt.date]:
    return list(dict.fromkeys(values))


def footnote_access_dates(footnote: Footnote) -> list[dt.date]:
    """Every readable access date of a footnote, once each, in order of appearance.

    A date printed once after two URLs belongs to both; it is listed once.
    """
    from_urls = [u.access_date.value for u in footnote.urls if u.access_date]
    from_text = [d.value for d in footnote.dates]
    return _unique(d for d in (*from_urls, *from_text) if d is not None)


def reference_access_dates(reference: Reference) -> list[dt.date]:
    return _unique(u.access_date.value for u in reference.urls if u.access_date and u.access_date.value)


def unique_urls(urls: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(urls))


def findings_by_severity(findings: Iterable[Finding]) -> dict[Severity, list[Finding]]:
    """Findings grouped error > warning > info, each group ordered by line."""
    groups: dict[Severity, list[Finding]] = {severity: [] for severity in SEVERITY_ORDER}
    for finding in findings:
        groups[Severity(finding.severity)].append(finding)
    for group in groups.values():
        group.sort(key=lambda f: (f.line is None, f.line or 0, f.code))
    return groups


def matched_reference(document: Document, citation: Citation) -> Reference | None:
    """The entry a citation was matched to.

    ``Citation.reference`` is a 0-based position in ``Document.references`` (that is how
    the parser sets it); reports show the entry's own 1-based ``index`` instead.
    """
    position = citation.reference
    if position is None or not 0 <= position < len(document.references):
        return None
    return document.references[position]


# --- problems: the findings grouped by the cited item they concern ---------------------

# Findings about a marker in the running text, not about a footnote body.
_MARKER_CODES = frozenset({"FC101", "FC105"})


@dataclass(frozen=True, slots=True)
class Problem:
    """Everything wrong with one cited item, for the editor to fix in one place.

    ``kind`` is ``footnote`` (``number`` is its number), ``reference`` (``number`` is the
    entry's index), ``line`` (a citation or a marker in the text) or ``document``.
    ``findings`` keep every rule code; ``urls`` are the URLs they concern, in order.
    """

    kind: str
    number: int | None
    line: int | None
    severity: Severity
    findings: tuple[Finding, ...]
    urls: tuple[str, ...]

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(f.code for f in self.findings))


class _FootnoteIndex:
    """Footnotes by number; with numbering that restarts, the body a line falls in."""

    def __init__(self, footnotes: Sequence[Footnote]) -> None:
        self._by_number: dict[int, list[Footnote]] = {}
        for footnote in footnotes:
            self._by_number.setdefault(footnote.number, []).append(footnote)

    def find(self, number: int, line: int | None) -> Footnote | None:
        candidates = self._by_number.get(number)
        if not candidates:
            return None
        if line is None or len(candidates) == 1:
            return candidates[0]
        best = candidates[0]
        for footnote in candidates:  # document order; few repeats of one number
            if footnote.line <= line:
                best = footnote
            else:
                break
        return best


def problems(audit: Audit) -> list[Problem]:
    """The findings of an audit grouped one block per cited item, in document order."""
    document = audit.document
    footnotes = _FootnoteIndex(document.footnotes)
    links = {link.url: link for link in audit.links}
    references_by_line = {r.line: r for r in document.references}
    references_by_index = {r.index: r for r in document.references if not r.transliterated}
    groups: dict[tuple[str, int], list[Finding]] = {}
    meta: dict[tuple[str, int], tuple[str, int | None, int | None]] = {}

    def add(key: tuple[str, int], kind: str, number: int | None, line: int | None, finding: Finding) -> None:
        group = groups.get(key)
        if group is None:
            groups[key] = group = []
            meta[key] = (kind, number, line)
        group.append(finding)

    for finding in audit.findings:
        link = links.get(finding.url) if finding.url else None
        number = finding.footnote
        if finding.code in _MARKER_CODES and finding.line is not None:
            add(("line", finding.line), "line", None, finding.line, finding)
            continue
        if number is None and link is not None and link.footnotes:
            number = link.footnotes[0]
        if number is not None:
            footnote = footnotes.find(number, finding.line)
            if footnote is not None:
                add(("footnote", footnote.line), "footnote", footnote.number, footnote.line, finding)
                continue
            if finding.line is not None:
                add(("line", finding.line), "footnote", number, finding.line, finding)
                continue
        reference = None
        if link is not None and link.references:
            reference = references_by_index.get(link.references[0])
        if reference is None and finding.line is not None:
            reference = references_by_line.get(finding.line)
        if reference is not None:
            add(("reference", reference.line), "reference", reference.index, reference.line, finding)
        elif finding.line is not None:
            add(("line", finding.line), "line", None, finding.line, finding)
        else:
            add(("document", 0), "document", None, None, finding)

    out: list[Problem] = []
    for key, group in groups.items():
        kind, number, line = meta[key]
        group.sort(key=lambda f: (-Severity(f.severity).rank, f.line or 0, f.code))
        worst = max((Severity(f.severity) for f in group), key=lambda s: s.rank)
        urls = tuple(dict.fromkeys(f.url for f in group if f.url))
        out.append(Problem(kind, number, line, worst, tuple(group), urls))
    out.sort(key=lambda p: (p.line is not None, p.line or 0))
    return out


def problem_counts(items: Iterable[Problem]) -> dict[Severity, int]:
    counts = dict.fromkeys(SEVERITY_ORDER, 0)
    for problem in items:
        counts[problem.severity] += 1
    return counts


def problem_title(problem: Problem) -> str:
    """``footnote 7``, ``reference entry 3``, ``citation``, ``footnote marker``, ``document``."""
    if problem.kind == "footnote" and problem.number is not None:
        return f"footnote {problem.number}"
    if problem.kind == "reference" and problem.number is not None:
        return f"reference entry {problem.number}"
    if problem.kind == "line":
        codes = problem.codes
        if all(code.startswith("FC40") for code in codes):
            return "citation" if len(problem.findings) == 1 else "citations"
        if all(code in _MARKER_CODES for code in codes):
            return "footnote marker"
        return "text"
    return "document"


def source_place(path: str, document: Document, line: int | None) -> str:
    """``file:line`` where the source has lines; ``file, page N, line M`` for a PDF and
    ``file, paragraph N`` for a DOCX (the line numbers of their extracted text are not
    something a user can find)."""
    if line is None:
        return path
    where = document.locate(line)
    if where.page is not None:
        return f"{path}, page {where.page}" + (f", line {where.line}" if where.line is not None else "")
    if where.paragraph is not None:
        return f"{path}, paragraph {where.paragraph}"
    return f"{path}:{where.line if where.line is not None else line}"
