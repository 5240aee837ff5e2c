"""Bracketed citations, reference lists and matching."""

from __future__ import annotations

import pytest

from footcheck.parse import parse_document
from footcheck.parse.citations import parse_bracket


def one(inner: str):
    return [(c.authors, c.year, c.locator, c.kind) for c in parse_bracket(inner, 1)]


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        ("Попов 2016", [(("Попов",), "2016", None, "author-year")]),
        ("Барабанов О.Н. 2003: 318", [(("Барабанов О.Н.",), "2003", "318", "author-year")]),
        ("О. Н. Барабанов 2003, с. 25", [(("О. Н. Барабанов",), "2003", "25", "author-year")]),
        ("Вардомский и др. 2023", [(("Вардомский",), "2023", None, "author-year")]),
        ("Smith et al. 2020, p. 4", [(("Smith",), "2020", "4", "author-year")]),
        ("Орлова, 2015, с. 77", [(("Орлова",), "2015", "77", "author-year")]),
        ("Гусев, Лаптева 2020", [(("Гусев", "Лаптева"), "2020", None, "author-year")]),
        ("Зайцев 2019а", [(("Зайцев",), "2019а", None, "author-year")]),
        ("Орлова 2015; Зайцев 2018: 4–6; Brown 2020", [
            (("Орлова",), "2015", None, "author-year"),
            (("Зайцев",), "2018", "4–6", "author-year"),
            (("Brown",), "2020", None, "author-year")]),
        ("Орлова 2015; 2019", [(("Орлова",), "2015", None, "author-year"),
                               (("Орлова",), "2019", None, "author-year")]),
        ("Стратегия развития Арктической зоны 2020",
         [(("Стратегия развития Арктической зоны",), "2020", None, "author-year")]),
        ("Там же", [((), None, None, "ibid")]),
        ("Там же: 12", [((), None, "12", "ibid")]),
        ("Ibid., p. 5", [((), None, "5", "ibid")]),
        ("sic", []),
        ("...", []),
        ("курсив наш. — А.Б.", []),
        ("2010", []),
        ("Электронный ресурс", []),
    ],
)
def test_bracket_contents(inner: str, expected) -> None:
    assert one(inner) == expected


@pytest.mark.parametrize(
    ("inner", "numbers", "locator"),
    [("1, с. 25", (1,), "25"), ("5, Т. 2. С. 7", (5,), "Т. 2. С. 7"), ("2–4", (2, 3, 4), None), ("12", (12,), None)],
)
def test_numeric_brackets(inner: str, numbers, locator) -> None:
    (c,) = parse_bracket(inner, 1)
    assert c.kind == "numeric" and c.numbers == numbers and c.locator == locator


def test_numeric_with_semicolons() -> None:
    cs = parse_bracket("3; 7", 1)
    assert [c.numbers for c in cs] == [(3,), (7,)]


PAPER = """Вопрос изучен подробно [Орлова 2015: 77]. Позднее к нему вернулись
[Зайцев 2019a; Чеботарев, Лаптева 2020] и [Евразийский проект
развития 2010]. См. также [Там же: 12] и [Лукин 2001].

Список литературы

Евразийский проект развития: сборник. Алматы, 2010. 300 с.
Зайцев В. К. Очерки экономики. М.: Наука, 2019а. 200 с.
Орлова Н. С. Политика соседства // Полис. 2015. № 3. С. 70–80.
Сидоров В. Г. Забытая книга. СПб., 2012. 100 с.
Чеботарёв А. Е., Лаптева Н. Н. Регион в переходе. М., 2020.

References

Orlova N.S. Politika sosedstva [Neighbourhood policy]. Polis, 2015, no. 3, pp. 70–80. (In Russ.)
Zaitsev V.K. Ocherki ekonomiki [Essays]. Moscow, Nauka Publ., 2019. 200 p.
"""


def test_reference_list_matching() -> None:
    doc = parse_document(PAPER)
    assert [s for s, _ in doc.reference_sections] == ["Список литературы", "References"]
    # the twin is recognised as a list, but its entries are the same works: counted once
    assert len(doc.references) == 5 and not any(r.transliterated for r in doc.references)
    assert all(r.section == "Список литературы" for r in doc.references)
    matched = {c.raw: (doc.references[c.reference].surnames[0] if c.reference is not None else None)
               for c in doc.citations}
    assert matched["Орлова 2015: 77"] == "Орлова"
    assert matched["Зайцев 2019a"] == "Зайцев"  # Latin suffix folded to Cyrillic
    assert matched["Чеботарев, Лаптева 2020"] == "Чеботарёв"  # ё/е folded
    assert matched["Евразийский проект развития 2010"] is not None  # title heading across a line
    assert matched["Лукин 2001"] is None
    ibid = next(c for c in doc.citations if c.kind == "ibid")
    assert ibid.refers_to is not None and doc.citations[ibid.refers_to].raw.startswith("Евразийский")


def test_rules_on_reference_list() -> None:
    import datetime as dt

    from footcheck.rules import RuleContext, run_static_rules

    doc = parse_document(PAPER)
    findings = run_static_rules(doc, RuleContext(today=dt.date(2026, 1, 1)))
    codes = [(f.code, f.message) for f in findings]
    assert any(c == "FC402" and "Лукин" in m for c, m in codes)
    uncited = [m for c, m in codes if c == "FC403"]
    assert len(uncited) == 1 and "Сидоров" in uncited[0]  # never the transliterated twin


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Список литературы", "ru"), ("ЛИТЕРАТУРА", "ru"), ("Л И Т Е Р А Т У Р А", "ru"),
        ("7. Библиографический список", "ru"), ("Список литературы / References", "ru"),
        ("References", "en"), ("R E F E R E N C E S", "en"), ("Источники:", "ru"),
        ("Литература о войне стала предметом многих исследований, но мало кто", None),
        ("Обзор литературы", None),
    ],
)
def test_reference_list_headings(line: str, kind) -> None:
    from footcheck.parse.references import heading_kind

    assert heading_kind(line) == kind
