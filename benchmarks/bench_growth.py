"""Benchmark: growth of the whole parse on hostile but plausible inputs.

Run by hand (never from the test suite)::

    .venv/bin/python benchmarks/bench_growth.py                  # every shape, 100 KB and 400 KB
    .venv/bin/python benchmarks/bench_growth.py --shapes ref-entry-no-year,many-headings
    .venv/bin/python benchmarks/bench_growth.py --sizes 50,200 --timeout 60
    .venv/bin/python benchmarks/bench_growth.py --list           # the shapes and what they are
    .venv/bin/python benchmarks/bench_growth.py --show url-many-lines --sizes 2   # print a sample

Each shape is a generator that writes a paper of about N KB (UTF-8) in which one construct is
repeated or stretched: a footnote body of many lines, a URL broken over many lines, many
reference headings, ... For each shape and size the paper is generated, then ``parse_document``
plus the static rules plus ``collect_links`` (what ``footcheck PAPER --offline`` does after
loading) are timed in a subprocess of their own, with a deadline. The growth exponent is
``log(t_big / t_small) / log(big / small)``: 1.0 is linear, 2.0 quadratic. The goal is an
exponent of at most 1.2 for every shape from 100 KB to 400 KB.

A size that misses its deadline is shown as ``>T``, and the exponent as a lower bound. Times are
CPU times of the parse alone (the 2 cores are shared), the best of ``--repeat`` runs when a run is
short. Only the standard library and footcheck are used; every text is written here.
"""

from __future__ import annotations

import argparse
import json
import math
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.2

# --------------------------------------------------------------------------------------
# Building blocks (invented prose; no sentence comes from a real paper)
# --------------------------------------------------------------------------------------

PROSE = (
    "Региональные транспортные узлы развивались неравномерно, и местные власти искали "
    "новые источники финансирования для портовой инфраструктуры."
)
PROSE2 = "Отраслевые министерства согласовывали планы с муниципальными образованиями края."


def _fill(parts: list[str], target: int, make: Callable[[int], str]) -> None:
    """Append make(k) for k = 0, 1, ... until the text reaches ``target`` UTF-8 bytes."""
    size = sum(len(p.encode()) + 1 for p in parts)
    k = 0
    while size < target:
        piece = make(k)
        parts.append(piece)
        size += len(piece.encode()) + 1
        k += 1


def _paper_head() -> list[str]:
    return [
        "Транспортная политика приморского края",
        "",
        f"{PROSE} Исследователи отмечали это1 в ряде работ [Сомов 2011: 14].",
        PROSE2,
        "",
    ]


def _paper_tail() -> list[str]:
    return ["", "Список литературы", "", "Сомов П. Р. Порты и дороги края. М.: Прибой, 2011. 240 с.", ""]


def _footnote_area(lines: list[str]) -> list[str]:
    return ["", *lines, "\f"]


# --------------------------------------------------------------------------------------
# Shapes
# --------------------------------------------------------------------------------------


def shape_fold_key_run(target: int) -> str:
    """One long letter run right after a mixed-script word (Latin 'o' in a Cyrillic name):
    matching keys fold look-alike letters word by word."""
    n = max(1, (target - 600) // 2)
    run = "Ивaнов " + "а" * n
    lines = _paper_head()
    lines[2] = f"{PROSE} Об этом писал Ивaнов1 [Ивaнов 2015]."
    lines += _footnote_area([f"1 См.: {run} 2015. С. 4."])
    lines += ["", "Список литературы", "", f"Ивaнов И. И. {run}. М., 2015. 100 с.", ""]
    return "\n".join(lines)


def shape_many_urls_with_copies(target: int) -> str:
    """One footnote citing many URLs, followed by the PDF's standalone copy of each URL."""
    urls: list[str] = []
    parts = _paper_head()
    body = ["1 Материалы ведомств:"]
    copies: list[str] = []
    budget = target - 800
    k = 0
    while True:
        url = f"https://port{k % 50}.example.ru/docs/plan-{k}/report.html"
        line = f"URL: {url} (дата обращения: 12.03.2023);"
        if sum(len(x.encode()) + 1 for x in (line, url)) * (k + 1) > budget:
            break
        urls.append(url)
        body.append(line)
        copies.append(url)
        k += 1
    parts += _footnote_area(body + copies)
    parts += _paper_tail()
    return "\n".join(parts)


def shape_footnote_many_lines(target: int) -> str:
    """One footnote body of many lines (a long commentary at a page bottom)."""
    parts = _paper_head()
    parts += ["", "1 Подробный комментарий к таблице приводится ниже, и в нём"]
    _fill(parts, target - 300, lambda k: f"рассматриваются показатели грузооборота порта номер {k} за отчётный")
    parts += ["период.", "\f"]
    parts += _paper_tail()
    return "\n".join(parts)


def shape_url_many_lines(target: int) -> str:
    """A URL broken over many lines (a very long query string wrapped by the PDF)."""
    parts = _paper_head()
    parts += ["", "1 Реестр проектов. URL: https://registry.example.ru/search?"]
    _fill(parts, target - 300, lambda k: f"field{k}=value{k}&")
    parts += ["end=1 (дата обращения: 05.06.2022).", "\f"]
    parts += _paper_tail()
    return "\n".join(parts)


def shape_ref_entry_no_year(target: int) -> str:
    """A reference entry of many lines that never prints a year."""
    parts = _paper_head()
    parts += ["", "Список литературы", "", "Сомов П. Р. Порты и дороги края: материалы к истории"]
    _fill(parts, target - 100, lambda k: f"Сомов П. Р. Очерк {k}. Т. {k % 9 + 1}. Приморск: Прибой.")
    return "\n".join(parts)


def shape_open_date_parens(target: int) -> str:
    """Many '(дата обращения' that never close: one note, many URLs."""
    parts = _paper_head()
    parts += ["", "1 Сводка:"]
    _fill(parts, target - 300,
          lambda k: f"URL: https://news.example.org/item/{k} (дата обращения: 1{k % 9}.0{k % 9 + 1}.2022")
    parts += ["\f"]
    parts += _paper_tail()
    return "\n".join(parts)


def shape_open_date_words(target: int) -> str:
    """Many '(дата' without ')' and without a date: prose in a note that keeps saying 'дата'."""
    parts = _paper_head()
    parts += ["", "1 Примечание составителя:"]
    _fill(parts, target - 300, lambda k: f"(дата подписания договора {k} уточняется, см. архивную опись")
    parts += ["\f"]
    parts += _paper_tail()
    return "\n".join(parts)


def shape_access_labels(target: int) -> str:
    """Many access labels in one note (one URL, then label after label)."""
    parts = _paper_head()
    parts += ["", "1 Портал края. URL: https://krai.example.ru/"]
    _fill(parts, target - 300,
          lambda k: f"дата обращения: {k % 28 + 1:02d}.0{k % 9 + 1}.2021; дата доступа: 0{k % 9 + 1}.11.2021;")
    parts += ["\f"]
    parts += _paper_tail()
    return "\n".join(parts)


def shape_many_op_cit(target: int) -> str:
    """Many 'Указ. соч.' footnotes (each repeats an earlier note)."""
    parts = [
        "Транспортная политика приморского края", "",
        f"{PROSE} Об этом писал Сомов1.", "",
        "1 Сомов П. Р. Порты и дороги края. М.: Прибой, 2011. С. 5.",
    ]
    number = [1]

    def block(k: int) -> str:
        number[0] += 1
        n = number[0]
        return f"{PROSE2} Это подтверждают данные{n}.\n\n{n} Сомов П. Р. Указ. соч. С. {k % 300 + 1}.\n\f"

    _fill(parts, target - 200, block)
    parts += _paper_tail()
    return "\n".join(parts)


def shape_op_cit_one_note(target: int) -> str:
    """One note that says 'указ. соч.' many times."""
    parts = _paper_head()
    parts += ["", "1 См.: Сомов П. Р. Указ. соч. С. 5;"]
    _fill(parts, target - 300,
          lambda k: f"Лапин Г. Д. Указ. соч. С. {k % 300 + 1}; Сомов П. Р. указ. соч. С. {k % 40 + 2};")
    parts += ["\f"]
    parts += _paper_tail()
    return "\n".join(parts)


def shape_many_headings(target: int) -> str:
    """Many reference headings (a collection of short articles, each with its list)."""
    parts = _paper_head()

    def block(k: int) -> str:
        return (f"{PROSE} Автор {k} ссылается на [Лапин {1950 + k % 70}].\n\n"
                f"Литература\n\nЛапин Г. Д. Записки {k}. М., {1950 + k % 70}. 80 с.\n")

    _fill(parts, target, block)
    return "\n".join(parts)


def shape_many_en_headings(target: int) -> str:
    """Many English list headings ('References'), each with one entry (no Russian list)."""
    parts = _paper_head()

    def block(k: int) -> str:
        return (f"{PROSE} See [Lapin {1950 + k % 70}].\n\n"
                f"References\n\nLapin G. D. Notes {k}. Moscow, {1950 + k % 70}. 80 p.\n")

    _fill(parts, target, block)
    return "\n".join(parts)


def shape_many_bare_headings(target: int) -> str:
    """Many heading lines in a row ('Литература' set apart, nothing under most of them)."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: "\nСписок литературы" if k % 2 else "Литература\n")
    parts += ["Сомов П. Р. Порты и дороги края. М.: Прибой, 2011. 240 с."]
    return "\n".join(parts)


def shape_same_keys(target: int) -> str:
    """Many identical author-year keys: one author's many works of one year, all cited."""
    half = target // 2
    text: list[str] = _paper_head()
    _fill(text, half, lambda k: f"{PROSE2} Здесь см. [Сомов 2011: {k % 500 + 1}].")
    refs: list[str] = ["", "Список литературы", ""]
    _fill(refs, half, lambda k: f"Сомов П. Р. Порты и дороги края. Вып. {k}. М.: Прибой, 2011. 240 с.")
    return "\n".join(text + refs)


def shape_many_citations(target: int) -> str:
    """Many distinct author-year citations against a long list (the usual case, scaled)."""
    half = target // 2
    text: list[str] = _paper_head()
    _fill(text, half, lambda k: f"{PROSE2} Здесь см. [Автор{k % 700} {1900 + k % 120}: {k % 50 + 1}; Там же].")
    refs: list[str] = ["", "Список литературы", ""]
    _fill(refs, half, lambda k: f"Автор{k % 700} А. А. Труд {k}. М.: Наука, {1900 + k % 120}. 100 с.")
    return "\n".join(text + refs)


def shape_open_brackets(target: int) -> str:
    """Many '[' that never close (a table of ranges, or a damaged extraction)."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: f"интервал [{k}; {k + 5} и далее [см. 2019 без скобки")
    parts += _paper_tail()
    return "\n".join(parts)


def shape_long_line(target: int) -> str:
    """The whole paper on one line (an extractor that dropped every line break)."""
    pieces: list[str] = []
    _fill(pieces, target - 300, lambda k: f"{PROSE}{k % 9 + 1} [Сомов 2011: {k}]. URL: https://a.example.ru/{k}")
    return "\n".join([*_paper_head(), " ".join(pieces), *_paper_tail()])


def shape_many_footnotes(target: int) -> str:
    """Many short footnotes with URLs, one per page (the ordinary case, scaled)."""
    parts = ["Транспортная политика приморского края", ""]

    def block(k: int) -> str:
        n = k + 1
        return (f"{PROSE} Показатель вырос{n}.\n\n{n} Отчёт порта. URL: https://port.example.ru/r/{n} "
                f"(дата обращения: 0{n % 9 + 1}.03.2023).\nhttps://port.example.ru/r/{n}\n\f")

    _fill(parts, target - 200, block)
    parts += _paper_tail()
    return "\n".join(parts)


def shape_numbered_list(target: int) -> str:
    """A numbered reference list of many entries each broken over lines."""
    parts = [*_paper_head(), "", "Список литературы", ""]
    _fill(parts, target,
          lambda k: f"{k + 1}. Сомов П. Р. Порты и дороги края.\nВып. {k}. М.: Прибой, {1950 + k % 70}. 240 с.")
    return "\n".join(parts)


def shape_ibid_chain(target: int) -> str:
    """Many '[Там же]' brackets after one citation, and many 'Там же' notes."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: f"{PROSE2} [Там же: {k % 400 + 1}].")
    parts += _paper_tail()
    return "\n".join(parts)


def shape_ref_entry_open_dates(target: int) -> str:
    """A reference entry of many lines, each with '(дата обращения' and no ')' or year."""
    parts = [*_paper_head(), "", "Список литературы", "", "Сомов П. Р. Порты края [Электронный ресурс]."]
    _fill(parts, target - 100, lambda k: f"URL: https://port.example.ru/p{k} (дата обращения")
    return "\n".join(parts)


def shape_dot_run(target: int) -> str:
    """A list followed by a very long run of dots (a table of contents leader gone wrong)."""
    parts = [*_paper_head(), "", "Список литературы", "",
             "Сомов П. Р. Порты и дороги края. М.: Прибой, 2011. 240 с.", "Оглавление " + "." * (target - 900) + " 5"]
    return "\n".join(parts)


def shape_hyphen_name(target: int) -> str:
    """A reference entry that opens with one enormous hyphenated 'surname'."""
    name = "-".join(["Сомов"] * max(1, (target - 700) // 12))
    return "\n".join([*_paper_head(), "", "Список литературы", "", f"{name} П. Р. Порты края. М., 2011.", ""])


def shape_long_bracket_runs(target: int) -> str:
    """Many brackets of 300+ characters of one word (no year, no space)."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: "[" + "Ааа" * 120 + f"] и [Сомов{k % 50} 2011]")
    parts += _paper_tail()
    return "\n".join(parts)


def shape_flat_list(target: int) -> str:
    """A flattened list: the heading and every entry in one line, half of the entries
    without a year (so the entry cuts must look ahead for one)."""
    pieces: list[str] = []
    _fill(pieces, target - 700, lambda k: f"Сомов П. Р. Порты края. Вып. {k}." + (" М., 2011." if k % 2 else ""))
    return "\n".join([*_paper_head(), "", "Литература " + " ".join(pieces)])


def shape_flat_numbered(target: int) -> str:
    """A flattened numbered list whose numbers are out of sequence (never a cut)."""
    pieces: list[str] = []
    _fill(pieces, target - 700, lambda k: f"{k % 7 + 3}. Сомов П. Р. Порты края. Т. {k % 9}. М., 2011.")
    return "\n".join([*_paper_head(), "", "Список литературы 1. Лапин Е. С. Промысел. М., 1997. " + " ".join(pieces)])


SHAPES: dict[str, Callable[[int], str]] = {
    "fold-key-run": shape_fold_key_run,
    "urls-with-copies": shape_many_urls_with_copies,
    "footnote-many-lines": shape_footnote_many_lines,
    "url-many-lines": shape_url_many_lines,
    "ref-entry-no-year": shape_ref_entry_no_year,
    "open-date-parens": shape_open_date_parens,
    "open-date-words": shape_open_date_words,
    "access-labels": shape_access_labels,
    "many-op-cit": shape_many_op_cit,
    "op-cit-one-note": shape_op_cit_one_note,
    "many-headings": shape_many_headings,
    "en-headings": shape_many_en_headings,
    "bare-headings": shape_many_bare_headings,
    "same-keys": shape_same_keys,
    "many-citations": shape_many_citations,
    "open-brackets": shape_open_brackets,
    "one-line": shape_long_line,
    "many-footnotes": shape_many_footnotes,
    "numbered-list": shape_numbered_list,
    "ibid-chain": shape_ibid_chain,
    "ref-open-dates": shape_ref_entry_open_dates,
    "dot-run": shape_dot_run,
    "hyphen-name": shape_hyphen_name,
    "long-brackets": shape_long_bracket_runs,
    "flat-list": shape_flat_list,
    "flat-numbered": shape_flat_numbered,
}

# --------------------------------------------------------------------------------------
# Timing (one subprocess per shape and size)
# --------------------------------------------------------------------------------------

_CHILD = r"""
import datetime as dt, gc, json, sys, time
sys.path.insert(0, sys.argv[1])
import bench_growth
from footcheck.parse import collect_links, parse_document
from footcheck.rules import RuleContext, run_static_rules
text = bench_growth.SHAPES[sys.argv[2]](int(sys.argv[3]))
ctx = RuleContext(today=dt.date(2024, 6, 1))
best = None
for _ in range(int(sys.argv[4])):
    gc.collect(); gc.disable()
    t0 = time.process_time()
    doc = parse_document(text, path="bench.txt")
    run_static_rules(doc, ctx)
    collect_links(doc)
    t = time.process_time() - t0
    gc.enable()
    best = t if best is None else min(best, t)
    if t > 2.0:
        break
print(json.dumps({"bytes": len(text.encode()), "cpu": best, "footnotes": len(doc.footnotes),
                  "references": len(doc.references), "citations": len(doc.citations)}))
"""


def measure(shape: str, kb: float, timeout: float, repeat: int) -> dict | None:
    try:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(Path(__file__).parent), shape, str(int(kb * 1000)), str(repeat)],
            capture_output=True, text=True, timeout=timeout, check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        print(f"  {shape} at {kb} KB failed:\n{exc.stderr[-2000:]}", file=sys.stderr)
        return {"error": True}
    return json.loads(out.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,400", help="two sizes in KB (default 100,400)")
    ap.add_argument("--shapes", default="", help="comma-separated shape names (default: all)")
    ap.add_argument("--timeout", type=float, default=120.0, help="deadline per run, seconds (120)")
    ap.add_argument("--repeat", type=int, default=3, help="runs per size, best kept (3; short runs only)")
    ap.add_argument("--json", type=Path, help="also write the figures as JSON")
    ap.add_argument("--list", action="store_true", help="list the shapes and exit")
    ap.add_argument("--show", metavar="SHAPE", help="print the text of SHAPE at the first size and exit")
    args = ap.parse_args(argv)

    if args.list:
        for name, fn in SHAPES.items():
            print(f"{name:22} {(fn.__doc__ or '').split(chr(10))[0]}")
        return 0
    small, big = (float(x) for x in args.sizes.split(","))
    if args.show:
        sys.stdout.write(SHAPES[args.show](int(small * 1000)))
        return 0
    names = [s for s in args.shapes.split(",") if s] or list(SHAPES)
    unknown = [n for n in names if n not in SHAPES]
    if unknown:
        ap.error(f"unknown shape(s): {', '.join(unknown)} (see --list)")

    print(f"python {sys.version.split()[0]}; parse_document + static rules + links; CPU seconds; "
          f"goal: exponent <= {GOAL}")
    print(f"{'shape':22} {'t@' + args.sizes.split(',')[0] + 'KB':>10} {'t@' + args.sizes.split(',')[1] + 'KB':>10} "
          f"{'exponent':>9}  verdict")
    rows = []
    failing = []
    for name in names:
        started = time.monotonic()
        a = measure(name, small, args.timeout, args.repeat)
        b = measure(name, big, args.timeout, args.repeat) if a is not None else None
        row: dict = {"shape": name, "small_kb": small, "big_kb": big, "small": a, "big": b}
        if a is None or (a and a.get("error")) or (b and b.get("error")):
            shown = ">" + f"{args.timeout:.0f}" if a is None else "error"
            print(f"{name:22} {shown:>10} {'-':>10} {'-':>9}  FAIL")
            failing.append(name)
        else:
            ta = max(a["cpu"], 1e-4)
            ratio = math.log(big / small)
            if b is None:
                exponent = math.log(args.timeout / ta) / ratio
                tb_text, exp_text = f">{args.timeout:.0f}", f">{exponent:.2f}"
            else:
                exponent = math.log(max(b["cpu"], 1e-4) / ta) / ratio
                tb_text, exp_text = f"{b['cpu']:.3f}", f"{exponent:.2f}"
            ok = b is not None and exponent <= GOAL
            if not ok:
                failing.append(name)
            row["exponent"] = exponent
            print(f"{name:22} {ta:10.3f} {tb_text:>10} {exp_text:>9}  {'ok' if ok else 'FAIL'}"
                  f"   ({time.monotonic() - started:.0f} s)", flush=True)
        rows.append(row)
    print(f"\n{len(names) - len(failing)}/{len(names)} shapes within the goal"
          + (f"; failing: {', '.join(failing)}" if failing else ""))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
