"""PDF reading speed: pages per second on a generated 300-page Russian paper.

    python benchmarks/bench_pdf.py [--pages 300] [--repeat 3]

The paper (built with tests/pdfgen.py: fpdf2 and a font made with fontTools) has on every
page a running head, a page number, 30 body lines with three superscript footnote markers,
and three notes in small print at the bottom, each with a URL that has a link annotation
and an access date. Measured in CPU seconds (the process and its children), median of --repeat runs:

- footcheck's PDF reader (load/pdf.py: glyphs, layout, links) alone, and the whole offline
  audit ``footcheck PAPER.pdf --offline --format json``;
- ``pdftotext`` (poppler) on the same PDF, when it is installed;
- reading the plain text pdftotext wrote (footcheck's text loader), and the offline audit
  of that text;
and how many of the markers, notes and URLs the audit of the PDF found.
"""

from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from pdfgen import PageSpec, build, line, text_width  # noqa: E402

WORDS = ("торговля санкции экспорт рынок пошлина соглашение импорт баланс стороны договор "
         "регион развитие отношения политика сотрудничество интеграция").split()


def make_paper(pages: int, directory: str) -> tuple[bytes, int]:
    specs = []
    note = 0
    for p in range(pages):
        lines = [line(140, 30, "Вестник Примерного университета. Серия экономика", size=8)]
        rows = {5: 0, 15: 1, 25: 2}
        for k in range(30):
            y = 55 + 14 * k
            words = " ".join(WORDS[(p * 7 + k * 3 + j) % len(WORDS)] for j in range(7))
            if k in rows:
                lines.append(line(40, y, f"Как показано в работе о {WORDS[k % len(WORDS)]}",
                                  f"^{note + rows[k] + 1}", f", {words}"))
            else:
                lines.append(line(40, y, f"{words.capitalize()} и {WORDS[k % len(WORDS)]}"))
        links = []
        y = 500
        for j in range(3):
            n = note + j + 1
            url = f"https://example.org/papers/{p + 1}/note-{n}.html"
            head = f" Автор {n} А. А. Статья о торговле. URL: "
            lines.append(line(40, y, f"^{n}", head + url + " (дата обращения: 12.03.2024).", size=9))
            x = 40 + text_width(str(n), 9 * 0.65) + text_width(head, 9)
            links.append((x, y - 8, text_width(url, 9), 10, url))
            y += 12
        note += 3
        lines.append(line(205, 580, str(p + 1), size=9))
        specs.append(PageSpec(lines, links=links))
    return build(specs, directory), note


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    """Median CPU seconds of fn() (this process and the children it waited for): the
    machine is shared, so wall time says more about the neighbours than about the code."""
    times = []
    for _ in range(repeat):
        before = _cpu()
        fn()
        times.append(_cpu() - before)
    return statistics.median(times)


def _cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()

    from footcheck.load import load_path
    from footcheck.load.pdf import read_pdf
    from footcheck.parse import parse_loaded

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        data, notes = make_paper(a.pages, tmp)
        made = time.perf_counter() - t
        pdf = Path(tmp) / "paper.pdf"
        pdf.write_bytes(data)
        print(f"generated {a.pages} pages, {notes} notes, {len(data) / 1e6:.1f} MB in {made:.1f} s")

        rows = []
        reader = timed(lambda: read_pdf(data, str(pdf)), a.repeat)
        rows.append(("footcheck PDF reader (read_pdf)", reader))
        footcheck = shutil.which("footcheck") or "footcheck"
        out = Path(tmp) / "out.json"

        def audit(path: Path) -> None:
            subprocess.run([footcheck, str(path), "--offline", "--format", "json", "--output", str(out)],
                           check=False, capture_output=True)

        rows.append(("footcheck PAPER.pdf --offline (whole CLI)", timed(lambda: audit(pdf), a.repeat)))
        txt = Path(tmp) / "paper.txt"
        if shutil.which("pdftotext"):
            rows.append(("pdftotext PAPER.pdf", timed(
                lambda: subprocess.run(["pdftotext", str(pdf), str(txt)], check=True), a.repeat)))
            rows.append(("footcheck text loader on pdftotext's .txt", timed(lambda: load_path(txt), a.repeat)))
            rows.append(("footcheck PAPER.txt --offline (whole CLI)", timed(lambda: audit(txt), a.repeat)))
        print("\n| run | CPU seconds | pages/s |\n|---|---:|---:|")
        for name, secs in rows:
            print(f"| {name} | {secs:.3f} | {a.pages / secs:,.0f} |")

        doc = parse_loaded(read_pdf(data, str(pdf)))
        markers = len(doc.markers)
        found = len(doc.footnotes)
        urls = sum(len(fn.urls) for fn in doc.footnotes)
        dated = sum(1 for fn in doc.footnotes for u in fn.urls if u.access_date)
        print(f"\nfrom the PDF: {markers}/{notes} markers, {found}/{notes} notes, {urls}/{notes} URLs, "
              f"{dated}/{notes} access dates")
        if txt.exists():
            tdoc = parse_loaded(load_path(txt))
            print(f"from pdftotext's text: {len(tdoc.markers)}/{notes} markers, {len(tdoc.footnotes)}/{notes} "
                  f"notes, {sum(len(fn.urls) for fn in tdoc.footnotes)}/{notes} URLs")


if __name__ == "__main__":
    main()
