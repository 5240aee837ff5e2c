"""Bracketed references in the running text: ``[Попов 2016]``, ``[1, с. 25]``, ``[Там же]``.

A bracket is a citation when it holds a year-like token, numbers of a numbered list,
or a repeat ("Там же", "Ibid."). Everything else in square brackets — ``[sic]``,
``[...]``, editorial notes, bare years — is left alone.
"""

from __future__ import annotations

import re
from dataclasses import replace

from footcheck.model import Citation
from footcheck.parse.dates import EN_MONTH_RE, RU_MONTH_RE
from footcheck.parse.text import Line, fold_ws

_BRACKET = re.compile(r"\[([^\[\]]{1,400})\]")
YEAR = r"(?:1[5-9]\d\d|20\d\d)(?:[а-еa-e](?![\w]))?"  # "2019а": a suffix is glued
_SPECIAL_YEAR = r"(?:б\.\s?г\.|n\.\s?d\.|в\s+печати|in\s+press|forthcoming)"
# a year stands apart, or after an ellipsis ("содержание...1956a"), or glued to a name
# ("Перминов2007"); never inside a date or a URL ("12.05.2019", "/2019/")
_YEAR_RE = re.compile(
    r"(?:(?<=\.\.)|(?<=…)|(?<=[а-яё]{3})|(?<![\w/.-]))"
    rf"(?P<year>{YEAR}(?:\s*[/(]\s*(?:1[5-9]\d\d|20\d\d)\)?)?|{_SPECIAL_YEAR})(?![\w])",
    re.IGNORECASE,
)
# "ibidem" before "ibid": the shorter would leave "em" as the locator
_IBID = re.compile(r"^\s*(?:там\s*[-‐]?\s*же|ibidem|ibid\.?)\s*[.,:]?\s*(?P<loc>.*)$", re.IGNORECASE)
_NUMERIC = re.compile(
    r"^\s*(?P<nums>\d{1,4}(?:\s*[-–—]\s*\d{1,4})?(?:\s*,\s*\d{1,4}(?:\s*[-–—]\s*\d{1,4})?)*)"
    r"(?:\s*[,:]\s*(?P<loc>(?:[сСpPТтVvлЛ]{1,2}\.|гл\.|ch\.|pp\.|стб\.).*))?\s*$"
)
_LOCATOR_PREFIX = re.compile(r"^\s*[:,.]?\s*")
_ET_AL = re.compile(r"\s*(?:,?\s*и\s+др\.?|,?\s*et\s+al\.?|,?\s*и\s+соавт\.?)\s*$", re.IGNORECASE)
_INITIALS = re.compile(r"(?:\b[А-ЯЁA-Z]\.\s?){1,3}")


def find_citations(
    lines: list[Line], skip: frozenset[int], furniture: frozenset[int] = frozenset()
) -> list[Citation]:
    """All bracketed citations in the lines not in ``skip`` (reference lists). Lines in
    ``furniture`` (page numbers, running heads) are passed over, so a bracket broken by a
    page break (``[Марусенко и`` / ``68`` / running head / ``др. 2001]``) still reads."""
    parts: list[str] = []
    starts: list[int] = []
    numbers: list[int] = []
    pos = 0
    for i, line in enumerate(lines):
        text = "" if i in skip or i in furniture else line.text
        if furniture and text.endswith(_DIGITS) and _page_ends(lines, i):
            text = _unglue_page_number(text)
        starts.append(pos)
        numbers.append(line.number)
        parts.append(text)
        pos += len(text) + 1
    text = "\n".join(parts)
    if "[" not in text:
        return []
    import bisect

    citations: list[Citation] = []
    for m in _BRACKET.finditer(text):
        inner = m.group(1)
        if inner.count("\n") > 3 and sum(1 for piece in inner.split("\n") if piece.strip()) > 4:
            continue  # a bracket that spans a paragraph is not a citation
        first = numbers[bisect.bisect_right(starts, m.start()) - 1]
        found = parse_bracket(inner, first)
        if not found:
            found = _narrative(inner, text[max(0, m.start() - 80) : m.start()], first)
        citations.extend(found)
    return _link_repeats(citations)


_DIGITS = tuple("0123456789")
_GLUED_PAGE_NUMBER = re.compile(r"(?<=[а-яёa-z])\d{1,4}$")


def _page_ends(lines: list[Line], i: int) -> bool:
    """Line i is the last line of text on its page (blank lines may follow)."""
    for j in range(i + 1, min(i + 4, len(lines))):
        if lines[j].page != lines[i].page:
            return True
        if not lines[j].blank:
            return False
    return False


def _unglue_page_number(text: str) -> str:
    """pdftotext glues the page number to a page's last line and drops the hyphen of the
    word broken there: "[По209" + next page "гребная 2010]". Inside an open bracket the
    number goes and the hyphen comes back, so the word is rejoined."""
    if text.rfind("[") <= text.rfind("]"):
        return text
    return _GLUED_PAGE_NUMBER.sub("-", text)


# "Д. В. Сичинава [2024: 347]", "А. А. Зализняка [2004]": the author is named in the
# sentence, the bracket gives the year (and page). The name is the word right before
# the bracket, after initials.
_NAMED_BEFORE = re.compile(r"(?:\b[А-ЯЁA-Z]\.\s?){1,2}\s*(?P<name>[А-ЯЁA-Z][а-яёa-z'’-]+)\s*$")
_BARE_YEAR = re.compile(rf"^\s*(?P<year>{YEAR})\s*(?:[:,]\s*(?P<loc>[^;\[\]]{{1,40}}))?\s*$")


def _narrative(inner: str, before: str, line: int) -> list[Citation]:
    m = _BARE_YEAR.match(inner)
    named = _NAMED_BEFORE.search(before) if m else None
    if m is None or named is None:
        return []
    locator = _clean_locator(m["loc"] or "")
    if locator and not re.fullmatch(r"[\d\s,–—-]+(?:\s*и\s+сл\.)?|[сСpP]{1,2}\.\s*[\d\s,–—-]+", locator):
        return []
    raw = fold_ws(inner)
    return [Citation(raw=raw, line=line, authors=(named["name"],), year=_norm_year(m["year"]), locator=locator)]


def _join_lines(inner: str) -> str:
    # "Назар-\nбаева" is one word; "Петров-\nВодкин" keeps its hyphen
    inner = re.sub(r"(?<=[а-яёa-z])-\n\s*(?=[а-яёa-z])", "", inner)
    inner = re.sub(r"-\n\s*", "-", inner)
    return fold_ws(inner)


def parse_bracket(inner: str, line: int) -> list[Citation]:
    """The citations in one bracket's text. ``inner`` may span lines; ``line`` is the
    line of the opening bracket, and each citation gets the line where its text starts."""
    line_of_part = _part_lines(inner, line)
    inner = _join_lines(inner).strip()
    if not inner or len(inner) > 300:
        return []
    cites = _parse_joined(inner, line)
    if len(set(line_of_part.values())) <= 1:
        return cites
    return [replace(c, line=_line_for(c.raw, line_of_part, c.line)) for c in cites]


def _part_lines(inner: str, line: int) -> dict[str, int]:
    """Each ';'-part of the bracket (joined and folded) -> the line its text starts on."""
    out: dict[str, int] = {}
    offset = 0
    for part in _split_top(inner, ";"):
        lead = len(part) - len(part.lstrip())
        out[fold_ws(_join_lines(part))] = line + inner.count("\n", 0, offset + lead)
        offset += len(part) + 1
    return out


def _line_for(raw: str, line_of_part: dict[str, int], default: int) -> int:
    for part, line in line_of_part.items():
        if raw and (part.startswith(raw) or raw in part):
            return line
    return default


# "см.: Иванов 2010", "ср. также Петров 2011", "cf. Smith 2001": a lead-in, not the author
_LEAD_IN = re.compile(
    r"^(?:(?:см|ср|напр|цит\.\s*по|подробнее\s+см)\.?(?:\s*также)?|cf\.|see(?:\s+also)?|e\.\s?g\.)\s*[:,]?\s*",
    re.IGNORECASE,
)


def _parse_joined(inner: str, line: int) -> list[Citation]:
    ibid = _IBID.match(inner) if ";" not in inner else None
    if ibid:
        loc = _clean_locator(ibid["loc"])
        return [Citation(raw=inner, line=line, locator=loc, kind="ibid")]
    num = _NUMERIC.match(inner) if ";" not in inner else None
    if num and not _YEAR_RE.fullmatch(inner.strip()):
        return [Citation(raw=inner, line=line, locator=_clean_locator(num["loc"] or ""),
                         kind="numeric", numbers=_expand(num["nums"]))]
    out: list[Citation] = []
    previous_authors: tuple[str, ...] = ()
    for part in _split_top(inner, ";"):
        part = part.strip()
        if not part:
            continue
        repeat = _IBID.match(part)
        if repeat:  # "[Там же, с. 5; Иванов 2010]"
            out.append(Citation(raw=part, line=line, locator=_clean_locator(repeat["loc"]), kind="ibid"))
            continue
        num = _NUMERIC.match(part)
        if num and not _YEAR_RE.fullmatch(part):
            if out and out[-1].kind != "numeric":
                return []
            nums = _expand(num["nums"])
            out.append(Citation(raw=part, line=line, locator=_clean_locator(num["loc"] or ""),
                                kind="numeric", numbers=nums))
            continue
        cites = _author_year(part, line, previous_authors)
        if not cites:
            if _SIGLUM.fullmatch(part) and ";" in inner:
                # "[Грам.; Еськова 1967]": a work cited by its siglum, no year
                out.append(Citation(raw=part, line=line, authors=(part,), year=None))
                continue
            return []  # one part is not a citation: the bracket is something else
        previous_authors = cites[-1].authors
        out.extend(cites)
    named = [c for c in out if c.kind == "author-year"]
    if named and all(c.year is None for c in named):
        return []  # sigla alone ("[Грам.; НКРЯ]") are not known to be citations
    return out


# A siglum: one to three short capitalised words, no digits ("Грам.", "МАС", "БАС-2").
_SIGLUM = re.compile(r"[А-ЯЁA-Z][^\W\d_]{0,11}\.?(?:[\s-][А-ЯЁA-Z]?[^\W\d_]{0,11}\.?){0,2}")
_DATE_WORDS = re.compile(
    r"\b(?:accessed|retrieved|viewed|дата|обращени[яе]|доступа|просмотра|"
    rf"{EN_MONTH_RE}|{RU_MONTH_RE})\b",
    re.IGNORECASE,
)


def _author_year(part: str, line: int, previous_authors: tuple[str, ...]) -> list[Citation]:
    years = list(_YEAR_RE.finditer(part))
    if not years:
        return []
    first = years[0]
    authors_text = _LEAD_IN.sub("", part[: first.start()].strip()).rstrip(",").strip()
    if authors_text and not re.search(r"[^\W\d_]{2,}", authors_text):
        return []
    if authors_text and _DATE_WORDS.search(authors_text):
        return []  # "[October 14, 1998]", "[accessed April 14, 2017]": a date, not a source
    if authors_text and ("//" in authors_text or _NAME_THEN_TITLE.search(authors_text)):
        return []  # "[Михаил Анчаров. Самшитовый лес (1979)]": the source of an example
    split = _next_source(part, first.end())
    if split is not None:
        # "[Savchuk 2009, Гришина и др. 2009]": sources separated by a comma
        head = _author_year(part[:split].rstrip().rstrip(","), line, previous_authors)
        rest = _author_year(part[split:].lstrip(", "), line, head[-1].authors if head else previous_authors)
        return head + rest if head and rest else []
    if not authors_text:
        if not previous_authors:
            return []  # a bare year in brackets: a narrative citation or no citation
        authors: tuple[str, ...] = previous_authors
    else:
        authors = split_authors(authors_text)
        if not authors:
            return []
    # "Орлова 2015, 2019": several years of one author
    cites: list[Citation] = []
    tail_start = first.end()
    chained = [first]
    for y in years[1:]:
        between = part[chained[-1].end() : y.start()]
        if re.fullmatch(r"\s*,\s*", between):
            chained.append(y)
        else:
            break
    tail_start = chained[-1].end()
    status = _STATUS.match(part, tail_start)
    if status:
        tail_start = status.end()  # "Донина и др. 2024 (в печати)"
    locator = _clean_locator(part[tail_start:])
    if locator and re.search(r"[^\W\d_]{4,}", locator) and not re.match(
        r"(?:[сСpPТтVv]{1,2}\.|pp\.|гл\.|ch\.|стб\.|л\.|f\.)", locator
    ):
        return []  # text after the year is prose, not a locator
    for k, y in enumerate(chained):
        raw = part if len(chained) == 1 else (
            (authors_text + " " if k == 0 and authors_text else "") + y.group(0)
            + (" " + locator if k == len(chained) - 1 and locator else "")
        ).strip()
        cites.append(Citation(
            raw=fold_ws(raw), line=line, authors=authors, year=_norm_year(y["year"]),
            locator=locator if k == len(chained) - 1 else None,
        ))
    return cites


# "Анчаров. Самшитовый лес": a full word, a full stop, a capital: a name and then a title
_NAME_THEN_TITLE = re.compile(r"[^\W\d_]{3,}\.\s+[«\"]?[А-ЯЁA-Z]")
_STATUS = re.compile(
    r"\s*\((?:в\s+печати|in\s+press|forthcoming|eds?\.|ред\.|сост\.|отв\.\s*ред\.|пер\.|trans\.)\)",
    re.IGNORECASE,
)
# ", Гришина и др. 2009": after a year, a comma and another name with its own year
_NEXT_SOURCE = re.compile(
    rf",\s*(?=[«\"]?[А-ЯЁA-Z][^\W\d_'’-]*(?:[\s'’-]+[^\s\d,;]+){{0,4}}?,?\s+{YEAR}(?![\w]))"
)


def _next_source(part: str, after: int) -> int | None:
    m = _NEXT_SOURCE.search(part, after)
    if m is None:
        return None
    between = part[after : m.start()]
    if re.search(r"[^\W\d_]{4,}", between) and not re.match(r"\s*[,:]?\s*(?:[сСpP]{1,2}\.|pp\.)", between):
        return None  # prose between the two: not a list of sources
    return m.start()


def _expand(nums: str) -> tuple[int, ...]:
    """'2–4, 7' -> (2, 3, 4, 7): a range cites every entry in it."""
    numbers: list[int] = []
    for piece in re.split(r"\s*,\s*", nums):
        bounds = re.split(r"\s*[-–—]\s*", piece)
        lo, hi = int(bounds[0]), int(bounds[-1])
        numbers.extend([lo] if hi < lo or hi - lo > 200 else range(lo, hi + 1))
    return tuple(numbers)


def split_authors(text: str) -> tuple[str, ...]:
    text = _ET_AL.sub("", text).strip().rstrip(",").strip()
    if not text:
        return ()
    pieces = re.split(r"\s*,\s*(?=[А-ЯЁA-Z])|\s+(?:и|&|and)\s+(?=[А-ЯЁA-Z])", text)
    out = []
    for p in pieces:
        p = p.strip().strip(",")
        if p:
            out.append(fold_ws(p))
    return tuple(out)


def _norm_year(year: str) -> str:
    return re.sub(r"\s+", "", year)


_PAGE_ABBREVIATION = re.compile(r"^(?:[сСcC]|pp?|P|S)\.\s*(?=\d)")


def _clean_locator(text: str) -> str | None:
    """': 318' -> '318'; ', с. 25' -> '25'; ', p. 4' -> '4': pages are the usual locator,
    so their abbreviation is dropped. Others ('Т. 2. С. 5', 'гл. 3') are kept as printed."""
    t = _LOCATOR_PREFIX.sub("", text or "").strip().rstrip(".,;")
    t = _PAGE_ABBREVIATION.sub("", t)
    return fold_ws(t) or None


def _split_top(text: str, sep: str) -> list[str]:
    if sep not in text:
        return [text]
    if not any(ch in text for ch in "([«"):
        return text.split(sep)
    parts: list[str] = []
    cur: list[str] = []
    depth = 0
    for ch in text:
        if ch in "([«":
            depth += 1
        elif ch in ")]»" and depth:
            depth -= 1
        if ch == sep and depth == 0:
            parts.append("".join(cur))
            cur = []
        else:
            cur.append(ch)
    parts.append("".join(cur))
    return parts


def _link_repeats(citations: list[Citation]) -> list[Citation]:
    out: list[Citation] = []
    last_real: int | None = None
    for c in citations:
        if c.kind == "ibid":
            out.append(replace(c, refers_to=last_real))
            continue
        last_real = len(out)
        out.append(c)
    return out


def split_repeats(citations: list[Citation]) -> tuple[list[Citation], list[Citation]]:
    """The citations and the bracket repeats of one list :func:`find_citations` gave (after
    :func:`footcheck.parse.references.match_citations`): a repeat's ``refers_to`` is renumbered
    to the position of the citation it repeats among the citations alone."""
    sources: list[Citation] = []
    repeats: list[Citation] = []
    position: dict[int, int] = {}  # index in the mixed list -> index among the sources
    for k, c in enumerate(citations):
        if c.kind == "ibid":
            target = position.get(c.refers_to) if c.refers_to is not None else None
            repeats.append(replace(c, refers_to=target))
        else:
            position[k] = len(sources)
            sources.append(c)
    return sources, repeats


def surname_of(author: str) -> str:
    """'Барабанов О.Н.' / 'О. Н. Барабанов' -> 'Барабанов'."""
    s = _INITIALS.sub(" ", author).strip()
    return s.split()[0] if len(s.split()) == 1 else s
