"""Access dates and source dates as printed in Russian and English references.

The grammar is small and closed (DD.MM.YYYY, two-digit years, "23 декабря 2023 г.",
ISO, "23 December 2023", "December 23, 2023", day-first slashes), so it is written out
here instead of pulling in dateparser: that library costs about half a second of import
time, guesses where we must not (a decree's "от 6 марта 2020 г." is not an access date),
and cannot tell us *which* label introduced the date.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable

from footcheck.model import DateMention
from footcheck.parse.text import finditer_ci, lower_pattern, lowered_for_search

RU_MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
EN_MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip

_RU_MONTH = (
    r"(?:январ[яь]|феврал[яь]|марта?|апрел[яь]|ма[яй]|июн[яь]|июл[яь]|августа?|"
    r"сентябр[яь]|октябр[яь]|ноябр[яь]|декабр[яь])"
)
_EN_MONTH = (
    r"(?:Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|"
    r"Sep(?:t(?:ember)?)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\.?"
)

RU_MONTH_RE = _RU_MONTH
EN_MONTH_RE = _EN_MONTH

# One date in any accepted dress. Whitespace inside is \s* so that a date broken
# across lines ("05.03.\n2024") still reads.
DATE = (
    r"(?:\d{1,2}\s*\.\s*\d{1,2}\s*\.\s*\d{2,4}(?!\d)"
    r"|\d{4}-\d{2}-\d{2}"
    r"|\d{1,2}/\d{1,2}/\d{4}"
    rf"|\d{{1,2}}\s+{_RU_MONTH}\s+\d{{4}}(?:\s*г(?:\.|ода)?)?"
    rf"|\d{{1,2}}\s+{_EN_MONTH}\s+\d{{4}}"
    rf"|{_EN_MONTH}\s+\d{{1,2}},?\s+\d{{4}})"
)

ACCESS_LABEL = (
    r"(?:дата\s+обращени[яе]|дата\s+доступа|дата\s+посещени[яе]|дата\s+просмотра|"
    r"accessed(?:\s+date|\s+on)?|access\s+date|date\s+accessed|retrieved(?:\s+on)?|"
    r"last\s+accessed|viewed)"
)

# words every access label contains: a text without them has no access date to find
_LABEL_WORDS = ("дата", "access", "retriev", "viewed")
# "(дата обращения: 23.12.2023)", "(accessed 23 December 2023)", "(дата обращения: 1.1.24; 3.1.24)"
ACCESS_RE = re.compile(
    rf"(?P<label>{ACCESS_LABEL})\s*[:.\-–]?\s*(?P<dates>{DATE}(?:\s*[;,]\s*{DATE})*)\s*\)?",
    re.IGNORECASE,
)
ACCESS_LOWER = lower_pattern(ACCESS_RE)  # its twin for lower-cased text (parse.text.lower_pattern)
# A label with something that is not a date after it: malformed ("дата обращения: 31.13.2023"
# is caught by the value check; this catches "дата обращения: вчера", "(дата обращения: )").
ACCESS_LABEL_RE = re.compile(rf"(?P<label>{ACCESS_LABEL})\s*[:.]?\s*(?P<rest>[^)\n]{{0,30}})",
                             re.IGNORECASE)
# "<url> (12.01.2024)": a bare date in brackets straight after a URL.
BARE_DATE_RE = re.compile(rf"\s*\(\s*(?P<dates>{DATE})\s*\)")
DATE_RE = re.compile(DATE, re.IGNORECASE)

# The source's own date: "2022. 6 июля." (journal style), "6 июля 2022 г.", "Дата публикации: ...".
SOURCE_DATE_RES = (
    re.compile(rf"(?<!\d)(?P<year>\d{{4}})\s*\.\s*(?P<day>\d{{1,2}})\s+(?P<month>{_RU_MONTH})(?![а-я])",
               re.IGNORECASE),
    re.compile(rf"(?<!\d)(?P<year>\d{{4}})\s*\.\s*(?P<day>\d{{1,2}})\s+(?P<month>{_EN_MONTH})(?![a-z])"),
    re.compile(rf"(?:дата\s+(?:публикации|размещения|создания|обновления)\s*:?\s*)(?P<date>{DATE})",
               re.IGNORECASE),
    re.compile(rf"(?<![\w.])(?<!от\s)(?P<date>\d{{1,2}}\s+{_RU_MONTH}\s+\d{{4}})(?:\s*г\.?)?",
               re.IGNORECASE),
)


# the case-insensitive ones with their lower-case twins (searched faster, same matches)
_SOURCE_DATE_TWINS = tuple((p, lower_pattern(p) if p.flags & re.IGNORECASE else None) for p in SOURCE_DATE_RES)


def parse_date(raw: str) -> tuple[dt.date | None, str | None]:
    """Read one date; returns (value, problem). A problem with a value is a style note
    ("two-digit year"); a problem without one means the date is not real."""
    s = " ".join(raw.split())
    m = re.fullmatch(r"(\d{1,2})\s*\.\s*(\d{1,2})\s*\.\s*(\d{2,4})", s)
    if m:
        day, month, year_s = int(m[1]), int(m[2]), m[3]
        problem = None
        if len(year_s) == 2:
            year = 2000 + int(year_s) if int(year_s) < 70 else 1900 + int(year_s)
            problem = "two-digit year"
        elif len(year_s) == 3:
            return None, f"year '{year_s}' has three digits"
        else:
            year = int(year_s)
        return _make(year, month, day, problem)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", s)
    if m:
        return _make(int(m[1]), int(m[2]), int(m[3]), None)
    m = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", s)
    if m:
        a, b = int(m[1]), int(m[2])
        problem = "ambiguous day/month order" if a <= 12 and b <= 12 and a != b else None
        return _make(int(m[3]), b, a, problem)  # Russian text: day first
    m = re.fullmatch(r"(\d{1,2})\s+([^\W\d]+)\.?\s+(\d{4})(?:\s*г(?:\.|ода)?)?", s, re.IGNORECASE)
    if m:
        named = month_number(m[2])
        if named:
            return _make(int(m[3]), named, int(m[1]), None)
    m = re.fullmatch(r"([^\W\d]+)\.?\s+(\d{1,2}),?\s+(\d{4})", s, re.IGNORECASE)
    if m:
        named = month_number(m[1])
        if named:
            return _make(int(m[3]), named, int(m[2]), None)
    return None, f"cannot read '{s}' as a date"


def month_number(word: str) -> int | None:
    w = word.lower().rstrip(".")
    if re.fullmatch(r"[a-z]+", w):
        return EN_MONTHS.get(w[:3])
    for stem, number in RU_MONTHS.items():
        if w.startswith(stem) and (stem != "ма" or w in ("мая", "май")):
            return number
    return None


def _make(year: int, month: int, day: int, problem: str | None) -> tuple[dt.date | None, str | None]:
    try:
        return dt.date(year, month, day), problem
    except ValueError:
        return None, f"{day:02d}.{month:02d}.{year} is not a real date"


def access_dates_in(text: str, line_of: object, offset: int = 0) -> list[tuple[int, int, list[DateMention]]]:
    """Every access-date group in ``text``: (start, end, mentions). ``line_of`` maps an
    offset in ``text`` (plus ``offset``) to a file line number."""
    found: list[tuple[int, int, list[DateMention]]] = []
    low = text.lower()
    if not any(word in low for word in _LABEL_WORDS):
        return found
    joined, back = _unhyphenate(text)
    for m in finditer_ci(ACCESS_RE, ACCESS_LOWER, joined, low if joined is text else None):
        line = line_of(offset + back(m.start("dates")))  # type: ignore[operator]
        label = " ".join(m["label"].split())  # lower-cased already (or lower-cased below)
        if m.re is ACCESS_RE:
            label = label.lower()
        mentions = []
        for dm in DATE_RE.finditer(joined, *m.span("dates")):
            value, problem = parse_date(dm.group(0))
            mentions.append(DateMention(fold_raw(dm.group(0)), line, value, label, problem))
        found.append((back(m.start()), back(m.end()), mentions))
    if len(found) >= sum(low.count(word) for word in _LABEL_WORDS):
        return found  # every label word was read with its date: no malformed label left
    covered = [(s, e) for s, e, _ in found]  # in text order, not overlapping
    k = 0
    for m in ACCESS_LABEL_RE.finditer(joined):
        at = back(m.start())
        while k < len(covered) and covered[k][1] <= at:
            k += 1  # labels come in text order too: one pointer walks the dated groups
        if k < len(covered) and covered[k][0] <= at:
            continue
        line = line_of(offset + back(m.start()))  # type: ignore[operator]
        rest = m["rest"].strip()
        mention = DateMention(rest, line, None, " ".join(m["label"].lower().split()),
                              f"no readable date after '{m['label']}'")
        found.append((back(m.start()), back(m.end()), [mention]))
    found.sort(key=lambda f: f[0])
    return found


_WORD_BREAK = re.compile(r"(?<=[а-яё])-\n\s*(?=[а-яё])")


def _unhyphenate(text: str) -> tuple[str, Callable[[int], int]]:
    """Join words hyphenated at a line end ("обра-\nщения"); returns the text and a map
    from its offsets back to the original's."""
    if "-\n" not in text:
        return text, lambda i: i
    pieces: list[str] = []
    starts: list[tuple[int, int]] = []  # (offset in new text, offset in old text)
    last = 0
    new_len = 0
    for m in _WORD_BREAK.finditer(text):
        pieces.append(text[last : m.start()])
        new_len += m.start() - last
        last = m.end()
        starts.append((new_len, last))
    pieces.append(text[last:])
    keys = [0] + [n for n, _ in starts]
    olds = [0] + [o for _, o in starts]

    def back(i: int) -> int:
        k = bisect.bisect_right(keys, i) - 1
        return olds[k] + (i - keys[k])

    return "".join(pieces), back


def source_date_in(text: str, line: int) -> DateMention | None:
    low = lowered_for_search(text)
    for pattern, twin in _SOURCE_DATE_TWINS:
        m = pattern.search(text) if low is None or twin is None else twin.search(low)
        if not m:
            continue
        if m.re is twin:
            m = pattern.match(text, m.start())  # the same match, read from the text itself
            assert m is not None
        if "year" in m.groupdict() and m.group("year"):
            month = month_number(m["month"])
            value, problem = _make(int(m["year"]), month or 0, int(m["day"]), None)
        else:
            value, problem = parse_date(m["date"])
        return DateMention(fold_raw(m.group(0)), line, value, "source", problem)
    return None


def fold_raw(text: str) -> str:
    return " ".join(text.split())
