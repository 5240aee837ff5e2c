"""footcheck fix without the network: tracking parameters and access-date style, in every
text-like format, with the diff, the corrected copy and the in-place fix with its backup."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from footcheck._testing import invoke
from footcheck.fix.interface import FixKind
from footcheck.fix.plan import apply_edits, plan_fixes
from footcheck.fix.write import FixError, read_source, write_in_place
from footcheck.load import load_path
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext

TODAY = dt.date(2026, 11, 24)

PAPER = (
    "Рост цен отмечен в обзоре1, а прогноз опубликован отдельно2.\n"
    "\n"
    "1 Кравцова Л. Обзор цен за квартал. URL: https://stat.example.ru/review/q3?id=7&utm_source=yandex&q=a%2Fb "
    "(дата обращения: 12.03.2024).\n"
    "2 Лосев Д. Прогноз на год. URL: https://forecast.exam-\n"
    "ple.org/2024/plan_b?ysclid=lr3tm2fsnc59192795#part (дата доступа: 01.02.24).\n"
)


def fix(*args: str) -> tuple[int, str, str]:
    result = invoke(["fix", *args, "--offline", "--color", "never"])
    return result.exit_code, result.stdout, result.stderr


def audit(path: Path):  # type: ignore[no-untyped-def]
    loaded = load_path(path)
    return loaded, audit_static(loaded, RuleContext(today=TODAY))


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    p = tmp_path / "paper.txt"
    p.write_text(PAPER, encoding="utf-8")
    return p


def test_tracking_cut_leaves_every_other_byte(paper: Path) -> None:
    loaded, a = audit(paper)
    plan = plan_fixes(loaded.text, a, [FixKind.TRACKING])
    fixed = apply_edits(loaded.text, plan.edits)
    # the kept parameter is not re-encoded, the broken URL keeps its line break and fragment
    assert "https://stat.example.ru/review/q3?id=7&q=a%2Fb (дата обращения: 12.03.2024)." in fixed
    assert "URL: https://forecast.exam-\nple.org/2024/plan_b#part (дата доступа: 01.02.24)." in fixed
    assert fixed.replace("&utm_source=yandex", "").replace("?ysclid=lr3tm2fsnc59192795", "") == fixed
    assert PAPER.replace("&utm_source=yandex", "").replace("?ysclid=lr3tm2fsnc59192795", "") == fixed
    assert {(e.footnote, e.kind) for e in plan.edits} == {(1, FixKind.TRACKING), (2, FixKind.TRACKING)}


def test_diff_changes_nothing_and_exits_1(paper: Path) -> None:
    code, out, _ = fix(str(paper))
    assert code == 1
    assert "-1 Кравцова" in out and "+1 Кравцова" in out and "utm_source" not in out.split("+1 Кравцова")[1]
    assert paper.read_text("utf-8") == PAPER
    assert sorted(os.listdir(paper.parent)) == ["paper.txt"]


def test_write_copy_then_nothing_left_to_fix(paper: Path) -> None:
    code, _, err = fix(str(paper), "--write")
    assert code == 0, err
    copy = paper.with_name("paper.fixed.txt")
    assert paper.read_text("utf-8") == PAPER
    assert "ysclid" not in copy.read_text("utf-8") and "utm_source" not in copy.read_text("utf-8")
    code, out, err = fix(str(copy))  # idempotent: the fixed copy plans nothing
    assert (code, out) == (0, ""), err
    assert "nothing to fix" in err


def test_in_place_keeps_a_backup_and_never_overwrites_one(paper: Path) -> None:
    code, _, err = fix(str(paper), "--in-place")
    assert code == 0, err
    backup = paper.with_name("paper.txt.bak")
    assert backup.read_text("utf-8") == PAPER
    assert "ysclid" not in paper.read_text("utf-8")
    paper.write_text(PAPER, encoding="utf-8")
    code, _, err = fix(str(paper), "--in-place")
    assert code == 3 and "backup already exists" in err
    assert paper.read_text("utf-8") == PAPER and backup.read_text("utf-8") == PAPER


def test_date_style_only_when_asked(paper: Path) -> None:
    _, out, _ = fix(str(paper))
    assert "дата обращения: 01.02.2024" not in out
    _, out, _ = fix(str(paper), "--select", "date-style")
    assert "+ple.org/2024/plan_b?ysclid=lr3tm2fsnc59192795#part (дата обращения: 01.02.2024)." in out
    assert "-1 Кравцова" not in out  # footnote 1 has no date to restyle, and tracking was not asked
    _, out, _ = fix(str(paper), "--select", "date-style", "--date-template", "дата доступа: {date:%Y-%m-%d}")
    assert "(дата доступа: 2024-02-01)" in out


def test_crlf_and_cp1251_survive(tmp_path: Path) -> None:
    p = tmp_path / "win.txt"
    p.write_bytes(PAPER.replace("\n", "\r\n").encode("cp1251"))
    code, _, err = fix(str(p), "--in-place")
    assert code == 0, err
    data = p.read_bytes()
    assert data == PAPER.replace("&utm_source=yandex", "").replace("?ysclid=lr3tm2fsnc59192795", "") \
        .replace("\n", "\r\n").encode("cp1251")


def test_refusals_leave_the_paper_untouched(paper: Path, tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(paper)
    code, _, err = fix(str(link), "--in-place")
    assert code == 3 and "symbolic link" in err
    # changed on disk between reading and writing
    loaded = load_path(paper)
    source = read_source(paper, loaded.encoding)
    paper.write_text(PAPER + "\n3 Новая сноска.\n", encoding="utf-8")
    with pytest.raises(FixError, match="changed on disk"):
        write_in_place(source, "whatever")
    assert paper.read_text("utf-8").endswith("3 Новая сноска.\n")
    assert not paper.with_name("paper.txt.bak").exists()
    code, _, err = fix(str(paper), "--write", "--in-place")
    assert code == 2


def test_no_write_permission(paper: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    paper.parent.chmod(0o500)
    try:
        code, _, err = fix(str(paper), "--write")
        assert code == 3 and "cannot write" in err
    finally:
        paper.parent.chmod(0o700)


def test_markdown_link_target_and_text(tmp_path: Path) -> None:
    p = tmp_path / "paper.md"
    url = "https://journal.example.ru/article/15?utm_medium=social&page=2"
    p.write_text(
        "# Статья\n\nОсновной тезис[^1].\n\n"
        f"[^1]: Белов К. Заметка. URL: [{url}]({url}) (дата обращения: 03.04.2024).\n",
        encoding="utf-8")
    code, _, err = fix(str(p), "--in-place")
    assert code == 0, err
    clean = "https://journal.example.ru/article/15?page=2"
    assert f"[{clean}]({clean}) (дата обращения: 03.04.2024)." in p.read_text("utf-8")


def test_latex_escaped_url(tmp_path: Path) -> None:
    p = tmp_path / "paper.tex"
    p.write_text(
        "\\documentclass{article}\n\\begin{document}\n"
        "Тезис\\footnote{Орлов В. Обзор. URL: \\url{https://data.example.org/set?fbclid=XYZ&id=4} "
        "(дата обращения: 05.05.2024).}.\n\\end{document}\n", encoding="utf-8")
    code, _, err = fix(str(p), "--write")
    assert code == 0, err
    fixed = p.with_name("paper.fixed.tex").read_text("utf-8")
    assert "\\url{https://data.example.org/set?id=4} (дата обращения: 05.05.2024)" in fixed


def test_html_attribute_and_text(tmp_path: Path) -> None:
    p = tmp_path / "paper.html"
    p.write_text(
        "<html><body><p>Тезис<sup><a href=\"#fn1\" id=\"r1\">1</a></sup>.</p>\n"
        "<section class=\"footnotes\"><ol><li id=\"fn1\">Зуев А. Отчёт. URL: "
        "<a href=\"https://report.example.ru/a?x=1&amp;utm_campaign=spring\">"
        "https://report.example.ru/a?x=1&amp;utm_campaign=spring</a> (дата обращения: 06.06.2024). "
        "<a href=\"#r1\">↩</a></li></ol></section></body></html>\n", encoding="utf-8")
    code, _, err = fix(str(p), "--in-place")
    assert code == 0, err
    text = p.read_text("utf-8")
    assert "utm_campaign" not in text
    assert "href=\"https://report.example.ru/a?x=1\">https://report.example.ru/a?x=1</a>" in text
