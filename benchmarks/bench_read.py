"""DOCX reading speed: pages per second on a generated 300-page Russian paper, against
reading the same paper as plain text.

    python benchmarks/bench_read.py [--pages 300] [--repeat 3]

The paper (built with tests/load/docx_writer.py) has per page 6 paragraphs of about 420
characters, three of them with a footnote reference; every note has a title, a hyperlink
shown as words or as its URL, and an access date; every tenth page a table row, a tracked
deletion and a comment. The plain-text twin is what a pandoc-style rendering gives: the
paragraphs with markers glued to the word, the notes as ``N text URL (дата обращения: …)``
lines at the end of each page. Measured in CPU seconds of this process, median of --repeat:

- the DOCX reader alone (``read_bytes``: zip, XML, notes, links) and the whole offline audit
  (reader + parser + static rules, ``pipeline.audit_static``);
- the plain-text reader on the twin and the whole offline audit of the twin;
and how many notes, URLs and access dates each audit found.
PDF reading has its own benchmark (benchmarks/bench_pdf.py).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "load"))

from docx_writer import make_docx  # noqa: E402

from footcheck.load import read_bytes  # noqa: E402
from footcheck.pipeline import audit_static  # noqa: E402
from footcheck.rules import RuleContext  # noqa: E402

WORDS = ["торговля", "санкции", "экспорт", "рынок", "пошлина", "соглашение", "импорт", "баланс", "стороны",
         "договор", "регион", "развитие", "отношения", "политика", "сотрудничество", "интеграция"]


def _sentence(seed: int, n: int = 60) -> str:
    return " ".join(WORDS[(seed * 7 + j * 3) % len(WORDS)] for j in range(n)).capitalize()


def make_paper(pages: int) -> tuple[bytes, bytes, int]:
    paragraphs: list[list] = []
    text_lines: list[str] = []
    note = 0
    for p in range(pages):
        page_notes: list[str] = []
        for k in range(6):
            body = _sentence(p * 6 + k)
            if k % 2 == 0:
                note += 1
                url = f"https://example.org/papers/{p + 1}/note-{note}.html"
                shown = url if note % 2 else "Сайт журнала"
                pieces = [f"Автор{note} А. А. Статья о торговле // ", ("link", shown, url),
                          " (дата обращения: 12.03.2024)."]
                paragraphs.append([body, ("fn", pieces), "."])
                text_lines.append(f"{body}{note}.")
                page_notes.append(f"{note} Автор{note} А. А. Статья о торговле // {url} (дата обращения: 12.03.2024).")
            elif p % 10 == 0 and k == 1:
                paragraphs.append([body, ("del", " удалено"), ("ins", " вставлено"), ("comment", "замечание"), "."])
                text_lines.append(f"{body} вставлено.")
            else:
                paragraphs.append([body + "."])
                text_lines.append(body + ".")
        text_lines += [*page_notes, "\f"]
    docx = make_docx(paragraphs)
    return docx, "\n".join(text_lines).encode(), note


def _cpu(fn, repeat: int) -> tuple[float, object]:  # type: ignore[no-untyped-def]
    times, result = [], None
    for _ in range(repeat):
        t0 = time.process_time()
        result = fn()
        times.append(time.process_time() - t0)
    return statistics.median(times), result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--pages", type=int, default=300)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    docx, text, notes = make_paper(a.pages)
    ctx = RuleContext(today=dt.date(2026, 1, 10))
    rows = []
    for label, data, name in (("DOCX", docx, "paper.docx"), ("plain text", text, "paper.txt")):
        read_s, _ = _cpu(lambda d=data, n=name: read_bytes(d, n), a.repeat)
        audit_s, audit = _cpu(lambda d=data, n=name: audit_static(read_bytes(d, n), ctx), a.repeat)
        fns = audit.document.footnotes  # type: ignore[attr-defined]
        found = (len(fns), sum(len(f.urls) for f in fns), sum(1 for f in fns if f.access_dates))
        rows.append((label, len(data), read_s, audit_s, found))
    print(f"{a.pages} pages, {notes} notes; CPU seconds, median of {a.repeat}")
    print(f"{'input':<11} {'MB':>6} {'read s':>8} {'pages/s':>9} {'audit s':>8} {'pages/s':>8}  notes/urls/dates found")
    for label, size, read_s, audit_s, found in rows:
        print(f"{label:<11} {size / 1e6:>6.2f} {read_s:>8.3f} {a.pages / max(read_s, 1e-9):>9,.0f} "
              f"{audit_s:>8.3f} {a.pages / max(audit_s, 1e-9):>8,.0f}  {found[0]}/{found[1]}/{found[2]} of {notes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
