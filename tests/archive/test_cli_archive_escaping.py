"""``footcheck archive`` prints paper URLs with the reports' escaping: a URL that carries
a terminal escape (a window-title OSC, colours) reaches the terminal without it."""

from __future__ import annotations

import socket
from pathlib import Path

from fake_wayback import FakeWayback

from footcheck._testing import invoke


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_archive_command_escapes_paper_urls(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/alive/a\x1b]0;pwned\x07b\x1b[31m"
    paper = tmp_path / "paper.txt"
    paper.write_text(f"Текст1.\n\n1 Обзор. URL: {url} (дата обращения: 10.03.2024).\n", encoding="utf-8")
    with FakeWayback() as fake:
        # in process (as in test_cli_archive.py): the captured stdout is what a pipe would get
        done = invoke(["archive", str(paper), "--yes", "--allow-private", "--no-cache", "-q", "--timeout", "2"],
                      env={"FOOTCHECK_WAYBACK_URL": fake.base_url})
    assert done.exit_code == 0, done.stderr
    assert "not live, skipped http://127.0.0.1:" in done.stdout
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout
    assert "/alive/ab" in done.stdout
