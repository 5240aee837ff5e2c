"""footcheck fix with the network: a permanently moved URL is replaced by its new address
and a dead one gets its archived copy after the access date, against a page server and the
fake Wayback service on 127.0.0.1."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fake_wayback import FakeWayback
from typer.testing import CliRunner

from footcheck._cli import app


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        if self.path.startswith("/old/"):
            self.send_response(301)
            self.send_header("Location", self.path.replace("/old/", "/new/", 1))
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if self.path.startswith("/new/"):
            body, status = "<html><head><title>Сводка цен</title></head><body><h1>Сводка цен</h1></body></html>", 200
        else:
            body, status = "<html><title>Not Found</title></html>", 404
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@pytest.fixture
def pages() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def _fix(paper: Path, wayback: str, cache: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        app, ["fix", str(paper), "--allow-private", "--cache-dir", str(cache), "-q", "--color", "never", *args],
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
    result = CliRunner().invoke(app, ["fix", str(paper), "--offline", "--color", "never"])
    assert result.exit_code == 1
    assert "moved, archive fixes need the network; skipped" in result.stderr
    assert f"+1 Сводка. URL: {pages}/old/x (дата" in result.stdout
