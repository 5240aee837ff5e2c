"""DOCX (Word, Google Docs, LibreOffice export): footnotes, endnotes and link targets as
the file stores them.

A small reader over the zip and the XML (python-docx cannot read footnotes): the body's
paragraphs become the running text, one line each; ``word/footnotes.xml`` and
``word/endnotes.xml`` give the notes, numbered in the order their ``w:footnoteReference``
stands in the body (the order of the bodies in the part is not the printed order);
hyperlink targets come from the part's relationships (``w:hyperlink r:id``) and from
``HYPERLINK`` field codes. Deleted text of tracked changes (``w:del``, ``w:moveFrom``) and
comments never reach the text; inserted text (``w:ins``) is kept. Locations are the
paragraph of the body and the note's number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from footcheck.load import sniff
from footcheck.load._common import PART_UNREADABLE, Archive, http_target, link_diagnostics, parse_xml
from footcheck.load.interface import (
    Format,
    LinkTarget,
    LoadDiagnostic,
    LoadedText,
    LoadError,
    Reader,
    SourceMarker,
    SourceNote,
)
from footcheck.model import Location

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

# Subtrees whose text is not part of the document as printed.
_SKIP = frozenset(W + t for t in ("del", "moveFrom", "delText", "delInstrText", "pPr", "rPr", "sectPr",
                                  "footnoteRef", "endnoteRef", "annotationRef", "commentReference",
                                  "tblPr", "trPr", "tcPr", "sdtPr", "fldData"))
_HYPERLINK_FIELD = re.compile(r'^\s*HYPERLINK\s+(?:\\[a-zA-Z]\s+"[^"]*"\s+)*"?(?P<url>[^"\s\\][^"\s]*)"?',
                              re.IGNORECASE)
_LOCAL_FIELD = re.compile(r"^\s*HYPERLINK\s+\\l\b", re.IGNORECASE)
_NOTE_SKIP_TYPES = frozenset({"separator", "continuationSeparator", "continuationNotice"})


class DocxReader(Reader):
    format = Format.DOCX

    def sniff(self, head: bytes, name: str) -> bool:
        return sniff.docx(head, name)

    def read(self, data: bytes, name: str) -> LoadedText:
        archive = Archive(data, name, "DOCX")
        if not archive.has("word/document.xml"):
            raise LoadError(f"{name}: a zip archive without word/document.xml: not a DOCX file")
        return _read(archive, name)


@dataclass
class _Field:
    """A field (``HYPERLINK``) being read: its instruction and where its shown text starts."""

    instr: str = ""
    url: str | None = None
    start: int = 0  # offset of the displayed text in the paragraph
    separated: bool = False


@dataclass
class _Walk:
    """State while walking one part: the paragraph being built and its findings."""

    rels: dict[str, str]
    parts: list[str] = field(default_factory=list)
    length: int = 0
    refs: list[tuple[str, str, bool, int]] = field(default_factory=list)  # (kind, id, custom mark, offset)
    links: list[tuple[str, str]] = field(default_factory=list)  # (url, shown)
    fields: list[_Field] = field(default_factory=list)

    def add(self, text: str) -> None:
        if text:
            self.parts.append(text)
            self.length += len(text)

    def text(self) -> str:
        return "".join(self.parts)

    def reset(self) -> None:
        self.parts, self.length, self.refs, self.links = [], 0, [], []


def _rels(archive: Archive, part: str, name: str) -> dict[str, str]:
    folder, _, base = part.rpartition("/")
    data = archive.read(f"{folder}/_rels/{base}.rels")
    if data is None:
        return {}
    root = parse_xml(data, name, f"{folder}/_rels/{base}.rels")
    out = {}
    for rel in root.iter(_REL):
        if rel.get("TargetMode") == "External" or http_target(rel.get("Target", "")):
            out[rel.get("Id", "")] = rel.get("Target", "")
    return out


def _visit(el: Any, walk: _Walk) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            if not walk.fields or walk.fields[-1].separated or not _in_instr(walk):
                walk.add(child.text or "")
        elif tag == W + "tab" or tag == W + "br" or tag == W + "cr":
            walk.add(" ")
        elif tag == W + "noBreakHyphen":
            walk.add("-")
        elif tag in (W + "footnoteReference", W + "endnoteReference"):
            custom = child.get(W + "customMarkFollows", "0") in ("1", "true", "on")
            walk.refs.append(("foot" if tag == W + "footnoteReference" else "end", child.get(W + "id", ""), custom,
                              walk.length))
        elif tag == W + "hyperlink":
            start = walk.length
            _visit(child, walk)
            rid = child.get(R + "id")
            url = walk.rels.get(rid or "")
            if url:
                anchor = child.get(W + "anchor")
                walk.links.append((url + ("#" + anchor if anchor and "#" not in url else ""),
                                   walk.text()[start:]))
        elif tag == W + "fldSimple":
            start = walk.length
            _visit(child, walk)
            url = _field_url(child.get(W + "instr", ""))
            if url:
                walk.links.append((url, walk.text()[start:]))
        elif tag == W + "fldChar":
            kind = child.get(W + "fldCharType")
            if kind == "begin":
                walk.fields.append(_Field())
            elif kind == "separate" and walk.fields:
                f = walk.fields[-1]
                f.separated, f.url, f.start = True, _field_url(f.instr), walk.length
            elif kind == "end" and walk.fields:
                f = walk.fields.pop()
                if f.url and f.separated:
                    walk.links.append((f.url, walk.text()[f.start:] if f.start <= walk.length else ""))
        elif tag == W + "instrText":
            if walk.fields and not walk.fields[-1].separated:
                walk.fields[-1].instr += child.text or ""
        elif tag == MC + "AlternateContent":
            choice = child.find(MC + "Choice")
            if choice is not None:
                _visit(choice, walk)
        else:
            _visit(child, walk)


def _in_instr(walk: _Walk) -> bool:
    """Inside a field's code part (between begin and separate): not displayed text."""
    return any(not f.separated for f in walk.fields)


def _field_url(instr: str) -> str | None:
    if _LOCAL_FIELD.match(instr):
        return None
    m = _HYPERLINK_FIELD.match(instr)
    return m["url"] if m and http_target(m["url"]) else None


class _Numbering:
    """Word's automatic list numbers ("1.", "2.1.", "а)"), which are not in the text of the
    XML: a numbered reference list needs them. Bullets get no prefix."""

    def __init__(self, archive: Archive, name: str) -> None:
        self.levels: dict[str, dict[str, tuple[str, int, str]]] = {}  # numId -> ilvl -> (fmt, start, text)
        self.styles: dict[str, tuple[str, str]] = {}  # paragraph style -> (numId, ilvl)
        self.counters: dict[str, dict[int, int]] = {}
        data = archive.read("word/numbering.xml")
        if data is not None:
            root = parse_xml(data, name, "word/numbering.xml")
            abstract = {}
            for an in root.iter(W + "abstractNum"):
                lv = {}
                for lvl in an.iter(W + "lvl"):
                    fmt = _val(lvl.find(W + "numFmt")) or "decimal"
                    start = _val(lvl.find(W + "start")) or "1"
                    lv[lvl.get(W + "ilvl", "0")] = (fmt, int(start) if start.isdigit() else 1,
                                                    _val(lvl.find(W + "lvlText")) or "")
                abstract[an.get(W + "abstractNumId", "")] = lv
            for num in root.iter(W + "num"):
                levels = dict(abstract.get(_val(num.find(W + "abstractNumId")) or "", {}))
                for override in num.iter(W + "lvlOverride"):
                    restart = _val(override.find(W + "startOverride"))
                    ilvl = override.get(W + "ilvl", "0")
                    if restart and restart.isdigit() and ilvl in levels:
                        fmt, _, text = levels[ilvl]
                        levels[ilvl] = (fmt, int(restart), text)
                self.levels[num.get(W + "numId", "")] = levels
        data = archive.read("word/styles.xml") if self.levels else None
        if data is not None:
            for style in parse_xml(data, name, "word/styles.xml").iter(W + "style"):
                num_pr = style.find(f"{W}pPr/{W}numPr")
                if num_pr is not None:
                    self.styles[style.get(W + "styleId", "")] = (
                        _val(num_pr.find(W + "numId")) or "", _val(num_pr.find(W + "ilvl")) or "0")

    def prefix(self, p: Any) -> str:
        if not self.levels:
            return ""
        ppr = p.find(W + "pPr")
        if ppr is None:
            return ""
        num_pr = ppr.find(W + "numPr")
        if num_pr is not None:
            num_id, ilvl = _val(num_pr.find(W + "numId")) or "", _val(num_pr.find(W + "ilvl")) or "0"
        else:
            num_id, ilvl = self.styles.get(_val(ppr.find(W + "pStyle")) or "", ("", "0"))
        levels = self.levels.get(num_id)
        if not levels or ilvl not in levels:
            return ""
        level = int(ilvl) if ilvl.isdigit() else 0
        counts = self.counters.setdefault(num_id, {})
        fmt, start, _ = levels[ilvl]
        counts[level] = counts[level] + 1 if level in counts else start
        for deeper in [k for k in counts if k > level]:
            del counts[deeper]
        if fmt in ("bullet", "none"):
            return ""
        text = levels[ilvl][2]
        for k in range(level + 1):
            value = counts.get(k, levels.get(str(k), ("decimal", 1, ""))[1])
            text = text.replace(f"%{k + 1}", _format(value, levels.get(str(k), ("decimal", 1, ""))[0]))
        return text.strip() + " " if text.strip() else ""


def _val(el: Any) -> str | None:
    return None if el is None else el.get(W + "val")


_RU_LETTERS = "абвгдежзиклмнопрстуфхцчшщэюя"


def _format(value: int, fmt: str) -> str:
    if fmt in ("lowerLetter", "upperLetter"):
        s = chr(ord("a") + (value - 1) % 26)
        return s.upper() if fmt == "upperLetter" else s
    if fmt in ("russianLower", "russianUpper"):
        s = _RU_LETTERS[(value - 1) % len(_RU_LETTERS)]
        return s.upper() if fmt == "russianUpper" else s
    if fmt in ("lowerRoman", "upperRoman"):
        s = _roman(value)
        return s if fmt == "upperRoman" else s.lower()
    return str(value)


def _roman(n: int) -> str:
    out = ""
    for value, letters in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                           (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + letters, n - value
    return out


def _paragraphs(root: Any, walk: _Walk, numbering: _Numbering) -> list[tuple[str, list[tuple[str, str, str]],
                                                                            list[tuple[str, str]]]]:
    """Every paragraph of a part in document order (table cells included): its text, the
    note references in it and its links. Paragraphs inside text boxes count once."""
    out = []
    body = root.find(W + "body")
    for p in (body if body is not None else root).iter(W + "p"):
        if _nested(p):
            continue
        walk.reset()
        _visit(p, walk)
        raw = walk.text()
        # a custom mark is the text typed right after its reference ("*", "а")
        refs = [(kind, nid, (raw[at:].split() or ["*"])[0][:3] if custom else "")
                for kind, nid, custom, at in walk.refs]
        text = " ".join(raw.split())
        prefix = numbering.prefix(p)
        out.append((prefix + text if text else text, refs, list(walk.links)))
    return out


def _nested(p: Any) -> bool:
    parent = p.getparent()
    while parent is not None:
        if parent.tag == W + "p":
            return True
        if parent.tag in _SKIP or parent.tag == MC + "Fallback":
            return True
        parent = parent.getparent()
    return False


def _notes(archive: Archive, part: str, tag: str, name: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    data = archive.read(part)
    if data is None:
        return {}
    root = parse_xml(data, name, part)
    walk = _Walk(_rels(archive, part, name))
    out: dict[str, tuple[str, list[tuple[str, str]]]] = {}
    for note in root.iter(W + tag):
        if note.get(W + "type") in _NOTE_SKIP_TYPES:
            continue
        texts, links = [], []
        for p in note.iter(W + "p"):
            walk.reset()
            _visit(p, walk)
            t = " ".join(walk.text().split())
            if t:
                texts.append(t)
            links += walk.links
        out[note.get(W + "id", "")] = (" ".join(texts), links)
    return out


def _read(archive: Archive, name: str) -> LoadedText:
    root = parse_xml(archive.read("word/document.xml") or b"", name, "word/document.xml")
    walk = _Walk(_rels(archive, "word/document.xml", name))
    paragraphs = _paragraphs(root, walk, _Numbering(archive, name))
    foot = _notes(archive, "word/footnotes.xml", "footnote", name)
    end = _notes(archive, "word/endnotes.xml", "endnote", name)

    lines: list[str] = []
    locations: list[Location] = []
    markers: list[SourceMarker] = []
    body_links: list[LinkTarget] = []
    numbered: dict[tuple[str, str], tuple[int, str, Location]] = {}  # (kind, id) -> number, mark, where
    counters = {"foot": 0, "end": 0}
    diagnostics: list[LoadDiagnostic] = []
    for k, (text, refs, links) in enumerate(paragraphs, start=1):
        lines.append(text)
        where = Location(line=k, paragraph=k)
        locations.append(Location(paragraph=k))
        for kind, nid, mark in refs:
            key = (kind, nid)
            if key not in numbered:  # a custom mark takes its place in the sequence
                counters[kind] += 1
                numbered[key] = (counters[kind], mark, where)
            number = numbered[key][0]
            markers.append(SourceMarker(number, Location(line=k, paragraph=k, footnote=number)))
            if nid not in (foot if kind == "foot" else end):
                diagnostics.append(LoadDiagnostic(
                    PART_UNREADABLE, f"paragraph {k} refers to {kind}note {number}, whose text is missing"
                    f" from word/{kind}notes.xml", Location(line=k, paragraph=k, footnote=number)))
        body_links += [LinkTarget(url, shown, where) for url, shown in links]

    notes: list[SourceNote] = []
    for kind, table in (("foot", foot), ("end", end)):
        for nid, (text, links) in table.items():
            if (kind, nid) in numbered:
                number, mark, where = numbered[(kind, nid)]
            else:  # a note no paragraph refers to: numbered after the others
                counters[kind] += 1
                number, mark, where = counters[kind], "", Location(line=len(lines) or 1)
            loc = Location(line=where.line, paragraph=where.paragraph, footnote=number)
            notes.append(SourceNote(number, text, loc, tuple(LinkTarget(u, s, loc) for u, s in links),
                                    endnote=kind == "end", mark=mark))
    notes.sort(key=lambda n: (n.endnote, n.number))
    diagnostics += link_diagnostics(body_links)
    for note in notes:
        diagnostics += link_diagnostics(note.links)
    return LoadedText(
        path=name, text="\n".join(lines), encoding="utf-8", format=Format.DOCX, notes=tuple(notes),
        markers=tuple(markers), links=tuple(body_links), line_locations=tuple(locations),
        diagnostics=tuple(diagnostics))
