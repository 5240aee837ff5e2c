"""Baselines (--write-baseline / --baseline) and the JUnit report, validated against the XSD."""

from __future__ import annotations

import json
from pathlib import Path

from lxml import etree

from .conftest import PAPER, cli

XSD = Path(__file__).resolve().parents[1] / "data" / "junit.xsd"
BASE = ["--offline", "--today", "2026-01-01"]


def codes(stdout: str) -> list[str]:
    return sorted(f["code"] for d in json.loads(stdout)["documents"] for f in d["findings"])


def test_baseline_reports_only_new_findings(paper: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    r = cli(str(paper), *BASE, "-f", "json", "--write-baseline", str(baseline))
    before = codes(r.stdout)
    assert before and "wrote" in r.stderr
    assert len(json.loads(baseline.read_text("utf-8"))["findings"]) == len(before)
    r = cli(str(paper), *BASE, "-f", "json", "--baseline", str(baseline), "--fail-on", "warning")
    assert codes(r.stdout) == [] and r.exit_code == 0
    # a new problem, with the old ones moved down by two lines: only the new one is reported
    paper.write_text("Новое начало.\n\n" + PAPER + "3 Отчёт. URL: https://www.example.ru/x?ysclid=abc1 "
                     "(дата обращения: 01.02.2024).\n", encoding="utf-8")
    r = cli(str(paper), *BASE, "-f", "json", "--baseline", str(baseline))
    new = json.loads(r.stdout)["documents"][0]["findings"]
    # (footnote 3 has no marker in the text: new too)
    assert sorted(f["code"] for f in new) == ["FC102", "FC202"]
    assert "ysclid" in next(f["message"] for f in new if f["code"] == "FC202")


def test_bad_baseline_is_one_line(paper: Path, tmp_path: Path) -> None:
    bad = tmp_path / "b.json"
    bad.write_text("{not json", encoding="utf-8")
    r = cli(str(paper), *BASE, "--baseline", str(bad))
    assert r.exit_code == 2 and "not a footcheck baseline" in r.stderr
    r = cli(str(paper), *BASE, "--baseline", str(tmp_path / "missing.json"))
    assert r.exit_code == 2 and "cannot read the baseline" in r.stderr


def test_junit_report_is_valid_and_says_what_failed(paper: Path) -> None:
    r = cli(str(paper), *BASE, "-f", "junit")
    schema = etree.XMLSchema(etree.parse(str(XSD)))
    doc = etree.fromstring(r.stdout.encode("utf-8"))
    schema.assertValid(doc)
    suite = doc.find("testsuite")
    assert suite is not None and suite.get("name") == str(paper)
    cases = {c.get("name"): c for c in suite.iter("testcase")}
    assert cases["FC202 tracking-parameters"].find("failure") is not None
    assert "utm_source" in cases["FC202 tracking-parameters"].find("failure").text
    assert cases["FC101 marker-without-body"].find("failure") is None
    link = cases["https://www.example.ru/review?utm_source=tg"]
    assert link.find("failure") is not None  # a warning names the URL
    assert cases["https://www.example.ru/report"].find("failure") is not None  # no access date
    failures = sum(1 for c in suite.iter("testcase") if c.find("failure") is not None)
    assert int(suite.get("failures")) == failures and int(suite.get("tests")) == len(cases)


def test_junit_survives_control_characters(tmp_path: Path) -> None:
    p = tmp_path / "p.txt"
    p.write_text("Текст1.\n\n1 Доклад \x0b. URL: https://example.ru/a\x07b.\n", encoding="utf-8")
    r = cli(str(p), *BASE, "-f", "junit")
    etree.XMLSchema(etree.parse(str(XSD))).assertValid(etree.fromstring(r.stdout.encode("utf-8")))
