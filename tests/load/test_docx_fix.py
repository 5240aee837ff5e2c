"""footcheck fix on a DOCX: link targets in the relationships and URLs printed across
several runs are fixed, every other member of the package is kept byte for byte, and the
fixed file reads back with the clean links."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from docx_writer import DocxWriter

from footcheck._testing import invoke
from footcheck.load import load_path
from footcheck.parse import parse_loaded

TRACKED = "https://portal.example.ru/docs/plan?id=12&ysclid=lr3tm2fsnc5"
LINKED = "https://archive-data.example.org/set/7?utm_source=telegram&utm_medium=post"


def _paper(tmp_path: Path) -> Path:
    writer = DocxWriter()
    data = writer.build([
        ["Первый тезис", ("fn", ["Гусева Н. План работ. URL: ", "https://portal.example.ru/docs/",
                                 "plan?id=12&ysclid=", "lr3tm2fsnc5", " (дата обращения: 11.04.2024)."]), "."],
        ["Второй тезис", ("fn", ["Сводные данные. URL: ", ("link", LINKED, LINKED),
                                 " (дата обращения: 12.04.2024)."]), "."],
    ])
    paper = tmp_path / "paper.docx"
    paper.write_bytes(data)
    return paper


def _fix(*args: str) -> tuple[int, str, str]:
    result = invoke(["fix", *args, "--offline", "--color", "never"])
    return result.exit_code, result.stdout, result.stderr


def _urls(path: Path) -> dict[int, list[str]]:
    doc = parse_loaded(load_path(path))
    return {fn.number: [u.url for u in fn.urls] for fn in doc.footnotes}


def test_docx_links_fixed_and_package_kept(tmp_path: Path) -> None:
    paper = _paper(tmp_path)
    original = paper.read_bytes()
    assert _urls(paper) == {1: [TRACKED], 2: [LINKED]}
    code, out, err = _fix(str(paper))
    assert code == 1, err
    assert "ysclid" in out.split("\n-")[1]
    assert "+Гусева Н. План работ. URL: https://portal.example.ru/docs/plan?id=12 (дата обращения: 11.04.2024)." in out
    assert paper.read_bytes() == original
    code, _, err = _fix(str(paper), "--in-place")
    assert code == 0, err
    assert paper.with_name("paper.docx.bak").read_bytes() == original
    assert _urls(paper) == {1: ["https://portal.example.ru/docs/plan?id=12"],
                            2: ["https://archive-data.example.org/set/7"]}
    before, after = zipfile.ZipFile(io.BytesIO(original)), zipfile.ZipFile(paper)
    assert before.namelist() == after.namelist()
    changed = {n for n in before.namelist() if before.read(n) != after.read(n)}
    assert changed == {"word/footnotes.xml", "word/_rels/footnotes.xml.rels"}
    assert b'TargetMode="External"' in after.read("word/_rels/footnotes.xml.rels")
    # idempotent
    code, out, err = _fix(str(paper))
    assert (code, out) == (0, ""), err


def test_docx_dead_link_gets_its_archived_copy(tmp_path: Path) -> None:
    import datetime as dt
    from dataclasses import replace

    from footcheck.fix.docx import fix_docx
    from footcheck.fix.interface import FixKind
    from footcheck.model import ArchiveCapture, Finding, LinkResult, LinkStatus, Severity
    from footcheck.pipeline import audit_static
    from footcheck.rules import RuleContext

    dead = "https://gone.example.ru/report/5"
    copy = f"https://web.archive.org/web/20240301000000/{dead}"
    paper = tmp_path / "dead.docx"
    paper.write_bytes(DocxWriter().build([
        ["Тезис", ("fn", ["Отчёт. URL: ", ("link", "сайт отчёта", dead), " (дата обращения: 02.03.2024)."]), "."]]))
    audit = audit_static(load_path(paper), RuleContext(today=dt.date(2026, 11, 24)))
    capture = ArchiveCapture(copy, dt.datetime(2024, 3, 1, tzinfo=dt.timezone.utc), -1)
    audit = replace(audit, results={dead: LinkResult(dead, LinkStatus.BROKEN, 404, archive=capture)},
                    findings=(Finding("FC601", Severity.WARNING, "dead", url=dead),))
    done = fix_docx(paper.read_bytes(), audit, [FixKind.ARCHIVE])
    assert done.after == (f"Отчёт. URL: сайт отчёта (дата обращения: 02.03.2024). Архивная копия: {copy}.",)
    fixed = tmp_path / "fixed.docx"
    fixed.write_bytes(done.data)
    assert copy in _urls(fixed)[1]
    again = replace(audit, document=parse_loaded(load_path(fixed)))
    assert fix_docx(done.data, again, [FixKind.ARCHIVE]).changes == ()


_CT = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
       '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
       '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
       '<Default Extension="xml" ContentType="application/xml"/>'
       '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'wordprocessingml.document.main+xml"/>'
       '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'wordprocessingml.footnotes+xml"/>'
       '<Override PartName="/word/endnotes.xml" ContentType="application/vnd.openxmlformats-officedocument.'
       'wordprocessingml.endnotes+xml"/></Types>')
_PACKAGE_RELS = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/officeDocument" Target="word/document.xml"/></Relationships>')


def _as_word_saves_it(data: bytes) -> bytes:
    """The test writer's package with what Word adds and LibreOffice needs to open it: the
    content types, the package relationships and the document's links to its note parts."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    note_rels = ('<Relationship Id="rIdFn" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                 'relationships/footnotes" Target="footnotes.xml"/><Relationship Id="rIdEn" '
                 'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes" '
                 'Target="endnotes.xml"/>')
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        dst.writestr("[Content_Types].xml", _CT)
        dst.writestr("_rels/.rels", _PACKAGE_RELS)
        for name in src.namelist():
            if name == "[Content_Types].xml":
                continue
            body = src.read(name)
            if name == "word/_rels/document.xml.rels":
                body = body.replace(b"</Relationships>", note_rels.encode() + b"</Relationships>")
            dst.writestr(name, body)
    return out.getvalue()


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_fixed_docx_opens_in_libreoffice(tmp_path: Path) -> None:
    paper = _paper(tmp_path)
    paper.write_bytes(_as_word_saves_it(paper.read_bytes()))
    code, _, err = _fix(str(paper), "--write")
    assert code == 0, err
    fixed = tmp_path / "paper.fixed.docx"
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf",
         "--outdir", str(tmp_path / "out"), str(fixed)],
        capture_output=True, text=True, timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    # LibreOffice's PDF of the fixed file, read back by footcheck's own PDF reader
    pdf = tmp_path / "out" / "paper.fixed.pdf"
    urls = sorted(u for fn in parse_loaded(load_path(pdf)).footnotes for u in (x.url for x in fn.urls))
    assert urls == ["https://archive-data.example.org/set/7", "https://portal.example.ru/docs/plan?id=12"]
