"""Whole folders: discovery (content type, .gitignore, globs, include/exclude), JSON Lines
streamed per paper, the closing table, one check per URL and each citation's own date."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from footcheck import pipeline
from footcheck.discover import DiscoverError, expand
from footcheck.model import ArchiveCapture, LinkResult, LinkStatus
from footcheck.rules import RuleContext

from .conftest import PAPER, cli


def tree(root: Path) -> Path:
    files = {
        "a.txt": PAPER, "sub/b.md": PAPER, "sub/deep/c.txt": PAPER, "notes": PAPER,  # no suffix: text
        ".hidden/d.txt": PAPER, "build/e.txt": PAPER, "sub/skip.txt": PAPER,
        "footcheck.toml": "offline = true\n", "data.json": "{}", "script.py": "print(1)\n",
    }
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    (root / "img.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200))
    (root / ".gitignore").write_text("build/\n", encoding="utf-8")
    (root / "sub" / ".gitignore").write_text("skip.txt\n", encoding="utf-8")
    return root


def rel(paths, root: Path) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.relative_to(root).as_posix() for p in paths]


def test_folder_by_content_gitignore_hidden(tmp_path: Path) -> None:
    root = tree(tmp_path / "papers")
    assert rel(expand([root]), root) == ["a.txt", "notes", "sub/b.md", "sub/deep/c.txt"]
    assert rel(expand([root], include=["*.txt"]), root) == ["a.txt", "sub/deep/c.txt"]
    assert rel(expand([root], exclude=["sub/deep/"]), root) == ["a.txt", "notes", "sub/b.md"]
    # a file named explicitly is taken even when .gitignore ignores it; each path once
    assert rel(expand([root / "build" / "e.txt", root / "a.txt", root]), root)[:2] == ["build/e.txt", "a.txt"]
    assert len(list(expand([root, root]))) == 4


def test_quoted_globs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    tree(tmp_path)
    monkeypatch.chdir(tmp_path)
    assert [p.as_posix() for p in expand(["sub/**/*.txt"])] == ["sub/deep/c.txt", "sub/skip.txt"]
    assert [p.as_posix() for p in expand(["*.txt"], exclude=["a.txt"])] == []
    with pytest.raises(DiscoverError, match="no file matches"):
        list(expand(["nothing/*.txt"]))


def test_jsonl_streams_one_line_per_paper_and_a_summary(tmp_path: Path) -> None:
    root = tree(tmp_path / "papers")
    (root / "footcheck.toml").unlink()
    r = cli(str(root), "--offline", "-f", "jsonl", "--today", "2026-01-01", "--isolated")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert [x["type"] for x in lines] == ["document"] * 4 + ["summary"]
    assert lines[-1]["documents"] == 4 and lines[-1]["warnings"] == sum(
        1 for d in lines[:-1] for f in d["findings"] if f["severity"] == "warning")
    assert "4 paper(s)" in r.stderr and "worst papers" in r.stderr
    assert r.exit_code == 1  # footnote 2 has no marker: an error in each paper
    r = cli(str(root), "--offline", "-f", "jsonl", "--today", "2026-01-01", "--isolated", "--ignore", "FC1")
    assert r.exit_code == 0


def test_jsonl_glob_without_match_is_one_line(tmp_path: Path) -> None:
    r = cli(str(tmp_path / "none" / "*.txt"), "--offline", "-f", "jsonl")
    assert r.exit_code == 2 and "no file matches" in r.stderr


def test_closing_table_worst_first(tmp_path: Path) -> None:
    (tmp_path / "clean.txt").write_text("Текст без ссылок.\n", encoding="utf-8")
    (tmp_path / "bad.txt").write_text(PAPER + "Ещё3.\n", encoding="utf-8")
    r = cli(str(tmp_path), "--offline", "-f", "json", "--today", "2026-01-01", "--isolated")
    assert "2 paper(s)" in r.stderr
    rows = r.stderr.split("worst papers\n", 1)[1].splitlines()
    assert rows[0].endswith("bad.txt") and not any(x.endswith("clean.txt") for x in rows)


def _paper(date: str) -> str:
    return (f"Текст1.\n\n1 Доклад. URL: https://gone.example.ru/report (дата обращения: {date}).\n")


def test_one_check_per_url_and_each_citation_its_own_date(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from footcheck.archive import interface as archive
    from footcheck.check import interface as check
    from footcheck.load import load_path

    checked: list[list[str]] = []
    asked: list[list[tuple[str, dt.date | None]]] = []

    def fake_check(links, options, cache=None, progress=None, **_):  # type: ignore[no-untyped-def]
        checked.append([link.url for link in links])
        return {link.url: LinkResult(url=link.url, status=LinkStatus.BROKEN, http_status=404) for link in links}

    def fake_find(links, results, options, cache=None, progress=None, **_):  # type: ignore[no-untyped-def]
        asked.append([(link.url, link.access_date) for link in links])
        day = dt.datetime(2023, 1, 1, tzinfo=dt.timezone.utc)
        caps = {link.url: ArchiveCapture(url="https://web.archive.org/web/2023/x", timestamp=day,
                                         days_from_access=(day.date() - link.access_date).days) for link in links}
        return archive.ArchiveOutcome(captures=caps)

    monkeypatch.setattr(check, "check_links", fake_check)
    monkeypatch.setattr(archive, "find_captures", fake_find)
    for name, date in (("one.txt", "05.01.2023"), ("two.txt", "01.06.2024"), ("three.txt", "05.01.2023")):
        (tmp_path / name).write_text(_paper(date), encoding="utf-8")
    loaded = [load_path(tmp_path / n) for n in ("one.txt", "two.txt", "three.txt")]
    options = pipeline.RunOptions(context=RuleContext(today=dt.date(2026, 1, 1)), offline=False,
                                  archive=archive.ArchiveOptions(), use_cache=False)
    outcome = pipeline.run_audit(loaded, options)
    assert checked == [["https://gone.example.ru/report"]]  # checked once for three papers
    assert asked == [[("https://gone.example.ru/report", dt.date(2023, 1, 5))],
                     [("https://gone.example.ru/report", dt.date(2024, 6, 1))]]
    far = [[f for f in a.findings if f.code == "FC603"] for a in outcome.audits]
    assert [len(x) for x in far] == [0, 1, 0]  # only the 2024 citation is far from the 2023 copy
    days = [a.results["https://gone.example.ru/report"].archive.days_from_access for a in outcome.audits]
    assert days == [-4, -517, -4]


def test_empty_folder_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "data.json").write_text("{}", encoding="utf-8")
    r = cli(str(tmp_path), "--offline", "--isolated")
    assert r.exit_code == 2 and "no paper found" in r.stderr


def test_jsonl_online_checks_each_url_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from footcheck.check import interface as check

    calls: list[list[str]] = []

    def fake_check(links, options, cache=None, progress=None, **_):  # type: ignore[no-untyped-def]
        calls.append(sorted(link.url for link in links))
        return {link.url: LinkResult(url=link.url, status=LinkStatus.BROKEN, http_status=404) for link in links}

    monkeypatch.setattr(check, "check_links", fake_check)
    for name, date in (("one.txt", "05.01.2023"), ("two.txt", "01.06.2024")):
        (tmp_path / name).write_text(_paper(date), encoding="utf-8")
    r = cli(str(tmp_path), "-f", "jsonl", "--no-wayback", "--no-registry", "--no-cache", "--isolated", "-q",
            "--today", "2026-01-01")
    lines = [json.loads(x) for x in r.stdout.splitlines()]
    assert calls == [["https://gone.example.ru/report"]]
    assert [d["links"][0]["status"] for d in lines[:-1]] == ["broken", "broken"]
    assert [d["links"][0]["access_date"] for d in lines[:-1]] == ["2023-01-05", "2024-06-01"]
    assert r.exit_code == 1 and lines[-1]["errors"] == 2
