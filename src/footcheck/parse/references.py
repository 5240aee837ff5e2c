"""Reference lists: finding the section, splitting it into entries, reading each entry's
authors and year, and matching bracketed citations to entries.

Russian journals often print the list twice, the second time transliterated under
"References"; that twin is marked ``transliterated`` and never matched or reported as
uncited.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from footcheck.model import Citation, Reference
from footcheck.parse.citations import YEAR, surname_of
from footcheck.parse.text import Line, fold_key, fold_ws
from footcheck.parse.urls import Segment, url_mentions

_HEADINGS_RU = (
    "список литературы", "литература", "библиографический список", "источники",
    "список источников", "список источников и литературы", "источники и литература",
    "список использованных источников и литературы", "список использованной литературы",
    "использованная литература", "список использованных источников", "библиография",
    "список цитируемой литературы", "цитируемая литература", "литература и источники",
)  # fmt: skip
_HEADINGS_EN = ("references", "bibliography", "sources", "works cited", "literature",
                "reference list", "list of references")
# Sections that end a reference list.
_END_HEADINGS = re.compile(
    r"^(?:об\s+авторе|об\s+авторах|сведения\s+об\s+авторе|информация\s+об\s+авторе|"
    r"about\s+the\s+authors?|information\s+about\s+the\s+authors?|author\s+information|"
    r"приложени[ея]|appendix|примечания|notes|аннотация|abstract|ключевые\s+слова|keywords)\b",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r"^\s*(?:\[(?P<b>\d{1,3})\]|(?P<n>\d{1,3})[.)])\s+(?P<rest>\S.*)$")
_PARTICLE = r"(?:(?:de|van|von|der|den|di|da|du|le|la|ван|фон|де|дер)\s+)?"
_SURNAME_START = re.compile(
    rf"^\s*{_PARTICLE}(?P<surname>[А-ЯЁA-Z][а-яёa-z'’-]+(?:-[А-ЯЁA-Z][а-яёa-z'’-]+)?),?\s+"
    r"(?:[А-ЯЁA-Z]\.\s?){1,3}"
)
_CONTINUATION_START = re.compile(
    r"^\s*(?:[А-ЯЁA-Z]\.|URL|DOI|EDN|С\.|P\.|Т\.|Vol|No|pp|Ф\.|Оп\.|Д\.|Л\.|\(In Russ)"
)
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
    t = t.strip(" :.").lower().replace("ё", "е")
    for variant in (t, *re.split(r"\s*/\s*", t)):
        if variant in _HEADINGS_RU:
            return "ru"
        if variant in _HEADINGS_EN:
            return "en"
    return None


def _stands_apart(lines: list[Line], i: int) -> bool:
    """A heading is set off from the prose: a blank line (or a page break, or the start of
    the text) before or after it, or the line before it ends a paragraph. The last word of
    a wrapped sentence ("источники.") is none of these."""
    before = lines[i - 1] if i > 0 else None
    after = lines[i + 1] if i + 1 < len(lines) else None
    if before is None or before.blank or after is None or after.blank:
        return True
    if before.page != lines[i].page:
        return True
    return before.text.rstrip().endswith((".", ":", "!", "?", "»")) and lines[i].text.strip()[:1].isupper()


def find_reference_sections(lines: list[Line]) -> list[tuple[str, int, int, int, bool]]:
    """(heading, heading index, first index, end index (exclusive), transliterated)."""
    heads = [(i, heading_kind(line.text), line.text.strip()) for i, line in enumerate(lines)]
    heads = [(i, kind, text) for i, kind, text in heads if kind and _stands_apart(lines, i)]
    sections = []
    for k, (i, kind, text) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(lines)
        for j in range(i + 1, end):
            if _END_HEADINGS.match(lines[j].text.strip()) and len(lines[j].text.strip()) < 60:
                end = j
                break
        has_ru_before = any(kd == "ru" for _, kd, _ in heads[:k])
        translit = kind == "en" and (has_ru_before or "/" in text)
        if "/" in text and kind == "ru":
            translit = False
        sections.append((text, i, i + 1, end, translit and has_ru_before))
    # a heading with no entries under it ("Литература" as a word in a title) is dropped
    return [s for s in sections if any(not lines[j].blank for j in range(s[2], s[3]))]


def split_entries(lines: list[Line], start: int, end: int) -> list[list[int]]:
    entries: list[list[int]] = []
    current: list[int] = []
    # a numbered list starts numbered; two wrapped lines that begin "8. С. 15" do not make one
    first = next((j for j in range(start, end) if not lines[j].blank), None)
    numbered = first is not None and bool(_NUMBERED.match(lines[first].text)) and sum(
        1 for j in range(start, end) if _NUMBERED.match(lines[j].text)) >= 2
    prev_text = ""
    for j in range(start, end):
        text = lines[j].text
        if not text.strip():
            if current:
                entries.append(current)
                current = []
            prev_text = ""
            continue
        starts_new = False
        if numbered:
            starts_new = bool(_NUMBERED.match(text))
        else:
            stripped = prev_text.rstrip()
            # an entry is complete once it has its year; only then may a line start a new one
            complete = bool(current) and any(_ENTRY_YEAR.search(lines[k].text) for k in current)
            starts_new = not current or (complete and (
                bool(_SURNAME_START.match(text))
                or (stripped.endswith((".", ")")) and text.strip()[:1].isupper()
                    and not _CONTINUATION_START.match(text))
            ))
        if starts_new and current:
            entries.append(current)
            current = []
        current.append(j)
        prev_text = text
    if current:
        entries.append(current)
    return entries


def parse_references(lines: list[Line]) -> tuple[list[Reference], list[tuple[str, int]], set[int]]:
    """Entries of every list, the (heading, line) pairs, and the line indices they take."""
    references: list[Reference] = []
    sections: list[tuple[str, int]] = []
    taken: set[int] = set()
    for heading, hi, start, end, translit in find_reference_sections(lines):
        sections.append((heading, lines[hi].number))
        taken.update(range(hi, end))
        for index, entry in enumerate(split_entries(lines, start, end), start=1):
            seg = Segment.of([(lines[j].number, lines[j].text) for j in entry])
            text = _join(entry, lines)
            m = _NUMBERED.match(text)
            number = int(m["b"] or m["n"]) if m else None
            body = m["rest"] if m else text
            references.append(Reference(
                index=index,
                line=lines[entry[0]].number,
                text=body,
                surnames=entry_surnames(body),
                year=_pick_year(_without_urls(body)),
                urls=tuple(url_mentions(seg)),
                section=heading,
                transliterated=translit,
                number=number,
            ))
    return references, sections, taken


def _join(entry: list[int], lines: list[Line]) -> str:
    out = ""
    for j in entry:
        t = lines[j].text.strip()
        if out.endswith("-") and re.search(r"[а-яёa-z]-$", out) and t[:1].islower():
            out = out[:-1] + t
        elif re.search(r"(?:https?://|www\.)\S*$", out) and not t.startswith("("):
            out += t
        else:
            out = (out + " " + t) if out else t
    return fold_ws(out)


def _without_urls(text: str) -> str:
    text = re.sub(r"(?:https?://|www\.)\S+", " ", text)
    text = re.sub(r"\((?:дата|accessed)[^)]*\)", " ", text, flags=re.IGNORECASE)
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
    out: list[Citation] = []
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
        elif c.kind == "author-year" and c.authors:
            author = fold_key(surname_of(c.authors[0]))
            target = _match_author_year(c, author, index.get((_key_year(c.year)[:4], _name_key(author)), []))
        elif c.kind == "ibid" and c.refers_to is not None and c.refers_to < len(out):
            target = out[c.refers_to].reference
        out.append(replace(c, reference=target) if target is not None else c)
    return out


def _name_key(name: str) -> str:
    """Names that _same_name() can equate share the first four letters of their first word."""
    m = re.search(r"\w+", name)
    return m.group(0)[:4] if m else ""


def _match_author_year(c: Citation, author: str, entries: list[_Entry]) -> int | None:
    year = _key_year(c.year)
    candidates = []
    for e in entries:
        score = _year_score(year, e)
        if not score:
            continue
        heading = e.text_key.lstrip(" [").startswith(author) or (
            bool(e.surname_keys) and _same_name(author, e.surname_keys[0]) and _in_head(e.head_key, author))
        if heading or any(_same_name(author, s) for s in e.surname_keys):
            # the entry under the author's own name beats one they co-wrote or compiled
            candidates.append((-score, 0 if heading else 1, e.position))
    return min(candidates)[2] if candidates else None


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
