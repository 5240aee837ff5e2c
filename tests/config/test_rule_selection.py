"""Rules run as units from the registry; --select/--ignore/--severity choose them ruff-style."""

from __future__ import annotations

import datetime as dt
import json
import types
from pathlib import Path

import pytest

from footcheck.model import Finding, Severity
from footcheck.parse import parse_document
from footcheck.rules import RuleContext, catalog, interface, run_static_rules
from footcheck.rules.interface import MODULE_OF, RuleUnit, all_rules, static_units
from footcheck.rules.selection import SelectorError, resolve, resolve_registered

from .conftest import PAPER, cli

TODAY = dt.date(2026, 1, 1)
RULES = {"FC101": "marker-without-body", "FC201": "url-without-access-date",
         "FC202": "tracking-parameters", "FC203": "duplicate-url", "FC301": "access-date-in-future"}


def test_every_static_rule_has_a_unit_and_links_rules_run_in_the_pipeline() -> None:
    implemented = {code for unit in static_units() for code in unit.codes}
    declared = {r.code for r in all_rules()}
    # link and archive rules read link results, input rules the loaded file: the pipeline
    # runs them (and applies the same selection)
    network = {c for c in declared
               if MODULE_OF[c] in {"footcheck.rules.links", "footcheck.rules.archive", "footcheck.rules.input",
                                   "footcheck.rules.registry"}}
    assert network >= {"FC501", "FC601", "FC001"}
    assert declared - network == implemented


def test_prefix_name_and_specificity() -> None:
    assert resolve(RULES, select=["FC2"]).enabled == {"FC201", "FC202", "FC203"}
    assert resolve(RULES, select=["tracking-parameters"]).enabled == {"FC202"}
    # the more specific selector wins; a tie goes to ignore, as in ruff
    assert resolve(RULES, select=["FC2"], ignore=["FC203"]).enabled == {"FC201", "FC202"}
    assert resolve(RULES, ignore=["FC2"], select=["FC201", "FC1"]).enabled == {"FC101", "FC201"}
    assert resolve(RULES, select=["FC202"], ignore=["tracking-parameters"]).enabled == frozenset()
    assert resolve(RULES).enabled is None and resolve(RULES, select=["ALL"]).enabled is None
    assert resolve(RULES, ignore=["fc3"]).enabled == set(RULES) - {"FC301"}


def test_severity_override_most_specific_wins() -> None:
    sel = resolve(RULES, severity={"FC2": Severity.INFO, "FC201": Severity.ERROR})
    assert sel.severity == {"FC201": Severity.ERROR, "FC202": Severity.INFO, "FC203": Severity.INFO}
    f = Finding(code="FC202", severity=Severity.WARNING, message="m")
    g = Finding(code="FC101", severity=Severity.ERROR, message="m")
    assert [x.severity for x in sel.apply([f, g])] == [Severity.INFO, Severity.ERROR]


@pytest.mark.parametrize("bad", ["FC9", "no-such-rule", "X1"])
def test_unknown_selectors_are_errors(bad: str) -> None:
    with pytest.raises(SelectorError, match=repr(bad)):
        resolve(RULES, select=[bad])
    with pytest.raises(SelectorError):
        resolve(RULES, ignore=[bad])


def test_unselected_units_are_not_run(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    original = static_units()

    def spy(unit: RuleUnit) -> RuleUnit:
        def run(doc, ctx):  # type: ignore[no-untyped-def]
            calls.append(unit.codes[0])
            return unit.run(doc, ctx)
        return RuleUnit(unit.codes, run, unit.module)

    monkeypatch.setattr(interface, "_SORTED", [(len(interface.UNITS), [spy(u) for u in original])])
    doc = parse_document(PAPER)
    found = run_static_rules(doc, RuleContext(today=TODAY, selection=resolve_registered(select=["FC2"])))
    assert found and {f.code[:3] for f in found} == {"FC2"}
    assert calls and all(c.startswith("FC2") for c in calls)


def test_a_module_with_a_plain_check_is_one_unit(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("footcheck.rules.fake_family")

    def check(doc, ctx):  # type: ignore[no-untyped-def]
        return [Finding(code="FC999", severity=Severity.INFO, message="fake")]

    module.check = check  # type: ignore[attr-defined]
    monkeypatch.setattr(catalog, "_MODULES", [*catalog.modules(), module])
    monkeypatch.setitem(MODULE_OF, "FC999", module.__name__)
    monkeypatch.setattr(interface, "_SORTED", [])
    units = [u for u in static_units() if u.module == module.__name__]
    assert [u.codes for u in units] == [("FC999",)]
    found = run_static_rules(parse_document("Текст.\n"), RuleContext(today=TODAY))
    assert [f.code for f in found] == ["FC999"]
    monkeypatch.setattr(interface, "_SORTED", [])


def codes_of(result_stdout: str) -> list[str]:
    return [f["code"] for f in json.loads(result_stdout)["documents"][0]["findings"]]


def test_cli_select_ignore_severity(paper: Path) -> None:
    base = [str(paper), "--offline", "-f", "json", "--today", "2026-01-01"]
    every = codes_of(cli(*base).stdout)
    assert {"FC201", "FC202", "FC401"} <= set(every)
    assert set(codes_of(cli(*base, "--select", "FC2").stdout)) == {c for c in every if c.startswith("FC2")}
    assert "FC202" not in codes_of(cli(*base, "--ignore", "tracking-parameters,FC4").stdout)
    # warnings only: exit 0; FC201 raised to error: exit 1
    assert cli(*base, "--select", "FC201").exit_code == 0
    r = cli(*base, "--select", "FC201", "--severity", "FC201=error")
    assert r.exit_code == 1
    assert {f["severity"] for f in json.loads(r.stdout)["documents"][0]["findings"]} == {"error"}


@pytest.mark.parametrize(("args", "message"), [
    (["--select", "FC99"], "'FC99' is not a rule code"),
    (["--severity", "FC201"], "expected SELECTOR=LEVEL"),
    (["--severity", "FC201=fatal"], "'fatal' is not a severity"),
])
def test_cli_bad_selectors_exit_2_in_one_line(paper: Path, args: list[str], message: str) -> None:
    r = cli(str(paper), "--offline", *args)
    assert r.exit_code == 2
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
