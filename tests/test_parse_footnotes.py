"""Footnote markers and bodies: what is a marker, what is a body, what is neither."""

from __future__ import annotations

from footcheck.parse import parse_document


def numbers(doc):
    return [(f.number, f.line, f.marker_lines) for f in doc.footnotes]


PAGE = """Реформа управления водными ресурсами обсуждалась с 2015 г. Министерство
подготовило доклад о положении в регионе1. В 1990-х гг. бюджет вырос на 2,7%,
а по закону № 280 от 2020 г. расходы на 2021–2030 гг. увеличены вдвое2.
Начиная с XXI в.3 вопрос приобрёл новое значение, что подтвердил «круглый стол»4.

1 Доклад о водных ресурсах Центральной Азии. 2021. 3 марта. URL: https://example.org/
reports/water-2021 (дата обращения: 12.04.2023).
2 О бюджете на 2021–2030 годы. URL: https://budget.example.ru/docs/2021-
2030-plan.pdf (дата обращения: 01.02.2023).
3 Иванов И. И. Водная политика. М.: Наука, 2019. С. 15.
4 Там же. С. 27.
 Продолжение текста следующей страницы: площадь 120 км2, группа G20 и формат
С5+ЕС. Перечень этапов:
1 этап — подготовка документов;
2 этап — согласование.
"""


def test_markers_and_bodies_pair_up() -> None:
    doc = parse_document(PAGE)
    assert numbers(doc) == [(1, 6, (2,)), (2, 8, (3,)), (3, 10, (4,)), (4, 11, (4,))]


def test_numbers_that_are_not_markers_are_ignored() -> None:
    doc = parse_document(PAGE)
    assert [m.number for m in doc.markers] == [1, 2, 3, 4]


def test_urls_rebuilt_across_breaks_and_hyphens() -> None:
    doc = parse_document(PAGE)
    assert [u.url for u in doc.footnotes[0].urls] == ["https://example.org/reports/water-2021"]
    assert [u.url for u in doc.footnotes[1].urls] == ["https://budget.example.ru/docs/2021-2030-plan.pdf"]
    assert doc.footnotes[1].urls[0].access_date.value.isoformat() == "2023-02-01"


def test_source_date_and_repeat() -> None:
    doc = parse_document(PAGE)
    assert doc.footnotes[0].source_date.value.isoformat() == "2021-03-03"
    assert doc.footnotes[3].ibid and doc.footnotes[3].refers_to == 3


def test_multi_line_body_ends_at_page_text() -> None:
    doc = parse_document(PAGE)
    assert "Продолжение" not in doc.footnotes[3].text


def test_annotation_copy_is_not_a_new_link_and_confirms() -> None:
    text = (
        "Эксперты отметили рост товарооборота5.\n\n"
        "5 Обзор торговли. URL: https://www.example.com/trade/2023/review-\n"
        "annual (дата обращения: 10.10.2023).\n\n"
        "https://www.example.com/trade/2023/review-annual\n"
        " Текст следующей страницы продолжается.\n"
    )
    text = text.replace("рост товарооборота5", "рост товарооборота1").replace("5 Обзор", "1 Обзор")
    doc = parse_document(text)
    assert len(doc.footnotes) == 1
    (u,) = doc.footnotes[0].urls
    assert u.url == "https://www.example.com/trade/2023/review-annual"
    assert u.confirmed


def test_annotation_repairs_a_broken_reconstruction() -> None:
    text = (
        "Правительство утвердило программу1.\n\n"
        "1 О программе. URL: https://x.example.ru/docs/12\n"
        " 34 (дата обращения: 02.02.2024).\n\n"
        "https://x.example.ru/docs/1234\n"
    )
    doc = parse_document(text)
    assert [u.url for u in doc.footnotes[0].urls] == ["https://x.example.ru/docs/1234"]


def test_per_page_restart() -> None:
    text = (
        "Первая мысль1 и вторая2.\n\n1 Источник А. 2020. С. 1.\n2 Источник Б. 2021. С. 2.\n"
        "\fНа новой странице третья мысль1.\n\n1 Источник В. 2022. С. 3.\n"
    )
    doc = parse_document(text)
    assert doc.per_page_numbering
    assert [(f.number, f.page, f.marker_lines) for f in doc.footnotes] == [
        (1, 0, (1,)), (2, 0, (1,)), (1, 1, (5,))]


def test_superscript_markers() -> None:
    doc = parse_document("Вывод очевиден¹.\n\n¹ Петров П. П. Очерки. 2010. С. 4.\n")
    assert numbers(doc) == [(1, 3, (1,))]


def test_marker_without_body_and_body_without_marker_found() -> None:
    text = "Раз1, два2 и три3.\n\n1 Книга первая. 2001.\n2 Книга вторая. 2002.\n"
    doc = parse_document(text)
    assert [m.number for m in doc.markers] == [1, 2, 3]
    assert [f.number for f in doc.footnotes] == [1, 2]


def test_two_markers_at_one_point() -> None:
    text = "Об этом писали многие1,2.\n\n1 Книга первая. 2001.\n2 Книга вторая. 2002.\n"
    doc = parse_document(text)
    assert numbers(doc) == [(1, 3, (1,)), (2, 4, (1,))]


def test_ibid_chain_and_op_cit() -> None:
    text = (
        "Первое1, второе2, третье3, четвёртое4.\n\n"
        "1 Смирнов А. В. История региона. М., 2015. С. 10.\n"
        "2 Там же. С. 12.\n"
        "3 Ibid. P. 14.\n"
        "4 Смирнов А. В. Указ. соч. С. 20.\n"
    )
    doc = parse_document(text)
    assert [(f.number, f.ibid, f.refers_to) for f in doc.footnotes] == [
        (1, False, None), (2, True, 1), (3, True, 2), (4, True, 1)]


def test_ibid_first_has_no_antecedent() -> None:
    doc = parse_document("Текст1.\n\n1 Там же. С. 3.\n")
    assert doc.footnotes[0].ibid and doc.footnotes[0].refers_to is None


def test_cited_title_keeps_years_inside_the_title() -> None:
    text = (
        "Данные переписи1 и новость2.\n\n"
        "1 Итоги переписи населения 2010 года. URL: https://a.example.ru/1 (дата обращения: 01.02.2023).\n"
        "2 Новость о переписи. 2023. 28 сентября. URL: https://a.example.ru/2 (дата обращения: 01.02.2024).\n"
    )
    doc = parse_document(text)
    assert [f.title for f in doc.footnotes] == ["Итоги переписи населения 2010 года", "Новость о переписи"]


def test_a_wrapped_word_is_not_a_reference_heading() -> None:
    text = (
        "Авторы опирались на самые разные\nисточники.\nДалее следует анализ1.\n\n"
        "1 Иванов И. И. Очерки. М., 2010. С. 5.\n"
    )
    doc = parse_document(text)
    assert doc.reference_sections == () and [f.number for f in doc.footnotes] == [1]


def test_repeated_access_date_tails_are_not_page_furniture() -> None:
    notes = "".join(
        f"{n} Документ {n}. URL: https://example.ru/doc/{n} (дата\nобращения: 02.12.2024).\n" for n in range(1, 6)
    )
    text = "Текст" + "".join(f" довод{n}" for n in range(1, 6)) + ".\n\n" + notes
    doc = parse_document(text)
    assert [len(f.access_dates) for f in doc.footnotes] == [1, 1, 1, 1, 1]


def test_footnote_numbers_beyond_999() -> None:
    text = "".join(f"Мысль номер {n} изложена здесь{n}.\n" for n in range(998, 1002)) + "\n" + "".join(
        f"{n} Источник {n}. М., 2001. С. 1.\n" for n in range(998, 1002)
    )
    # a book numbered through: the sequence has reached 997 before this page
    prefix = "".join(f"Слово{n}.\n" for n in range(1, 998)) + "\n" + "".join(
        f"{n} Книга {n}. М., 2000.\n" for n in range(1, 998)
    ) + "\n"
    doc = parse_document(prefix + text)
    assert [f.number for f in doc.footnotes][-4:] == [998, 999, 1000, 1001]
    assert all(f.marker_lines for f in doc.footnotes)
