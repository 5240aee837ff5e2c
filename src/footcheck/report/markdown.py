"""A Markdown report (GitHub-flavoured), for a pull-request comment or a job summary.

Text from the paper is escaped so it cannot become links, images, HTML or table
breaks; URLs go into code spans (exact, copyable) and only archive captures, which the
tool itself chose, become links.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TextIO
from urllib.parse import quote

from footcheck.model import Audit, Finding, LinkStatus
from footcheck.report._common import (
    OFFLINE_DETAIL,
    SEVERITY_ORDER,
    findings_by_severity,
    iso_date,
    iso_timestamp,
    link_status_counts,
    link_view,
    summary_counts,
)
from footcheck.report._text import clean_line

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&$])")
_TITLES = {"error": "Errors", "warning": "Warnings", "info": "Info"}


def md_text(text: str) -> str:
    """Inline text with every Markdown/HTML-significant character escaped."""
    return _SPECIAL.sub(r"\\\1", clean_line(text))


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


def _location(path: str, finding: Finding) -> str:
    where = f"{path}:{finding.line}" if finding.line is not None else path
    return md_code(where)


def _document(audit: Audit, out: TextIO) -> None:
    document = audit.document
    counts = summary_counts([audit])
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
    out.write(f"- Findings: {counts['errors']} errors, {counts['warnings']} warnings, {counts['info']} info\n\n")

    checked = [link_view(audit, link) for link in audit.links]
    problems = [
        v
        for v in checked
        if v.status not in (LinkStatus.OK, LinkStatus.SKIPPED)
        or v.archive is not None
        or (v.status is LinkStatus.SKIPPED and v.detail != OFFLINE_DETAIL)
    ]
    if problems:
        out.write("### Links that need attention\n\n")
        out.write("| URL | Cited in | Accessed | Status | Archive |\n|---|---|---|---|---|\n")
        for view in problems:
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
            out.write(
                f"| {md_code(link.url)} | {cited} | {iso_date(link.access_date) or '—'} | {status} | {archive} |\n"
            )
        out.write("\n")

    if not audit.findings:
        out.write("No findings.\n\n")
        return
    groups = findings_by_severity(audit.findings)
    for severity in SEVERITY_ORDER:
        group = groups[severity]
        if not group:
            continue
        out.write(f"### {_TITLES[severity.value]} ({len(group)})\n\n")
        out.write("| Where | Code | Message |\n|---|---|---|\n")
        for finding in group:
            message = md_text(finding.message)
            if finding.suggestion:
                message += f"<br>Fix: {md_code(finding.suggestion)}"
            out.write(f"| {_location(document.path, finding)} | {md_code(finding.code)} | {message} |\n")
        out.write("\n")


class MarkdownReporter:
    name = "markdown"

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        out.write(f"# footcheck {md_text(version)}\n\n")
        for audit in audits:
            _document(audit, out)
        if len(audits) > 1:
            c = summary_counts(audits)
            out.write(
                f"**Total:** {c['documents']} documents, {c['errors']} errors, "
                f"{c['warnings']} warnings, {c['info']} info\n"
            )
