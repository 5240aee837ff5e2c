"""The ODT reader on a file built in the test."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

from footcheck.load import Format, read_bytes
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext

NS = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
      'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" xmlns:xlink="http://www.w3.org/1999/xlink" '
      'xmlns:dc="http://purl.org/dc/elements/1.1/"')


def make_odt(body: str) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        zf.writestr("content.xml", f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}>'
                                   f"<office:body><office:text>{body}</office:text></office:body>"
                                   "</office:document-content>")
    return buf.getvalue()


def test_odt_notes_links_tracked_changes_and_comments() -> None:
    body = (
        '<text:tracked-changes><text:changed-region text:id="c1"><text:deletion>'
        "<text:p>удалённый фрагмент</text:p></text:deletion></text:changed-region></text:tracked-changes>"
        "<text:h>Введение</text:h>"
        '<text:p>Рост цен<text:note text:id="n1" text:note-class="footnote"><text:note-citation>1</text:note-citation>'
        "<text:note-body><text:p>Обзор // <text:a xlink:href=\"https://obzor.example.org/ceny\">Сайт обзора</text:a>"
        " (дата обращения: 05.05.2025).</text:p></text:note-body></text:note> отмечен"
        '<text:change text:change-id="c1"/>,<text:s text:c="2"/>и спрос'
        "<office:annotation><dc:creator>Р</dc:creator><text:p>Замечание рецензента</text:p></office:annotation>"
        ' упал<text:note text:id="n2" text:note-class="footnote"><text:note-citation>2</text:note-citation>'
        "<text:note-body><text:p>Там же.</text:p></text:note-body></text:note>.</text:p>"
    )
    loaded = read_bytes(make_odt(body), "paper.odt")
    assert loaded.format is Format.ODT
    assert loaded.text == "Введение\nРост цен отмечен, и спрос упал."
    a = audit_static(loaded, RuleContext(today=dt.date(2026, 1, 10)))
    fns = a.document.footnotes
    assert [(f.number, f.marker_lines) for f in fns] == [(1, (2,)), (2, (2,))]
    assert [(u.url, u.access_date.value) for u in fns[0].urls] == [("https://obzor.example.org/ceny",
                                                                     dt.date(2025, 5, 5))]
    assert fns[1].ibid and fns[1].refers_to == 1
    assert a.document.locate(fns[0].line, 1).paragraph == 2
