"""The report for people: a summary, footnotes with their links, citations, findings.

Built to stay readable at 80 columns and when piped (plain text, no escape codes).
Everything that comes from the document goes into :class:`rich.text.Text` objects
after :func:`clean`/:func:`clean_line`, never into a markup string, so ``[bold]`` in a
paper is printed as the six characters it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console, Group, RenderableType
from rich.padding import Padding
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from footcheck.model import (
    ArchiveCapture,
    Audit,
    Citation,
    Document,
    Finding,
    Footnote,
    Link,
    LinkStatus,
    Severity,
    UrlMention,
)
from footcheck.report._common import (
    OFFLINE_DETAIL,
    SEVERITY_ORDER,
    LinkView,
    findings_by_severity,
    iso_timestamp,
    link_status_counts,
    link_view,
    matched_reference,
    summary_counts,
    view_for_url,
)
from footcheck.report._console import emit, hyperlinks_on
from footcheck.report._text import clean_line, shorten

STATUS_STYLE: dict[LinkStatus, str] = {
    LinkStatus.OK: "green",
    LinkStatus.REDIRECT: "cyan",
    LinkStatus.SOFT404: "red",
    LinkStatus.BROKEN: "bold red",
    LinkStatus.BLOCKED: "yellow",
    LinkStatus.UNREACHABLE: "red",
    LinkStatus.TIMEOUT: "yellow",
    LinkStatus.SKIPPED: "dim",
}
SEVERITY_STYLE: dict[Severity, str] = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
SEVERITY_TITLE: dict[Severity, str] = {
    Severity.ERROR: "Errors",
    Severity.WARNING: "Warnings",
    Severity.INFO: "Info",
}
# Only web links become clickable: a paper must not plant file: or javascript: links.
_LINKABLE = ("http://", "https://")
_EXCERPT = 70  # characters of a footnote without a URL shown in the table
_REFERENCE_EXCERPT = 60


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _link_style(url: str, style: str, hyperlinks: bool) -> Style:
    base = Style.parse(style) if style else Style()
    if hyperlinks and url.lower().startswith(_LINKABLE):
        return base + Style(link=url)
    return base


def _status_text(view: LinkView) -> Text:
    label = view.status.value
    if view.http_status and view.status in (LinkStatus.BROKEN, LinkStatus.BLOCKED):
        label += f" {view.http_status}"
    return Text(label, style=STATUS_STYLE[view.status])


def _gap(days: int | None) -> str:
    if days is None:
        return "no access date to compare"
    if days == 0:
        return "same day as access"
    when = "after" if days > 0 else "before"
    return f"{_plural(abs(days), 'day')} {when} access"


def _archive_lines(capture: ArchiveCapture, hyperlinks: bool) -> list[Text]:
    url = clean_line(capture.url)
    head = Text.assemble(
        ("↳ archived ", "dim"),
        (iso_timestamp(capture.timestamp)[:10], _link_style(url, "bold", hyperlinks)),
        (f" ({_gap(capture.days_from_access)})", "dim"),
    )
    # The address itself is printed too: a terminal without hyperlinks, or a file,
    # still needs something to copy.
    return [head, Text(url, style=_link_style(url, "dim", hyperlinks))]


def _url_cell(url: str, view: LinkView, hyperlinks: bool) -> Text:
    shown = clean_line(url)
    lines = [Text(shown, style=_link_style(shown, "", hyperlinks))]
    if view.final_url and view.final_url != url:
        final = clean_line(view.final_url)
        # The arrow is glued to the address so that a long URL folds after it instead
        # of leaving the arrow alone on its line.
        lines.append(Text.assemble(("→", "dim"), (final, _link_style(final, "cyan", hyperlinks))))
    if view.detail and view.status is not LinkStatus.OK and view.detail != OFFLINE_DETAIL:
        lines.append(Text(shorten(clean_line(view.detail), 120), style="dim italic"))
    if view.archive is not None:
        lines.extend(_archive_lines(view.archive, hyperlinks))
    return Text("\n").join(lines)


def _access_cell(mention: UrlMention | None, link: Link | None) -> Text:
    date = mention.access_date if mention else None
    if date is not None:
        if date.value is not None:
            return Text(date.value.isoformat())
        # Printed but unreadable: show what is there, the findings explain why.
        return Text(shorten(clean_line(date.raw), 20), style="red")
    if link is not None and link.access_date is not None:
        return Text(link.access_date.isoformat(), style="dim")
    return Text("—", style="dim")


def _links_by_url(audit: Audit) -> dict[str, Link]:
    return {link.url: link for link in audit.links}


def _footnote_text(footnote: Footnote) -> Text:
    text = clean_line(footnote.text)
    if footnote.ibid:
        target = ("  → ?", "red") if footnote.refers_to is None else (f"  → {footnote.refers_to}", "cyan")
        return Text.assemble((shorten(text, 40), "dim"), target)
    return Text(shorten(text, _EXCERPT), style="dim")


def _new_table(title: str) -> Table:
    return Table(
        title=title,
        title_justify="left",
        title_style="bold",
        box=box.SIMPLE_HEAD,
        collapse_padding=True,
        pad_edge=False,
        show_edge=False,
        expand=False,
    )


def footnote_table(audit: Audit, hyperlinks: bool) -> Table:
    table = _new_table("Footnotes")
    table.add_column("№", justify="right", no_wrap=True)
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("URL", overflow="fold", ratio=1)
    table.add_column("Accessed", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    links = _links_by_url(audit)
    for footnote in audit.document.footnotes:
        mentions = list({m.url: m for m in reversed(footnote.urls)}.values())[::-1]
        if not mentions:
            table.add_row(str(footnote.number), str(footnote.line), _footnote_text(footnote), "", "")
            continue
        for i, mention in enumerate(mentions):
            link = links.get(mention.url)
            view = view_for_url(audit, mention.url, link)
            table.add_row(
                str(footnote.number) if i == 0 else "",
                str(mention.line),
                _url_cell(mention.url, view, hyperlinks),
                _access_cell(mention, link),
                _status_text(view),
            )
    return table


def reference_link_table(audit: Audit, hyperlinks: bool) -> Table | None:
    """Links cited only in the reference list (footnote links are in the other table)."""
    rows = [link for link in audit.links if not link.footnotes]
    if not rows:
        return None
    table = _new_table("Links in the reference list")
    table.add_column("Ref", justify="right", no_wrap=True)
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("URL", overflow="fold", ratio=1)
    table.add_column("Accessed", no_wrap=True)
    table.add_column("Status", no_wrap=True)
    for link in rows:
        view = link_view(audit, link)
        table.add_row(
            ", ".join(str(n) for n in link.references) or "—",
            str(link.line) if link.line else "",
            _url_cell(link.url, view, hyperlinks),
            _access_cell(None, link),
            _status_text(view),
        )
    return table


def _matched_cell(citation: Citation, document: Document) -> Text:
    if citation.kind == "ibid":
        if citation.refers_to is not None and 0 <= citation.refers_to < len(document.citations):
            previous = document.citations[citation.refers_to]
            return Text(f"repeats [{shorten(clean_line(previous.raw), 40)}]", style="dim")
        return Text("repeat of nothing", style="red")
    reference = matched_reference(document, citation)
    if reference is not None:
        label = f"{reference.number or reference.index}. "
        return Text(label + shorten(clean_line(reference.text), _REFERENCE_EXCERPT))
    if not document.has_reference_list:
        return Text("—", style="dim")
    return Text("no entry", style="red")


def citation_table(audit: Audit) -> Table:
    table = _new_table("Citations")
    table.add_column("Line", justify="right", no_wrap=True)
    table.add_column("Citation", overflow="fold", ratio=2)
    table.add_column("Reference", overflow="fold", ratio=3)
    document = audit.document
    for citation in document.citations:
        table.add_row(
            str(citation.line),
            Text(f"[{clean_line(citation.raw)}]"),
            _matched_cell(citation, document),
        )
    return table


def _location(path: str, finding: Finding) -> str:
    if finding.line is not None:
        return f"{path}:{finding.line}"
    if finding.footnote is not None:
        return f"{path} (footnote {finding.footnote})"
    return path


_GRID_LOCATION = 32  # longest "path:line" that still leaves room for the message beside it


def _findings_grid(path: str, group: list[Finding], style: str) -> Table:
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold", ratio=1)
    for finding in group:
        grid.add_row(
            Text(_location(path, finding), style="bold"),
            Text(clean_line(finding.code), style=style),
            Text(clean_line(finding.message)),
        )
        if finding.suggestion:
            grid.add_row("", Text("fix", style="dim"), Text(clean_line(finding.suggestion)))
    return grid


def _findings_stacked(path: str, group: list[Finding], style: str) -> Group:
    """For long paths: ``path:line  CODE`` on its own line (kept whole, so terminals and
    editors can open it), the message and the fix indented below."""
    parts: list[RenderableType] = []
    for finding in group:
        head = Text.assemble((_location(path, finding), "bold"), "  ", (clean_line(finding.code), style))
        head.overflow = "fold"
        parts.append(head)
        body = [Text(clean_line(finding.message), overflow="fold")]
        if finding.suggestion:
            body.append(Text.assemble(("fix: ", "dim"), clean_line(finding.suggestion), overflow="fold"))
        parts.append(Padding(Group(*body), (0, 0, 0, 4)))
    return Group(*parts)


def findings_block(audit: Audit) -> RenderableType:
    if not audit.findings:
        return Text("No findings.", style="green")
    groups = findings_by_severity(audit.findings)
    path = clean_line(audit.document.path)
    # One layout for the whole document, so the groups line up with each other.
    widest = max(cell_len(_location(path, f)) for f in audit.findings)
    layout = _findings_grid if widest <= _GRID_LOCATION else _findings_stacked
    parts: list[RenderableType] = []
    for severity in SEVERITY_ORDER:
        group = groups[severity]
        if not group:
            continue
        style = SEVERITY_STYLE[severity]
        if parts:
            parts.append(Text(""))
        parts.append(Text(f"{SEVERITY_TITLE[severity]} ({len(group)})", style=style + " underline"))
        parts.append(layout(path, group, style))
    return Group(*parts)


def _links_summary(audit: Audit) -> Text:
    total = len(audit.links)
    if audit.offline:
        return Text.assemble(_plural(total, "unique link"), ("  (offline: not checked)", "dim"))
    counts = link_status_counts(audit)
    parts: list[str | tuple[str, str]] = [_plural(total, "unique link")]
    for status, n in counts.items():
        parts.extend([", " if len(parts) > 1 else ": ", (f"{n} {status.value}", STATUS_STYLE[status])])
    return Text.assemble(*parts)


def _findings_summary(counts: dict[str, int]) -> Text:
    return Text.assemble(
        (
            _plural(counts["errors"], "error"),
            SEVERITY_STYLE[Severity.ERROR] if counts["errors"] else "",
        ),
        ", ",
        (
            _plural(counts["warnings"], "warning"),
            SEVERITY_STYLE[Severity.WARNING] if counts["warnings"] else "",
        ),
        ", ",
        (f"{counts['info']} info", SEVERITY_STYLE[Severity.INFO] if counts["info"] else ""),
    )


def summary_panel(audit: Audit, version: str) -> Panel:
    document = audit.document
    counts = summary_counts([audit])
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Document", Text(clean_line(document.path)))
    grid.add_row("Encoding", Text(clean_line(document.encoding)))
    grid.add_row(
        "Found",
        Text(
            ", ".join(
                [
                    _plural(counts["footnotes"], "footnote"),
                    _plural(counts["citations"], "citation"),
                    _plural(len(document.references), "reference entry", "reference entries"),
                ]
            )
        ),
    )
    if document.per_page_numbering:
        grid.add_row("Numbering", Text("footnote numbers restart on every page"))
    if not document.has_reference_list:
        grid.add_row("References", Text("no reference list found", style="dim"))
    grid.add_row("Links", _links_summary(audit))
    grid.add_row("Findings", _findings_summary(counts))
    return Panel(grid, title=f"footcheck {version}", title_align="left", box=box.ROUNDED, expand=True)


def render_audit(console: Console, audit: Audit, *, version: str) -> None:
    hyperlinks = hyperlinks_on(console)
    console.print(summary_panel(audit, version))
    sections: list[RenderableType | None] = [
        footnote_table(audit, hyperlinks) if audit.document.footnotes else None,
        reference_link_table(audit, hyperlinks),
        citation_table(audit) if audit.document.citations else None,
    ]
    for section in sections:
        if section is not None:
            console.print()
            console.print(section)
    console.print()
    console.print(Text("Findings", style="bold"))
    console.print(findings_block(audit))


def _total_line(audits: Sequence[Audit]) -> Text:
    counts = summary_counts(audits)
    return Text.assemble(
        ("Total: ", "bold"),
        f"{_plural(counts['documents'], 'document')}, {_plural(counts['footnotes'], 'footnote')}, "
        f"{_plural(counts['citations'], 'citation')}, {_plural(counts['links'], 'link')}; ",
        _findings_summary(counts),
    )


class RichReporter:
    name = "rich"

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        emit(out, lambda console: self._render(console, audits, version), color=color, width=width)

    @staticmethod
    def _render(console: Console, audits: Sequence[Audit], version: str) -> None:
        if not audits:
            console.print("No documents to report.")
            return
        for i, audit in enumerate(audits):
            if i:
                console.print()
            render_audit(console, audit, version=version)
        if len(audits) > 1:
            console.print()
            console.print(_total_line(audits))
