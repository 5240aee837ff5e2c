"""The report for people: the summary, then one block per problem, then one closing line.

Laid out for an editor working down the paper: a block per cited item that needs a
fix (footnote N, reference entry K, a citation's line), in document order, with the
worst severity first on its line, the URL it concerns on a line of its own, every rule
code with its message, and the fix (the clean URL, the archived copy, the new address).
The full footnote and citation listings follow only with ``--details`` (or when there
is nothing to fix). The last line sums everything up, so a long report does not end
in the middle.

URLs are never broken across lines: a URL longer than the width runs past it (a
terminal soft-wraps it, which keeps it whole for copying and clicking). On a terminal
URLs are OSC 8 hyperlinks; piped output is plain text with no escape codes.

Text is laid out here, word by word, rather than by rich's tables: the 10,000-footnote
monograph has thousands of blocks, and rich's table layout cost seconds. Everything
from the document goes through :func:`clean_line` and is never parsed as markup.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.panel import Panel
from rich.style import Style
from rich.table import Table
from rich.text import Text

from footcheck.model import Audit, Citation, Document, Finding, Footnote, LinkStatus, Severity
from footcheck.report._common import (
    OFFLINE_DETAIL,
    SEVERITY_ORDER,
    LinkView,
    Problem,
    iso_timestamp,
    link_status_counts,
    matched_reference,
    problem_counts,
    problem_title,
    problems,
    source_place,
    summary_counts,
    view_for_url,
)
from footcheck.report._console import hyperlinks_on, make_console
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
    LinkStatus.UNVERIFIED: "yellow",
}
SEVERITY_STYLE: dict[Severity, str] = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}
# Only web links become clickable: a paper must not plant file: or javascript: links.
_LINKABLE = ("http://", "https://")
_INDENT = 9  # "warning" + two spaces: the column where a block's content starts
_CODE = 7  # "FC501" + two spaces
_EXCERPT = 70
_REFERENCE_EXCERPT = 60

# How the closing line sums up the link verdicts.
_FAMILY: dict[LinkStatus, str] = {
    LinkStatus.OK: "ok",
    LinkStatus.REDIRECT: "ok",
    LinkStatus.BROKEN: "dead",
    LinkStatus.SOFT404: "dead",
    LinkStatus.UNREACHABLE: "dead",
    LinkStatus.SKIPPED: "not checked",
    LinkStatus.UNVERIFIED: "unverified (no network)",
}
_SPACES = re.compile(r"( +)")

Span = tuple[str, str]  # text, style ("" for none; "link:" + style for a URL)


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _url_span(url: str, style: str = "") -> Span:
    return (url, "link:" + style)


class _Writer:
    """Lines of styled words, wrapped at spaces to the width, never inside a word.

    Plain output is written as strings (fast, no escape codes); a terminal gets rich
    Text, with URL words as hyperlinks.
    """

    def __init__(self, out: TextIO, console: Console, *, rich: bool) -> None:
        self.out = out
        self.console = console
        self.rich = rich
        self.width = max(console.width, 40)
        self.hyperlinks = rich and hyperlinks_on(console)
        self._pending: list[list[Span]] = []

    # layout ---------------------------------------------------------------------------

    def line(
        self,
        spans: Sequence[Span],
        *,
        indent: int = 0,
        hanging: int | None = None,
        lead: Sequence[Span] = (),
        lead_width: int = 0,
        wrap: bool = True,
    ) -> None:
        """One logical line, wrapped at spaces; continuation lines start at ``hanging``.

        ``lead`` (a severity, a rule code) is put after the indent as it is, padded to
        ``lead_width``; the wrapped text starts after it.

        Text between two spaces is a unit that is never broken, whatever spans it is
        made of, so a URL (and "[broken" glued to it) always stays whole.
        """
        hang = indent if hanging is None else hanging
        units: list[tuple[int, list[Span]]] = []  # (spaces before, the unit's pieces)
        gap = 0  # spaces seen since the last piece; 0 while the last unit may still grow
        for text, style in spans:
            pieces = [text] if style.startswith("link:") else _SPACES.split(text)
            for piece in pieces:
                if piece == "":
                    continue
                if piece[0] == " ":
                    gap += len(piece)
                    continue
                if units and gap == 0:
                    units[-1][1].append((piece, style))
                else:
                    # leading spaces are kept (right-aligned numbers), others fold to one
                    units.append((max(gap, 1) if units else gap, [(piece, style)]))
                gap = 0
        current: list[Span] = [(" " * indent, "")] if indent else []
        column = indent
        if lead:
            current.extend(lead)
            column += sum(cell_len(t) for t, _ in lead)
            if column < indent + lead_width:
                current.append((" " * (indent + lead_width - column), ""))
                column = indent + lead_width
        first = True
        for spaces, unit in units:
            size = sum(cell_len(t) for t, _ in unit)
            # the first unit stays after the indent and lead even when it is too long
            # for any line (a long URL): it runs past the width there, whole
            if wrap and not first and column + spaces + size > self.width:
                self._pending.append(current)
                current = [(" " * hang, "")] if hang else []
                column = hang
            elif spaces:
                current.append((" " * spaces, ""))
                column += spaces
            current.extend(unit)
            column += size
            first = False
        self._pending.append(current)

    def blank(self) -> None:
        self._pending.append([])

    # output ---------------------------------------------------------------------------

    def flush(self) -> None:
        if not self._pending:
            return
        lines, self._pending = self._pending, []
        if not self.rich:
            self.out.write("".join("".join(t for t, _ in line).rstrip() + "\n" for line in lines))
            return
        text = Text()
        for i, line in enumerate(lines):
            if i:
                text.append("\n")
            for part, style in line:
                text.append(part, self._style(part, style))
        self.console.print(text, no_wrap=True, overflow="ignore", crop=False)

    def _style(self, text: str, style: str) -> Style | str:
        if not style.startswith("link:"):
            return style
        base = style[5:]
        if self.hyperlinks and text.lower().startswith(_LINKABLE):
            return (Style.parse(base) if base else Style()) + Style(link=text)
        return base

    def renderable(self, renderable: Panel) -> None:
        """A rich renderable (the summary panel), in either mode."""
        self.flush()
        if self.rich:
            self.console.print(renderable)
            return
        buffer = io.StringIO()
        make_console(buffer, color=False, width=self.width).print(renderable)
        self.out.write("".join(line.rstrip() + "\n" for line in buffer.getvalue().splitlines()))


# --- the summary ----------------------------------------------------------------------


def _links_summary(audit: Audit) -> Text:
    total = len(audit.links)
    if audit.offline:
        return Text.assemble(_plural(total, "unique link"), ("  (offline: not checked)", "dim"))
    counts = link_status_counts(audit)
    parts: list[str | tuple[str, str]] = [_plural(total, "unique link")]
    for status, n in counts.items():
        parts.extend([", " if len(parts) > 1 else ": ", (f"{n} {status.value}", STATUS_STYLE.get(status, ""))])
    return Text.assemble(*parts)


def _severity_counts(counts: dict[Severity, int]) -> list[tuple[str, str]]:
    names = {Severity.ERROR: ("error", "errors"), Severity.WARNING: ("warning", "warnings"),
             Severity.INFO: ("info", "info")}
    out: list[tuple[str, str]] = []
    for severity in SEVERITY_ORDER:
        n = counts.get(severity, 0)
        one, many = names[severity]
        out.append((f"{n} {one if n == 1 else many}", SEVERITY_STYLE[severity] if n else ""))
    return out


def _joined(parts: list[tuple[str, str]], sep: str = ", ") -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for i, part in enumerate(parts):
        if i:
            out.append((sep, ""))
        out.append(part)
    return out


def summary_panel(audit: Audit, version: str, found: list[Problem]) -> Panel:
    document = audit.document
    counts = summary_counts([audit])
    grid = Table.grid(padding=(0, 2))
    grid.add_column(style="bold", no_wrap=True)
    grid.add_column(overflow="fold")
    grid.add_row("Document", Text(clean_line(document.path)))
    grid.add_row("Encoding", Text(clean_line(document.encoding)))
    grid.add_row(
        "Found",
        Text(", ".join([
            _plural(counts["footnotes"], "footnote"),
            _plural(counts["citations"], "citation"),
            _plural(len(document.references), "reference entry", "reference entries"),
        ])),
    )
    if document.per_page_numbering:
        grid.add_row("Numbering", Text("footnote numbers restart on every page"))
    if not document.has_reference_list:
        grid.add_row("References", Text("no reference list found", style="dim"))
    grid.add_row("Links", _links_summary(audit))
    if found:
        problem_line = Text.assemble(
            _plural(len(found), "problem") + " to fix: ",
            *_joined(_severity_counts(problem_counts(found))),
            (f"  ({_plural(len(audit.findings), 'finding')})", "dim"),
        )
    else:
        problem_line = Text("nothing to fix", style="green")
    grid.add_row("Problems", problem_line)
    return Panel(grid, title=f"footcheck {version}", title_align="left", box=box.ROUNDED, expand=True)


# --- problem blocks -------------------------------------------------------------------


def _message(finding: Finding, problem: Problem, url: str | None) -> str:
    text = clean_line(finding.message)
    if problem.kind == "footnote" and problem.number is not None:
        prefix = f"footnote {problem.number}: "
        if text.startswith(prefix):
            text = text[len(prefix):]
    if url:
        shown = clean_line(url)
        if text.startswith(shown + " "):
            text = "the URL" + text[len(shown):]
    return text[:1].upper() + text[1:]


def _is_url(text: str) -> bool:
    return text.lower().startswith(_LINKABLE) and " " not in text


def _finding_lines(w: _Writer, finding: Finding, problem: Problem, url: str | None) -> None:
    style = SEVERITY_STYLE[Severity(finding.severity)]
    code = clean_line(finding.code)
    w.line([(_message(finding, problem, url), "")], indent=_INDENT, hanging=_INDENT + _CODE,
           lead=[(code, style)], lead_width=_CODE)
    if finding.suggestion:
        fix = clean_line(finding.suggestion)
        span = _url_span(fix, "bold") if _is_url(fix) else (fix, "")
        w.line([span], indent=_INDENT, hanging=_INDENT + _CODE, lead=[("fix", "dim")], lead_width=_CODE)


def _block(w: _Writer, problem: Problem, path: str, audit: Audit) -> None:
    severity = problem.severity
    where = source_place(path, audit.document, problem.line)
    w.line([(where, "bold"), ("  " + problem_title(problem), "bold")], hanging=_INDENT,
           lead=[(severity.value, SEVERITY_STYLE[severity] + " bold")], lead_width=_INDENT)
    by_url: dict[str | None, list[Finding]] = {}
    for finding in problem.findings:
        by_url.setdefault(finding.url if finding.url in problem.urls else None, []).append(finding)
    for url in problem.urls:
        shown = clean_line(url)
        view = view_for_url(audit, url)
        spans: list[Span] = [_url_span(shown)]
        spans += _verdict_spans(view)
        w.line(spans, indent=_INDENT, hanging=_INDENT + 2)
        for finding in by_url.get(url, ()):
            _finding_lines(w, finding, problem, url)
        if view.archive is not None:
            capture = view.archive
            copy: list[Span] = [(f"{iso_timestamp(capture.timestamp)[:10]} ({_gap(capture.days_from_access)})", "")]
            if not any(f.suggestion == capture.url for f in by_url.get(url, ())):
                copy.append((" ", ""))
                copy.append(_url_span(clean_line(capture.url), "dim"))
            w.line(copy, indent=_INDENT, hanging=_INDENT + _CODE, lead=[("copy", "dim")], lead_width=_CODE)
    for finding in by_url.get(None, ()):
        _finding_lines(w, finding, problem, None)


def _gap(days: int | None) -> str:
    if days is None:
        return "no access date to compare"
    if days == 0:
        return "same day as access"
    when = "after" if days > 0 else "before"
    return f"{_plural(abs(days), 'day')} {when} access"


def _verdict_spans(view: LinkView) -> list[Span]:
    if view.status is LinkStatus.SKIPPED and view.detail == OFFLINE_DETAIL:
        return []
    label = view.status.value
    if view.http_status and view.status not in (LinkStatus.OK, LinkStatus.REDIRECT):
        label += f" {view.http_status}"
    return [(" ", ""), (f"[{label}]", STATUS_STYLE.get(view.status, ""))]


# --- details: every footnote and citation ---------------------------------------------


def _footnote_rows(w: _Writer, audit: Audit) -> None:
    footnotes = audit.document.footnotes
    w.line([(f"Footnotes ({len(footnotes)})", "bold underline")])
    for footnote in footnotes:
        head: list[Span] = [(f"{footnote.number:>4}", "bold"), (f"  line {footnote.line:<6}", "dim")]
        mentions = list({m.url: m for m in reversed(footnote.urls)}.values())[::-1]
        if not mentions:
            w.line([*head, (" ", ""), *_footnote_text(footnote)], hanging=_INDENT + 8)
            continue
        for i, mention in enumerate(mentions):
            view = view_for_url(audit, mention.url)
            date = mention.access_date
            if date is not None and date.value is not None:
                accessed: Span = (date.value.isoformat(), "")
            elif date is not None:
                accessed = (shorten(clean_line(date.raw), 20), "red")
            else:
                accessed = ("—", "dim")
            status = view.status.value + (f" {view.http_status}" if view.http_status and
                                          view.status not in (LinkStatus.OK,) else "")
            lead = head if i == 0 else [(" " * 4, ""), (f"  line {mention.line:<6}", "dim")]
            w.line([*lead, (" ", ""), accessed, ("  ", ""), (status, STATUS_STYLE.get(view.status, "")),
                    ("  ", ""), _url_span(clean_line(mention.url))], hanging=_INDENT + 8)
            if view.archive is not None:
                w.line([_url_span(clean_line(view.archive.url), "dim")], indent=_INDENT + 8,
                       hanging=_INDENT + 10, lead=[("archived", "dim")], lead_width=9)


def _footnote_text(footnote: Footnote) -> list[Span]:
    text = clean_line(footnote.text)
    if footnote.ibid:
        target = ("→ ?", "red") if footnote.refers_to is None else (f"→ {footnote.refers_to}", "cyan")
        return [(shorten(text, 40), "dim"), (" ", ""), target]
    return [(shorten(text, _EXCERPT), "dim")]


def _reference_link_rows(w: _Writer, audit: Audit) -> None:
    rows = [link for link in audit.links if not link.footnotes]
    if not rows:
        return
    w.blank()
    w.line([(f"Links in the reference list ({len(rows)})", "bold underline")])
    for link in rows:
        view = view_for_url(audit, link.url, link)
        refs = ", ".join(str(n) for n in link.references) or "—"
        accessed = link.access_date.isoformat() if link.access_date else "—"
        w.line([(f"ref {refs}", "bold"), (f"  line {link.line:<6}", "dim"), (accessed, ""), ("  ", ""),
                (view.status.value, STATUS_STYLE.get(view.status, "")), ("  ", ""),
                _url_span(clean_line(link.url))], hanging=_INDENT + 8)


def _matched(citation: Citation, document: Document) -> Span:
    if citation.kind == "ibid":
        if citation.refers_to is not None and 0 <= citation.refers_to < len(document.citations):
            previous = document.citations[citation.refers_to]
            return (f"repeats [{shorten(clean_line(previous.raw), 40)}]", "dim")
        return ("repeat of nothing", "red")
    reference = matched_reference(document, citation)
    if reference is not None:
        label = f"{reference.number or reference.index}. "
        return (label + shorten(clean_line(reference.text), _REFERENCE_EXCERPT), "")
    if not document.has_reference_list:
        return ("—", "dim")
    return ("no entry", "red")


def _citation_rows(w: _Writer, audit: Audit) -> None:
    document = audit.document
    w.blank()
    repeats = f", repeats ({len(document.repeats)})" if document.repeats else ""
    w.line([(f"Citations ({len(document.citations)}){repeats}", "bold underline")])
    # the repeats are listed where they stand among the citations they repeat
    for citation in sorted((*document.citations, *document.repeats), key=lambda c: c.line):
        w.line([(f"line {citation.line:<6}", "dim"), (f"[{clean_line(citation.raw)}]", ""), ("  → ", "dim"),
                _matched(citation, document)], hanging=12)


# --- the whole report -----------------------------------------------------------------


def _closing(audits: Sequence[Audit], found: Sequence[Sequence[Problem]]) -> list[Span]:
    every = [p for group in found for p in group]
    if len(audits) == 1:
        head: list[Span] = [(clean_line(audits[0].document.path) + ": ", "bold")]
    else:
        head = [(f"{_plural(len(audits), 'document')}: ", "bold")]
    if every:
        spans = [*head, (_plural(len(every), "problem") + " (", ""),
                 *_joined(_severity_counts(problem_counts(every))), (")", "")]
    else:
        spans = [*head, ("nothing to fix", "green")]
    links = sum(len(a.links) for a in audits)
    if all(a.offline for a in audits):
        spans.append(("; links not checked (offline)", "dim"))
        return spans
    families = dict.fromkeys(("ok", "dead", "doubtful", "not checked", _FAMILY[LinkStatus.UNVERIFIED]), 0)
    for audit in audits:
        for status, n in link_status_counts(audit).items():
            families[_FAMILY.get(status, "doubtful")] += n
    detail = ", ".join(f"{n} {name}" for name, n in families.items() if n)
    spans.append((f"; {_plural(links, 'link')}" + (f": {detail}" if detail else ""), ""))
    return spans


def render_audit(w: _Writer, audit: Audit, found: list[Problem], *, version: str, details: bool) -> None:
    w.renderable(summary_panel(audit, version, found))
    path = clean_line(audit.document.path)
    for problem in found:
        w.blank()
        _block(w, problem, path, audit)
        w.flush()
    if details or not found:
        if audit.document.footnotes:
            w.blank()
            _footnote_rows(w, audit)
        _reference_link_rows(w, audit)
        if audit.document.citations or audit.document.repeats:
            _citation_rows(w, audit)
        w.flush()


class RichReporter:
    name = "rich"

    def __init__(self, *, details: bool = False) -> None:
        self.details = details

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        console = make_console(out, color=color, width=width)
        w = _Writer(out, console, rich=console.is_terminal)
        if not audits:
            w.line([("No documents to report.", "")])
            w.flush()
            return
        found = [problems(audit) for audit in audits]
        for i, audit in enumerate(audits):
            if i:
                w.blank()
            render_audit(w, audit, found[i], version=version, details=self.details)
        w.blank()
        # one line whatever its length, so `tail -1` of a long report is the summary
        w.line(_closing(audits, found), wrap=False)
        w.flush()

