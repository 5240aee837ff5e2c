"""The README stays true: every rule is documented, the CI runs the README's test command."""

from __future__ import annotations

import re
from pathlib import Path

from footcheck.rules.interface import all_rules

ROOT = Path(__file__).resolve().parents[1]


def test_every_rule_is_in_the_readme_table() -> None:
    readme = ROOT.joinpath("README.md").read_text("utf-8")
    for rule in all_rules():
        row = rf"^\| {rule.code} \| {re.escape(rule.name)} \| {rule.severity.value} \|"
        assert re.search(row, readme, re.M), rule.code


def test_every_rule_has_an_explanation() -> None:
    for rule in all_rules():
        assert re.fullmatch(r"FC\d{3}", rule.code)
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", rule.name)
        assert len(rule.explanation) > 60 and rule.summary.endswith(".")


def test_ci_runs_the_readme_test_command() -> None:
    readme = ROOT.joinpath("README.md").read_text("utf-8")
    ci = ROOT.joinpath(".ci", "run").read_text("utf-8")
    command = readme.split("## Run the tests", 1)[1].split("```sh", 1)[1].split("```", 1)[0].strip()
    tail = "pip install" + command.split("&& pip install", 1)[1]
    # The same line, not a prefix of it: a step added on one side only (say mypy) fails here.
    ci_lines = [line.strip() for line in ci.splitlines() if line.strip().startswith("pip install -e")]
    assert ci_lines == [tail]


def test_readme_test_command_lints_types_and_tests() -> None:
    readme = ROOT.joinpath("README.md").read_text("utf-8")
    command = readme.split("## Run the tests", 1)[1].split("```sh", 1)[1].split("```", 1)[0].strip()
    steps = [step.strip() for step in command.split("&&")]
    assert steps[-4:] == ["pip install -e '.[test]'", "ruff check src tests", "mypy", "pytest -q"]


def _readme_option_table() -> set[str]:
    readme = ROOT.joinpath("README.md").read_text("utf-8")
    table = readme.split("Main options (`footcheck PAPER...`):", 1)[1].split("\n\n", 2)[1]
    names: set[str] = set()
    for row in table.splitlines()[2:]:
        first_cell = row.split(" | ", 1)[0]
        names.update(re.findall(r"`(--?[a-z][a-z-]*)`", first_cell))
    return names


def test_readme_option_table_matches_the_cli() -> None:
    from footcheck._cli import CHECK

    cli = CHECK.flags() | {"--version"}  # with the root option
    assert _readme_option_table() == cli


def test_readme_names_every_command() -> None:
    from footcheck._cli import SUBCOMMANDS

    readme = ROOT.joinpath("README.md").read_text("utf-8")
    usage = readme.split("## Usage", 1)[1].split("```", 2)[1]
    for command in SUBCOMMANDS - {"check"}:
        assert f"footcheck {command}" in usage, command
    assert "footcheck cache path" in usage and "footcheck cache clear" in usage
