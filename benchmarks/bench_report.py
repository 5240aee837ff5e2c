"""Benchmark: the rich report against JSON on the generated 10,000-footnote monograph.

Run by hand (never from the test suite)::

    .venv/bin/python benchmarks/bench_report.py            # render times + whole CLI, 5 runs each
    .venv/bin/python benchmarks/bench_report.py --runs 3

What it measures
  * The monograph of ``bench_parse.py`` at 1x (10 MB, 10,000 footnotes), audited offline once;
    then each reporter renders the audit into a StringIO (median of ``--runs``): rich
    (the default, problems only), rich ``--details`` (every footnote and citation too), JSON.
  * The whole CLI, ``footcheck MONO --offline -f FORMAT > /dev/null``: CPU time (user + system,
    the figure that is stable on a shared machine) and wall time, median.
"""

from __future__ import annotations

import argparse
import io
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    mono = Path("/tmp/footcheck-bench-mono.txt")
    if not mono.exists():
        subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_parse.py"), "generate",
                        "--scale", "1", "--out", str(mono)], check=True)

    import datetime as dt

    from footcheck.load import load_path
    from footcheck.pipeline import audit_static
    from footcheck.report import get_reporter
    from footcheck.report.rich_report import RichReporter
    from footcheck.rules import RuleContext

    audit = audit_static(load_path(mono), RuleContext(today=dt.date(2026, 1, 1)))
    print(f"monograph: {len(audit.document.footnotes)} footnotes, {len(audit.findings)} findings")
    reporters = {"rich": get_reporter("rich"), "rich --details": RichReporter(details=True),
                 "json": get_reporter("json")}
    render: dict[str, float] = {}
    for name, reporter in reporters.items():
        times = []
        for _ in range(args.runs):
            out = io.StringIO()
            start = time.perf_counter()
            reporter.render([audit], out, version="bench", color=False, width=80)
            times.append(time.perf_counter() - start)
        render[name] = statistics.median(times)
        print(f"render {name:<15} {render[name]:.3f} s  ({len(out.getvalue().splitlines())} lines)")
    print(f"render rich / json: {render['rich'] / render['json']:.2f}x")

    cli: dict[str, float] = {}
    for name, extra in (("rich", []), ("rich --details", ["--details"]), ("json", ["-f", "json"])):
        walls, cpus = [], []
        for _ in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "footcheck", str(mono), "--offline", *extra],
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env={"COLUMNS": "80", "PATH": "/usr/bin:/bin"})
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        cli[name] = statistics.median(cpus)
        print(f"cli    {name:<15} cpu {cli[name]:.3f} s  wall {statistics.median(walls):.3f} s")
    print(f"cli cpu rich / json: {cli['rich'] / cli['json']:.2f}x")


if __name__ == "__main__":
    main()
