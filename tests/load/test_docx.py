"""The DOCX reader on files built in the test: note order, links, tracked changes, comments."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from docx_writer import make_docx

from footcheck.load import Format, LoadError, read_bytes
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext

CTX = RuleContext(today=dt.date(2026, 1, 10))


def audit(data: bytes, name: str = "paper.docx"):
    loaded = read_bytes(data, name)
    return loaded, audit_static(loaded, CTX)


def test_footnotes_numbered_in_reference_order_with_urls_dates_and_ibid() -> None:
    data = make_docx(
        [
            ["Введение"],
            ["Рынок вырос", ("fn", ["Петров А. А. Обзор рынка. URL: https://example.ru/obzor"
                                    " (дата обращения: 12.11.2025)."]), " за год."],
            ["Спрос упал", ("fn", ["Там же. С. 4."]), "."],
            ["Ср. данные ведомства", ("fn", ["Доклад // ", ("link", "Сайт ведомства",
                                                          "https://vedomstvo.example.org/doklad"),
                                            " (дата обращения: 3.1.2026)"]), "."],
        ],
        order=[2, 0, 1],  # bodies stored out of order, as Google Docs does
    )
    loaded, a = audit(data)
    assert loaded.format is Format.DOCX
    fns = a.document.footnotes
    assert [f.number for f in fns] == [1, 2, 3]
    assert [u.url for u in fns[0].urls] == ["https://example.ru/obzor"]
    assert fns[0].urls[0].access_date.value == dt.date(2025, 11, 12)
    assert fns[1].ibid and fns[1].refers_to == 1
    # the link shown as words cites its target, with the date that follows it
    assert [u.url for u in fns[2].urls] == ["https://vedomstvo.example.org/doklad"]
    assert fns[2].urls[0].access_date.value == dt.date(2026, 1, 3)
    assert fns[0].marker_lines == (2,) and a.document.locate(2, 1).paragraph == 2
    assert not [f for f in a.findings if f.code in ("FC101", "FC102")]


def test_tracked_changes_and_comments_do_not_leak() -> None:
    data = make_docx([["Текст ", ("del", "удалённый "), ("ins", "вставленный "), "абзаца",
                       ("comment", "Комментарий рецензента"), "."]])
    loaded, _ = audit(data)
    assert loaded.text == "Текст вставленный абзаца."


def test_hyperlink_field_and_shown_url_that_differs_from_target() -> None:
    data = make_docx([["См. ", ("field", "источник", "https://example.org/a"), ". Ещё",
                       ("fn", [("link", "https://example.ru/stat", "https://example.ru/stat?ysclid=ab12cd")]), "."]])
    loaded, a = audit(data)
    assert [link.url for link in loaded.links] == ["https://example.org/a"]
    fn = a.document.footnotes[0]
    assert [u.url for u in fn.urls] == ["https://example.ru/stat?ysclid=ab12cd"]
    mismatch = [f for f in a.findings if f.code == "FC004"]
    assert len(mismatch) == 1 and mismatch[0].footnote == 1 and "ysclid" in mismatch[0].message


def test_endnotes_custom_marks_and_tables() -> None:
    data = make_docx([["Абзац", ("en", ["Примечание в конце."]), " и знак", ("fn*", "*", ["Сноска со звёздочкой."])]],
                     table=[[["Ячейка", ("fn", ["Сноска в таблице."])]]])
    loaded, _ = audit(data)
    notes = {(n.endnote, n.number): n for n in loaded.notes}
    assert notes[(True, 1)].text == "Примечание в конце."
    assert notes[(False, 1)].mark == "*" and notes[(False, 1)].text.startswith("* Сноска")
    assert notes[(False, 1)].location.paragraph == 1
    assert notes[(False, 2)].mark == "" and notes[(False, 2)].text == "Сноска в таблице."
    assert notes[(False, 2)].location.paragraph == 2


def test_docx_that_is_not_a_zip_and_zip_without_document() -> None:
    with pytest.raises(LoadError, match="not a valid DOCX"):
        read_bytes(b"PK\x03\x04word/" + b"\x00" * 100, "bad.docx")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/other.xml", "<x/>")
    with pytest.raises(LoadError, match=r"without word/document\.xml"):
        read_bytes(buf.getvalue(), "empty.docx")


def test_zip_bomb_is_refused_quickly() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("word/document.xml", b"<" + b" " * (24 * 1024 * 1024))
    data = buf.getvalue()
    assert len(data) < 1_000_000
    with pytest.raises(LoadError, match="zip bomb"):
        read_bytes(data, "bomb.docx")


def test_xml_with_entities_is_refused() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("word/document.xml", '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>')
    with pytest.raises(LoadError, match="DTD"):
        read_bytes(buf.getvalue(), "dtd.docx")


def test_word_list_numbers_are_written_into_the_text() -> None:
    data = make_docx([["Список литературы"], ["Иванов И. И. Реки. М., 2001."], ["Петров П. П. Озёра. М., 2003."]],
                     numbered=frozenset({1, 2}))
    loaded, a = audit(data)
    assert loaded.text.split("\n")[1:] == ["1. Иванов И. И. Реки. М., 2001.", "2. Петров П. П. Озёра. М., 2003."]
    assert [r.number for r in a.document.references] == [1, 2]
