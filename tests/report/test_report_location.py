"""SARIF and GitHub annotations use the source location where the format allows."""

from __future__ import annotations

import io

from footcheck.model import Audit, Document, Finding, Location, Severity
from footcheck.report.github import GithubReporter
from footcheck.report.sarif import sarif_dict

FINDING = Finding("FC201", Severity.WARNING, "URL without an access date", line=2, footnote=4)


def _docx() -> Audit:
    doc = Document("paper.docx", "utf-8", 2, format="docx",
                   line_locations=(Location(paragraph=1), Location(paragraph=9)))
    return Audit(doc, findings=(FINDING,))


def test_sarif_docx_has_no_line_region_but_paragraph_and_footnote() -> None:
    result = sarif_dict([_docx()], version="0")["runs"][0]["results"][0]
    assert "region" not in result["locations"][0]["physicalLocation"]
    assert result["properties"]["paragraph"] == 9 and result["properties"]["footnote"] == 4


def test_sarif_text_keeps_its_line() -> None:
    audit = Audit(Document("paper.txt", "utf-8", 2), findings=(FINDING,))
    result = sarif_dict([audit], version="0")["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": 2}


def test_github_docx_names_the_paragraph_in_the_message() -> None:
    out = io.StringIO()
    GithubReporter().render([_docx()], out, version="0")
    first = out.getvalue().splitlines()[0]
    assert first.startswith("::warning file=paper.docx,title=")
    assert "line=" not in first and first.endswith("::paragraph 9: URL without an access date")
