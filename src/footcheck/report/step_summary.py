"""GitHub Actions: the Markdown job summary (``$GITHUB_STEP_SUMMARY``) and paths relative to
the workspace, for ``--format github``.

GitHub shows at most 10 annotations of each kind (error, warning, notice) per step; the
summary says when a run produced more, so nobody takes the annotations for the whole list.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from pathlib import Path

from footcheck.model import Audit, Severity
from footcheck.report._text import clean

ANNOTATION_LIMIT = 10  # per kind and step
KINDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def workspace_path(path: str, env: Mapping[str, str] | None = None) -> str:
    """``path`` relative to ``$GITHUB_WORKSPACE`` when it lies inside it (as GitHub needs for
    annotations on the changed files), else unchanged."""
    env = os.environ if env is None else env
    workspace = env.get("GITHUB_WORKSPACE")
    if not workspace or path in {"-", "<stdin>"}:
        return path
    try:
        return Path(path).resolve().relative_to(Path(workspace).resolve()).as_posix()
    except (ValueError, OSError):
        return path


def _cell(text: str) -> str:
    return clean(text).replace("|", "\\|").replace("`", "'")


def summary_markdown(audits: Sequence[Audit], version: str, env: Mapping[str, str] | None = None) -> str:
    counts = {s: 0 for s in KINDS}
    rows = []
    for a in audits:
        mine = {s: sum(1 for f in a.findings if f.severity is s) for s in KINDS}
        for s, n in mine.items():
            counts[s] += n
        rows.append((mine[Severity.ERROR], mine[Severity.WARNING], a, mine))
    rows.sort(key=lambda r: (-r[0], -r[1], r[2].document.path))
    lines = [f"## footcheck {version}", "",
             f"{len(audits)} paper(s): {counts[Severity.ERROR]} error(s), {counts[Severity.WARNING]}"
             f" warning(s), {counts[Severity.INFO]} info.", ""]
    over = [f"{n} {KINDS[s]}s" for s, n in counts.items() if n > ANNOTATION_LIMIT]
    if over:
        lines += [f"> **Note:** GitHub shows only the first {ANNOTATION_LIMIT} annotations of each kind per"
                  f" step; this run produced {', '.join(over)}. The full list is in the log above"
                  " (or run with `--format markdown` or `json`).", ""]
    lines += ["| paper | footnotes | links | errors | warnings | info |", "|---|---:|---:|---:|---:|---:|"]
    for _e, _w, a, mine in rows:
        lines.append(f"| `{_cell(workspace_path(a.document.path, env))}` | {len(a.document.footnotes)} |"
                     f" {len(a.links)} | {mine[Severity.ERROR]} | {mine[Severity.WARNING]} |"
                     f" {mine[Severity.INFO]} |")
    return "\n".join(lines) + "\n"


def write_step_summary(audits: Sequence[Audit], version: str, env: Mapping[str, str] | None = None) -> str | None:
    """Append the summary to ``$GITHUB_STEP_SUMMARY`` if set; an error message if it fails."""
    env = os.environ if env is None else env
    target = env.get("GITHUB_STEP_SUMMARY")
    if not target:
        return None
    try:
        with open(target, "a", encoding="utf-8") as out:
            out.write(summary_markdown(audits, version, env))
    except OSError as exc:
        return f"cannot write the step summary {target}: {exc.strerror or exc}"
    return None
