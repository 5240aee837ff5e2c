"""Validate the registry matching thresholds on labelled, invented entry/record pairs.

    python benchmarks/bench_registry_match.py [N]

For every invented work (tests/registry/labelled.py) one positive candidate (its record as
a registry would hold it) and six hard negatives. Prints, for a grid of title thresholds,
the precision and recall of *suggestions* (an entry without a DOI), and the confusion of
the *DOI verdict* (an entry with a DOI: is the record the cited work?).
"""

from __future__ import annotations

import collections
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "registry"))

import footcheck.registry.match as m  # noqa: E402
from labelled import cases, score  # noqa: E402


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 400
    t0 = time.perf_counter()
    cs = cases(n)
    print(f"{len(cs)} labelled pairs from {n} works: {dict(collections.Counter(c.kind for c in cs))}")
    print("\nsuggestions (title, year and first author must agree):")
    print("| title threshold | precision | recall | F1 | false positives |")
    print("|---:|---:|---:|---:|---|")
    chosen = m.SUGGEST_TITLE
    for t in (0.80, 0.85, 0.88, 0.90, 0.92, 0.94, 0.96, 0.98):
        m.SUGGEST_TITLE = t
        sel = [(c, m.acceptable(m.compare(c.record, c.entry), m.strict_title_agreement(c.record, c.entry)))
               for c in cs]
        p, r, _tp, fp, _pos = score(sel)
        kinds = dict(collections.Counter(c.kind for c, ok in sel if ok and not c.same))
        mark = " (chosen)" if abs(t - chosen) < 1e-9 else ""
        print(f"| {t:.2f}{mark} | {p:.4f} | {r:.4f} | {2 * p * r / (p + r):.4f} | {fp} {kinds or ''} |")
    m.SUGGEST_TITLE = chosen
    print("\nDOI verdicts (the entry carries the DOI of the record):")
    table: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for c in cs:
        table[c.kind][m.compare(c.record, c.entry).verdict()] += 1
    print("| pair | match | partial | other | unknown |")
    print("|---|---:|---:|---:|---:|")
    for kind, counter in table.items():
        print(f"| {kind} | {counter['match']} | {counter['partial']} | {counter['other']} | {counter['unknown']} |")
    print(f"\n{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
