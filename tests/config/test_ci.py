"""CI fit: the GitHub step summary, workspace-relative annotation paths, the composite
action's command line run locally, and the pre-commit hook's shape and entry."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from footcheck.model import Audit, Document, Finding, Severity
from footcheck.report.step_summary import ANNOTATION_LIMIT, summary_markdown, workspace_path

from .conftest import PAPER, cli

ROOT = Path(__file__).resolve().parents[2]


def _audit(path: str, errors: int, warnings: int) -> Audit:
    findings = [Finding(code="FC101", severity=Severity.ERROR, message=f"e{i}", line=i) for i in range(errors)]
    findings += [Finding(code="FC201", severity=Severity.WARNING, message=f"w{i}", line=i) for i in range(warnings)]
    return Audit(document=Document(path=path, encoding="utf-8", line_count=1), findings=tuple(findings))


def test_summary_sorts_worst_first_and_notes_the_annotation_limit(tmp_path: Path) -> None:
    env = {"GITHUB_WORKSPACE": str(tmp_path)}
    text = summary_markdown([_audit(str(tmp_path / "a.txt"), 0, 3), _audit(str(tmp_path / "d" / "b.txt"), 11, 0)],
                            "0.1.0", env)
    rows = [line for line in text.splitlines() if line.startswith("| `")]
    assert rows[0].startswith("| `d/b.txt` |") and rows[1].startswith("| `a.txt` |")
    assert f"first {ANNOTATION_LIMIT} annotations" in text and "11 errors" in text and "warnings" not in text.split(
        "Note:")[1].split("\n")[0]
    assert "Note:" not in summary_markdown([_audit("x.txt", 10, 10)], "0.1.0", {})


def test_github_format_writes_summary_and_relative_paths(paper: Path, tmp_path: Path) -> None:
    summary = tmp_path / "summary.md"
    env = {"GITHUB_STEP_SUMMARY": str(summary), "GITHUB_WORKSPACE": str(tmp_path)}
    r = cli(str(paper), "--offline", "-f", "github", "--today", "2026-01-01", env=env)
    assert "::warning file=paper.txt,line=" in r.stdout, r.stdout
    assert "| `paper.txt` |" in summary.read_text("utf-8")
    assert workspace_path("/elsewhere/x.txt", env) == "/elsewhere/x.txt"


def test_action_runs_footcheck_with_its_inputs(tmp_path: Path) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    assert any(str(s.get("uses", "")).startswith("actions/setup-python") for s in steps)
    assert any(str(s.get("uses", "")).startswith("actions/cache") for s in steps)
    run = next(s for s in steps if s.get("name") == "Run footcheck")
    for name in ("paths", "format", "fail-on", "args"):
        assert name in action["inputs"]
    papers = tmp_path / "papers"
    papers.mkdir()
    (papers / "one.txt").write_text(PAPER, encoding="utf-8")
    bindir = tmp_path / "bin"
    bindir.mkdir()
    shim = bindir / "footcheck"
    shim.write_text(f"#!/bin/sh\nexec {sys.executable} -m footcheck \"$@\"\n")
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{bindir}{os.pathsep}{os.environ['PATH']}", "NO_COLOR": "1",
           "FOOTCHECK_PATHS": "papers/*.txt", "FOOTCHECK_FORMAT": action["inputs"]["format"]["default"],
           "FOOTCHECK_FAIL_ON": "warning", "FOOTCHECK_ARGS": "--offline --today 2026-01-01",
           "FOOTCHECK_CACHE": str(tmp_path / "cache"), "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"),
           "GITHUB_WORKSPACE": str(tmp_path)}
    r = subprocess.run(["bash", "-e", "-c", run["run"]], cwd=tmp_path, env=env, capture_output=True, text=True,
                       timeout=60)
    assert r.returncode == 1, r.stderr  # warnings and --fail-on warning
    assert "::warning file=papers/one.txt" in r.stdout
    assert "papers/one.txt" in (tmp_path / "summary.md").read_text("utf-8")


CLEAN = ("Рост отмечен в докладе1.\n\n"
         "1 Доклад о росте. URL: https://example.ru/report (дата обращения: 10.05.2023).\n")


def test_pre_commit_hook_shape_and_entry(tmp_path: Path) -> None:
    paper = tmp_path / "clean.txt"
    paper.write_text(CLEAN, encoding="utf-8")
    hooks = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert isinstance(hooks, list) and len(hooks) == 1
    hook = hooks[0]
    assert {"id", "name", "entry", "language"} <= set(hook) and hook["language"] == "python"
    import re

    assert re.search(hook["files"], "paper.txt") and re.search(hook["files"], "a/b.docx")
    assert not re.search(hook["files"], "setup.py")
    clientlib = pytest.importorskip("pre_commit.clientlib") if shutil.which("pre-commit") else None
    if clientlib is not None:
        clientlib.load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))
    # pre-commit runs: entry + the staged file names
    argv = hook["entry"].split()
    assert argv[0] == "footcheck"
    r = cli(*argv[1:], "--today", "2026-01-01", str(paper))
    assert r.exit_code == 0 and r.stderr == ""
    r = cli(*argv[1:], "--today", "2023-01-01", str(paper))  # access date in the future: an error
    assert r.exit_code == 1
