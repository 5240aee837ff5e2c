"""DOIs as printed (parse/dois.py, FC70x) and the References twin (parse/twin.py, FC8xx).

Every paper here is invented; DOIs use the 10.12345 test prefix."""

from __future__ import annotations

import datetime as dt

import pytest

from footcheck.model import Reference
from footcheck.parse import parse_document
from footcheck.parse.dois import find_dois, problem_of
from footcheck.parse.twin import pair_twin, schemes_of, skeleton
from footcheck.parse.urls import Segment
from footcheck.rules import RuleContext, run_static_rules

TODAY = dt.date(2026, 1, 1)


def dois(*lines: str) -> list[tuple[str | None, int, str | None]]:
    seg = Segment.of([(i + 1, t) for i, t in enumerate(lines)])
    return [(m.doi, m.line, m.problem and m.problem.split(" ")[0]) for m in find_dois(seg)]


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (["… // Полис. 2019. № 3. DOI: 10.12345/polis.2019.03.02. EDN: QWERTY"], "10.12345/polis.2019.03.02"),
        (["Статья. doi:10.12345/abc-1"], "10.12345/abc-1"),
        (["Статья. https://doi.org/10.12345/xyz.7."], "10.12345/xyz.7"),
        (["Статья. http://dx.doi.org/10.12345/XYZ.7)"], "10.12345/XYZ.7"),
        (["Статья. https://doi. org/10.12345/j. polis.2019.1"], "10.12345/j.polis.2019.1"),
        (["Статья. DOI: 10.12345/S013122270012345-", "6 (In Russ.)"], "10.12345/S013122270012345-6"),
        (["Статья. DOI: 10.12345/vestnik.", "2020.04.15"], "10.12345/vestnik.2020.04.15"),
        (["Статья. DOI: 10.12345/S0869587319", "120046 (дата обращения: 01.02.2023)"], "10.12345/S0869587319120046"),
        (["Статья. 10.12345/bare-doi-2021"], "10.12345/bare-doi-2021"),
        (["DOI: 10.12345/(SICI)1097-4636(199812)43:4<409::AID-JBM7>3.0.CO;2-N."],
         "10.12345/(SICI)1097-4636(199812)43:4<409::AID-JBM7>3.0.CO;2-N"),
    ],
)
def test_dois_are_found_and_rebuilt(lines: list[str], expected: str) -> None:
    found = dois(*lines)
    assert [d for d, _, _ in found] == [expected]
    assert found[0][1] == 1


def test_a_doi_stops_before_the_next_word() -> None:
    assert dois("DOI: 10.12345/abc. 2019. № 3.") == [("10.12345/abc", 1, None)]
    assert dois("doi:10.12345/abc; затем текст") == [("10.12345/abc", 1, None)]
    assert dois("DOI: 10.12345/abc", "URL: https://example.org/a") == [("10.12345/abc", 1, None)]


@pytest.mark.parametrize(
    ("text", "word"),
    [
        ("DOI: 10.123/abc", "prefix"),
        ("DOI: 1O.12345/abc", "prefix"),
        ("DOI: 10.12345", "DOI"),
        ("DOI: 10.12345/С0131", "Cyrillic"),
    ],
)
def test_malformed_dois_are_kept_with_the_reason(text: str, word: str) -> None:
    [(doi, _line, _first)] = dois(text)
    assert doi is None
    assert word in (problem_of(text.split(": ", 1)[1]) or "")


def test_numbers_that_look_like_doi_starts_are_not_dois() -> None:
    assert dois("Т. 10. 2019. № 10.5. С. 10–12.") == []
    assert dois("Версия 10.1234 программы") == []


PAPER = """Как показано [Иванов 2019; Петров 2020], а также в заметке1.

1 Сидоров С. С. Заметка // Вестник. 2021. DOI: 10.12345/vest-
2021-5 (дата обращения: 01.02.2023).

Список литературы

1. Иванов И. И. Политика регионов // Полис. 2019. № 3. С. 5–19. DOI: 10.12345/polis.
2019.03.02
2. Петров П. П. Книга о реках. М.: Наука, 2020. 300 с. DOI: 10.123/abc
3. Сидоров С. С. Заметка // Вестник. 2021. DOI: 10.12345/polis.2019.03.02
"""


def test_the_parser_fills_in_entries_and_footnotes() -> None:
    doc = parse_document(PAPER)
    assert [r.doi for r in doc.references] == ["10.12345/polis.2019.03.02", None, "10.12345/polis.2019.03.02"]
    assert doc.references[1].doi_mentions[0].line == 10
    assert doc.footnotes[0].dois == ("10.12345/vest-2021-5",)


def test_entries_run_together_on_one_line_keep_their_own_dois() -> None:
    # a list flattened into one line: each entry is read in its own piece of the line,
    # so an entry that prints "Т. 10." does not take its neighbour's DOI
    flat = ("Литература Сомов П. Р. Порты края. М.: Прибой, 2011. DOI: 10.12345/port.2011.7. "
            "Лапин Г. Д. Записки. Т. 10. М.: Наука, 2012. 80 с. "
            "Орлова А. Б. Промысел. Вып. 10. Приморск, 2014. doi:10.12345/prom-14. "
            "Фомин В. В. Дороги. М., 2019. 120 с. " * 2)
    doc = parse_document("Заглавие статьи\n\nТекст статьи [Сомов 2011].\n\n" + flat + "\n")
    assert len(doc.references) == 8
    assert [r.doi for r in doc.references[:4]] == ["10.12345/port.2011.7", None, "10.12345/prom-14", None]
    assert [len(r.doi_mentions) for r in doc.references] == [1, 0, 1, 0] * 2


def test_malformed_and_duplicate_dois_are_findings() -> None:
    findings = run_static_rules(parse_document(PAPER), RuleContext(today=TODAY))
    mine = [(f.code, f.line) for f in findings if f.code.startswith("FC70")]
    assert mine == [("FC701", 10), ("FC702", 11)]


# --- the References twin ----------------------------------------------------------

RUSSIAN = [
    "1. Жильцов Ю. А. Юридическая политика регионов. М.: Наука, 2015. 320 с.",
    "2. Яковлева Ю. Б. Юридическая география Сибири // Полис. 2018. № 3. С. 5–19.",
    "3. Щукин Е. В. Чужие границы и общие реки // Вестник Уральского университета. 2020. Т. 4. № 2. С. 44–60.",
    "4. Хрусталёв Д. Ю. Журавли над Енисеем. СПб.: Юрайт, 2012. 198 с.",
    "5. Цыганкова И. Й. Южный вектор: очерки. Казань: Хозяйство, 2019. 150 с.",
    "6. Орлова Н. С. Речные пути. М.: Наука, 2016. 100 с.",
]
TWIN_ENTRIES = [
    "1. Zhiltsov Yu.A. Iuridicheskaia politika regionov [Legal policy of the regions]. Moscow: Nauka, 2015. "
    "320 p. (In Russ.)",
    "2. Iakovleva Iu.B. Iuridicheskaia geografiia Sibiri [Legal geography of Siberia]. Polis, 2018, no. 3, "
    "pp. 5–19. (In Russ.)",
    # GOST separators, no (In Russ.), no translated title
    "3. Shchukin E.V. Chuzhie granitsy i obshchie reki // Vestnik Ural'skogo universiteta. 2020. Vol. 4. No. 2. "
    "P. 44–60.",
    # entries 4 and 5 swapped; 4 in GOST 7.79 System B, 5 in BGN/PCGN, the rest in LC
    "4. Cygankova I.J. Yuzhnyj vektor: ocherki [The southern vector: essays]. Kazan: Xozyajstvo, 2019. 150 p. "
    "(In Russ.)",
    "5. Khrustalev D.Yu. Zhuravli nad Yeniseyem [Cranes over the Yenisei]. St. Petersburg: Yurayt, 2012. 198 p. "
    "(In Russ.)",
]
CLEAN_TWIN = [
    TWIN_ENTRIES[0], TWIN_ENTRIES[1],
    "3. Shchukin E.V. Chuzhie granitsy i obshchie reki [Foreign borders and common rivers]. Vestnik "
    "Ural'skogo universiteta, 2020, vol. 4, no. 2, pp. 44–60. (In Russ.)",
    "4. Khrustalev D.Iu. Zhuravli nad Eniseem [Cranes over the Yenisei]. St. Petersburg: Iurait, 2012. 198 p. "
    "(In Russ.)",
    "5. Tsygankova I.I. Iuzhnyi vektor: ocherki [The southern vector: essays]. Kazan: Khoziaistvo, 2019. "
    "150 p. (In Russ.)",
]
BODY = "Текст [Жильцов 2015; Яковлева 2018; Щукин 2020; Хрусталёв 2012; Цыганкова 2019; Орлова 2016].\n\n"


def paper(russian: list[str], twin: list[str]) -> str:
    return BODY + "Список литературы\n\n" + "\n".join(russian) + "\n\nReferences\n\n" + "\n".join(twin) + "\n"


TWIN = paper(RUSSIAN, TWIN_ENTRIES)


def twin_findings(text: str, **ctx: object) -> list[tuple[str, str]]:
    findings = run_static_rules(parse_document(text), RuleContext(today=TODAY, **ctx))  # type: ignore[arg-type]
    return [(f.code, f.message) for f in findings if f.code.startswith("FC8")]


def test_skeleton_is_the_same_for_every_scheme() -> None:
    forms = ["Жильцов", "Zhiltsov", "Zhil'tsov", "Zhil`czov", "Žilʹcov", "Zhil’tsov"]
    assert len({skeleton(f) for f in forms}) == 1
    assert skeleton("Хрусталёв") == skeleton("Khrustalev") == skeleton("Xrustalyov")


def test_every_kind_of_twin_mismatch_is_reported_with_entry_numbers() -> None:
    found = twin_findings(TWIN)
    codes = sorted(c for c, _ in found)
    assert codes == ["FC801", "FC802", "FC803", "FC805", "FC806", "FC807", "FC808", "FC808"]
    text = dict(found)
    assert text["FC801"] == "the Russian list has 6 entries, References has 5"
    assert text["FC802"].startswith("entry 6 of the Russian list (Орлова")
    assert text["FC803"] == "entry 4 of the Russian list is entry 5 of References"
    assert "entry 3 of References" in text["FC805"]
    mixed = sorted(m for c, m in found if c == "FC808")
    assert mixed[0].startswith("entry 4 of References (entry 5 of the Russian list) is written in GOST 7.79 System B")
    assert mixed[1].startswith("entry 5 of References (entry 4 of the Russian list) is written in BGN/PCGN")


def test_cyrillic_in_the_twin_and_a_required_scheme() -> None:
    text = TWIN.replace("Iakovleva Iu.B. Iuridicheskaia", "Iakovleva Iu.B. Юридическая")
    found = twin_findings(text, translit_scheme="lc")
    assert ("FC804", "entry 2 of References (entry 2 of the Russian list) has Cyrillic letters: «Юридическая»") in found
    wrong = sorted(m for c, m in found if c == "FC809")
    assert [m.split(" (")[0] for m in wrong] == ["entry 4 of References", "entry 5 of References"]
    assert not any(c == "FC808" for c, _ in found)  # the profile's scheme replaces the majority


def test_a_clean_twin_gives_nothing() -> None:
    assert twin_findings(paper(RUSSIAN[:5], CLEAN_TWIN)) == []


def test_pairing_tells_a_missing_entry_from_a_shift() -> None:
    def ref(i: int, text: str, year: str, tr: bool) -> Reference:
        return Reference(index=i, line=i, text=text, year=year, transliterated=tr)

    ru = [ref(i + 1, t, y, False) for i, (t, y) in enumerate(
        [("Абрамов А. Книга", "2001"), ("Борисов Б. Книга", "2002"), ("Волков В. Книга", "2003")])]
    tw = [ref(1, "Abramov A. Kniga", "2001", True), ref(2, "Volkov V. Kniga", "2003", True)]
    p = pair_twin(ru, tw)
    assert p is not None
    assert p.pairs == ((0, 0), (2, 1)) and p.unpaired_russian == (1,) and p.moved == ()


def test_schemes_of_reads_the_scheme_from_the_words() -> None:
    expected = frozenset({"bgn_pcgn", "gost_779_b", "wikipedia", "yandex"})
    assert schemes_of("Яковлева Юлия", "Yakovleva Yuliya") == expected
    assert schemes_of("Иванов", "Ivanov") is None  # every scheme writes it alike


def test_the_sample_shows_every_kind_of_mismatch() -> None:
    from pathlib import Path

    text = (Path(__file__).parents[1] / "samples" / "references_twin.txt").read_text(encoding="utf-8")
    findings = run_static_rules(parse_document(text), RuleContext(today=TODAY))
    mine = [(f.code, f.line) for f in findings if f.code[:3] in ("FC7", "FC8")]
    assert mine == [("FC701", 26), ("FC702", 32), ("FC802", 34), ("FC801", 39), ("FC806", 42), ("FC805", 44),
                    ("FC807", 44), ("FC803", 48), ("FC804", 50), ("FC808", 52)]
    required = run_static_rules(parse_document(text), RuleContext(today=TODAY, translit_scheme="bgn_pcgn"))
    assert [(f.code, f.line) for f in required if f.code in ("FC808", "FC809")] == [("FC809", 52)]
