"""The native samples in samples/ read as their README says."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from footcheck.load import load_path
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext

SAMPLES = Path(__file__).resolve().parents[2] / "samples"


@pytest.mark.parametrize(("name", "fmt", "notes", "codes"), [
    ("practice_report.docx", "docx", 5, {"FC004", "FC202", "FC201"}),
    ("river_notes.md", "markdown", 4, {"FC101", "FC202"}),
    ("court_report.html", "html", 4, {"FC004", "FC201", "FC202", "FC203"}),
    ("thesis/thesis.tex", "latex", 5, {"FC005", "FC006", "FC201"}),
])
def test_native_sample(name: str, fmt: str, notes: int, codes: set[str]) -> None:
    loaded = load_path(SAMPLES / name)
    audit = audit_static(loaded, RuleContext(today=dt.date(2026, 6, 1)))
    assert audit.document.format == fmt
    assert len(audit.document.footnotes) == notes
    assert codes <= {f.code for f in audit.findings}
    assert all(f.code not in ("FC102", "FC103") for f in audit.findings)
