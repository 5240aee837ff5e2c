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
