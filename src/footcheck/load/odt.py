"""ODT (LibreOffice, OpenDocument text): notes, link targets and tracked changes.

``content.xml`` keeps each note where it is referenced (``text:note`` with its printed
``text:note-citation`` and its ``text:note-body``), so the marker and the note come
together. Links are ``text:a xlink:href``. Deleted text lives in ``text:tracked-changes``
and comments in ``office:annotation``: neither reaches the text. The body's paragraphs and
headings are the running text, one line each; locations are paragraphs, as for DOCX.
"""

from __future__ import annotations

from typing import Any

from footcheck.load import sniff
from footcheck.load._common import Archive, http_target, link_diagnostics, parse_xml
from footcheck.load.interface import (
    Format,
    LinkTarget,
    LoadedText,
    LoadError,
    Reader,
    SourceMarker,
    SourceNote,
)
from footcheck.model import Location

T = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
XLINK = "{http://www.w3.org/1999/xlink}"
_SKIP = frozenset({T + "tracked-changes", OFFICE + "annotation", OFFICE + "annotation-end", T + "note-citation",
                   T + "change", T + "change-start", T + "change-end", T + "bookmark-ref", T + "sequence-decls"})
_PARAGRAPHS = frozenset({T + "p", T + "h"})


class OdtReader(Reader):
    format = Format.ODT

    def sniff(self, head: bytes, name: str) -> bool:
        return sniff.odt(head, name)

    def read(self, data: bytes, name: str) -> LoadedText:
        archive = Archive(data, name, "ODT")
        content = archive.read("content.xml")
        if content is None:
            raise LoadError(f"{name}: a zip archive without content.xml: not an ODT file")
        return _read(parse_xml(content, name, "content.xml"), name)


class _State:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.notes: list[SourceNote] = []
        self.markers: list[SourceMarker] = []
        self.links: list[LinkTarget] = []
        self.counters = {"footnote": 0, "endnote": 0}


def _text(el: Any, state: _State, line: int, out: list[str], links: list[tuple[str, str]]) -> None:
    """The text of a paragraph's content, notes taken out (to ``state``) where they stand."""
    if el.text:
        out.append(el.text)
    for child in el:
        tag = child.tag
        if isinstance(tag, str) and tag not in _SKIP:
            if tag == T + "s":
                out.append(" " * int(child.get(T + "c", "1") or 1) if str(child.get(T + "c", "1")).isdigit() else " ")
            elif tag in (T + "tab", T + "line-break"):
                out.append(" ")
            elif tag == T + "note":
                _note(child, state, line)
            elif tag == T + "a":
                start = len("".join(out))
                _text(child, state, line, out, links)
                href = child.get(XLINK + "href", "")
                if http_target(href):
                    links.append((href, "".join(out)[start:]))
            else:
                _text(child, state, line, out, links)
        if child.tail:
            out.append(child.tail)


def _note(el: Any, state: _State, line: int) -> None:
    kind = el.get(T + "note-class", "footnote")
    kind = kind if kind in state.counters else "footnote"
    state.counters[kind] += 1
    citation = el.find(T + "note-citation")
    printed = "".join(citation.itertext()).strip() if citation is not None else ""
    number = int(printed) if printed.isdigit() else state.counters[kind]
    mark = "" if printed.isdigit() or not printed else printed[:3]
    body = el.find(T + "note-body")
    texts: list[str] = []
    links: list[tuple[str, str]] = []
    if body is not None:
        for p in body.iter(T + "p", T + "h"):
            out: list[str] = []
            _text(p, state, line, out, links)
            t = " ".join("".join(out).split())
            if t:
                texts.append(t)
    loc = Location(line=line, paragraph=line, footnote=number)
    state.markers.append(SourceMarker(number, loc))
    state.notes.append(SourceNote(number, " ".join(texts), loc, tuple(LinkTarget(u, " ".join(s.split()), loc)
                                                                     for u, s in links), endnote=kind == "endnote",
                                  mark=mark))


def _read(root: Any, name: str) -> LoadedText:
    state = _State()
    body = root.find(f"{OFFICE}body/{OFFICE}text")
    if body is None:
        raise LoadError(f"{name}: content.xml has no office:text body: not a text document")
    stack = [iter(body)]
    while stack:  # paragraphs in document order; a paragraph inside a note is read with its note
        el = next(stack[-1], None)
        if el is None:
            stack.pop()
            continue
        if not isinstance(el.tag, str) or el.tag in _SKIP or el.tag == T + "note":
            continue
        if el.tag in _PARAGRAPHS:
            line = len(state.lines) + 1
            out: list[str] = []
            links: list[tuple[str, str]] = []
            _text(el, state, line, out, links)
            state.lines.append(" ".join("".join(out).split()))
            state.links += [LinkTarget(u, " ".join(s.split()), Location(line=line, paragraph=line)) for u, s in links]
        else:
            stack.append(iter(el))
    all_links = state.links + [k for n in state.notes for k in n.links]
    return LoadedText(
        path=name, text="\n".join(state.lines), encoding="utf-8", format=Format.ODT,
        notes=tuple(sorted(state.notes, key=lambda n: (n.endnote, n.number))), markers=tuple(state.markers),
        links=tuple(state.links), line_locations=tuple(Location(paragraph=k + 1) for k in range(len(state.lines))),
        diagnostics=tuple(link_diagnostics(all_links)))
