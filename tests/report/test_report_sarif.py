"""SARIF 2.1.0 output: structure, levels, locations and rule descriptors."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from footcheck.model import Audit, Document, Finding, Severity
from footcheck.report import get_reporter
from footcheck.report.sarif import artifact_uri, sarif_dict
from footcheck.rules.interface import RuleInfo, all_rules

MINIMAL_SCHEMA = json.loads((Path(__file__).parent / "sarif_minimal_schema.json").read_text(encoding="utf-8"))

RULES = [
    RuleInfo(
        "FC201",
        "url-tracking-parameters",
        Severity.WARNING,
        "URL carries tracking",
        "Tracking parameters identify a visit, not a document.",
        "…?utm_source=x",
        "Cite the URL without them.",
    ),
    RuleInfo(
        "FC301",
        "malformed-access-date",
        Severity.ERROR,
        "Access date is not a date",
        "The date cannot be read.",
    ),
    RuleInfo("FC402", "no-transliterated-twin", Severity.INFO, "No References list", "…"),
]


def render(audits: list[Audit]) -> dict[str, Any]:
    out = io.StringIO()
    get_reporter("sarif").render(audits, out, version="0.1.0")
    data: dict[str, Any] = json.loads(out.getvalue())
    return data


def check_consistency(log: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(MINIMAL_SCHEMA).validate(log)
    run = log["runs"][0]
    rules = run["tool"]["driver"].get("rules", [])
    ids = [r["id"] for r in rules]
    assert len(ids) == len(set(ids))
    for result in run["results"]:
        if "ruleIndex" in result:
            assert rules[result["ruleIndex"]]["id"] == result["ruleId"]


def test_structure_with_given_rules(audit: Audit) -> None:
    log = sarif_dict([audit], version="1.2.3", rules=RULES)
    check_consistency(log)
    assert log["version"] == "2.1.0"
    assert log["$schema"].endswith("sarif-2.1.0.json")
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "footcheck"
    assert driver["version"] == "1.2.3"
    assert driver["rules"][0] == {
        "id": "FC201",
        "name": "url-tracking-parameters",
        "shortDescription": {"text": "URL carries tracking"},
        "fullDescription": {"text": "Tracking parameters identify a visit, not a document."},
        "help": {
            "text": "Tracking parameters identify a visit, not a document.\n\n"
            "Fix: Cite the URL without them.\n\nExample: …?utm_source=x"
        },
        "defaultConfiguration": {"level": "warning"},
    }
    assert driver["rules"][1]["defaultConfiguration"] == {"level": "error"}
    assert driver["rules"][2]["defaultConfiguration"] == {"level": "note"}


def test_results(audit: Audit) -> None:
    log = sarif_dict([audit], version="0.1.0", rules=RULES)
    results = log["runs"][0]["results"]
    assert len(results) == len(audit.findings) == 7
    by_rule = {r["ruleId"]: r for r in results}
    tracking = by_rule["FC201"]
    assert tracking["level"] == "warning"
    assert tracking["ruleIndex"] == 0
    assert tracking["message"] == {"text": "URL has tracking parameters (ysclid)"}
    location = tracking["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "samples/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F.txt"
    assert location["region"] == {"startLine": 82}
    assert tracking["properties"] == {
        "footnote": 5,
        "url": "https://tass.ru/mezhdunarodnaya-panorama/17556937?ysclid=ls5x7l1dn0355386654",
        "suggestion": "https://tass.ru/mezhdunarodnaya-panorama/17556937",
    }
    assert by_rule["FC301"]["level"] == "error"
    assert by_rule["FC601"]["level"] == "note"
    # A finding about the whole file has no region; a code with no descriptor no index.
    whole_file = by_rule["FC402"]["locations"][0]["physicalLocation"]
    assert "region" not in whole_file
    assert "ruleIndex" not in by_rule["FC501"]


def test_reporter_uses_the_rule_registry(audit: Audit, offline_audit: Audit) -> None:
    # Whatever rule modules exist right now (maybe none yet), the log is consistent.
    log = render([audit, offline_audit])
    check_consistency(log)
    registered = {info.code for info in all_rules()}
    assert {r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]} == registered
    assert len(log["runs"][0]["results"]) == 10
    assert len(log["runs"][0]["artifacts"]) == 2


def test_no_findings(empty_audit: Audit) -> None:
    log = render([empty_audit])
    check_consistency(log)
    assert log["runs"][0]["results"] == []


@pytest.mark.parametrize(
    ("path", "uri"),
    [
        ("paper.txt", "paper.txt"),
        ("dir/статья 1.txt", "dir/%D1%81%D1%82%D0%B0%D1%82%D1%8C%D1%8F%201.txt"),
        ("dir\\sub\\a.txt", "dir/sub/a.txt"),
        ("/home/u/a b.txt", "file:///home/u/a%20b.txt"),
        ("C:\\papers\\a.txt", "file:///C:/papers/a.txt"),
        ("a#b?.txt", "a%23b%3F.txt"),
    ],
)
def test_artifact_uri(path: str, uri: str) -> None:
    assert artifact_uri(path) == uri


def test_line_zero_gives_no_region() -> None:
    finding = Finding("FC101", Severity.ERROR, "m", line=0)
    log = sarif_dict([Audit(Document("a.txt", "utf-8", 1), findings=(finding,))], version="0", rules=[])
    check_consistency(log)
    assert "region" not in log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
