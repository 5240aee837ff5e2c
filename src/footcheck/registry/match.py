"""Does a registry record describe the cited work? Title, year and first author compared,
transliteration-aware.

Russian entries are compared with records that are often in Latin script (a
transliterated or an English title, ``Zhiltsov`` for ``Жильцов``). Both sides are brought
to one loose Latin form: Cyrillic transliterated (iuliia), then the letters in which the
schemes differ folded together (``yu``/``iu``/``ju`` -> ``u``, ``kh``/``x`` -> ``h``,
``ts``/``cz`` -> ``c``, ``y``/``j`` -> ``i``, apostrophes dropped ...). Titles are compared
with rapidfuzz: the record's title against the whole entry (``partial_ratio``: the title is
somewhere in it, wherever the parser would cut it), against the transliterated twin entry
and its ``[translated title]`` when the paper has a References list.

A record whose title is in another language than every text of the entry (an English
title for a Russian entry without a twin) gives no title verdict: author and year decide.

The thresholds for a *suggested* DOI (an entry without one) are precision-first and were
chosen on the labelled pairs of ``benchmarks/bench_registry_match.py`` (figures in
``benchmarks/registry.md``): a candidate is suggested only when its title agrees at
:data:`SUGGEST_TITLE` or better, its year is the entry's, and its first author is the
entry's (or the record names no author and the title agrees at :data:`SUGGEST_TITLE_ALONE`),
and the second candidate does not pass as well.
"""

from __future__ import annotations

import itertools
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from footcheck.registry.interface import Record

GOOD_TITLE = 0.80  # at or above: the same title
BAD_TITLE = 0.55  # below: another title
SAME_NAME = 0.85
SUGGEST_TITLE = 0.92
SUGGEST_TITLE_ALONE = 0.96
WEIGHTS = {"title": 0.6, "author": 0.25, "year": 0.15}

_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_LOOSE_FOLDS = (("shch", "sh"), ("shh", "sh"), ("yu", "u"), ("iu", "u"), ("ju", "u"), ("ya", "a"),
                ("ia", "a"), ("ja", "a"), ("yo", "o"), ("jo", "o"), ("ye", "e"), ("je", "e"), ("kh", "h"),
                ("x", "h"), ("cz", "c"), ("ts", "c"), ("zh", "z"), ("ch", "c"), ("sh", "s"), ("y", "i"),
                ("j", "i"), ("w", "v"), ("ii", "i"))


@dataclass(frozen=True, slots=True)
class EntryView:
    """What is compared of a reference entry (or a footnote)."""

    text: str  # the entry as printed
    year: str | None = None
    surname: str | None = None  # the first author's surname, if the entry has one
    twin: str | None = None  # the paired entry of the transliterated References list


@dataclass(frozen=True, slots=True)
class Agreement:
    title: float | None  # 0..1, None: no comparable title
    author: float | None  # 1 first author, 0.5 another author of the record, 0 none; None: unknown
    year: float | None  # 1 same year, 0.5 a year apart, 0 otherwise; None: unknown
    score: float  # weighted over the parts that are known
    strict_title: float | None = None  # whole title against the entry's title, when it could be told

    def verdict(self) -> str:
        """"match", "partial" (the record may be the work, but a part disagrees), "other"
        (another work) or "unknown"."""
        t, a, y = self.title, self.author, self.year
        if t is None:
            if a is None and y is None:
                return "unknown"
            if a == 0 or y == 0:
                return "other"
            return "match"
        if t < BAD_TITLE:
            return "other"
        if t >= GOOD_TITLE:
            if a == 0 and y == 0:
                return "other"
            if a == 0 or y == 0:
                return "partial"
            # the title is found in the entry, but the entry's own title is another one
            # (a companion paper: «… Part 2»): not sure enough for either verdict
            return "partial" if self.strict_title is not None and self.strict_title < GOOD_TITLE else "match"
        return "partial" if a == 1 and y != 0 else "other"


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = re.sub(r"</?(?:i|b|sub|sup|em|strong|scp|mml:[a-z]+)\b[^>]*>", "", text)  # markup in Crossref titles
    text = re.sub(r"(?:https?://|www\.)\S+|\bdoi:?\s*\S+", " ", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@lru_cache(maxsize=1)
def _schema() -> object:
    import iuliia

    return iuliia.WIKIPEDIA


@lru_cache(maxsize=4096)
def loose(text: str) -> str:
    """One Latin form for a text in Cyrillic or in any transliteration of it."""
    t = normalize(re.sub(r"['’ʹʺ`]", "", text))
    if _CYRILLIC.search(t):
        t = _schema().translate(t).lower()  # type: ignore[attr-defined]
    t = _strip_marks(t)
    t = re.sub(r"['’ʹʺ`\"]", "", t)
    for a, b in _LOOSE_FOLDS:
        t = t.replace(a, b)
    return " ".join(re.sub(r"[^a-z0-9]+", " ", t).split())


def _bracketed(text: str) -> list[str]:
    return [b for b in re.findall(r"\[([^\]]{8,})\]", text) if re.search(r"[A-Za-z]{3}", b)]


def title_agreement(record: Record, entry: EntryView) -> float | None:
    best: float | None = None
    cyr_entry = normalize(entry.text) if _CYRILLIC.search(entry.text) else None
    latin_texts = [loose(entry.text)]
    if entry.twin:
        latin_texts.append(loose(entry.twin))
        latin_texts += [loose(b) for b in _bracketed(entry.twin)]
    latin_texts += [loose(b) for b in _bracketed(entry.text)]
    entry_is_cyrillic = cyr_entry is not None and len(_CYRILLIC.findall(entry.text)) * 2 > len(
        re.findall(r"[^\W\d_]", entry.text))
    for title in record.titles:
        norm = normalize(title)
        if len(norm) < 3:
            continue
        if _CYRILLIC.search(norm):
            if cyr_entry is None:
                continue
            sim = _similar(norm, cyr_entry)
        else:
            sim = max(_similar(loose(title), t) for t in latin_texts if t)
            if entry_is_cyrillic and not entry.twin and sim < GOOD_TITLE and not _bracketed(entry.text):
                continue  # an English title against a Russian entry: nothing to judge by
        best = sim if best is None else max(best, sim)
    return best


def _similar(title: str, text: str) -> float:
    if not title or not text:
        return 0.0
    if len(title) < 12:
        # a short title must stand as words of the entry, not inside one
        return 1.0 if re.search(rf"(?<!\w){re.escape(title)}(?!\w)", text) else fuzz.ratio(title, text) / 100
    return fuzz.partial_ratio(title, text) / 100


# the author group at the start of an entry: "Иванов И. И., Петров П. П." / "Zhiltsov Yu.A."
_AUTHORS = re.compile(r"^\s*(?:[^\W\d_][\w'’-]*,?\s+(?:[^\W\d_]{1,2}\.\s?-?){1,3},?\s*(?:и\s+|and\s+|&\s*)?)+")
# where a title ends: the host («//»), the responsibility («/»), an area («. –»), the place
_TITLE_END = re.compile(r"\s//|\s/\s|\.\s[–—-]\s|\s\[|\.\s(?:М|СПб|Л|Киев|Minsk|Moscow|St\.|New York|London)\b|"
                        r"\.\s(?=[A-ZА-ЯЁ][^.]{2,60}(?:,\s*|\.\s*)(?:1[89]|20)\d\d)")


def entry_titles(entry: EntryView) -> list[str]:
    """The titles an entry gives: the title after the authors, its transliteration and its
    [translation] in the twin. Empty when none can be told."""
    out: list[str] = []
    for text in (entry.text, entry.twin):
        if not text:
            continue
        head = _AUTHORS.match(text)
        rest = text[head.end():] if head else text
        m = _TITLE_END.search(rest)
        title = rest[: m.start()] if m else ""
        if len(title.strip(" .")) >= 5:
            out.append(title.strip(" ."))
        out += [b.strip() for b in _bracketed(text)]
    return out


def _main(title: str) -> str:
    return title.split(":", 1)[0] if len(title.split(":", 1)[0]) >= 12 else title


def strict_title_agreement(record: Record, entry: EntryView) -> float | None:
    """Whole-title similarity (rapidfuzz ``ratio``) between the record's titles and the
    entry's, each with and without its subtitle; None when the entry gives no title in
    the record's script."""
    best: float | None = None
    mine = entry_titles(entry)
    for title in record.titles:
        cyr = bool(_CYRILLIC.search(title))
        for own in mine:
            if bool(_CYRILLIC.search(own)) != cyr:
                continue
            key = normalize if cyr else loose
            sim = max(_whole(key(title), key(own)), _whole(key(_main(title)), key(_main(own))))
            best = sim if best is None else max(best, sim)
    return best


def _whole(a: str, b: str) -> float:
    """``ratio`` of two titles, capped by how completely each one's words are found in the
    other (a word may carry a typo): a title that differs in one word («Part 2») is not
    the same title, however similar its letters."""
    ratio = fuzz.ratio(a, b) / 100
    return min(ratio, _cover(a, b), _cover(b, a))


def _cover(a: str, b: str) -> float:
    words = [w for w in a.split() if len(w) >= 3]
    if not words:
        return 1.0
    others = b.split()
    # a space lost in extraction glues two words: "нащацы рыща" printed "нащацырыща"
    others += [x + y for x, y in itertools.pairwise(others)]
    found = 0
    for w in words:
        # the word itself, or with a typo (one edit, two in a long word)
        limit = 1 if len(w) < 8 else 2
        if w in others or any(Levenshtein.distance(w, o, score_cutoff=limit) <= limit for o in others):
            found += 1
    return found / len(words)


def _is_surname(name: str | None) -> bool:
    return name is not None and len(name.split()) == 1 and 2 <= len(name) <= 40


def author_agreement(record: Record, entry: EntryView) -> float | None:
    if not record.authors or not _is_surname(entry.surname):
        return None
    assert entry.surname is not None
    mine = loose(entry.surname)
    for n, family in enumerate(record.authors[:20]):
        theirs = loose(family.split()[-1] if " " in family.strip() and n == 0 and len(family) > 40 else family)
        if not theirs:
            continue
        if fuzz.ratio(mine, theirs) / 100 >= SAME_NAME or (len(mine) >= 5 and theirs.startswith(mine[:-1])):
            return 1.0 if n == 0 else 0.5
    return 0.0


def year_agreement(record: Record, entry: EntryView) -> float | None:
    if not entry.year or not record.year:
        return None
    mine = entry.year[:4]
    years = {record.year, *record.other_years}
    if mine in years:
        return 1.0
    if mine.isdigit() and any(y.isdigit() and abs(int(y) - int(mine)) == 1 for y in years):
        return 0.5
    return 0.0


def compare(record: Record, entry: EntryView) -> Agreement:
    parts = {"title": title_agreement(record, entry), "author": author_agreement(record, entry),
             "year": year_agreement(record, entry)}
    known = {k: v for k, v in parts.items() if v is not None}
    weight = sum(WEIGHTS[k] for k in known)
    score = sum(WEIGHTS[k] * v for k, v in known.items()) / weight if weight else 0.0
    return Agreement(parts["title"], parts["author"], parts["year"], round(score, 4),
                     strict_title_agreement(record, entry))


def acceptable(agreement: Agreement, strict_title: float | None = None) -> bool:
    """A candidate good enough to suggest (precision first): the whole title agrees
    (the strict comparison, when the entry's title could be told; else the title found
    in the entry), the year is the entry's and the first author is the entry's."""
    t, a, y = agreement.title, agreement.author, agreement.year
    strict = strict_title if strict_title is not None else agreement.strict_title
    if strict is not None:
        t = strict
    if t is None or y != 1.0:
        return False
    if a == 1.0:
        return t >= SUGGEST_TITLE
    return a is None and t >= SUGGEST_TITLE_ALONE


def suggestion(candidates: Sequence[Record], entry: EntryView) -> tuple[Record, Agreement] | None:
    """The one candidate to suggest for an entry without a DOI, or None (none good
    enough, or two different works equally good)."""
    passing = [(c, ag) for c in candidates if acceptable(ag := compare(c, entry))]
    if not passing:
        return None
    passing.sort(key=lambda p: -p[1].score)
    best = passing[0]
    if len(passing) > 1 and passing[1][0].doi.lower() != best[0].doi.lower() and (
            passing[1][1].score >= best[1].score - 0.02):
        return None  # two works fit as well: no guess
    return best
