"""The transliterated ``References`` twin of a Russian reference list, paired entry by entry.

Journals indexed in Scopus and RSCI print the list twice: in Russian, then in Latin script
under ``References``, entry for entry and in the same order, each Russian title
transliterated and followed by its translation in square brackets, ``(In Russ.)`` at the
end, one transliteration scheme throughout. This module pairs the two lists and reads the
scheme of each twin entry; the rules in :mod:`footcheck.rules.twin` turn that into
findings. Pure functions; the transliteration tables are those of ``iuliia``.

Pairing works on a scheme-independent key: the consonants of the entry's first word (the
first author's surname, or the first title word) with the digraphs of every scheme folded
(``zh``/``ž`` -> z, ``kh``/``x``/``h`` -> h, ``ts``/``cz``/``c`` -> c ...) and the year.
An entry of one list is looked up by its key among the entries of the other, the nearest
position first, so a missing entry or a move is told apart from a shifted list.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from footcheck.model import Reference
from footcheck.parse.references import find_reference_sections, heading_kind, split_entries
from footcheck.parse.text import Line, fold_ws

# (id, display name, iuliia attribute). The order is the order of preference when an
# entry fits several schemes (most entries do: most letters are written alike).
SCHEMES: tuple[tuple[str, str, str], ...] = (
    ("bgn_pcgn", "BGN/PCGN", "BGN_PCGN"),
    ("lc", "LC (ALA-LC without diacritics)", "ALA_LC_ALT"),
    ("ala_lc", "ALA-LC", "ALA_LC"),
    ("gost_779_b", "GOST 7.79 System B", "GOST_779_ALT"),
    ("gost_779_a", "GOST 7.79 System A", "GOST_779"),
    ("scientific", "scientific (ISO/R 9)", "SCIENTIFIC"),
    ("wikipedia", "Wikipedia (BGN/PCGN simplified)", "WIKIPEDIA"),
    ("yandex", "Yandex (й as i, я as ya: the journals' common simplified scheme)", "YANDEX_MONEY"),
    ("icao", "ICAO Doc 9303 (passports)", "ICAO_DOC_9303"),
)
SCHEME_NAMES = {sid: name for sid, name, _ in SCHEMES}
_ALIASES = {
    "bgn": "bgn_pcgn", "bgn/pcgn": "bgn_pcgn", "bgn-pcgn": "bgn_pcgn",
    "ala_lc_alt": "lc", "ala-lc-alt": "lc", "bsi": "lc", "loc": "lc",
    "ala-lc": "ala_lc", "gost_779_alt": "gost_779_b", "gost-b": "gost_779_b", "gost_b": "gost_779_b",
    "gost 7.79 b": "gost_779_b", "gost_779": "gost_779_a", "gost-a": "gost_779_a", "gost_a": "gost_779_a",
    "gost 7.79 a": "gost_779_a", "iso9": "gost_779_a", "icao_doc_9303": "icao",
}  # fmt: skip


def scheme_id(name: str) -> str | None:
    """The scheme a journal profile names (``bgn``, ``lc``, ``gost_779_b`` ...), or None."""
    key = name.strip().lower().replace(" ", "_") if name.strip().lower() not in _ALIASES else name.strip().lower()
    key = _ALIASES.get(key, _ALIASES.get(key.replace("_", "-"), key))
    return key if key in SCHEME_NAMES else None


@dataclass(frozen=True, slots=True)
class TwinPairing:
    """How the Russian list and its twin line up."""

    russian: tuple[int, ...]  # positions of the Russian entries (Document.references), in order
    twin: tuple[int, ...]  # positions of the twin entries (Document.twin), in order
    pairs: tuple[tuple[int, int], ...]  # (k, j): Russian entry k (0-based in russian) is twin entry j
    unpaired_russian: tuple[int, ...]  # k with no counterpart
    unpaired_twin: tuple[int, ...]  # j with no counterpart
    moved: tuple[tuple[int, int], ...]  # pairs that break the order (not on the longest run in order)


def twin_entries(lines: list[Line], sections: Sequence[tuple[str, int]]) -> tuple[Reference, ...]:
    """The entries of the transliterated twin list(s), numbered from 1 in order. The
    reference parser recognises the twin and leaves its entries out of the document's
    entries (each work is counted once); here they are read for the pairing only."""
    if not any(heading_kind(heading) == "en" for heading, _ in sections):
        return ()  # the quick test: no English list heading, no twin
    out: list[Reference] = []
    counts: Counter[str] | None = None
    for heading, _head, start, end, translit in find_reference_sections(lines):
        if not translit:
            continue
        if counts is None:
            counts = Counter(t for line in lines if len(t := line.text.strip()) >= 8)
        # page numbers and running heads (a line printed three times or more) inside the list
        skip = frozenset(j for j in range(start, end) if _furniture(lines[j].text.strip(), counts))
        for entry in split_entries(lines, start, end, skip):
            text = _CITE_AS.split(_join(lines, entry), 1)[0].strip()
            if not text:
                continue
            m = _NUMBERED.match(text)
            body = m["rest"] if m else text
            years = _YEAR.findall(re.sub(r"(?:https?://|www\.|doi:?|DOI:?)\S+", " ", body))
            out.append(Reference(
                index=len(out) + 1,
                line=lines[entry[0]].number,
                text=body,
                year=years[0] if years else None,
                section=heading,
                transliterated=True,
                number=int(m["n"]) if m else None,
            ))
    return tuple(out)


_NUMBERED = re.compile(r"^\s*\[?(?P<n>\d{1,3})[.)\]]\s+(?P<rest>\S.*)$")
# what follows a list: "Как цитировать статью: …", "For citation: …"
_CITE_AS = re.compile(r"\b(?:Как\s+цитировать|Для\s+цитирования|For\s+citation|Cite\s+this\s+article|How\s+to\s+cite)",
                      re.IGNORECASE)


def _furniture(t: str, counts: Counter[str]) -> bool:
    # no entry of a list is printed three times; a running head is, year and all
    return (0 < len(t) <= 4 and t.isdigit()) or (counts.get(t, 0) >= 3 and "http" not in t)


def _join(lines: list[Line], entry: list[int]) -> str:
    """The entry's lines as one string, a word hyphenated at a line end ("[a-z]-") joined.
    Linear: only the last two characters of the text so far are looked at (a search of
    the whole text per line was quadratic in an entry of many lines)."""
    parts: list[str] = []
    tail = ""  # the last two characters of the text so far
    size = 0
    for j in entry:
        t = lines[j].text.strip()
        if len(tail) == 2 and tail[1] == "-" and "a" <= tail[0] <= "z" and t[:1].islower():
            parts[-1] = parts[-1][:-1]
            piece, tail = t, (tail[0] + t)[-2:]
            size -= 1
        else:
            piece = f" {t}" if size else t
            tail = (tail + piece)[-2:]
        parts.append(piece)
        size += len(piece)
    return fold_ws("".join(parts))


# --- the scheme-independent key -------------------------------------------------

_CYR_CONSONANTS = str.maketrans({
    "б": "b", "в": "v", "г": "g", "д": "d", "ж": "z", "з": "z", "к": "k", "л": "l", "м": "m",
    "н": "n", "п": "p", "р": "r", "с": "s", "т": "t", "ф": "f", "х": "h", "ц": "c", "ч": "c",
    "ш": "s", "щ": "s",
})  # fmt: skip
_LATIN_DIGRAPHS = (("shch", "s"), ("shh", "s"), ("sch", "s"), ("zh", "z"), ("kh", "h"), ("ts", "c"),
                   ("cz", "c"), ("ch", "c"), ("sh", "s"), ("x", "h"), ("q", "k"), ("w", "v"))
_WORD = re.compile(r"[^\W\d_][^\W\d_'’ʹʺ`\"”\u0361-]*")
_CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|20\d\d)(?!\d)")


def _strip_marks(text: str) -> str:
    return "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))


def skeleton(word: str) -> str:
    """The consonants of a word, the same for its Cyrillic form and any transliteration."""
    w = word.lower()
    if _CYRILLIC.search(w):
        w = w.replace("ё", "е").translate(_CYR_CONSONANTS)
        w = re.sub(r"[^a-z]", "", w)
    else:
        w = _strip_marks(w)
        for a, b in _LATIN_DIGRAPHS:
            w = w.replace(a, b)
        w = re.sub(r"[^bcdfghklmnprstvz]", "", w)
    return re.sub(r"(.)\1+", r"\1", w)


def entry_key(ref: Reference) -> tuple[str, str]:
    m = _WORD.search(ref.text)
    word = m.group(0) if m else ""
    return skeleton(word)[:5], (ref.year or "")[:4]


# --- pairing ------------------------------------------------------------------------


def pair_twin(russian_list: Sequence[Reference], twin_list: Sequence[Reference]) -> TwinPairing | None:
    """Pair the Russian list with its transliterated twin; None when there is no twin."""
    russian = tuple(range(len(russian_list)))
    twin = tuple(range(len(twin_list)))
    if not twin or not russian:
        return None
    ru_keys = [entry_key(r) for r in russian_list]
    tw_keys = [entry_key(r) for r in twin_list]
    free = set(range(len(twin)))
    pairs: dict[int, int] = {}
    # exact key, then the first three consonants with the year, then the name alone
    for narrow in (lambda key: key, lambda key: (key[0][:3], key[1]), lambda key: (key[0], "")):
        index: dict[tuple[str, str], list[int]] = {}
        for j in sorted(free):
            key = narrow(tw_keys[j])
            if key[0]:
                index.setdefault(key, []).append(j)
        for k, key in enumerate(ru_keys):
            if k in pairs or not key[0]:
                continue
            options = index.get(narrow(key))  # free twin positions, sorted
            if options:
                # the nearest to k, the earlier on a tie: a bisection, not a scan of the
                # bucket (one author's many works of one year share a key: quadratic)
                at = bisect.bisect_left(options, k)
                if at == len(options) or (at > 0 and k - options[at - 1] <= options[at] - k):
                    at -= 1
                j = options.pop(at)
                pairs[k] = j
                free.discard(j)
    # what the keys could not pair, but stands at the same place in both lists
    for k in range(len(russian)):
        if k not in pairs and k in free:
            pairs[k] = k
            free.discard(k)
    ordered = sorted(pairs.items())
    on_run = _longest_increasing(ordered)
    return TwinPairing(
        russian=russian,
        twin=twin,
        pairs=tuple(ordered),
        unpaired_russian=tuple(k for k in range(len(russian)) if k not in pairs),
        unpaired_twin=tuple(sorted(free)),
        moved=tuple(p for p in ordered if p not in on_run),
    )


def _longest_increasing(pairs: list[tuple[int, int]]) -> set[tuple[int, int]]:
    """The longest run of pairs whose twin positions increase (patience sorting, n log n);
    ties are broken towards pairs that stand at the same place in both lists."""
    import bisect

    tails: list[int] = []  # twin position ending the best run of each length
    tail_at: list[int] = []  # index into pairs of that end
    back: list[int] = [-1] * len(pairs)
    for i, (_k, j) in enumerate(pairs):
        n = bisect.bisect_left(tails, j)
        if n == len(tails):
            tails.append(j)
            tail_at.append(i)
        else:
            tails[n] = j
            tail_at[n] = i
        back[i] = tail_at[n - 1] if n > 0 else -1
    out: set[tuple[int, int]] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.add(pairs[i])
        i = back[i]
    return out


# --- transliteration schemes --------------------------------------------------------


@lru_cache(maxsize=1)
def _schemes() -> tuple[tuple[str, object], ...]:
    import iuliia  # imported here: only papers with a References twin need it

    return tuple((sid, getattr(iuliia, attr)) for sid, _name, attr in SCHEMES)


def _loose(text: str) -> str:
    """Compare transliterations without case, diacritics or apostrophes: an author who
    drops the soft sign still follows the scheme's letters."""
    return re.sub(r"[^a-z]", "", _strip_marks(text.lower()))


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[tuple[str, str], ...]:
    return tuple((sid, _loose(schema.translate(word))) for sid, schema in _schemes())  # type: ignore[attr-defined]


MIN_EVIDENCE = 2  # words telling the schemes apart that a verdict needs
# the first author's initials: «Жильцов Ю. А.», «Zhiltsov Yu.A.»
_RU_HEAD = re.compile(r"^\s*[А-ЯЁ][а-яё'’-]+,?\s+((?:[А-ЯЁ]\.\s?){1,3})")
_LATIN_HEAD = re.compile(r"^\s*[^\W\d_][\w'’`ʹ-]+,?\s+((?:[^\W\d_][a-z]{0,2}\.\s?-?){1,3})")


def transliterated_share(russian_text: str, twin_text: str) -> tuple[int, int]:
    """(Russian words of four letters or more found transliterated in the twin, such words
    in the Russian entry): a twin entry that translates the title and transliterates
    nothing has none."""
    tokens = {_loose(t) for t in _WORD.findall(twin_text) if not _CYRILLIC.search(t)}
    words = {w.lower() for w in _WORD.findall(russian_text)[:60]
             if len(w) >= 4 and _CYRILLIC.search(w) and not re.search(r"[a-zA-Z]", w)}
    found = sum(1 for w in words if any(f in tokens for _, f in _forms(w.replace("ё", "е"))))
    return found, len(words)


def schemes_of(russian_text: str, twin_text: str) -> frozenset[str] | None:
    """The schemes a twin entry is consistent with, judged on the Russian words whose
    transliteration differs between schemes and that appear in the twin. None when no
    such word was found (nothing to judge by)."""
    tokens = {_loose(t) for t in _WORD.findall(twin_text) if not _CYRILLIC.search(t)}
    tokens.discard("")
    votes: dict[str, int] = {}
    judged = 0
    seen: set[str] = set()
    for word in _WORD.findall(russian_text)[:60]:
        w = word.lower()
        if len(w) < 3 or "ё" in w or w in seen or not _CYRILLIC.search(w) or re.search(r"[a-z]", w):
            continue
        seen.add(w)
        forms = _forms(w)
        if len({f for _, f in forms}) == 1:
            continue  # every scheme writes it alike
        fitting = {sid for sid, f in forms if f in tokens}
        if not fitting:
            continue  # translated, misspelt or absent
        judged += 1
        for sid in fitting:
            votes[sid] = votes.get(sid, 0) + 1
    # initials: «Ю. А.» printed «Yu.A.», «Iu.A.» or «Ju.A.» (counted when both lists give
    # the same number of them, so that they line up)
    ru_head = _RU_HEAD.match(russian_text)
    tw_head = _LATIN_HEAD.match(twin_text)
    ru_initials = re.findall(r"[А-ЯЁ]", ru_head.group(1)) if ru_head else []
    tw_initials = re.findall(r"[^\W\d_][a-z]{0,2}(?=\.)", tw_head.group(1)) if tw_head else []
    if ru_initials and len(ru_initials) == len(tw_initials):
        for r, t in zip(ru_initials, tw_initials, strict=True):
            forms = _forms(r.lower())
            if len({f for _, f in forms}) == 1:
                continue
            fitting = {sid for sid, f in forms if f == _loose(t)}
            if fitting:
                judged += 1
                for sid in fitting:
                    votes[sid] = votes.get(sid, 0) + 1
    if judged < MIN_EVIDENCE:
        return None  # one word is no evidence: a name may have a conventional spelling
    best = max(votes.values())
    return frozenset(sid for sid, v in votes.items() if v == best)


def is_russian_language(text: str) -> bool:
    """Most letters of the entry are Cyrillic: a Russian-language source."""
    letters = re.findall(r"[^\W\d_]", re.sub(r"(?:https?://|www\.)\S+", " ", text))
    if not letters:
        return False
    return sum(1 for ch in letters if _CYRILLIC.match(ch)) * 2 >= len(letters)
