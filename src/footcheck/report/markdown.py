"""A Markdown report (GitHub-flavoured), for a pull-request comment or a job summary.

Text from the paper is escaped so it cannot become links, images, HTML or table
breaks. Escaping alone does not stop GitHub from linking: its renderer turns bare
``www.``/``http://`` text and ``user@host`` into links and ``@name`` into a mention (a
notification to that user) after Markdown is parsed. So a zero-width space
(``&#8203;``) is put into every ``@``, ``www.``, ``://`` and ``#`` + digit of document
text, which no autolinker matches. URLs go into code spans (exact, copyable, never
linked); only archive captures, which the tool itself chose, become links.

The problems come one row per cited item (the same grouping as the rich report), long
sections are folded in ``<details>``, and the whole report is cut to the 65,536
characters GitHub accepts in a comment, saying what was cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO
from urllib.parse import quote

from footcheck.model import Audit, LinkStatus, Severity
from footcheck.report._common import (
    OFFLINE_DETAIL,
    Problem,
    iso_date,
    iso_timestamp,
    link_status_counts,
    link_view,
    problem_counts,
    problem_title,
    problems,
    source_place,
    summary_counts,
)
from footcheck.report._text import clean_line

GITHUB_COMMENT_LIMIT = 65_536  # characters (UTF-16 code units) in one issue or PR comment
FOLD_ROWS = 20  # a table longer than this is folded in <details>

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
_ZWSP = "&#8203;"
# what GitHub links or mentions in plain text, after escaping (\# for #)
_AUTOLINK = re.compile(r"(@)|(www)(\.)|(:)(//)|(\\#)(?=\d)", re.IGNORECASE)
_SEVERITY_MARK = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "info"}


def _unlink(match: re.Match[str]) -> str:
    if match.group(1):
        return "@" + _ZWSP
    if match.group(2):
        return match.group(2) + _ZWSP + "."
    if match.group(4):
        return ":" + _ZWSP + "//"
    return match.group(6) + _ZWSP


def md_text(text: str) -> str:
    """Inline text with every Markdown/HTML-significant character escaped and nothing
    that GitHub would turn into a link or a mention."""
    return _AUTOLINK.sub(_unlink, _SPECIAL.sub(r"\\\1", clean_line(text)))


def md_code(text: str) -> str:
    """A code span long enough to hold any backticks inside ``text``."""
    text = clean_line(text).replace("|", "\\|")  # a pipe ends a table cell even here
    fence = "`" * (max((len(m) for m in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def md_link(label: str, url: str) -> str:
    if not url.lower().startswith(("http://", "https://")):
        return md_code(url)
    target = quote(clean_line(url), safe=":/?#@!$&'*+,;=%-._~[]").replace("(", "%28").replace(")", "%29")
    return f"[{md_text(label)}]({target})"


def _size(text: str) -> int:
    """Characters as GitHub counts them (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


class _Budget:
    """Collects the report; rows past the comment limit are counted, not written."""

    def __init__(self, limit: int) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.limit = limit
        self.reserve = 400  # room for the note on what was cut and closing tags
        self.cut = 0
        self.open_details = 0

    def write(self, text: str) -> None:
        self.parts.append(text)
        self.size += _size(text)

    def row(self, text: str) -> bool:
        if self.cut or self.size + _size(text) > self.limit - self.reserve:
            self.cut += 1
            return False
        self.write(text)
        return True

    def open_fold(self, summary: str) -> None:
        self.write(f"<details><summary>{summary}</summary>\n\n")
        self.open_details += 1

    def close_fold(self) -> None:
        if self.open_details:
            self.write("\n</details>\n\n")
            self.open_details -= 1

    def text(self) -> str:
        tail: list[str] = []
        while self.open_details:
            tail.append("\n</details>\n\n")
            self.open_details -= 1
        if self.cut:
            tail.append(
                f"\n**Cut:** {self.cut} more row{'s' if self.cut != 1 else ''} did not fit in the "
                f"{GITHUB_COMMENT_LIMIT:,} characters of a GitHub comment; run footcheck with "
                "`--format json` or the rich report for all of them.\n"
            )
        return "".join(self.parts + tail)


def _table(out: _Budget, title: str, header: str, rows: list[str]) -> None:
    fold = len(rows) > FOLD_ROWS
    if fold:
        out.open_fold(f"{title} ({len(rows)})")
    else:
        out.write(f"### {title} ({len(rows)})\n\n")
    out.write(header)
    for row in rows:
        out.row(row)
    out.write("\n")
    if fold:
        out.close_fold()


def _problem_row(problem: Problem, audit: Audit, path: str) -> str:
    where = md_code(source_place(path, audit.document, problem.line))
    parts: list[str] = []
    by_url: dict[str | None, list[int]] = {}
    for i, finding in enumerate(problem.findings):
        by_url.setdefault(finding.url if finding.url in problem.urls else None, []).append(i)
    for url in [*problem.urls, None]:
        indexes = by_url.get(url)
        if not indexes:
            continue
        if url is not None:
            link = next((link for link in audit.links if link.url == url), None)
            view = link_view(audit, link) if link is not None else None
            verdict = ""
            if view is not None and not (view.status is LinkStatus.SKIPPED and view.detail == OFFLINE_DETAIL):
                verdict = f" ({view.status.value}{f' {view.http_status}' if view.http_status else ''})"
            parts.append(md_code(url) + verdict)
            if view is not None and view.archive is not None:
                label = iso_timestamp(view.archive.timestamp)[:10]
                gap = view.archive.days_from_access
                days = f" ({gap:+d} d)" if gap is not None else ""
                parts.append("archived " + md_link(label, view.archive.url) + days)
        for i in indexes:
            finding = problem.findings[i]
            line = f"**{md_code(finding.code)}** {md_text(finding.message)}"
            if finding.suggestion:
                line += f"<br>Fix: {md_code(finding.suggestion)}"
            parts.append(line)
    title = md_text(problem_title(problem))
    return f"| {_SEVERITY_MARK[problem.severity]} | {where} {title} | {'<br>'.join(parts)} |\n"


def _document(audit: Audit, out: _Budget) -> None:
    document = audit.document
    counts = summary_counts([audit])
    found = problems(audit)
    out.write(f"## {md_text(document.path)}\n\n")
    out.write(f"- Encoding: {md_code(document.encoding)}\n")
    out.write(
        f"- Found: {counts['footnotes']} footnotes, {counts['citations']} citations, "
        f"{len(document.references)} reference entries"
        + ("" if document.has_reference_list else " (no reference list)")
        + "\n"
    )
    if audit.offline:
        out.write(f"- Links: {counts['links']} (offline, not checked)\n")
    else:
        statuses = ", ".join(f"{n} {s.value}" for s, n in link_status_counts(audit).items())
        out.write(f"- Links: {counts['links']}" + (f" ({statuses})" if statuses else "") + "\n")
    if found:
        by = problem_counts(found)
        out.write(f"- Problems: {len(found)} to fix ({by[Severity.ERROR]} errors, {by[Severity.WARNING]} "
                  f"warnings, {by[Severity.INFO]} info) from {len(audit.findings)} findings\n\n")
    else:
        out.write("- Problems: none\n\n")

    if found:
        path = clean_line(document.path)
        _table(out, "Problems", "| | Where | What |\n|---|---|---|\n",
               [_problem_row(p, audit, path) for p in found])

    checked = [link_view(audit, link) for link in audit.links]
    attention = [
        v
        for v in checked
        if v.status not in (LinkStatus.OK, LinkStatus.SKIPPED)
        or v.archive is not None
        or (v.status is LinkStatus.SKIPPED and v.detail != OFFLINE_DETAIL)
    ]
    if attention:
        rows = []
        for view in attention:
            link = view.link
            cited = ", ".join([f"fn. {n}" for n in link.footnotes] + [f"ref. {n}" for n in link.references])
            status = view.status.value + (f" {view.http_status}" if view.http_status else "")
            if view.detail:
                status += f": {md_text(view.detail)}"
            archive = ""
            if view.archive is not None:
                label = iso_timestamp(view.archive.timestamp)[:10]
                archive = md_link(label, view.archive.url)
                if view.archive.days_from_access is not None:
                    archive += f" ({view.archive.days_from_access:+d} d)"
            accessed = iso_date(link.access_date) or "—"
            rows.append(f"| {md_code(link.url)} | {cited} | {accessed} | {status} | {archive} |\n")
        _table(out, "Links that need attention", "| URL | Cited in | Accessed | Status | Archive |\n"
               "|---|---|---|---|---|\n", rows)
    if not found:
        out.write("No findings.\n\n")


class MarkdownReporter:
    name = "markdown"

    def __init__(self, *, limit: int = GITHUB_COMMENT_LIMIT) -> None:
        self.limit = limit

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        report = _Budget(self.limit)
        report.write(f"# footcheck {md_text(version)}\n\n")
        for audit in audits:
            _document(audit, report)
        if len(audits) > 1:
            c = summary_counts(audits)
            report.write(
                f"**Total:** {c['documents']} documents, {c['errors']} errors, "
                f"{c['warnings']} warnings, {c['info']} info\n"
            )
        out.write(report.text())
