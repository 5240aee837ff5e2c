"""URL reconstruction and access-date reading."""

from __future__ import annotations

import datetime as dt

import pytest

from footcheck.parse import parse_document
from footcheck.parse.dates import parse_date
from footcheck.parse.urls import Segment, clean_url, url_mentions


def urls_of(*lines: str):
    seg = Segment.of([(i + 1, t) for i, t in enumerate(lines)])
    return [(u.url, u.access_date.value if u.access_date else None) for u in url_mentions(seg)]


@pytest.mark.parametrize(
    ("lines", "url"),
    [
        (("URL: https://", "www.example.kz/ru/acts/o-koncepcii-na-2020-", "2030-gody (дата обращения: 23.12.2023)."),
         "https://www.example.kz/ru/acts/o-koncepcii-na-2020-2030-gody"),
        (("URL: https://news.example.ru/panorama/17556937?ysclid=ls5x7l1",
          "dn0355386654 (дата обращения: 23.12.2023)."),
         "https://news.example.ru/panorama/17556937?ysclid=ls5x7l1dn0355386654"),
        (("URL: https://www.example.ru/foreign_policy/", "news/1901234/ (дата обращения: 1.2.2024)."),
         "https://www.example.ru/foreign_policy/news/1901234/"),
        (("URL: http://президент.рф/news/123 (дата обращения: 01.02.2024).",), "http://президент.рф/news/123"),
        (("Режим доступа: <http://www.un.org/ru/> (дата обращения: 01.02.2024).",), "http://www.un.org/ru/"),
        (("URL: https://ru.wikipedia.org/wiki/Хартия_(документ) (дата обращения: 01.02.2024).",),
         "https://ru.wikipedia.org/wiki/Хартия_(документ)"),
        (("URL: https://x.example.ru/news/77(дата обращения: 01.03.2024).",), "https://x.example.ru/news/77"),
        (("URL: www.cbr.ru/statistics/ (дата обращения: 01.03.2024).",), "http://www.cbr.ru/statistics/"),
        (("URL: https://example.ru/doc.pdf.",), "https://example.ru/doc.pdf"),
    ],
)
def test_url_reconstruction(lines, url) -> None:
    assert urls_of(*lines)[0][0] == url


def test_url_does_not_swallow_next_line_prose() -> None:
    got = urls_of("Available at: https://example.com/report", "Moscow, 2015.")
    assert got == [("https://example.com/report", None)]


def test_one_date_for_several_urls_and_latest_of_several_dates() -> None:
    got = urls_of("URL: https://a.example.ru/1; URL: https://b.example.ru/2",
                  "(дата обращения: 12.01.2024; 20.01.2024).")
    assert got == [("https://a.example.ru/1", dt.date(2024, 1, 20)), ("https://b.example.ru/2", dt.date(2024, 1, 20))]


def test_date_split_across_lines() -> None:
    assert urls_of("URL: https://a.example.ru/1 (дата обращения: 05.03.", "2024).")[0][1] == dt.date(2024, 3, 5)


@pytest.mark.parametrize(
    ("label_and_date", "value"),
    [
        ("(дата обращения: 23.12.2023)", dt.date(2023, 12, 23)),
        ("(дата обращения 23.12.2023)", dt.date(2023, 12, 23)),
        ("(Дата обращения: 5.3.2024)", dt.date(2024, 3, 5)),
        ("(дата доступа: 23.12.2023)", dt.date(2023, 12, 23)),
        ("(дата посещения: 12.10.2023)", dt.date(2023, 10, 12)),
        ("(дата обращения: 05.03.24)", dt.date(2024, 3, 5)),
        ("(дата обращения: 23 декабря 2023 г.)", dt.date(2023, 12, 23)),
        ("(дата обращения: 2023-12-23)", dt.date(2023, 12, 23)),
        ("(accessed 23 December 2023)", dt.date(2023, 12, 23)),
        ("(accessed: 17.09.2020)", dt.date(2020, 9, 17)),
        ("(accessed March 5, 2024)", dt.date(2024, 3, 5)),
        ("(12.01.2024)", dt.date(2024, 1, 12)),
    ],
)
def test_access_date_variants(label_and_date: str, value: dt.date) -> None:
    assert urls_of(f"URL: https://a.example.ru/x {label_and_date}.")[0][1] == value


def test_decree_date_is_not_an_access_date() -> None:
    assert urls_of("Указ от 12.03.2023 № 229. URL: https://a.example.ru/x.")[0][1] is None


@pytest.mark.parametrize(
    ("raw", "value", "problem"),
    [
        ("31.11.2023", None, "not a real date"),
        ("05.03.24", dt.date(2024, 3, 5), "two-digit year"),
        ("05/03/2024", dt.date(2024, 3, 5), "ambiguous"),
        ("1 мая 2022", dt.date(2022, 5, 1), None),
    ],
)
def test_parse_date(raw, value, problem) -> None:
    got, why = parse_date(raw)
    assert got == value
    assert (problem is None and why is None) or (problem and why and problem in why)


def test_clean_url_strips_sentence_punctuation_only() -> None:
    assert clean_url("https://x.ru/a).") == "https://x.ru/a"
    assert clean_url("https://x.ru/a_(b),") == "https://x.ru/a_(b)"


def test_url_broken_inside_the_host_name() -> None:
    got = urls_of("URL: http://www.consultan", "t.ru/document/cons_doc_LAW_1/ (дата обращения: 01.02.2024).")
    assert got == [("http://www.consultant.ru/document/cons_doc_LAW_1/", dt.date(2024, 2, 1))]


@pytest.mark.parametrize(
    ("text", "url"),
    [
        # a line break flattened to a space, after '.', '/', '-', '_', '=' or the scheme
        ("URL: https://www.rfc-mirror. example.org/rfc/rfc1738.txt (дата обращения: 01.02.2024).",
         "https://www.rfc-mirror.example.org/rfc/rfc1738.txt"),
        ("URL: https://help.example.com/what_is_ two_factor_auth (дата обращения: 01.02.2024).",
         "https://help.example.com/what_is_two_factor_auth"),
        ("URL: http://lib.example.ru/item. asp?id=4512 (дата обращения: 01.02.2024).",
         "http://lib.example.ru/item.asp?id=4512"),
        ("URL: https:// forum.example.net/articles/761 (дата обращения: 01.02.2024).",
         "https://forum.example.net/articles/761"),
        ("URL: https://docs.example.org/resolution- on%20reform.pdf (дата обращения: 01.02.2024).",
         "https://docs.example.org/resolution-on%20reform.pdf"),
        ("URL: https://www.example.org/anthology/W17–4104", "https://www.example.org/anthology/W17-4104"),
    ],
)
def test_url_broken_by_a_space(text, url) -> None:
    assert urls_of(text)[0][0] == url


@pytest.mark.parametrize(
    "text",
    [
        "См. https://example.org/page. Далее в тексте.",
        "См. https://example.org/files/report.pdf. 2014. С. 5.",
        "См. https://example.org/section/ и другие материалы.",
        "Available at: https://example.com/a- Moscow, 2015.",
    ],
)
def test_a_space_after_a_url_ends_it(text) -> None:
    got = urls_of(text)[0][0]
    assert " " not in got and not got.endswith(("Далее", "2014", "и", "Moscow"))


def test_a_marker_glued_to_a_file_name_is_not_part_of_the_url() -> None:
    assert clean_url("https://blog.example.org/58316.html1") == "https://blog.example.org/58316.html"
    assert clean_url("https://blog.example.org/post/58316") == "https://blog.example.org/post/58316"


def test_many_labels_without_dates_in_one_note() -> None:
    from footcheck.parse.dates import access_dates_in

    text = " ".join(["URL: https://e.example.org/ (дата обращения: 01.02.2024); дата обращения: вчера;"] * 50)
    found = access_dates_in(text, lambda offset: 1)
    assert sum(1 for _, _, ms in found if ms[0].value) == 50
    assert sum(1 for _, _, ms in found if ms[0].value is None) == 50


def test_hyphen_dropped_by_pdftotext_inside_a_url_is_restored() -> None:
    from footcheck.parse.urls import restore_dropped_hyphen

    # two physical lines of about 70 characters joined: "...projects/volkov-" + "in-one-step/ ..."
    line = ("участники, исправлявшие ошибки в тексте: http://volkov.example.ru/projects/volkovin-one-step/ "
            "(accessed April 14, 2017). Набором рукописных писем также занимались")
    url = "http://volkov.example.ru/projects/volkovin-one-step/"
    assert restore_dropped_hyphen(url, line, 72, line) == "http://volkov.example.ru/projects/volkov-in-one-step/"
    # a line of ordinary length is no join; a slug without hyphens is left alone
    assert restore_dropped_hyphen(url, line, 150, line) == url
    plain = "http://volkov.example.ru/projects/volkovinonestep/"
    assert restore_dropped_hyphen(plain, line.replace(url, plain), 72, line) == plain


def test_a_reference_url_broken_before_its_last_part_is_joined_not_split_into_an_entry() -> None:
    text = """Литература

Иванов И. И. Ударение и частотность. М.: Наука, 2011. 184 с. URL: https://www.example.net/publication/4517_
Stress_and_frequency_in_speech.
Петров П. П. Очерк говоров. Уппсала, 2000. URL: https://repo.example.org/get/diva2:1607/
FULLTEXT01.pdf
Smith J. Sound patterns. London, 2003. URL: https://www.example.org/books/
Brown A. Word stress. Oxford, 2005.
Сидоров С. С. Сборник статей. М., 2001.
"""
    refs = parse_document(text).references
    assert [[u.url for u in r.urls] for r in refs] == [
        ["https://www.example.net/publication/4517_Stress_and_frequency_in_speech"],
        ["https://repo.example.org/get/diva2:1607/FULLTEXT01.pdf"],
        ["https://www.example.org/books/"],  # "Brown" may start an entry: it does
        [],
        [],
    ]


def test_a_numbered_entry_after_a_url_ending_in_a_slash_stays_an_entry() -> None:
    text = """Список литературы

1. Иванов И. И. Книга. М., 2010. URL: http://www.example.ru/books/
2. Петров П. П. Статья. СПб., 2012. URL: http://www.example.ru/papers/12.pdf
"""
    refs = parse_document(text).references
    assert [r.number for r in refs] == [1, 2]


def test_a_break_inside_the_host_of_a_url_inside_an_archive_url_is_joined() -> None:
    text = """Литература

Иванов И. И. Тематическое моделирование. 2013. URL: http://web.archive.org/web/20220331215147/http://journalofexam
ple.org/2–1/topic–modeling/
Петров П. П. Очерк. М., 2015.
"""
    refs = parse_document(text).references
    assert [[u.url for u in r.urls] for r in refs] == [
        ["http://web.archive.org/web/20220331215147/http://journalofexample.org/2-1/topic-modeling/"], []]
