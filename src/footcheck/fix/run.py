"""One paper through the fix stage: plan, then show the diff, write a copy or fix in place."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from footcheck.fix.interface import DEFAULT_ARCHIVE_TEMPLATE, DEFAULT_DATE_TEMPLATE, Edit, FixKind, FixPlan
from footcheck.fix.plan import plan_fixes
from footcheck.fix.write import (
    FixError,
    Source,
    fixed_text,
    read_binary,
    read_source,
    unified_diff,
    write_copy,
    write_in_place,
)
from footcheck.model import Audit

# Formats whose source is text that the plan's offsets address directly.
TEXT_FORMATS = frozenset({"text", "markdown", "latex", "html"})


class Mode(str, Enum):
    DIFF = "diff"  # show what would change; write nothing
    COPY = "copy"  # write PAPER.fixed.EXT beside the paper
    IN_PLACE = "in-place"  # back up to PAPER.bak, then replace the paper


@dataclass(frozen=True, slots=True)
class FixOutcome:
    """What ``footcheck fix`` did with one paper."""

    plan: FixPlan
    output: str  # the diff or the plan listing, for stdout
    written: Path | None = None  # the copy, or the backup of a paper fixed in place
    read_only: str | None = None  # why the paper itself cannot be fixed (PDF, DOCX for now)


def fix_audit(
    audit: Audit,
    fmt: str,
    encoding: str,
    kinds: Iterable[FixKind],
    mode: Mode,
    *,
    color: bool = False,
    archive_template: str = DEFAULT_ARCHIVE_TEMPLATE,
    date_template: str = DEFAULT_DATE_TEMPLATE,
) -> FixOutcome:
    """Raises :class:`~footcheck.fix.write.FixError` when nothing could be written."""
    path = Path(audit.document.path)
    if fmt == "docx":
        return _fix_docx(path, audit, kinds, mode, color=color, archive_template=archive_template)
    if fmt not in TEXT_FORMATS:
        why = ("a PDF is read-only: apply these fixes in the paper's source (DOCX, LaTeX, ...)"
               if fmt == "pdf" else f"fixing {fmt.upper()} files is not supported yet: apply these fixes by hand")
        # the plan still comes from the parsed text: show the URL-level changes
        plan = plan_fixes(_urls_only_source(audit), audit, kinds, fmt="text")
        return FixOutcome(plan, listing(plan), read_only=why)
    source = read_source(path, encoding)
    plan = plan_fixes(source.text, audit, kinds, fmt=fmt, archive_template=archive_template,
                      date_template=date_template)
    new_text = fixed_text(source, plan)
    if mode is Mode.DIFF or not plan.edits:
        return FixOutcome(plan, unified_diff(source, new_text, color=color))
    written = write_copy(source, new_text) if mode is Mode.COPY else write_in_place(source, new_text)
    return FixOutcome(plan, unified_diff(source, new_text, color=color), written=written)


def _fix_docx(path: Path, audit: Audit, kinds: Iterable[FixKind], mode: Mode, *, color: bool,
              archive_template: str) -> FixOutcome:
    from footcheck.fix.docx import DocxFixError, fix_docx

    source = read_binary(path)
    try:
        done = fix_docx(source.data, audit, kinds, archive_template=archive_template)
    except DocxFixError as exc:
        raise FixError(f"{path}: {exc}") from None
    edits = tuple(Edit(0, 0, c.new, c.kind, 0, None, c.url, f"{c.where} in {c.part}: {c.url} -> {c.new}")
                  for c in done.changes)
    plan = FixPlan(path=str(path), edits=edits)
    shown = Source(path, "\n".join(done.before) + ("\n" if done.before else ""), "utf-8", "", b"")
    diff = unified_diff(shown, "\n".join(done.after) + ("\n" if done.after else ""), color=color)
    if mode is Mode.DIFF or not edits:
        return FixOutcome(plan, diff)
    written = write_copy(source, done.data) if mode is Mode.COPY else write_in_place(source, done.data)
    return FixOutcome(plan, diff, written=written)


def _urls_only_source(audit: Audit) -> str:
    """A stand-in source for read-only formats: each footnote's text on its own line, so
    the planner can still say what it would change."""
    return "\n".join(fn.text for fn in audit.document.footnotes)


def listing(plan: FixPlan) -> str:
    lines = []
    for e in plan.edits:
        where = f"footnote {e.footnote}" if e.footnote is not None else "reference list"
        lines.append(f"{plan.path}: {where}: {e.kind.value}: {e.reason}" + (f"  ({e.url})" if e.url else ""))
    return "\n".join(lines) + ("\n" if lines else "")


def plan_json(plans: Iterable[FixPlan]) -> str:
    return json.dumps({"plans": [{
        "path": p.path,
        "fixes": [{"kind": e.kind.value, "line": e.line, "footnote": e.footnote, "url": e.url,
                   "start": e.start, "end": e.end, "new": e.new, "reason": e.reason} for e in p.edits],
        "skipped": list(p.skipped)} for p in plans]}, ensure_ascii=False, indent=2) + "\n"
