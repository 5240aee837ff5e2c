"""Markdown (CommonMark with footnotes): ``[^n]`` markers and their definitions, inline
notes ``^[…]``, ``[text](url)`` links and autolinks, read with markdown-it-py and the
footnote plugin of mdit-py-plugins.

The running text keeps the source's line numbers: every block's inline content is written
back at the lines its token map gives, as the reader sees it (escapes resolved, so
``\\[16, с. 154\\]`` is a bracket; inline HTML tags dropped; a link as its text followed by its
target). Code is left out. A marker whose definition is missing (``[^28]`` printed as is)
stays a marker without a note; a definition nothing refers to stays a note without a marker.
"""

from __future__ import annotations

import re
from typing import Any

from footcheck.load import sniff
from footcheck.load._common import LineIndex, http_target, link_diagnostics, looks_like_url
from footcheck.load.interface import Format, LinkTarget, LoadedText, Reader, SourceMarker, SourceNote
from footcheck.load.text import decode_text
from footcheck.model import Location

_DANGLING = re.compile(r"\[\^([^\]\s]{1,40})\]")
_SOURCE_DEFINITION = re.compile(r"^ {0,3}\[\^(?P<label>[^\]\s]{1,40})\]:[ \t]*(?P<text>.*)$", re.MULTILINE)
_TAG = re.compile(r"<[^>\n]{1,200}>")


class MarkdownReader(Reader):
    format = Format.MARKDOWN

    def sniff(self, head: bytes, name: str) -> bool:
        return sniff.markdown(head, name)

    def read(self, data: bytes, name: str) -> LoadedText:
        text, encoding, diagnostics = decode_text(data, name=name)
        return _read(text, encoding, name, diagnostics)


def _parser() -> Any:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.footnote import footnote_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin

    md = MarkdownIt("commonmark", {"html": True}).use(front_matter_plugin).use(footnote_plugin).enable("table")
    # keep "…/схемофетишизм.html" as the author wrote it, not %-encoded; markdown-it-py's
    # hook for that is replacing the method on the instance, which mypy does not model
    md.normalizeLink = _as_written  # type: ignore[method-assign]
    return md


def _as_written(url: str) -> str:
    return url.strip()


class _Render:
    """Inline children to text: '\\n' where the source breaks the line; markers and links
    collected with the line they stand on."""

    def __init__(self, numbers: dict[str, int], inline_targets: bool) -> None:
        self.numbers = numbers
        self.inline_targets = inline_targets  # running text: a link's target written after its text
        self.markers: list[SourceMarker] = []
        self.links: list[LinkTarget] = []

    def render(self, children: list[Any], line: int) -> str:
        out: list[str] = []
        link_start: int | None = None
        href = ""
        for tok in children:
            kind = tok.type
            if kind in ("text", "code_inline"):
                out.append(tok.content)
                if kind == "text" and "[^" in tok.content:
                    for m in _DANGLING.finditer(tok.content):
                        if m[1].isdigit():
                            self.markers.append(SourceMarker(int(m[1]), Location(line=line)))
            elif kind in ("softbreak", "hardbreak"):
                out.append("\n")
                line += 1
            elif kind == "footnote_ref":
                number = self.numbers.get(_key(tok.meta), tok.meta.get("id", 0) + 1)
                self.markers.append(SourceMarker(number, Location(line=line, footnote=number)))
            elif kind == "link_open":
                href = str(tok.attrs.get("href", ""))
                out.append("\x00")  # where the shown text starts
                link_start = len(out)
            elif kind == "link_close" and link_start is not None:
                shown = "".join(out[link_start:])
                del out[link_start - 1]
                if http_target(href):
                    self.links.append(LinkTarget(href, shown, Location(line=line)))
                    if self.inline_targets and not looks_like_url(shown):
                        out.append(f" <{href}>")
                link_start = None
            elif kind == "image":
                continue
            # html_inline and the rest: tags are not text
        return "".join(out)


def _key(meta: dict[str, Any]) -> str:
    label = meta.get("label")
    return f"label:{label}" if label is not None else f"id:{meta.get('id')}"


def _read(text: str, encoding: str, name: str, diagnostics: tuple[Any, ...]) -> LoadedText:
    tokens = _parser().parse(text)
    source_lines = text.split("\n")
    lines = [""] * len(source_lines)
    numbers = _numbering(tokens)
    body = _Render(numbers, inline_targets=True)
    notes_render = _Render(numbers, inline_targets=False)
    notes: list[SourceNote] = []
    in_note: dict[str, Any] | None = None
    note_parts: list[str] = []
    note_line = 0
    item_prefix: list[str] = []
    ordered: list[list[int]] = []
    for tok in tokens:
        kind = tok.type
        if kind == "footnote_open":
            in_note, note_parts, note_line = tok.meta, [], 0
        elif kind == "footnote_close" and in_note is not None:
            number = numbers.get(_key(in_note), in_note.get("id", 0) + 1)
            line = note_line or _line_of_ref(body.markers, number)
            links = tuple(notes_render.links)
            notes_render.links = []
            loc = Location(line=line, footnote=number)
            notes.append(SourceNote(number, "\n".join(p for p in note_parts if p).strip(), loc,
                                    tuple(LinkTarget(k.url, k.shown, loc) for k in links)))
            in_note = None
        elif kind == "ordered_list_open":
            ordered.append([int(tok.attrs.get("start", 1) or 1)])
        elif kind == "ordered_list_close" and ordered:
            ordered.pop()
        elif kind == "list_item_open" and ordered and tok.markup in (".", ")"):
            item_prefix.append(f"{ordered[-1][0]}. ")
            ordered[-1][0] += 1
        elif kind == "inline":
            if in_note is not None:
                if not note_line and tok.map:
                    note_line = tok.map[0] + 1
                note_parts.append(notes_render.render(tok.children or [], (tok.map[0] + 1) if tok.map else 0))
            elif tok.map:
                rendered = body.render(tok.children or [], tok.map[0] + 1)
                if item_prefix:
                    rendered = item_prefix.pop() + rendered
                _place(lines, tok.map[0], rendered)
        elif kind == "html_block" and tok.map:
            _place(lines, tok.map[0], _TAG.sub(" ", tok.content).rstrip("\n"))
    notes += _unreferenced(text, numbers, notes)
    links = tuple(body.links)
    all_links = list(links) + [k for n in notes for k in n.links]
    return LoadedText(
        path=name, text="\n".join(lines), encoding=encoding, format=Format.MARKDOWN,
        notes=tuple(sorted(notes, key=lambda n: n.number)), markers=tuple(body.markers + notes_render.markers),
        links=links, diagnostics=(*diagnostics, *link_diagnostics(all_links)))


def _numbering(tokens: list[Any]) -> dict[str, int]:
    """Printed numbers: the labels when every label is a number ([^1]…[^7]), otherwise the
    order of first reference, as the rendered page numbers them."""
    metas = [t.meta for t in tokens if t.type == "footnote_open"]
    labels = [m.get("label") for m in metas]
    if labels and all(isinstance(x, str) and x.isdigit() for x in labels):
        return {_key(m): int(m["label"]) for m in metas}
    return {_key(m): int(m.get("id", 0)) + 1 for m in metas}


def _line_of_ref(markers: list[SourceMarker], number: int) -> int:
    return next((m.location.line or 1 for m in markers if m.number == number), 1)


def _place(lines: list[str], index: int, rendered: str) -> None:
    for k, part in enumerate(rendered.split("\n")):
        if index + k >= len(lines):
            lines.append("")
        lines[index + k] = f"{lines[index + k]} {part}" if lines[index + k] else part


def _unreferenced(text: str, numbers: dict[str, int], notes: list[SourceNote]) -> list[SourceNote]:
    """Definitions nothing refers to: markdown-it drops them; they are notes without markers."""
    known = {k[6:] for k in numbers if k.startswith("label:")}
    taken = {n.number for n in notes}
    out = []
    index: LineIndex | None = None  # offsets to lines, built once (a count per note was quadratic)
    for m in _SOURCE_DEFINITION.finditer(text):
        label = m["label"]
        if label in known or not label.isdigit() or int(label) in taken:
            continue
        index = index or LineIndex(text)
        line = index.line(m.start())
        out.append(SourceNote(int(label), m["text"].strip(), Location(line=line, footnote=int(label))))
        taken.add(int(label))
    return out
