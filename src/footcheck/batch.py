"""Many papers in one run: audited one at a time, reported as they finish, summed up at
the end in a closing table (the worst papers first).

Offline, each paper is loaded, audited, handed to ``emit`` and dropped, so memory does
not grow with the number of papers (the closing table keeps the totals and the few
worst rows). Online, the static audits (without their text) are kept until every
unique URL has been checked once, with one cache and one politeness budget for all
papers; then each paper is finished and emitted.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from footcheck.model import Audit, LinkStatus, Severity

WORST_SHOWN = 10


@dataclass
class ClosingTable:
    """Totals across papers and the worst papers (errors, then warnings)."""

    papers: int = 0
    failed: int = 0  # papers that could not be read
    footnotes: int = 0
    links: Counter[str] = field(default_factory=Counter)
    severities: Counter[str] = field(default_factory=Counter)
    _worst: list[tuple[int, int, int, str, int, int]] = field(default_factory=list)
    _order: int = 0

    def add(self, audit: Audit) -> None:
        self.papers += 1
        self.footnotes += len(audit.document.footnotes)
        for link in audit.links:
            result = audit.results.get(link.url) if audit.results else None
            self.links[(result.status if result else LinkStatus.SKIPPED).value] += 1
        mine = Counter(Severity(f.severity).value for f in audit.findings)
        self.severities.update(mine)
        self._order += 1
        # a min-heap of the worst rows: the least bad is dropped first
        row = (mine["error"], mine["warning"], -self._order, audit.document.path,
               len(audit.document.footnotes), len(audit.links))
        if len(self._worst) < WORST_SHOWN:
            heapq.heappush(self._worst, row)
        else:
            heapq.heappushpop(self._worst, row)

    def worst(self) -> list[tuple[int, int, int, str, int, int]]:
        return sorted(self._worst, reverse=True)

    def render(self, out: TextIO) -> None:
        from footcheck.report._text import clean_line

        links = sum(self.links.values())
        by_status = ", ".join(f"{s} {n}" for s, n in sorted(self.links.items(), key=lambda x: -x[1]))
        out.write(f"footcheck: {self.papers} paper(s)" + (f" ({self.failed} unreadable)" if self.failed else "")
                  + f", {self.footnotes} footnote(s), {links} link(s)" + (f" ({by_status})" if by_status else "")
                  + f", {self.severities['error']} error(s), {self.severities['warning']} warning(s),"
                  f" {self.severities['info']} info\n")
        rows = [r for r in self.worst() if r[0] or r[1]]
        if not rows:
            return
        out.write(f"{'errors':>7} {'warnings':>8} {'footnotes':>9} {'links':>6}  worst papers\n")
        for errors, warnings, _o, path, notes, nlinks in rows:
            out.write(f"{errors:>7} {warnings:>8} {notes:>9} {nlinks:>6}  {clean_line(path)}\n")


@dataclass
class BatchResult:
    """What a batch run ends with: the closing table, the worst severity reported, and the notes."""

    table: ClosingTable
    worst_rank: int = -1  # the highest severity rank reported (-1: none)
    interrupted: bool = False
    notes: list[str] = field(default_factory=list)


def run_batch(
    paths: Iterable[Path],
    options: Any,  # pipeline.RunOptions
    emit: Callable[[Audit], None],
    *,
    load: Callable[[Path], Any],
    on_error: Callable[[str], None],
    transform: Callable[[list[Audit]], list[Audit]] | None = None,
) -> BatchResult:
    """Audit every path, calling ``emit`` once per paper in order; unreadable papers go to
    ``on_error`` (one line each). ``transform`` (a baseline) is applied per paper."""
    from footcheck.load import LoadError
    from footcheck.pipeline import audit_static, finish_audits

    table = ClosingTable()
    result = BatchResult(table)
    kept: list[Audit] = []

    def done(audit: Audit) -> None:
        if transform is not None:
            audit = transform([audit])[0]
        table.add(audit)
        for f in audit.findings:
            result.worst_rank = max(result.worst_rank, Severity(f.severity).rank)
        emit(audit)

    for path in paths:
        try:
            loaded = load(path)
        except LoadError as exc:
            table.failed += 1
            on_error(str(exc))
            continue
        audit = audit_static(loaded, options.context)
        del loaded
        if options.offline:
            done(audit)
        else:
            kept.append(audit)
    if kept:
        outcome = finish_audits(kept, options)
        result.interrupted, result.notes = outcome.interrupted, outcome.notes
        for audit in outcome.audits:
            done(audit)
    return result
