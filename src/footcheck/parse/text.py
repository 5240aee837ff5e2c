"""Text helpers shared by the parsers: line preparation and matching keys.

Preparation never changes the number of lines: every parsed item keeps the line
number it has in the original file.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator, Mapping
from typing import NamedTuple

# Spaces PDF extraction leaves in numbers and names ("15 000", "А. Б.").
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2007\u2009\u202f\u2002\u2003\u2004\u2005\u2006\t"), " ")
# Invisible characters that break URLs and words apart.
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff"), None)
_TABLE = {**_SPACES, **_INVISIBLE}


class Line(NamedTuple):
    """One line of the text. A named tuple rather than a frozen dataclass: a monograph has
    hundreds of thousands of lines, and a frozen dataclass's ``__init__`` (one
    ``object.__setattr__`` per field) cost about 5 % of the whole parse."""

    number: int  # 1-based, as in the file
    text: str  # normalised content, form feeds removed, right-stripped
    page: int  # count of form feeds before the end of this line
    indented: bool  # began with white space: in pdftotext output, often a page's first line
    tabbed: bool = False  # a tab stood inside the line: the cells of a table row

    @property
    def blank(self) -> bool:
        return not self.text or self.text.isspace()  # as "not text.strip()", without a copy


def prepare_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    page = 0
    # table rows keep their cells apart with tabs, which the spaces table turns to spaces
    tabbed = _tabbed_lines(text) if "\t" in text else frozenset()
    # one pass over the whole text: the table maps characters one to one (or drops them)
    # and never touches '\n', so line numbers are unchanged
    for number, raw in enumerate(_translate(text, _TABLE).split("\n"), start=1):
        if "\f" in raw:
            page += raw.count("\f")
            raw = raw.replace("\f", "")
        clean = raw.rstrip()
        lines.append(Line(number, clean, page, clean[:1] == " ", number in tabbed))
    return lines


def _tabbed_lines(text: str) -> frozenset[int]:
    return frozenset(
        number for number, raw in enumerate(text.split("\n"), start=1) if "\t" in raw.strip(" \t\r\f")
    )


def _translate(text: str, table: Mapping[int, str | int | None]) -> str:
    """str.translate with a dict costs a lookup per character; replacing only the few
    characters present is an order of magnitude faster on a large, mostly clean text."""
    for code, replacement in table.items():
        ch = chr(code)
        if ch in text:
            if isinstance(replacement, int):
                replacement = chr(replacement)
            text = text.replace(ch, replacement or "")
    return text


def fold_ws(text: str) -> str:
    return " ".join(text.split())


# Latin letters that look like Cyrillic ones; folded to Cyrillic in matching keys.
_LATIN_TO_CYRILLIC = str.maketrans("aceopxyABCEHKMOPTXy", "асеорхуАВСЕНКМОРТХу")
_DASHES = str.maketrans("‐‑‒–—―−", "-------")


def fold_key(text: str) -> str:
    """A matching key: NFKC, lower case, ё->е, dashes unified, Latin look-alikes
    folded to Cyrillic inside words that are mostly Cyrillic."""
    text = _translate(unicodedata.normalize("NFKC", text), _DASHES).lower().replace("ё", "е")
    if not _LATIN.search(text):
        return text
    if not _SCRIPTS_TOUCH.search(text):
        # no word mixes the scripts: only a lone Latin letter ("2019a") may need folding
        return _LONE_LATIN.sub(lambda m: m.group(0).translate(_LATIN_TO_CYRILLIC), text)
    return _WORD.sub(_fold_word, text)


# only words holding a Latin letter can need folding; most Russian text has none
_LATIN = re.compile(r"[a-z]")
_SCRIPTS_TOUCH = re.compile(r"[a-z][а-я]|[а-я][a-z]")
_LONE_LATIN = re.compile(r"(?<![^\W\d_])[a-z](?![^\W\d_])")
# every word, then a look for a Latin letter inside it: a pattern that demands the Latin
# letter itself ("[^\W\d_]*[a-z]...") backtracks over each long Cyrillic run, quadratically
_WORD = re.compile(r"[^\W\d_]+")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def _fold_word(match: re.Match[str]) -> str:
    word = match.group(0)
    if not _LATIN.search(word):
        return word
    cyr = len(_CYRILLIC.findall(word))
    if cyr and cyr * 2 >= len(word):
        return word.translate(_LATIN_TO_CYRILLIC)
    if cyr == 0 and len(word) == 1:
        # a lone Latin letter as a year suffix ("2019a") means the same as Cyrillic
        return word.translate(_LATIN_TO_CYRILLIC)
    return word


# Characters that a case-insensitive pattern equates with a letter of another case but
# that str.lower() leaves apart ("ſ" ~ "s", "ı" ~ "i", the Cyrillic rounded forms), or that
# lower() turns into two characters ("İ"): where one stands, only the IGNORECASE pattern
# gives the same matches.
_FOLDS_APART = re.compile("[\u0130\u0131\u017f\u1c80-\u1c88\u1e9b]")


def lower_pattern(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The case-sensitive twin of an IGNORECASE ``pattern``, for lower-cased text: its
    letters lower-cased, except in escapes (``\\S``, ``\\u0130``) and group names."""
    source = _PATTERN_TOKEN.sub(lambda m: m.group(0) if m.group(0)[:1] in "(\\" else m.group(0).lower(),
                                pattern.pattern)
    return re.compile(source, pattern.flags & ~re.IGNORECASE)


_PATTERN_TOKEN = re.compile(r"\(\?P<[^>]*>|\(\?P=[^)]*\)|\\.|[^\\(]+|\(")


def lowered_for_search(text: str) -> str | None:
    """``text.lower()``, to search with a :func:`lower_pattern` twin instead of an
    IGNORECASE pattern: the regex engine compares a case-insensitive pattern letter by
    letter through a case table and skips nothing ahead (two to seven times slower on
    footnotes). The offsets are the same, so read matched text from ``text`` by the
    match's spans. None when a character of ``text`` folds apart (see _FOLDS_APART):
    search ``text`` with the IGNORECASE pattern then."""
    return None if _FOLDS_APART.search(text) else text.lower()


def finditer_ci(
    pattern: re.Pattern[str], lowered: re.Pattern[str], text: str, low: str | None = None
) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for an IGNORECASE ``pattern``, run as its twin
    ``lowered`` over the lower-cased text (``low``, when the caller has it) where that
    gives the same matches (see :func:`lowered_for_search`)."""
    if _FOLDS_APART.search(text):
        return pattern.finditer(text)
    return lowered.finditer(text.lower() if low is None else low)


def sub_ci(pattern: re.Pattern[str], lowered: re.Pattern[str], repl: str, text: str, low: str | None = None) -> str:
    """``pattern.sub(repl, text)`` for a plain replacement string, the matches found as
    by :func:`finditer_ci`."""
    parts: list[str] = []
    last = 0
    for m in finditer_ci(pattern, lowered, text, low):
        parts.append(text[last : m.start()])
        parts.append(repl)
        last = m.end()
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)
