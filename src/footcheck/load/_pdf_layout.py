"""Page layout for the PDF reader: glyphs -> lines in reading order, furniture, footnote zone.

Pure functions over positioned glyphs (no PDF library here), so the layout rules are
testable on hand-made glyph lists. Coordinates are PDF points with ``y`` growing upwards;
``y`` of a glyph is its baseline.

- Glyphs in content order become *fragments*: runs on one baseline that advance left to
  right; a smaller glyph raised above the baseline stays in its fragment (a superscript).
- A page whose fragments leave a vertical gutter free becomes two columns; fragments that
  cross the gutter (titles, abstracts, full-width notes) split the page into bands, and
  each band is read left column first.
- Fragments on one baseline within a column become a line; a digit set smaller and
  raised is a superscript and is written as a Unicode superscript digit (``¹``), which
  the text parser takes for a certain footnote marker.
- Running heads and page numbers (lines at a page edge, digits only, or repeated at the
  same height on several pages) are dropped; lines set smaller than the body text with
  no body text below them are the footnote zone and are written after the page's body.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

SUPERSCRIPT_DIGITS = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")

SMALL = 0.94  # a line set below this share of the body size is small print (notes)
SUP_SIZE = 0.88  # a superscript glyph is at most this share of its line's size
SUP_RISE = 0.12  # ... and its baseline rises at least this share of the line's size


@dataclass(slots=True)
class Glyph:
    """One character as the PDF places it."""

    ch: str
    x0: float
    x1: float
    y: float  # baseline
    size: float


SPACE = Glyph(" ", 0.0, 0.0, 0.0, 0.0)  # a word break the PDF library reported
GAP = Glyph(" ", 0.0, 0.0, 0.0, 0.0)  # a wide gap between two pieces of one line


@dataclass(slots=True)
class Fragment:
    """Glyphs that follow one another on one baseline: a piece of a line."""

    glyphs: list[Glyph] = field(default_factory=list)
    spaces: set[int] = field(default_factory=set)  # a space goes before glyphs[i]
    x0: float = 0.0
    x1: float = 0.0
    y: float = 0.0  # baseline of its main glyphs
    size: float = 0.0  # size of its main glyphs

    @property
    def chars(self) -> int:
        return len(self.glyphs)


@dataclass(slots=True)
class Line:
    """A line of a page as read, with its position, size and column."""

    text: str
    x0: float
    x1: float
    y: float
    size: float
    chars: int
    column: int = 0  # 0 full width or single column, 1 left, 2 right
    sup_start: bool = False  # starts with a superscript number
    starts_number: bool = False  # starts with a number followed by text (a note's start)
    xs: list[float] = field(default_factory=list)  # x of the middle of each character of text


_DASHES = frozenset("\u2012\u2013\u2014\u2015")  # figure, en, em dash, horizontal bar


def fragments(stream: Iterable[Glyph]) -> list[Fragment]:
    """Cut the glyph stream (content order, ``SPACE`` for word breaks) into fragments.

    A glyph continues the current fragment when it starts near where the fragment ends
    (not back to the left, not past a wide gap) on the same baseline, or raised or lowered
    as a superscript or subscript of it (or the fragment so far was one of those)."""
    out: list[Fragment] = []
    cur: Fragment | None = None
    space = False
    for g in stream:
        if g is SPACE or g.ch.isspace():
            space = True
            continue
        if cur is not None:
            s = cur.size if cur.size > 0.1 else 0.1
            gs = g.size
            gap = g.x0 - cur.x1
            ok = False
            if -0.5 * s <= gap <= 1.8 * s:
                dy = g.y - cur.y
                if -0.3 * (s if s > gs else gs) <= dy <= 0.3 * (s if s > gs else gs):
                    ok = True
                elif gs < s * 0.95:
                    ok = -0.4 * s <= dy <= 0.75 * s  # a superscript or subscript of this fragment
                elif gs > s * 1.05:
                    ok = -0.75 * gs <= dy <= 0.4 * gs  # the fragment so far was a superscript
            if ok:
                glyphs = cur.glyphs
                wide = s if s > gs else gs
                if space or gap > 0.25 * wide or (
                    # a dash set off by a thin gap is a spaced dash (Russian " — "), as
                    # pdftotext reads it; a range (2016–2017) has no gap at all
                    gap > 0.1 * wide and (g.ch in _DASHES or glyphs[-1].ch in _DASHES)
                ):
                    cur.spaces.add(len(glyphs))
                glyphs.append(g)
                if g.x1 > cur.x1:
                    cur.x1 = g.x1
                if g.x0 < cur.x0:
                    cur.x0 = g.x0
                if gs > s * 1.05:
                    cur.y, cur.size = g.y, gs  # the fragment began with a smaller glyph
                space = False
                continue
        cur = Fragment([g], set(), g.x0, g.x1, g.y, g.size)
        out.append(cur)
        space = False
    return out


def find_gutter(frags: Sequence[Fragment], width: float) -> float | None:
    """The x of a free vertical strip between two columns of text, or None."""
    spans = [(f.x0, f.x1, len(f.glyphs)) for f in frags]
    total = sum(n for _, _, n in spans)
    if total < 200:
        return None
    if sum(n for x0, x1, n in spans if x1 - x0 > 0.6 * width) > total * 0.85:
        return None  # most text runs across the middle: one column
    best: tuple[int, float] | None = None
    x = width * 0.3
    while x <= width * 0.7:
        lo, hi = x - 1, x + 1
        crossing = sum(n for x0, x1, n in spans if x0 < lo and x1 > hi)
        if best is None or crossing < best[0]:
            best = (crossing, x)
        x += 2.0
    assert best is not None
    crossing, gx = best
    if crossing > total * 0.4:
        return None
    # widen to the middle of the free strip at the best position
    lo, hi = gx, gx
    while lo - 2 > width * 0.2 and not any(f.x0 < lo - 3 and f.x1 > lo - 1 for f in frags if f.chars > 3):
        lo -= 2
    while hi + 2 < width * 0.8 and not any(f.x0 < hi + 1 and f.x1 > hi + 3 for f in frags if f.chars > 3):
        hi += 2
    gx = (lo + hi) / 2
    left = [f for f in frags if f.x1 <= gx + 1]
    right = [f for f in frags if f.x0 >= gx - 1]
    lc, rc = sum(f.chars for f in left), sum(f.chars for f in right)
    if lc < total * 0.15 or rc < total * 0.15:
        return None
    # side by side: lines of both columns at the same heights
    right_ys = sorted(round(f.y) for f in right if f.chars > 10)
    side = 0
    for f in left:
        if f.chars > 10 and _near(right_ys, f.y, max(f.size, 1.0) * 2):
            side += 1
    if side < 4:
        return None
    return gx


def _near(sorted_ys: list[int], y: float, tol: float) -> bool:
    import bisect

    k = bisect.bisect_left(sorted_ys, y - tol)
    return k < len(sorted_ys) and sorted_ys[k] <= y + tol


def page_lines(frags: list[Fragment], width: float) -> list[Line]:
    """Lines of one page in reading order."""
    if not frags:
        return []
    gutter = find_gutter(frags, width)
    if gutter is None:
        return _lines_of(frags, 0)
    full, left, right = [], [], []
    for f in frags:
        if f.x0 < gutter - 1 and f.x1 > gutter + 1:
            full.append(f)
        elif f.x1 <= gutter + 1:
            left.append(f)
        else:
            right.append(f)
    # bands: the page cut at every full-width line, read top to bottom
    full_lines = _lines_of(full, 0)
    cuts = sorted((ln.y for ln in full_lines), reverse=True)
    out: list[Line] = []
    bounds = [float("inf"), *cuts, float("-inf")]
    fl = sorted(full_lines, key=lambda ln: -ln.y)
    k = 0
    for top, bottom in itertools.pairwise(bounds):
        band_left = [f for f in left if bottom < f.y <= top]
        band_right = [f for f in right if bottom < f.y <= top]
        out.extend(_lines_of(band_left, 1))
        out.extend(_lines_of(band_right, 2))
        if k < len(fl):
            out.append(fl[k])
            k += 1
    return out


def _lines_of(frags: list[Fragment], column: int) -> list[Line]:
    """Fragments of one column -> lines, top to bottom."""
    if not frags:
        return []
    main = sorted((f for f in frags), key=lambda f: -f.y)
    groups: list[list[Fragment]] = []
    for f in main:
        for grp in reversed(groups[-3:]):
            head = grp[0]
            s = max(head.size, f.size)
            dy = f.y - head.y
            if abs(dy) <= 0.3 * s or (f.size < head.size * 0.95 and 0 < dy <= 0.75 * head.size) or (
                head.size < f.size * 0.95 and -0.75 * f.size <= dy < 0
            ):
                grp.append(f)
                if f.size > head.size * 1.05:
                    grp.insert(0, grp.pop())  # the main fragment heads the group
                break
        else:
            groups.append([f])
    lines = [_line_of(grp, column) for grp in groups]
    lines.sort(key=lambda ln: -ln.y)
    return lines


def _line_of(grp: list[Fragment], column: int) -> Line:
    grp = sorted(grp, key=lambda f: f.x0)
    sizes: Counter[float] = Counter()
    for f in grp:
        sizes[round(f.size * 2) / 2] += len(f.glyphs)
    size = sizes.most_common(1)[0][0]
    base = next((f.y for f in grp if abs(f.size - size) < 0.6), grp[0].y)
    small, rise = size * SUP_SIZE, base + SUP_RISE * size
    # the glyph sequence of the line with word breaks as None, wide gaps as GAP
    seq: list[Glyph | None] = []
    prev_x1: float | None = None
    any_raised = False
    for f in grp:
        if prev_x1 is not None and f.x0 - prev_x1 > 0.15 * size:
            seq.append(GAP if f.x0 - prev_x1 > 1.2 * size else None)
        if f.spaces:
            spaces = f.spaces
            for i, g in enumerate(f.glyphs):
                if i in spaces:
                    seq.append(None)
                seq.append(g)
        else:
            seq.extend(f.glyphs)
        if not any_raised:
            any_raised = any(g.size <= small and g.y >= rise for g in f.glyphs)
        prev_x1 = f.x1
    chars: list[str] = []
    xs: list[float] = []
    if not any_raised:  # the common line: no superscript to look for
        for item in seq:
            if item is None or item is GAP:
                if chars and chars[-1] != " ":
                    chars.append(" ")
                    xs.append(xs[-1])
            else:
                chars.append(item.ch)
                xs.append((item.x0 + item.x1) * 0.5)
                if len(item.ch) > 1:
                    xs.extend([xs[-1]] * (len(item.ch) - 1))
        sup: set[int] = set()
    else:
        raised = [x is not None and x is not GAP and x.size <= small and x.y >= rise for x in seq]
        sup = _superscripts(seq, raised)
    for k, cur in enumerate(seq if sup or any_raised else ()):
        if cur is None or cur is GAP:
            if chars and chars[-1] != " ":
                chars.append(" ")
                xs.append(xs[-1])
            continue
        if k in sup:
            chars.append(cur.ch.translate(SUPERSCRIPT_DIGITS))
            xs.append((cur.x0 + cur.x1) / 2)
            nxt = seq[k + 1] if k + 1 < len(seq) else None
            leading = not xs[:-1] or all(c in SUP_CHARS for c in chars[:-1])
            if leading and nxt is not None and k + 1 not in sup:
                chars.append(" ")  # "¹Текст" at a note's start: the number stands apart
                xs.append(xs[-1])
            continue
        chars.append(cur.ch)
        xs.append((cur.x0 + cur.x1) / 2)
        if len(cur.ch) > 1:
            xs.extend([xs[-1]] * (len(cur.ch) - 1))
    while chars and chars[-1] == " ":
        chars.pop()
        xs.pop()
    if chars and chars[-1] == "\u00ad":
        chars[-1] = "-"  # a soft hyphen printed at the line end is the hyphen one sees
    text = "".join(chars)
    lead = 0
    while lead < len(text) and text[lead] in SUP_CHARS:
        lead += 1
    return Line(
        text=text,
        x0=grp[0].x0,
        x1=max(f.x1 for f in grp),
        y=base,
        size=size,
        chars=sum(f.chars for f in grp),
        column=column,
        sup_start=lead > 0,
        starts_number=lead > 0 or bool(_NUMBER_START.match(text)),
        xs=xs,
    )


SUP_CHARS = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹")


def _superscripts(seq: list[Glyph | None], raised: list[bool]) -> set[int]:
    """Indices of glyphs that are superscript marker digits: a run of at most four raised
    digits (commas between) attached to ordinary text before it, or starting the line
    before ordinary text (a note's number). Raised text of its own (a table cell, a
    caption set smaller beside the line) is not a marker."""
    out: set[int] = set()
    k = 0
    n = len(seq)
    while k < n:
        g = seq[k]
        if g is None or not raised[k] or not g.ch.isdigit():
            k += 1
            continue
        j = k
        digits = 0
        while j < n and raised[j] and seq[j] is not None and (seq[j].ch.isdigit() or seq[j].ch in ",-–"):  # type: ignore[union-attr]
            digits += seq[j].ch.isdigit()  # type: ignore[union-attr]
            j += 1
        while j > k and not seq[j - 1].ch.isdigit():  # type: ignore[union-attr]
            j -= 1
        before = k - 1 if k > 0 and seq[k - 1] is not None else k - 2  # "прав ²." has a space
        attached_before = before >= 0 and seq[before] is not None and seq[before] is not GAP and not raised[before]
        at_start = all(x is None for x in seq[:k])
        after_ok = j < n and (seq[j] is None or not raised[j]) and any(
            x is not None and not raised[m] for m, x in enumerate(seq[j : j + 3], start=j)
        )
        if digits <= 4 and (attached_before or (at_start and after_ok)) and not (
            j < n and seq[j] is not None and raised[j] and seq[j].ch.isalpha()  # type: ignore[union-attr]
        ):
            out.update(m for m in range(k, j) if seq[m].ch.isdigit())  # type: ignore[union-attr]
        k = max(j, k + 1)
    return out


_SPACES = re.compile(r" {2,}")
_CONTINUES = re.compile(r"^[a-zа-яё\d(\[,;:.–—-]")  # a line that goes on with a sentence begun above
_NUMBER_START = re.compile(r"^\d{1,3}(?:\s+(?=[^\W\d_]|[«\"„“(\[])|(?=[А-ЯЁA-Z«\"„(]))")
_PAGE_NUMBER = re.compile(r"^[\s\-–—.]*(?:\d{1,4}|[IVXLCivxlc]{1,6})[\s\-–—.]*$")
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Page:
    """The lines of one page and its size."""

    lines: list[Line]
    width: float
    height: float


def furniture(pages: Sequence[Page]) -> list[set[int]]:
    """Per page, indices of running heads and page numbers: digit-only lines at a page's
    top or bottom edge, and edge lines repeated (digits aside) at one height on several
    pages."""
    edges: list[list[int]] = []
    seen: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for p, page in enumerate(pages):
        order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].y)
        cand = order[:3] + order[-3:] if len(order) > 6 else order
        edges.append(cand)
        for i in set(cand):
            key = _furniture_key(page.lines[i].text)
            if len(key) >= 4:
                seen[key].append((p, page.lines[i].y))
    repeated: set[tuple[int, float]] = set()
    need = 2 if len(pages) <= 8 else 3
    for hits in seen.values():
        if len({p for p, _ in hits}) < need:
            continue
        ys = sorted(y for _, y in hits)
        for p, y in hits:
            if sum(1 for v in ys if abs(v - y) <= 3) >= need:
                repeated.add((p, round(y, 1)))
    out: list[set[int]] = []
    for p, page in enumerate(pages):
        drop: set[int] = set()
        order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].y)
        top = order[:3]
        bottom = order[-3:]
        for i in edges[p]:
            line = page.lines[i]
            is_edge = _outermost(i, top, bottom, drop, page)
            number = bool(_PAGE_NUMBER.match(line.text)) and is_edge
            if number or ((p, round(line.y, 1)) in repeated and not line.sup_start):
                drop.add(i)
        out.append(drop)
    return out


def _outermost(i: int, top: list[int], bottom: list[int], dropped: set[int], page: Page) -> bool:
    """Line i is the first or last line of its page once already dropped lines are gone."""
    for seq in (top, list(reversed(bottom))):
        for j in seq:
            if j in dropped:
                continue
            if j == i:
                return True
            break
    return False


def _furniture_key(text: str) -> str:
    return " ".join(_DIGITS.sub("", text).lower().split())


def body_size(pages: Sequence[Page], dropped: Sequence[set[int]]) -> float:
    sizes: Counter[float] = Counter()
    for page, drop in zip(pages, dropped, strict=True):
        for i, line in enumerate(page.lines):
            if i not in drop:
                sizes[line.size] += line.chars
    return sizes.most_common(1)[0][0] if sizes else 0.0


def zone(lines: Sequence[Line], keep: Sequence[int], body: float) -> set[int]:
    """Indices (into ``lines``) of the footnote zone: small lines with no body-size text
    below them in their horizontal strip, below at least a few lines of body text, left
    aligned (a note's first line and its continuation lines each share an x), from the
    first line that starts a note or continues one."""
    small = {i for i in keep if lines[i].size < body * SMALL}
    if not small:
        return set()
    big = [lines[i] for i in keep if i not in small and lines[i].chars > 3]
    found = []
    for i in keep:
        if i not in small:
            continue
        ln = lines[i]
        if not any(b.y < ln.y - 1 and b.x0 < ln.x1 and b.x1 > ln.x0 for b in big):
            found.append(i)
    if not found:
        return set()
    top = max(lines[i].y for i in found)
    if sum(1 for b in big if b.y > top) < 3:
        return set()  # a title block with its affiliations, an abstract page: not notes
    columns = {lines[i].column for i in found}
    xs: Counter[int] = Counter()
    for i in found:
        xs[round(lines[i].x0 / 2)] += 1
    common = [x for x, _ in xs.most_common(2 * len(columns))]

    def aligned(i: int) -> bool:
        # a note's first line may start a digit's width off (its number set flush right
        # in a box, as LaTeX does: "9" and "10"); other lines share an x exactly
        slack = 1.0 + (0.75 * lines[i].size if lines[i].starts_number else 0.0)
        return any(abs(lines[i].x0 / 2 - x) <= slack for x in common)

    # drop lines from the top of the block until it starts a note and is left aligned
    order = sorted(found, key=lambda i: -lines[i].y) if len(columns) == 1 else list(found)
    while order:
        share = sum(1 for i in order if aligned(i)) / len(order)
        head = lines[order[0]]
        if share >= 0.8 and aligned(order[0]) and (head.starts_number or _CONTINUES.match(head.text)):
            break
        order.pop(0)
    return set(order)
