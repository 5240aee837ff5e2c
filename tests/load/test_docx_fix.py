"""footcheck fix on a DOCX: link targets in the relationships and URLs printed across
several runs are fixed, every other member of the package is kept byte for byte, and the
fixed file reads back with the clean links."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx_writer import DocxWriter
from typer.testing import CliRunner

from footcheck._cli import app
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
    result = CliRunner().invoke(app, ["fix", *args, "--offline", "--color", "never"])
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
