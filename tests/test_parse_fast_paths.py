"""The parser's fast paths give what the plain code they replace gives.

Hot regex searches run as lower-case twins over lower-cased text, and the URL blanking
before the marker search finds its URLs with ``str.find``; these properties check the
matches are the same as the IGNORECASE pattern's, characters that fold apart included."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from footcheck.parse import dates, footnotes, urls
from footcheck.parse.text import finditer_ci, lower_pattern, lowered_for_search

PIECES = st.sampled_from([
    "http", "HTTPS", "https", "://", "www.", "WWW.", "wWw.", "w.", "ftp://", "URL: ", "Url:", "Режим доступа: ",
    "Available at: ", "example.ru/", "ПРИМЕР.РФ/", "a-b.com/x", "(дата обращения: ", "Дата ОБРАЩЕНИЯ: ",
    "accessed ", "ACCESSED on ", "Retrieved ", "viewed ", "05.06.2022", "5 Июня 2022 г.", "June 5, 2022",
    "12 DEC 2021", "2022-06-05", ")", ";", " ", "\n", "-\n", ".html1", "ſ", "İ", "ı", "ᲀ", "K", "ẛ", "é",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=6)), max_size=40).map("".join)


def _spans(matches: object) -> list[tuple[tuple[int, int], ...]]:
    return [tuple(m.span(g) for g in range(m.re.groups + 1)) for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_lower_case_twins_match_where_the_ignorecase_patterns_do(text: str) -> None:
    for pattern in (dates.ACCESS_RE, urls.URL_START, urls.LABELLED_BARE, dates.ACCESS_LABEL_RE):
        assert _spans(finditer_ci(pattern, lower_pattern(pattern), text)) == _spans(pattern.finditer(text))
        low = lowered_for_search(text)
        if low is not None:
            assert len(low) == len(text)


@settings(max_examples=400, deadline=None)
@given(TEXT)
def test_urls_are_blanked_as_by_the_plain_substitution(text: str) -> None:
    assert footnotes._blank_urls(text) == footnotes._URLISH.sub(footnotes._blank_url, text)


def test_lower_pattern_keeps_escapes_and_group_names() -> None:
    twin = lower_pattern(re.compile(r"(?P<Label>URL)\S+\u0130(?P=Label)", re.IGNORECASE))
    assert twin.pattern == r"(?P<Label>url)\S+\u0130(?P=Label)"
    assert not twin.flags & re.IGNORECASE


LINE = st.lists(st.one_of(PIECES, st.sampled_from(["%", "%2", "%2F", "/", "-", "_", "?", "=", "#", ":", " : ",
                                                    "Режим  доступа :", "Available from:", "a.b"])),
                max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(LINE)
def test_open_url_tests_agree_with_the_patterns(line: str) -> None:
    assert footnotes._url_open_at_end(line) == bool(footnotes._URL_OPEN_AT_END.search(line))
    assert footnotes._cut_in_escape(line) == bool(footnotes._URL_CUT_IN_ESCAPE.search(line))


def _source_date_plain(text: str, line: int) -> object:
    """source_date_in as it read before the lower-case twins."""
    for pattern in dates.SOURCE_DATE_RES:
        m = pattern.search(text)
        if not m:
            continue
        if "year" in m.groupdict() and m.group("year"):
            month = dates.month_number(m["month"])
            value, problem = dates._make(int(m["year"]), month or 0, int(m["day"]), None)
        else:
            value, problem = dates.parse_date(m["date"])
        return dates.DateMention(dates.fold_raw(m.group(0)), line, value, "source", problem)
    return None


NOTE = st.lists(st.one_of(PIECES, st.sampled_from([
    "2022. 6 ИЮЛЯ.", "2021 . 12 Марта", "от 6 марта 2020 г.", "6 МАРТА 2020 г.", "Дата публикации: 01.02.2020",
    "ДАТА РАЗМЕЩЕНИЯ 3 мая 2019", "2020. 5 June", "1", "19", "2020", ". ", "от ",
])), max_size=14).map("".join)


@settings(max_examples=400, deadline=None)
@given(NOTE)
def test_source_dates_and_blanking_agree_with_the_plain_searches(text: str) -> None:
    from footcheck.parse.text import sub_ci

    assert dates.source_date_in(text, 7) == _source_date_plain(text, 7)
    assert sub_ci(dates.ACCESS_RE, dates.ACCESS_LOWER, " ", text) == dates.ACCESS_RE.sub(" ", text)
    assert footnotes._before_url(text, lowered_for_search(text)) == footnotes._before_url(text)


def _twin_join_plain(texts: list[str]) -> str:
    """parse.twin._join as it read before it was made linear."""
    from footcheck.parse.text import fold_ws

    out = ""
    for t in (x.strip() for x in texts):
        glued = bool(re.search(r"[a-z]-$", out)) and t[:1].islower()
        out = out[:-1] + t if glued else (f"{out} {t}" if out else t)
    return fold_ws(out)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab-Z Щщ", max_size=5), max_size=8))
def test_twin_entry_join_agrees_with_the_plain_one(texts: list[str]) -> None:
    from footcheck.parse import twin
    from footcheck.parse.text import Line

    lines = [Line(k + 1, t, 0, False) for k, t in enumerate(texts)]
    assert twin._join(lines, list(range(len(lines)))) == _twin_join_plain(texts)


@settings(max_examples=400, deadline=None)
@given(LINE)
def test_ends_in_url_agrees_with_the_anchored_search(line: str) -> None:
    assert urls.ends_in_url(line) == bool(re.search(r"(?:https?://|www\.)\S*$", line))


def test_glued_url_starts_in_a_reference_list_are_read_in_linear_time() -> None:
    import time

    from footcheck.parse import parse_document

    # a broken text layer: one token of URL starts glued together, then a word; the entry
    # has no year, so whether it ends at the line asks whether the line ends in a URL (the
    # old anchored search read the token once per "http"); it does not: the next line
    # goes on with it
    glued = "Лапин Г. Д. Записки. " + "http://" * 30_000 + " с."
    text = "\n".join(["Список литературы", "", "Сомов П. Р. Порты края. М.: Прибой, 2011. 240 с.", glued,
                      "Орлов В. В. Гавани. М.: Наука, 2012. 80 с."])
    t0 = time.process_time()
    doc = parse_document(text)
    assert time.process_time() - t0 < 2
    assert [r.text[:5] for r in doc.references] == ["Сомов", "Лапин"]
