"""The whole tool against a page server and the fake Wayback service, as a user runs it
(in process, through the same ``run`` the entry point calls)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from fake_wayback import FakeWayback
from page_server import NOT_FOUND, Page, html, serve_pages

from footcheck._testing import Invoked, invoke


def _route(path: str) -> Page:
    return html("Обзор рынка") if path.startswith("/alive") else NOT_FOUND


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    with serve_pages(_route) as base:
        yield base


def _paper(tmp_path: Path, pages: str) -> Path:
    paper = tmp_path / "paper.txt"
    paper.write_text(
        "Рынок вырос1, а прогноз не подтвердился2.\n\n"
        f"1 Обзор рынка. URL: {pages}/alive/review (дата обращения: 10.03.2024).\n"
        f"2 Прогноз на год. URL: {pages}/gone/forecast (дата обращения: 15.06.2023).\n",
        encoding="utf-8",
    )
    return paper


def _run(*args: str, cache: Path, wayback: str) -> Invoked:
    # In process: the entry point's own behaviour (signals, real streams) is tested in
    # tests/test_cli.py; here a second interpreter start per run would only cost a second.
    # Standard input is not a terminal here either, as it is not for the user's CI.
    return invoke([*args, "--allow-private", "--cache-dir", str(cache), "-q"], env={"FOOTCHECK_WAYBACK_URL": wayback})


def test_dead_link_gets_the_capture_nearest_its_access_date(tmp_path: Path, pages: str) -> None:
    paper = _paper(tmp_path, pages)
    dead = f"{pages}/gone/forecast"
    with FakeWayback({dead: ["20230101000000", "20230610120000", "20231201000000", ("20230615000000", "404")]}) as fake:
        r = _run(str(paper), "-f", "json", "--today", "2026-11-24", "--wayback-timeout", "5",
                 cache=tmp_path / "cache", wayback=fake.base_url)
        assert r.exit_code == 1, r.stderr  # a dead link is an error
        doc = json.loads(r.stdout)["documents"][0]
        links = {link["url"]: link for link in doc["links"]}
        assert links[dead]["status"] == "broken"
        archive = links[dead]["archive"]
        assert archive["timestamp"] == "2023-06-10T12:00:00Z" and archive["days_from_access"] == -5
        assert archive["url"].endswith(f"/web/20230610120000/{dead}")
        assert links[f"{pages}/alive/review"]["archive"] is None  # live links are not looked up
        assert any(f["code"] == "FC601" and f["suggestion"] == archive["url"] for f in doc["findings"])
        assert fake.count("cdx") == 1
        # a second run within the week asks the archive nothing
        r = _run(str(paper), "-f", "json", "--today", "2026-11-24", cache=tmp_path / "cache", wayback=fake.base_url)
        assert fake.count("cdx") == 1
        assert json.loads(r.stdout)["documents"][0]["links"][1]["archive"]["days_from_access"] == -5


def test_the_timegate_answers_without_a_cdx_query(tmp_path: Path, pages: str) -> None:
    paper = _paper(tmp_path, pages)
    dead = f"{pages}/gone/forecast"
    with FakeWayback({dead: ["20230101000000", "20230611230000", "20230619000000"]}) as fake:
        r = _run(str(paper), "-f", "json", "--today", "2026-11-24", cache=tmp_path / "cache", wayback=fake.base_url)
        assert r.exit_code == 1, r.stderr
        links = {link["url"]: link for link in json.loads(r.stdout)["documents"][0]["links"]}
        # 4 days before and 4 days after the access date: the earlier wins the tie
        assert links[dead]["archive"]["timestamp"] == "2023-06-11T23:00:00Z"
        assert fake.count("cdx") == 0 and fake.count("web") >= 2


def test_archive_command_saves_live_links_only_with_consent(tmp_path: Path, pages: str) -> None:
    paper = _paper(tmp_path, pages)
    with FakeWayback() as fake:
        r = _run("archive", str(paper), cache=tmp_path / "c1", wayback=fake.base_url)
        assert r.exit_code == 2 and "--yes" in r.stderr  # no terminal to ask: refuse, change nothing
        assert fake.count("save") == 0
        r = _run("archive", str(paper), "--yes", cache=tmp_path / "c2", wayback=fake.base_url)
        assert r.exit_code == 0, r.stdout + r.stderr
        assert fake.count("save") == 1  # the live link; the dead one has nothing to save
        assert "saved" in r.stdout and f"{pages}/alive/review" in r.stdout
