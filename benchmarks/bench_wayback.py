"""Wayback lookups for 200 dead links: footcheck's paced CDX plan against the naive plan.

A fake Wayback service on 127.0.0.1 (``tests/archive/fake_wayback.py``) answers every
request after ``--delay`` seconds (200 ms by default). Each dead link has captures
around its access date. Scenarios:

* ``default``: ``find_captures`` with ``ArchiveOptions()`` defaults (4 at once, 24 CDX
  requests a minute): wall time, calls, the highest rate the service saw (requests in
  any 60 s window; archive.org's CDX limit is about 30), then the same run again on the
  warm cache. At the default pace 200 lookups take about 8 minutes, by design.
* ``one paper``: the default pace for ``--paper-links`` dead links (a typical paper),
  where the burst allowance matters more than the pace.
* ``fast``: the same with ``--fast-rate`` requests a minute, to show what the engine
  does when the pace is not the limit (a mirror you run yourself, ``--wayback-url``).
* ``naive``: one availability-API call per link, 4 at once, no pacing (what a
  straightforward async client would do).
* ``waybackpy``: waybackpy 3.0.6's availability class, one link after another, timed
  on ``--waybackpy-sample`` links and extrapolated to all of them.

Usage::

    .venv/bin/python benchmarks/bench_wayback.py                 # everything, ~9 min
    .venv/bin/python benchmarks/bench_wayback.py --skip-default  # ~1 min
    .venv/bin/python benchmarks/bench_wayback.py --links 50 --rate 120
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "archive"))
sys.path.insert(0, str(ROOT / "src"))

from fake_wayback import FakeWayback  # noqa: E402

from footcheck._cache import Cache  # noqa: E402
from footcheck.archive.interface import ArchiveOptions, find_captures  # noqa: E402
from footcheck.model import Link, LinkResult, LinkStatus  # noqa: E402

CDX_LIMIT_PER_MINUTE = 30  # what Internet Archive staff gave as the hard limit


@dataclass
class Row:
    scenario: str
    links: int
    wall: float
    calls: int
    peak_60s: int
    peak_10s: int
    found: int
    note: str = ""

    def markdown(self) -> str:
        return (
            f"| {self.scenario} | {self.links} | {self.wall:.1f} s | {self.calls} | "
            f"{self.peak_60s} | {self.peak_10s * 6} | {self.found}/{self.links} | {self.note} |"
        )


def corpus(n: int) -> tuple[list[Link], dict[str, LinkResult], FakeWayback]:
    """``n`` dead links with access dates spread over 2019-2023 and captures around each."""
    service = FakeWayback()
    links: list[Link] = []
    results: dict[str, LinkResult] = {}
    start = dt.date(2019, 1, 7)
    for i in range(n):
        url = f"http://site{i % 37}.example.ru/doc/{i}"
        access = start + dt.timedelta(days=(i * 9) % 1800)
        captures = [access + dt.timedelta(days=d) for d in (-400, -35, -3, 6, 90)]
        service.add(url, *(f"{day:%Y%m%d}101500" for day in captures))
        links.append(Link(url=url, footnotes=(i + 1,), line=i + 1, access_date=access))
        results[url] = LinkResult(url=url, status=LinkStatus.BROKEN, http_status=404)
    return links, results, service


def ours(args: argparse.Namespace, name: str, rate: float, n: int | None = None) -> list[Row]:
    links, results, service = corpus(args.links if n is None else n)
    service.delay = args.delay
    rows = []
    with service, tempfile.TemporaryDirectory() as tmp:
        options = ArchiveOptions(base_url=service.base_url, rate_per_minute=rate, concurrency=args.concurrency)
        cache = Cache(Path(tmp))
        for label in (name, f"{name}, warm cache"):
            service.reset_calls()
            began = time.perf_counter()
            outcome = find_captures(links, results, options, cache=cache)
            wall = time.perf_counter() - began
            found = sum(c is not None for c in outcome.captures.values())
            right = sum(c is not None and c.days_from_access == -3 for c in outcome.captures.values())
            rows.append(
                Row(
                    label,
                    len(links),
                    wall,
                    service.count(),
                    service.peak(60.0),
                    service.peak(10.0),
                    found,
                    f"{rate:g}/min, burst {options.burst}, {args.concurrency} at once; "
                    "nearest capture chosen "
                    f"for {right}; errors {len(outcome.errors)}",
                )
            )
        cache.close()
    return rows


def naive(args: argparse.Namespace) -> Row:
    links, _, service = corpus(args.links)
    service.delay = args.delay

    async def run() -> int:
        found = 0
        semaphore = asyncio.Semaphore(args.concurrency)
        async with httpx.AsyncClient(timeout=30) as client:

            async def one(link: Link) -> None:
                nonlocal found
                async with semaphore:
                    stamp = f"{link.access_date:%Y%m%d}"
                    response = await client.get(
                        f"{service.base_url}/wayback/available",
                        params={"url": link.url, "timestamp": stamp},
                    )
                    if response.json()["archived_snapshots"]:
                        found += 1

            await asyncio.gather(*(one(link) for link in links))
        return found

    with service:
        began = time.perf_counter()
        found = asyncio.run(run())
        wall = time.perf_counter() - began
        return Row(
            "naive: availability per link",
            len(links),
            wall,
            service.count(),
            service.peak(60.0),
            service.peak(10.0),
            found,
            f"{args.concurrency} at once, unpaced; no status filter, no tie rule",
        )


def waybackpy_sample(args: argparse.Namespace) -> Row:
    from waybackpy import WaybackMachineAvailabilityAPI

    links, _, service = corpus(args.links)
    service.delay = args.delay
    sample = links[: args.waybackpy_sample]
    with service:
        began = time.perf_counter()
        found = 0
        for link in sample:
            assert link.access_date is not None
            api = WaybackMachineAvailabilityAPI(link.url)
            api.endpoint = f"{service.base_url}/wayback/available"
            day = link.access_date
            api.near(year=day.year, month=day.month, day=day.day)
            found += bool(api.json and api.json.get("archived_snapshots"))
        per_link = (time.perf_counter() - began) / len(sample)
        calls = service.count()
    return Row(
        "waybackpy availability (sequential)",
        args.links,
        per_link * args.links,
        round(calls / len(sample) * args.links),
        min(args.links, round(60 / per_link)),  # sequential: one call per per_link s
        min(args.links, round(10 / per_link)),
        round(found / len(sample) * args.links),
        f"extrapolated from {len(sample)} links at {per_link:.2f} s each",
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--links", type=int, default=200)
    parser.add_argument("--delay", type=float, default=0.2, help="service answer delay, s")
    parser.add_argument("--rate", type=float, default=ArchiveOptions().rate_per_minute)
    parser.add_argument("--fast-rate", type=float, default=6000.0)
    parser.add_argument("--concurrency", type=int, default=ArchiveOptions().concurrency)
    parser.add_argument("--waybackpy-sample", type=int, default=3)
    parser.add_argument("--skip-default", action="store_true", help="skip the paced run")
    parser.add_argument("--paper-links", type=int, default=10, help="dead links of a typical paper (0: skip)")
    args = parser.parse_args()

    rows: list[Row] = []
    if not args.skip_default:
        rows += ours(args, "footcheck default", args.rate)
    if args.paper_links:
        rows += ours(args, "footcheck default, one paper", args.rate, args.paper_links)[:1]
    rows += ours(args, "footcheck fast rate", args.fast_rate)
    rows.append(naive(args))
    if args.waybackpy_sample > 0:
        rows.append(waybackpy_sample(args))

    print(f"service delay {args.delay * 1000:.0f} ms; CDX limit ~{CDX_LIMIT_PER_MINUTE}/min")
    print(
        "| scenario | links | wall | calls | max in any 60 s | max 10 s ×6 | found | notes |\n"
        "|---|---|---|---|---|---|---|---|"
    )
    for row in rows:
        print(row.markdown())


if __name__ == "__main__":
    main()
