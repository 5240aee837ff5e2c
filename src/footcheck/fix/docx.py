"""Fixing a DOCX: hyperlink targets in the parts' relationships and the shown text in the
runs, with every other byte of the package kept.

Word splits text into runs freely (spell-check marks, revisions), so a URL printed in the
text may span several ``w:t`` elements: a replacement goes into the run where the URL
starts, and the rest of the URL is taken out of the runs after it, so the first run's
formatting carries the new text. Only the parts that change are re-serialised; every other
member of the zip is copied as it was, in its place and with its compression.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from footcheck.fix.interface import DEFAULT_ARCHIVE_TEMPLATE, FixKind
from footcheck.fix.plan import archive_asked, moved_asked, tracking_asked
from footcheck.model import Audit
from footcheck.rules.urls import strip_tracking

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
_PARTS = ("word/document.xml", "word/footnotes.xml", "word/endnotes.xml")
_DTD = re.compile(rb"<!(?:DOCTYPE|ENTITY)", re.IGNORECASE)
_DATE_GROUP = re.compile(r"\s*\([^()]{0,200}?(?:\d{4}|\d\d)[^()]{0,40}\)")
_ARCHIVED = ("web.archive.org", "archive.org/web", "Архивная копия", "archive.ph")


class DocxFixError(Exception):
    """The package cannot be rewritten; one line for the user."""


@dataclass(frozen=True, slots=True)
class DocxChange:
    """One change made in a DOCX part."""

    part: str
    kind: FixKind
    url: str
    new: str  # the new URL, or the text added after the item
    where: str  # "link target" | "text"


@dataclass(frozen=True, slots=True)
class DocxFix:
    """A DOCX package with its fixes applied, and the changed paragraphs for the diff."""

    changes: tuple[DocxChange, ...]
    data: bytes  # the fixed package (the original bytes when nothing changed)
    before: tuple[str, ...]  # the changed paragraphs' text, for the diff
    after: tuple[str, ...]


def _parse(data: bytes, member: str) -> Any:
    from lxml import etree

    if _DTD.search(data):
        raise DocxFixError(f"{member} declares a DTD or entities; refusing to rewrite it")
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise DocxFixError(f"{member} is not well-formed XML: {exc}") from None


def _serialise(root: Any) -> bytes:
    from lxml import etree

    return bytes(etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True))


def _rels_name(part: str) -> str:
    folder, name = part.rsplit("/", 1)
    return f"{folder}/_rels/{name}.rels"


def url_changes(audit: Audit, kinds: Iterable[FixKind]) -> tuple[dict[str, tuple[str, FixKind]], dict[str, str]]:
    """(old URL -> (new URL, kind), dead URL -> archived copy) for this audit's findings."""
    wanted = frozenset(kinds)
    codes = {(f.code, f.url) for f in audit.findings}
    replace: dict[str, tuple[str, FixKind]] = {}
    archive: dict[str, str] = {}
    for link in audit.links:
        url = link.url
        result = audit.results.get(url)
        if FixKind.MOVED in wanted and moved_asked(url, audit, codes) and result and result.final_url:
            replace[url] = (strip_tracking(result.final_url)[0], FixKind.MOVED)
        elif FixKind.TRACKING in wanted and tracking_asked(url, codes):
            replace[url] = (strip_tracking(url)[0], FixKind.TRACKING)
        if FixKind.ARCHIVE in wanted and archive_asked(url, audit, codes) and result and result.archive:
            archive[url] = result.archive.url
    for fn in audit.document.footnotes:  # URLs of notes that the links list folds together
        for mention in fn.urls:
            if FixKind.TRACKING in wanted and mention.url not in replace and tracking_asked(mention.url, codes):
                replace[mention.url] = (strip_tracking(mention.url)[0], FixKind.TRACKING)
    return replace, archive


def fix_docx(data: bytes, audit: Audit, kinds: Iterable[FixKind], *,
             archive_template: str = DEFAULT_ARCHIVE_TEMPLATE) -> DocxFix:
    replace, archive = url_changes(audit, kinds)
    try:
        package = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise DocxFixError("not a zip package") from None
    names = set(package.namelist())
    changed: dict[str, bytes] = {}
    changes: list[DocxChange] = []
    before: list[str] = []
    after: list[str] = []
    for part in _PARTS:
        if part not in names or not (replace or archive):
            continue
        root = _parse(package.read(part), part)
        rels_name = _rels_name(part)
        targets: dict[str, str] = {}
        if rels_name in names:
            rels = _parse(package.read(rels_name), rels_name)
            touched = False
            for rel in rels.iter(_REL):
                target = rel.get("Target", "")
                targets[rel.get("Id", "")] = target
                if rel.get("TargetMode") == "External" and target in replace:
                    new, kind = replace[target]
                    rel.set("Target", new)
                    changes.append(DocxChange(part, kind, target, new, "link target"))
                    touched = True
            if touched:
                changed[rels_name] = _serialise(rels)
        part_touched = False
        for paragraph in root.iter(W + "p"):
            old_text = _paragraph_text(paragraph)
            if not old_text:
                continue
            edits = _paragraph_fixes(paragraph, old_text, targets, replace, archive, archive_template, part,
                                     changes)
            if edits:
                part_touched = True
                before.append(old_text)
                after.append(_paragraph_text(paragraph))
        if part_touched:
            changed[part] = _serialise(root)
    if not changed:
        return DocxFix(tuple(changes), data, (), ())
    return DocxFix(tuple(changes), _repack(package, changed), tuple(before), tuple(after))


def _texts(paragraph: Any) -> Iterator[Any]:
    for t in paragraph.iter(W + "t"):
        if any(a.tag in (W + "del", W + "moveFrom") for a in t.iterancestors()):
            continue
        yield t


def _paragraph_text(paragraph: Any) -> str:
    return "".join(t.text or "" for t in _texts(paragraph))


def _paragraph_fixes(paragraph: Any, text: str, targets: dict[str, str], replace: dict[str, tuple[str, FixKind]],
                     archive: dict[str, str], template: str, part: str, changes: list[DocxChange]) -> int:
    count = 0
    for old, (new, kind) in replace.items():
        while old in text and old != new:
            start = text.index(old)
            _splice(paragraph, start, start + len(old), new)
            changes.append(DocxChange(part, kind, old, new, "text"))
            text = _paragraph_text(paragraph)
            count += 1
    for dead, copy in archive.items():
        if any(mark in text for mark in _ARCHIVED):
            continue
        end = _end_of(paragraph, text, dead, targets)
        if end is None:
            continue
        m = _DATE_GROUP.match(text, end)
        at = m.end() if m else end
        added = template.format(archive_url=copy, url=dead)
        _splice(paragraph, at, at, added)
        changes.append(DocxChange(part, FixKind.ARCHIVE, dead, added, "text"))
        text = _paragraph_text(paragraph)
        count += 1
    return count


def _end_of(paragraph: Any, text: str, url: str, targets: dict[str, str]) -> int | None:
    """Where the cited URL ends in the paragraph's text: its shown text, or the end of the
    hyperlink whose target it is."""
    if url in text:
        return text.index(url) + len(url)
    offset = 0
    for t in _texts(paragraph):
        offset += len(t.text or "")
        link = next((a for a in t.iterancestors() if a.tag == W + "hyperlink"), None)
        if link is not None and targets.get(link.get(R + "id", "")) == url:
            nxt = t.getnext()
            later = [x for x in link.iter(W + "t")]
            if later and later[-1] is t and nxt is None:
                return offset
    return None


def _splice(paragraph: Any, start: int, end: int, new: str) -> None:
    """Replace characters ``start:end`` of the paragraph's text with ``new``: the new text
    goes into the run where ``start`` falls (for an insertion, the run that ends there),
    the rest of the span leaves the later runs."""
    spans = []
    offset = 0
    for t in _texts(paragraph):
        value = t.text or ""
        spans.append((t, offset, offset + len(value), value))
        offset += len(value)
    first: int | None
    if start == end:
        first = next((i for i, (_, a, b, _v) in enumerate(spans) if a < start <= b), 0)
    else:
        first = next((i for i, (_, a, b, _v) in enumerate(spans) if a <= start < b), None)
        if first is None:
            return
    t, a, b, value = spans[first]
    t.text = value[: start - a] + new + value[min(end, b) - a:]
    t.set(_XML_SPACE, "preserve")
    for t, a, b, value in spans[first + 1:]:
        if a >= end:
            break
        t.text = value[min(end, b) - a:]
        t.set(_XML_SPACE, "preserve")


def _repack(package: zipfile.ZipFile, changed: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as new:
        for info in package.infolist():
            data = changed.get(info.filename)
            if data is None:
                new.writestr(info, package.read(info.filename))
            else:
                fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                fresh.compress_type = zipfile.ZIP_DEFLATED
                fresh.external_attr = info.external_attr
                new.writestr(fresh, data)
    return out.getvalue()
