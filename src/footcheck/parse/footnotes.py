"""Numbered footnotes: markers flattened into the body text and bodies at page bottoms.

Plain text from a PDF has lost the superscripts, so ``страны1.`` is a word and a
marker, and ``4 Токаев ...`` at a page bottom is a footnote body. Numbers of every other
kind (years, ``№ 280``, ``2020–2030``, decimals, list items, page numbers) look alike.
The decision is made by the *running sequence*: a body is accepted when its number is
the one expected next and a marker for it stands earlier in the text (or it sits in a
block of bodies), and a marker is accepted when its number continues the marker
sequence or a body with that number exists.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from footcheck.model import Footnote, Marker, UrlMention
from footcheck.parse.dates import (
    ACCESS_LOWER,
    ACCESS_RE,
    EN_MONTH_RE,
    RU_MONTH_RE,
    access_dates_in,
    source_date_in,
)
from footcheck.parse.text import Line, fold_key, fold_ws, lower_pattern, lowered_for_search, sub_ci
from footcheck.parse.urls import (
    Segment,
    comparable,
    ends_in_url,
    is_standalone_url,
    restore_dropped_hyphen,
    url_mentions,
)

_SUPERSCRIPT = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_CHARS = "⁰¹²³⁴⁵⁶⁷⁸⁹"

BODY_START = re.compile(
    rf"^\s*(?:(?P<num>\d{{1,4}})|(?P<sup>[{_SUP_CHARS}]{{1,4}}))(?:\s+|(?=[А-ЯЁA-Z][а-яёa-z]|[«\"„(]))(?P<rest>\S.*)$"
)
# "1 ТЕОРЕТИЧЕСКИЕ ОСНОВЫ АНАЛИЗА": a numbered heading, not a note
_CAPS_HEADING = re.compile(r"^[А-ЯЁA-Z]{2,}(?:[ ,:–—-]+[А-ЯЁA-Z]+){2,}(?![а-яёa-z.])")
_BODY_REST_OK = re.compile(
    r"^(?:[А-ЯЁA-Z«\"„“(\[]|см\.|ср\.|цит\.|там\s+же|ibid|url|подробнее|об\s|о\s|в\s|по\s)",
    re.IGNORECASE,
)
_BODY_REST_UPPER = re.compile(r"^[А-ЯЁA-Z«\"„“(\[]")
_BODY_REST_LOWER_OK = re.compile(r"^(?:см\.|ср\.|цит\.|там\s+же|подробнее)", re.IGNORECASE)
_BIBLIOGRAPHIC = re.compile(
    r"(?:URL|https?://|www\.|\b(?:1[89]|20)\d\d\b|Там\s+же|Ibid|\bС\.\s*\d|\bP\.\s*\d|//|См\.|"
    r"Указ\.\s*соч|Op\.\s*cit)",
    re.IGNORECASE,
)
_MARKER = re.compile(
    r"(?:(?<=[^\W\d_])|(?<=[»\")\].%!?…’”]))(?P<num>\d{1,4}(?:,\s?\d{1,4})*)(?=[\s.,;:!?»)\]—–]|$)"
)
# A superscript that PDF extraction set off by a space: "(ВОИС) 1.", "знака. 2 Товарный",
# "публикации 2 ,", "модели rutermextract 1" at a line end. Weak: accepted only in sequence.
_SPACED_MARKER = re.compile(
    r" (?P<num>[1-9]\d?)(?=[ ]?[.,;:)](?!\d)|[ ]+[А-ЯЁA-Z]|[ ]*$)",
    re.MULTILINE,
)
_SPACED_AFTER = frozenset("»\")].!?…’”")
_NUMBERED_WORDS = frozenset(re.findall(r"\S+", """
    с стр т тт ст п пп гл рис табл вып ч кн no p pp vol s раздел разделе разделы глава главе главы
    таблица таблице таблицы рисунок рисунке рисунки пункт пункте статья статье статьи часть части
    том томе тома кадр приложение приложении схема схеме пример примере примеры шаг этап уровень
    вариант варианта варианты класс классе группа группе номер
"""))
_GLUED_YEAR = re.compile(r"(?<!\d)(?:1[89]\d\d|20\d\d)(?P<num>\d{1,2})(?=[.,;:!?»)]|\s|$)")
_MONTH_YEAR = re.compile(rf"(?:{EN_MONTH_RE}|{RU_MONTH_RE})\s+\d{{4}}", re.IGNORECASE)
_DIGIT_RUN = re.compile(r"\d+")
_MARKER_AFTER = frozenset("»\")].%!?…’”")
_ANY_DIGIT = re.compile(rf"[0-9{_SUP_CHARS}]")
_HAS_SUPERSCRIPT = re.compile(rf"[{_SUP_CHARS}]")
_WORD_BEFORE = re.compile(r"[^\W\d_]+$")
_SUP_MARKER = re.compile(rf"[{_SUP_CHARS}]+")
_UNITS = re.compile(r"(?:км|м|см|мм|дм|кв|куб|га|km|cm|mm|m)$", re.IGNORECASE)
_URLISH = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)
_REPEAT = re.compile(
    r"^\s*(?:там\s*[-‐]?\s*же|ibid\b|ibidem\b)|указ\.\s*соч|цит\.\s*соч|op\.\s*cit|loc\.\s*cit",
    re.IGNORECASE,
)
_IBID_START = re.compile(r"^\s*(?:там\s*[-‐]?\s*же|ibid\b|ibidem\b)", re.IGNORECASE)
_SEPARATOR = re.compile(r"^\s*[_\-—–=*]{5,}\s*$")


@dataclass(slots=True)
class _Candidate:
    """A line that may start the body of a footnote."""

    number: int
    index: int  # index into the line list
    rest: str
    certain: bool = False  # a Unicode superscript
    col: int = 0  # where the body's text starts in the line
    kind: str = "start"  # "start", "lower" (text starts lower case), "lone" (number alone), "glued"


@dataclass(slots=True)
class _Body:
    """The lines read as the body of one footnote."""

    number: int
    start: int  # index into the line list
    lines: list[int] = field(default_factory=list)
    page: int = 0
    zone: int = 0
    col: int = 0  # where the text starts in the first line


@dataclass(frozen=True, slots=True)
class FootnoteScan:
    """The footnotes and markers found in the text, and the lines their bodies took."""

    footnotes: tuple[Footnote, ...]
    markers: tuple[Marker, ...]
    per_page: bool
    zone_lines: frozenset[int]  # line indices taken by bodies and their annotation copies
    # per footnote, the lines its body was read from (a flattened line only from the note's
    # own column): later passes (DOIs) read the note there, not in its whole physical line
    segments: tuple[Segment, ...] = ()


def scan_footnotes(
    lines: list[Line], excluded: frozenset[int] = frozenset(), furniture: frozenset[int] | None = None
) -> FootnoteScan:
    """``furniture``: :func:`page_furniture` of ``lines`` when the caller has it already."""
    split = _split_flattened(lines, excluded)
    flat: set[int] = set()  # pieces of long flattened lines
    if split is not None:
        orig = lines
        lines, back = split
        excluded = frozenset(k for k, i in enumerate(back) if i in excluded)
        flat = {k for k, i in enumerate(back) if len(orig[i].text) > _FLAT_LINE}
        furniture = None  # the cut lines have furniture of their own
    body_candidates = _body_candidates(lines, excluded)
    all_markers = _marker_candidates(lines, excluded)
    # a body's own digits are no markers; a long flattened line is mostly text, not a body
    starts = {i for i, c in body_candidates.items() if c.kind == "start" and i not in flat}
    raw_markers = [m for m in all_markers if m[1] not in starts]
    if furniture is None:
        furniture = page_furniture(lines)
    bodies, annotations, per_page = _accept_bodies(lines, excluded, body_candidates, raw_markers, furniture)
    zone_lines = frozenset(i for b in bodies for i in b.lines) | frozenset(a for a, _ in annotations)
    if zone_lines:
        raw_markers = [m for m in all_markers if m[1] not in zone_lines]
    markers = _accept_markers(raw_markers, bodies, per_page)
    footnotes, segments = _build(lines, bodies, markers, annotations)
    if split is not None:
        zone_lines = frozenset(split[1][k] for k in zone_lines)
    return FootnoteScan(
        tuple(footnotes),
        tuple(Marker(n, lines[i].number, lines[i].page) for n, i, _ in markers),
        per_page,
        zone_lines,
        segments,
    )


# In text whose line breaks were flattened to spaces (a page or a paragraph per line), a
# note starts after a sentence's end with its number and a capital, a URL or a label.
_FLAT_LINE = 300
_FLAT_NOTE_START = re.compile(
    r"(?<=[^\d\s]) (?=\d{1,3} (?:[А-ЯЁA-Z][а-яёa-z]|[А-ЯЁA-Z]\.|[«\"„(]|URL|https?://|www\.))"
    r"|^(?:Примечания|Сноски|Notes|Endnotes)(?= )"
    # the page's last hyphenated word glued to its first note: "пере1 Цензурное"
    r"|(?<=[а-яё])(?P<glued>)(?=\d{1,2} [А-ЯЁ][а-яё])"
)


def _split_flattened(lines: list[Line], excluded: frozenset[int]) -> tuple[list[Line], list[int]] | None:
    """Cut long flattened lines before every place a note could start, so that each
    possible body begins a line of its own (with the file line number it had). Returns
    the new lines and, for each, the index of the line it came from; None when no line
    is long enough to need it."""
    if not any(len(line.text) > _FLAT_LINE for line in lines):
        return None
    out: list[Line] = []
    back: list[int] = []
    for i, line in enumerate(lines):
        cuts = [] if len(line.text) <= _FLAT_LINE or i in excluded else [
            m.end() for m in _FLAT_NOTE_START.finditer(line.text)
            if m["glued"] is None or _WORD_END.search(line.text, max(0, m.start() - 40), m.start())
        ]
        if not cuts:
            out.append(line)
            back.append(i)
            continue
        prev = 0
        for cut in [*cuts, len(line.text)]:
            piece = line.text[prev:cut].rstrip()
            if piece:
                out.append(Line(line.number, piece, line.page, False, line.tabbed))
                back.append(i)
            prev = cut
    return out, back


def _body_candidates(lines: list[Line], excluded: frozenset[int]) -> dict[int, _Candidate]:
    found: dict[int, _Candidate] = {}
    for i, line in enumerate(lines):
        if i in excluded or not line.text:
            continue
        cand = _line_candidate(lines, i)
        if cand is not None:
            found[i] = cand
    return found


_NOTES_HEADING = re.compile(
    r"^\s*(?:Примечания|Примечание|Сноски|Комментарии|Notes|Endnotes)\s*[.:]?\s*$", re.IGNORECASE
)
_NUMBER_THEN_WORD = re.compile(r"\d{1,4} [A-ZА-ЯЁ][a-zа-яё]")
_LONE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*$")
# the page's last body word, hyphenated, and pdftotext's dehyphenation glued it to the
# first footnote: "... внимание удержа1 Орехов Б. В. ..."
_GLUED_BODY = re.compile(r"(?<=[а-яёa-z])(?P<num>\d{1,2})\s+(?=[А-ЯЁA-Z«\"„])")
_WORD_END = re.compile(r"(?:^|(?<=\s))[а-яёa-z]{2,}$")
_BODY_REST_URL = re.compile(
    r"^<?(?:https?://|www\.|[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.[a-z]{2,}/)", re.IGNORECASE
)


def _line_candidate(lines: list[Line], i: int) -> _Candidate | None:
    """Could line i start a footnote body? The scanner decides; this only says how the
    line looks (and how much evidence its look needs)."""
    text = lines[i].text
    if lines[i].tabbed:
        return None  # a table row: "3<TAB>cell<TAB>cell"
    first = text[:1]
    if first.isspace():
        first = text.lstrip()[:1]  # only an indented line is copied
    if not (first.isdigit() or first in _SUP_CHARS):
        return _glued_candidate(text, i) if _GLUED_BODY.search(text) else None
    m = BODY_START.match(text)
    if m:
        rest = m["rest"]
        col = m.start("rest")
        if m["sup"]:
            return _Candidate(int(m["sup"].translate(_SUPERSCRIPT)), i, rest, True, col)
        if _MONTH_YEAR.match(rest):
            return None  # "10 December 2023)." ends a wrapped date, it starts no footnote
        if _CAPS_HEADING.match(rest) and not _BIBLIOGRAPHIC.search(rest):
            return None
        if _BODY_REST_UPPER.match(rest) or _BODY_REST_LOWER_OK.match(rest) or _BODY_REST_URL.match(rest):
            return _Candidate(int(m["num"]), i, rest, False, col)
        if (rest[:1].islower() or _NUMBER_THEN_WORD.match(rest)) and m["num"][:1] != "0":
            # "14 конечно, …", "10 20 Ways to …": a note only with strong evidence
            return _Candidate(int(m["num"]), i, rest, False, col, "lower")
        return None
    lone = _LONE_NUMBER.match(text)
    if lone:
        nxt = _next_text_line(lines, i)
        if nxt is not None:
            rest = lines[nxt].text.strip()
            if (_BODY_REST_UPPER.match(rest) or _BODY_REST_URL.match(rest)) and not BODY_START.match(rest) and not (
                _LONE_NUMBER.match(rest)
            ):
                return _Candidate(int(lone.group(1)), i, rest, False, len(text), "lone")
            if not _LONE_NUMBER.match(rest):
                return None
        if _ends_page(lines, i):
            # Word-made PDFs print a note's number after its text, at the page's end
            return _Candidate(int(lone.group(1)), i, "", False, len(text), "after")
        return None
    return _glued_candidate(text, i) if _GLUED_BODY.search(text) else None


def _glued_candidate(text: str, i: int) -> _Candidate | None:
    for glued in _GLUED_BODY.finditer(text):
        # the digits follow a word fragment of lower-case letters that follows a space
        if _WORD_END.search(text, max(0, glued.start() - 40), glued.start()) and text[: glued.start()].strip():
            return _Candidate(int(glued["num"]), i, text[glued.end() :], False, glued.end(), "glued")
    return None


def _ends_page(lines: list[Line], i: int) -> bool:
    """Nothing but blank lines and at most a lone page number follow line i on its page."""
    seen_number = False
    for j in range(i + 1, min(i + 6, len(lines))):
        if lines[j].page != lines[i].page:
            return True
        text = lines[j].text.strip()
        if not text:
            continue
        if _LONE_NUMBER.match(text) and not seen_number:
            seen_number = True
            continue
        return False
    return i + 6 >= len(lines) or (seen_number and lines[min(i + 6, len(lines) - 1)].page != lines[i].page)


def _next_text_line(lines: list[Line], i: int) -> int | None:
    """The next non-blank line within two lines after i, on the same page."""
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j].page != lines[i].page:
            return None
        if not lines[j].blank:
            return j
    return None


def _marker_candidates(lines: list[Line], excluded: frozenset[int]) -> list[tuple[int, int, bool]]:
    """(number, line index, weak) in text order. Weak: split off a glued year.

    The patterns run once over the whole text (excluded lines and URLs blanked, so
    offsets stay put) rather than once per line: a few C-level scans per document."""
    parts: list[str] = []
    starts: list[int] = []
    pos = 0
    for i, line in enumerate(lines):
        text = "" if i in excluded or _SEPARATOR.match(line.text) else line.text
        starts.append(pos)
        parts.append(text)
        pos += len(text) + 1
    text = _blank_urls("\n".join(parts))

    def line_at(offset: int) -> int:
        return bisect.bisect_right(starts, offset) - 1

    found: list[tuple[int, int, int, bool]] = []  # (offset, number, line index, weak)
    if _HAS_SUPERSCRIPT.search(text):
        for sup in _SUP_MARKER.finditer(text):
            found.append((sup.start(), int(sup.group(0).translate(_SUPERSCRIPT)), line_at(sup.start()), False))
    glued: list[tuple[int, int, int, bool]] = []
    for run in _DIGIT_RUN.finditer(text):
        # digit runs are found fast; the marker pattern (a lookbehind first, which the
        # regex engine cannot skip ahead on) is then tried only where a run starts
        start = run.start()
        if 5 <= run.end() - start <= 6 and (year := _GLUED_YEAR.match(text, start)):
            # a year with a marker glued on ("2019 г.2019" + "3"): a whole run of 5-6
            # digits, so it is looked for here rather than by a scan of its own
            glued.append((year.start("num"), int(year["num"]), line_at(start), True))
        if start == 0 or not (text[start - 1].isalpha() or text[start - 1] in _MARKER_AFTER):
            continue
        m = _MARKER.match(text, start)
        if m is None:
            continue
        before = text[start - 1]
        if before == "." and start >= 2 and text[start - 2].isdigit():
            continue  # a decimal: "2.7"
        if before.isalpha():
            word = _WORD_BEFORE.search(text, max(0, start - 40), start)
            if word and _UNITS.fullmatch(word.group(0)):
                continue  # "120 км2"
            if word and len(word.group(0)) == 1 and word.group(0).isupper():
                continue  # "G20", "С5": a name, not a marker
        i = line_at(start)
        if _is_author_line(lines[i].text):
            continue  # "А. Б. Петрова1, В. Г. Сидоров2": affiliations, not notes
        for part in m["num"].split(","):
            found.append((start, int(part.strip()), i, False))
    found += glued
    for m in _SPACED_MARKER.finditer(text):
        before = text[m.start() - 1] if m.start() else ""
        if not (before.isalpha() or before in _SPACED_AFTER):
            continue  # after a letter or closing punctuation only
        end = m.start() - 1 if before == "." else m.start()
        word = _WORD_BEFORE.search(text, max(0, m.start() - 40), end)
        if word and word.group(0).lower() in _NUMBERED_WORDS:
            continue  # "С. 2.", "в таблице 5.": a number the text names
        i = line_at(m.start())
        if not _is_author_line(lines[i].text):
            found.append((m.start("num"), int(m["num"]), i, True))
    found.sort(key=lambda f: f[0])
    return [(number, i, weak) for _, number, i, weak in found]


_NAME = r"(?:(?:[A-ZА-ЯЁ]\.\s?){1,3}\s?[A-ZА-ЯЁ][a-zа-яё'’-]+|[A-ZА-ЯЁ][a-zа-яё'’-]+\s+(?:[A-ZА-ЯЁ]\.\s?){1,3})"
_AUTHOR_LINE = re.compile(rf"{_NAME}(?:\s*(?:,|\bи\b|\band\b)\s*{_NAME})*\.?")
_INITIAL = re.compile(r"[A-ZА-ЯЁ]\.")
_AFFILIATION_MARKS = re.compile(r"[\d*,\s]+")


def _is_author_line(text: str) -> bool:
    """A title-block line of author names with affiliation numbers."""
    if len(text) > 160 or _INITIAL.search(text) is None:
        return False  # author lines are short and hold initials
    names = _AFFILIATION_MARKS.sub(lambda m: ", " if "," in m.group(0) else " ", text).strip(" ,")
    return bool(_AUTHOR_LINE.fullmatch(names))


def _blank_urls(text: str) -> str:
    """``_URLISH.sub(_blank_url, text)``, found faster: every match holds "://" (after
    "http" or "https") or "w." (ending "www."), so those are looked for with ``str.find``
    and the pattern is tried only there. The case-insensitive scan of every position cost
    a tenth of the marker search on a monograph."""
    starts: set[int] = set()
    for needle, back in (("://", (5, 4)), ("w.", (2,)), ("W.", (2,))):
        pos = text.find(needle)
        while pos >= 0:
            starts.update(max(pos - b, 0) for b in back)
            pos = text.find(needle, pos + 1)
    if not starts:
        return text
    parts: list[str] = []
    last = 0
    for start in sorted(starts):
        if start < last:
            continue  # inside the URL before
        m = _URLISH.match(text, start)
        if m is None:
            continue
        parts.append(text[last:start])
        parts.append(_blank_url(m))
        last = m.end()
    parts.append(text[last:])
    return "".join(parts)


def _blank_url(m: re.Match[str]) -> str:
    """Spaces for a URL, keeping a marker glued to its end (".../58316.html1")."""
    url = m.group(0)
    glued = _URL_GLUED_MARKER.search(url)
    if glued:
        # the letter before the digits stays too: a marker follows a letter
        return " " * (glued.start(1) - 1) + url[glued.start(1) - 1 :]
    return " " * len(url)


_URL_GLUED_MARKER = re.compile(r"\.(?:s?html?|php|aspx?|jsp|pdf|xml|txt|docx?|cfm)(\d{1,3})[.,;:)]*$", re.IGNORECASE)


def _accept_bodies(
    lines: list[Line],
    excluded: frozenset[int],
    candidates: dict[int, _Candidate],
    markers: list[tuple[int, int, bool]],
    furniture: frozenset[int],
) -> tuple[list[_Body], list[tuple[int, str]], bool]:
    scanner = _BodyScanner(lines, excluded, candidates, markers, furniture)
    for i in range(len(lines)):
        scanner.step(i)
    return scanner.bodies, scanner.annotations, scanner.per_page


class _MarkerIndex:
    """Line indices of marker candidates per number, for "is there a marker for n
    between these lines?" in O(log n)."""

    def __init__(self, markers: list[tuple[int, int, bool]]) -> None:
        self._lines: dict[int, list[int]] = defaultdict(list)
        for n, i, _weak in markers:
            self._lines[n].append(i)  # candidates come in text order: sorted

    def between(self, n: int, lo: int, hi: int) -> bool:
        found = self._lines.get(n)
        if not found:
            return False
        k = bisect.bisect_left(found, lo)
        return k < len(found) and found[k] < hi

    def first_after(self, n: int, lo: int) -> int | None:
        found = self._lines.get(n)
        if not found:
            return None
        k = bisect.bisect_left(found, lo)
        return found[k] if k < len(found) else None


class _BodyScanner:
    """One walk over the lines deciding, line by line, what each one is: a new body, the
    next line of the current body, a standalone URL copy, page furniture or the text.

    The state is the running sequence (the number expected next, the recent bodies),
    whether we are inside a block of bodies (``in_zone``) and whether a blank line
    came just before. Each decision is a small function of that state."""

    def __init__(
        self,
        lines: list[Line],
        excluded: frozenset[int],
        candidates: dict[int, _Candidate],
        markers: list[tuple[int, int, bool]],
        furniture: frozenset[int],
    ) -> None:
        self.lines = lines
        self.excluded = excluded
        self.candidates = candidates
        self.markers = _MarkerIndex(markers)
        self.strong_markers = _MarkerIndex([m for m in markers if not m[2]])
        self.final_block = _final_note_block(lines, candidates)
        self.furniture = furniture
        self.bodies: list[_Body] = []
        self.annotations: list[tuple[int, str]] = []
        self.per_page = False
        # (number, start) of recent bodies, numbers strictly decreasing towards the end:
        # the latest body numbered n or higher is the last entry whose number is >= n
        self.recent: list[tuple[int, int]] = []
        self.expected = 1
        self.current: _Body | None = None
        self.in_zone = False
        self.after_blank = True
        self.zone = 0
        self.last_body_start = -1
        self.last_one_start = -1
        self.cycle_floor = -1  # where the markers of the current numbering cycle begin
        self.continuation: set[int] = set()
        self.awaiting_text: _Body | None = None
        self.notes_heading = False  # just after a "Примечания" heading
        self.displaced: set[int] = set()  # numbers of notes printed without their number

    # -- the walk -------------------------------------------------------------------
    def step(self, i: int) -> None:
        line = self.lines[i]
        if i in self.excluded:
            self.current, self.in_zone = None, False
            return
        cand = self.candidates.get(i)
        if i in self.furniture and not (cand is not None and cand.kind in ("lone", "after") and self._is_body(cand, i)):
            if self.displaced and _LONE_NUMBER.match(line.text):
                self.displaced.discard(int(line.text))  # the number printed after its note
            return  # a page number or running head between a body and its next line
        if i in self.continuation:
            self.bodies[-1].lines.append(i)
            return
        if line.blank:
            if self.awaiting_text is None:
                self.current = None
            self.after_blank = True
            return
        if self.awaiting_text is not None:
            # the text of a body whose number stood alone on the line before
            self.awaiting_text.lines.append(i)
            self.awaiting_text = None
            self.after_blank = False
            return
        if _NOTES_HEADING.match(line.text):
            self._open_notes_section()
            return
        if cand is None and self._carries_over(i):
            return
        if cand is not None and self._url_cut_in_escape(i):
            # "…?q=a%" + "2Fb …": the digits go on with a percent escape, not a new note
            self.current.lines.append(i)  # type: ignore[union-attr]
            return
        if cand is not None and self._is_body(cand, i):
            if cand.kind == "after":
                self._accept_number_after(cand, i)
                return
            self.current = self._accept(cand, i)
            self.after_blank = False
            if cand.kind == "lone":
                self.awaiting_text = self.current
            return
        if cand is None and self._starts_unnumbered_note(i):
            return
        if self._url_runs_on(i):
            self.current.lines.append(i)  # type: ignore[union-attr]
            return
        if is_standalone_url(line.text) and (self.in_zone or _near_zone(self.bodies, i)):
            self.annotations.append((i, line.text.strip().strip("<>")))
            self.current = None
            self.after_blank = False
            return
        if self.current is not None and not self.after_blank and not _ends_body(self.lines, self.current, i):
            self.current.lines.append(i)
            return
        if self.in_zone and self.current is None and not self.after_blank and _SEPARATOR.match(line.text):
            return
        # ordinary body text: the zone of footnotes is over
        self.current = None
        self.in_zone = False
        self.after_blank = False

    def _accept(self, cand: _Candidate, i: int) -> _Body:
        if not self.in_zone:
            self.zone += 1
        body = _Body(cand.number, i, [i], self.lines[i].page, self.zone, cand.col)
        self.bodies.append(body)
        while self.recent and self.recent[-1][0] <= cand.number:
            self.recent.pop()
        self.recent.append((cand.number, i))
        self.expected = cand.number + 1
        self.in_zone = True
        self.notes_heading = False
        self.last_body_start = i
        if cand.number == 1:
            if self.last_one_start >= 0:
                # a new cycle of per-page numbering: its markers start with its marker 1
                floor = self.markers.first_after(1, self.last_one_start + 1)
                self.cycle_floor = floor if floor is not None and floor < i else -1
            self.last_one_start = i
        return body

    def _accept_number_after(self, cand: _Candidate, i: int) -> None:
        """A note whose number follows its text: the text is the short block (at most four
        lines, after a blank line, in no other note) just above the number, if there is one."""
        block: list[int] = []
        taken = {j for b in self.bodies[-3:] for j in b.lines}
        j = i - 1
        while j >= 0 and len(block) <= 4 and not self.lines[j].blank and j not in taken and j not in self.excluded:
            block.append(j)
            j -= 1
        if cand.number == 1 and self.expected != 1:
            self.per_page = True
        body = self._accept(cand, i)
        if block and len(block) <= 4 and (j < 0 or self.lines[j].blank):
            body.lines = sorted(block)
            body.col = 0
        self.current = None
        self.in_zone = False
        self.after_blank = False

    def _open_notes_section(self) -> None:
        """A "Примечания" heading: endnotes follow, whatever their markers look like."""
        if not self.in_zone:
            self.zone += 1
        self.in_zone = True
        self.notes_heading = True
        self.current = None
        self.after_blank = True

    def _starts_unnumbered_note(self, i: int) -> bool:
        """The first line under a notes heading without a number: the note's number was
        printed elsewhere (after the note, by some PDF makers). It takes the number
        expected next."""
        if not self.notes_heading or is_standalone_url(self.lines[i].text):
            return False
        text = self.lines[i].text
        cand = _Candidate(self.expected, i, text.strip(), False, 0, "displaced")
        self.displaced.add(self.expected)
        self.current = self._accept(cand, i)
        self.after_blank = False
        return True

    # -- decisions ------------------------------------------------------------------
    def _carries_over(self, i: int) -> bool:
        """Is line i the end of the previous page's last footnote, printed at the top of
        this page's block of bodies? If so it (and the lines up to the next body) joins it."""
        if not (self.bodies and self.after_blank and _unfinished(self.lines, self.bodies[-1])):
            return False
        tail = _tail_before_next_body(self.lines, i, self.candidates, self.expected, self.furniture)
        if not tail:
            return False
        self.continuation.update(tail[1:])
        self.bodies[-1].lines.append(i)
        self.after_blank = False
        self.in_zone = True
        return True

    def _has_marker(self, n: int, i: int) -> bool:
        """A marker for n stands before line i, after the last body numbered n or higher
        (which belongs to an earlier cycle of per-page numbering)."""
        lo = _latest_start_at_or_above(self.recent, n)
        if 0 <= self.cycle_floor < lo:
            lo = self.cycle_floor  # the previous cycle's later notes hide no markers of this one
        return self.markers.between(n, lo, i)

    def _is_body(self, cand: _Candidate, i: int) -> bool:
        n = cand.number
        if i in self.final_block and n == self.expected:
            return True
        if cand.kind == "glued":
            marked = self._has_marker(n, i) or _marked_before(self.lines[i].text, n, cand.col)
            fits = marked and self._glued_fits(cand, i)
            if fits and n == 1 and self.bodies and n != self.expected:
                self.per_page = True
                return True
            return fits and n == self.expected
        if cand.kind == "lower":
            return n == self.expected and self._has_marker(n, i) and (self.after_blank or self.notes_heading)
        if cand.kind == "lone" and not self._has_marker(n, i):
            return False
        if cand.kind == "after":
            since = _latest_start_at_or_above(self.recent, n)
            if not self.strong_markers.between(n, since, i):
                return False
            return n == self.expected or (n == 1 and bool(self.bodies)) or self.expected < n <= self.expected + 3
        if n == self.expected:
            return self._is_next_body(cand, i)
        if n == 1 and self._restarts_numbering(cand, i):
            self.per_page = True
            return True
        if self.expected < n <= self.expected + 3:
            return self._skips_ahead(cand, i)
        return n == self.expected - 1 and self.in_zone and _is_bibliographic(cand)

    def _is_next_body(self, cand: _Candidate, i: int) -> bool:
        """The number expected next: a marker, a superscript, or the look of a note in a
        block of bodies (or after a blank line) is enough."""
        if cand.certain or self._has_marker(cand.number, i):
            return True
        biblio = _is_bibliographic(cand)
        if self.in_zone and (biblio or self.after_blank):
            return True
        if not (self.after_blank and biblio):
            return False
        return bool(self.bodies) or self.markers.between(cand.number, 0, i)

    def _restarts_numbering(self, cand: _Candidate, i: int) -> bool:
        """Number 1 again, with a marker 1 since the last note 1: on a new page, after a
        new marker 1, or (some layouts print a page's first notes in the previous page's
        count and restart inside the same block) inside a block of bodies."""
        if not self.bodies:
            return False
        if not (cand.certain or self.markers.between(1, self.last_one_start + 1, i)):
            return False
        if self.lines[i].page != self.lines[self.bodies[-1].start].page:
            return True
        if self.markers.between(1, self.last_body_start, i):
            return True
        return self.in_zone and cand.kind == "start" and (
            _is_bibliographic(cand) or bool(_BODY_REST_UPPER.match(cand.rest))
        )

    def _skips_ahead(self, cand: _Candidate, i: int) -> bool:
        """A gap of up to three numbers, with a marker (not a weak one): the rules
        report the gap."""
        since = _latest_start_at_or_above(self.recent, cand.number)
        marked = self.strong_markers.between(cand.number, since, i)
        return (marked or cand.certain) and (self.in_zone or self.after_blank)

    def _glued_fits(self, cand: _Candidate, i: int) -> bool:
        """A note glued to the page's last text line is followed by the page's next
        notes (or the page ends)."""
        if not _is_bibliographic(cand) and len(cand.rest) < 20:
            return False
        for j in range(i + 1, min(i + 12, len(self.lines))):
            if self.lines[j].page != self.lines[i].page:
                return True
            nxt = self.candidates.get(j)
            if nxt is not None and nxt.kind == "start" and nxt.number == cand.number + 1:
                return True
        return i + 1 >= len(self.lines)

    def _url_cut_in_escape(self, i: int) -> bool:
        """The current body's last line ends inside a URL's percent escape (``%`` or
        ``%2``): whatever this line starts with, it finishes that URL."""
        current = self.current
        return (
            current is not None
            and not self.after_blank
            and _cut_in_escape(self.lines[current.lines[-1]].text)
        )

    def _url_runs_on(self, i: int) -> bool:
        """The current body's last line ends inside a URL: this line goes on with it."""
        current = self.current
        return (
            current is not None
            and not self.after_blank
            and _url_open_at_end(self.lines[current.lines[-1]].text)
        )


_LOOSE_NUMBER = re.compile(r"(?<=[^\W\d_]) ?(\d{1,3})(?=[\s.,;:)»]|$)", re.MULTILINE)


def _final_note_block(lines: list[Line], candidates: dict[int, _Candidate]) -> frozenset[int]:
    """Notes appended at the end of a text (a document's notes rendered as «N text»
    after its body): a run 1, 2, ..., N (N >= 3) of numbered paragraphs that ends the
    text, whose numbers all stand, in order, after words of the text before it (markers
    glued or set off by a space: ``DRY 1 было``). Such a run is read as notes even when
    the markers are too loose to count one by one."""
    order = sorted(i for i, c in candidates.items() if c.kind in ("start", "lower"))
    if len(order) < 3:
        return frozenset()
    tail = sum(1 for line in lines[order[-1] + 1 :] if not line.blank)
    if tail > 5:
        return frozenset()
    run = [order[-1]]
    for i in reversed(order[:-1]):
        if candidates[i].number != candidates[run[-1]].number - 1:
            break
        between = sum(1 for line in lines[i + 1 : run[-1]] if not line.blank)
        if between > 4:
            break
        run.append(i)
    run.reverse()
    if len(run) < 3 or candidates[run[0]].number != 1:
        return frozenset()
    want = 1
    before = "\n".join(line.text for line in lines[: run[0]])
    for m in _LOOSE_NUMBER.finditer(before):
        if int(m.group(1)) == want:
            want += 1
            if want > len(run):
                return frozenset(run)
    return frozenset()


def _marked_before(text: str, n: int, col: int) -> bool:
    """Does a marker n stand earlier in this same line (a flattened page)?"""
    prefix = text[: max(0, col - len(str(n)) - 1)]
    return bool(re.search(rf"(?:[^\W\d_]|[»\")\].]) ?{n}(?=[\s.,;:)»]|$)", prefix))


def _is_bibliographic(cand: _Candidate) -> bool:
    return bool(_BIBLIOGRAPHIC.search(cand.rest))


def page_furniture(lines: list[Line]) -> frozenset[int]:
    """Page numbers and running heads: lone numbers, and lines printed identically at a
    page edge on a good share of the pages. A repeated line that belongs to a reference
    (an access date, a URL: authors often look many sources up on one day) is never
    furniture."""
    stripped = [line.text.strip() for line in lines]
    lone_numbers = {i for i, t in enumerate(stripped)
                    if 0 < len(t) <= 4 and t.isascii() and t.isdigit()
                    and next((x for x in stripped[i + 1 : i + 3] if x), "")[:1] not in (".", ",", ";", ":")}
    pages = max(1, lines[-1].page + 1 if lines else 1, len(lone_numbers))
    counts: dict[str, int] = defaultdict(int)
    for t in stripped:
        if len(t) >= 8:
            counts[t] += 1
    needed = max(3, pages // 4)
    out = set(lone_numbers)
    for i, t in enumerate(stripped):
        if counts.get(t, 0) < needed or not _at_page_edge(lines, stripped, lone_numbers, i):
            continue
        low = t.lower()
        if candidates_like(t) or is_standalone_url(t) or "http" in low or "www." in low or any(
            word in low for word in ("дата", "обращ", "access", "url")
        ):
            continue
        out.add(i)
    return frozenset(out)


def _at_page_edge(lines: list[Line], stripped: list[str], lone_numbers: set[int], i: int) -> bool:
    for j in (i - 2, i - 1, i + 1, i + 2):
        if 0 <= j < len(lines) and (j in lone_numbers or lines[j].page != lines[i].page):
            return True
    return (i > 0 and not stripped[i - 1]) or (i + 1 < len(lines) and not stripped[i + 1])


def candidates_like(text: str) -> bool:
    return bool(BODY_START.match(text))


def _unfinished(lines: list[Line], body: _Body) -> bool:
    last = lines[body.lines[-1]].text.rstrip()
    return not last.endswith((".", "!", "?", ")", "»", "\"", ";"))


def _tail_before_next_body(
    lines: list[Line], i: int, candidates: dict[int, _Candidate], expected: int, furniture: frozenset[int]
) -> list[int]:
    """Lines i.. that run straight into the next expected body, if they start lower case."""
    first = lines[i].text.lstrip()
    if not first[:1].islower() and not first[:1].isdigit():
        return []
    tail: list[int] = []
    for j in range(i, min(i + 5, len(lines))):
        if j in furniture:
            continue
        if lines[j].blank:
            return []
        cand = candidates.get(j)
        if cand is not None and cand.number == expected:
            return tail
        tail.append(j)
    return []


def _latest_start_at_or_above(recent: list[tuple[int, int]], n: int) -> int:
    for number, start in reversed(recent):
        if number >= n:
            return start
    return -1


def _near_zone(bodies: list[_Body], i: int) -> bool:
    return bool(bodies) and i - bodies[-1].lines[-1] <= 6


_URL_OPEN_AT_END = re.compile(
    r"(?:(?:https?://|www\.)\S*[/\-_.?&=#%]|https?://|URL\s*:|Режим\s+доступа\s*:|Available\s+(?:at|from)\s*:)\s*$",
    re.IGNORECASE,
)
_URL_CUT_IN_ESCAPE = re.compile(r"(?:https?://|www\.)\S*%[0-9A-Fa-f]?\s*$", re.IGNORECASE)
# the characters an open URL (or its label) leaves at the end of a line
_OPEN_URL_LAST = frozenset("/-_.?&=#%:")


def _url_open_at_end(text: str) -> bool:
    """``_URL_OPEN_AT_END.search(text)``, looked for only where it can be: the line ends in
    one of the characters the pattern ends with, and (but for a label's ':') the URL is
    its last token. Searching every line of a note from its start cost 3 % of a parse."""
    t = text.rstrip()
    if not t or t[-1] not in _OPEN_URL_LAST:
        return False
    return bool(_URL_OPEN_AT_END.search(t if t[-1] == ":" else t.rsplit(None, 1)[-1]))


def _cut_in_escape(text: str) -> bool:
    """``_URL_CUT_IN_ESCAPE.search(text)`` where it can match: a '%' among the last
    characters, in the last token."""
    t = text.rstrip()
    if "%" not in t[-2:]:
        return False
    return bool(_URL_CUT_IN_ESCAPE.search(t.rsplit(None, 1)[-1]))


_ACCESS_CLOSED = re.compile(r"\)\s*\.?\s*$")


def _ends_body(lines: list[Line], body: _Body, i: int) -> bool:
    line = lines[i]
    prev = lines[body.lines[-1]].text.rstrip()
    if _SEPARATOR.match(line.text):
        return True
    if line.page != lines[body.lines[-1]].page:
        return True
    if line.indented and prev.endswith((".", ")", "»")):
        return True  # pdftotext starts a page's text with a space: the body text resumes
    # a body that closed with its access date is followed by a new sentence of the text
    return bool(_ACCESS_CLOSED.search(prev) and ACCESS_RE.search(prev) and line.text[:1].isupper())


def _accept_markers(
    candidates: list[tuple[int, int, bool]], bodies: list[_Body], per_page: bool
) -> list[tuple[int, int, bool]]:
    body_numbers = {b.number for b in bodies}
    accepted: list[tuple[int, int, bool]] = []
    last = 0
    for n, i, weak in candidates:
        if weak:
            if (n == last + 1 or (n == 1 and per_page and last >= 1)) and n in body_numbers:
                accepted.append((n, i, weak))
                last = n
            continue
        if n == last + 1 or (n in body_numbers and n > last) or (n == 1 and per_page and last >= 1):
            if n > last + 6 and n not in body_numbers:
                continue
            accepted.append((n, i, weak))
            last = n
        elif n in body_numbers and n <= last and n >= last - 3:
            accepted.append((n, i, weak))  # a repeated or out-of-order marker: the rules judge
    return accepted


def _build(
    lines: list[Line],
    bodies: list[_Body],
    markers: list[tuple[int, int, bool]],
    annotations: list[tuple[int, str]],
) -> tuple[list[Footnote], tuple[Segment, ...]]:
    marker_map = _pair_markers(lines, bodies, markers)
    zone_end = _zone_ends(bodies, len(lines))
    # notes are set in a smaller font than the text: their own lines tell their length
    typical = _typical_line_length([lines[i] for b in bodies for i in b.lines]) if bodies else 0
    annotation_at = [i for i, _ in annotations]
    footnotes: list[Footnote] = []
    segments: list[Segment] = []
    for bi, body in enumerate(bodies):
        seg_lines = []
        for j, idx in enumerate(body.lines):
            text = lines[idx].text
            if j == 0:
                text = " " * body.col + text[body.col :]
            seg_lines.append((lines[idx].number, text))
        seg = Segment.of(seg_lines)
        segments.append(seg)
        lo = bisect.bisect_right(annotation_at, body.start)
        hi = bisect.bisect_right(annotation_at, zone_end[body.zone])
        found_dates = access_dates_in(seg.text, seg.line_of)
        urls = _confirm(url_mentions(seg, found_dates), [u for _, u in annotations[lo:hi]])
        if typical and any(len(lines[i].text) > typical for i in body.lines):
            # each URL's line looked up by number, not by a scan of the body per URL
            line_text: dict[int, str] = {}
            for i in body.lines:
                line_text.setdefault(lines[i].number, lines[i].text)
            urls = [_rehyphenated(u, line_text, typical, seg.text) for u in urls]
        text = _join_body(seg_lines)
        dates = tuple(d for _, _, ds in found_dates for d in ds)
        # the note's searches are case-insensitive: run as lower-case twins where exact
        low = lowered_for_search(text)
        before_url = _before_url(text, low)
        blanked = sub_ci(ACCESS_RE, ACCESS_LOWER, " ", before_url, None if low is None else low[: len(before_url)])
        source = source_date_in(blanked, lines[body.start].number)
        ibid = bool(_REPEAT.search(text[:200]) if low is None else _REPEAT_LOW.search(low[:200]))
        footnotes.append(
            Footnote(
                number=body.number,
                line=lines[body.start].number,
                text=text,
                marker_lines=tuple(sorted(marker_map.get(bi, ()))),
                urls=tuple(urls),
                source_date=source,
                dates=dates,
                ibid=ibid,
                refers_to=None,
                page=body.page,
                title=_title(before_url) if urls else None,
            )
        )
    return _resolve_repeats(footnotes), tuple(segments)


def _typical_line_length(lines: list[Line]) -> int:
    """The median length of the text's lines (a sample of at most 2000)."""
    step = max(1, len(lines) // 2000)
    lengths = sorted(len(line.text) for line in lines[::step] if len(line.text) > 10)
    return lengths[len(lengths) // 2] if lengths else 0


def _rehyphenated(mention: UrlMention, line_text: dict[int, str], typical: int, context: str) -> UrlMention:
    if mention.confirmed:
        return mention
    line = line_text.get(mention.line, "")
    url = restore_dropped_hyphen(mention.url, line, typical, context)
    return mention if url == mention.url else _replace(mention, url, False)


def _join_body(seg_lines: list[tuple[int, str]]) -> str:
    """The body's lines as one string: words hyphenated at a line end joined, a URL
    that runs on to the next line joined without a space. Linear: each decision looks
    only at the previous line and whether a URL was still open at its end."""
    pieces: list[str] = []
    url_open = False  # the text so far ends inside a URL
    for _, text in seg_lines:
        text = text.strip()
        if not pieces:
            pieces.append(text)
            url_open = ends_in_url(text)
            continue
        prev = pieces[-1]
        if prev.endswith("-") and len(prev) > 1 and prev[-2].isalpha() and text[:1].islower():
            pieces[-1] = prev[:-1]  # a word hyphenated at the line end
            pieces.append(text)
            url_open = ends_in_url(text) or (url_open and not _HAS_SPACE.search(text))
        elif url_open and not text.startswith("("):
            pieces.append(text)  # the URL continues
            url_open = ends_in_url(text) or not _HAS_SPACE.search(text)
        else:
            pieces.append(" ")
            pieces.append(text)
            url_open = ends_in_url(text)
        if not text:
            pieces.pop()
    return fold_ws("".join(pieces))


_HAS_SPACE = re.compile(r"\s")


_URL_OR_LABEL = re.compile(r"\bURL\s*:|https?://|www\.|Режим доступа", re.IGNORECASE)
_URL_OR_LABEL_LOW = lower_pattern(_URL_OR_LABEL)
_REPEAT_LOW = lower_pattern(_REPEAT)


def _before_url(text: str, low: str | None = None) -> str:
    """The note's text before its first URL or URL label (``low``: its lower-cased twin,
    from :func:`lowered_for_search`, searched instead when given)."""
    m = _URL_OR_LABEL.search(text) if low is None else _URL_OR_LABEL_LOW.search(low)
    return text[: m.start()] if m else text


_TRAILING_DATE = re.compile(
    rf"[.,]\s*\d{{4}}(?:\s*\.\s*\d{{1,2}}\s+(?:{RU_MONTH_RE}|{EN_MONTH_RE}))?\s*$", re.IGNORECASE
)


def _title(before_url: str) -> str | None:
    t = before_url.strip().rstrip(".:;, –—-")
    # drop a trailing date: "… 2023. 28 сентября" / "… 2022"
    t = _TRAILING_DATE.sub("", t).strip().rstrip(".")
    return t or None


def _zone_ends(bodies: list[_Body], n_lines: int) -> dict[int, int]:
    """For each block of bodies, the line index where the next block starts: the
    annotation copies of a block's URLs stand before it."""
    ends: dict[int, int] = {}
    for k, body in enumerate(bodies):
        nxt = next((b.start for b in bodies[k + 1 : k + 2] if b.zone != body.zone), None)
        if nxt is not None or body.zone not in ends:
            ends[body.zone] = nxt if nxt is not None else n_lines
    return ends


def _pair_markers(
    lines: list[Line], bodies: list[_Body], markers: list[tuple[int, int, bool]]
) -> dict[int, list[int]]:
    """Body index -> file lines of its markers: each marker goes to the first body of its
    number after it; a marker after the last such body (endnotes put the bodies first)
    goes to the body before it."""
    by_number: dict[int, list[int]] = defaultdict(list)  # number -> marker line indices
    for n, i, _weak in markers:
        by_number[n].append(i)
    bodies_of: dict[int, list[int]] = defaultdict(list)  # number -> body indices
    for bi, body in enumerate(bodies):
        bodies_of[body.number].append(bi)
    out: dict[int, list[int]] = defaultdict(list)
    for n, marker_lines in by_number.items():
        numbered = bodies_of.get(n, [])
        starts = [bodies[bi].start for bi in numbered]
        for i in marker_lines:
            k = bisect.bisect_right(starts, i)
            if k < len(numbered):
                out[numbered[k]].append(lines[i].number)
            elif numbered:
                out[numbered[-1]].append(lines[i].number)
    return out


def _confirm(urls: list[UrlMention], nearby: list[str]) -> list[UrlMention]:
    """Compare URLs with the standalone copies printed after their block of bodies.

    The copies are indexed once (exact key, loose key, sorted keys for the prefix
    test), so a note with many URLs and many copies costs n log n, not n x m."""
    if not nearby or not urls:
        return urls
    exact: dict[str, str] = {}
    loose: dict[str, str] = {}
    for a in nearby:
        key = comparable(a)
        exact.setdefault(key, a)
        loose.setdefault(_loose(key), a)
    ordered = sorted(exact)
    out: list[UrlMention] = []
    for mention in urls:
        key = comparable(mention.url)
        if key in exact:
            out.append(_replace(mention, mention.url, True))
            continue
        repair = loose.get(_loose(key))
        if repair is None and len(key) > 15:
            k = bisect.bisect_left(ordered, key)
            if k < len(ordered) and ordered[k].startswith(key):
                repair = exact[ordered[k]]
        if repair is not None:
            out.append(_replace(mention, repair, True))
        else:
            out.append(mention)
    return out


def _loose(key: str) -> str:
    return re.sub(r"[\s\-]", "", key)


def _replace(m: UrlMention, url: str, confirmed: bool) -> UrlMention:
    return UrlMention(url, m.line, m.access_date, confirmed, m.missing_scheme)


_NAME_BEFORE_OPCIT = re.compile(
    r"^\s*(?P<name>[А-ЯЁA-Z][а-яёa-z'-]+)(?:\s+(?:[А-ЯЁA-Z]\.\s*){1,3})?[,\s]*"
    r"(?:указ\.|цит\.|op\.|loc\.)",
    re.IGNORECASE,
)


def _resolve_repeats(footnotes: list[Footnote]) -> list[Footnote]:
    """«Там же»/«Ibid.» repeat the note just before; «Указ. соч.»/«Op. cit.» the latest
    earlier note with a word that starts with the same author's stem (inflection-
    insensitive). One pass: the stems asked for are known first, and every note's words
    update "the latest note holding this stem" as the walk goes."""
    stems: dict[int, str] = {}
    for k, fn in enumerate(footnotes):
        if fn.ibid and not _IBID_START.match(fn.text):
            m = _NAME_BEFORE_OPCIT.match(fn.text)
            if m:
                stem = fold_key(m["name"])
                stems[k] = stem[:-1] if len(stem) > 4 else stem
    needed = set(stems.values())
    lengths = sorted({len(stem) for stem in needed})
    latest: dict[str, int] = {}  # stem -> index of the latest note holding it
    out: list[Footnote] = []
    for k, fn in enumerate(footnotes):
        if fn.ibid:
            target: int | None = None
            if _IBID_START.match(fn.text):
                if k > 0:
                    target = out[k - 1].number
            elif k in stems and stems[k] in latest:
                target = out[latest[stems[k]]].number
            fn = _with_ref(fn, target)
        out.append(fn)
        if needed:
            # names are printed with a capital: only those words are folded and looked up
            for word in _NAME_TOKEN.findall(fold_key(" ".join(_CAPITALISED.findall(fn.text)))):
                for length in lengths:
                    if length > len(word):
                        break
                    if word[:length] in needed:
                        latest[word[:length]] = k
    return out


_NAME_TOKEN = re.compile(r"[^\W\d_][\w'’-]*")
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZА-ЯЁ][\w'’-]*")


def _with_ref(fn: Footnote, target: int | None) -> Footnote:
    return replace(fn, refers_to=target)
