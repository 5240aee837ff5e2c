"""PDF reader: pypdfium2 (PDFium) reads each glyph with its size and baseline.

What a PDF knows and plain text extraction loses: which digits are superscripts (the
footnote markers), which lines are set small at the page bottom (the footnote zone), the
full target of every link (annotations), and which lines are page furniture. The reader
writes the text in the shape the text parser reads best (see :mod:`._pdf_layout`):

- pages separated by ``\\f``; on each page the body text in reading order (two columns
  read one after the other), then a blank line and the footnote zone;
- superscript marker digits as Unicode superscripts (``страны¹.``, ``¹ Текст сноски``);
- running heads and page numbers dropped;
- after a page's zone, the target of each link annotation inside it on a line of its
  own: the parser confirms and repairs the printed URLs with these copies.

``line_locations`` gives the page of every line (and the line within the page). Link
targets are also returned as :class:`LinkTarget`; a link whose printed URL differs from
its target is a :class:`LoadDiagnostic`. An encrypted, truncated or non-PDF file is a
:class:`LoadError`; pages without a text layer (scans) are a diagnostic; only the first
:data:`MAX_PAGES` pages are read.
"""

from __future__ import annotations

import ctypes
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from footcheck.load import sniff
from footcheck.load._pdf_layout import (
    SPACE,
    SUP_CHARS,
    SUPERSCRIPT_DIGITS,
    Glyph,
    Line,
    Page,
    body_size,
    fragments,
    furniture,
    page_lines,
    zone,
)
from footcheck.load.interface import Format, LinkTarget, LoadDiagnostic, LoadedText, LoadError, Reader
from footcheck.model import Location

MAX_PAGES = 2000  # a monograph is a few hundred pages; beyond this only a prefix is read
MAX_CHARS_PER_PAGE = 200_000  # a page of text holds a few thousand
MAX_CHARS = 8_000_000  # all pages together (some 3,000 dense pages); the rest is left out

# the input rules' codes (rules/input.py)
CODE_LINK_MISMATCH = "FC004"  # link-text-mismatch
CODE_TRUNCATED = "FC005"  # source-part-not-read
CODE_NO_TEXT = "FC007"  # no-text-layer

_URLISH = re.compile(r"(?:https?://|www\.)\S+", re.IGNORECASE)


class PdfReader(Reader):
    format = Format.PDF

    def sniff(self, head: bytes, name: str) -> bool:
        return sniff.pdf(head, name)

    def read(self, data: bytes, name: str) -> LoadedText:
        return read_pdf(data, name)


def read_pdf(data: bytes, name: str, *, max_pages: int = MAX_PAGES) -> LoadedText:
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
    except ImportError:  # pragma: no cover - a runtime dependency
        raise LoadError(f"{name}: reading PDF needs the pypdfium2 package") from None
    try:
        doc = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise LoadError(f"{name}: {_open_error(str(exc))}") from None
    try:
        return _read(doc, raw, name, max_pages)
    finally:
        doc.close()


def _open_error(message: str) -> str:
    low = message.lower()
    if "password" in low:
        return "the PDF is encrypted (it needs a password); decrypt it first"
    if "format" in low or "file" in low:
        return "not a readable PDF (damaged, truncated or not a PDF at all)"
    return f"cannot open the PDF ({message})"


def _read(doc: Any, raw: Any, name: str, max_pages: int) -> LoadedText:
    total = len(doc)
    if total == 0:
        raise LoadError(f"{name}: the PDF has no pages")
    count = min(total, max_pages)
    pages: list[Page] = []
    links_per_page: list[list[tuple[str, Pieces]]] = []
    no_text: list[int] = []
    damaged: list[int] = []
    read_chars = 0
    for p in range(count):
        if read_chars > MAX_CHARS:
            count = p  # a flood of text: stop here and say so
            break
        try:
            page = doc[p]
        except Exception:  # PDFium cannot load this page object: keep the page, read no text
            page = None
        lines: list[Line] = []
        width = height = 0.0
        page_links: list[tuple[str, Pieces]] = []
        try:
            if page is None:
                raise ValueError("page not loaded")
            width, height = page.get_size()
            textpage = page.get_textpage()
            try:
                glyphs = _glyphs(textpage, raw)
            finally:
                textpage.close()
            read_chars += len(glyphs)
            lines = page_lines(fragments(glyphs), width)
            if not lines and _has_image(page, raw):
                no_text.append(p)  # a picture of a page: a scan (a blank page is no loss)
            # where each link's printed text is, found now so that the glyph positions
            # can go: only the lines' text is kept for the whole document
            every = list(range(len(lines)))
            page_links = [
                (url, _pieces(Page(lines, width, height), every, rects))
                for url, rects in _merge_links(_links(doc, page, raw))
            ]
        except Exception:  # a damaged page (PDFium or its content): reported, the rest is read
            damaged.append(p)
            lines, page_links = [], []
        finally:
            if page is not None:
                page.close()
        for line in lines:
            line.xs = []
        pages.append(Page(lines, width, height))
        links_per_page.append(page_links)
    loaded = _assemble(name, pages, links_per_page, no_text, total, count)
    if damaged:
        shown = ", ".join(str(p + 1) for p in damaged[:10]) + (", ..." if len(damaged) > 10 else "")
        note = LoadDiagnostic(CODE_TRUNCATED, f"{len(damaged)} damaged page(s) could not be read: page {shown}",
                              Location(page=damaged[0] + 1))
        loaded = replace(loaded, diagnostics=(*loaded.diagnostics, note))
    return loaded


def _glyphs(textpage: Any, raw: Any) -> list[Glyph]:
    n = min(textpage.count_chars(), MAX_CHARS_PER_PAGE)
    if n <= 0:
        return []
    handle = textpage.raw
    text = textpage.get_text_range(0, n)
    if len(text) != n:
        # the range text skips some characters (and so shifts every later one); ask for
        # each character's code instead
        get_unicode = raw.FPDFText_GetUnicode
        codes = (get_unicode(handle, i) for i in range(n))
        text = "".join(chr(c) if 0 < c < 0xD800 or 0xE000 <= c < 0x110000 else "\x00" for c in codes)
    box = raw.FS_RECTF()
    matrix = raw.FS_MATRIX()
    pbox, pmatrix = ctypes.byref(box), ctypes.byref(matrix)
    get_box = raw.FPDFText_GetLooseCharBox
    get_matrix = raw.FPDFText_GetMatrix
    get_size = raw.FPDFText_GetFontSize
    out: list[Glyph] = []
    append = out.append
    # The text matrix scales the font size (a PDF may set every font at size 1 and scale it);
    # it belongs to a text object, so it is asked for again only when the font size or the
    # ratio of the glyph box's height to it changes.
    last_size, last_height, scale, rotated = -1.0, -1.0, 1.0, False
    hyphens = ("\ufffe", "\x02")
    for i, ch in enumerate(text):
        if ch in _BLANK:
            append(SPACE)
            continue
        if ch in _INVISIBLE:
            # no ink and often no baseline of its own (a zero-height box above the line):
            # as a glyph it would start a fragment of its own and lose the word break
            # before it ("2022— \u200bГладилин" read as "2022—Гладилин")
            continue
        if not get_box(handle, i, pbox):
            continue
        size = get_size(handle, i)
        bottom = box.bottom
        height = box.top - bottom
        if size != last_size or not (0.98 * last_height <= height <= 1.02 * last_height):
            last_size, last_height = size, height
            scale, rotated = 1.0, False
            if get_matrix(handle, i, pmatrix):
                rotated = abs(matrix.b) > 0.2 * abs(matrix.a) + 1e-9
                scale = math.hypot(matrix.c, matrix.d) or 1.0
        if rotated:
            continue  # rotated text: margin stamps, vertical labels
        size = size * scale if size > 0 else (abs(height) or 1.0)
        if ch in hyphens:
            ch = "-"  # PDFium's mark for a hyphen it found at a line end
        elif "\ufb00" <= ch <= "\ufb06":
            ch = _LIGATURES[ch]  # "ﬁ" is "fi" in a URL or a name
        # the loose box's bottom stands for the baseline: it is the baseline less the font's
        # descent, the same for every glyph of a font and size (and one call cheaper)
        append(Glyph(ch, box.left, box.right, bottom, size))
    return out


_LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl", "\ufb05": "st",
              "\ufb06": "st"}
# zero-width characters: word-break hints and joiners that print nothing
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff")
_BLANK = frozenset(" \t\r\n\x00\xa0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000")


def _has_image(page: Any, raw: Any) -> bool:
    """The page draws a picture (directly or inside a form object)."""
    handle = page.raw
    for k in range(min(raw.FPDFPage_CountObjects(handle), 10_000)):
        obj = raw.FPDFPage_GetObject(handle, k)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            return True
        if kind == raw.FPDF_PAGEOBJ_FORM and raw.FPDFFormObj_CountObjects(obj) > 0:
            for j in range(min(raw.FPDFFormObj_CountObjects(obj), 10_000)):
                if raw.FPDFPageObj_GetType(raw.FPDFFormObj_GetObject(obj, j)) == raw.FPDF_PAGEOBJ_IMAGE:
                    return True
    return False


def _links(doc: Any, page: Any, raw: Any) -> list[tuple[str, list[Rect]]]:
    """URI link annotations: (target, rectangles), one rectangle per quadrilateral."""
    out: list[tuple[str, list[Rect]]] = []
    pos = ctypes.c_int(0)
    link = raw.FPDF_LINK()
    rect = raw.FS_RECTF()
    quad = raw.FS_QUADPOINTSF()
    guard = 0
    while raw.FPDFLink_Enumerate(page.raw, ctypes.byref(pos), ctypes.byref(link)) and guard < 5000:
        guard += 1
        action = raw.FPDFLink_GetAction(link)
        if not action or raw.FPDFAction_GetType(action) != raw.PDFACTION_URI:
            continue
        size = raw.FPDFAction_GetURIPath(doc.raw, action, None, 0)
        if size <= 1 or size > 65536:
            continue
        buf = ctypes.create_string_buffer(size)
        raw.FPDFAction_GetURIPath(doc.raw, action, buf, size)
        url = buf.value.decode("utf-8", "replace").strip()
        if not url:
            continue
        rects: list[Rect] = []
        for q in range(min(raw.FPDFLink_CountQuadPoints(link), 64)):
            if raw.FPDFLink_GetQuadPoints(link, q, ctypes.byref(quad)):
                xs = (quad.x1, quad.x2, quad.x3, quad.x4)
                ys = (quad.y1, quad.y2, quad.y3, quad.y4)
                rects.append((min(xs), min(ys), max(xs), max(ys)))
        if not rects and raw.FPDFLink_GetAnnotRect(link, ctypes.byref(rect)):
            rects.append((rect.left, rect.bottom, rect.right, rect.top))
        if rects:
            out.append((url, rects))
    return out


def _assemble(
    name: str,
    pages: list[Page],
    links_per_page: list[list[tuple[str, Pieces]]],
    no_text: list[int],
    total: int,
    count: int,
) -> LoadedText:
    dropped = furniture(pages)
    body = body_size(pages, dropped)
    locations: list[Location] = []
    links: list[LinkTarget] = []
    diagnostics: list[LoadDiagnostic] = []
    pages_rows: list[list[_Row]] = []
    pending: list[tuple[int, int | None, str, str]] = []  # diagnostics placed once the text is laid out
    for p, (page, drop) in enumerate(zip(pages, dropped, strict=True)):
        keep = [i for i in range(len(page.lines)) if i not in drop]
        in_zone = zone(page.lines, keep, body)
        texts: dict[int, str | None] = {i: _line_text(page, i, in_zone) for i in keep}
        copies: list[str] = []
        page_links: list[tuple[int | None, LinkTarget]] = []
        mismatches: list[tuple[int | None, str]] = []
        kept = set(keep)
        for url, found in links_per_page[p]:
            pieces = [piece for piece in found if piece[0] in kept]
            shown = _printed(texts, pieces)
            first = pieces[0][0] if pieces else None
            page_links.append((first, LinkTarget(url=url, shown=shown)))
            if not _is_web(url) or not pieces:
                continue
            if _same_url(shown, url):
                _repair(texts, pieces, shown, url)
                continue
            mismatch = _mismatch(url, shown)
            if mismatch:
                mismatches.append((first, mismatch))
            elif all(i in in_zone for i, _, _ in pieces):
                copies.append(url)
        order = [i for i in keep if i not in in_zone] + [i for i in keep if i in in_zone]
        rows: list[_Row] = []
        for i in order:
            text_i = texts[i]
            if text_i is None:
                continue
            zone_row = i in in_zone
            if zone_row and not any(r.zone for r in rows) and rows and rows[-1].text:
                rows.append(_Row("", p, zone=True))  # the zone starts after a blank line
            rows.append(_Row(text_i, p, src=i, zone=zone_row, start=zone_row and _note_start(text_i)))
        rows.extend(_Row(url, p, zone=True, start=True) for url in dict.fromkeys(copies))
        if not rows:
            rows.append(_Row("", p))
        for n, row in enumerate(rows, start=1):
            row.line = n
        pages_rows.append(rows)
        for src, target in page_links:
            row = next((r for r in rows if r.src == src), rows[0]) if src is not None else rows[0]
            links.append(LinkTarget(url=target.url, shown=target.shown, location=Location(line=row.line, page=p + 1)))
        pending.extend((p, i, CODE_LINK_MISMATCH, message) for i, message in mismatches)
    _carry_continuations(pages_rows)
    for rows in pages_rows:
        _dehyphenate(rows)
    _dehyphenate_page_breaks(pages_rows)
    out: list[str] = []
    where: dict[tuple[int, int | None], int] = {}  # (page, source line) -> line of the text
    for rows in pages_rows:
        texts_out = []
        for row in rows:
            locations.append(Location(line=row.line, page=row.page + 1))
            where.setdefault((row.page, row.src), len(locations))
            where.setdefault((row.page, None), len(locations))
            texts_out.append(row.text)
        out.append("\n".join(texts_out))
    # pdftotext's shape: a form feed starts the first line of every page after the first
    text = "\n\f".join(out)
    for p, src, code, message in pending:
        line_no = where.get((p, src)) or where.get((p, None))
        diagnostics.append(LoadDiagnostic(code, message, Location(line=line_no, page=p + 1)))
    if no_text:
        first = no_text[0]
        diagnostics.insert(0, _no_text_diagnostic(no_text, count, where.get((first, None))))
    if count < total:
        diagnostics.append(
            LoadDiagnostic(
                CODE_TRUNCATED,
                f"the PDF has {total} pages; only the first {count} were read (the reader's limit)",
                Location(line=len(locations), page=count),
            )
        )
    return LoadedText(
        path=name,
        text=text,
        encoding="utf-8",  # PDFium gives Unicode; the file has no text encoding of its own
        format=Format.PDF,
        links=tuple(links),
        line_locations=tuple(locations),
        diagnostics=tuple(diagnostics),
    )


def _note_start(text: str) -> bool:
    """The line begins a note: a superscript number, or a plain one set apart from a word."""
    return text[:1] in SUP_CHARS or bool(_PLAIN_START.match(text) and not _MONTH_AFTER.match(text))


_PLAIN_START = re.compile(r"^\d{1,3}(?:\s+(?=[^\W\d_]|[«\"„“(\[])|(?=[А-ЯЁA-Z«\"„(]))")


@dataclass(slots=True)
class _Row:
    """A line of the text being written: where it came from and what it is."""

    text: str
    page: int  # 0-based page it is printed on
    src: int | None = None  # index into the page's lines
    zone: bool = False
    start: bool = False  # a note's first line
    line: int = 0  # 1-based line within its page's output (kept when the row moves)


def _carry_continuations(pages_rows: list[list[_Row]]) -> None:
    """A note that runs over a page break goes on at the top of the next page's zone,
    before that page's first note: those lines join the end of the previous page's zone,
    so the note reads as one (each line keeps its own page in ``line_locations``)."""
    for p in range(1, len(pages_rows)):
        prev, rows = pages_rows[p - 1], pages_rows[p]
        if not any(r.zone and r.start and r.src is not None for r in prev):
            continue  # no note on the previous page (small print of another kind)
        zone_rows = [k for k, r in enumerate(rows) if r.zone and r.text]
        if not zone_rows:
            continue
        moved: list[int] = []
        for k in zone_rows:
            if rows[k].start:
                break
            moved.append(k)
        if not moved or (len(moved) == len(zone_rows) and len(moved) > 8):
            continue
        last = next(r.text for r in reversed(prev) if r.zone and r.text).rstrip()
        if last.endswith((".", "!", "?", "»", ")")) and not rows[moved[0]].text[:1].islower():
            continue  # the previous page's notes are finished: this is not their continuation
        carried = [rows[k] for k in moved]
        insert_at = max(k for k, r in enumerate(prev) if r.zone and r.text) + 1
        prev[insert_at:insert_at] = carried
        keep = set(moved)
        rows[:] = [r for k, r in enumerate(rows) if k not in keep]
        # a blank left alone at the end of the page by the move goes too
        while len(rows) > 1 and rows[-1].zone and not rows[-1].text:
            rows.pop()


_HYPHENATED = re.compile(r"(?<=[^\W\d_])-$")
_LOWER_START = re.compile(r"^([a-zа-яё]+)(\S*)\s*(.*)$")


def _dehyphenate(rows: list[_Row]) -> None:
    """A word hyphenated at a line end is joined (its second part moves up), as a text
    extraction does; never inside a URL or an address, never across the zone's edge."""
    emptied = {k + 1 for k in range(len(rows) - 1) if rows[k].zone == rows[k + 1].zone and _join(rows[k], rows[k + 1])}
    if emptied:
        rows[:] = [r for k, r in enumerate(rows) if k not in emptied]


def _dehyphenate_page_breaks(pages_rows: list[list[_Row]]) -> None:
    """The body's last word on a page hyphenated and continued at the top of the next."""
    for p in range(len(pages_rows) - 1):
        body = [r for r in pages_rows[p] if not r.zone and r.text]
        nxt = pages_rows[p + 1]
        if body and nxt and not nxt[0].zone and _join(body[-1], nxt[0]) and len(nxt) > 1:
            del nxt[0]


def _join(a: _Row, b: _Row) -> bool:
    """Join ``торго-`` / ``вли и`` into ``торговли`` / ``и``; True when b is left empty."""
    if not _HYPHENATED.search(a.text):
        return False
    last = a.text.rsplit(" ", 1)[-1]
    if any(c in last for c in "/@.:_=") or "www" in last.lower():
        return False
    m = _LOWER_START.match(b.text)
    if not m:
        return False
    word, tail, rest = m.group(1), m.group(2), m.group(3)
    if any(c in tail for c in "/@=") or len(tail) > 3:
        return False  # the next line opens with an address or a long token: leave it
    a.text = a.text[:-1] + word + tail
    b.text = rest
    return not rest


def _no_text_diagnostic(no_text: list[int], count: int, line: int | None) -> LoadDiagnostic:
    if len(no_text) == count:
        message = (
            f"no text layer on any of the {count} pages (a scanned PDF?): nothing could be checked;"
            " run OCR on it first"
        )
    else:
        shown = ", ".join(str(p + 1) for p in no_text[:10]) + (", ..." if len(no_text) > 10 else "")
        message = f"{len(no_text)} of {count} pages have no text layer (scanned?): page {shown}"
    return LoadDiagnostic(CODE_NO_TEXT, message, Location(line=line, page=no_text[0] + 1))


_MONTH_AFTER = re.compile(
    r"^\d{1,3}\s+(?:(?:январ|феврал|март|апрел|ма[яй]|июн|июл|август|сентябр|октябр|ноябр|декабр)[а-я]*"
    r"|(?i:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b|г\.|гг\.|с\.|pp?\.)"
)
_LEAD_NUMBER = re.compile(r"^(\d{1,3})(\s+)(?=\S)")


def _line_text(page: Page, i: int, in_zone: set[int]) -> str:
    """The line as written out. Outside the zone a superscript at a line's start is an
    affiliation or table mark, not a note: plain digits, as a text extraction has them.
    In the zone a plain number at a line's start set apart from the zone's continuation
    lines (a hanging or indented first line) is a note's number: a superscript."""
    line = page.lines[i]
    text = line.text
    if i not in in_zone and any(c in SUP_CHARS for c in text) and _centered(page, line):
        # a title block: the superscripts point to affiliations, not to notes
        return _SUP_RUN.sub(lambda m: " " + m.group(0).translate(_PLAIN_DIGITS), text).strip()
    if i not in in_zone:
        if line.sup_start:
            k = 0
            while k < len(text) and text[k] in SUP_CHARS:
                k += 1
            text = text[:k].translate(_PLAIN_DIGITS) + text[k:]
        return text
    if line.sup_start or not _LEAD_NUMBER.match(text) or _MONTH_AFTER.match(text):
        return text
    rest_x = Counter(
        round(page.lines[j].x0) for j in in_zone if j != i and not page.lines[j].starts_number
    )
    if any(abs(line.x0 - x) <= 1.5 for x in rest_x):
        return text  # starts where continuation lines start: a number inside a note
    m = _LEAD_NUMBER.match(text)
    assert m is not None
    return m.group(1).translate(SUPERSCRIPT_DIGITS) + text[m.end(1) :]


_PLAIN_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
_SUP_RUN = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹]+")


def _centered(page: Page, line: Any) -> bool:
    if not page.lines:
        return False
    left = min(ln.x0 for ln in page.lines)
    right = max(ln.x1 for ln in page.lines)
    width = right - left
    return (
        width > 0
        and line.x1 - line.x0 < 0.8 * width
        and line.x0 - left > 0.08 * width
        and abs((line.x0 + line.x1) / 2 - (left + right) / 2) < 0.04 * width
    )

Rect = tuple[float, float, float, float]  # left, bottom, right, top
Pieces = list[tuple[int, int, int]]  # (line, start, end) of a link's printed text


def _merge_links(links: list[tuple[str, list[Rect]]]) -> list[tuple[str, list[Rect]]]:
    """One link per URL run: hyperref and word processors put one annotation on each
    line of a URL broken over lines."""
    out: list[tuple[str, list[Rect]]] = []
    for url, rects in links:
        if out and out[-1][0] == url and _adjacent(out[-1][1][-1], rects[0]):
            out[-1][1].extend(rects)
        else:
            out.append((url, list(rects)))
    return out


def _adjacent(a: Rect, b: Rect) -> bool:
    height = max(a[3] - a[1], b[3] - b[1], 1.0)
    return 0 <= a[1] - b[1] <= 2.5 * height


def _pieces(page: Page, keep: list[int], rects: list[Rect]) -> list[tuple[int, int, int]]:
    """(line, start, end) of the printed text under each rectangle, whole words."""
    out: list[tuple[int, int, int]] = []
    for left, bottom, right, top in rects:
        for i in keep:
            line = page.lines[i]
            mid = line.y + line.size * 0.3
            if not (bottom - 1 <= mid <= top + 1) or line.x0 > right or line.x1 < left:
                continue
            idx = [k for k, x in enumerate(line.xs) if left - 1 <= x <= right + 1 and line.text[k] != " "]
            if not idx:
                continue
            a, b = idx[0], idx[-1] + 1
            while a > 0 and line.text[a - 1] != " ":
                a -= 1
            while b < len(line.text) and line.text[b] != " ":
                b += 1
            if (i, a, b) not in out:
                out.append((i, a, b))
    order = {i: k for k, i in enumerate(keep)}
    out.sort(key=lambda t: (order[t[0]], t[1]))
    return out


def _printed(texts: dict[int, str | None], pieces: list[tuple[int, int, int]]) -> str:
    return "".join((texts[i] or "")[a:b] for i, a, b in pieces)


def _same_url(printed: str, url: str) -> bool:
    return bool(printed) and _comparable(_trim(printed, url)) == _comparable(url)


def _trim(printed: str, url: str) -> str:
    """The printed URL without the words and punctuation the rectangle caught around it."""
    m = re.search(r"https?://|www\.", printed, re.IGNORECASE)
    printed = printed[m.start() :] if m else printed.lstrip("(<[«\"„“'").removeprefix("URL:")
    target = _comparable(url)
    while printed and printed[-1] in ".,;:)]>»\"'”" and _comparable(printed) != target:
        printed = printed[:-1]
    return printed


def _repair(texts: dict[int, str | None], pieces: list[tuple[int, int, int]], printed: str, url: str) -> None:
    """Write the link's target where its printed text was (first line) and drop the rest
    of it from the lines it continued on; a line left empty goes."""
    clean = _trim(printed, url)
    full = "".join((texts[i] or "")[a:b] for i, a, b in pieces)
    offset = full.find(clean) if clean else -1
    if offset < 0:
        return
    # the URL covers full[offset : offset + len(clean)]; map it back onto the pieces
    pos = 0
    spans: list[tuple[int, int, int]] = []
    for i, a, b in pieces:
        lo, hi = max(a, a + offset - pos), min(b, a + offset + len(clean) - pos)
        if lo < hi:
            spans.append((i, lo, hi))
        pos += b - a
    # right to left within a line so earlier offsets stay valid
    for n, (i, lo, hi) in sorted(enumerate(spans), key=lambda t: (t[1][0], -t[1][1])):
        text = texts[i] or ""
        texts[i] = text[:lo] + url + text[hi:] if n == 0 else (text[:lo] + text[hi:]).lstrip()
    for i, _, _ in spans[1:]:
        if texts[i] is not None and not (texts[i] or "").strip():
            texts[i] = None


def _is_web(url: str) -> bool:
    low = url.lower()
    return low.startswith(("http://", "https://", "www."))


def _comparable(url: str) -> str:
    u = url.strip().strip("<>").lower()
    u = re.sub(r"^https?://", "", u)
    u = u.removeprefix("www.")
    return re.sub(r"[\s\-‐‑–—\u00ad]", "", u).rstrip("/")


def _mismatch(url: str, shown: str) -> str | None:
    """A message when the printed URL and the link target disagree (beyond line breaks,
    hyphens and a missing scheme)."""
    printed = _URLISH.search(shown) if shown else None
    if printed is None:
        bare = _BARE_HOST.match(_trim(shown, url)) if shown else None
        if bare is None:
            return None  # linked words, not a printed URL
        text = bare.group(0)
    else:
        text = _trim(printed.group(0), url)
    if _comparable(text) == _comparable(url):
        return None
    return f"link text shows {text} but the link points to {url}"


_BARE_HOST = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-zа-я]{2,}(?:/\S*)?$", re.IGNORECASE)
