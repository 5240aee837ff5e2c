"""Benchmark: a folder of many small papers in one offline run.

Run by hand (never from the test suite)::

    .venv/bin/python benchmarks/bench_batch.py                    # 1,000 and 10,000 papers
    .venv/bin/python benchmarks/bench_batch.py --counts 1000 --formats jsonl

What it measures
  * A deterministic generator writes N small invented papers (about 2 KB each: a few
    paragraphs with glued footnote markers, three footnotes with URLs and access dates, one
    «Там же», bracketed author-year citations and a short reference list) into a folder.
  * ``footcheck DIR --offline --isolated -q -f FORMAT -o /dev/null`` runs in a subprocess
    (folder discovery, loading, parsing, rules, report): wall and CPU time per paper and
    the child's peak RSS (``ru_maxrss``). ``jsonl`` streams one line per paper; ``json`` builds
    the whole report in memory, for comparison.
  * The floor, in its own subprocess: reading every file and ``split("\\n")`` on its text.

Only the standard library and footcheck are used.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SURNAMES = ["Орлов", "Белова", "Кузьмин", "Тихонова", "Мельников", "Зайцева", "Голубев", "Соколова"]
TOPICS = ["водных ресурсов", "городского транспорта", "сельских школ", "региональных бюджетов",
          "малого бизнеса", "музейных фондов", "лесного хозяйства", "портовой логистики"]


def paper(k: int) -> str:
    a, b = SURNAMES[k % 8], SURNAMES[(k * 3 + 1) % 8]
    topic = TOPICS[k % 8]
    y1, y2 = 2001 + k % 20, 2005 + k % 17
    day = 1 + k % 27
    return (
        f"Проблемы {topic}: случай {k}\n\n"
        f"Исследования {topic} последних лет показывают рост интереса к теме1. Как отмечал "
        f"{a} [{a} {y1}: {10 + k % 90}], сопоставимые данные появились лишь недавно2.\n"
        f"Другие авторы [{b} {y2}] предлагают иной подход, опираясь на отчёты ведомств3.\n\n"
        f"1 Обзор {topic}. URL: https://data{k % 50}.example.ru/reports/{k}/overview"
        f" (дата обращения: {day:02d}.03.2024).\n"
        f"2 Там же. С. {5 + k % 40}.\n"
        f"3 Доклад о состоянии отрасли. URL: https://www.example.org/{k}/report?utm_source=mail"
        f" (дата обращения: {day:02d}.04.2024).\n\n"
        f"Список литературы\n\n"
        f"{a} А. А. Очерки {topic}. М.: Наука, {y1}. 240 с.\n"
        f"{b} Б. Б. Методы анализа {topic} // Вопросы экономики. {y2}. № 4. С. 15–30.\n"
    )


def generate(folder: Path, count: int) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    total = 0
    for k in range(count):
        sub = folder / f"issue{k // 500:03d}"
        sub.mkdir(exist_ok=True)
        text = paper(k)
        (sub / f"paper{k:05d}.txt").write_text(text, encoding="utf-8")
        total += len(text.encode("utf-8"))
    return total


FLOOR = """
import sys, os, time, resource
from pathlib import Path
root = Path(sys.argv[1]); n = 0; t = time.perf_counter()
for folder, _d, files in os.walk(root):
    for name in files:
        n += len(Path(folder, name).read_bytes().decode("utf-8").split("\\n"))
print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def run_child(argv: list[str]) -> tuple[float, int, subprocess.CompletedProcess[str]]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    # ru_maxrss of children is the maximum over all children so far: run the biggest last
    return wall, max(after, before), done


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--counts", default="1000,10000")
    ap.add_argument("--formats", default="jsonl,json")
    args = ap.parse_args()
    counts = [int(c) for c in args.counts.split(",")]
    formats = args.formats.split(",")
    print("| papers | format | wall s | wall ms / paper | CPU ms / paper | peak RSS MB | floor ms / paper |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for count in counts:
        tmp = Path(tempfile.mkdtemp(prefix="fc-batch-"))
        try:
            size = generate(tmp / "papers", count)
            floor = subprocess.run([sys.executable, "-c", FLOOR, str(tmp / "papers")], capture_output=True,
                                   text=True, check=True).stdout.split()
            floor_ms = float(floor[0]) * 1000 / count
            for fmt in formats:
                # each measurement in a fresh interpreter, RSS read by /usr/bin/time-like wrapper
                wrapper = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:]);"
                           " u = resource.getrusage(resource.RUSAGE_CHILDREN);"
                           " print(u.ru_maxrss, r.returncode, u.ru_utime + u.ru_stime, file=sys.stderr)")
                argv = [sys.executable, "-c", wrapper, sys.executable, "-m", "footcheck", str(tmp / "papers"),
                        "--offline", "--isolated", "-q", "-f", fmt, "-o", os.devnull, "--today", "2026-01-01"]
                wall, _rss, done = run_child(argv)
                rss_kb, code, cpu = done.stderr.strip().splitlines()[-1].split()
                if code not in {"0", "1"}:
                    raise SystemExit(done.stderr)
                print(f"| {count:,} | {fmt} | {wall:.2f} | {wall * 1000 / count:.2f} |"
                      f" {float(cpu) * 1000 / count:.2f} | {int(rss_kb) / 1024:.0f} | {floor_ms:.2f} |", flush=True)
            print(f"<!-- {count} papers, {size / 1e6:.1f} MB -->", flush=True)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
