"""``footcheck rules [CODE]``: the catalogue table and one rule in full."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len

from footcheck.model import Severity
from footcheck.report.rules_listing import UnknownRuleError, find_rule, render_rules
from footcheck.rules.interface import RuleInfo, all_rules

RULES = [
    RuleInfo(
        "FC101",
        "marker-without-body",
        Severity.ERROR,
        "A footnote marker in the text has no footnote body",
        "The text points to footnote 3 but no line at a page bottom starts with 3, so the "
        "reader cannot find the source. PDFs lose footnotes at page breaks more often than "
        "authors forget them.",
        example="…интеграции в регионе3.\n(no line starting with «3» below)",
        fix="Restore the footnote body or remove the marker.",
    ),
    RuleInfo(
        "FC201",
        "url-tracking-parameters",
        Severity.WARNING,
        "URL carries tracking parameters [utm_*, ysclid]",
        "Tracking parameters identify a visit.",
    ),
    RuleInfo("FC702", "same-url-several-footnotes", Severity.INFO, "Same URL cited twice", "…"),
]


def render(code: str | None = None, *, width: int = 80, rules: list[RuleInfo] = RULES) -> str:
    out = io.StringIO()
    render_rules(rules, out, code=code, color=False, width=width)
    return out.getvalue()


def test_catalogue_table() -> None:
    text = render()
    lines = text.splitlines()
    assert lines[0].split() == ["Code", "Name", "Severity", "Summary"]
    assert any(line.startswith("FC101") and "error" in line for line in lines)
    assert any(line.startswith("FC201") and "warning" in line for line in lines)
    assert any(line.startswith("FC702") and "info" in line for line in lines)
    assert "[utm_*, ysclid]" in text  # brackets are text, not markup
    assert text.rstrip().endswith("3 rules. `footcheck rules CODE` explains one.")
    assert max(cell_len(line) for line in lines) <= 80
    assert "\x1b" not in text


def test_one_rule_in_full() -> None:
    text = render("fc101")
    assert text.startswith("FC101  marker-without-body  (error)\n")
    assert "A footnote marker in the text has no footnote body" in text
    assert "PDFs lose footnotes at page breaks" in text
    assert "Example\n    …интеграции в регионе3.\n    (no line starting with «3» below)\n" in text
    assert "Fix\n    Restore the footnote body or remove the marker.\n" in text
    assert max(cell_len(line) for line in text.splitlines()) <= 80


def test_rule_without_example_or_fix() -> None:
    text = render("FC201")
    assert "Example" not in text and "Fix" not in text


def test_lookup_by_name_and_unknown_codes() -> None:
    assert find_rule(RULES, "url-tracking-parameters").code == "FC201"
    assert find_rule(RULES, " FC702 ").name == "same-url-several-footnotes"
    out = io.StringIO()
    with pytest.raises(UnknownRuleError, match="FC999"):
        render_rules(RULES, out, code="FC999", color=False)
    assert out.getvalue() == ""


def test_no_rules_declared() -> None:
    assert render(rules=[]) == "No rules are declared.\n"


def test_colour() -> None:
    out = io.StringIO()
    render_rules(RULES, out, code=None, color=True, width=80)
    assert "\x1b[" in out.getvalue()


def test_real_registry_renders() -> None:
    # The rule modules arrive from several engineers; whatever is declared must render.
    rules = all_rules()
    text = render(rules=rules, width=80)
    for info in rules:
        assert info.code in text
        assert render(info.code, rules=rules).startswith(f"{info.code}  {info.name}")
