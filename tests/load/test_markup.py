"""Markdown and HTML papers of our own writing (tests/load/data) through the native readers."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from footcheck.load import Format, load_path, read_bytes
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext

DATA = Path(__file__).parent / "data"
CTX = RuleContext(today=dt.date(2026, 1, 10))


def audit(path: Path):
    loaded = load_path(path)
    return loaded, audit_static(loaded, CTX)


def test_markdown_footnotes_links_and_escaped_brackets() -> None:
    loaded, a = audit(DATA / "paper.md")
    assert loaded.format is Format.MARKDOWN
    fns = {f.number: f for f in a.document.footnotes}
    assert sorted(fns) == [1, 2, 3, 7]
    assert fns[1].line == 13 and fns[1].marker_lines == (6,)
    assert [(u.url, u.access_date.value) for u in fns[1].urls] == [("https://stok.example.ru/sokolov",
                                                                     dt.date(2024, 2, 12))]
    assert fns[2].ibid and fns[2].refers_to == 1
    assert fns[3].marker_lines == (10,) and "ysclid" in fns[3].urls[0].url  # an inline note ^[...]
    # escaped brackets are citations, a link's text is not; tags inside a bracket vanish
    assert [c.raw for c in a.document.citations] == ["Семёнова 2019, с. 14", "Лаптев – 2021"]
    assert "[главе 2]" not in loaded.text and "главе 2 <https://vodnik.example.org/glava-2>" in loaded.text
    codes = {(f.code, f.footnote) for f in a.findings}
    assert ("FC101", 9) in codes  # [^9] is never defined
    assert ("FC102", 7) in codes  # [^7] is defined but never referred to
    assert ("FC202", 3) in codes
    assert loaded.text.count("\n") == (DATA / "paper.md").read_text().count("\n")  # lines kept


def test_markdown_marker_followed_by_colon_is_not_a_definition() -> None:
    text = "Текст в форме[^1]: «Цитата».\n\n[^1]: Источник. URL: https://a.example.org/x\n"
    loaded = read_bytes(text.encode(), "note.md")
    assert [(n.number, n.location.line) for n in loaded.notes or ()] == [(1, 3)]
    assert [m.location.line for m in loaded.markers] == [1]


def test_html_notes_before_markers_shared_blocks_and_backlinks() -> None:
    loaded, a = audit(DATA / "paper.html")
    assert loaded.format is Format.HTML
    fns = {f.number: f for f in a.document.footnotes}
    assert sorted(fns) == [1, 2, 3]
    # one block referenced twice: two notes, the href (trailing space dropped) over the title
    assert [u.url for u in fns[1].urls] == [u.url for u in fns[2].urls] == ["https://pravo.example.org/doklad-2023"]
    assert fns[1].line == 6 and fns[1].marker_lines == (9,) and fns[2].marker_lines == (10,)
    assert fns[3].urls[0].access_date.value == dt.date(2024, 2, 2) and "↩" not in fns[3].text
    assert [c.raw for c in a.document.citations] == ["Орлов 2020"]  # &nbsp; and <b> inside the bracket
    assert "Сообщение пресс-службы" not in loaded.text  # the notes are not running text


def test_html_notes_as_anchors_in_one_block_are_read_apart() -> None:
    # old sites print every note in one paragraph, each after an empty <a name> anchor:
    # each note is its own piece of the block, from its anchor to the next one
    page = """<html><body>
<p>Порт рос<a href="#n1">[1]</a>, грузооборот падал<a href="#n2">[2]</a>, флот старел<a href="#n3">[3]</a>.</p>
<div><a name="n1"></a>[1] Отчёт порта за 2019 год. <a href="https://port.example.ru/2019">port.example.ru</a><br>
<a name="n2"></a>[2] Там же.<br>
<a name="n3"></a>[3] Сводка <b>флота</b>, 2020.</div>
</body></html>"""
    loaded = read_bytes(page.encode(), "anchors.html")
    assert [(n.number, n.text) for n in loaded.notes or ()] == [
        (1, "Отчёт порта за 2019 год. port.example.ru"), (2, "Там же."), (3, "Сводка флота, 2020.")]
    assert [k.url for k in (loaded.notes or ())[0].links] == ["https://port.example.ru/2019"]
    assert [len(n.links) for n in loaded.notes or ()] == [1, 0, 0]
    assert "Сводка" not in loaded.text


def test_html_sniffed_by_content() -> None:
    data = b"<html><body><p>\xd0\xa2\xd0\xb5\xd0\xba\xd1\x81\xd1\x82<sup>1</sup></p></body></html>"
    loaded = read_bytes(data, "page.txt")
    assert loaded.format is Format.HTML and [m.number for m in loaded.markers] == [1]


def test_hostile_nesting_is_bounded() -> None:
    import time

    t0 = time.monotonic()
    deep = b"<html><body>" + b"<font>word " * 3000 + b"<sup>1</sup></body></html>"  # unclosed tags nest
    loaded = read_bytes(deep, "deep.html")
    assert loaded.format is Format.HTML and "word" in loaded.text
    tex = b"\\documentclass{article}\n\\footnote{" + b"\\href{http://a.example/c}{" * 3000 + b"x" + b"}" * 3001 + b"\n"
    assert len(read_bytes(tex, "nest.tex").notes or ()) == 1
    assert time.monotonic() - t0 < 10
