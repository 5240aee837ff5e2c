"""SARIF 2.1.0, for code-scanning dashboards (GitHub, GitLab, Azure DevOps).

One run per invocation; the rule descriptors come from the rule registry, so a result's
``ruleIndex`` points at the explanation ``footcheck rules CODE`` prints. Findings whose
code is not registered still appear (``ruleId`` only): a dashboard must never lose one.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, TextIO
from urllib.parse import quote

from footcheck.model import Audit, Finding, Location, Severity
from footcheck.report.json import write_json
from footcheck.rules.interface import RuleInfo, all_rules

SARIF_VERSION = "2.1.0"
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"

LEVEL: dict[Severity, str] = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "note",
}


def artifact_uri(path: str) -> str:
    """A URI reference for a file path: relative paths stay relative (what dashboards
    expect, resolved against the checkout), absolute ones become ``file://`` URIs."""
    if PureWindowsPath(path).drive:
        return PureWindowsPath(path).as_uri()
    posix = path.replace("\\", "/")
    if posix.startswith("/"):
        return PurePosixPath(posix).as_uri()
    return quote(posix, safe="/-._~")


def _rule_descriptor(info: RuleInfo) -> dict[str, Any]:
    help_text = info.explanation
    if info.fix:
        help_text += f"\n\nFix: {info.fix}"
    if info.example:
        help_text += f"\n\nExample: {info.example}"
    return {
        "id": info.code,
        "name": info.name,
        "shortDescription": {"text": info.summary},
        "fullDescription": {"text": info.explanation or info.summary},
        "help": {"text": help_text or info.summary},
        "defaultConfiguration": {"level": LEVEL[Severity(info.severity)]},
    }


def _result(finding: Finding, uri: str, rule_index: dict[str, int], where: Location | None = None) -> dict[str, Any]:
    location: dict[str, Any] = {"artifactLocation": {"uri": uri}}
    where = where or Location(line=finding.line, footnote=finding.footnote)
    # SARIF lines are 1-based like ours; a finding about the whole file has no region, and
    # a DOCX paragraph or a PDF page is not a line of the file: it goes to the properties.
    if where.line is not None and where.line >= 1 and where.page is None and where.paragraph is None:
        location["region"] = {"startLine": where.line}
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVEL[Severity(finding.severity)],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": location}],
    }
    if finding.code in rule_index:
        result["ruleIndex"] = rule_index[finding.code]
    properties = {
        key: value
        for key, value in (
            ("footnote", finding.footnote),
            ("page", where.page),
            ("paragraph", where.paragraph),
            ("lineInPage", where.line if where.page is not None else None),
            ("url", finding.url),
            ("suggestion", finding.suggestion),
        )
        if value is not None
    }
    if properties:
        result["properties"] = properties
    return result


def sarif_dict(audits: Sequence[Audit], *, version: str, rules: Sequence[RuleInfo] | None = None) -> dict[str, Any]:
    """The SARIF log as plain data; ``rules`` defaults to every registered rule."""
    infos = list(all_rules() if rules is None else rules)
    rule_index = {info.code: i for i, info in enumerate(infos)}
    results: list[dict[str, Any]] = []
    artifacts: list[dict[str, Any]] = []
    for audit in audits:
        uri = artifact_uri(audit.document.path)
        artifacts.append({"location": {"uri": uri}})
        doc = audit.document
        results.extend(_result(f, uri, rule_index, doc.locate(f.line, f.footnote)) for f in audit.findings)
    return {
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "footcheck",
                        "version": version,
                        "rules": [_rule_descriptor(info) for info in infos],
                    }
                },
                "artifacts": artifacts,
                "results": results,
                "columnKind": "unicodeCodePoints",
            }
        ],
    }


class SarifReporter:
    name = "sarif"

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        write_json(sarif_dict(audits, version=version), out)
