"""Benchmark: growth of every stage on hostile but plausible inputs.

Run by hand (never from the test suite)::

    .venv/bin/python benchmarks/bench_growth.py                  # every shape, 100 KB and 400 KB
    .venv/bin/python benchmarks/bench_growth.py --shapes ref-entry-no-year,many-headings
    .venv/bin/python benchmarks/bench_growth.py --shapes 'html*,tex*' --sizes 200,800
    .venv/bin/python benchmarks/bench_growth.py --sizes 50,200 --timeout 60 --stages ''   # load + audit only
    .venv/bin/python benchmarks/bench_growth.py --list           # the shapes and what they are
    .venv/bin/python benchmarks/bench_growth.py --show url-many-lines --sizes 2,8   # print a sample
    PYTHONPATH=/path/to/other/src .venv/bin/python benchmarks/bench_growth.py      # another tree

Each shape is a generator that writes a paper of about N KB (UTF-8) in which one construct is
repeated or stretched: a footnote body of many lines, a URL broken over many lines, many
reference headings, thousands of brackets on one line, tags left open, ... Shapes named
``md-``, ``html-`` and ``tex-`` are Markdown, HTML and LaTeX and go through their readers; the
others are plain text. For each shape and size a subprocess of its own, with a deadline, times
the stages one by one: ``load`` (``read_bytes``: decoding and the reader), ``audit``
(``pipeline.audit_static``: parse, static rules, links; what ``footcheck PAPER --offline``
does after loading), then the ``json`` and ``rich`` reports (``--stages``). The growth
exponent is ``log(t_big / t_small) / log(big / small)``: 1.0 is linear, 2.0 quadratic. The
goal is an exponent of at most 1.2 from 100 KB to 400 KB for the total and for every stage
that takes at least 50 ms (or a fifth of the total) at the big size; a shorter stage's
exponent is shown with ``~`` and is noise.

A size that misses its deadline is shown as ``>T``, and the exponent as a lower bound. Times are
CPU times (the 2 cores are shared), the best of ``--repeat`` runs when a run is short. Only the
standard library and footcheck are used; every text is written here.
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


# --- shapes added with the stage-by-stage timing (issue 7's leftovers) -------------------


def _words(target: int, make: Callable[[int], str], sep: str = " ") -> str:
    """make(0) + sep + make(1) + ... up to ``target`` UTF-8 bytes."""
    pieces: list[str] = []
    _fill(pieces, target, make)
    return sep.join(pieces)


def shape_doi_chain(target: int) -> str:
    """A note whose DOI runs on over thousands of tokens ending in '-' (a damaged suffix)."""
    run = "DOI: 10.12345/port-" + _words(target - 900, lambda k: f"z{k}-")
    return "\n".join([*_paper_head(), "", f"1 Сомов П. Р. Порты края. М., 2011. {run}", "\f", *_paper_tail()])


def shape_doi_parens(target: int) -> str:
    """A reference entry whose DOI ends in a run of thousands of ')' and ']'."""
    tail = ")" * ((target - 900) // 2) + "]" * ((target - 900) // 2)
    return "\n".join([*_paper_head(), "", "Список литературы", "",
                      f"Сомов П. Р. Порты края. М., 2011. DOI: 10.12345/port{tail}", ""])


def shape_flat_dois(target: int) -> str:
    """A list flattened into one line whose every entry has a DOI (each read in its own piece)."""
    line = _words(target - 700, lambda k: f"Сомов П. Р. Порты края. Вып. {k}. М., 2011. DOI: 10.12345/p.{k}.")
    return "\n".join([*_paper_head(), "", "Литература " + line])


def shape_flat_notes(target: int) -> str:
    """Pages flattened into lines: text, then notes with URLs and DOIs, all on one line per page."""
    def page(k: int) -> str:
        n = k % 50 + 1
        return (f"{PROSE} Итоги года{n}. {PROSE2} {n} Отчёт порта. DOI: 10.12345/r.{k}. "
                f"URL: https://port.example.ru/r/{k} (дата обращения: 0{k % 9 + 1}.03.2023).")
    return "\n".join(["Транспортная политика приморского края", "", _words(target - 300, page), *_paper_tail()])


def shape_prose_one_line(target: int) -> str:
    """One line of prose without any apparatus (a paragraph per line, the longest possible)."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: PROSE), *_paper_tail()])


def shape_one_word(target: int) -> str:
    """One word of letters as long as the paper (no space, no punctuation)."""
    return "\n".join([*_paper_head(), "а" * ((target - 600) // 2), *_paper_tail()])


def shape_long_url(target: int) -> str:
    """One URL as long as the paper, inside a footnote."""
    url = "https://port.example.ru/" + "/".join(f"seg{k}" for k in range((target - 700) // 7))
    return "\n".join([*_paper_head(), "", f"1 Отчёт. URL: {url} (дата обращения: 05.06.2022).", "\f", *_paper_tail()])


def shape_urls_one_line(target: int) -> str:
    """Thousands of URLs on one line of running text."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: f"https://h{k % 97}.example.ru/p/{k}"),
                      *_paper_tail()])


def shape_urls_in_one_note(target: int) -> str:
    """Thousands of URLs on one line of one footnote, each with its access date."""
    body = _words(target - 700, lambda k: f"URL: https://h{k % 97}.example.ru/p/{k} (дата обращения: 12.03.2023);")
    return "\n".join([*_paper_head(), "", "1 Материалы: " + body, "\f", *_paper_tail()])


def shape_http_fragments(target: int) -> str:
    """Lines that end in a URL's start that never goes on ('https://', 'http', 'www.')."""
    parts = [*_paper_head(), "", "1 Источники:"]
    frags = ("URL: https://", "http", "www.", "https:", "см. http://", "https://port.", "URL:")
    _fill(parts, target - 300, lambda k: f"{frags[k % len(frags)]}")
    return "\n".join([*parts, "\f", *_paper_tail()])


def shape_http_one_line(target: int) -> str:
    """One line of URL starts that never make a URL ('https:// https:// www. ...')."""
    starts = ("https://", "www.", "http:", "URL:")
    return "\n".join([*_paper_head(), "", "1 " + _words(target - 700, lambda k: starts[k % 4]),
                      "\f", *_paper_tail()])


def shape_ref_url_starts(target: int) -> str:
    """A reference entry whose line is one token of URL starts glued together
    ('http://http://…') and then a word, the next line opening a new entry."""
    n = max(1, (target - 800) // 7)
    return "\n".join([*_paper_head(), "", "Список литературы", "",
                      "Сомов П. Р. Порты и дороги края. М.: Прибой, 2011. 240 с.",
                      "Лапин Г. Д. Записки. " + "http://" * n + " с.",
                      "Орлов В. В. Гавани. М.: Наука, 2012. 80 с.", ""])


def shape_nested_brackets(target: int) -> str:
    """Thousands of '[' then thousands of ']' on one line."""
    n = (target - 700) // 2
    return "\n".join([*_paper_head(), "[" * n + "Сомов 2011" + "]" * n, *_paper_tail()])


def shape_open_brackets_line(target: int) -> str:
    """One line of '[' that never close, each with a year inside."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: f"[Сомов {1950 + k % 70}: {k}"), *_paper_tail()])


def shape_many_brackets_line(target: int) -> str:
    """Thousands of closed brackets on one line, numeric and author-year, no list to match."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: f"[{k}] [Сомов{k % 300} {1950 + k % 70}]"),
                      *_paper_tail()])


def shape_one_bracket(target: int) -> str:
    """One bracket holding thousands of sources ('[A 2011; B 2012; ...]')."""
    inner = "; ".join(f"Автор{k} {1900 + k % 120}: {k % 50}" for k in range((target - 600) // 24))
    return "\n".join([*_paper_head(), f"Об этом см. [{inner}].", *_paper_tail()])


def shape_digit_run(target: int) -> str:
    """A run of digits as long as the paper (a table flattened without spaces)."""
    return "\n".join([*_paper_head(), "Таблица 1" + "1234567890" * ((target - 700) // 10), *_paper_tail()])


def shape_spaced_digits(target: int) -> str:
    """One line of numbers separated by spaces ('1 2 3 ...'): every one could be a note's start."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: str(k % 300 + 1)), *_paper_tail()])


def shape_glued_digits(target: int) -> str:
    """Words with numbers glued to them on one line ('слово12 слово13'): markers without notes."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: f"порт{k % 999 + 1}"), *_paper_tail()])


def shape_superscripts(target: int) -> str:
    """Runs of superscript digits glued to words, with and without notes."""
    sup = "⁰¹²³⁴⁵⁶⁷⁸⁹"
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: "порт" + sup[k % 10] + sup[(k // 10) % 10]),
                      *_paper_tail()])


def shape_number_lines(target: int) -> str:
    """Thousands of lines of a lone number (page numbers, or a column of a table)."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: str(k % 400 + 1))
    return "\n".join([*parts, *_paper_tail()])


def shape_note_starts(target: int) -> str:
    """Thousands of lines that start like a note ('12 Текст') with no marker anywhere."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: f"{k % 999 + 1} Отчёт порта номер {k} за год.")
    return "\n".join([*parts, *_paper_tail()])


def shape_ibid_notes(target: int) -> str:
    """Thousands of 'Там же' notes after one note (each refers to the one before)."""
    parts = ["Транспортная политика приморского края", "", f"{PROSE} Об этом писал Сомов1.", "",
             "1 Сомов П. Р. Порты и дороги края. М.: Прибой, 2011. С. 5."]
    num = [1]

    def block(k: int) -> str:
        num[0] += 1
        return f"{PROSE2} Это верно{num[0]}.\n\n{num[0]} Там же. С. {k % 300 + 1}.\n\f"

    _fill(parts, target - 200, block)
    return "\n".join([*parts, *_paper_tail()])


def shape_dot_lines(target: int) -> str:
    """Thousands of lines of only dots, hyphens, underscores or asterisks."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: ("." * 60, "-" * 60, "_" * 60, "* * * * *", "—" * 30)[k % 5])
    return "\n".join([*parts, *_paper_tail()])


def shape_hyphen_line(target: int) -> str:
    """One line of hyphens and dots as long as the paper."""
    return "\n".join([*_paper_head(), "-." * ((target - 600) // 2), *_paper_tail()])


def shape_same_line(target: int) -> str:
    """One line repeated thousands of times (a running head on every 'page')."""
    parts = ["Транспортная политика приморского края", ""]
    _fill(parts, target - 200, lambda k: "ВЕСТНИК ПРИМОРСКОГО УНИВЕРСИТЕТА. 2024. № 3" if k % 3 == 0 else
          (f"{PROSE}" if k % 3 == 1 else "\f"))
    return "\n".join([*parts, *_paper_tail()])


def shape_many_pages(target: int) -> str:
    """Thousands of pages of one line each (form feed after every line)."""
    parts = _paper_head()
    _fill(parts, target - 200, lambda k: f"{PROSE2} {k}\f")
    return "\n".join([*parts, *_paper_tail()])


def shape_inline_headings(target: int) -> str:
    """A long line that keeps saying 'Литература' and 'Список литературы' before names."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: f"Литература Сомов П. Р. Очерк {k}."),
                      *_paper_tail()])


def shape_access_one_line(target: int) -> str:
    """Thousands of '(дата обращения: …)' on one line of running text, with no URL."""
    return "\n".join([*_paper_head(), _words(target - 600, lambda k: f"(дата обращения: {k % 28 + 1:02d}.03.2023)"),
                      *_paper_tail()])


def shape_huge_list(target: int) -> str:
    """A reference list of thousands of one-line entries, most cited once, some twice."""
    half = target // 3
    text: list[str] = _paper_head()
    _fill(text, half, lambda k: f"{PROSE2} См. [Лапин{k} {1900 + k % 120}; Сомов{k // 2} {1900 + (k // 2) % 120}].")
    refs: list[str] = ["", "Список литературы", ""]
    _fill(refs, 2 * half, lambda k: f"Лапин{k} Г. Д. Записки {k}. М.: Наука, {1900 + k % 120}. 80 с. "
          f"URL: https://lib.example.ru/{k} (дата обращения: 01.02.2020).")
    return "\n".join(text + refs)


def shape_twin_lists(target: int) -> str:
    """A Russian list and its transliterated twin, thousands of entries each."""
    half = target // 2
    ru: list[str] = [*_paper_head(), "", "Список литературы", ""]
    _fill(ru, half, lambda k: f"{k + 1}. Сомов П. Р. Порты края. Вып. {k}. М.: Прибой, 2011. 240 с.")
    en: list[str] = ["", "References", ""]
    _fill(en, half, lambda k: f"{k + 1}. Somov P. R. Porty kraya [Ports of the region]. Iss. {k}. Moscow, 2011. 240 p.")
    return "\n".join(ru + en)


# --- marked-up formats (their readers are timed too) -----------------------------------


def shape_md_many_notes(target: int) -> str:
    """Markdown: thousands of [^n] notes with links, definitions at the end."""
    body: list[str] = ["# Транспортная политика", ""]
    notes: list[str] = []
    k = 0
    size = 40
    while size < target:
        body.append(f"{PROSE} Итоги[^{k + 1}] и [отчёт](https://port.example.ru/{k}).")
        notes.append(f"[^{k + 1}]: Отчёт порта. URL: <https://port.example.ru/n/{k}> (дата обращения: 05.06.2022).")
        size += len(body[-1].encode()) + len(notes[-1].encode()) + 3
        k += 1
    return "\n".join([*body, "", *notes]) + "\n"


def shape_md_unreferenced(target: int) -> str:
    """Markdown: thousands of note definitions nothing refers to."""
    parts = ["# Транспортная политика", "", PROSE + "[^1]", ""]
    _fill(parts, target, lambda k: f"[^{k + 2}]: Отчёт {k}. URL: https://port.example.ru/{k}\n")
    return "\n".join(parts) + "\n"


def shape_md_nesting(target: int) -> str:
    """Markdown: block quotes and lists nested deep, emphasis and link brackets left open."""
    parts = ["# Транспортная политика", ""]
    _fill(parts, target, lambda k: ("> " * (k % 40 + 1)) + f"- {'*' * (k % 7)}[{PROSE2}" + "_" * (k % 5) + "\n"
          if k % 2 else "  " * (k % 30) + f"1. **{PROSE} [^{k}]**\n")
    return "\n".join(parts) + "\n"


def shape_md_one_paragraph(target: int) -> str:
    """Markdown: one paragraph of thousands of links, emphasis and note refs on one line."""
    line = _words(target - 200,
                  lambda k: f"*порт* [узел {k}](https://port.example.ru/{k}) `код` ![р](x.png) [^{k % 9 + 1}]")
    notes = [f"[^{n}]: Примечание {n}." for n in range(1, 10)]
    return "\n".join(["# Транспортная политика", "", line, "", *notes]) + "\n"


def shape_md_open_delims(target: int) -> str:
    """Markdown: one line of '[', '*', '`' and '<' that never close."""
    opens = ("[", "*a", "`", "<b", "![", "_c", "**", "[^")
    return "# Заглавие\n\n" + _words(target - 100, lambda k: opens[k % 8]) + "\n"


def shape_md_open_brackets(target: int) -> str:
    """Markdown: thousands of '[' that never close, on one line and over many lines."""
    line = _words((target - 100) // 2, lambda k: ("[", "![", "[^", "[[")[k % 4] + f"узел{k % 10}")
    parts = ["# Заглавие", "", line, ""]
    _fill(parts, target, lambda k: f"{PROSE2} [" + ("![" if k % 2 else "[^"))
    return "\n".join(parts) + "\n"


def _html_page(body: str) -> str:
    return f"<!DOCTYPE html>\n<html><head><title>Порты</title></head><body>\n{body}\n</body></html>\n"


def shape_html_many_notes(target: int) -> str:
    """HTML: thousands of <sup><a href="#fnN"> markers and a notes section with links."""
    text: list[str] = []
    notes: list[str] = []
    k = 0
    size = 200
    while size < target:
        text.append(f'<p>{PROSE}<sup><a href="#fn{k}" id="r{k}">{k + 1}</a></sup></p>')
        notes.append(f'<li id="fn{k}">Отчёт. <a href="https://port.example.ru/{k}">https://port.example.ru/{k}</a> '
                     f'(дата обращения: 05.06.2022) <a href="#r{k}">↩</a></li>')
        size += len(text[-1].encode()) + len(notes[-1].encode()) + 2
        k += 1
    return _html_page("\n".join(text) + '\n<section class="footnotes"><ol>\n' + "\n".join(notes) + "\n</ol></section>")


def shape_html_one_line(target: int) -> str:
    """HTML minified into one line: thousands of paragraphs, links and markers."""
    def para(k: int) -> str:
        return (f'<p>{PROSE}<sup><a href="#fn{k}">{k + 1}</a></sup> <a href="https://port.example.ru/{k}">отчёт</a></p>'
                f'<div id="fn{k}">{k + 1}. Отчёт порта, {k}.</div>')
    return "<!DOCTYPE html><html><body>" + _words(target - 200, para, sep="") + "</body></html>"


def shape_html_unclosed(target: int) -> str:
    """HTML: thousands of tags never closed (<font>, <span>, <sup>), nesting as deep as the page."""
    return _html_page(_words(target - 200, lambda k: f"<font><span>{PROSE2}<sup>{k % 9 + 1}</sup>", sep="\n")
                      + '\n<aside><ol>' + "".join(f"<li>Примечание {n}.</li>" for n in range(1, 10)) + "</ol></aside>")


def shape_html_anchors_one_block(target: int) -> str:
    """HTML: every note is an <a name> anchor inside one big block, each with a marker."""
    text: list[str] = []
    notes: list[str] = []
    k = 0
    size = 200
    while size < target:
        text.append(f'<p>{PROSE2}<a href="#_ftn{k}">[{k + 1}]</a></p>')
        notes.append(f'<a name="_ftn{k}"></a>[{k + 1}] Отчёт {k}. https://port.example.ru/{k}<br>')
        size += len(text[-1].encode()) + len(notes[-1].encode()) + 2
        k += 1
    return _html_page("\n".join(text) + "\n<div>\n" + "\n".join(notes) + "\n</div>")


def shape_html_unclosed_links(target: int) -> str:
    """HTML: thousands of <a href="#fnN"> markers never closed (each holds the rest of the page)."""
    notes = "".join(f'<li id="fn{n}">Примечание {n}. https://port.example.ru/{n}</li>' for n in range(1, 10))
    return _html_page('<ol class="footnotes">' + notes + "</ol>\n"
                      + _words(target - 900, lambda k: f'{PROSE2} <a href="#fn{k % 9 + 1}"><sup>{k % 9 + 1}</sup>',
                               sep="\n"))


def _tex(body: str) -> str:
    return "\\documentclass{article}\n\\begin{document}\n" + body + "\n\\end{document}\n"


def shape_tex_many_notes(target: int) -> str:
    """LaTeX: thousands of \\footnote{} with \\url and \\href, and \\cite."""
    return _tex(_words(target - 200, lambda k: (
        f"{PROSE}\\footnote{{Отчёт порта. \\url{{https://port.example.ru/{k}}} (дата обращения: 05.06.2022).}} "
        f"См. \\href{{https://port.example.ru/h/{k}}}{{отчёт}} \\cite{{somov{k % 50}}}."), sep="\n"))


def shape_tex_deep_braces(target: int) -> str:
    """LaTeX: braces nested thousands deep inside a footnote, and a line of them."""
    n = (target - 400) // 4
    return _tex(f"Текст\\footnote{{{'{' * n}Сомов{'}' * n}}}.\n" + "{" * n + "x" + "}" * n)


def shape_tex_open_commands(target: int) -> str:
    """LaTeX: one line of \\url{, \\href{, \\label{, \\foo[ and \\cite[ that never close."""
    opens = ("\\url{", "\\href{", "\\label{", "\\foo[", "\\cite[", "\\emph{a")
    return _tex(_words(target - 200, lambda k: opens[k % 6]))


def shape_tex_long_command(target: int) -> str:
    """LaTeX: a backslash followed by a letter run as long as the paper, then a run of
    backslashes ending in '%'."""
    n = (target - 200) // 2
    return _tex("\\" + "a" * n + "\n" + "\\" * n + "% x\n")


def shape_tex_comments(target: int) -> str:
    """LaTeX: thousands of lines with escaped percents and comments, backslash runs before '%'."""
    parts: list[str] = []
    backslashes = "\\\\"
    _fill(parts, target - 200,
          lambda k: f"Рост на 5\\% {backslashes * (k % 20)}% комментарий {k} \\footnote{{Прим. {k}}}")
    return _tex("\n".join(parts))


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
    "doi-chain": shape_doi_chain,
    "doi-parens": shape_doi_parens,
    "flat-dois": shape_flat_dois,
    "flat-notes": shape_flat_notes,
    "prose-one-line": shape_prose_one_line,
    "one-word": shape_one_word,
    "long-url": shape_long_url,
    "urls-one-line": shape_urls_one_line,
    "urls-in-one-note": shape_urls_in_one_note,
    "http-fragments": shape_http_fragments,
    "http-one-line": shape_http_one_line,
    "ref-url-starts": shape_ref_url_starts,
    "nested-brackets": shape_nested_brackets,
    "open-brackets-line": shape_open_brackets_line,
    "brackets-line": shape_many_brackets_line,
    "one-bracket": shape_one_bracket,
    "digit-run": shape_digit_run,
    "spaced-digits": shape_spaced_digits,
    "glued-digits": shape_glued_digits,
    "superscripts": shape_superscripts,
    "number-lines": shape_number_lines,
    "note-starts": shape_note_starts,
    "ibid-notes": shape_ibid_notes,
    "dot-lines": shape_dot_lines,
    "hyphen-line": shape_hyphen_line,
    "same-line": shape_same_line,
    "many-pages": shape_many_pages,
    "inline-headings": shape_inline_headings,
    "access-one-line": shape_access_one_line,
    "huge-list": shape_huge_list,
    "twin-lists": shape_twin_lists,
    "md-many-notes": shape_md_many_notes,
    "md-unreferenced": shape_md_unreferenced,
    "md-nesting": shape_md_nesting,
    "md-one-paragraph": shape_md_one_paragraph,
    "md-open-delims": shape_md_open_delims,
    "md-open-brackets": shape_md_open_brackets,
    "html-many-notes": shape_html_many_notes,
    "html-one-line": shape_html_one_line,
    "html-unclosed": shape_html_unclosed,
    "html-anchors-block": shape_html_anchors_one_block,
    "html-unclosed-links": shape_html_unclosed_links,
    "tex-many-notes": shape_tex_many_notes,
    "tex-deep-braces": shape_tex_deep_braces,
    "tex-open-commands": shape_tex_open_commands,
    "tex-long-command": shape_tex_long_command,
    "tex-comments": shape_tex_comments,
}
# the file name each shape is read as (the reader is chosen by content, the name breaks ties)
SUFFIX = {name: name.split("-", 1)[0] for name in SHAPES if name.split("-", 1)[0] in ("md", "html", "tex")}

# --------------------------------------------------------------------------------------
# Timing (one subprocess per shape and size)
# --------------------------------------------------------------------------------------

_CHILD = r"""
import datetime as dt, gc, io, json, sys, time
sys.path.insert(0, sys.argv[1])
import bench_growth
from footcheck.load import read_bytes
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext
shape, target, repeat, stages = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5].split(",")
data = bench_growth.SHAPES[shape](target).encode()
name = "bench." + bench_growth.SUFFIX.get(shape, "txt")
ctx = RuleContext(today=dt.date(2024, 6, 1))


def render(reporter):
    out = io.StringIO()
    reporter.render([audit], out, version="bench", color=False, width=100)
    return out


def timed(fn):
    best = None
    for _ in range(repeat):
        gc.collect(); gc.disable()
        t0 = time.process_time()
        value = fn()
        t = time.process_time() - t0
        gc.enable()
        best = t if best is None else min(best, t)
        if t > 2.0:
            break
    return value, best


times = {}
loaded, times["load"] = timed(lambda: read_bytes(data, name))
audit, times["audit"] = timed(lambda: audit_static(loaded, ctx))
if "json" in stages:
    from footcheck.report.json import JsonReporter
    _, times["json"] = timed(lambda: render(JsonReporter()))
if "rich" in stages:
    from footcheck.report.rich_report import RichReporter
    _, times["rich"] = timed(lambda: render(RichReporter(details=True)))
doc = audit.document
print(json.dumps({"bytes": len(data), "cpu": sum(times.values()), "stages": times,
                  "footnotes": len(doc.footnotes), "references": len(doc.references),
                  "citations": len(doc.citations), "links": len(audit.links), "findings": len(audit.findings)}))
"""
# a stage counts towards the verdict once it takes this long at the big size (or this
# share of the total): the exponent of a millisecond is noise
STAGE_FLOOR_S = 0.05
STAGE_FLOOR_SHARE = 0.2


def measure(shape: str, kb: float, timeout: float, repeat: int, stages: str) -> dict | None:
    try:
        out = subprocess.run(
            [sys.executable, "-c", _CHILD, str(Path(__file__).parent), shape, str(int(kb * 1000)), str(repeat),
             stages],
            capture_output=True, text=True, timeout=timeout, check=True,
        )
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as exc:
        print(f"  {shape} at {kb} KB failed:\n{exc.stderr[-2000:]}", file=sys.stderr)
        return {"error": True}
    return json.loads(out.stdout.strip().splitlines()[-1])


def _exponent(a: float, b: float, ratio: float) -> float:
    return math.log(max(b, 1e-4) / max(a, 1e-4)) / ratio


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,400", help="two sizes in KB (default 100,400)")
    ap.add_argument("--shapes", default="", help="comma-separated shape names or prefixes ending in '*' (default: all)")
    ap.add_argument("--stages", default="json,rich",
                    help="reports to time after load and audit: json,rich (default) or '' for none")
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
    names: list[str] = []
    for pattern in (s for s in args.shapes.split(",") if s):
        names += [n for n in SHAPES if n == pattern or (pattern.endswith("*") and n.startswith(pattern[:-1]))]
    names = list(dict.fromkeys(names)) if args.shapes else list(SHAPES)
    if not names:
        ap.error(f"no shape matches {args.shapes!r} (see --list)")

    stage_names = ["load", "audit", *(x for x in args.stages.split(",") if x)]
    print(f"python {sys.version.split()[0]}; stages {'+'.join(stage_names)} (audit = parse, static rules, "
          f"links); CPU seconds; goal: exponent <= {GOAL} for the total and every stage that matters")
    a_col, b_col = "t@" + args.sizes.split(",")[0] + "KB", "t@" + args.sizes.split(",")[1] + "KB"
    print(f"{'shape':22} {a_col:>10} {b_col:>10} {'exponent':>9}  verdict  per stage (t big, exponent)")
    rows = []
    failing = []
    ratio = math.log(big / small)
    for name in names:
        started = time.monotonic()
        a = measure(name, small, args.timeout, args.repeat, args.stages)
        b = measure(name, big, args.timeout, args.repeat, args.stages) if a is not None else None
        row: dict = {"shape": name, "small_kb": small, "big_kb": big, "small": a, "big": b}
        if a is None or (a and a.get("error")) or (b and b.get("error")):
            shown = ">" + f"{args.timeout:.0f}" if a is None else "error"
            print(f"{name:22} {shown:>10} {'-':>10} {'-':>9}  FAIL")
            failing.append(name)
        else:
            ta = a["cpu"]
            per_stage = ""
            worst = 0.0
            if b is None:
                exponent = math.log(args.timeout / max(ta, 1e-4)) / ratio
                tb_text, exp_text = f">{args.timeout:.0f}", f">{exponent:.2f}"
            else:
                exponent = _exponent(ta, b["cpu"], ratio)
                tb_text, exp_text = f"{b['cpu']:.3f}", f"{exponent:.2f}"
                parts = []
                for stage, tb in b["stages"].items():
                    e = _exponent(a["stages"][stage], tb, ratio)
                    counts = tb >= STAGE_FLOOR_S or tb >= STAGE_FLOOR_SHARE * b["cpu"]
                    if counts:
                        worst = max(worst, e)
                    parts.append(f"{stage} {tb:.3f} {e:.2f}" + ("" if counts else "~"))
                per_stage = ", ".join(parts)
                row["stage_exponents"] = {st: _exponent(a["stages"][st], tb, ratio) for st, tb in b["stages"].items()}
            ok = b is not None and exponent <= GOAL and worst <= GOAL
            if not ok:
                failing.append(name)
            row["exponent"] = exponent
            print(f"{name:22} {ta:10.3f} {tb_text:>10} {exp_text:>9}  {'ok  ' if ok else 'FAIL'}     {per_stage}"
                  f"   ({time.monotonic() - started:.0f} s)", flush=True)
        rows.append(row)
    print(f"\n{len(names) - len(failing)}/{len(names)} shapes within the goal"
          + (f"; failing: {', '.join(failing)}" if failing else ""))
    print("(~: a stage too short to count towards the verdict)")
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 1 if failing else 0


if __name__ == "__main__":
    sys.exit(main())
