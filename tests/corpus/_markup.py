"""The annotation markup the corpus documents are written in, and its compiler.

A corpus source (``_src/*.src``, or the text ``_generate.py`` assembles) is the
document exactly as it should appear on disk, plus zero-width annotations between
``⟦`` and ``⟧`` that say what the text contains. Compiling removes the annotations,
emits the visible text and records every annotated item with the line on which it
ends up, so the line numbers in the expectations are exact by construction and no
parser is involved. Lines are counted by ``\\n`` only: a form feed does not end a line.

Annotations (N a number, ISO a ``YYYY-MM-DD`` date):

``⟦mN⟧``            a footnote marker: emits ``N``; paired with the next body ``⟦fN⟧``
``⟦mN=T⟧``          the same, but emits the text ``T`` (a superscript digit, ...)
``⟦m!N⟧``           a marker that has no body (a defect the rules must report)
``⟦fN⟧``            a footnote body starts here (line start): emits ``N``
``⟦f!N⟧``           a body that no marker points to (a defect)
``⟦fN glued⟧``      a body glued to the page's last text line (pdftotext joined the
                    page's hyphenated last word with the first note): emits ``N``
``⟦fN hidden⟧``     a body whose number is printed elsewhere (after the note, by some
                    PDF makers): emits nothing
``⟦u URL⟧``         the current footnote or reference holds URL, printed from here on;
                    the compiler checks that the printed text, line breaks removed,
                    spells it. ``⟦u! URL⟧`` skips that check (soft hyphens, a hyphen
                    the typesetter added, ...)
``⟦d ISO⟧``         the access date of the last URL of the current item; ``⟦d ISO all⟧``:
                    of every URL of the item still without one (``URL: a; b (дата ...)``)
``⟦sd ISO⟧``        the source's own date (``2022. 6 июля.``); ``⟦sd -⟧``: certainly none
``⟦r N⟧``           the footnote repeats footnote N (``Там же``, ``Ibid.``, ``Указ. соч.``);
                    ``⟦r N/M⟧``: repeats N, which itself repeats M (either is accepted);
                    ``⟦r -⟧``: a repeat with nothing to repeat
``⟦sec⟧``           a reference-list heading is on this line
``⟦ref Y⟧``         a reference entry starts here, year Y (``2019а`` allowed, ``-``: none);
                    options ``#label`` (for citations to point at) and ``n=K`` (the
                    printed number of a numbered list). ``⟦tref Y⟧``: an entry of the
                    transliterated ``References`` twin
``⟦c A+B|Y|L|opts⟧`` a bracketed citation starts here: authors A and B (as printed,
                    initials included), year Y, locator L (empty: none). Its ``raw`` is
                    the visible text from here to the next ``;`` or ``]``. Options,
                    space separated: ``@label`` the reference entry it matches (``@-``:
                    none; required when the document has a list), ``#id`` a name for
                    ``[Там же]`` to point at, ``ibid=id`` this is a ``[Там же]`` repeating
                    citation ``id``, ``num=1,2`` a numeric reference to those entries
``⟦nc⟧``            this bracket looks like a citation but is not one (``[1912]``, an
                    editorial insert with a year): the compiler insists that every
                    bracket holding a year, a number or ``Там же`` is annotated
``⟦page⟧``          a page break: emits a form feed
``⟦perpage⟧``       footnote numbering restarts on every page in this document
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

TOKEN = re.compile(r"⟦([^⟧]*)⟧")


class MarkupError(ValueError):
    pass


@dataclass
class _Item:
    kind: str  # "footnote" | "reference"
    data: dict[str, Any]
    urls: list[dict[str, Any]] = field(default_factory=list)


def _iso(value: str) -> str:
    dt.date.fromisoformat(value)  # validates
    return value


def fold_ws(text: str) -> str:
    return " ".join(text.split())


def compile_markup(source: str, *, name: str = "<src>") -> tuple[str, dict[str, Any]]:
    """Return the visible text and the expectations (the ``.expected.json`` body)."""
    out: list[str] = []
    pos_len = 0
    newlines = 0

    def emit(s: str) -> None:
        nonlocal pos_len, newlines
        out.append(s)
        pos_len += len(s)
        newlines += s.count("\n")

    pending: dict[int, list[int]] = {}
    markers: list[dict[str, Any]] = []
    footnotes: list[dict[str, Any]] = []
    references: list[dict[str, Any]] = []
    sections: list[dict[str, Any]] = []
    citations: list[dict[str, Any]] = []
    url_checks: list[tuple[int, str]] = []
    current: _Item | None = None
    ref_labels: dict[str, int] = {}
    cit_ids: dict[str, int] = {}
    cit_starts: list[int] = []
    cit_ref_labels: list[str | None] = []
    cit_ibid: list[str | None] = []
    section_offsets: list[int] = []
    per_page = False
    ref_offsets_list: list[int] = []
    nc_offsets: list[int] = []

    def where() -> str:
        return f"{name}:{newlines + 1}"

    last = 0
    for m in TOKEN.finditer(source):
        emit(source[last : m.start()])
        last = m.end()
        tok = m.group(1)
        line = newlines + 1
        head, _, rest = tok.partition(" ")
        rest = rest.strip()
        mm = re.fullmatch(r"m(!?)(\d+)(?:=(.+))?", tok)
        fm = re.fullmatch(r"f(!?)(\d+)(?: (glued|hidden))?", tok)
        if mm:
            n = int(mm.group(2))
            visible = mm.group(3) or str(n)
            prev = "".join(out)[-1:] if out else ""
            if visible[0].isdigit() and prev.isdigit():
                raise MarkupError(f"{where()}: marker {n} glued to a digit")
            emit(visible)
            markers.append({"number": n, "line": line, "paired": not mm.group(1)})
            if not mm.group(1):
                pending.setdefault(n, []).append(line)
        elif fm:
            n = int(fm.group(2))
            text_so_far = "".join(out)
            col = text_so_far[text_so_far.rfind("\n") + 1 :]
            if col.strip("\f ") and fm.group(3) != "glued":
                raise MarkupError(f"{where()}: footnote body {n} not at a line start")
            lines = pending.pop(n, [])
            if bool(lines) == bool(fm.group(1)):
                raise MarkupError(f"{where()}: body {n}: markers {lines}, f! {bool(fm.group(1))}")
            if fm.group(3) != "hidden":
                emit(str(n))
            data = {
                "number": n,
                "line": line,
                "marker_lines": lines,
                "urls": [],
                "access_dates": [],
                "ibid": False,
                "refers_to": None,
            }
            if fm.group(3):
                data["number_printed"] = fm.group(3)  # "glued" to the text, or "hidden"
            footnotes.append(data)
            current = _Item("footnote", data)
        elif head in ("u", "u!"):
            if current is None:
                raise MarkupError(f"{where()}: URL outside a footnote or reference")
            url = {"url": rest, "line": line, "access_date": None}
            current.urls.append(url)
            current.data["urls"].append(url)
            if head == "u":
                url_checks.append((pos_len, rest))
        elif head == "d":
            value, _, scope = rest.partition(" ")
            targets = [u for u in current.urls if not u["access_date"]] if current else []
            if scope != "all":
                targets = targets[-1:]
            if not targets or (current and current.urls[-1]["access_date"]):
                raise MarkupError(f"{where()}: access date without a URL to tie it to")
            for url in targets:
                url["access_date"] = _iso(value)
                current.data["access_dates"].append(value)
        elif head == "sd":
            if current is None or current.kind != "footnote":
                raise MarkupError(f"{where()}: source date outside a footnote")
            current.data["source_date"] = None if rest == "-" else _iso(rest)
        elif head == "r":
            if current is None or current.kind != "footnote":
                raise MarkupError(f"{where()}: repeat outside a footnote")
            current.data["ibid"] = True
            if rest == "-":
                current.data["refers_to"] = None
            else:
                first, _, root = rest.partition("/")
                current.data["refers_to"] = int(first)
                if root:
                    current.data["refers_to_root"] = int(root)
        elif head == "sec":
            section_offsets.append(pos_len)
            sections.append({"line": line})
            current = None
        elif head in ("ref", "tref"):
            parts = rest.split()
            year = None if parts[0] == "-" else parts[0]
            data = {
                "line": line,
                "year": year,
                "transliterated": head == "tref",
                "urls": [],
                "access_dates": [],
            }
            for opt in parts[1:]:
                if opt.startswith("#"):
                    ref_labels[opt[1:]] = line
                elif opt.startswith("n="):
                    data["number"] = int(opt[2:])
                else:
                    raise MarkupError(f"{where()}: unknown reference option {opt}")
            if not sections:
                raise MarkupError(f"{where()}: reference entry before any list heading")
            references.append(data)
            ref_offsets_list.append(pos_len)
            current = _Item("reference", data)
        elif head == "c":
            fields = rest.split("|")
            if len(fields) != 4:
                raise MarkupError(f"{where()}: citation needs 4 fields: {rest!r}")
            authors_s, year, loc, opts_s = fields
            text_so_far = "".join(out)
            bracket = text_so_far.rfind("[")
            if bracket < 0 or "]" in text_so_far[bracket:]:
                raise MarkupError(f"{where()}: citation annotation outside brackets")
            cit: dict[str, Any] = {
                "line": line,
                "bracket_line": text_so_far.count("\n", 0, bracket) + 1,
                "raw": None,
                "kind": "author-year",
                "authors": [a.strip() for a in authors_s.split("+") if a.strip()],
                "year": year.strip() or None,
                "locator": loc.strip() or None,
            }
            ref_label: str | None = None
            ibid_of: str | None = None
            for opt in opts_s.split():
                if opt.startswith("@"):
                    ref_label = opt[1:]
                elif opt.startswith("#"):
                    cit_ids[opt[1:]] = len(citations)
                elif opt.startswith("ibid="):
                    ibid_of = opt[5:]
                    cit["kind"] = "ibid"
                elif opt.startswith("num="):
                    nums: list[int] = []
                    for part in opt[4:].split(","):
                        lo, _, hi = part.partition("-")
                        nums.extend(range(int(lo), int(hi or lo) + 1))
                    cit["kind"] = "numeric"
                    cit["numbers"] = nums
                else:
                    raise MarkupError(f"{where()}: unknown citation option {opt}")
            cit_starts.append(pos_len)
            cit_ref_labels.append(ref_label)
            cit_ibid.append(ibid_of)
            citations.append(cit)
        elif tok == "nc":
            nc_offsets.append(pos_len)
        elif tok == "page":
            emit("\f")
        elif tok == "perpage":
            per_page = True
        elif tok == "end":
            current = None
        else:
            raise MarkupError(f"{where()}: unknown annotation ⟦{tok}⟧")
    emit(source[last:])
    text = "".join(out)

    if pending:
        raise MarkupError(f"{name}: markers without bodies: {pending}")

    # Self-checks of the annotations against the visible text (typos in the sources).
    # Every bracket before the reference list that could pass for a citation is annotated,
    # as a citation (⟦c⟧) or as explicitly not one (⟦nc⟧).
    body_end = section_offsets[0] if section_offsets else len(text)
    annotated = set(cit_starts) | set(nc_offsets)
    for m in re.finditer(r"\[([^\[\]]*)\]", text[:body_end]):
        inner = m.group(1)
        looks = re.search(r"\d{4}|^\s*\d|Там же|Ibid", inner, re.IGNORECASE)
        if looks and not any(m.start() < o < m.end() for o in annotated):
            line_no = text.count("\n", 0, m.start()) + 1
            raise MarkupError(f"{name}:{line_no}: bracket [{inner}] is not annotated")
    for offset, url in url_checks:
        printed = text[offset : offset + len(url) + 200].replace("\n", "")
        if not printed.startswith(url):
            raise MarkupError(f"{name}: URL {url!r} printed as {printed[: len(url)]!r}")
    for i, (start, cit) in enumerate(zip(cit_starts, citations, strict=True)):
        # a citation's text runs to the next ';' or ']', or to the next citation of the
        # bracket ("[Ланге, Ромм 2016, Горбань 2011]": sources separated by a comma)
        following = cit_starts[i + 1] if i + 1 < len(cit_starts) else -1
        stop = min(p for p in (text.find(";", start), text.find("]", start), following) if p >= 0)
        raw = fold_ws(text[start:stop]).rstrip(" ,")
        cit["raw"] = raw
        folded = raw.replace("ё", "е")
        year_only = re.match(r"\d{4}", raw) is not None  # "[Орлова 2015; 2019]": inherited
        for author in cit["authors"]:
            word = author.replace("ё", "е").split()[0]
            if cit["kind"] == "author-year" and not year_only and word not in folded:
                raise MarkupError(f"{name}: citation {raw!r} lacks author {author!r}")
        if cit["year"] and cit["year"] not in raw:
            raise MarkupError(f"{name}: citation {raw!r} lacks year {cit['year']!r}")
        if cit["locator"] and cit["locator"] not in raw:
            raise MarkupError(f"{name}: citation {raw!r} lacks locator {cit['locator']!r}")
        if cit["kind"] == "ibid":
            target = cit_ibid[i]
            if target not in cit_ids or cit_ids[target] >= i:
                raise MarkupError(f"{name}: [Там же] {raw!r} points at unknown {target!r}")
            cit["repeats"] = cit_ids[target]
            root = cit_ids[target]
            while citations[root]["kind"] == "ibid":
                root = citations[root]["repeats"]
            if root != cit["repeats"]:
                cit["repeats_root"] = root
        label = cit_ref_labels[i]
        if sections and cit["kind"] == "author-year":
            if label is None:
                raise MarkupError(f"{name}: citation {raw!r} needs @label or @- (list present)")
            if label != "-" and label not in ref_labels:
                raise MarkupError(f"{name}: citation {raw!r}: unknown reference {label!r}")
            cit["reference_line"] = None if label == "-" else ref_labels[label]
        elif label not in (None, "-"):
            cit["reference_line"] = ref_labels[label]
    ref_offsets = sorted(o for o in ref_offsets_list)
    for i, (ref, start) in enumerate(zip(references, ref_offsets, strict=True)):
        stop = ref_offsets[i + 1] if i + 1 < len(ref_offsets) else len(text)
        body = text[start:stop]
        if ref["year"] and ref["year"] not in body:
            raise MarkupError(f"{name}: reference at line {ref['line']} lacks year {ref['year']}")
    for sec, offset in zip(sections, section_offsets, strict=True):
        eol = text.find("\n", offset)
        sec["heading"] = fold_ws(text[offset : eol if eol >= 0 else None].strip("\f"))
    for fn in footnotes:
        numbers = [f["number"] for f in footnotes]
        if fn["refers_to"] is not None and fn["refers_to"] not in numbers:
            raise MarkupError(f"{name}: footnote {fn['number']} repeats unknown {fn['refers_to']}")

    expected = {
        "per_page_numbering": per_page,
        "markers": markers,
        "footnotes": footnotes,
        "citations": citations,
        "reference_sections": sections,
        "references": references,
        "has_reference_list": bool(references),
    }
    return text, expected
