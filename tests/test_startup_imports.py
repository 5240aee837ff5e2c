"""Start-up: a command imports only what it needs (issue 13). Each case runs footcheck in
a fresh interpreter and looks at ``sys.modules`` afterwards; speed itself is measured in
benchmarks/bench_startup.py, not here."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

PAPER = """Введение

Экономика региона росла быстрее прогнозов1. Об этом писали [Иванов 2010: 5].

1 Обзор экономики. 2023. URL: {url} (дата обращения: 25.12.2023).
"""

# footcheck's own entry point (the ``footcheck`` command's), then the names in sys.modules
# written to the file argv[1]
RUN = """
import json, sys
from footcheck.__main__ import main
out, sys.argv = sys.argv[1], ["footcheck", *sys.argv[2:]]
try:
    main()
except SystemExit:
    pass
with open(out, "w") as f:
    json.dump(sorted(sys.modules), f)
"""

# what an offline audit of a plain-text paper must not load
HEAVY = ("pydantic", "typer", "click", "rich", "httpx", "httpcore", "aiohttp", "httptools", "asyncio", "bs4", "lxml",
         "pypdfium2", "markdown_it", "bibtexparser", "sqlite3", "ssl")
OTHER_READERS = ("footcheck.load.pdf", "footcheck.load.docx", "footcheck.load.odt", "footcheck.load.html",
                 "footcheck.load.latex", "footcheck.load.markdown")
NETWORK_STAGES = ("footcheck.check", "footcheck.archive", "footcheck.registry", "footcheck._cache")
# standard library an offline json run does without (benchmarks/startup.md): what inspect
# imports (dataclasses imports it, the entry point defers it to first use; pkgutil uses it),
# shutil with bz2 and lzma (argparse's default help formatter asks it for the terminal
# width), tempfile (only for --output to a file), importlib.resources (the JSON schema)
UNUSED_STDLIB = ("ast", "dis", "tokenize", "pkgutil", "shutil", "bz2", "lzma", "tempfile", "random",
                 "importlib.resources")


def imported(*args: str, cwd: Path) -> set[str]:
    """The modules loaded by ``footcheck ARGS...`` (stdout discarded, not a terminal)."""
    out = cwd / "modules.json"
    env = {**os.environ, "NO_COLOR": "1"}
    subprocess.run([sys.executable, "-c", RUN, str(out), *args], cwd=cwd, env=env, timeout=60,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return set(json.loads(out.read_text("utf-8")))


def loaded(modules: set[str], names: tuple[str, ...]) -> set[str]:
    return {m for m in modules if any(m == n or m.startswith(n + ".") for n in names)}


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    p = tmp_path / "paper.txt"
    p.write_text(PAPER.format(url="https://www.example.ru/review"), encoding="utf-8")
    return p


def test_offline_json_imports_no_ui_no_network_no_other_reader(paper: Path) -> None:
    modules = imported(str(paper), "--offline", "--format", "json", "-q", cwd=paper.parent)
    assert "footcheck.report.json" in modules and "footcheck.load.text" in modules  # it did run
    assert loaded(modules, HEAVY) == set()
    assert loaded(modules, OTHER_READERS) == set()
    assert loaded(modules, NETWORK_STAGES) == set()
    assert "footcheck.report.rich_report" not in modules and "footcheck._progress" not in modules
    assert "footcheck.baseline" not in modules  # no --baseline given
    assert loaded(modules, UNUSED_STDLIB) == set()


def test_a_reader_is_imported_for_its_own_format(tmp_path: Path) -> None:
    md = tmp_path / "paper.md"
    md.write_text("# Введение\n\nТекст[^1].\n\n[^1]: Обзор. URL: https://www.example.ru/review\n", encoding="utf-8")
    modules = imported(str(md), "--offline", "--format", "json", "-q", cwd=tmp_path)
    assert "footcheck.load.markdown" in modules
    assert loaded(modules, tuple(r for r in OTHER_READERS if r != "footcheck.load.markdown")) == set()


def test_commands_that_audit_nothing_import_no_pipeline(tmp_path: Path) -> None:
    for args in (["--help"], ["config", "--isolated"], ["links", "-h"], ["fix", "-h"], ["archive", "-h"]):
        modules = imported(*args, cwd=tmp_path)
        assert "footcheck._cli" in modules, args
        assert loaded(modules, ("footcheck.pipeline", "footcheck.parse", *HEAVY, *NETWORK_STAGES)) == set(), args
    # the rules listing is drawn with rich (colour on a terminal), but needs no network stage
    modules = imported("rules", "FC202", cwd=tmp_path)
    assert "footcheck.report.rules_listing" in modules
    assert loaded(modules, ("pydantic", "typer", "click", "httpx", "asyncio", *NETWORK_STAGES)) == set()


class _Page(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        body = b"<html><head><title>Page</title></head><body><h1>Page</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Page)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_online_json_imports_the_checker_but_no_ui_and_no_unused_stage(tmp_path: Path, server: str) -> None:
    p = tmp_path / "paper.txt"
    p.write_text(PAPER.format(url=f"{server}/review"), encoding="utf-8")
    modules = imported(str(p), "--format", "json", "-q", "--allow-private", "--no-wayback", "--no-registry",
                       "--no-cache", "--isolated", cwd=tmp_path)
    assert "footcheck.check.interface" in modules  # the links were checked
    assert loaded(modules, ("pydantic", "typer", "click", "rich", "footcheck.report.rich_report",
                            "footcheck._progress", *OTHER_READERS)) == set()
    assert loaded(modules, ("footcheck.archive", "footcheck.registry", "footcheck._cache")) == set()
