"""Labelled entry/record pairs for validating the suggestion threshold (precision first).

Every work is invented from syllables: a Russian surname and title, an English title (its
"translation"), a year and a journal. An entry is printed as a Russian GOST entry with
its References twin, as a Russian entry alone, or as an English entry. A *positive*
candidate is the registry record of the same work as Crossref would hold it: an English
or a Russian title, sometimes with a subtitle or a typo, the surname in one of several
transliteration schemes, now and then the online-first year. *Negatives* are the hard
cases a bibliographic search returns: another paper of the same author in the same year,
a similar title by another author, the same title in another year (a reprint or another
edition), a record without authors, and unrelated works.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from footcheck.registry.interface import Record
from footcheck.registry.match import EntryView

_RU_SYL = ["ра", "ло", "ми", "ст", "ко", "ве", "на", "ду", "жи", "ха", "цы", "ща", "ю", "я", "ль", "бе", "го",
           "ту", "пе", "зо", "чи", "ши", "фе", "ры"]
_EN_SYL = ["ra", "lo", "mi", "st", "ko", "ve", "na", "du", "th", "er", "in", "on", "al", "ic", "or", "an",
           "ex", "pro", "tion", "ment"]
_SURNAME_END = ["ов", "ев", "ин", "ский", "ова", "ева", "ина", "цев", "енко"]
_SCHEMES = ["BGN_PCGN", "ALA_LC_ALT", "GOST_779_ALT", "WIKIPEDIA", "ICAO_DOC_9303"]


@dataclass(frozen=True)
class Work:
    surname: str
    title_ru: str
    title_en: str
    year: int
    journal: str


@dataclass(frozen=True)
class Case:
    entry: EntryView
    record: Record
    same: bool  # the record is the cited work (and edition)
    kind: str


def _word(rng: random.Random, syllables: list[str], n: tuple[int, int]) -> str:
    return "".join(rng.choice(syllables) for _ in range(rng.randint(*n)))


def _work(rng: random.Random) -> Work:
    surname = (_word(rng, _RU_SYL, (1, 3)) + rng.choice(_SURNAME_END)).capitalize()
    title_ru = " ".join(_word(rng, _RU_SYL, (2, 4)) for _ in range(rng.randint(3, 7))).capitalize()
    title_en = " ".join(_word(rng, _EN_SYL, (2, 4)) for _ in range(rng.randint(3, 7))).capitalize()
    journal = " ".join(_word(rng, _RU_SYL, (2, 3)) for _ in range(2)).capitalize()
    return Work(surname, title_ru, title_en, rng.randint(1995, 2024), journal)


def _translit(text: str, scheme: str) -> str:
    import iuliia

    return str(getattr(iuliia, scheme).translate(text))


def _entry(w: Work, rng: random.Random, form: str) -> EntryView:
    if form == "english":
        surname = _translit(w.surname, "WIKIPEDIA")
        text = f"{surname} A. {w.title_en}. Journal of {_translit(w.journal, 'WIKIPEDIA')}, {w.year}, vol. 3, pp. 1-9."
        return EntryView(text, str(w.year), surname)
    text = f"{w.surname} А. Б. {w.title_ru} // {w.journal}. {w.year}. № 3. С. 5–19."
    twin = None
    if form == "twin":
        scheme = rng.choice(_SCHEMES)
        twin = (f"{_translit(w.surname, scheme)} A.B. {_translit(w.title_ru, scheme)} [{w.title_en}]. "
                f"{_translit(w.journal, scheme)}, {w.year}, no. 3, pp. 5–19. (In Russ.)")
    return EntryView(text, str(w.year), w.surname, twin)


def _typo(text: str, rng: random.Random) -> str:
    if len(text) < 10:
        return text
    i = rng.randrange(1, len(text) - 1)
    return text[:i] + text[i + 1:]


def _record(w: Work, rng: random.Random, *, english: bool, doi: str, year: int | None = None,
            title: str | None = None, authors: tuple[str, ...] | None = None) -> Record:
    base = title or (w.title_en if english else w.title_ru)
    if title is None and rng.random() < 0.2:
        base += ": " + " ".join(_word(rng, _EN_SYL if english else _RU_SYL, (2, 3)) for _ in range(2))
    if title is None and rng.random() < 0.3:
        base = _typo(base, rng)
    if title is None and rng.random() < 0.15:
        base = _typo(_typo(base, rng), rng)  # OCR or a careless deposit: two letters lost
    family = _translit(w.surname, rng.choice(_SCHEMES)) if english else w.surname
    return Record(doi=doi, titles=(base,), year=str(year or w.year),
                  authors=authors if authors is not None else (family, "Coauthor"))


def cases(n: int = 400, seed: int = 7) -> list[Case]:
    rng = random.Random(seed)
    works = [_work(rng) for _ in range(n)]
    out: list[Case] = []
    for i, w in enumerate(works):
        form = rng.choice(["twin", "twin", "russian", "english"])
        entry = _entry(w, rng, form)
        english_record = form != "russian" or rng.random() < 0.3
        if form == "russian" and english_record:
            english_record = False  # without a twin an English record cannot be judged by title
        doi = f"10.12345/w{i}"
        year = w.year + 1 if rng.random() < 0.1 else w.year  # online-first, same edition
        out.append(Case(entry, _record(w, rng, english=english_record, doi=doi, year=year),
                        same=year == w.year, kind="same work" if year == w.year else "online-first year"))
        other = works[(i + 1) % n]
        # another paper of the same author in the same year
        out.append(Case(entry, _record(other, rng, english=english_record, doi=doi + "x",
                                       year=w.year, authors=(_translit(w.surname, "BGN_PCGN") if english_record
                                                             else w.surname,)),
                        same=False, kind="same author, other title"))
        # a similar title by another author: two thirds of the words kept
        words = (w.title_en if english_record else w.title_ru).split()
        keep = max(1, len(words) * 2 // 3)
        similar = " ".join(words[:keep] + (other.title_en if english_record else other.title_ru).split()[keep:])
        out.append(Case(entry, _record(other, rng, english=english_record, doi=doi + "y", year=w.year,
                                       title=similar), same=False, kind="similar title, other author"))
        # the same author's companion paper that year ("Part 2", a conference version)
        out.append(Case(entry, _record(other, rng, english=english_record, doi=doi + "p", year=w.year,
                                       title=similar, authors=(_translit(w.surname, "BGN_PCGN") if english_record
                                                               else w.surname,)),
                        same=False, kind="same author and year, similar title"))
        # a companion paper whose title differs in one word only ("… Part 2", "… in Siberia")
        words = (w.title_en if english_record else w.title_ru).split()
        j = rng.randrange(len(words))
        words[j] = _word(rng, _EN_SYL if english_record else _RU_SYL, (2, 4))
        out.append(Case(entry, _record(other, rng, english=english_record, doi=doi + "q", year=w.year,
                                       title=" ".join(words),
                                       authors=(_translit(w.surname, "BGN_PCGN") if english_record
                                                else w.surname,)),
                        same=False, kind="same author and year, one word differs"))
        # the same title in another year: a reprint or another edition
        out.append(Case(entry, _record(w, rng, english=english_record, doi=doi + "z", year=w.year + rng.choice(
            [-5, -2, 2, 6])), same=False, kind="same title, other year"))
        # a record without authors
        mine = rng.random() < 0.5
        out.append(Case(entry, _record(w if mine else other, rng, english=english_record, doi=doi + "n",
                                       authors=()), same=mine, kind="no authors"))
    return out


def score(selected: list[tuple[Case, bool]]) -> tuple[float, float, int, int, int]:
    """(precision, recall, true positives, false positives, positives)."""
    tp = sum(1 for c, ok in selected if ok and c.same)
    fp = sum(1 for c, ok in selected if ok and not c.same)
    positives = sum(1 for c, _ in selected if c.same)
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / positives if positives else 1.0
    return precision, recall, tp, fp, positives
