"""HTML: footnote markers that link to their notes, wherever the notes stand.

A marker is a link to a fragment of the same page shown as a number (``<sup><a
href="#fn1">1</a></sup>``, ``<a href="#_ftn1">[1]</a>``, a link around words that ends in
``<sup>N</sup>``), or a bare ``<sup>N</sup>`` matched with the N-th item of a notes block
(``<section class="footnotes">``, ``<aside>``). The note is the block the fragment names —
before or after the marker; two markers naming one block give two notes with the same text.
Back-links (``href="#fnref1"``, ``↩``) are not markers. Link targets come from ``href``
over the shown text; tags and ``&nbsp;`` inside brackets vanish from the running text,
which keeps the source's line numbers.
"""

from __future__ import annotations

import re
from typing import Any

from footcheck.load import sniff
from footcheck.load._common import http_target, link_diagnostics
from footcheck.load.interface import Format, LinkTarget, LoadedText, LoadError, Reader, SourceMarker, SourceNote
from footcheck.load.text import decode_text
from footcheck.model import Location

_NUMBER = re.compile(r"^\s*[\[(]?\s*(\d{1,4})\s*[\])]?\s*$")
_BLOCKS = frozenset({"li", "p", "div", "aside", "dd", "section", "footer", "td", "blockquote", "article"})
_INLINE = frozenset({"a", "span", "sup", "sub", "b", "i", "em", "strong", "small", "font", "u", "cite"})
_BREAKS = frozenset({"br", "p", "div", "li", "tr", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "dd", "dt",
                     "section", "aside", "blockquote", "article", "header", "footer"})
_DROP = ("script", "style", "noscript", "template", "head", "svg", "math")
_NOTES_BLOCK = re.compile(r"footnote|endnote|notes|примечан|сноск", re.IGNORECASE)
_BACK = frozenset("↩↑^⤴")


class HtmlReader(Reader):
    format = Format.HTML

    def sniff(self, head: bytes, name: str) -> bool:
        return sniff.html(head, name)

    def read(self, data: bytes, name: str) -> LoadedText:
        text, encoding, diagnostics = decode_text(data, name=name)
        try:
            return _read(text, encoding, name, diagnostics)
        except RecursionError:
            raise LoadError(f"{name}: HTML nested too deeply to read") from None


def _read(text: str, encoding: str, name: str, diagnostics: tuple[Any, ...]) -> LoadedText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    for tag in soup.find_all(list(_DROP)):
        tag.decompose()
    # keys as bs4 gives them (str, a value list, None); _markers looks them up by str
    ids: dict[object, Any] = {t.get("id") or t.get("name"): t for t in soup.find_all(id=True)}
    ids.update({t.get("name"): t for t in soup.find_all("a", attrs={"name": True}) if t.get("name") not in ids})

    raw_markers = _markers(soup, ids)
    notes: list[SourceNote] = []
    markers: list[SourceMarker] = []
    blocks: dict[int, Any] = {}  # id(block) -> block, to drop from the running text
    rendered: dict[int, tuple[str, int, tuple[LinkTarget, ...]]] = {}
    seen_numbers: set[int] = set()
    for number, line, block in raw_markers:
        markers.append(SourceMarker(number, Location(line=line, footnote=number)))
        if block is None or number in seen_numbers:
            continue
        seen_numbers.add(number)
        key = id(block)
        if key not in rendered:
            blocks[key] = block
            rendered[key] = _note_text(block)
        note_text, note_line, links = rendered[key]
        loc = Location(line=note_line or line, footnote=number)
        notes.append(SourceNote(number, note_text, loc, tuple(LinkTarget(k.url, k.shown, loc) for k in links)))
    for block in blocks.values():
        block.decompose()
    lines, body_links = _running_text(soup, text.count("\n") + 1)
    all_links = list(body_links) + [k for n in notes for k in n.links]
    return LoadedText(
        path=name, text="\n".join(lines), encoding=encoding, format=Format.HTML,
        notes=tuple(sorted(notes, key=lambda n: n.number)), markers=tuple(markers), links=tuple(body_links),
        diagnostics=(*diagnostics, *link_diagnostics(all_links)))


def _markers(soup: Any, ids: dict[object, Any]) -> list[tuple[int, int, Any]]:
    """(number, line, note block or None) for every marker, in document order."""
    found: list[tuple[int, int, Any]] = []
    used: set[int] = set()
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        if not href.startswith("#") or len(href) < 2:
            continue
        target = href[1:]
        if "ref" in target.lower() or any(ch in _BACK for ch in a.get_text()):
            continue  # a back-link from the note to its marker
        number = _marker_number(a)
        if number is None or target not in ids:
            continue
        block = _block_of(ids[target])
        if block is None or a in block.descendants:
            continue
        used.add(id(a))
        found.append((number, a.sourceline or 1, block))
    # bare <sup>N</sup> markers: the N-th item of a notes block
    items = _notes_items(soup)
    for sup in soup.find_all("sup"):
        if any(id(p) in used for p in (sup, *sup.find_all("a"), *sup.parents) if p is not None):
            continue
        m = _NUMBER.match(sup.get_text())
        if not m or _inside_notes(sup):
            continue
        number = int(m[1])
        block = items[number - 1] if 0 < number <= len(items) else None
        found.append((number, sup.sourceline or 1, block))
    found.sort(key=lambda f: f[1])
    return found


def _marker_number(a: Any) -> int | None:
    m = _NUMBER.match(a.get_text())
    if m:
        return int(m[1])
    sups = a.find_all("sup")
    if sups:  # a link around words that ends in the number: "words<sup>2</sup>"
        m = _NUMBER.match(sups[-1].get_text())
        return int(m[1]) if m else None
    parent = a.parent
    if parent is not None and parent.name == "sup":
        m = _NUMBER.match(parent.get_text())
        return int(m[1]) if m else None
    return None


def _block_of(el: Any) -> Any:
    """The note around an anchor: the element itself when it is a block with text, else the
    nearest block that holds it."""
    node = el
    while node is not None and getattr(node, "name", None) not in (None, "[document]", "body"):
        if node.name in _BLOCKS and len(node.get_text(strip=True)) > 3:
            return node
        node = node.parent
    return None


def _notes_items(soup: Any) -> list[Any]:
    for block in soup.find_all(["section", "div", "aside", "ol", "footer"]):
        label = " ".join(block.get("class", [])) + " " + str(block.get("id", "")) + " " + str(block.get("role", ""))
        if block.name == "aside" or _NOTES_BLOCK.search(label):
            items = block.find_all("li") or [p for p in block.find_all("p") if p.get_text(strip=True)]
            if items:
                return items
    return []


def _inside_notes(el: Any) -> bool:
    for parent in el.parents:
        if parent is None or parent.name in (None, "[document]"):
            return False
        label = " ".join(parent.get("class", [])) + " " + str(parent.get("id", "")) + " " + str(parent.get("role", ""))
        if parent.name == "aside" or _NOTES_BLOCK.search(label):
            return True
    return False


def _note_text(block: Any) -> tuple[str, int, tuple[LinkTarget, ...]]:
    links: list[LinkTarget] = []
    for a in block.find_all("a", href=True):
        href = a["href"].strip()
        if href.startswith("#"):
            continue
        if http_target(href):
            links.append(LinkTarget(href, " ".join(a.get_text(" ").split())))
    parts: list[str] = []
    _flatten(block, parts)
    text = " ".join("".join(parts).split())
    text = re.sub(r"^\s*[\[(]?\d{1,4}[\])]?\s*[.)]?\s+", "", text)  # the note's own printed number
    return text, block.sourceline or 0, tuple(links)


def _flatten(el: Any, out: list[str]) -> None:
    """The text of ``el`` with a space at block boundaries, back-links left out (an explicit
    stack: unclosed tags nest as deep as the page is long)."""
    from bs4.element import Comment, NavigableString, Tag

    stack: list[Any] = [iter(el.children)]
    closers: list[str] = []
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            if closers:
                out.append(closers.pop())
            continue
        if isinstance(child, Comment):
            continue
        if isinstance(child, NavigableString):
            out.append(str(child))
        elif isinstance(child, Tag):
            href = str(child.get("href", "")).strip()
            if child.name == "a" and href.startswith("#") and (
                    "ref" in href.lower() or any(ch in _BACK for ch in child.get_text())):
                continue  # back-link
            block = child.name in _BREAKS
            if block:
                out.append(" ")
            stack.append(iter(child.children))
            closers.append(" " if block else "")


def _running_text(soup: Any, n_lines: int) -> tuple[list[str], list[LinkTarget]]:
    """The page's text at the lines of the source: each tag's text starts at the tag's own
    line, newlines inside the text advance it."""
    from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    lines = [""] * max(n_lines, 1)
    links: list[LinkTarget] = []

    def put(text: str, line: int) -> int:
        parts = text.split("\n")
        for k, part in enumerate(parts):
            i = min(line - 1 + k, len(lines) - 1)
            if part.strip() or (part and lines[i] and not lines[i].endswith(" ")):
                lines[i] += part.replace("\t", " ")
        return line + len(parts) - 1

    def walk(root: Any, line: int) -> int:
        # an explicit stack: html.parser nests unclosed tags, as deep as the page is long
        stack: list[tuple[Any, bool]] = [(iter(root.children), False)]
        while stack:
            children, block = stack[-1]
            child = next(children, None)
            if child is None:
                stack.pop()
                if block:
                    line = put(" ", line)
                continue
            if isinstance(child, (Comment, Doctype, Declaration, ProcessingInstruction)):
                line += str(child).count("\n")
                continue
            if isinstance(child, NavigableString):
                line = put(str(child), line)
            elif isinstance(child, Tag):
                line = max(line, child.sourceline or line)
                is_block = child.name in _BREAKS
                if is_block:
                    line = put(" ", line)
                if child.name == "a" and http_target(str(child.get("href", ""))):
                    links.append(LinkTarget(str(child["href"]).strip(), " ".join(child.get_text(" ").split()),
                                            Location(line=line)))
                stack.append((iter(child.children), is_block))
        return line

    walk(soup, 1)
    return [" ".join(x.split()) if x.strip() else "" for x in lines], links
