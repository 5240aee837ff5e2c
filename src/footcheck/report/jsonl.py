"""JSON Lines: one line per paper, written as soon as the paper is audited, then a summary line.

Each paper's line is the JSON report's ``documents[]`` object with ``"type": "document"``
first; the last line is ``{"type": "summary", ...}`` with the totals of the JSON report's
``summary``. A run over thousands of papers streams them (memory stays flat).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, TextIO

from footcheck.model import Audit, Severity
from footcheck.report.json import SCHEMA_VERSION, TOOL, document_dict


def document_line(audit: Audit) -> str:
    return json.dumps({"type": "document", **document_dict(audit)}, ensure_ascii=False) + "\n"


class Totals:
    """The JSON ``summary`` counts, kept as papers go by."""

    def __init__(self) -> None:
        self.counts = {"documents": 0, "footnotes": 0, "citations": 0, "links": 0, "errors": 0,
                       "warnings": 0, "info": 0}

    def add(self, audit: Audit) -> None:
        c = self.counts
        c["documents"] += 1
        c["footnotes"] += len(audit.document.footnotes)
        c["citations"] += len(audit.document.citations)
        c["links"] += len(audit.links)
        key = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.INFO: "info"}
        for f in audit.findings:
            c[key[Severity(f.severity)]] += 1

    def line(self, version: str) -> str:
        data: dict[str, Any] = {"type": "summary", "tool": TOOL, "version": version,
                                "schema_version": SCHEMA_VERSION, **self.counts}
        return json.dumps(data, ensure_ascii=False) + "\n"


class JsonlReporter:
    name = "jsonl"

    def render(self, audits: Sequence[Audit], out: TextIO, *, version: str, color: bool | None = None,
               width: int | None = None) -> None:
        totals = Totals()
        for audit in audits:
            out.write(document_line(audit))
            totals.add(audit)
        out.write(totals.line(version))
