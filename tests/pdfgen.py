"""Small PDFs of our own writing for the PDF reader's tests, made with fpdf2.

The font is built here with fontTools (a box for every glyph, real advance widths and a
cmap covering Latin, Cyrillic and the punctuation the papers use), so the tests need no
font file from the machine. Text is placed at explicit baselines: a test says where each
line goes, at which size, and which digits are superscripts.
"""

from __future__ import annotations

import functools
import io
from dataclasses import dataclass, field
from pathlib import Path

CHARS = (
    "".join(chr(c) for c in range(32, 127))
    + "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя"
    + "«»—–№…“”„’"
    + "\u2006\u200b"  # six-per-em space and zero-width space, as typeset keyed lists have them
)


def _advance(ch: str) -> int:
    if ch == "\u200b":
        return 0
    if ch == "\u2006":
        return 167
    return 250 if ch == " " else 480 if ch.isdigit() else 600 if ch.isupper() else 520


@functools.lru_cache(maxsize=1)
def font_path(directory: str) -> Path:
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    names = [".notdef"] + [f"g{ord(c):04x}" for c in CHARS]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({ord(c): f"g{ord(c):04x}" for c in CHARS})
    glyphs, metrics = {}, {}
    for name in names:
        ch = chr(int(name[1:], 16)) if name != ".notdef" else "?"
        width = _advance(ch)
        pen = TTGlyphPen(None)
        if ch not in " \u2006\u200b":
            pen.moveTo((40, 0))
            pen.lineTo((40, 700))
            pen.lineTo((width - 40, 700))
            pen.lineTo((width - 40, 0))
            pen.closePath()
        glyphs[name] = pen.glyph()
        metrics[name] = (width, 40)
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics(metrics)
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    fb.setupNameTable({"familyName": "FootcheckTest", "styleName": "Regular"})
    fb.setupOS2(sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200)
    fb.setupPost()
    path = Path(directory) / "footcheck-test.ttf"
    fb.save(str(path))
    return path


@dataclass
class Run:
    text: str
    size: float = 11.0
    rise: float = 0.0  # points above the baseline (a superscript)


@dataclass
class Line:
    x: float
    y: float  # baseline, from the TOP of the page (fpdf2's coordinates)
    runs: list[Run]


@dataclass
class PageSpec:
    lines: list[Line] = field(default_factory=list)
    links: list[tuple[float, float, float, float, str]] = field(default_factory=list)  # x, y, w, h (top)
    image: bool = False  # a full-page picture instead of text (a scan)


def line(x: float, y: float, *parts: str | Run, size: float = 11.0) -> Line:
    """A line of runs; a part written "^12" is a superscript 12 at two thirds of the size."""
    runs: list[Run] = []
    for part in parts:
        if isinstance(part, Run):
            runs.append(part)
        elif part.startswith("^"):
            runs.append(Run(part[1:], round(size * 0.65, 2), size * 0.35))
        else:
            runs.append(Run(part, size))
    return Line(x, y, runs)


def build(pages: list[PageSpec], directory: str, *, width: float = 420, height: float = 595,
          password: str | None = None) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(unit="pt", format=(width, height))
    pdf.set_auto_page_break(False)
    pdf.add_font("T", fname=str(font_path(directory)))
    for spec in pages:
        pdf.add_page()
        if spec.image:
            pdf.image(_scan_image(), x=20, y=20, w=width - 40, h=height - 40)
        for ln in spec.lines:
            x = ln.x
            for run in ln.runs:
                pdf.set_font("T", size=run.size)
                pdf.text(x, ln.y - run.rise, run.text)
                x += pdf.get_string_width(run.text)
        for x, y, w, h, url in spec.links:
            pdf.link(x, y, w, h, url)
    if password is not None:
        pdf.set_encryption(owner_password="owner-" + password, user_password=password)
    return bytes(pdf.output())


def _scan_image() -> io.BytesIO:
    from PIL import Image, ImageDraw

    img = Image.new("L", (200, 280), 255)
    draw = ImageDraw.Draw(img)
    for k in range(20, 260, 12):
        draw.rectangle((20, k, 180, k + 5), fill=0)  # lines of "text" as pixels only
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    return buf


def text_width(text: str, size: float) -> float:
    """The width fpdf2 gives ``text`` in the test font (advance widths above)."""
    return sum(_advance(ch) for ch in text) * size / 1000
