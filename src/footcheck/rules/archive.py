"""FC6xx: what the web archive says about the cited links.

These rules read what the archive stage found (``footcheck.archive``) but do not
import it: an outcome is anything with ``captures`` and ``errors`` mappings, or a bare
``{url: capture or None}`` mapping, and the options anything with ``max_gap_days``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Protocol

from footcheck import defaults
from footcheck.model import ArchiveCapture, Finding, Link, LinkResult, LinkStatus, Severity
from footcheck.rules.interface import Where, rule
from footcheck.titles import title_drift

DEFAULT_MAX_GAP_DAYS = defaults.MAX_ARCHIVE_GAP_DAYS
_DEAD = frozenset({LinkStatus.BROKEN, LinkStatus.SOFT404, LinkStatus.UNREACHABLE})
_UNVERIFIED = frozenset({LinkStatus.BLOCKED, LinkStatus.TIMEOUT})
_LIVE = frozenset({LinkStatus.OK, LinkStatus.REDIRECT})

DEAD_LINK_ARCHIVED = rule(
    "FC601",
    "dead-link-archived",
    Severity.WARNING,
    "A dead link has an archived copy: cite the copy.",
    """The cited page no longer answers (an error status, a "page not found" page or
    an unreachable host), but the Wayback Machine holds a copy made near the footnote's
    access date. Readers can only follow the citation through that copy. The copy
    chosen is the one with HTTP status 200 closest to the access date (the source's own
    date when there is none, the newest copy when there is neither).""",
    example="URL: http://mid.ru/old/page (дата обращения: 20.12.2023) -> 404",
    fix="Add the archived copy's address to the footnote, e.g. after the URL: "
    "«Архивировано: https://web.archive.org/web/20231218…/http://mid.ru/old/page».",
)
DEAD_LINK_NOT_ARCHIVED = rule(
    "FC602",
    "dead-link-not-archived",
    Severity.ERROR,
    "A dead link has no archived copy at all.",
    """The cited page no longer answers and the Wayback Machine has no capture of it
    with HTTP status 200. No reader can check the citation: the source has to be
    found elsewhere (a new address of the same document, another archive, a printed
    edition) or the claim supported differently.""",
    example="URL: http://example.ru/news/123 (дата обращения: 01.02.2019) -> 404, no capture",
    fix="Search for the document's new address or another archive; otherwise replace the source.",
)
ARCHIVE_FAR_FROM_ACCESS = rule(
    "FC603",
    "archive-far-from-access",
    Severity.WARNING,
    "The nearest archived copy is far from the access date.",
    """The archived copy nearest the footnote's access date was made long before or
    after it (by default more than 180 days). The page may have said something
    different on the day the author read it, so the copy does not prove the
    citation. The limit is set with --max-archive-gap.""",
    example="дата обращения: 20.12.2023; nearest copy 2021-03-02 (1023 days before)",
    fix="Compare the copy with the cited claim before citing it; mention its date.",
)
ARCHIVE_AFTER_ACCESS = rule(
    "FC604",
    "archive-after-access",
    Severity.WARNING,
    "The archive only has copies made after the access date.",
    """Every archived copy found was made after the footnote's access date. A page
    captured later may have been edited, moved or replaced since the author read it,
    so the copy shows what the page became, not necessarily what was cited.""",
    example="дата обращения: 20.12.2023; first copy 2024-05-11",
    fix="Check that the copy still contains the cited passage.",
)
ARCHIVE_LOOKUP_FAILED = rule(
    "FC605",
    "archive-lookup-failed",
    Severity.WARNING,
    "The web archive could not be asked about a link.",
    """footcheck asked the Wayback Machine (or the service given with --wayback-url)
    for a copy of a link that needs one, and the service failed: it did not answer
    in time, refused too many requests, or sent something unreadable. Nothing is
    known about an archived copy; the rest of the audit is unaffected.""",
    fix="Run again later (answers that did arrive are cached), or look the URL up by hand at https://web.archive.org/.",
)
ARCHIVE_COPY_FOR_REVIEW = rule(
    "FC606",
    "archive-copy-for-review",
    Severity.INFO,
    "A link that could not be verified, or whose page changed, has an archived copy.",
    """The checker could not decide whether the page is still there (the site blocked
    automated requests or did not answer in time), or the live page's title no longer
    matches the cited title. The archived copy nearest the access date lets the
    editor verify the citation by hand.""",
    fix="Open the archived copy and compare it with the citation.",
)


class GapOptions(Protocol):
    @property
    def max_gap_days(self) -> int: ...


class OutcomeLike(Protocol):
    @property
    def captures(self) -> Mapping[str, ArchiveCapture | None]: ...

    @property
    def errors(self) -> Mapping[str, str]: ...


def archive_findings(
    links: Sequence[Link],
    results: Mapping[str, LinkResult],
    outcome_or_captures: OutcomeLike | Mapping[str, ArchiveCapture | None],
    options: GapOptions | None = None,
) -> list[Finding]:
    """FC601-FC606 for every link the archive stage looked up."""
    if isinstance(outcome_or_captures, Mapping):
        captures: Mapping[str, ArchiveCapture | None] = outcome_or_captures
        errors: Mapping[str, str] = {}
        candidates: Mapping[str, Sequence[ArchiveCapture]] = {}
        notes: Mapping[str, str] = {}
    else:
        captures = outcome_or_captures.captures
        errors = outcome_or_captures.errors
        candidates = getattr(outcome_or_captures, "candidates", None) or {}
        notes = getattr(outcome_or_captures, "notes", None) or {}
    max_gap = DEFAULT_MAX_GAP_DAYS if options is None else options.max_gap_days

    findings: list[Finding] = []
    seen: set[str] = set()
    for link in links:
        if link.url in seen:
            continue
        seen.add(link.url)
        where: Where = {"line": link.line or None, "footnote": _footnote(link), "url": link.url}
        result = results.get(link.url)
        status = LinkStatus(result.status) if result is not None else None
        if link.url in errors:
            findings.append(
                ARCHIVE_LOOKUP_FAILED.finding(f"Wayback lookup failed{_cited_in(link)}: {errors[link.url]}", **where)
            )
            continue
        if link.url not in captures:
            continue
        capture = captures[link.url]
        if capture is None:
            if status in _DEAD:
                findings.append(
                    DEAD_LINK_NOT_ARCHIVED.finding(
                        f"dead link{_cited_in(link)} ({_verdict(result)}) and no archived copy"
                        + (f": {notes[link.url]}" if link.url in notes else ""),
                        **where,
                    )
                )
            continue

        copy = f"archived copy from {_when(capture, link)}"
        if status in _DEAD:
            findings.append(
                DEAD_LINK_ARCHIVED.finding(
                    f"dead link{_cited_in(link)} ({_verdict(result)}); {copy}",
                    suggestion=capture.url,
                    **where,
                )
            )
        elif status in _UNVERIFIED or (
            status in _LIVE and result is not None and title_drift(link.cited_title, result.title)
        ):
            why = (
                f"could not be verified ({_verdict(result)})"
                if status in _UNVERIFIED
                else "the live page's title differs from the cited title"
            )
            findings.append(
                ARCHIVE_COPY_FOR_REVIEW.finding(
                    f"link{_cited_in(link)} {why}; {copy}",
                    suggestion=capture.url,
                    **where,
                )
            )
        else:
            # A live link looked up only because of --archive-all (or offline): the
            # capture goes to the report; its date is no problem of the citation.
            continue

        days = capture.days_from_access
        if days is None:
            continue
        if abs(days) > max_gap:
            findings.append(
                ARCHIVE_FAR_FROM_ACCESS.finding(
                    f"nearest archived copy{_cited_in(link)} is {abs(days)} days "
                    f"{'after' if days > 0 else 'before'} the {_reference_name(link)} "
                    f"(limit {max_gap})",
                    **where,
                )
            )
        earlier = [c for c in candidates.get(link.url, ()) if (c.days_from_access or 0) <= 0]
        if days > 0 and not earlier:
            findings.append(
                ARCHIVE_AFTER_ACCESS.finding(
                    f"the archive has no copy{_cited_in(link)} from before the "
                    f"{_reference_name(link)} {_reference(link)}; the nearest is from "
                    f"{capture.timestamp:%Y-%m-%d}, {days} days later",
                    **where,
                )
            )
    return findings


def _footnote(link: Link) -> int | None:
    return link.footnotes[0] if link.footnotes else None


def _cited_in(link: Link) -> str:
    if len(link.footnotes) > 1:
        return " (footnotes " + ", ".join(map(str, link.footnotes)) + ")"
    if not link.footnotes and link.references:
        label = "reference" if len(link.references) == 1 else "references"
        return f" ({label} " + ", ".join(map(str, link.references)) + ")"
    return ""


def _verdict(result: LinkResult | None) -> str:
    if result is None:
        return "not checked"
    status = LinkStatus(result.status).value
    return f"{status}, HTTP {result.http_status}" if result.http_status else status


def _reference(link: Link) -> str:
    day: dt.date | None = link.access_date or link.source_date
    return day.isoformat() if day else ""


def _reference_name(link: Link) -> str:
    return "access date" if link.access_date else "source's date"


def _when(capture: ArchiveCapture, link: Link) -> str:
    day = f"{capture.timestamp:%Y-%m-%d}"
    days = capture.days_from_access
    if days is None:
        return f"{day} (the newest copy)"
    name = f"{_reference_name(link)} {_reference(link)}"
    if days == 0:
        return f"{day}, the {name}"
    unit = "day" if abs(days) == 1 else "days"
    return f"{day}, {abs(days)} {unit} {'after' if days > 0 else 'before'} the {name}"
