"""The seed paper's countable facts, reproduced by a document of our own.

``tests/data/seedlike.txt`` is written in the seed's layout (glued markers, bodies at
page bottoms without form feeds, the PDF's link annotations repeated as bare lines,
URLs broken as in the seed) with the seed's URLs, footnote sources and citations but
prose of its own. The test runs the command line exactly as a user would and checks
the JSON report against what the document is known to contain.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata
from pathlib import Path
from typing import Any

import pytest

DOC = Path(__file__).resolve().parent / "data" / "seedlike.txt"
TEXT_LINES = DOC.read_text(encoding="utf-8").split("\n")


def line_of(fragment: str, *, start: bool = False) -> int:
    """The 1-based number of the only line that holds (or starts with) ``fragment``."""
    hits = [i for i, line in enumerate(TEXT_LINES, 1) if (line.startswith(fragment) if start else fragment in line)]
    assert len(hits) == 1, (fragment, hits)
    return hits[0]


# number -> (marker as glued in the text, start of the body, URLs, access dates)
FOOTNOTES: dict[int, tuple[str, str, list[str], list[str]]] = {
    1: (
        "страны1.",
        "1 О Концепции внешней политики",
        [
            "https://www.akorda.kz/ru/legal_acts/decrees/"
            "o-koncepcii-vneshnei-politiki-respubliki-kazahstan-na-2020-2030-gody"
        ],
        ["2023-12-23"],
    ),
    2: (
        "России»2.",
        "2 Сапожков О.",
        ["https://www.kommersant.ru/doc/5447449"],
        ["2023-12-23"],
    ),
    3: (
        "странами ЕС3.",
        "3 ЕБРР исследовал",
        [
            "https://www.newscentralasia.net/2023/07/04/yebrr-issledoval-ustoychivuyu-"
            "transportnuyu-svyazuyemost-mezhdu-yevropoy-i-tsentralnoy-aziyey/"
        ],
        ["2023-12-25"],
    ),
    4: (
        "санкции»4.",
        "4 Токаев пообещал",
        ["https://ria.ru/20230928/kazakhstan-1899262610.html?ysclid=lr3tm2fsnc59192795"],
        ["2023-12-25"],
    ),
    5: (
        "рынок5.",
        "5 Глава государства",
        [
            "https://www.akorda.kz/ru/glava-gosudarstva-provel-soveshchanie-po-razvitiyu-"
            "transportno-tranzitnogo-potenciala-76050"
        ],
        ["2023-12-13"],
    ),
    6: (
        "политики»6.",
        "6 Токаев заявил",
        ["https://tass.ru/mezhdunarodnaya-panorama/17556937?ysclid=ls5x7l1dn0355386654"],
        ["2023-12-23"],
    ),
    7: ("безопасности7.", "7 Там же", [], []),
}

# (text inside the brackets, surnames or title, year, locator), in the order of the text
CITATIONS: list[tuple[str, list[str], str, str | None]] = [
    (
        "Евразийская доктрина Нурсултана Назарбаева 2010",
        ["Евразийская доктрина Нурсултана Назарбаева"],
        "2010",
        None,
    ),
    ("Попов 2016", ["Попов"], "2016", None),
    ("Гарбузарова 2022", ["Гарбузарова"], "2022", None),
    ("Курганбаева 2009", ["Курганбаева"], "2009", None),
    ("Жильцов 2012", ["Жильцов"], "2012", None),
    ("Серик 2009", ["Серик"], "2009", None),
    ("Жильцов 2019", ["Жильцов"], "2019", None),
    ("Жильцов 2023", ["Жильцов"], "2023", None),
    ("Барабанов О.Н. 2003: 318", ["Барабанов"], "2003", "318"),
    ("Сыроежкин 2013", ["Сыроежкин"], "2013", None),
    ("Курмангужин, Чеботарёв 2023", ["Курмангужин", "Чеботарёв"], "2023", None),
    ("Закиева 2007: 49", ["Закиева"], "2007", "49"),
    ("Жильцов 2023", ["Жильцов"], "2023", None),
    ("Жильцов, Тулинов 2023", ["Жильцов", "Тулинов"], "2023", None),
    ("Вардомский и др. 2023", ["Вардомский"], "2023", None),
]


def surname_key(author: str) -> str:
    """An author as a comparable surname: initials and «и др.» dropped, ё folded."""
    author = re.sub(r"\s*(?:и\s+др\.?|et\s+al\.?)", "", author)
    author = re.sub(r"(?<!\w)[A-ZА-ЯЁ]\.\s*", "", author)
    return " ".join(unicodedata.normalize("NFC", author).replace("ё", "е").split()).casefold()


@pytest.fixture(scope="module")
def run() -> tuple[int, dict[str, Any]]:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "footcheck",
            str(DOC),
            "--offline",
            "--format",
            "json",
            "--today",
            "2026-11-24",
            "--fail-on",
            "error",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.stdout, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


@pytest.fixture(scope="module")
def report(run: tuple[int, dict[str, Any]]) -> dict[str, Any]:
    data = run[1]
    assert len(data["documents"]) == 1
    return data["documents"][0]


def test_exit_code_is_zero(run: tuple[int, dict[str, Any]]) -> None:
    assert run[0] == 0


def test_seven_footnotes_paired_with_their_markers(report: dict[str, Any]) -> None:
    found = {f["number"]: f for f in report["footnotes"]}
    assert sorted(found) == list(range(1, 8))
    for number, (marker, body, _urls, _dates) in FOOTNOTES.items():
        f = found[number]
        assert f["line"] == line_of(body, start=True), number
        assert f["marker_lines"] == [line_of(marker)], number


def test_six_urls_rebuilt_exactly(report: dict[str, Any]) -> None:
    found = {f["number"]: f["urls"] for f in report["footnotes"]}
    assert found == {n: urls for n, (_m, _b, urls, _d) in FOOTNOTES.items()}
    every = [u for urls in found.values() for u in urls]
    assert len(every) == 6
    assert sorted(link["url"] for link in report["links"]) == sorted(every)
    assert all(link["status"] == "skipped" for link in report["links"])


def test_six_access_dates(report: dict[str, Any]) -> None:
    found = {f["number"]: f["access_dates"] for f in report["footnotes"]}
    assert found == {n: dates for n, (_m, _b, _u, dates) in FOOTNOTES.items()}
    assert sum(len(d) for d in found.values()) == 6


def test_footnote_seven_repeats_six(report: dict[str, Any]) -> None:
    found = {f["number"]: f for f in report["footnotes"]}
    assert found[7]["ibid"] is True
    assert found[7]["refers_to"] == 6
    assert [n for n, f in found.items() if f["ibid"]] == [7]


def _tracking_codes() -> set[str]:
    try:
        from footcheck.rules.interface import all_rules
    except ImportError:
        return set()
    return {r.code for r in all_rules() if "tracking" in r.name}


def test_tracking_parameters_flagged_in_footnotes_four_and_six(report: dict[str, Any]) -> None:
    codes = _tracking_codes()
    hits = [f for f in report["findings"] if f["code"] in codes or "ysclid" in f["message"].lower()]
    assert sorted(f["footnote"] for f in hits) == [4, 6]
    for f in hits:
        assert "ysclid" in f["message"].lower() or "ysclid" in (f.get("url") or "")


def test_fifteen_citations_with_authors_year_locator(report: dict[str, Any]) -> None:
    cits = report["citations"]
    assert len(cits) == 15
    for got, (raw, authors, year, locator) in zip(cits, CITATIONS, strict=True):
        assert " ".join(got["raw"].split()) == raw
        assert [surname_key(a) for a in got["authors"]] == [surname_key(a) for a in authors], raw
        assert got["year"] == year, raw
        assert (got["locator"] or None) == locator, raw
        assert got["reference"] is None
    # the title-like heading broken across two lines is reported on its bracket's line
    assert cits[0]["line"] == line_of("[Евразийская доктрина")
    barabanov = next(c for c in cits if c["raw"].startswith("Барабанов"))
    assert barabanov["line"] == line_of("[Барабанов О.Н. 2003: 318]")
    assert barabanov["authors"] == ["Барабанов О.Н."]


def _is_missing_list(finding: dict[str, Any], codes: set[str]) -> bool:
    text = finding["message"].lower()
    return finding["code"] in codes or (
        "reference list" in text or "списка литературы" in text or "список литературы" in text
    )


def test_one_note_about_the_missing_reference_list(report: dict[str, Any]) -> None:
    try:
        from footcheck.rules.interface import all_rules

        codes = {r.code for r in all_rules() if "reference-list" in r.name}
        per_citation = {r.code for r in all_rules() if r.name == "citation-without-reference"}
    except ImportError:
        codes, per_citation = set(), set()
    assert report["references"] == []
    notes = [f for f in report["findings"] if _is_missing_list(f, codes)]
    assert len(notes) == 1, notes
    assert not [f for f in report["findings"] if f["code"] in per_citation]


def test_summary_counts(run: tuple[int, dict[str, Any]]) -> None:
    summary = run[1]["summary"]
    assert (summary["documents"], summary["footnotes"], summary["citations"], summary["links"]) == (
        1,
        7,
        15,
        6,
    )
    assert summary["errors"] == 0
