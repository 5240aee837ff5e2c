"""Precision and recall of the parser on the annotated corpus in ``tests/corpus``.

Every ``NN_name.txt`` has an ``NN_name.expected.json`` written from the annotations
of its source (see ``tests/corpus/README.md``); the parser's output is compared
item by item, per kind of item, and every kind must reach 0.98 in both precision and
recall over the whole corpus. Items are compared by keys that ignore harmless
differences of representation (initials, ``и др.``, ё/е, Latin/Cyrillic look-alike
letters, ``с.``/``p.`` before a page) but not differences of substance.

Run ``pytest tests/test_corpus_accuracy.py -s`` to see the table and, for a kind
below the bar, the first items missed or invented in each document.
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
THRESHOLD = 0.98
MINIMUMS = {"documents": 12, "footnotes": 150, "urls": 100, "citations": 100}

# Latin letters that look like Cyrillic ones, folded to the Cyrillic letter.
_LOOKALIKE = str.maketrans("AaBCcEeHKkMOoPpTXxYy", "АаВСсЕеНКкМОоРрТХхУу")
_DASHES = re.compile(r"[\u2010-\u2015\u2212-]")
_INITIALS = re.compile(r"(?<![\w])[A-ZА-ЯЁ]\.(?:\s*-?\s*[A-ZА-ЯЁ]\.)*")
_ETAL = re.compile(r"\s*(?:\[?\s*и\s+др\.?\s*\]?|et\s+al\.?)", re.IGNORECASE)
_PAGE = re.compile(r"^(?:с|р|рр|s|стр)\.\s*")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).replace("ё", "е").replace("Ё", "Е")
    return " ".join(text.translate(_LOOKALIKE).casefold().split())


def author_key(author: str) -> str:
    author = _INITIALS.sub("", _ETAL.sub("", author))
    return fold(author).strip(" ,;")


def authors_key(authors: Iterable[str]) -> tuple[str, ...]:
    return tuple(k for k in map(author_key, authors) if k)


def locator_key(locator: str | None) -> str:
    if not locator:
        return ""
    return _DASHES.sub("-", _PAGE.sub("", fold(locator))).replace(" ", "")


def year_key(year: str | None) -> str:
    return fold(year or "").replace(" ", "")


def raw_key(raw: str | None) -> str:
    return " ".join((raw or "").split())


# ------------------------------------------------------------------ loading


def corpus_documents() -> list[Path]:
    return sorted(CORPUS.glob("[0-9][0-9]_*.txt"))


def expected_of(path: Path) -> dict[str, Any]:
    return json.loads(path.with_suffix(".expected.json").read_text(encoding="utf-8"))


def read_text(path: Path) -> str:
    try:
        from footcheck.load import load_path
    except ImportError:  # the loader is not there yet: decode as the corpus is written
        return path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    return load_path(path).text


# ------------------------------------------------------------------ item keys


def _citation_key(
    line: int, kind: str, authors: Iterable[str], year: str | None, locator: str | None, numbers: Iterable[int]
) -> tuple:
    if kind == "ibid":  # what the repeat copies from its target is not judged here
        return (line, "ibid", locator_key(locator))
    if kind == "numeric":
        return (line, "numeric", tuple(numbers), locator_key(locator))
    return (line, kind, authors_key(authors), year_key(year), locator_key(locator))


class _Aliases:
    """A citation may be reported on the line of its bracket instead of its own line."""

    def __init__(self, expected: list[dict[str, Any]], key: Callable[[dict, int], tuple]) -> None:
        self.valid = {key(c, c["line"]) for c in expected}
        self.alias = {key(c, c["bracket_line"]): key(c, c["line"]) for c in expected}

    def canon(self, k: tuple) -> tuple:
        return k if k in self.valid else self.alias.get(k, k)


def _exp_cit_key(c: dict[str, Any], line: int) -> tuple:
    return _citation_key(line, c["kind"], c["authors"], c["year"], c["locator"], c.get("numbers", ()))


def _exp_raw_key(c: dict[str, Any], line: int) -> tuple:
    return (line, raw_key(c["raw"]))


def _resolve_reference(doc: Any, idx: int | None) -> Any:
    """``Citation.reference`` is a 0-based index into ``Document.references``."""
    if idx is None or not 0 <= idx < len(doc.references):
        return None
    return doc.references[idx]


def _in_text_order(doc: Any) -> list[Any]:
    """The citations and the bracket repeats in one list, as the expectations keep them: in
    text order, a repeat's refers_to renumbered to its target's place in that list."""
    from dataclasses import replace

    merged = sorted([(c.line, 0, k, c) for k, c in enumerate(doc.citations)]
                    + [(c.line, 1, k, c) for k, c in enumerate(doc.repeats)], key=lambda t: t[:3])
    place = {k: i for i, (_, kind, k, _) in enumerate(merged) if kind == 0}
    return [c if kind == 0 else replace(c, refers_to=None if c.refers_to is None else place[c.refers_to])
            for _, kind, _, c in merged]


def items(doc: Any, exp: dict[str, Any]) -> dict[str, tuple[Counter, Counter]]:
    """kind -> (expected items, parsed items), both as multisets of keys."""
    out: dict[str, tuple[Counter, Counter]] = {}

    def put(kind: str, expected: Iterable, parsed: Iterable) -> None:
        out[kind] = (Counter(expected), Counter(parsed))

    efn, pfn = exp["footnotes"], list(doc.footnotes)
    put("footnotes", ((f["number"], f["line"]) for f in efn), ((f.number, f.line) for f in pfn))
    put("markers", ((m["number"], m["line"]) for m in exp["markers"]), ((m.number, m.line) for m in doc.markers))
    put(
        "marker pairs",
        ((f["number"], f["line"], ml) for f in efn for ml in f["marker_lines"]),
        ((f.number, f.line, ml) for f in pfn for ml in f.marker_lines),
    )

    e_urls = [("fn", f["line"], u) for f in efn for u in f["urls"]]
    # the transliterated twin of a list is recognised (its heading) but its entries are
    # not entries of the document: each entry is counted once, in its own script
    e_urls += [("ref", r["line"], u) for r in exp["references"] if not r["transliterated"] for u in r["urls"]]
    p_urls = [("fn", f.line, u) for f in pfn for u in f.urls]
    p_urls += [("ref", r.line, u) for r in doc.references for u in r.urls]
    put("urls", ((o, ln, u["url"]) for o, ln, u in e_urls), ((o, ln, u.url) for o, ln, u in p_urls))
    put(
        "access dates",
        ((o, ln, u["url"], u["access_date"]) for o, ln, u in e_urls if u["access_date"]),
        (
            (o, ln, u.url, u.access_date.value.isoformat())
            for o, ln, u in p_urls
            if u.access_date is not None and u.access_date.value is not None
        ),
    )

    judged = {f["line"]: f["source_date"] for f in efn if "source_date" in f}
    put(
        "source dates",
        ((ln, d) for ln, d in judged.items() if d),
        (
            (f.line, f.source_date.value.isoformat())
            for f in pfn
            if f.line in judged and f.source_date is not None and f.source_date.value is not None
        ),
    )

    roots = {
        (f["line"], f["refers_to_root"]): (f["line"], f["refers_to"])
        for f in efn
        if f["ibid"] and "refers_to_root" in f
    }
    put(
        "repeats",
        ((f["line"], f["refers_to"]) for f in efn if f["ibid"]),
        (roots.get((f.line, f.refers_to), (f.line, f.refers_to)) for f in pfn if f.ibid),
    )

    ecit, pcit = exp["citations"], _in_text_order(doc)
    cit_alias = _Aliases(ecit, _exp_cit_key)
    raw_alias = _Aliases(ecit, _exp_raw_key)
    e_keys = [_exp_cit_key(c, c["line"]) for c in ecit]
    p_keys = [cit_alias.canon(_citation_key(c.line, c.kind, c.authors, c.year, c.locator, c.numbers)) for c in pcit]
    put("citations", e_keys, p_keys)
    put(
        "citation raw",
        (_exp_raw_key(c, c["line"]) for c in ecit),
        (raw_alias.canon((c.line, raw_key(c.raw))) for c in pcit),
    )

    def target(keys: list[tuple], i: int | None) -> tuple | None:
        return keys[i] if i is not None and 0 <= i < len(keys) else None

    e_rep, alt = [], {}
    for k, c in zip(e_keys, ecit, strict=True):
        if c["kind"] == "ibid":
            e_rep.append((k, e_keys[c["repeats"]]))
            if "repeats_root" in c:
                alt[(k, e_keys[c["repeats_root"]])] = (k, e_keys[c["repeats"]])
    p_rep = [(k, target(p_keys, c.refers_to)) for k, c in zip(p_keys, pcit, strict=True) if c.kind == "ibid"]
    put("citation repeats", e_rep, (alt.get(x, x) for x in p_rep))

    e_links = [
        (k, c["reference_line"]) for k, c in zip(e_keys, ecit, strict=True) if c.get("reference_line") is not None
    ]
    p_links = []
    for k, c in zip(p_keys, pcit, strict=True):
        ref = _resolve_reference(doc, c.reference) if c.kind == "author-year" else None
        if ref is not None:
            p_links.append((k, ref.line))
    put("citation links", e_links, p_links)

    put(
        "references",
        ((r["line"], year_key(r["year"])) for r in exp["references"] if not r["transliterated"]),
        ((r.line, year_key(r.year)) for r in doc.references),
    )
    put(
        "list headings",
        (s["line"] for s in exp["reference_sections"]),
        (line for _heading, line in doc.reference_sections),
    )
    return out


# ------------------------------------------------------------------ tests


def _load_generator() -> Any:
    spec = importlib.util.spec_from_file_location("_corpus_generate", CORPUS / "_generate.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("_corpus_generate", module)
    spec.loader.exec_module(module)
    return module


def test_corpus_files_are_up_to_date() -> None:
    """The committed documents and expectations are what the generator writes."""
    files = _load_generator().build()
    stale = [n for n, data in files.items() if (CORPUS / n).read_bytes() != data]
    assert not stale, f"run python tests/corpus/_generate.py: stale {stale}"
    assert {p.name for p in corpus_documents()} == {n for n in files if n.endswith(".txt")}


def test_corpus_meets_size_minimums() -> None:
    docs = corpus_documents()
    exps = [expected_of(p) for p in docs]
    totals = {
        "documents": len(docs),
        "footnotes": sum(len(e["footnotes"]) for e in exps),
        "urls": sum(len(f["urls"]) for e in exps for f in e["footnotes"])
        + sum(len(r["urls"]) for e in exps for r in e["references"]),
        "citations": sum(len(e["citations"]) for e in exps),
    }
    short = {k: (totals[k], v) for k, v in MINIMUMS.items() if totals[k] < v}
    assert not short, f"corpus below its minimums (have, need): {short}"
    assert sum(e["per_page_numbering"] for e in exps) >= 1
    assert sum(e["has_reference_list"] for e in exps) >= 3
    assert sum(not e["has_reference_list"] for e in exps) >= 3


def _table(totals: dict[str, list[int]]) -> tuple[str, list[str]]:
    rows = [f"{'kind':<18}{'expected':>9}{'found':>7}{'tp':>6}{'precision':>11}{'recall':>8}"]
    low = []
    for kind, (n_exp, n_found, tp) in totals.items():
        precision = tp / n_found if n_found else 1.0
        recall = tp / n_exp if n_exp else 1.0
        flag = ""
        if min(precision, recall) < THRESHOLD:
            low.append(kind)
            flag = "  <"
        rows.append(f"{kind:<18}{n_exp:>9}{n_found:>7}{tp:>6}{precision:>11.3f}{recall:>8.3f}{flag}")
    return "\n".join(rows), low


def test_parser_accuracy_on_corpus() -> None:
    from footcheck.parse import parse_document

    totals: dict[str, list[int]] = {}
    misses: dict[str, list[str]] = {}
    for path in corpus_documents():
        exp = expected_of(path)
        doc = parse_document(read_text(path), path=str(path))
        for kind, (expected, parsed) in items(doc, exp).items():
            tp = sum((expected & parsed).values())
            t = totals.setdefault(kind, [0, 0, 0])
            t[0] += sum(expected.values())
            t[1] += sum(parsed.values())
            t[2] += tp
            for label, diff in (("missed", expected - parsed), ("invented", parsed - expected)):
                for key in list(diff.elements())[:4]:
                    misses.setdefault(kind, []).append(f"  {path.name}: {label} {key!r}")
    table, low = _table(totals)
    print("\n" + table)
    details = "\n".join(line for kind in low for line in misses.get(kind, [])[:40])
    if low:
        print(details)
    assert not low, f"below {THRESHOLD}: {low}\n{table}\n{details}"


@pytest.mark.parametrize("path", corpus_documents(), ids=lambda p: p.stem)
def test_expectations_are_consistent(path: Path) -> None:
    """Cheap checks of the expectations themselves against the document text."""
    text = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
    lines = text.split("\n")
    exp = expected_of(path)
    for f in exp["footnotes"]:
        body = lines[f["line"] - 1].lstrip("\f ")
        printed = f.get("number_printed")
        if printed == "glued":  # glued to the page's last text line
            assert re.search(rf"[^\W\d]{f['number']} ", body), (f["line"], body[:30])
        elif printed != "hidden":  # "hidden": printed elsewhere, after the note
            assert body.startswith(str(f["number"])), (f["line"], body[:30])
        for ml in f["marker_lines"]:
            assert str(f["number"]) in lines[ml - 1] or f["number"] >= 10, (ml, f["number"])
    for c in exp["citations"]:
        assert "[" in lines[c["bracket_line"] - 1]
