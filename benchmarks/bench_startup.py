"""Start-up: how long a user waits before footcheck does anything (run by hand).

* offline: ``footcheck samples/demo.txt --offline --format json`` from spawn to exit;
* online: from spawn to the first request reaching a local server (the paper cites
  three URLs on 127.0.0.1), and to exit (``--no-wayback --no-cache``);
* the heaviest imports of each (``python -X importtime``), cumulative.

``--src OTHER/src`` measures another tree the same way (``PYTHONPATH``), for before and
after figures in one run. Usage::

    .venv/bin/python benchmarks/bench_startup.py [--runs 9] [--src /path/to/old/src]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEMO = ROOT / "samples" / "demo.txt"


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        server = self.server
        if server.first is None:  # type: ignore[attr-defined]
            server.first = time.perf_counter()  # type: ignore[attr-defined]
        body = b"<html><head><title>Page</title></head><body><h1>Page</h1></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def _env(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    if src:
        env["PYTHONPATH"] = src
    return env


def offline(src: str | None, runs: int) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        subprocess.run([sys.executable, "-m", "footcheck", str(DEMO), "--offline", "--format", "json", "-q"],
                       env=_env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def online(src: str | None, runs: int) -> tuple[float, float]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    port = server.server_address[1]
    firsts, totals = [], []
    with tempfile.TemporaryDirectory() as tmp:
        paper = Path(tmp) / "paper.txt"
        paper.write_text(
            "Статья1, ещё2 и третья3.\n\n"
            + "".join(f"{n} Источник {n}. URL: http://127.0.0.1:{port}/doc/{n} (дата обращения: 01.02.2024).\n"
                      for n in (1, 2, 3)),
            encoding="utf-8",
        )
        for _ in range(runs):
            server.first = None  # type: ignore[attr-defined]
            began = time.perf_counter()
            subprocess.run([sys.executable, "-m", "footcheck", str(paper), "--format", "json", "-q", "--no-wayback",
                            "--allow-private", "--no-cache"],
                           env=_env(src), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
            totals.append(time.perf_counter() - began)
            if server.first is not None:  # type: ignore[attr-defined]
                firsts.append(server.first - began)  # type: ignore[attr-defined]
    server.shutdown()
    server.server_close()
    return statistics.median(firsts) if firsts else float("nan"), statistics.median(totals)


def stack_import(src: str | None, runs: int) -> float:
    """Wall time of a process that imports the online stages (checker, archive client)
    and nothing else, less that of a bare interpreter: what an online run adds."""
    def timed(code: str) -> float:
        times = []
        for _ in range(runs):
            began = time.perf_counter()
            subprocess.run([sys.executable, "-c", code], env=_env(src), check=True)
            times.append(time.perf_counter() - began)
        return statistics.median(times)

    return timed("import footcheck.check.interface, footcheck.archive.lookup") - timed("import footcheck")


def heaviest(src: str | None, args: list[str], top: int = 8) -> list[tuple[str, float]]:
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "footcheck", *args], env=_env(src),
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False)
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|", 2)
        if name.strip() and not name.startswith("   "):  # top-level imports only
            try:
                rows.append((name.strip(), int(cumulative) / 1000))
            except ValueError:
                continue
    return sorted(rows, key=lambda r: -r[1])[:top]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--src", help="src/ of another tree, measured as 'before'")
    args = parser.parse_args()
    trees = [("this tree", None)] + ([("before", args.src)] if args.src else [])
    for label, src in trees:
        off = offline(src, args.runs)
        first, total = online(src, args.runs)
        stack = stack_import(src, args.runs)
        print(f"{label}: offline json {off:.3f} s; online first request {first:.3f} s, whole run {total:.3f} s; "
              f"importing the online stages {stack:.3f} s")
        for name, ms in heaviest(src, [str(DEMO), "--offline", "--format", "json", "-q"]):
            print(f"    offline import {name:40s} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
