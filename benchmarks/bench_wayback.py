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
# --src OTHER/src measures another tree (e.g. the code before a change) on the same service
_SRC = sys.argv[sys.argv.index("--src") + 1] if "--src" in sys.argv else str(ROOT / "src")
sys.path.insert(0, _SRC)

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
    web: int = 0  # TimeGate and memento requests
    cdx: int = 0
    peak_web: int = 0  # most requests of that endpoint in any 60 s
    peak_cdx: int = 0

    def markdown(self) -> str:
        return (
            f"| {self.scenario} | {self.links} | {self.wall:.1f} s | {self.calls} | {self.web} / {self.cdx} | "
            f"{self.peak_web} / {self.peak_cdx} | {self.peak_10s * 6} | {self.found}/{self.links} | {self.note} |"
        )


def corpus(n: int, mixed: bool = False) -> tuple[list[Link], dict[str, LinkResult], FakeWayback, dict[str, str | None]]:
    """``n`` dead links with access dates spread over 2019-2023 and captures around each,
    and the capture the rule should choose for each.

    ``mixed``: as a real paper, not every link is a clean case: every fifth was never
    archived, and every seventh has a capture that answered 404 nearest its access date
    (both need the CDX query)."""
    service = FakeWayback()
    links: list[Link] = []
    results: dict[str, LinkResult] = {}
    expected: dict[str, str | None] = {}
    start = dt.date(2019, 1, 7)
    for i in range(n):
        url = f"http://site{i % 37}.example.ru/doc/{i}"
        access = start + dt.timedelta(days=(i * 9) % 1800)
        expected[url] = f"{access - dt.timedelta(days=3):%Y%m%d}101500"
        if mixed and i % 5 == 4:
            expected[url] = None
        else:
            captures = [access + dt.timedelta(days=d) for d in (-400, -35, -3, 6, 90)]
            service.add(url, *(f"{day:%Y%m%d}101500" for day in captures))
            if mixed and i % 7 == 6:
                service.add(url, (f"{access:%Y%m%d}080000", "404"))
        links.append(Link(url=url, footnotes=(i + 1,), line=i + 1, access_date=access))
        results[url] = LinkResult(url=url, status=LinkStatus.BROKEN, http_status=404)
    return links, results, service, expected


def ours(
    args: argparse.Namespace, name: str, rate: float, n: int | None = None, mixed: bool = False, **extra: object
) -> list[Row]:
    links, results, service, expected = corpus(args.links if n is None else n, mixed)
    service.delay = args.delay
    rows = []
    with service, tempfile.TemporaryDirectory() as tmp:
        fields = {"base_url": service.base_url, "rate_per_minute": rate, "concurrency": args.concurrency, **extra}
        known = getattr(ArchiveOptions, "__dataclass_fields__", {})
        options = ArchiveOptions(**{k: v for k, v in fields.items() if k in known})  # type: ignore[arg-type]
        cache = Cache(Path(tmp))
        for label in (name, f"{name}, warm cache"):
            service.reset_calls()
            began = time.perf_counter()
            outcome = find_captures(links, results, options, cache=cache)
            wall = time.perf_counter() - began
            found = sum(c is not None for c in outcome.captures.values())
            right = sum(
                (c.url.rsplit("/web/", 1)[1][:14] if c is not None else None) == expected[url]
                for url, c in outcome.captures.items()
            )
            rows.append(
                Row(
                    label,
                    len(links),
                    wall,
                    service.count(),
                    service.peak(60.0),
                    service.peak(10.0),
                    found,
                    f"CDX {rate:g}/min, burst {options.burst}; {args.concurrency} at once; "
                    f"right capture for {right}/{len(links)}; errors {len(outcome.errors)}",
                    web=service.count("web"),
                    cdx=service.count("cdx"),
                    peak_web=service.peak(60.0, "web"),
                    peak_cdx=service.peak(60.0, "cdx"),
                )
            )
        cache.close()
    return rows


def naive(args: argparse.Namespace) -> Row:
    links, _, service, _ = corpus(args.links)
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

    links, _, service, _ = corpus(args.links)
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
    parser.add_argument("--papers", default="10,50", help="paper sizes measured at the default pace")
    parser.add_argument("--only-papers", action="store_true", help="only the paper-size scenarios")
    parser.add_argument("--src", help="src/ of the footcheck tree to measure (default: this one)")
    parser.add_argument("--label", default="footcheck")
    args = parser.parse_args()

    rows: list[Row] = []
    tg = "timegate" in getattr(ArchiveOptions, "__dataclass_fields__", {})
    for size in (int(n) for n in args.papers.split(",") if n):
        rows += ours(args, f"{args.label} default, {size} dead links", args.rate, size)[:1]
        rows += ours(args, f"{args.label} default, {size} dead links, mixed", args.rate, size, mixed=True)[:1]
        if tg:
            rows += ours(args, f"{args.label} CDX only, {size} dead links, mixed", args.rate, size, mixed=True,
                         timegate=False)[:1]
    if not args.only_papers:
        if not args.skip_default:
            rows += ours(args, f"{args.label} default", args.rate)
        rows += ours(args, f"{args.label} fast rate", args.fast_rate, playback_rate_per_minute=args.fast_rate)
        rows.append(naive(args))
        if args.waybackpy_sample > 0:
            rows.append(waybackpy_sample(args))

    print(f"service delay {args.delay * 1000:.0f} ms; CDX limit ~{CDX_LIMIT_PER_MINUTE}/min; code from {_SRC}")
    print(
        "| scenario | links | wall | calls | TimeGate / CDX calls | max in any 60 s, TimeGate / CDX | "
        "max 10 s ×6 | found | notes |\n"
        "|---|---|---|---|---|---|---|---|---|"
    )
    for row in rows:
        print(row.markdown())


if __name__ == "__main__":
    main()
