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
        ("там же, 45", [((), None, "45", "ibid")]),
        ("Там же. С. 12", [((), None, "12", "ibid")]),
        ("Ibidem, 7", [((), None, "7", "ibid")]),
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
    # the repeat is not a citation of its own: it is apart, and points at the one it repeats
    assert all(c.kind != "ibid" for c in doc.citations)
    (ibid,) = doc.repeats
    assert ibid.refers_to is not None and doc.citations[ibid.refers_to].raw.startswith("Евразийский")


def test_bracket_repeats_are_apart_from_the_citations() -> None:
    import datetime as dt

    from footcheck.rules import RuleContext, run_static_rules

    text = "\n".join([
        "Мысль о пристанях [там же, 3] высказана раньше других [Ветров 2008: 14].",
        "Позже к ней вернулись [там же, 45], а затем и другие [Ibid., p. 3; Лодкин 2012].",
        "Наконец, итог подвёл сам автор [Там же. С. 12].",
        "",
        "Список литературы",
        "",
        "Ветров А. А. Пристани Приморья. М.: Прибой, 2008. 200 с.",
        "Лодкин Б. Б. Причалы. М.: Наука, 2012. 90 с.",
    ])
    doc = parse_document(text)
    # the sources alone are citations, each matched to its entry
    assert [(c.raw, c.reference) for c in doc.citations] == [("Ветров 2008: 14", 0), ("Лодкин 2012", 1)]
    # the repeats are apart: each points at the citation before it, the first at none
    assert [(c.raw, c.refers_to) for c in doc.repeats] == [
        ("там же, 3", None), ("там же, 45", 0), ("Ibid., p. 3", 0), ("Там же. С. 12", 1)]
    findings = run_static_rules(doc, RuleContext(today=dt.date(2026, 1, 1)))
    # one repeat of nothing; no repeat is taken for a citation the list lacks
    assert [(f.code, f.line) for f in findings if f.code.startswith("FC40")] == [("FC404", 1)]


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


@pytest.mark.parametrize(
    ("inner", "expected"),
    [
        # dates and the sources of examples are not citations
        ("October 14, 1998", []),
        ("accessed April 14, 2017", []),
        ("12 марта 2021", []),
        ("Пётр Варенцов. Северная пристань (1926)", []),
        ("Варенцов П. Пристань // Север, 1926", []),
        # sources separated by a comma, a status after the year, a glued year
        ("Ланге, Ромм 2016, Горбань 2011", [(("Ланге", "Ромм"), "2016", None, "author-year"),
                                           (("Горбань",), "2011", None, "author-year")]),
        ("Попов 2016, с. 5, Иванов 2010", [(("Попов",), "2016", "5", "author-year"),
                                          (("Иванов",), "2010", None, "author-year")]),
        ("Гришина 2009, 153-155", [(("Гришина",), "2009", "153-155", "author-year")]),
        ("Донина и др. 2024 (в печати)", [(("Донина",), "2024", None, "author-year")]),
        ("Перминов2007, 100", [(("Перминов",), "2007", "100", "author-year")]),
        # a siglum among citations; sigla alone are not known to be citations
        ("Грам.; Еськова 1967", [(("Грам.",), None, None, "author-year"), (("Еськова",), "1967", None, "author-year")]),
        ("Грам.; БТС", []),
        # a lead-in is not the author; a repeat may share a bracket with a citation
        ("см. также Петров 2011: 5", [(("Петров",), "2011", "5", "author-year")]),
        ("там же, с. 5; Иванов 2010", [((), None, "5", "ibid"), (("Иванов",), "2010", None, "author-year")]),
    ],
)
def test_bracket_contents_real_text(inner: str, expected) -> None:
    assert one(inner) == expected


def _citations(text: str):
    return [(c.raw, c.authors, c.year) for c in parse_document(text).citations]


def test_bare_year_after_a_named_author() -> None:
    text = "Как показал Д. В. Сомов [2019: 347], а затем А. А. Лапина [2004], это не так [2004].\n"
    assert _citations(text) == [("2019: 347", ("Сомов",), "2019"), ("2004", ("Лапина",), "2004")]


def test_bracket_broken_by_a_page_break() -> None:
    head = "Вестник прибрежных исследований. 2023. Т. 9"
    pages = [f"Текст страницы {k} продолжается здесь.\n\n{k}\n\f{head}\n\n" for k in range(1, 5)]
    text = (pages[0] + pages[1] + "Об этом писали [Огнев и\n\n3\n\f" + head + "\n\nдр. 2011] и другие [По14\n\n\f"
            + head + "\n\nгребная 2010].\n" + pages[3])
    assert [c.raw for c in parse_document(text).citations] == ["Огнев и др. 2011", "Погребная 2010"]


TWIN_AND_NEIGHBOURS = """ТРУДЫ ИНСТИТУТА. 2022. № 3
7. Колосов Д. Б. Ярмарки губернии. Вологда, 2009. 180 с.
REFERENCES
1. Kolosov D. B. Yarmarki gubernii [Fairs]. Vologda, 2009. 180 p.
Для цитирования: Пахомова Е. И. Купеческие ярмарки // Труды института. 2022. № 3.

УДК 338.4
ЛЕСНЫЕ АРТЕЛИ
Аннотация. Статья об артелях.
Ключевые слова: артель, лес
Лесозаготовки велись артелями [Брагин 1912], и число артелей росло
вплоть до 1914 г. [Елисеева 2003: 41]. Заработки зависели от цен на лес.
Подрядчики заключали с артелями письменные договоры.
Споры разбирал волостной суд, и решения его были в пользу артели.
Староста вел расчеты с подрядчиком и отвечал за инструмент.
К 1913 г. на реке действовало около четырехсот артелей.
Сокращения: ВС — волостной суд
Литература
Брагин Н. П. Лесные промыслы губернии. Вологда: Типография,
1912. 96 с.

12

Труды института. 2022. № 3

Елисеева О. А. Отходники Севера. М.: Наука, 2003. 264 с.

ARTELS OF THE UPPER DVINA
V. K. Zhuravlev
zhuravlev@example.ru
Abstract. The article deals with artels.
References
Bragin N. P. Lesnye promysly gubernii [Forest trades]. Vologda, 1912. 96 p.
Eliseeva O. A. Otkhodniki Severa [Migrant workers]. Moscow, 2003. 264 p.
Сведения об авторе
Журавлёв Виктор Константинович, доктор экономических наук, 2018.
Поступила в редакцию 02.06.2022

13

Труды института. 2022. № 3

УДК 94
ЯРМАРОЧНЫЕ МЕРЫ
Аннотация. Заметка о мерах веса.
Ключевые слова: ярмарка, меры
Меры веса на ярмарках не совпадали с казенными.

14

Труды института. 2022. № 3

Литература
Тихонов Р. П. Меры и весы. М.: Мера, 2006. 120 с.
"""


def test_each_list_counted_once() -> None:
    doc = parse_document(TWIN_AND_NEIGHBOURS)
    # the previous article's list, the twin's entries and the next article's list are not entries
    assert [(r.surnames[0], r.year) for r in doc.references] == [("Брагин", "1912"), ("Елисеева", "2003")]
    assert [s for s, _ in doc.reference_sections] == ["Литература", "References"]
    assert all(c.reference is not None for c in doc.citations)


def test_keyed_list_and_sigla() -> None:
    text = """Частица устаревает [Горбань 2011: 45; БТС], но ср. [Кустова 2019б].

Литература
Горбань 2011 — Горбань Е. С. Частицы в речи. М.: Речь,
2011. 300 с. [Gorban' E. S. Particles. Moscow, 2011.]
Кустова 2019а — Кустова Д. Р. Частица в сети // Живая речь. 2019. № 2.
Кустова 2019б — Кустова Д. Р. Чужая речь. Тверь, 2019. 180 с.
БТС — Большой толковый словарь / под ред. Н. К. Лаптевой. СПб., 2007.
"""
    doc = parse_document(text)
    assert [r.year for r in doc.references] == ["2011", "2019а", "2019б", "2007"]
    assert [doc.references[c.reference].year for c in doc.citations] == ["2011", "2007", "2019б"]


def test_numbered_list_under_group_headings_and_notes_after_it() -> None:
    text = """Текст со ссылками [1] и [2, с. 5].

СПИСОК ИСПОЛЬЗОВАННЫХ ИСТОЧНИКОВ

Нормативные акты

1. О персональных данных : Федер. закон от 27.07.2006 № 152-ФЗ.

Монографии и статьи

2. Аллен Д. Как привести дела в порядок. М., 2019. 368 с.

3. Брукс Ф. Мифический человеко-месяц. СПб., 2010. 304 с.

1 Примечание автора о законе 2006 года.
"""
    doc = parse_document(text)
    assert [r.number for r in doc.references] == [1, 2, 3]
    assert "Примечание" not in doc.references[-1].text  # the note after the list is not in it


def test_a_heading_over_prose_is_not_a_list() -> None:
    text = "Содержание\n\nВЫВОДЫ\n\nСПИСОК ЛИТЕРАТУРЫ\n\n" + "\n\n".join(
        f"Глава {k}. Доходные дома и их владельцы в губернском городе" for k in range(1, 8)) + "\n"
    doc = parse_document(text)
    assert doc.references == () and doc.reference_sections == ()


def test_flattened_lists() -> None:
    # line breaks flattened into spaces: the heading and the entries run in one line
    numbered = ("Так считают многие [1; 3]. Список литературы 1. Брагин Н. П. Лесные промыслы. Вологда, 1912. "
                "96 с. 2. Елисеева О. А. Отходники Севера // Вопросы истории. 2003. № 4. С. 41–58. "
                "3. Журавлёв В. К. Артель. Т. 2. С. 33–41. М., 2017. 4. Мезенцев Л. Д. Лесопильные заводы. "
                "Архангельск, 1998. 150 с.\n")
    doc = parse_document(numbered)
    assert [r.number for r in doc.references] == [1, 2, 3, 4]
    assert [s for s, _ in doc.reference_sections] == ["Список литературы"]
    plain = ("Об этом писали [Лапин 1997; Огнев 2011].\n\nЛитература\n\n"
             "Лапин Е. С. Семужий промысел в XIX–XX веках. Петрозаводск: Онега, 1997. 160 с. Огнев В. В., "
             "Сташек И. К. Артель и община // Вопросы прибрежной истории. 2011. № 4. С. 199–210. "
             "Ясенев П. Отчет о рыболовецких артелях Кемского уезда. Кемь, 1929. 48 с.\n")
    doc = parse_document(plain)
    assert [r.year for r in doc.references] == ["1997", "2011", "1929"]
    assert all(c.reference is not None for c in doc.citations)


def test_a_repeat_in_a_note_points_at_the_notes_citation() -> None:
    from footcheck.load import read_bytes
    from footcheck.parse import parse_loaded

    md = "\n".join([
        "# Пристани", "",
        "Мысль высказана давно [Ветров 2008: 14], но проверена позже[^1].", "",
        "[^1]: Подробнее см. [Лодкин 2012], а об устье [там же, 5].", "",
        "## Список литературы", "",
        "Ветров А. А. Пристани Приморья. М.: Прибой, 2008. 200 с.", "",
        "Лодкин Б. Б. Причалы. М.: Наука, 2012. 90 с.", "",
    ])
    doc = parse_loaded(read_bytes(md.encode(), "paper.md"))
    assert [c.raw for c in doc.citations] == ["Ветров 2008: 14", "Лодкин 2012"]
    (repeat,) = doc.repeats
    # the note's own earlier bracket, not the body's bracket at the same place in its list
    assert repeat.refers_to == 1 and repeat.reference == doc.citations[1].reference == 1
