"""The command line as a user runs it: exit codes, formats, errors, no tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

PAPER = """Введение

Экономика региона росла быстрее прогнозов1. Об этом писали [Иванов 2010: 5].

1 Обзор экономики. 2023. 4 июля. URL: https://www.example.ru/review?utm_source=tg (дата
обращения: 25.12.2023).
"""


def run(*args: str, cwd: Path | None = None, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "footcheck", *args], capture_output=True, text=True,
                          cwd=cwd, env=env, timeout=60, input=stdin)


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    p = tmp_path / "paper.txt"
    p.write_text(PAPER, encoding="utf-8")
    return p


def test_json_report_and_exit_codes(paper: Path) -> None:
    r = run(str(paper), "--offline", "--format", "json", "--today", "2026-11-24")
    assert r.returncode == 0, r.stderr
    data = json.loads(r.stdout)
    doc = data["documents"][0]
    assert doc["footnotes"][0]["urls"] == ["https://www.example.ru/review?utm_source=tg"]
    assert doc["footnotes"][0]["access_dates"] == ["2023-12-25"]
    assert doc["links"][0]["status"] == "skipped"
    codes = {f["code"] for f in doc["findings"]}
    assert {"FC202", "FC401"} <= codes
    # --fail-on warning turns the tracking-parameter warning into exit 1
    r = run(str(paper), "--offline", "--format", "json", "--fail-on", "warning")
    assert r.returncode == 1


def test_future_access_date_is_an_error(paper: Path) -> None:
    r = run(str(paper), "--offline", "-f", "json", "--today", "2023-01-01")
    assert r.returncode == 1
    assert any(f["code"] == "FC301" for f in json.loads(r.stdout)["documents"][0]["findings"])
    r = run(str(paper), "--offline", "-f", "json", "--today", "2023-01-01", "--fail-on", "never")
    assert r.returncode == 0


def test_rich_report_is_plain_when_piped(paper: Path) -> None:
    r = run(str(paper), "--offline", "--today", "2026-11-24")
    assert r.returncode == 0
    assert "\x1b[" not in r.stdout
    assert "https://www.example.ru/review" in r.stdout
    lines = r.stdout.splitlines()
    # the closing summary and the blocks' "path:line" heads name the long tmp path, whole
    assert all(len(line) <= 80 or len(line.split()) <= 2 for line in lines[:-1])
    assert lines[-1].startswith(f"{paper}: ") and "problem" in lines[-1]


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "empty"), (b"\x00\x01\x02\x03binary\xff\xfe" * 50, "binary")],
)
def test_bad_input_exit_2_one_line(tmp_path: Path, content: bytes, message: str) -> None:
    p = tmp_path / "bad.txt"
    p.write_bytes(content)
    r = run(str(p), "--offline")
    assert r.returncode == 2
    assert message in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_missing_file_and_bad_option(tmp_path: Path, paper: Path) -> None:
    r = run(str(tmp_path / "nope.txt"), "--offline")
    assert r.returncode == 2 and "no such file" in r.stderr
    r = run(str(paper), "--offline", "--today", "2023-02-30")
    assert r.returncode == 2 and "Traceback" not in r.stderr


def test_cp1251_paper(tmp_path: Path) -> None:
    p = tmp_path / "cp.txt"
    p.write_bytes(PAPER.encode("cp1251"))
    r = run(str(p), "--offline", "-f", "json")
    doc = json.loads(r.stdout)["documents"][0]
    assert doc["encoding"] == "cp1251"
    assert doc["citations"][0]["authors"] == ["Иванов"]


def test_output_file_and_refusal_to_overwrite_paper(paper: Path, tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    r = run(str(paper), "--offline", "-f", "json", "-o", str(out))
    assert r.returncode == 0 and json.loads(out.read_text("utf-8"))["tool"] == "footcheck"
    before = paper.read_bytes()
    r = run(str(paper), "--offline", "-f", "json", "-o", str(paper))
    assert r.returncode == 2 and paper.read_bytes() == before


def test_version_and_rules() -> None:
    r = run("--version")
    assert r.returncode == 0 and r.stdout.startswith("footcheck ")
    r = run("rules")
    assert r.returncode == 0 and "FC101" in r.stdout and "tracking-parameters" in r.stdout
    r = run("rules", "FC202")
    assert r.returncode == 0 and "ysclid" in r.stdout
    r = run("rules", "FC999")
    assert r.returncode == 2


def test_several_papers_one_unreadable(paper: Path, tmp_path: Path) -> None:
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    r = run(str(paper), str(bad), "--offline", "-f", "json")
    assert r.returncode == 2
    assert len(json.loads(r.stdout)["documents"]) == 1
