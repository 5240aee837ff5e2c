"""Baselines: record today's findings, later report only new ones.

Inline suppressions are impossible in a PDF, so a baseline file lists the findings a
team has accepted. A finding is known when a baseline entry has the same paper, code and
message (line numbers are left out, so text added above it does not make it new); each
entry absorbs one finding, so a second copy of a known problem is still reported.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from footcheck.model import Audit, Finding

FORMAT_VERSION = 1


class BaselineError(ValueError):
    """A baseline file that cannot be read (one line)."""


def _key(path: str, f: Finding) -> tuple[str, str, str]:
    return (Path(path).name, f.code, f.message)


def baseline_data(audits: Sequence[Audit]) -> dict[str, Any]:
    entries = [
        {"path": a.document.path, "code": f.code, "message": f.message, "line": f.line}
        for a in audits for f in a.findings
    ]
    return {"tool": "footcheck", "baseline_version": FORMAT_VERSION, "findings": entries}


def write_baseline(path: Path, audits: Sequence[Audit]) -> int:
    data = baseline_data(audits)
    try:
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    except OSError as exc:
        raise BaselineError(f"cannot write the baseline {path}: {exc.strerror or exc}") from None
    return len(data["findings"])


def read_baseline(path: Path) -> Counter[tuple[str, str, str]]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {path}: {exc.strerror or exc}") from None
    except ValueError as exc:
        raise BaselineError(f"{path}: not a footcheck baseline (invalid JSON: {exc})") from None
    if not isinstance(data, dict) or data.get("baseline_version") != FORMAT_VERSION \
            or not isinstance(data.get("findings"), list):
        raise BaselineError(f"{path}: not a footcheck baseline (write one with --write-baseline)")
    known: Counter[tuple[str, str, str]] = Counter()
    for e in data["findings"]:
        if isinstance(e, dict) and all(isinstance(e.get(k), str) for k in ("path", "code", "message")):
            known[(Path(e["path"]).name, e["code"], e["message"])] += 1
    return known


def only_new(audits: Sequence[Audit], known: Counter[tuple[str, str, str]]) -> tuple[list[Audit], int]:
    """The audits without their known findings, and how many were dropped."""
    left = Counter(known)
    out: list[Audit] = []
    dropped = 0
    for a in audits:
        kept: list[Finding] = []
        for f in a.findings:
            key = _key(a.document.path, f)
            if left[key] > 0:
                left[key] -= 1
                dropped += 1
            else:
                kept.append(f)
        out.append(replace(a, findings=tuple(kept)))
    return out, dropped
