"""``footcheck links PAPER``: every URL as rebuilt from the text, one line each.

For each footnote (and reference entry) that cites a URL: where it is, the access date
printed with it and, after an online run, the link's verdict. Text for people (the URL
last on its line, never wrapped, so it can be copied or clicked), or JSON.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from footcheck.model import Audit, UrlMention
from footcheck.report._common import OFFLINE_DETAIL, iso_date, view_for_url
from footcheck.report._text import clean_line, shorten


@dataclass(frozen=True)
class Row:
    """One URL of ``footcheck links``: where it is cited and what its check found."""

    url: str
    line: int
    footnote: int | None
    reference: int | None
    access_date: dt.date | None
    status: str
    http_status: int | None
    final_url: str | None
    detail: str


def _mentions(mentions: Sequence[UrlMention]) -> list[UrlMention]:
    seen: dict[str, UrlMention] = {}
    for mention in mentions:
        seen.setdefault(mention.url, mention)
    return list(seen.values())


def rows(audit: Audit) -> Iterator[Row]:
    """One row per URL per citing footnote or entry, in document order."""
    cited: list[tuple[int, int | None, int | None, UrlMention]] = []
    for footnote in audit.document.footnotes:
        for mention in _mentions(footnote.urls):
            cited.append((mention.line, footnote.number, None, mention))
    for reference in audit.document.references:
        for mention in _mentions(reference.urls):
            cited.append((mention.line, None, reference.index, mention))
    cited.sort(key=lambda item: item[0])
    links = {link.url: link for link in audit.links}
    for line, note_number, entry_index, mention in cited:
        view = view_for_url(audit, mention.url, links.get(mention.url))
        date = mention.access_date.value if mention.access_date is not None else None
        yield Row(
            url=mention.url,
            line=line,
            footnote=note_number,
            reference=entry_index,
            access_date=date,
            status=view.status.value,
            http_status=view.http_status,
            final_url=view.final_url,
            detail=view.detail,
        )


def _where(row: Row) -> str:
    if row.footnote is not None:
        return f"fn {row.footnote}"
    return f"ref {row.reference}"


def render_text(audits: Sequence[Audit], out: TextIO) -> None:
    for i, audit in enumerate(audits):
        if i:
            out.write("\n")
        listed = list(rows(audit))
        checked = not audit.offline
        out.write(f"{clean_line(audit.document.path)}: {len(listed)} URL(s)\n")
        for row in listed:
            date = iso_date(row.access_date) or "—"
            parts = [f"{_where(row):>8}", f"line {row.line:>5}", f"{date:<10}"]
            if checked:
                status = row.status + (f" {row.http_status}" if row.http_status and row.status != "ok" else "")
                parts.append(f"{status:<15}")
            parts.append(clean_line(row.url))
            out.write("  ".join(parts) + "\n")
            if checked and row.status not in ("ok",) and row.detail and row.detail != OFFLINE_DETAIL:
                out.write(f"{'':>8}  {shorten(clean_line(row.detail), 200)}\n")


def render_json(audits: Sequence[Audit], out: TextIO, *, version: str) -> None:
    from footcheck.report.json import SCHEMA_VERSION, TOOL, write_json

    documents: list[dict[str, Any]] = []
    for audit in audits:
        documents.append(
            {
                "path": audit.document.path,
                "checked": not audit.offline,
                "links": [
                    {
                        "url": row.url,
                        "line": row.line,
                        "footnote": row.footnote,
                        "reference": row.reference,
                        "access_date": iso_date(row.access_date),
                        "status": row.status,
                        "http_status": row.http_status,
                        "final_url": row.final_url,
                        "detail": row.detail,
                    }
                    for row in rows(audit)
                ],
            }
        )
    write_json({"tool": TOOL, "version": version, "schema_version": SCHEMA_VERSION,
                "documents": documents}, out)


def render_links(audits: Sequence[Audit], out: TextIO, *, fmt: str = "text", version: str = "") -> None:
    if fmt == "json":
        render_json(audits, out, version=version)
    else:
        render_text(audits, out)
