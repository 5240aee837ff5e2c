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

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from footcheck.registry.interface import Record

GOOD_TITLE = 0.80  # at or above: the same title
BAD_TITLE = 0.55  # below: another title
SAME_NAME = 0.85
SUGGEST_TITLE = 0.90
SUGGEST_TITLE_ALONE = 0.95
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

    def verdict(self) -> str:
        """"match", "partial" (the record is the work, but a part disagrees), "other"
        (another work) or "unknown"."""
        t, a, y = self.title, self.author, self.year
        if t is None:
            if a is None and y is None:
                return "unknown"
            if a == 0 or y == 0:
                return "other"
            return "match"
        if t >= GOOD_TITLE:
            if a == 0 and y == 0:
                return "other"
            return "partial" if a == 0 or y == 0 else "match"
        if t < BAD_TITLE:
            return "partial" if a == 1 and y == 1 else "other"
        return "partial" if a == 1 and y != 0 else "other"


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).lower().replace("ё", "е")
    text = re.sub(r"(?:https?://|www\.)\S+|\bdoi:?\s*\S+", " ", text)
    return " ".join(re.sub(r"[^\w]+", " ", text).split())


@lru_cache(maxsize=1)
def _schema() -> object:
    import iuliia

    return iuliia.WIKIPEDIA


@lru_cache(maxsize=4096)
def loose(text: str) -> str:
    """One Latin form for a text in Cyrillic or in any transliteration of it."""
    t = normalize(text)
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


def _is_surname(name: str | None) -> bool:
    return bool(name) and len(name.split()) == 1 and 2 <= len(name) <= 40  # type: ignore[union-attr]


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
    return Agreement(parts["title"], parts["author"], parts["year"], round(score, 4))


def acceptable(agreement: Agreement) -> bool:
    """A candidate good enough to suggest (precision first)."""
    t, a, y = agreement.title, agreement.author, agreement.year
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
