"""FC3xx: access dates and source dates compared with each other and with the calendar."""

from __future__ import annotations

import datetime as dt

from footcheck.model import DateMention, Document, Finding, Severity
from footcheck.rules.context import RuleContext
from footcheck.rules.interface import implements, rule

ACCESS_IN_FUTURE = rule(
    "FC301", "access-date-in-future", Severity.ERROR,
    "An access date lies after today.",
    """Nobody can have opened a page on a date still to come: the date is a typo (a wrong year is
    the usual one, 2032 for 2023) or the day and month were swapped. `--today` sets the date the
    audit compares against.""",
    example="(дата обращения: 23.12.2032)",
    fix="Correct the date to the day the page was opened.",
)
ACCESS_BEFORE_SOURCE = rule(
    "FC302", "access-before-source-date", Severity.WARNING,
    "A page was accessed before the source itself is dated.",
    """The footnote dates the source (`2023. 28 сентября.`) later than the day the author says
    they read it. One of the two dates is wrong, or the URL now points to a different, newer
    text than the one cited.""",
    example="Новость. 2023. 28 сентября. URL: … (дата обращения: 25.09.2023).",
    fix="Check both dates against the page.",
)
MALFORMED_DATE = rule(
    "FC303", "malformed-date", Severity.ERROR,
    "An access date cannot be read as a real calendar date.",
    """The text after «дата обращения» is not a date (`31.11.2023`, `12.13.2023`, a three-digit
    year, or words). The reader cannot tell when the page was seen.""",
    example="(дата обращения: 31.11.2023)",
    fix="Write the date as ДД.ММ.ГГГГ.",
)
DATE_STYLE = rule(
    "FC304", "access-date-style", Severity.INFO,
    "An access date is readable but not in the standard form.",
    """GOST R 7.0.100-2018 prints access dates as `(дата обращения: ДД.ММ.ГГГГ)`. Two-digit years,
    day/month orders that read both ways (`05/03/2024`), and dates in brackets with no label are
    understood but should be normalised before publication.""",
    example="(дата обращения: 05.03.24)",
    fix="Use the form (дата обращения: 05.03.2024).",
)
ACCESS_TOO_OLD = rule(
    "FC305", "access-date-too-old", Severity.WARNING,
    "An access date is older than the limit set with --max-age-years.",
    """Pages cited long before the paper was finished have often changed or disappeared since.
    Some journals ask authors to re-check links accessed more than a few years earlier. Off by
    default; `--max-age-years N` turns it on.""",
    example="(дата обращения: 01.02.2015) in a paper submitted in 2024",
    fix="Open the page again, confirm it still says what is cited, and update the date.",
)
ACCESS_AFTER_SUBMISSION = rule(
    "FC306", "access-date-after-submission", Severity.WARNING,
    "An access date lies after the submission date given with --submitted.",
    """The paper was submitted on the date given with `--submitted`, yet a page is said to have
    been read later. Either the date is a typo or the reference was added after submission
    without the editors being told.""",
    example="--submitted 2024-01-10 and (дата обращения: 15.02.2024)",
    fix="Check the date; confirm late additions with the editors.",
)
DATE_WITHOUT_URL = rule(
    "FC307", "access-date-without-url", Severity.WARNING,
    "A footnote has an access date but no URL.",
    """An access date only makes sense for an online source. A date with no URL usually means
    the URL was lost (a failed line-break repair in the PDF, or deleted in editing).""",
    example="5 Доклад о развитии. (дата обращения: 01.02.2024).",
    fix="Restore the URL, or remove the access date.",
)


def _all_dates(doc: Document) -> list[tuple[DateMention, int | None]]:
    out: list[tuple[DateMention, int | None]] = []
    for fn in doc.footnotes:
        out += [(d, fn.number) for d in fn.dates]
        dated = {id(d) for d in fn.dates}
        out += [(u.access_date, fn.number) for u in fn.urls
                if u.access_date and id(u.access_date) not in dated and not u.access_date.label]
    for ref in doc.references:
        if not ref.transliterated:
            out += [(u.access_date, None) for u in ref.urls if u.access_date]
    return out


def _distinct_dates(doc: Document) -> list[tuple[DateMention, int | None, str]]:
    """Each printed date once, with its footnote and how to name where it is."""
    out: list[tuple[DateMention, int | None, str]] = []
    seen: set[tuple[int, str]] = set()
    for date, footnote in _all_dates(doc):
        if (date.line, date.raw) in seen:
            continue
        seen.add((date.line, date.raw))
        out.append((date, footnote, f"footnote {footnote}" if footnote is not None else "reference list"))
    return out


@implements(MALFORMED_DATE)
def malformed(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        MALFORMED_DATE.finding(f"{where}: access date '{d.raw}' is not a valid date ({d.problem})",
                               line=d.line, footnote=fn)
        for d, fn, where in _distinct_dates(doc) if d.value is None
    ]


@implements(DATE_STYLE)
def style(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        DATE_STYLE.finding(f"{where}: access date '{d.raw}': {d.problem}", line=d.line, footnote=fn)
        for d, fn, where in _distinct_dates(doc) if d.value is not None and d.problem
    ]


@implements(ACCESS_IN_FUTURE)
def in_future(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        ACCESS_IN_FUTURE.finding(
            f"{where}: access date {d.value.isoformat()} is after today ({ctx.today.isoformat()})",
            line=d.line, footnote=fn)
        for d, fn, where in _distinct_dates(doc) if d.value is not None and d.value > ctx.today
    ]


@implements(ACCESS_AFTER_SUBMISSION)
def after_submission(doc: Document, ctx: RuleContext) -> list[Finding]:
    submitted = ctx.submitted
    if submitted is None:
        return []
    return [
        ACCESS_AFTER_SUBMISSION.finding(
            f"{where}: access date {d.value.isoformat()} is after the submission date"
            f" {submitted.isoformat()}", line=d.line, footnote=fn)
        for d, fn, where in _distinct_dates(doc) if d.value is not None and d.value > submitted
    ]


@implements(ACCESS_TOO_OLD)
def too_old(doc: Document, ctx: RuleContext) -> list[Finding]:
    years = ctx.max_age_years
    if years is None:
        return []
    limit = (ctx.submitted or ctx.today) - dt.timedelta(days=round(365.25 * years))
    return [
        ACCESS_TOO_OLD.finding(
            f"{where}: access date {d.value.isoformat()} is more than {years:g} years old",
            line=d.line, footnote=fn)
        for d, fn, where in _distinct_dates(doc) if d.value is not None and d.value < limit
    ]


@implements(ACCESS_BEFORE_SOURCE)
def before_source(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for fn in doc.footnotes:
        if fn.source_date and fn.source_date.value:
            for u in fn.urls:
                if u.access_date and u.access_date.value and u.access_date.value < fn.source_date.value:
                    findings.append(ACCESS_BEFORE_SOURCE.finding(
                        f"footnote {fn.number}: accessed {u.access_date.value.isoformat()}, before"
                        f" the source's own date {fn.source_date.value.isoformat()}",
                        line=u.access_date.line, footnote=fn.number, url=u.url))
    return findings


@implements(DATE_WITHOUT_URL)
def without_url(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        DATE_WITHOUT_URL.finding(f"footnote {fn.number} has an access date but no URL", line=fn.line,
                                 footnote=fn.number)
        for fn in doc.footnotes if fn.dates and not fn.urls and any(d.value for d in fn.dates)
    ]
