"""DOIs in reference entries and footnotes, rebuilt across line breaks and spaces.

A DOI is printed as ``DOI: 10.…``, ``doi:10.…``, ``https://doi.org/10.…``,
``http://dx.doi.org/10.…`` or bare. PDF extraction breaks it at the end of a line
(often after a hyphen, which belongs to the DOI and is kept) and puts spaces around dots
and slashes. What follows a label but is not a DOI (``DOI: 10.1234``, ``DOI: 1O.1234/…``,
a Cyrillic look-alike letter in the suffix) is kept as a malformed mention for the rules.

The syntax check is Crossref's recommended pattern ``10.\\d{4,9}/[-._;()/:A-Z0-9]+``
(case-insensitive), which covers nearly all registered DOIs; trailing sentence
punctuation and an unmatched closing bracket are not part of a DOI.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import unquote

from footcheck.model import DoiMention, Footnote, Reference
from footcheck.parse.text import fold_ws
from footcheck.parse.urls import Segment

VALID = re.compile(r"10\.\d{4,9}/[-._;()/:a-z0-9<>\[\]]+", re.IGNORECASE)
_CROSSREF_SUFFIX = re.compile(r"[-._;()/:a-z0-9]+", re.IGNORECASE)

# Where a DOI starts: a resolver link, a "doi" label, or a bare "10.NNNN/".
_START = re.compile(
    r"(?P<link>(?:https?\s*:\s*//\s*)?(?:dx\s*\.\s*)?doi\s*\.\s*org\s*/\s*)"
    r"|(?P<label>(?<![\w/.])doi(?!\s*\.\s*org)\s*(?::\s*|\s+)(?=[0-9lIOО]))"
    r"|(?P<bare>(?<![\w/.:-])10\s?\.\s?\d{4,9}\s?/)",
    re.IGNORECASE,
)
# The characters a DOI is read from (anything but white space and quotes); the reading
# then stops where the access date, a closing quote or angle bracket begins.
_CHUNK = re.compile(r"[^\s\"«»\u201c\u201d]+")
_TRAILING = ".,;:!?'"
# The next token continues a DOI across a break only if it is made of DOI characters.
_DOI_TOKEN = re.compile(r"[-._;()/:A-Za-z0-9]+")
_DOTTED_TAIL = re.compile(r"[a-z0-9]+(?:[._/-][A-Za-z0-9]+)+[.,;]?")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")
_NOT_DOI_WORDS = re.compile(r"(?:URL|EDN|ISBN|ISSN|PMID|http|www|Vol|No|pp?|С|Т|Available)\b", re.IGNORECASE)


def find_dois(seg: Segment) -> list[DoiMention]:
    """Every DOI printed in a segment (lines joined with '\\n'), in order."""
    text = seg.text
    if "10." not in text and "doi" not in text.lower() and "10 ." not in text:
        return []
    out: list[DoiMention] = []
    pos = 0
    while True:
        m = _START.search(text, pos)
        if m is None:
            return out
        start = m.end() if m["bare"] is None else m.start()
        raw, end = _read(text, start)
        raw_shown = fold_ws(text[m.start() : end] if m["bare"] is None else raw)
        mention = _mention(raw, raw_shown, seg.line_of(m.start()), labelled=m["bare"] is None)
        if mention is not None:
            out.append(mention)
        pos = max(end, m.end(), m.start() + 1)


def _read(text: str, start: int) -> tuple[str, int]:
    """The DOI's text from ``start``, followed across breaks and stray spaces. Linear in
    the DOI's length: each decision looks at the last chunk read and, while still in the
    prefix (no '/' yet, a few characters), at the text so far."""
    parts: list[str] = []
    i, n = start, len(text)
    size = 0
    slash = False
    while i < n:
        m = _CHUNK.match(text, i)
        if m is None:
            break
        chunk = m.group(0)
        cut = _DATE_CUT.search(chunk)
        if cut:
            parts.append(chunk[: cut.start()])
            return "".join(parts), i + cut.start()
        parts.append(chunk)
        size += len(chunk)
        slash = slash or "/" in chunk
        j = m.end()
        k = j
        while k < n and text[k] in " \n":
            k += 1
        if k == j or k >= n:
            return "".join(parts), j
        # the prefix ("10.1234") is short; past it only the last chunk's end matters
        prefix = None if slash else "".join(parts) if size <= _PREFIX_MAX else ""
        if _continues(prefix, chunk, text, k, newline="\n" in text[j:k]):
            i = k
            continue
        return "".join(parts), j
    return "".join(parts), i


_DATE_CUT = re.compile(r"\((?:дата|accessed|In\s|in\s)")
_PREFIX_MAX = 16  # "10." and at most 9 digits, a stray space or two


def _continues(prefix: str | None, last: str, text: str, k: int, *, newline: bool) -> bool:
    """Does the token at ``k`` continue the DOI read so far? ``prefix`` is the text so far
    while it holds no '/' (``""`` once it is too long to be a prefix), None after the '/';
    ``last`` is the last chunk read."""
    nxt = _CHUNK.match(text, k)
    if nxt is None:
        return False
    token = nxt.group(0)
    bare = token.rstrip(_TRAILING)
    if not bare or not _DOI_TOKEN.fullmatch(bare) or _NOT_DOI_WORDS.match(bare):
        return False
    if prefix is not None:
        # still in the prefix: "10. 1234/..." or "10.1234 /abc"
        return bool(re.fullmatch(r"10\s?\.?", prefix) and re.match(r"\.?\d", bare)) or (
            bool(re.fullmatch(r"10\.\d{4,9}", prefix)) and bare.startswith("/"))
    if bare.startswith("(") and not last.endswith("/"):
        return False  # "(In Russ.)", "(дата обращения …)"
    if last.endswith("/") or bare.startswith(("/", ".", "-", "_")):
        return True
    if last.endswith(("-", "_")):
        return True
    if last.endswith("."):
        # "10.1234/j.polis. 2019.03.05" goes on; "10.1234/abc. 2019. № 3" does not
        return bool(_DOTTED_TAIL.fullmatch(token)) and not token[:1].isupper()
    if newline and re.search(r"\d", bare) and re.fullmatch(r"[A-Za-z0-9][-./A-Za-z0-9]*", bare):
        # an unmarked break inside the suffix ("…/S0869587319" + "120046"): the token is
        # the rest of its line, or only a label, a bracket or an access date follows it
        end = text.find("\n", k)
        rest = text[k + len(token): end if end >= 0 else len(text)].strip()
        return not rest or bool(re.match(r"(?:\(|\[|URL|EDN|ISBN|PMID)", rest))
    return False


def _mention(raw: str, shown: str, line: int, *, labelled: bool) -> DoiMention | None:
    doi = _trim(re.sub(r"\s+", "", raw))
    if "%" in doi:
        doi = unquote(doi)
    if not doi:
        return DoiMention(shown, line, None, "nothing follows the DOI label or link") if labelled else None
    problem = problem_of(doi)
    if problem is None:
        return DoiMention(shown, line, doi)
    if not labelled:
        return None  # a bare "10.NNNN/" that is no DOI is just text
    return DoiMention(shown, line, None, problem)


def _trim(doi: str) -> str:
    """Trailing punctuation and unmatched closing brackets off. The brackets are counted
    once: a run of thousands of ')' is trimmed in one pass."""
    closing = {")": "(", "]": "[", ">": "<"}
    opened = {c: doi.count(o) for c, o in closing.items()}
    closed = {c: doi.count(c) for c in closing}
    end = len(doi)
    while end:
        last = doi[end - 1]
        if last in _TRAILING:
            end -= 1
        elif last in closing and opened[last] < closed[last]:
            closed[last] -= 1
            end -= 1
        else:
            break
    return doi[:end]


def problem_of(doi: str) -> str | None:
    """Why a DOI string is not a well-formed DOI, or None when it is one."""
    cyr = _CYRILLIC.search(doi)
    if cyr:
        return f"the Cyrillic letter «{cyr.group(0)}» stands in the DOI (a Latin look-alike?)"
    m = re.match(r"(?P<dir>[^/]*)(?P<slash>/?)(?P<suffix>.*)$", doi)
    assert m is not None
    directory = m["dir"]
    if not re.fullmatch(r"10\.\d{4,9}(?:\.\d+)*", directory):
        if re.fullmatch(r"10\.\d{1,3}", directory):
            return f"the prefix {directory!r} is too short (10. and 4 to 9 digits)"
        if re.fullmatch(r"[1lI][0oOО][.,]\d+", directory):
            return f"the prefix {directory!r} has a letter or comma where '10.' should be"
        return f"{directory!r} is not a DOI prefix (10. and 4 to 9 digits)"
    if not m["slash"] or not m["suffix"]:
        return f"the DOI {doi!r} has no suffix after the prefix"
    if not _CROSSREF_SUFFIX.fullmatch(m["suffix"]) and not VALID.fullmatch(doi):
        bad = next(ch for ch in m["suffix"] if not re.match(r"[-._;()/:a-z0-9<>\[\]]", ch, re.IGNORECASE))
        return f"the character {bad!r} does not belong in a DOI"
    return None


def doi_key(doi: str) -> str:
    """DOIs compare case-insensitively."""
    return doi.strip().lower()


# ---------------------------------------------------------------------------
# Applying the pass to the parsed model


def _unique(mentions: Sequence[DoiMention]) -> tuple[str, ...]:
    seen: dict[str, str] = {}
    for m in mentions:
        if m.doi is not None:
            seen.setdefault(doi_key(m.doi), m.doi)
    return tuple(seen.values())


def with_dois(
    references: Sequence[Reference],
    reference_segments: Sequence[Segment],
    footnotes: Sequence[Footnote],
    footnote_segments: Sequence[Segment],
) -> tuple[list[Reference], list[Footnote]]:
    """The entries and footnotes with their DOIs filled in. Each item is read in the
    segment the parser read it from (its own lines; of a flattened line, only its own
    piece): re-reading a whole physical line per item was quadratic in a list flattened
    into one line, and gave an entry the DOIs of its neighbours on that line."""
    refs: list[Reference] = []
    for ref, seg in zip(references, reference_segments, strict=True):
        found = _in_item(seg, ref.text)
        refs.append(replace(ref, doi=next(iter(_unique(found)), None), doi_mentions=tuple(found))
                    if found else ref)
    notes: list[Footnote] = []
    for fn, seg in zip(footnotes, footnote_segments, strict=True):
        found = _in_item(seg, fn.text)
        notes.append(replace(fn, dois=_unique(found), doi_mentions=tuple(found)) if found else fn)
    return refs, notes


def _in_item(seg: Segment, text: str) -> list[DoiMention]:
    low = text.lower()
    if "doi" not in low and "10." not in text and "10 ." not in text:
        return []  # the quick test that keeps the pass cheap on a monograph
    return find_dois(seg)
