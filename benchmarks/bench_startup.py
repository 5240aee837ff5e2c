"""Start-up: how long a user waits before footcheck does anything (run by hand).

* offline: ``footcheck samples/demo.txt --offline --format json`` from spawn to exit;
* online: from spawn to the first request reaching a local server (the paper cites
  three URLs on 127.0.0.1), and to exit (``--no-wayback --no-cache``);
* the heaviest imports of each (``python -X importtime``), cumulative.

Each figure is the median wall time and the median CPU time (user + system of the child)
of ``--runs`` runs, for this tree, this tree with the compile cache off
(``FOOTCHECK_NO_COMPILE_CACHE=1``), and with ``--src OTHER/src`` another tree the same way
(``PYTHONPATH``; several paths joined with ``:``, e.g. an old tree and the packages only it
needs); the variants' runs alternate, so all see the same load. The trees' modules
are byte-compiled first and ``PYTHONDONTWRITEBYTECODE`` is dropped for the children: an
installed package starts from ``.pyc`` files, a checkout run with that variable set would
recompile every module on every start. Usage::

    .venv/bin/python benchmarks/bench_startup.py [--runs 9] [--src /path/to/old/src]
"""

from __future__ import annotations

import argparse
import compileall
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


NO_COMPILE_CACHE = "no-compile-cache"  # a --src suffix: this tree with FOOTCHECK_NO_COMPILE_CACHE=1


def _env(src: str | None) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # start from .pyc files, as an installed package does
    if src == NO_COMPILE_CACHE:
        env["FOOTCHECK_NO_COMPILE_CACHE"] = "1"
    elif src:
        env["PYTHONPATH"] = src
    return env


def _timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU time (user + system) of one child process."""
    began = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, _, usage = os.wait4(proc.pid, 0)
    proc.returncode = 0  # reaped by wait4
    return time.perf_counter() - began, usage.ru_utime + usage.ru_stime


def offline_once(src: str | None) -> tuple[float, float]:
    return _timed([sys.executable, "-m", "footcheck", str(DEMO), "--offline", "--format", "json", "-q"], _env(src))


class Online:
    """A loopback server and a paper citing three pages on it."""

    def __init__(self, tmp: Path) -> None:
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.01},
                                       daemon=True)
        self.thread.start()
        port = self.server.server_address[1]
        self.paper = tmp / "paper.txt"
        self.paper.write_text(
            "Статья1, ещё2 и третья3.\n\n"
            + "".join(f"{n} Источник {n}. URL: http://127.0.0.1:{port}/doc/{n} (дата обращения: 01.02.2024).\n"
                      for n in (1, 2, 3)),
            encoding="utf-8",
        )

    def once(self, src: str | None) -> tuple[float | None, float, float]:
        """(spawn to first request or None, wall, CPU) of one online run."""
        self.server.first = None  # type: ignore[attr-defined]
        began = time.perf_counter()
        wall, cpu = _timed([sys.executable, "-m", "footcheck", str(self.paper), "--format", "json", "-q",
                            "--no-wayback", "--allow-private", "--no-cache"], _env(src))
        first = self.server.first  # type: ignore[attr-defined]
        return (first - began if first is not None else None), wall, cpu

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def stack_import(src: str | None, runs: int) -> float:
    """Wall time of a process that imports the online stages (checker, archive client)
    and nothing else, less that of a bare interpreter: what an online run adds."""
    def timed(code: str) -> float:
        return statistics.median(_timed([sys.executable, "-c", code], _env(src))[0] for _ in range(runs))

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


def _compile(src: str | None) -> None:
    paths = str(ROOT / "src") if src in (None, NO_COMPILE_CACHE) else src
    for path in (paths or "").split(os.pathsep):
        compileall.compile_dir(path, quiet=1)


def _med(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--src", help="src/ of another tree, measured as 'before'")
    args = parser.parse_args()
    trees = [("this tree", None), ("this tree, compile cache off", NO_COMPILE_CACHE)]
    trees += [("before", args.src)] if args.src else []
    for _, src in trees:
        _compile(src)
        offline_once(src)  # warm the file cache
    off: dict[str, list[tuple[float, float]]] = {label: [] for label, _ in trees}
    bare: list[tuple[float, float]] = []
    onl: dict[str, list[tuple[float | None, float, float]]] = {label: [] for label, _ in trees}
    with tempfile.TemporaryDirectory() as tmp:
        online = Online(Path(tmp))
        try:
            for _ in range(args.runs):  # the trees alternate: both see the same load
                bare.append(_timed([sys.executable, "-c", "pass"], _env(None)))
                for label, src in trees:
                    off[label].append(offline_once(src))
                    onl[label].append(online.once(src))
        finally:
            online.close()
    print(f"load average at the end: {os.getloadavg()[0]:.2f}; median of {args.runs} runs each, trees alternating")
    print(f"bare interpreter (python -c pass): wall {_med([w for w, _ in bare]):.3f} s, "
          f"CPU {_med([c for _, c in bare]):.3f} s")
    for label, src in trees:
        o, n = off[label], onl[label]
        firsts = [f for f, _, _ in n if f is not None]
        print(f"{label}: offline json wall {_med([w for w, _ in o]):.3f} s, CPU {_med([c for _, c in o]):.3f} s; "
              f"online first request {_med(firsts):.3f} s, whole run wall {_med([w for _, w, _ in n]):.3f} s, "
              f"CPU {_med([c for _, _, c in n]):.3f} s; importing the online stages {stack_import(src, 5):.3f} s")
        for name, ms in heaviest(src, [str(DEMO), "--offline", "--format", "json", "-q"]):
            print(f"    offline import {name:40s} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
