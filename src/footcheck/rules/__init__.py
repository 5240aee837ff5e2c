"""Stage 3: model -> findings. Pure functions over the document model.

Static rules (:func:`run_static_rules`) need only the document; the link rules
(:mod:`footcheck.rules.links`, :mod:`footcheck.rules.archive`) also read link results.
"""

from __future__ import annotations

from footcheck.model import Document, Finding
from footcheck.rules import citations, dates, dois, footnotes, twin, urls
from footcheck.rules.context import RuleContext

__all__ = ["RuleContext", "run_static_rules", "sort_findings"]

_STATIC = (footnotes.check, urls.check, dates.check, citations.check, dois.check, twin.check)


def run_static_rules(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for check in _STATIC:
        findings += check(doc, ctx)
    return sort_findings(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line or 0, f.code, f.message))
