"""footcheck fix with the network: a permanently moved URL is replaced by its new address
and a dead one gets its archived copy after the access date, against a page server and the
fake Wayback service on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_wayback import FakeWayback
from page_server import NOT_FOUND, Page, html, moved, serve_pages

from footcheck._testing import invoke


def _route(path: str) -> Page:
    if path.startswith("/old/"):
        return moved(path.replace("/old/", "/new/", 1))
    return html("Сводка цен") if path.startswith("/new/") else NOT_FOUND


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    with serve_pages(_route) as base:
        yield base


def _fix(paper: Path, wayback: str, cache: Path, *args: str) -> tuple[int, str, str]:
    result = invoke(["fix", str(paper), "--allow-private", "--cache-dir", str(cache), "-q", "--color", "never", *args],
                    env={"FOOTCHECK_WAYBACK_URL": wayback})
    return result.exit_code, result.stdout, result.stderr


def test_moved_and_dead_links_fixed_in_place(tmp_path: Path, pages: str) -> None:
    moved, dead = f"{pages}/old/prices", f"{pages}/gone/forecast"
    paper = tmp_path / "paper.txt"
    original = (
        "Цены выросли1, а прогноз не подтвердился2.\n\n"
        f"1 Сводка цен. URL: {moved} (дата обращения: 10.03.2024).\n"
        f"2 Прогноз на год. URL: {dead} (дата обращения: 15.06.2023).\n")
    paper.write_text(original, encoding="utf-8")
    with FakeWayback({dead: ["20230101000000", "20230610120000", "20231201000000"]}) as fake:
        code, out, err = _fix(paper, fake.base_url, tmp_path / "c")
        assert code == 1, err  # shown, not written
        assert paper.read_text("utf-8") == original
        code, _, err = _fix(paper, fake.base_url, tmp_path / "c", "--in-place")
        assert code == 0, err
        fixed = paper.read_text("utf-8")
        assert f"1 Сводка цен. URL: {pages}/new/prices (дата обращения: 10.03.2024).\n" in fixed
        copy = f"{fake.base_url}/web/20230610120000/{dead}"
        assert f"2 Прогноз на год. URL: {dead} (дата обращения: 15.06.2023). Архивная копия: {copy}.\n" in fixed
        assert paper.with_name("paper.txt.bak").read_text("utf-8") == original
        # idempotent: nothing more to fix once the copy is cited and the URL is the new one
        code, out, err = _fix(paper, fake.base_url, tmp_path / "c")
        assert (code, out) == (0, ""), err


def test_offline_fix_says_what_it_skipped(tmp_path: Path, pages: str) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(f"Тезис1.\n\n1 Сводка. URL: {pages}/old/x?utm_source=mail (дата обращения: 10.03.2024).\n",
                     encoding="utf-8")
    result = invoke(["fix", str(paper), "--offline", "--color", "never"])
    assert result.exit_code == 1
    assert "moved, archive fixes need the network; skipped" in result.stderr
    assert f"+1 Сводка. URL: {pages}/old/x (дата" in result.stdout
