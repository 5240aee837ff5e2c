"""Screenshot-level check of what an editor sees: ``footcheck samples/demo.txt`` at 80 columns."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

DEMO = Path(__file__).resolve().parents[2] / "samples" / "demo.txt"
HEAD = re.compile(r"^(error|warning|info) {2,}samples/demo\.txt:(\d+)  (.+)$")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "80"}
    return subprocess.run([sys.executable, "-m", "footcheck", "samples/demo.txt", "--offline",
                           "--today", "2024-06-01", *args], capture_output=True, text=True, env=env,
                          cwd=DEMO.parents[1], timeout=60)


def test_demo_report_at_80_columns() -> None:
    rich = _run()
    data = json.loads(_run("-f", "json").stdout)["documents"][0]
    lines = rich.stdout.splitlines()
    assert rich.returncode == 1  # the demo has an error on purpose

    # the summary comes first, the one-line summary last
    assert lines[0].startswith("╭─ footcheck ")
    assert lines[1].startswith("│ Document") and "samples/demo.txt" in lines[1]
    assert any(line.startswith("│ Problems") for line in lines[:10])
    assert re.fullmatch(r"samples/demo\.txt: \d+ problems \(1 error, \d+ warnings, \d+ info\); links not "
                        r"checked \(offline\)", lines[-1])

    # one block per cited item: a footnote with two findings is one block, not two
    heads = [HEAD.match(line) for line in lines]
    blocks = [m for m in heads if m]
    findings = data["findings"]
    items = {(f["footnote"],) if f["footnote"] is not None else ("line", f["line"]) for f in findings}
    assert len(blocks) == len(items)
    assert int(lines[-1].split(": ", 1)[1].split()[0]) == len(blocks)
    # in document order
    assert [int(m.group(2)) for m in blocks] == sorted(int(m.group(2)) for m in blocks)
    # every rule code of the JSON report is in the rich one
    for finding in findings:
        assert re.search(rf"^ {{9}}{finding['code']}  ", rich.stdout, re.M), finding["code"]

    # no URL is broken across lines: each cited URL with a problem is whole on one line
    for finding in findings:
        if finding["url"]:
            assert any(finding["url"] in line for line in lines), finding["url"]
        if finding["suggestion"] and finding["suggestion"].startswith("https://"):
            assert any(line.endswith(finding["suggestion"]) for line in lines)
    # lines fit in 80 columns unless a URL runs on past the edge
    for line in lines[:-1]:
        assert len(line) <= 80 or re.search(r"https?://\S+$", line), line
    # the listings of every footnote are not in the default report
    assert "Footnotes (" not in rich.stdout
    details = _run("--details").stdout
    assert "Footnotes (13)" in details and "Citations (15), repeats (1)" in details
