"""``--allow-private`` reaches the Wayback clients' address guard, not only the link
checker's: the Wayback service the user named (127.0.0.1) redirects its CDX answers to
``localhost``, another host name that resolves to loopback. Without the flag that hop is
refused; with it the capture behind the redirect is found."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_wayback import FakeWayback
from page_server import NOT_FOUND, serve_pages

from footcheck._testing import invoke

ACCESS = "15.06.2023"


@pytest.fixture(scope="module")
def pages() -> Iterator[str]:
    with serve_pages(lambda path: NOT_FOUND) as base:
        yield base


@pytest.fixture
def wayback(pages: str) -> Iterator[tuple[FakeWayback, FakeWayback, str]]:
    """(the named service, the one it redirects to, the paper's dead URL)."""
    dead = f"{pages}/gone/forecast"
    with FakeWayback() as front, FakeWayback({dead: ["20230101000000", "20230610120000"]}) as mirror:
        port = mirror.base_url.rsplit(":", 1)[1]
        front.redirect_to = f"http://localhost:{port}/cdx/search/cdx?url={dead}&output=json"
        yield front, mirror, dead


def _paper(tmp_path: Path, dead: str) -> Path:
    paper = tmp_path / "paper.txt"
    paper.write_text(f"Прогноз не подтвердился1.\n\n1 Прогноз на год. URL: {dead} (дата обращения: {ACCESS}).\n",
                     encoding="utf-8")
    return paper


def _check(paper: Path, front: FakeWayback, cache: Path, *args: str) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    result = invoke(["check", str(paper), "-f", "json", "--archive-all", "--today", "2026-11-24",
                     "--cache-dir", str(cache), *args],
                    env={"FOOTCHECK_WAYBACK_URL": front.base_url})
    assert result.exit_code in (0, 1), result.stderr
    doc = json.loads(result.stdout)["documents"][0]
    [link] = doc["links"]
    return link, doc["findings"]


def test_check_without_allow_private_refuses_the_archive_redirect(
        tmp_path: Path, wayback: tuple[FakeWayback, FakeWayback, str]) -> None:
    front, mirror, dead = wayback
    link, findings = _check(_paper(tmp_path, dead), front, tmp_path / "c")
    assert link["archive"] is None
    [failed] = [f for f in findings if f["code"] == "FC605"]
    assert "refused: localhost resolves to 127.0.0.1, a loopback address" in failed["message"]
    assert front.count("cdx") >= 1 and mirror.count() == 0  # asked the named service, never the redirect


def test_check_with_allow_private_follows_the_archive_redirect(
        tmp_path: Path, wayback: tuple[FakeWayback, FakeWayback, str]) -> None:
    front, mirror, dead = wayback
    link, findings = _check(_paper(tmp_path, dead), front, tmp_path / "c", "--allow-private")
    assert link["status"] == "broken"  # the checker was let through too
    archive = link["archive"]
    assert isinstance(archive, dict) and archive["timestamp"] == "2023-06-10T12:00:00Z"
    assert mirror.count("cdx") == 1
    assert not [f for f in findings if f["code"] == "FC605"]


def test_fix_with_allow_private_follows_the_archive_redirect(
        tmp_path: Path, wayback: tuple[FakeWayback, FakeWayback, str]) -> None:
    front, mirror, dead = wayback
    paper = _paper(tmp_path, dead)
    result = invoke(["fix", str(paper), "--allow-private", "--cache-dir", str(tmp_path / "c"), "-q",
                     "--color", "never"], env={"FOOTCHECK_WAYBACK_URL": front.base_url})
    assert result.exit_code == 1, result.stderr  # a plan shown, nothing written
    assert f"/web/20230610120000/{dead}" in result.stdout
    assert mirror.count("cdx") == 1
