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

import bisect
import re
from collections import defaultdict
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

    soup = BeautifulSoup(_defuse_nesting(text), "html.parser")
    for tag in soup.find_all(list(_DROP)):
        tag.decompose()
    # keys as bs4 gives them (str, a value list, None); _markers looks them up by str
    ids: dict[object, Any] = {t.get("id") or t.get("name"): t for t in soup.find_all(id=True)}
    ids.update({t.get("name"): t for t in soup.find_all("a", attrs={"name": True}) if t.get("name") not in ids})

    order = _Order(soup)
    raw_markers = _markers(soup, ids, order)
    # a block that holds the anchors of several notes (``<a name="n1"></a>1. …<br><a
    # name="n2"></a>2. …``) gives each note its own piece: from its anchor to the next one
    shared: dict[int, list[int]] = defaultdict(list)  # id(block) -> pre-order numbers of its anchors
    for _, _, block, target in raw_markers:
        if block is not None and target is not None and target is not block:
            shared[id(block)].append(order.pre[id(target)])
    for key, anchors in shared.items():
        shared[key] = sorted(set(anchors))
    notes: list[SourceNote] = []
    markers: list[SourceMarker] = []
    blocks: dict[int, Any] = {}  # id(block) -> block, to drop from the running text
    rendered: dict[int, tuple[str, int, tuple[LinkTarget, ...]]] = {}
    seen_numbers: set[int] = set()
    for number, line, block, target in raw_markers:
        markers.append(SourceMarker(number, Location(line=line, footnote=number)))
        if block is None or number in seen_numbers:
            continue
        seen_numbers.add(number)
        anchors = shared.get(id(block), [])
        piece = target is not None and len(anchors) > 1
        key = id(target) if piece else id(block)
        if key not in rendered:
            blocks[id(block)] = block
            if piece:
                at = order.pre[id(target)]
                stop = next((a for a in anchors if a > at), order.end[id(block)] + 1)
                rendered[key] = _piece_text(order, target, block, stop)
            else:
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


_INLINE_TAG = re.compile(r"<(/?)(a|font|span|b|i|em|strong|small|u)\b([^<>]*)>", re.IGNORECASE)
_KEEP_ATTRIBUTE = re.compile(r"\b(?:id|name|class|role|href)\s*=", re.IGNORECASE)
MAX_OPEN = 64  # inline tags left open past this many: a runaway page


def _defuse_nesting(text: str) -> str:
    """A page whose inline tags are left open by the thousand (``<font>`` after
    ``<font>``, ``<a href>`` never closed), made flat before parsing. html.parser nests
    every open tag inside the one before, and bs4 walks the chain of open tags for each
    new string: quadratic (1.4 s for 400 KB). Only a runaway name is touched: an ``<a>``
    is closed where the next one opens (as browsers do); a presentational tag with no
    id, name, class, role or href is dropped (its line breaks kept, so lines stay put)."""
    opened: dict[str, int] = {}
    for m in _INLINE_TAG.finditer(text):
        name = m[2].lower()
        opened[name] = opened.get(name, 0) + (-1 if m[1] else 1)
    runaway = {name for name, n in opened.items() if n > MAX_OPEN}
    if not runaway:
        return text
    parts: list[str] = []
    last = 0
    link_open = False
    for m in _INLINE_TAG.finditer(text):
        name = m[2].lower()
        if name not in runaway:
            continue
        parts.append(text[last : m.start()])
        last = m.end()
        tag = m.group(0)
        if name == "a":
            if not m[1] and link_open:
                parts.append("</a>")
            link_open = not m[1]
            parts.append(tag)
        elif _KEEP_ATTRIBUTE.search(m[3]):
            parts.append(tag)
        else:
            parts.append("\n" * tag.count("\n"))
    parts.append(text[last:])
    return "".join(parts)


def _markers(soup: Any, ids: dict[object, Any], order: _Order) -> list[tuple[int, int, Any, Any]]:
    """(number, line, note block or None, the element the marker names or None) for every
    marker, in document order. Every question about where a node stands or what text it
    holds goes to ``order`` (one walk of the page), never to a walk of its subtree or of
    its ancestors: many markers in one big block, or tags left open (which html.parser
    nests as deep as the page is long), made those walks quadratic."""
    found: list[tuple[int, int, Any, Any]] = []
    used: list[int] = []  # pre-order numbers of the links taken as markers
    used_spans: list[tuple[int, int]] = []
    for a in soup.find_all("a", href=True):
        href = a["href"].strip()
        if not href.startswith("#") or len(href) < 2:
            continue
        target = href[1:]
        if "ref" in target.lower() or order.has_back(a):
            continue  # a back-link from the note to its marker
        number = _marker_number(a, order)
        if number is None or target not in ids:
            continue
        block = order.block_of(ids[target])
        if block is None or order.inside(a, block):
            continue
        used.append(order.pre[id(a)])
        used_spans.append((order.pre[id(a)], order.end[id(a)]))
        found.append((number, a.sourceline or 1, block, ids[target]))
    # bare <sup>N</sup> markers: the N-th item of a notes block
    items = _notes_items(soup)
    used.sort()
    inside_used = _Spans(used_spans)
    for sup in soup.find_all("sup"):
        at, end = order.pre[id(sup)], order.end[id(sup)]
        k = bisect.bisect_left(used, at)
        if (k < len(used) and used[k] <= end) or inside_used.covers(at):
            continue  # a link taken as a marker is inside it, or it is inside one
        m = _NUMBER.match(sup.get_text()) if order.short(sup) else None
        if not m or order.in_notes(sup):
            continue
        number = int(m[1])
        block = items[number - 1] if 0 < number <= len(items) else None
        found.append((number, sup.sourceline or 1, block, None))
    found.sort(key=lambda f: f[1])
    return found


def _marker_number(a: Any, order: _Order) -> int | None:
    m = _NUMBER.match(a.get_text()) if order.short(a) else None
    if m:
        return int(m[1])
    last_sup = order.last_sup(a)
    if last_sup is not None:  # a link around words that ends in the number: "words<sup>2</sup>"
        m = _NUMBER.match(last_sup.get_text()) if order.short(last_sup) else None
        return int(m[1]) if m else None
    parent = a.parent
    if parent is not None and parent.name == "sup":
        m = _NUMBER.match(parent.get_text()) if order.short(parent) else None
        return int(m[1]) if m else None
    return None


class _Spans:
    """Does any of a set of subtrees (pre-order spans, nested or apart) hold a node?"""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []
        for start, end in sorted(spans):
            if self.ends and start <= self.ends[-1]:
                continue  # inside the span before (subtrees nest or stand apart)
            self.starts.append(start)
            self.ends.append(end)

    def covers(self, at: int) -> bool:
        k = bisect.bisect_right(self.starts, at) - 1
        return k >= 0 and at <= self.ends[k]


class _Order:
    """One walk over the parsed page. Per node: its pre-order number; per tag: the last
    pre-order number inside it, the length of its text as ``get_text(strip=True)`` counts
    it and the count of its non-space characters (both capped: only "more than a few" is
    asked), whether its text holds a back-link arrow, its last ``<sup>``, and whether it
    stands inside a notes block."""

    CAP = 64

    def __init__(self, soup: Any) -> None:
        from bs4.element import CData, NavigableString, Tag

        self.pre: dict[int, int] = {}
        self.end: dict[int, int] = {}
        self.text: dict[int, int] = {}
        self.solid: dict[int, int] = {}
        self.back: set[int] = set()
        self.sup: dict[int, Any] = {}
        self.notes: set[int] = set()  # tags below a notes block
        self._block: dict[int, Any] = {}
        counter = 0
        self.pre[id(soup)] = counter
        # per open tag: [tag, its children, text, solid, back, last sup inside, notes blocks above and at it]
        stack: list[list[Any]] = [[soup, iter(soup.children), 0, 0, False, None, 0]]
        while stack:
            top = stack[-1]
            child = next(top[1], None)
            if child is None:
                stack.pop()
                tag, _, text, solid, back, sup = top[:6]
                key = id(tag)
                self.end[key] = counter
                self.text[key], self.solid[key] = text, solid
                if back:
                    self.back.add(key)
                if sup is not None:
                    self.sup[key] = sup
                if stack:
                    parent = stack[-1]
                    parent[2] = min(parent[2] + text, self.CAP)
                    parent[3] = min(parent[3] + solid, self.CAP)
                    parent[4] = parent[4] or back
                    # the last <sup> in document order, this tag's own subtree last
                    last = sup if sup is not None else (tag if tag.name == "sup" else None)
                    if last is not None:
                        parent[5] = last
                continue
            counter += 1
            self.pre[id(child)] = counter
            if isinstance(child, Tag):
                if top[6]:
                    self.notes.add(id(child))
                depth = top[6] + (1 if _is_notes_block(child) else 0)
                stack.append([child, iter(child.children), 0, 0, False, None, depth])
            else:
                self.end[id(child)] = counter
                if type(child) in (NavigableString, CData):
                    top[2] = min(top[2] + len(child.strip()), self.CAP)
                    top[3] = min(top[3] + len("".join(child.split())), self.CAP)
                    top[4] = top[4] or any(ch in child for ch in _BACK)

    def inside(self, node: Any, block: Any) -> bool:
        """``node in block.descendants``."""
        return self.pre[id(block)] < self.pre[id(node)] <= self.end[id(block)]

    def short(self, tag: Any) -> bool:
        """Few enough non-space characters to be a note number (``_NUMBER``: at most 6)."""
        return self.solid.get(id(tag), 0) <= 6

    def has_back(self, tag: Any) -> bool:
        return id(tag) in self.back

    def last_sup(self, tag: Any) -> Any:
        """``tag.find_all("sup")[-1]``, or None."""
        return self.sup.get(id(tag))

    def in_notes(self, tag: Any) -> bool:
        """An ancestor of ``tag`` (below the document) is a notes block."""
        return id(tag) in self.notes

    def block_of(self, el: Any) -> Any:
        """The note around an anchor: the element itself when it is a block with text, else
        the nearest block that holds it (memoised along the way up)."""
        path: list[int] = []
        node = el
        found = None
        while node is not None and getattr(node, "name", None) not in (None, "[document]", "body"):
            key = id(node)
            if key in self._block:
                found = self._block[key]
                break
            path.append(key)
            if node.name in _BLOCKS and self.text.get(key, 0) > 3:
                found = node
                break
            node = node.parent
        for key in path:
            self._block[key] = found
        return found


def _is_notes_block(tag: Any) -> bool:
    if tag.name == "aside":
        return True
    label = " ".join(tag.get("class", [])) + " " + str(tag.get("id", "")) + " " + str(tag.get("role", ""))
    return bool(_NOTES_BLOCK.search(label))


def _notes_items(soup: Any) -> list[Any]:
    for block in soup.find_all(["section", "div", "aside", "ol", "footer"]):
        label = " ".join(block.get("class", [])) + " " + str(block.get("id", "")) + " " + str(block.get("role", ""))
        if block.name == "aside" or _NOTES_BLOCK.search(label):
            items = block.find_all("li") or [p for p in block.find_all("p") if p.get_text(strip=True)]
            if items:
                return items
    return []


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


def _piece_text(order: _Order, start: Any, block: Any, stop: int) -> tuple[str, int, tuple[LinkTarget, ...]]:
    """A note that is a piece of a shared block: its text from the anchor ``start`` up to
    the node numbered ``stop`` (the next note's anchor, or the block's end), as
    :func:`_note_text` reads a whole block; each node is visited once."""
    from bs4.element import Comment, NavigableString, Tag

    links: list[LinkTarget] = []
    parts: list[str] = []
    closes: list[int] = []  # last pre-order numbers of the open blocks (a space when each ends)
    end = min(stop - 1, order.end[id(block)])
    skip_to = -1
    node = start
    while node is not None:
        at = order.pre.get(id(node))
        if at is None:
            node = node.next_element
            continue
        if at > end:
            break
        while closes and at > closes[-1]:
            closes.pop()
            parts.append(" ")
        if at <= skip_to:
            node = node.next_element
            continue
        if isinstance(node, Tag):
            href = str(node.get("href", "")).strip()
            if node.name == "a" and href.startswith("#") and ("ref" in href.lower() or order.has_back(node)):
                skip_to = order.end[id(node)]  # back-link
            else:
                if node.name == "a" and not href.startswith("#") and http_target(href):
                    links.append(LinkTarget(href, " ".join(node.get_text(" ").split())))
                if node.name in _BREAKS:
                    parts.append(" ")
                    closes.append(order.end[id(node)])
        elif isinstance(node, NavigableString) and not isinstance(node, Comment):
            parts.append(str(node))
        node = node.next_element
    text = " ".join("".join(parts).split())
    text = re.sub(r"^\s*[\[(]?\d{1,4}[\])]?\s*[.)]?\s+", "", text)  # the note's own printed number
    return text, start.sourceline or block.sourceline or 0, tuple(links)


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
