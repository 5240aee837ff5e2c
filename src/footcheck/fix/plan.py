"""Plan the fixes of one paper: pure, from the audit and the paper's source text.

Each fix is tied to the finding that asks for it — FC202 (tracking parameters), FC506 (moved
permanently), FC601 (dead link with an archived copy), FC304 (access-date style) — so
``--select``/``--ignore`` of the rules and of the fixes agree, and a fix never touches text
outside the cited item: every edit lies inside the printed URL or right after the item's
access date.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from footcheck.fix.interface import (
    DEFAULT_ARCHIVE_TEMPLATE,
    DEFAULT_DATE_TEMPLATE,
    Edit,
    FixKind,
    FixPlan,
)
from footcheck.fix.locate import Span, escape_for, find_spans, runs
from footcheck.model import Audit, DateMention, LinkStatus, UrlMention
from footcheck.rules.urls import strip_tracking, tracking_cuts

_REGION_LINES = 60  # a cited item never runs longer than this past its first line
_ARCHIVE_HOSTS = ("web.archive.org", "archive.org/web", "archive.ph", "archive.today")
_DATE_GROUP = re.compile(r"\s*\((?P<inside>[^()\n]{0,200}?(?:\d{4}|\d\d)[^()\n]{0,40})\)")
_LINK_CLOSE = {"markdown": re.compile(r"\)"), "latex": re.compile(r"\}"),
               "html": re.compile(r"\"[^<>]{0,400}?>[^<]{0,2000}?</a\s*>", re.IGNORECASE)}


@dataclass(frozen=True, slots=True)
class _Item:
    """A cited item: a footnote or a reference entry, with its URLs and source region."""

    footnote: int | None
    line: int
    text: str
    urls: tuple[UrlMention, ...]
    dates: tuple[DateMention, ...]


class _Lines:
    def __init__(self, source: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", source)]
        self.size = len(source)

    def offset(self, line: int) -> int:
        """Start of 1-based ``line`` (clamped)."""
        i = min(max(line, 1), len(self.starts)) - 1
        return self.starts[i]

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset)


def plan_fixes(
    source: str,
    audit: Audit,
    kinds: Iterable[FixKind],
    *,
    fmt: str = "text",
    archive_template: str = DEFAULT_ARCHIVE_TEMPLATE,
    date_template: str = DEFAULT_DATE_TEMPLATE,
) -> FixPlan:
    wanted = frozenset(kinds)
    doc = audit.document
    lines = _Lines(source)
    items = [_Item(fn.number, fn.line, fn.text, fn.urls, fn.dates) for fn in doc.footnotes]
    items += [_Item(None, ref.line, ref.text, ref.urls, ()) for ref in doc.references if not ref.transliterated]
    starts = sorted({it.line for it in items})
    codes = {(f.code, f.url) for f in audit.findings}
    date_lines = {(f.footnote, f.line) for f in audit.findings if f.code == "FC304"}
    edits: list[Edit] = []
    skipped: list[str] = []
    for item in items:
        nxt = bisect.bisect_right(starts, item.line)
        end_line = min(starts[nxt] if nxt < len(starts) else item.line + _REGION_LINES, item.line + _REGION_LINES)
        region = (lines.offset(item.line), lines.offset(end_line) if end_line <= len(lines.starts) else lines.size)
        for mention in item.urls:
            edits += _url_fixes(source, region, lines, item, mention, audit, codes, wanted, fmt,
                                archive_template, skipped)
        if FixKind.DATE_STYLE in wanted:
            flagged = [d for d in item.dates if (item.footnote, d.line) in date_lines]
            edits += _date_fixes(source, region, lines, flagged, item, date_template)
    kept = _without_overlaps(sorted(edits, key=lambda e: (e.start, e.end)), skipped)
    return FixPlan(path=doc.path, edits=tuple(kept), skipped=tuple(skipped))


def _where(item: _Item) -> str:
    return f"footnote {item.footnote}" if item.footnote is not None else f"reference at line {item.line}"


def _url_fixes(
    source: str, region: tuple[int, int], lines: _Lines, item: _Item, mention: UrlMention, audit: Audit,
    codes: set[tuple[str, str | None]], wanted: frozenset[FixKind], fmt: str, archive_template: str,
    skipped: list[str],
) -> list[Edit]:
    url = mention.url
    printed = url.split("://", 1)[1] if mention.missing_scheme and "://" in url else url
    start = max(region[0], lines.offset(mention.line)) if mention.line else region[0]
    spans = find_spans(source, start, region[1], printed, fmt) or find_spans(source, region[0], region[1], printed, fmt)
    asks = [k for k in (FixKind.MOVED, FixKind.ARCHIVE, FixKind.TRACKING)
            if k in wanted and _asked(k, url, audit, codes)]
    if not asks:
        return []
    if not spans:
        skipped.append(f"{_where(item)}: {url} not found as printed in the source; not fixed")
        return []
    result = audit.results.get(url)
    out: list[Edit] = []
    if FixKind.MOVED in asks and result is not None and result.final_url:
        new = strip_tracking(result.final_url)[0]
        if mention.missing_scheme and new.startswith("http://"):
            new = new[len("http://"):]
        for span in spans:
            out.append(_edit(span.start, span.end, escape_for(fmt, new) if span.escaped else new, FixKind.MOVED,
                             lines, item, url, f"moved permanently to {result.final_url}"))
    elif FixKind.TRACKING in asks:
        cuts, removed = tracking_cuts(printed)
        reason = "remove " + ", ".join(removed)
        for span in spans:
            if span.escaped:
                new = strip_tracking(printed)[0]
                out.append(_edit(span.start, span.end, escape_for(fmt, new), FixKind.TRACKING,
                                 lines, item, url, reason))
                continue
            for a, b in cuts:
                for s, e in runs(span.positions[a:b]):
                    out.append(_edit(s, e, "", FixKind.TRACKING, lines, item, url, reason))
    if FixKind.ARCHIVE in asks and result is not None and result.archive is not None:
        if any(host in item.text for host in _ARCHIVE_HOSTS) or "Архивная копия" in item.text:
            skipped.append(f"{_where(item)}: {url} already has an archived copy cited")
        else:
            at = _after_item(source, spans[-1], fmt, region[1])
            text = archive_template.format(archive_url=result.archive.url, url=url,
                                           timestamp=result.archive.timestamp)
            out.append(_edit(at, at, text, FixKind.ARCHIVE, lines, item, url,
                             f"dead link: archived copy {result.archive.url}"))
    return out


def _asked(kind: FixKind, url: str, audit: Audit, codes: set[tuple[str, str | None]]) -> bool:
    if kind is FixKind.TRACKING:
        return tracking_asked(url, codes)
    if kind is FixKind.MOVED:
        return moved_asked(url, audit, codes)
    return archive_asked(url, audit, codes)


def tracking_asked(url: str, codes: set[tuple[str, str | None]]) -> bool:
    return ("FC202", url) in codes


def moved_asked(url: str, audit: Audit, codes: set[tuple[str, str | None]]) -> bool:
    result = audit.results.get(url)
    return (("FC506", url) in codes and result is not None and result.status is LinkStatus.REDIRECT
            and bool(result.final_url))


def archive_asked(url: str, audit: Audit, codes: set[tuple[str, str | None]]) -> bool:
    result = audit.results.get(url)
    return ("FC601", url) in codes and result is not None and result.archive is not None


def _after_item(source: str, span: Span, fmt: str, limit: int) -> int:
    """Where text added after a cited URL goes: past the link's markup and the access-date
    group that follows it, before the item's closing full stop."""
    at = span.end
    close = _LINK_CLOSE.get(fmt)
    if close is not None:
        m = close.match(source, at, limit)
        if m:
            at = m.end()
    m = _DATE_GROUP.match(source, at, limit)
    if m:
        at = m.end()
    return at


def _date_fixes(source: str, region: tuple[int, int], lines: _Lines, dates: Sequence[DateMention], item: _Item,
                template: str) -> list[Edit]:
    out: list[Edit] = []
    for date in dates:
        if date.value is None:
            continue
        label = re.escape(date.label).replace(r"\ ", r"\s+") if date.label else ""
        raw = r"\s*".join(re.escape(part) for part in date.raw.split())
        pattern = re.compile((label + r"\s*[:.]?\s*" if label else "") + raw, re.IGNORECASE)
        m = pattern.search(source, lines.offset(date.line) if date.line else region[0], region[1])
        if m is None:
            continue
        new = template.format(date=date.value)
        if source[m.start():m.end()] != new:
            out.append(_edit(m.start(), m.end(), new, FixKind.DATE_STYLE, lines, item, "",
                             f"access date in the form «{new}»"))
    return out


def _edit(start: int, end: int, new: str, kind: FixKind, lines: _Lines, item: _Item, url: str, reason: str) -> Edit:
    return Edit(start, end, new, kind, lines.line_of(start), item.footnote, url, reason)


def _without_overlaps(edits: Sequence[Edit], skipped: list[str]) -> list[Edit]:
    kept: list[Edit] = []
    for e in edits:
        if kept and (e.start < kept[-1].end or (e.start == kept[-1].start == kept[-1].end == e.end)):
            if e == kept[-1]:
                continue  # the same URL found through two mentions
            skipped.append(f"line {e.line}: {e.kind.value} fix overlaps another fix; left out")
            continue
        kept.append(e)
    return kept


def apply_edits(source: str, edits: Sequence[Edit]) -> str:
    out: list[str] = []
    last = 0
    for e in edits:
        out.append(source[last:e.start])
        out.append(e.new)
        last = e.end
    out.append(source[last:])
    return "".join(out)
