"""load_path: refuse what is not a regular file before reading; choose the reader by content."""

from __future__ import annotations

import datetime as dt
import os
import time

import pytest
from docx_writer import make_docx

from footcheck.load import Format, LoadError, decode_bytes, load_path, read_bytes
from footcheck.load.text import decode_text
from footcheck.model import Document, Footnote
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext
from footcheck.rules.input import input_findings

CTX = RuleContext(today=dt.date(2026, 1, 10))


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_without_reading(tmp_path) -> None:
    fifo = tmp_path / "paper.txt"
    os.mkfifo(fifo)
    t0 = time.monotonic()
    with pytest.raises(LoadError, match="not a regular file"):
        load_path(fifo)  # opening a FIFO with no writer would block forever
    assert time.monotonic() - t0 < 2


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_link_to_a_device_is_refused(tmp_path) -> None:
    link = tmp_path / "paper.txt"
    link.symlink_to("/dev/zero")
    with pytest.raises(LoadError, match="not a regular file"):
        load_path(link)


def test_read_is_capped_even_when_stat_is_small(tmp_path) -> None:
    p = tmp_path / "p.txt"
    p.write_bytes(b"x" * 5000)
    with pytest.raises(LoadError, match="limit"):
        load_path(p, max_bytes=1000)


def test_one_stray_byte_keeps_utf8_and_says_where() -> None:
    text = "".join(f"Строка {i} о внешней политике страны.\n" for i in range(40))
    data = text.encode("utf-8")
    cut = data.index("Строка 7".encode())
    data = data[:cut] + b"\xff" + data[cut:]
    decoded, encoding, diags = decode_text(data)
    assert encoding == "utf-8" and "\ufffd" in decoded
    assert len(diags) == 1 and diags[0].code == "FC001" and diags[0].location.line == 8
    # a whole cp1251 file is still told apart
    assert decode_bytes(text.encode("cp1251")) == (text, "cp1251")


def test_stray_byte_becomes_one_finding_with_its_line() -> None:
    data = ("Абзац текста на русском языке.\n" * 30).encode() + b"\xfe\n"
    loaded = read_bytes(data, "p.txt")
    a = audit_static(loaded, CTX)
    fc001 = [f for f in a.findings if f.code == "FC001"]
    assert len(fc001) == 1 and fc001[0].line == 31


def test_reader_chosen_by_content_not_name(tmp_path) -> None:
    p = tmp_path / "paper.txt"  # a DOCX under a text name
    p.write_bytes(make_docx([["Текст", ("fn", ["Сноска."])]]))
    loaded = load_path(p)
    assert loaded.format is Format.DOCX and loaded.notes and loaded.notes[0].text == "Сноска."


def test_notes_heading_with_no_note_read_is_not_a_clean_bill() -> None:
    text = "Статья о политике.\n\nПримечания\n\n(а) Иванов И. И. Книга. М., 2001.\n"
    loaded = read_bytes(text.encode(), "p.txt")
    empty = Document(path="p.txt", encoding="utf-8", line_count=5)
    found = input_findings(loaded, empty)
    assert [f.code for f in found] == ["FC003"] and found[0].line == 3
    with_note = Document(path="p.txt", encoding="utf-8", line_count=5, footnotes=(Footnote(1, 5, "Иванов"),))
    assert input_findings(loaded, with_note) == []
