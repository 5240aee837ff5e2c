"""GitHub Actions workflow commands: one ``::error file=...,line=...::`` per finding,
shown as annotations on the pull request's changed files.

The runner reads every line of the log as a possible command, so text from a paper is
escaped the way the runner expects (``%``, CR, LF, and in properties ``:`` and ``,``);
an unescaped newline in a message would let a paper issue its own commands.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from footcheck.model import Audit, Finding, Location, Severity
from footcheck.report._common import findings_by_severity, summary_counts
from footcheck.report._text import clean
from footcheck.report.step_summary import workspace_path

COMMAND: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "notice",
}


def escape_data(text: str) -> str:
    return clean(text).replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(path: str, finding: Finding, where: Location | None = None) -> str:
    props = [f"file={escape_property(path)}"]
    where = where or Location(line=finding.line)
    place = ""
    if where.page is not None or where.paragraph is not None:
        # a PDF page or a DOCX paragraph is no line of the file: said in the message
        parts = [f"page {where.page}" if where.page is not None else "",
                 f"line {where.line}" if where.page is not None and where.line is not None else "",
                 f"paragraph {where.paragraph}" if where.paragraph is not None else ""]
        place = ", ".join(p for p in parts if p) + ": "
    elif where.line is not None:
        props.append(f"line={where.line}")
    props.append(f"title={escape_property(f'footcheck {finding.code}')}")
    message = place + finding.message
    if finding.suggestion:
        message += f"\nFix: {finding.suggestion}"
    return f"::{COMMAND[Severity(finding.severity)]} {','.join(props)}::{escape_data(message)}"


class GithubReporter:
    name = "github"

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        for audit in audits:
            for group in findings_by_severity(audit.findings).values():
                for finding in group:
                    where = audit.document.locate(finding.line, finding.footnote)
                    out.write(annotation(workspace_path(audit.document.path), finding, where) + "\n")
        counts = summary_counts(audits)
        # A plain line after the commands, so the log says what was checked.
        out.write(
            f"footcheck {version}: {counts['documents']} document(s), "
            f"{counts['errors']} error(s), {counts['warnings']} warning(s), "
            f"{counts['info']} info\n"
        )
