"""Each static rule fires on an invented example, and stays quiet on a clean one."""

from __future__ import annotations

import datetime as dt

import pytest

from footcheck.parse import parse_document
from footcheck.rules import RuleContext, run_static_rules

TODAY = dt.date(2026, 1, 1)


def codes(text: str, **ctx) -> list[str]:
    doc = parse_document(text)
    return [f.code for f in run_static_rules(doc, RuleContext(today=TODAY, **ctx))]


CLEAN = (
    "Рост отмечен в докладе1, а затем в обзоре2.\n\n"
    "1 Доклад о росте. 2023. 5 мая. URL: https://example.ru/report (дата обращения: 10.05.2023).\n"
    "2 Обзор рынка. URL: https://example.ru/review (дата обращения: 11.05.2023).\n"
)


def test_clean_paper_has_no_findings() -> None:
    assert codes(CLEAN) == []


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Первое1, второе2 и третье3.\n\n1 Книга. М., 2001.\n2 Книга. М., 2002.\n", "FC101"),
        ("Первое1 и второе.\n\n1 Книга. М., 2001.\n2 Книга. М., 2002.\n", "FC102"),
        ("Первое1, второе2, четвёртое4.\n\n1 Книга. М., 2001.\n2 Книга. М., 2002.\n4 Книга. М., 2004.\n", "FC103"),
        ("Первое1, второе2.\n\n1 Книга. М., 2001.\n2 Книга. М., 2002.\n2 Книга. М., 2003.\n", "FC104"),
        ("Первое1, третье3, второе2.\n\n1 Книга. М., 2001.\n2 Книга. М., 2002.\n3 Книга. М., 2003.\n", "FC105"),
        ("Первое1.\n\n1 Там же. С. 3.\n", "FC106"),
        ("Текст1.\n\n1 Доклад. URL: https://example.ru/a.\n", "FC201"),
        ("Текст1.\n\n1 Доклад. URL: https://example.ru/a?utm_source=x (дата обращения: 01.02.2024).\n", "FC202"),
        ("Раз1, два2.\n\n1 А. URL: https://example.ru/a (дата обращения: 01.02.2024).\n"
         "2 Б. URL: https://example.ru/a (дата обращения: 01.02.2024).\n", "FC203"),
        ("Текст1.\n\n1 Доклад. URL: www.example.ru/a (дата обращения: 01.02.2024).\n", "FC204"),
        ("Текст1.\n\n1 Доклад. URL: https://example.ru/… (дата обращения: 01.02.2024).\n", "FC205"),
        ("Текст1.\n\n1 Доклад. URL: https://tаss.ru/a (дата обращения: 01.02.2024).\n", "FC206"),
        ("Текст1.\n\n1 Доклад. URL: https://example.ru/a (дата обращения: 01.02.2032).\n", "FC301"),
        ("Текст1.\n\n1 Новость. 2023. 28 сентября. URL: https://example.ru/a (дата обращения: 25.09.2023).\n",
         "FC302"),
        ("Текст1.\n\n1 Доклад. URL: https://example.ru/a (дата обращения: 31.11.2023).\n", "FC303"),
        ("Текст1.\n\n1 Доклад. URL: https://example.ru/a (дата обращения: 05.03.24).\n", "FC304"),
        ("Текст1.\n\n1 Доклад. (дата обращения: 05.03.2024).\n", "FC307"),
        ("Как писал [Иванов 2010].\n", "FC401"),
        ("Как писал [Иванов 2010].\n\nЛитература\n\nПетров П. П. Книга. М., 2011.\n", "FC402"),
        ("Как писал [Петров 2011].\n\nЛитература\n\nПетров П. П. Книга. М., 2011.\n"
         "Сидоров С. С. Другая книга. М., 2012.\n", "FC403"),
        ("Начнём [Там же: 5].\n", "FC404"),
    ],
)
def test_rule_fires(text: str, code: str) -> None:
    assert code in codes(text)


def test_dates_against_submission_and_age() -> None:
    text = "Текст1.\n\n1 Доклад. URL: https://example.ru/a (дата обращения: 05.03.2015).\n"
    assert "FC305" in codes(text, max_age_years=5)
    assert "FC305" not in codes(text)
    assert "FC306" in codes(text, submitted=dt.date(2014, 1, 1))
    assert "FC306" not in codes(text, submitted=dt.date(2016, 1, 1))


def test_no_reference_list_is_said_once() -> None:
    text = "А [Иванов 2010], Б [Петров 2011], В [Сидоров 2012].\n"
    assert codes(text).count("FC401") == 1


def test_tracking_suggestion_is_the_clean_url() -> None:
    doc = parse_document("Текст1.\n\n1 Д. URL: https://example.ru/a?id=7&ysclid=abc (дата обращения: 01.02.2024).\n")
    (f,) = [f for f in run_static_rules(doc, RuleContext(today=TODAY)) if f.code == "FC202"]
    assert f.suggestion == "https://example.ru/a?id=7" and f.footnote == 1 and f.line == 3


def test_quotations_in_findings_are_cut_at_a_word_boundary() -> None:
    from footcheck.excerpt import excerpt

    entry = "Лавренова Е.А. Энергетический диалог России и стран Южной Азии // Вестник. 2020. № 3."
    short = excerpt(entry, 60)
    assert short == "Лавренова Е.А. Энергетический диалог России и стран Южной…"
    assert len(short) <= 60
    assert excerpt("короткая\n   запись", 60) == "короткая запись"
    # one long word: no boundary worth keeping, so the word itself is cut
    assert excerpt("х" * 100, 20) == "х" * 19 + "…"


def test_the_catalog_names_every_rule_module_of_the_package() -> None:
    # the rule modules are listed by name (start-up: no folder listing); a new module
    # that declares rules must be added to the list, or its rules would never run
    import pkgutil

    import footcheck.rules
    from footcheck.rules import catalog

    files = sorted(m.name for m in pkgutil.iter_modules(footcheck.rules.__path__))
    assert list(catalog.RULE_MODULES) == sorted(catalog.RULE_MODULES)
    assert sorted({*catalog.RULE_MODULES, "catalog", "context", "interface", "selection"}) == files
