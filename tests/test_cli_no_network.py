"""``footcheck PAPER`` with no network at all: inside a network namespace that has only
a loopback interface (``unshare -n``), so DNS fails for every name and nothing can
leave. One note, ``unverified`` statuses, no Wayback calls, the exit code of the other
findings, and quickly."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

PAPER = """Введение

Фонды музея пополнились1, а каталог оцифрован2. Отчет опубликован3.

1 Отчет музея за 2022 год. URL: https://muzei-kraya.example.org/otchet/2022 (дата обращения: 12.03.2024).
2 Электронный каталог. URL: https://katalog.example.ru/fondy/ (дата обращения: 12.03.2024).
3 Новости. URL: http://novosti-regiona.example.net/2023/05/17/ (дата обращения: 13.03.2024).
"""

# Runs inside the namespace: a counting stand-in for the Wayback Machine on its loopback,
# then the CLI as a user runs it.
DRIVER = textwrap.dedent("""
    import json, subprocess, sys, threading, time
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    calls = []
    class Wayback(BaseHTTPRequestHandler):
        def log_message(self, *args): pass
        def do_GET(self):
            calls.append(self.path)
            self.send_response(200); self.send_header("Content-Length", "2"); self.end_headers()
            self.wfile.write(b"[]")
    server = ThreadingHTTPServer(("127.0.0.1", 0), Wayback)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    env = {"FOOTCHECK_WAYBACK_URL": f"http://127.0.0.1:{server.server_address[1]}", "PATH": "/usr/bin:/bin",
           "COLUMNS": "80"}
    results = {}
    for fmt in ("json",):
        start = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "footcheck", sys.argv[1], "--no-cache", "-f", fmt,
                               "--today", "2024-04-01"], capture_output=True, text=True, env=env, timeout=120)
        results[fmt] = {"rc": done.returncode, "out": done.stdout, "err": done.stderr,
                        "seconds": time.monotonic() - start}
    server.shutdown()
    print(json.dumps({"runs": results, "wayback_calls": len(calls)}))
""")


def _namespace() -> list[str]:
    unshare, ip = shutil.which("unshare"), shutil.which("ip")
    if unshare is None or ip is None:
        pytest.skip("needs unshare and ip (util-linux, iproute2)")
    probe = subprocess.run([unshare, "-n", ip, "link", "set", "lo", "up"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip(f"cannot make a network namespace here: {probe.stderr.decode().strip()}")
    return [unshare, "-n", "sh", "-c", f'{ip} link set lo up && exec "$@"', "sh"]


def test_no_network_gives_unverified_links_one_note_and_no_wayback_calls(tmp_path: Path) -> None:
    prefix = _namespace()
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER, encoding="utf-8")
    done = subprocess.run([*prefix, sys.executable, "-c", DRIVER, str(paper)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    report = data["runs"]["json"]
    # no finding at the error level: the links are unverified, not dead
    assert report["rc"] == 0, report["err"]
    document = json.loads(report["out"])["documents"][0]
    assert {link["status"] for link in document["links"]} == {"unverified"}
    assert all(link["detail"].startswith("no network: ") for link in document["links"])
    assert not any(f["code"].startswith(("FC5", "FC6")) for f in document["findings"])
    # one note, said once
    notes = [line for line in report["err"].splitlines() if "no network" in line]
    assert len(notes) == 1 and notes[0].startswith("footcheck: no network: 3 links not verified (")
    assert data["wayback_calls"] == 0
    assert report["seconds"] < 15, report["seconds"]
