"""Reference lists: finding the section, splitting it into entries, reading each entry's
authors and year, and matching bracketed citations to entries.

Russian journals often print the list twice, the second time transliterated under
"References"; that twin is marked ``transliterated`` and never matched or reported as
uncited.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from footcheck.model import Citation, Reference
from footcheck.parse.citations import YEAR, surname_of
from footcheck.parse.text import Line, fold_key, fold_ws
from footcheck.parse.urls import Segment, ends_in_url, url_mentions, url_runs_on

_HEADINGS_RU = (
    "список литературы", "литература", "библиографический список", "источники",
    "список источников", "список источников и литературы", "источники и литература",
    "список использованных источников и литературы", "список использованной литературы",
    "использованная литература", "список использованных источников", "библиография",
    "список цитируемой литературы", "цитируемая литература", "литература и источники",
)  # fmt: skip
_HEADINGS_EN = ("references", "bibliography", "sources", "works cited", "literature",
                "reference list", "list of references")
# Lines that end a reference list: the sections that follow it in a journal (about the
# authors, the received date, how to cite, the English abstract block, an issue's contents).
_END_HEADINGS = re.compile(
    r"^(?:об\s+автор(?:е|ах)|сведения\s+об\s+автор(?:е|ах)|информация\s+об\s+автор(?:е|ах)|"
    r"about\s+the\s+authors?|information\s+about\s+(?:the\s+)?authors?|author\s+information|"
    r"(?:статья\s+)?поступила\s+в\s+редакцию|(?:статья\s+)?получена|дата\s+поступления|"
    r"received|submitted\s+on|accepted|как\s+цитировать|для\s+цитирования|for\s+citation|to\s+cite|"
    r"cite\s+this|приложени[ея]|appendix|примечания|notes|аннотация|abstract|summary|резюме|"
    r"ключевые\s+слова|key\s*words|содержание|contents|оглавление|удк|udc|orcid)\b",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.]{1,63}")  # bounded: linear on a long word
_DOT_LEADER = re.compile(r"(?:\.\s?){6,}\s*\d+\s*$")
_CAPS_TITLE = re.compile(r"^[^a-zа-яё]*$")
# Signs that a new article starts (or the previous one ends) between two lists.
_ARTICLE_BOUNDARY = re.compile(
    r"^\s*(?:сведения\s+об\s+автор|информация\s+об\s+автор|об\s+авторах?\b|"
    r"information\s+about\s+(?:the\s+)?author|about\s+the\s+author|(?:статья\s+)?поступила\s+в\s+редакцию|"
    r"как\s+цитировать|для\s+цитирования|for\s+citation|аннотация|abstract|ключевые\s+слова|key\s*words|"
    r"удк\b|udc\b)",
    re.IGNORECASE,
)
# entry numbers up to 1499: a wrapped line that starts "2019. № 3" is not entry 2019
_NUM = r"(?:\d{1,3}|1[0-4]\d\d)"
_ARTICLE_END = re.compile(
    r"^\s*(?:сведения\s+об\s+автор|информация\s+об\s+автор|об\s+авторах?\b|information\s+about\s+(?:the\s+)?author|"
    r"about\s+the\s+author|(?:статья\s+)?поступила\s+в\s+редакцию|как\s+цитировать|для\s+цитирования|for\s+citation)",
    re.IGNORECASE,
)
_NUMBERED = re.compile(rf"^\s*(?:\[(?P<b>{_NUM})\]|(?P<n>{_NUM})[.)])\s+(?P<rest>\S.*)$")
# "Зализняк 2004 — Зализняк А. А. ...", "Гаврилова и др. 2016 – ...": a list keyed by author-year
_KEYED = re.compile(
    r"^\s*[«\"]?[А-ЯЁA-Z][^\s—–]*(?:,?\s+(?:и\s+др\.|et\s+al\.?|[^\s—–]+)){0,5}?,?\s*"
    r"(?:1[5-9]\d\d|20\d\d)[а-яa-z]?(?:\s*\([^)]{1,20}\))?\s+[—–-]\s"
)
# "БТС — Большой толковый словарь ...": a keyed list's entry under a siglum, no year
_SIGLUM_KEY = re.compile(r"^\s*[«\"]?[А-ЯЁA-Z][^\s—–\d]*(?:\s[^\s—–\d]+){0,3}\s+[—–]\s")
_PARTICLE = r"(?:(?:de|van|von|der|den|di|da|du|le|la|ван|фон|де|дер)\s+)?"
_SURNAME_START = re.compile(
    rf"^\s*{_PARTICLE}(?P<surname>[А-ЯЁA-Z][а-яёa-z'’-]+(?:-[А-ЯЁA-Z][а-яёa-z'’-]+)?),?\s+"
    r"(?:[А-ЯЁA-Z]\.\s?){1,3}"
)
_CONTINUATION_START = re.compile(
    r"^\s*(?:[А-ЯЁA-Z]\.|URL|DOI|EDN|С\.|P\.|Т\.|Vol|No|pp|Ф\.|Оп\.|Д\.|Л\.|\(In Russ"
    r"|[А-ЯЁA-Z][\w.-]*(?:\s\(?[\w.-]+\)?)?\s?:\s)"  # the place of publication: "Uppsala: Coast Press"
)
_OPENS = re.compile(r"^\s*[«\"“„]?[А-ЯЁA-Z]")
_ENTRY_YEAR = re.compile(rf"(?<![\w/.:=-])(?P<year>{YEAR})(?![\w/])")


_HEADING_HINTS = ("литер", "источн", "библиогр", "список", "refer", "bibliog", "sources", "works", "literat")
_SPACED_OUT = re.compile(r"\s*(?:[А-ЯЁA-Z]\s){3}")


def heading_kind(text: str) -> str | None:
    """'ru' for a Russian list heading, 'en' for an English one, None otherwise."""
    t = text.strip()
    if not t or len(t) > 80 or (t.count(" ") > 8 and not _SPACED_OUT.match(t)):
        return None  # a heading is a few words (or one spaced out); a line of prose is not
    low = t.lower()
    if not any(hint in low for hint in _HEADING_HINTS) and not _SPACED_OUT.match(t):
        return None
    first = re.search(r"[^\W\d_]", t)
    if first is None or first.group(0).islower():
        return None  # a heading starts with a capital: "источники." is a sentence's end
    if re.fullmatch(r"(?:[А-ЯЁA-Z]\s){3,}[А-ЯЁA-Z]", t):
        t = t.replace(" ", "")  # "Л И Т Е Р А Т У Р А"
    t = re.sub(r"^\s*(?:\d{1,2}\.|[IVX]+\.)\s*", "", t)
    t = re.sub(r"(?<=\b[A-ZА-ЯЁ]) (?=[A-ZА-ЯЁ]{3,}\b)", "", t)  # "R EFERENCES"
    t = t.strip(" :.").lower().replace("ё", "е")
    for variant in (t, *re.split(r"\s*/\s*", t)):
        if variant in _HEADINGS_RU:
            return "ru"
        if variant in _HEADINGS_EN:
            return "en"
    return None


def _entry_like(text: str) -> bool:
    """The line could open a reference entry: a name with initials, a number, a key."""
    return bool(_SURNAME_START.match(text) or _NUMBERED.match(text) or _KEYED.match(text))


def _stands_apart(lines: list[Line], i: int) -> bool:
    """A heading is set off from the prose: a blank line (or a page break, or the start of
    the text) before or after it, the line before it ends a paragraph, or the line after
    it opens an entry. The last word of a wrapped sentence ("источники.") is none of these."""
    before = lines[i - 1] if i > 0 else None
    after = lines[i + 1] if i + 1 < len(lines) else None
    if before is None or before.blank or after is None or after.blank:
        return True
    if before.page != lines[i].page:
        return True
    if not lines[i].text.rstrip().endswith((".", ",", ";", "-", "–", "—")) and _entry_like(after.text):
        return True
    return before.text.rstrip().endswith((".", ":", "!", "?", "»")) and lines[i].text.strip()[:1].isupper()


def _ends_list(text: str) -> bool:
    """A line that cannot be part of a reference list and closes it."""
    t = text.strip()
    end = _END_HEADINGS.match(t)
    if end and (len(t) < 60 or t[end.end() : end.end() + 1] in (":", ".")):
        return True  # "Сведения об авторах", "Для цитирования: Иванов И. И. ..."
    if (t[-1:].isdigit() and _DOT_LEADER.search(t[-200:])) or ("@" in t and _EMAIL.search(t)):
        return True  # an issue's table of contents; an author's address block
    # an article title in capitals ("ACCENT IN VERSE"), not an entry's capitalised name
    return (t.count(" ") >= 2 and bool(_CAPS_TITLE.match(t)) and not _ENTRY_YEAR.search(t)
            and sum(ch.isalpha() for ch in t) >= 15)


@dataclass(frozen=True, slots=True)
class _Section:
    """A reference list found in the text: its heading and its lines."""

    heading: str
    head: int  # index of the heading line
    start: int
    end: int  # exclusive
    kind: str  # "ru" | "en"
    slash: bool  # "Список литературы / References": one list in both languages
    closed: bool  # ended by a line that closes a list (not by the next heading or the text's end)


# Spaced-out headings ("Л И Т Е Р А Т У Р А") are found by their spaced hints.
_FIND_HINTS = (*_HEADING_HINTS, *(" ".join(h[:5]) for h in _HEADING_HINTS))
_HINT_RE = re.compile("|".join(map(re.escape, _FIND_HINTS)))  # on lower-cased text


def _heading_candidates(lines: list[Line]) -> list[int]:
    """Indices of the lines that hold a heading hint, found by one search over the whole
    (lower-cased) text: a heading test on every line costs more than the rest of this module."""
    joined = "\n".join([line.text for line in lines]).lower()
    found: list[int] = []
    line = pos = 0
    for m in _HINT_RE.finditer(joined):
        line += joined.count("\n", pos, m.start())
        pos = m.start()
        if not found or found[-1] != line:
            found.append(line)
    return found


def _sections(lines: list[Line], furniture: frozenset[int]) -> list[_Section]:
    heads = [(i, kind) for i in _heading_candidates(lines)
             if (kind := heading_kind(lines[i].text)) and _stands_apart(lines, i)]
    out: list[_Section] = []
    for k, (i, kind) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        closed = False
        for j in range(i + 1, end):
            if j not in furniture and _ends_list(lines[j].text):
                end, closed = j, True
                break
        end = _before_notes(lines, i + 1, end)
        text = lines[i].text.strip()
        if any(not lines[j].blank for j in range(i + 1, end)):
            # a heading with no entries under it ("Литература" as a word in a title) is dropped
            out.append(_Section(text, i, i + 1, end, kind, "/" in text, closed))
    return out


_NOTE_LIKE = re.compile(r"^\s*\d{1,3}\s+[«\"]?[А-ЯЁA-Z]")


def _before_notes(lines: list[Line], start: int, end: int) -> int:
    """Where the notes printed after a list begin ("3 Ю. В. Пушкарев, размышляя ..."): a
    line that opens like a footnote body, after the list's last line that opens like an
    entry, once the entry before it is finished."""
    last_entry = start
    for j in range(start, end):
        if _entry_like(lines[j].text) and not _NOTE_LIKE.match(lines[j].text):
            last_entry = j
    previous = lines[last_entry].text
    for j in range(last_entry + 1, end):
        text = lines[j].text
        if not text.strip():
            continue
        if _NOTE_LIKE.match(text) and previous.rstrip().endswith((".", ")")):
            return j
        previous = text
    return end


def find_reference_sections(
    lines: list[Line], furniture: frozenset[int] = frozenset()
) -> list[tuple[str, int, int, int, bool]]:
    """(heading, heading index, first index, end index (exclusive), transliterated) of the
    document's own lists: the lists of a neighbouring article printed in the same PDF are
    left out (see :func:`_own_lists`)."""
    return [(s.heading, s.head, s.start, s.end, translit)
            for s, translit, own in _classified(lines, furniture) if own]


def _classified(lines: list[Line], furniture: frozenset[int]) -> list[tuple[_Section, bool, bool]]:
    """Every section with (transliterated twin?, the document's own list?).

    An English list after a Russian one is the transliterated twin of the Russian list
    before it, and belongs to the same article. The other lists are grouped into
    articles: two lists belong to different articles when a line between them says an
    article ends or starts («Сведения об авторах», «Поступила в редакцию», «Аннотация»,
    «Ключевые слова», «УДК», ...) and there is text between them. The document's own
    article is the one with the most text of its own (the lines before its first list
    and after the previous list): an issue PDF cut to one article keeps only the edges
    of its neighbours."""
    sections = _sections(lines, furniture)
    if not sections:
        return []
    group_of: list[int] = []  # per section: its article
    twins: list[bool] = []
    own_text: list[int] = []  # per article: the lines of text before its first list
    last_ru: int | None = None  # the article of the last Russian list
    previous_end = 0
    first_gap = (0, 0)
    for k, s in enumerate(sections):
        twin = s.kind == "en" and not s.slash and last_ru is not None
        twins.append(twin)
        if last_ru is not None and twin:
            group_of.append(group_of[last_ru])
            previous_end = max(previous_end, s.end)
            continue
        if not own_text:
            own_text.append(-1)  # counted below, if another article's list turns up
            first_gap = (previous_end, s.head)
        else:
            gap = range(previous_end, s.head)
            boundaries = [j for j in gap if _ARTICLE_BOUNDARY.match(lines[j].text)]
            prose = _own_text(lines, furniture, previous_end, s.head, boundaries)
            if prose > 4 and boundaries:
                own_text.append(prose)
        group_of.append(len(own_text) - 1)
        if s.kind == "ru":
            last_ru = k
        previous_end = max(previous_end, s.end)
    if len(own_text) > 1:
        gap = range(*first_gap)
        own_text[0] = _own_text(lines, furniture, first_gap[0], first_gap[1],
                                [j for j in gap if _ARTICLE_BOUNDARY.match(lines[j].text)])
    main = max(range(len(own_text)), key=lambda g: (own_text[g], -g))
    return [(s, twins[k], group_of[k] == main) for k, s in enumerate(sections)]


def _own_text(lines: list[Line], furniture: frozenset[int], start: int, end: int, boundaries: list[int]) -> int:
    """Lines of text an article has before its list: after the last line that ends the
    article before it («Сведения об авторах», «Для цитирования», ...)."""
    ends = [j for j in boundaries if _ARTICLE_END.match(lines[j].text)]
    if ends:
        start = ends[-1] + 1
    return sum(1 for j in range(start, end) if not lines[j].blank and j not in furniture)


def _lone_numbers(lines: list[Line], sections: Sequence[_Section]) -> set[int]:
    """Page numbers inside the lists (the document's furniture may miss a list's pages)."""
    return {j for s in sections for j in range(s.start, s.end)
            if 0 < len(t := lines[j].text.strip()) <= 4 and t.isdigit()}


def _is_subheading(text: str) -> bool:
    """A group heading inside a list («Монографии и статьи», «Электронные ресурсы:»)."""
    t = text.strip()
    return len(t) <= 80 and not _ENTRY_YEAR.search(t) and "//" not in t and not _SURNAME_START.match(t)


_ARCHIVAL = re.compile(r"\b(?:Ф|Оп|Д|Л|Ед\.\s*хр|F|Op|D|L)\.\s*\d")


def _bibliographic(lines: list[Line], entry: list[int]) -> bool:
    """The entry looks like a description of a work: a year, a URL, '//', a name with
    initials first, a number or key, an archival shelfmark."""
    first = lines[entry[0]].text
    if _entry_like(first):
        return True
    return any(_ENTRY_YEAR.search(t) or "://" in t or "www." in t or "//" in t or _ARCHIVAL.search(t)
               for t in (lines[j].text for j in entry))


def split_entries(
    lines: list[Line], start: int, end: int, skip: frozenset[int] = frozenset()
) -> list[list[int]]:
    """The entries of one list, each as the indices of its lines. One pass: an entry is
    complete once it has its year; only then may a line start a new one, and never while
    a bracket it opened is still open. A numbered list (or one keyed "Автор 2004 — ")
    starts an entry only at a number (or a key). Blank lines, page numbers and running
    heads (``skip``) between the lines of an entry split across pages are passed over."""
    body = [j for j in range(start, end) if not lines[j].blank and j not in skip]
    if not body:
        return []
    # a numbered list starts numbered (after a sub-heading or two: «Нормативные акты»);
    # two wrapped lines that begin "8. С. 15" do not make one
    first = next((k for k, j in enumerate(body[:3]) if _NUMBERED.match(lines[j].text)), None)
    numbered = first is not None and all(_is_subheading(lines[j].text) for j in body[:first]) and sum(
        1 for j in body[:50] if _NUMBERED.match(lines[j].text)) >= 2
    if numbered:
        body = body[first:]
    keyed = not numbered and bool(_KEYED.match(lines[body[0]].text)) and sum(
        1 for j in body[:50] if _KEYED.match(lines[j].text)) >= 2
    entries: list[list[int]] = []
    current: list[int] = []
    complete = False  # the current entry has its year
    depth = 0  # brackets the current entry has opened and not closed
    prev = -1
    for j in body:
        text = lines[j].text
        gap = prev >= 0 and j != prev + 1
        if numbered:
            starts_new = bool(_NUMBERED.match(text))
        elif keyed:
            starts_new = bool(_KEYED.match(text)) or (
                depth <= 0 and bool(_SIGLUM_KEY.match(text))
                and lines[prev].text.rstrip().endswith((".", "]", ")")))
        else:
            stripped = lines[prev].text.rstrip() if prev >= 0 else ""
            opens = _OPENS.match(text) is not None and not _CONTINUATION_START.match(text)
            starts_new = not current or (depth <= 0 and (
                (complete and (bool(_SURNAME_START.match(text)) or (stripped.endswith((".", ")")) and opens)))
                or (gap and (opens or bool(_NUMBERED.match(text))) and (complete or stripped.endswith(".")))
                # an entry without a year that ends with its URL: "... ‘14. URL: http://..."
                or (opens and ends_in_url(stripped))
            ))
        if starts_new and current and not numbered and not keyed and url_runs_on(lines[prev].text, text):
            starts_new = False  # the line is the rest of the previous line's URL
        if starts_new and current:
            entries.append(current)
            current, complete, depth = [], False, 0
        current.append(j)
        complete = complete or bool(_ENTRY_YEAR.search(text))
        depth = max(0, depth + text.count("[") + text.count("{") - text.count("]") - text.count("}"))
        prev = j
    if current:
        entries.append(current)
    return entries


@dataclass(frozen=True, slots=True)
class ReferenceLists:
    """What :func:`read_reference_lists` finds (see :func:`parse_references`)."""

    references: list[Reference]
    # per entry, the lines it was read from (a piece of a flattened line, not the whole
    # line): later passes (DOIs) read the entry there
    segments: list[Segment]
    sections: list[tuple[str, int]]
    taken: set[int]


def parse_references(
    lines: list[Line], furniture: frozenset[int] = frozenset()
) -> tuple[list[Reference], list[tuple[str, int]], set[int]]:
    """Entries of the document's own lists, the (heading, line) pairs of its lists and of
    their transliterated twins, and the line indices every list found takes (a twin's and
    a neighbouring article's too: their brackets and numbers are not the paper's).
    ``furniture`` (page numbers, running heads) is passed over inside an entry.

    The twin's entries are not returned: each entry is counted once, in its own script."""
    found = read_reference_lists(lines, furniture)
    return found.references, found.sections, found.taken


def read_reference_lists(lines: list[Line], furniture: frozenset[int] = frozenset()) -> ReferenceLists:
    """:func:`parse_references` with each entry's segment of lines."""
    references: list[Reference] = []
    segments: list[Segment] = []
    sections: list[tuple[str, int]] = []
    taken: set[int] = set()
    lines, origin = _unflatten(lines)
    if origin is not None:
        furniture = frozenset(v for v, i in enumerate(origin) if i in furniture)
    classified = _classified(lines, furniture)
    skip = furniture | _lone_numbers(lines, [s for s, _, _ in classified]) if classified else furniture
    every = lines
    for s, translit, own in classified:
        # a long line that runs several entries together is cut into one line per entry
        lines, local_skip = _entry_lines(every, s.start, s.end, skip)
        entries = split_entries(lines, 0, len(lines), local_skip)
        described = sum(_bibliographic(lines, e) for e in entries)
        if entries and (described == 0 or (len(entries) >= 3 and 2 * described < len(entries))):
            continue  # the heading stands over prose (a table of contents names the list)
        taken.update(range(s.head, s.end))
        if not own:
            continue
        sections.append((s.heading, every[s.head].number))
        if translit:
            continue
        if s.closed:
            # what precedes the line that closed the list (an English title and its
            # authors before "Abstract") is not an entry: entries have their year
            while entries and not any(_ENTRY_YEAR.search(lines[j].text) or "://" in lines[j].text
                                      for j in entries[-1]):
                entries.pop()
        for entry in entries:
            seg = Segment.of([(lines[j].number, lines[j].text) for j in entry])
            segments.append(seg)
            text = _join(entry, lines)
            m = _NUMBERED.match(text)
            number = int(m["b"] or m["n"]) if m else None
            body = m["rest"] if m else text
            key = _KEYED.match(body)
            year = _ENTRY_YEAR.search(key.group(0)) if key else None
            references.append(Reference(
                index=len(references) + 1,
                line=lines[entry[0]].number,
                text=body,
                surnames=entry_surnames(body),
                year=year["year"] if year else _pick_year(_without_urls(body)),  # a key's year first
                urls=tuple(url_mentions(seg)),
                section=s.heading,
                transliterated=False,
                number=number,
            ))
    if origin is not None:
        taken = {origin[v] for v in taken}
    return ReferenceLists(references, segments, sections, taken)


# Text whose line breaks were flattened (CyberLeninka, some extractors) runs a list into one
# long line: "... Литература 1. Иванов И. И. Книга. М., 2010. 2. Петров П. П. ...".
_LONG = 200
# longest first, as the alternation takes the first that fits; ties by text, so that the
# pattern is the same in every process (the compile cache keeps patterns by their text)
_HEADING_WORDS = sorted({h for h in (*_HEADINGS_RU, *_HEADINGS_EN) if " " in h or len(h) > 8}
                        | {"литература", "references", "источники", "bibliography"}, key=lambda h: (-len(h), h))
_INLINE_HEADING = re.compile(
    r"(?:^|(?<=\s))(?P<h>(?:" + "|".join(re.escape(h) for h in _HEADING_WORDS) + r")(?:\s*/\s*references)?)"
    r"[:.]?\s+(?=(?:\d{1,3}\.|\[\d{1,3}\])\s*[«\"]?[А-ЯЁA-Z]|[А-ЯЁA-Z][а-яёa-z'’-]+,?\s+[А-ЯЁA-Z]\.)",
    re.IGNORECASE,
)
_INLINE_NUMBER = re.compile(r"(?<=\S)\s+(?P<n>\d{1,3})\.\s+(?=[«\"]?[А-ЯЁA-Z])")
# "no. 4. P. 541", "Т. 5. С. 7": a volume or issue number, not the next entry's
_NUMBER_WORD_BEFORE = re.compile(r"(?:\b(?:no|vol|iss|issue|nr|n|т|вып|ч|кн|изд|ed)\.?|№|,)$", re.IGNORECASE)
_INLINE_ENTRY = re.compile(
    r"(?<=[.)\]»\d/])\s+(?=[А-ЯЁA-Z][а-яёa-z'’-]+(?:-[А-ЯЁA-Z][а-яёa-z'’-]+)?,?\s+(?:[А-ЯЁA-Z]\.\s?){1,3}[,\s])"
)


def _entry_lines(lines: list[Line], start: int, end: int, skip: frozenset[int]) -> tuple[list[Line], frozenset[int]]:
    """The lines of one list, long lines cut at each entry they run together, and which
    of them to pass over."""
    out: list[Line] = []
    local_skip: set[int] = set()
    for j in range(start, end):
        line = lines[j]
        pieces = _entry_pieces(line.text) if len(line.text) > _LONG else None
        if j in skip:
            local_skip.add(len(out))
        if pieces is None or len(pieces) == 1:
            out.append(line)
            continue
        out.extend(Line(line.number, p, line.page, False) for p in (x.strip() for x in pieces) if p)
    return out, frozenset(local_skip)


def _unflatten(lines: list[Line]) -> tuple[list[Line], list[int] | None]:
    """Long lines cut where a list heading starts inside them ("... текст. Литература
    1. Иванов И. И. ..."), the heading as a line of its own (the same file line number),
    and the original index of every line; None when nothing was cut (the usual case:
    the lines are returned as they are)."""
    out: list[Line] = []
    origin: list[int] = []
    cut = False
    for i, line in enumerate(lines):
        pieces = _pieces(line.text) if len(line.text) > _LONG else None
        if not pieces or len(pieces) == 1:
            out.append(line)
            origin.append(i)
            continue
        cut = True
        for piece in pieces:
            out.append(Line(line.number, piece, line.page, False))
            origin.append(i)
    return (out, origin) if cut else (lines, None)


def _pieces(text: str) -> list[str]:
    cuts: set[int] = set()
    for m in _INLINE_HEADING.finditer(text):
        if m["h"][:1].isupper():
            cuts.update((m.start(), m.end("h")))
    if not cuts:
        return [text]
    bounds = sorted({0, len(text), *cuts})
    return [p for p in (text[a:b].strip() for a, b in itertools.pairwise(bounds)) if p]


def _entry_pieces(text: str) -> list[str]:
    """A run of entries cut at each entry: the next number of a numbered run, or a name
    with initials after the sentence that gave the previous entry its year."""
    first = _NUMBERED.match(text)
    points: list[int] = []
    if first:
        expected = int(first["b"] or first["n"]) + 1
        for m in _INLINE_NUMBER.finditer(text):
            if int(m["n"]) == expected and not _NUMBER_WORD_BEFORE.search(text, max(0, m.start() - 8), m.start()):
                points.append(m.start("n"))
                expected += 1
    elif len(text) > _LONG:
        year = _ENTRY_YEAR.search(text)  # the first year after the last cut: searched once per cut
        for m in _INLINE_ENTRY.finditer(text):
            if year is None:
                break
            if year.end() <= m.start():
                points.append(m.end())
                year = _ENTRY_YEAR.search(text, m.end())
    bounds = [0, *points, len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _join(entry: list[int], lines: list[Line]) -> str:
    """The entry's lines as one string: a word hyphenated at a line end is rejoined, a URL
    broken at a line end is glued back. Linear: only the last word so far is looked at."""
    parts: list[str] = []
    tail = ""  # the last whitespace-free run of the text so far
    for j in entry:
        t = lines[j].text.strip()
        if not t:
            continue
        glued = False
        if len(tail) >= 2 and tail[-1] == "-" and _LOWER.match(tail[-2]) and t[:1].islower():
            parts[-1] = parts[-1][:-1]
            tail = tail[:-1]
            glued = True
        elif ("http://" in tail or "https://" in tail or "www." in tail) and not t.startswith("("):
            glued = True
        if parts and not glued:
            parts.append(" ")
        parts.append(t)
        last = t.rsplit(None, 1)[-1]
        tail = tail + t if glued and last == t else last
    return fold_ws("".join(parts))


_LOWER = re.compile(r"[а-яёa-z]")


def _without_urls(text: str) -> str:
    text = re.sub(r"(?:https?://|www\.)\S+", " ", text)
    text = re.sub(r"\((?:дата|accessed)[^)]{0,200}\)", " ", text, flags=re.IGNORECASE)
    text = re.sub(r"(?:DOI|EDN|ISBN|ISSN)\s*:?\s*\S+", " ", text, flags=re.IGNORECASE)
    return text


_Y = r"(?:1[5-9]\d\d|20\d\d)[а-еa-e]?"
_NOT_RANGE = r"(?![\d–—-])"
# The publication year, in the order GOST descriptions give it away:
_YEAR_PLACES = (
    re.compile(rf",\s*(?P<y>{_Y}){_NOT_RANGE}\s*[.,;]"),  # "М.: Наука, 2010. 320 с."
    re.compile(rf"//[^/]*?\.\s*(?P<y>{_Y}){_NOT_RANGE}\s*[.,]"),  # "// Полис. 2019. № 3"
    re.compile(rf"\(\s*(?P<y>{_Y})\s*\)"),  # "Smith J. (2019)"
    re.compile(rf"(?<![\d–—-])\.\s*(?P<y>{_Y}){_NOT_RANGE}\s*[.,]"),  # "Polis. 2020. No. 4"
    re.compile(rf"(?<![\d–—-])(?P<y>{_Y}){_NOT_RANGE}(?!\s*(?:г\.|гг|год|-е|-х))"),
)


def _pick_year(text: str) -> str | None:
    for pattern in _YEAR_PLACES:
        m = pattern.search(text)
        if m:
            return m["y"]
    m = _ENTRY_YEAR.search(text)
    return re.sub(r"\s+", "", m["year"]) if m else None


def entry_surnames(text: str) -> tuple[str, ...]:
    """Surnames of an entry's authors: the heading before the title, and the names in
    the statement of responsibility after ' / '."""
    names: list[str] = []
    head = re.match(
        r"^\s*((?:[А-ЯЁA-Z][а-яёa-z'’-]+(?:-[А-ЯЁA-Z][а-яёa-z'’-]+)?,?\s+(?:[А-ЯЁA-Z]\.\s?){1,3},?\s*"
        r"(?:и\s+|&\s*|and\s+)?)+)",
        text,
    )
    if head:
        names += re.findall(r"([А-ЯЁA-Z][а-яёa-z'’-]+(?:-[А-ЯЁA-Z][а-яёa-z'’-]+)?),?\s+(?:[А-ЯЁA-Z]\.)",
                            head.group(1))
    resp = re.search(r"\s/\s([^/]{0,200}?)(?:\.\s[–—-]|//|;|$)", text)
    if resp:
        names += re.findall(r"(?:[А-ЯЁA-Z]\.\s?){1,3}\s*([А-ЯЁA-Z][а-яёa-z'’-]+)", resp.group(1))
    if not names:
        # an editor-less title heading: the first words stand for the author
        first = re.match(r"^\s*([^.:/]{2,120})", text)
        if first:
            names.append(first.group(1).strip())
    seen: list[str] = []
    for n in names:
        if n not in seen:
            seen.append(n)
    return tuple(seen)


def _key_year(year: str | None) -> str:
    return fold_key(year or "").replace(" ", "")


@dataclass(frozen=True, slots=True)
class _Entry:
    """A primary list entry with its matching keys computed once."""

    position: int  # index into Document.references
    ref: Reference
    year: str
    text_key: str
    surname_keys: tuple[str, ...]
    head_key: str  # the heading before " / " (the authors proper, not compilers)
    years: frozenset[str]  # every year printed in it, with a suffix letter if any


def match_citations(citations: list[Citation], references: list[Reference]) -> list[Citation]:
    """Set ``Citation.reference`` to the position (into ``references``) of the entry cited."""
    primary = [(k, r) for k, r in enumerate(references) if not r.transliterated]
    if not primary:
        return citations
    by_number = {r.number: k for k, r in primary if r.number is not None}
    # Entries are indexed by (year, first letters of a name): a citation looks at a
    # handful of entries, not the whole list. An entry is filed under its own year and
    # every other year it prints (a reprint: "1995/2010"), under each author's surname
    # and under the first word of its text (a title heading).
    index: dict[tuple[str, str], list[_Entry]] = {}
    for k, r in primary:
        text_key = fold_key(r.text)
        years = frozenset(re.findall(r"\d{4}[а-е]?", text_key))
        entry = _Entry(k, r, _key_year(r.year), text_key, tuple(fold_key(x) for x in r.surnames),
                       fold_key(r.text.split(" / ", 1)[0])[:80], years)
        names = {_name_key(name) for name in (*entry.surname_keys, text_key)} - {""}
        for year in {entry.year[:4]} | {y[:4] for y in years}:
            for name in names:
                bucket = index.setdefault((year, name), [])
                if not bucket or bucket[-1] is not entry:
                    bucket.append(entry)
    # a keyed list ("Грам. — Зализняк А. А. ...") can be cited by its key alone: [Грам.]
    by_key = {_siglum_key(m[1]): k for k, r in primary if (m := _KEY_HEAD.match(r.text))}
    out: list[Citation] = []
    memo: dict[tuple[str, str | None], int | None] = {}
    for c in citations:
        target: int | None = None
        if c.kind == "numeric":
            for n in c.numbers:
                if n in by_number:
                    target = by_number[n]
                    break
                if not by_number and 1 <= n <= len(primary):
                    target = primary[n - 1][0]
                    break
        elif c.kind == "author-year" and c.authors and c.year is None:
            target = by_key.get(_siglum_key(c.authors[0]))
        elif c.kind == "author-year" and c.authors:
            # many citations of one work share a key: each key is matched once
            key = (c.authors[0], c.year)
            if key in memo:
                target = memo[key]
            else:
                author = fold_key(surname_of(c.authors[0]))
                year = _key_year(c.year)
                target = memo[key] = _match_author_year(author, year, index.get((year[:4], _name_key(author)), []))
        elif c.kind == "ibid" and c.refers_to is not None and c.refers_to < len(out):
            target = out[c.refers_to].reference
        out.append(replace(c, reference=target) if target is not None else c)
    return out


_KEY_HEAD = re.compile(r"^\s*(\S[^—–]{0,40}?)\s+[—–]\s")


def _siglum_key(text: str) -> str:
    return fold_key(text).strip(" .")


def _name_key(name: str) -> str:
    """Names that _same_name() can equate share the first four letters of their first word."""
    m = re.search(r"\w+", name)
    return m.group(0)[:4] if m else ""


def _match_author_year(author: str, year: str, entries: list[_Entry]) -> int | None:
    best: tuple[int, int, int] | None = None
    for e in entries:
        score = _year_score(year, e)
        if not score:
            continue
        heading = e.text_key.lstrip(" [").startswith(author) or (
            bool(e.surname_keys) and _same_name(author, e.surname_keys[0]) and _in_head(e.head_key, author))
        if heading or any(_same_name(author, s) for s in e.surname_keys):
            # the entry under the author's own name beats one they co-wrote or compiled
            rank = (-score, 0 if heading else 1, e.position)
            if best is None or rank < best:
                best = rank
            if rank[:2] == (-2, 0):
                break  # entries come in list order: nothing later ranks higher
    return best[2] if best is not None else None


def _in_head(head_key: str, author: str) -> bool:
    """The author stands in the entry's heading (before the title), not only after ' / '."""
    return author[:-1] in head_key if len(author) > 4 else author in head_key


def _year_score(year: str, entry: _Entry) -> int:
    """2: the same year and suffix; 1: a suffix on one side only, or a second year of
    the entry (a reprint: "1995/2010"); 0: no match."""
    ry = entry.year
    if ry == year:
        return 2
    if year[:4] == ry[:4] and (len(year) == 4 or len(ry) == 4):
        return 1
    if year in entry.years:
        return 1
    return 0


def _same_name(a: str, b: str) -> bool:
    a, b = a.strip(), b.strip()
    if a == b:
        return True
    if len(a) >= 5 and len(b) >= 5:
        # inflected or title-heading forms: compare stems
        return a[:-1] == b[:-1] or b.startswith(a) or a.startswith(b)
    return False


def cited_in_footnotes(
    references: Sequence[Reference], footnote_texts: Sequence[str], skip: set[int] | frozenset[int] = frozenset()
) -> set[int]:
    """Positions of the entries a footnote names by author and year (such an entry is
    cited, though not in brackets). Footnotes are indexed by the years they print."""
    wanted = {r.year[:4] for k, r in enumerate(references) if k not in skip and r.year}
    by_year: dict[str, list[str]] = {}
    for text in footnote_texts:
        years = wanted.intersection(re.findall(r"\d{4}", text))
        if years:
            folded = fold_key(text)
            for year in years:
                by_year.setdefault(year, []).append(folded)
    # one string per year, notes kept apart by newlines (no name spans one)
    joined = {year: "\n".join(texts) for year, texts in by_year.items()}
    out: set[int] = set()
    for k, ref in enumerate(references):
        if (k not in skip and ref.surnames and ref.year
                and fold_key(ref.surnames[0]) in joined.get(ref.year[:4], "")):
            out.add(k)
    return out
