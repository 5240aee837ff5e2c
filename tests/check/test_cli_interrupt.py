"""SIGTERM and Ctrl-C during the link check: the partial report is written, 143 / 130;
``footcheck links`` with verdicts from a real (loopback) check."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from check_servers import html

PAPER = """Введение

Первый тезис1. Второй тезис2.

1 Быстрый сайт. URL: {fast} (дата обращения: 01.02.2024).
2 Медленный сайт. URL: {slow} (дата обращения: 01.02.2024).
"""


def _start(paper: Path, tmp_path: Path) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "footcheck", str(paper), "--allow-private", "--no-cache",
         "--no-wayback", "-f", "json", "-o", str(tmp_path / "report.json")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # a child of a non-interactive shell may inherit "ignore SIGINT"; a user's has the default
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


@pytest.mark.parametrize(("sig", "code", "word"), [(signal.SIGTERM, 143, "terminated"),
                                                   (signal.SIGINT, 130, "interrupted")])
def test_signal_writes_the_partial_report(make_site, tmp_path: Path, sig: int, code: int, word: str) -> None:
    site = make_site("127.0.0.2")
    fast = site.page("/fast", html("Быстрый сайт"))
    slow = site.page("/slow", html("Медленный сайт"), delay=5.0)
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER.format(fast=fast, slow=slow), encoding="utf-8")
    process = _start(paper, tmp_path)
    deadline = time.monotonic() + 10
    while site.requests("/slow") == 0 and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)
    process.send_signal(sig)
    _, err = process.communicate(timeout=30)
    assert process.returncode == code, err
    assert word in err and "Traceback" not in err
    links = json.loads((tmp_path / "report.json").read_text("utf-8"))["documents"][0]["links"]
    assert {link["url"]: link["status"] for link in links} == {fast: "ok", slow: "skipped"}


def test_links_command_with_verdicts(make_site, tmp_path: Path) -> None:
    site = make_site("127.0.0.2")
    fast = site.page("/fast", html("Быстрый сайт"))
    gone = site.page("/gone", "нет", status=404)
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER.format(fast=fast, slow=gone), encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "footcheck", "links", str(paper), "--allow-private",
                           "--no-cache", "-q"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    rows = [line.split() for line in done.stdout.splitlines() if "127.0.0.2" in line]
    assert rows == [["fn", "1", "line", "5", "2024-02-01", "ok", fast],
                    ["fn", "2", "line", "6", "2024-02-01", "broken", "404", gone]]
