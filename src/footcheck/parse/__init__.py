"""Stage 2: text -> :class:`~footcheck.model.Document`.

The parser is a set of pure functions; nothing here does I/O or knows about HTTP.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, TypedDict

from footcheck.model import Document, Link
from footcheck.parse.citations import find_citations, split_repeats
from footcheck.parse.dois import with_dois
from footcheck.parse.footnotes import page_furniture, scan_footnotes
from footcheck.parse.references import match_citations, read_reference_lists
from footcheck.parse.text import prepare_lines
from footcheck.parse.twin import twin_entries

if TYPE_CHECKING:
    from footcheck.load.interface import LoadedText

__all__ = ["collect_links", "parse_document", "parse_loaded"]


class _LinkData(TypedDict):
    """What :func:`collect_links` gathers for one URL before it becomes a :class:`Link`."""

    footnotes: list[int]
    references: list[int]
    line: int
    access: dt.date | None
    source: dt.date | None
    title: str | None


def parse_loaded(loaded: LoadedText) -> Document:
    """The reader's output to a Document: a format that delimits its notes goes through
    :mod:`footcheck.parse.structured`, plain text through :func:`parse_document`."""
    from dataclasses import replace

    if loaded.notes is not None:
        from footcheck.parse.structured import parse_structured

        return parse_structured(loaded)
    doc = parse_document(loaded.text, path=loaded.path, encoding=loaded.encoding)
    if loaded.format.value != "text" or loaded.line_locations:
        doc = replace(doc, format=loaded.format.value, line_locations=loaded.line_locations)
    return doc


def parse_document(text: str, *, path: str = "<text>", encoding: str = "utf-8") -> Document:
    lines = prepare_lines(text)
    furniture = page_furniture(lines)  # page numbers and running heads
    lists = read_reference_lists(lines, furniture)
    references, sections = lists.references, lists.sections
    excluded = frozenset(lists.taken)
    scan = scan_footnotes(lines, excluded, furniture)
    # footnotes cite in brackets too; a bracket may be broken by a page's number and running head
    citations = find_citations(lines, excluded, furniture)
    citations, repeats = split_repeats(match_citations(citations, references))
    references, footnotes = with_dois(references, lists.segments, scan.footnotes, scan.segments)
    return Document(
        path=path,
        encoding=encoding,
        line_count=len(lines),
        footnotes=tuple(footnotes),
        markers=scan.markers,
        citations=tuple(citations),
        repeats=tuple(repeats),
        references=tuple(references),
        reference_sections=tuple(sections),
        twin=twin_entries(lines, sections),
        per_page_numbering=scan.per_page,
    )


def collect_links(doc: Document) -> tuple[Link, ...]:
    """One :class:`Link` per unique URL, with every footnote and entry that cites it."""
    order: list[str] = []
    data: dict[str, _LinkData] = {}
    for fn in doc.footnotes:
        for mention in fn.urls:
            d = data.get(mention.url)
            if d is None:
                order.append(mention.url)
                d = data[mention.url] = {"footnotes": [], "references": [], "line": mention.line,
                                         "access": None, "source": None, "title": fn.title}
            if fn.number not in d["footnotes"]:
                d["footnotes"].append(fn.number)
            _merge_dates(d, mention.access_date.value if mention.access_date else None,
                         fn.source_date.value if fn.source_date else None)
    for ref in doc.references:
        if ref.transliterated:
            continue  # the twin of an entry already counted
        for mention in ref.urls:
            d = data.get(mention.url)
            if d is None:
                order.append(mention.url)
                d = data[mention.url] = {"footnotes": [], "references": [], "line": mention.line,
                                         "access": None, "source": None, "title": None}
            d["references"].append(ref.index)
            _merge_dates(d, mention.access_date.value if mention.access_date else None, None)
    return tuple(
        Link(url=u, footnotes=tuple(data[u]["footnotes"]), references=tuple(data[u]["references"]),
             line=data[u]["line"], access_date=data[u]["access"], source_date=data[u]["source"],
             cited_title=data[u]["title"])
        for u in order
    )


def _merge_dates(d: _LinkData, access: dt.date | None, source: dt.date | None) -> None:
    if access and (d["access"] is None or access > d["access"]):
        d["access"] = access
    if source and d["source"] is None:
        d["source"] = source
