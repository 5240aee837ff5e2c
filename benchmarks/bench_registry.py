"""The registry stage against a local fake Crossref/doi.org: time, calls and pace.

    python benchmarks/bench_registry.py [DOIS] [LIMIT_PER_SECOND] [DELAY_MS]

A generated reference list of DOIS entries, each with a registered DOI, checked against the
fake service of the test suite answering after DELAY_MS and stating LIMIT requests per
second in its headers. Prints the wall time, the requests per service, the most requests
in any one second (must not exceed LIMIT) and the calls of a second run on the same cache.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "registry"))

from fake_registry import FakeRegistry, work

from footcheck._cache import Cache
from footcheck.parse import parse_document
from footcheck.registry.interface import RegistryOptions
from footcheck.registry.verify import verify_documents


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    limit = int(sys.argv[2]) if len(sys.argv) > 2 else 50
    delay = float(sys.argv[3]) / 1000 if len(sys.argv) > 3 else 0.05
    lines = []
    with FakeRegistry(rate_limit=(limit, "1s"), delay=delay) as fake:
        for i in range(n):
            fake.add(work(f"10.12345/bench.{i}", f"Invented title of work number {i}", 1990 + i % 30, "Petrov"))
            lines.append(f"{i + 1}. Петров П. Invented title of work number {i}. М., {1990 + i % 30}. "
                         f"DOI: 10.12345/bench.{i}")
        doc = parse_document("Список литературы\n\n" + "\n".join(lines) + "\n")
        options = RegistryOptions(crossref_url=fake.crossref_url, doi_url=fake.doi_url, suggest=False)
        with tempfile.TemporaryDirectory() as tmp:
            cache = Cache(Path(tmp))
            t0 = time.perf_counter()
            [result] = verify_documents([doc], options, cache=cache)
            first = time.perf_counter() - t0
            calls = {s: fake.count(s) for s in ("handle", "work", "updates")}
            peak = fake.peak(1.0)
            before = fake.count()
            t0 = time.perf_counter()
            verify_documents([doc], options, cache=cache)
            second = time.perf_counter() - t0
            cache.close()
        matched = sum(1 for r in result.references.values() if r.status.value == "match")
        bound = (sum(calls.values()) - 1) / limit
        print(f"{n} DOIs, limit {limit}/s, answers after {delay * 1000:.0f} ms")
        print(f"first run: {first:.2f} s (bound from the limit alone {bound:.2f} s), {matched} matched, "
              f"calls {calls}, peak {peak} requests in one second")
        print(f"second run: {second:.2f} s, {fake.count() - before} calls")


if __name__ == "__main__":
    main()
