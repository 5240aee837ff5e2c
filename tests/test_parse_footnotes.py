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


# --- phenomena of real PDF text (documents of our own writing) -------------------------

def _nums(text: str) -> list[int]:
    return [f.number for f in parse_document(text).footnotes]


def test_endnotes_under_a_heading_first_number_printed_after() -> None:
    text = (
        "Архив собирает дневники1. Проект описан в интервью2, а термин ввёл Петренко3.\n\n"
        "Примечания\n"
        "Проект «Летопись» при Северном университете. URL: https://letopis.example.org/\n"
        "2 Беседа с редакцией // Вестник архива. 12.03.2021. URL: https://vestnik.example.ru/2021/besedа\n"
        "3 Петренко А. А. Источниковедение. М., 1999. С. 5.\n"
        "1\n\n"
        "Литература\n"
        "Петренко 1999 — Петренко А. А. Источниковедение. М., 1999.\n"
    )
    doc = parse_document(text)
    assert [f.number for f in doc.footnotes] == [1, 2, 3]
    assert [u.url for u in doc.footnotes[0].urls] == ["https://letopis.example.org/"]
    assert doc.footnotes[0].text.startswith("Проект «Летопись»")


def test_number_alone_on_the_line_before_its_note() -> None:
    text = (
        "Модель разметила термины в новостях rutermextract 1\n"
        "и в корпусе заметок.\n"
        "1\n\n"
        "https://git.example.org/team/termtool\n"
    )
    doc = parse_document(text)
    assert [f.number for f in doc.footnotes] == [1]
    assert [u.url for u in doc.footnotes[0].urls] == ["https://git.example.org/team/termtool"]


def test_note_glued_to_the_last_hyphenated_word_of_the_page() -> None:
    text = (
        "Автор статьи1 обсуждает приёмы,\n"
        "которые позволяют читателя удержа1 Сидоров В. В. "
        "Очерки прозы // Северный сборник. 2015. № 2. С. 7.\n"
        "2 Там же. С. 9.\n"
        "\fния внимания и удобства изложения2.\n"
    )
    doc = parse_document(text)
    assert [f.number for f in doc.footnotes] == [1, 2]
    assert doc.footnotes[0].text.startswith("Сидоров В. В.")
    assert doc.footnotes[0].line == 2
    assert doc.footnotes[1].refers_to == 1


def test_affiliation_numbers_are_not_markers() -> None:
    text = (
        "А. Б. Лосева1, В. Г. Миронов2\n"
        "1\n"
        "Северный университет\n\n"
        "Исследование показало рост3.\n"
    )
    doc = parse_document(text)
    assert doc.footnotes == ()
    assert [m.number for m in doc.markers] == []


def test_markers_set_off_by_a_space() -> None:
    text = (
        "Конвенция (ВОИС) 1. Закон о знаках. 2 Товарный знак описан в учебнике 3.\n\n"
        "1 Конвенция об охране собственности. 1979.\n"
        "2 Сидоров А. П. Право. М., 2004. С. 29.\n"
        "3 Лосев В. И. Учебник. М., 2007. С. 30.\n"
    )
    doc = parse_document(text)
    assert [f.number for f in doc.footnotes] == [1, 2, 3]
    assert [m.number for m in doc.markers] == [1, 2, 3]


def test_numbering_restarts_inside_a_page_block() -> None:
    # the page's first note continues the previous page's count, then 1 again
    text = (
        "Первая страница с примечанием1 и вторым2.\n"
        "1 Иванов И. И. Очерк. М., 2001.\n"
        "2 Петров П. П. Статья. М., 2002.\n"
        "\fНа второй странице есть ссылка1 и ещё одна2, а продолжение прошлой — выше3.\n"
        "3 Сидоров С. С. Заметки. М., 2003.\n"
        "1 Орлов О. О. Книга о прозе и стиле.\n"
        "2 Там же. С. 5.\n"
    )
    assert _nums(text) == [1, 2, 3, 1, 2]


def test_numbered_headings_and_table_rows_are_not_notes() -> None:
    text = (
        "Работа состоит из глав1.\n\n"
        "1 ТЕОРЕТИЧЕСКИЕ ОСНОВЫ И АНАЛИЗ\n\n"
        "Таблица 2 — Этапы\n\n"
        "1\tСоздание заказа\tАдминистратор\n\n"
        "2\tДиагностика\tМеханик\n\n"
        "1 Смирнов А. А. Учебник. М., 2010.\n"
    )
    doc = parse_document(text)
    assert [(f.number, f.line) for f in doc.footnotes] == [(1, 11)]


def test_marker_glued_to_a_url_file_name() -> None:
    text = (
        "Пост опубликован в блоге: https://blog.example.org/58316.html1.\n\n"
        "1 Сидоров В. В. Заметки. 2020.\n"
    )
    doc = parse_document(text)
    assert [m.number for m in doc.markers] == [1]
    assert [f.number for f in doc.footnotes] == [1]


def test_fold_key_folds_lookalikes_word_by_word() -> None:
    from footcheck.parse.text import fold_key

    # a Latin 'a' inside a Cyrillic name is folded; a Latin word and a long run stay
    assert fold_key("Ивaнов " + "я" * 50 + " Smith") == "иванов " + "я" * 50 + " smith"


def test_join_body_keeps_urls_and_hyphenated_words_together() -> None:
    from footcheck.parse.footnotes import _join_body

    lines = [(1, "1 См. мате-"), (2, "риалы: https://example.org/a/"), (3, "b/c"),
             (4, "d (дата обращения: 01.02.2024).")]
    assert _join_body(lines) == "1 См. материалы: https://example.org/a/b/cd (дата обращения: 01.02.2024)."


def test_confirm_repairs_from_the_copies() -> None:
    from footcheck.model import UrlMention
    from footcheck.parse.footnotes import _confirm

    urls = [UrlMention("https://example.org/a-b", 1, None, False, False),
            UrlMention("https://example.org/long-path-that-was-cut", 1, None, False, False),
            UrlMention("https://other.example.org/x", 1, None, False, False)]
    got = _confirm(urls, ["https://example.org/ab", "https://example.org/long-path-that-was-cut-short/"])
    assert [(u.url, u.confirmed) for u in got] == [
        ("https://example.org/ab", True),
        ("https://example.org/long-path-that-was-cut-short/", True),
        ("https://other.example.org/x", False),
    ]


def test_notes_appended_at_the_end_with_loose_markers() -> None:
    # a document's notes rendered after its text as «N text»; the markers are set off by a
    # space and followed by lower case ("принципа DRY 1 было"), too loose to count alone
    text = (
        "Для соблюдения принципа DRY 1 было решено выделить общую часть.\n\n"
        "Она отвечает за конфигурацию, DI 2, и общие зависимости.\n\n"
        "Модели и репозитории 3 для работы с базой описаны ниже.\n\n"
        "1 Don’t repeat yourself: принцип разработки.\n\n"
        "2 Dependency injection: внедрение зависимостей.\n\n"
        "3 Репозиторий — слой доступа к данным.\n"
    )
    assert _nums(text) == [1, 2, 3]
    # the same paragraphs without the numbers in the text are a plain numbered list
    assert _nums(text.replace(" 1 было", " было").replace(" 2,", ",").replace(" 3 для", " для")) == []


def test_a_note_that_starts_with_a_number() -> None:
    text = "Обзор инструментов приведён в статье1.\n\n1 20 Ways To Aggregate Profiles (http://agg.example.com/20-ways/)\n"
    doc = parse_document(text)
    assert [(f.number, [u.url for u in f.urls]) for f in doc.footnotes] == [(1, ["http://agg.example.com/20-ways/"])]


def test_flattened_page_notes_start_mid_line() -> None:
    # a page flattened to one line: the text, then the page's notes, then the next page
    page = ("Северные архивы собраны в сводном каталоге1, а его электронная версия описана "
            "в обзоре2 и в справке проекта, где приведены сведения о составе фондов и о "
            "порядке доступа к ним для исследователей и краеведов за последние годы и о том, что "
            "материалы ещё не полностью "
            "1 Сидоров В. В. Каталог северных архивов. Архангельск, 2011. С. 5. "
            "2 Обзор архивов. URL: https:// archives.example.org/review/ (дата обращения: 03.02.2024). "
            "описаны и требуют дальнейшей обработки.")
    doc = parse_document(page + "\n")
    assert [f.number for f in doc.footnotes] == [1, 2]
    assert [u.url for u in doc.footnotes[1].urls] == ["https://archives.example.org/review/"]
    assert all(f.line == 1 for f in doc.footnotes)


def test_flattened_page_with_a_glued_first_note() -> None:
    page = ("332 Перевод поэмы, выполненный в 1812 году, опирается на издание рукописи1), "
            "подготовленное в кругу архаистов, и на переводы, которые автор сравнивал между собой "
            "долго и тщательно, отмечая расхождения в чтениях и в толкованиях тёмных мест, которые "
            "затем, по его словам, пере"
            "1 Цензурное разрешение на книгу было выдано 11 марта 1812 года. "
            "2 Сидоров В. В. Архаисты и их переводы. М., 2001. С. 14. "
            "ложил стихами и сверил со списком2.")
    assert _nums(page + "\n") == [1, 2]


def test_number_printed_after_its_note_at_the_page_end() -> None:
    # Word-made PDFs: the note's text, then its number alone, then the page number
    text = (
        "Данные сведены в таблицы, пояснение дано ниже1.\n"
        "Таблица 3\n"
        "11\n"
        "24\n\n"
        "Во второй графе таблиц приведены варианты, в следующих графах доли вариантов.\n"
        "1\n\n"
        "66\n"
        "\fПродолжение текста на следующей странице.\n"
    )
    doc = parse_document(text)
    assert [(f.number, f.line) for f in doc.footnotes] == [(1, 7)]
    assert doc.footnotes[0].text.startswith("Во второй графе")


def test_url_cut_inside_a_percent_escape_is_not_a_new_note() -> None:
    text = ("Довод1 и вывод2.\n\n"
            "1 Сводка. URL: https://data.example.ru/set?q=a%2Fb&r=c%\n"
            "2Fd (дата обращения: 01.02.2024).\n"
            "2 Отчёт. URL: https://data.example.ru/report (дата обращения: 03.02.2024).\n")
    notes = {fn.number: [u.url for u in fn.urls] for fn in parse_document(text).footnotes}
    assert notes == {1: ["https://data.example.ru/set?q=a%2Fb&r=c%2Fd"], 2: ["https://data.example.ru/report"]}
