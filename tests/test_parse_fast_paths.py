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
