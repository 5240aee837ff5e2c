"""Where the report goes (--output safety, -o -, stdin), --help, write errors, progress lines."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from footcheck._progress import ProgressBar

PAPER = """Введение

Экономика региона росла быстрее прогнозов1.

1 Обзор экономики. URL: https://www.example.ru/review?utm_source=tg (дата обращения: 25.12.2023).
"""


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "footcheck", *args], capture_output=True, text=True,
                          env=env, timeout=60, input=stdin)


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    p = tmp_path / "paper.txt"
    p.write_text(PAPER, encoding="utf-8")
    return p


def test_output_follows_a_symlink_and_keeps_the_mode(paper: Path, tmp_path: Path) -> None:
    real = tmp_path / "report.json"
    real.write_text("old", encoding="utf-8")
    real.chmod(0o640)
    link = tmp_path / "latest.json"
    link.symlink_to(real.name)
    r = run(str(paper), "--offline", "-f", "json", "-o", str(link))
    assert r.returncode == 0, r.stderr
    assert link.is_symlink() and os.readlink(link) == real.name
    assert json.loads(real.read_text("utf-8"))["tool"] == "footcheck"
    assert stat.S_IMODE(real.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp left


def test_new_output_file_gets_the_umask_mode(paper: Path, tmp_path: Path) -> None:
    out = tmp_path / "new.json"
    r = run(str(paper), "--offline", "-f", "json", "-o", str(out))
    assert r.returncode == 0
    mask = os.umask(0)
    os.umask(mask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o666 & ~mask


def test_output_into_a_fifo_is_written_not_replaced(paper: Path, tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    reader = subprocess.Popen(["cat", str(fifo)], stdout=subprocess.PIPE)
    r = run(str(paper), "--offline", "-f", "json", "-o", str(fifo))
    data, _ = reader.communicate(timeout=30)
    assert r.returncode == 0
    assert json.loads(data)["tool"] == "footcheck"
    assert stat.S_ISFIFO(fifo.stat().st_mode)


def test_output_into_a_device_is_written_not_replaced(paper: Path, tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a null device of our own
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here")
    r = run(str(paper), "--offline", "-o", str(node))
    assert r.returncode == 0, r.stderr
    assert stat.S_ISCHR(node.stat().st_mode)


@pytest.mark.parametrize("where", ["dir", "missing-dir", "full"])
def test_write_errors_are_one_line_and_exit_3(paper: Path, tmp_path: Path, where: str) -> None:
    target = {"dir": str(tmp_path), "missing-dir": str(tmp_path / "no" / "r.txt"), "full": "/dev/full"}[where]
    if where == "full" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    r = run(str(paper), "--offline", "-o", target)
    assert r.returncode == 3
    assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr
    assert "cannot write" in r.stderr


def test_stdout_write_error_exit_3() -> None:
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    with open("/dev/full", "w") as full:
        done = subprocess.run([sys.executable, "-m", "footcheck", "-", "--offline"], input=PAPER,
                              text=True, stdout=full, stderr=subprocess.PIPE, timeout=60)
    assert done.returncode == 3 and "Traceback" not in done.stderr


def test_dash_is_stdin_and_dash_o_is_stdout() -> None:
    r = run("-", "--offline", "-f", "json", "-o", "-", stdin=PAPER)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)["documents"][0]
    assert doc["path"] == "<stdin>"
    assert doc["footnotes"][0]["urls"] == ["https://www.example.ru/review?utm_source=tg"]
    r = run("-", "-", "--offline", stdin=PAPER)
    assert r.returncode == 2 and "only once" in r.stderr


def test_help_lists_the_main_options_with_placeholders() -> None:
    for flag in ("--help", "-h"):
        r = run(flag)
        assert r.returncode == 0
        for option in ("--offline", "--format", "--output PATH", "--timeout SECONDS",
                       "--wayback-url URL", "--max-archive-gap DAYS"):
            assert option in r.stdout, option
        assert "<list[" not in r.stdout and "<str>" not in r.stdout and "<path>" not in r.stdout
        assert "footcheck links" in r.stdout  # the other commands are named
        assert "PDF, DOCX, Markdown, HTML or LaTeX" in " ".join(r.stdout.split())  # not "plain text"
    assert run("links", "-h").returncode == 0 and run("cache", "-h").returncode == 0


def test_links_command_offline(paper: Path) -> None:
    r = run("links", str(paper), "--offline")
    assert r.returncode == 0, r.stderr
    (row,) = [line for line in r.stdout.splitlines() if "example.ru" in line]
    assert row.split() == ["fn", "1", "line", "5", "2023-12-25", "https://www.example.ru/review?utm_source=tg"]
    data = json.loads(run("links", str(paper), "--offline", "-f", "json").stdout)
    (link,) = data["documents"][0]["links"]
    assert (link["footnote"], link["line"], link["access_date"], link["status"]) == (1, 5, "2023-12-25", "skipped")


def test_progress_lines_when_not_a_terminal() -> None:
    now = [0.0]
    out = io.StringIO()
    bar = ProgressBar(False, lines=True, stream=out, interval=5.0, clock=lambda: now[0])
    bar.started(10)
    for _ in range(10):
        now[0] += 1.5
        bar.finished_one("u")
    lines = out.getvalue().splitlines()
    # 15 s of work, a line every 5 s at most
    assert lines == ["footcheck: checking links: 4/10 (6 s)", "footcheck: checking links: 8/10 (12 s)"]
    quiet = io.StringIO()
    bar = ProgressBar(False, lines=False, stream=quiet, clock=lambda: now[0])
    bar.started(3)
    now[0] += 100
    bar.finished_one("u")
    assert quiet.getvalue() == ""


def test_a_reader_that_goes_away_gets_no_traceback() -> None:
    for args in (["rules"], ["--help"]):
        proc = subprocess.Popen([sys.executable, "-m", "footcheck", *args], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env={**os.environ, "NO_COLOR": "1"})
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # as `footcheck rules | true` does
        err = proc.stderr.read().decode("utf-8")
        assert proc.wait(timeout=60) == 1, err
        assert "Traceback" not in err and "BrokenPipe" not in err
