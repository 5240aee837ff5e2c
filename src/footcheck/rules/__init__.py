"""Stage 3: model -> findings. Pure functions over the document model.

Static rules (:func:`run_static_rules`) need only the document; each is a unit in the
registry (:mod:`footcheck.rules.interface`), run only when the context's selection
wants one of its rules. The link rules (:mod:`footcheck.rules.links`,
:mod:`footcheck.rules.archive`) also read link results; :func:`select_findings` applies
the same selection to them.
"""

from __future__ import annotations

from collections.abc import Iterable

from footcheck.model import Document, Finding
from footcheck.rules.context import RuleContext

__all__ = ["RuleContext", "run_static_rules", "select_findings", "sort_findings"]


def run_static_rules(doc: Document, ctx: RuleContext) -> list[Finding]:
    from footcheck.rules.interface import static_units

    selection = ctx.selection
    findings: list[Finding] = []
    for unit in static_units():
        if selection is None or selection.wants_any(unit.codes):
            findings += unit.run(doc, ctx)
    return sort_findings(select_findings(findings, ctx))


def select_findings(findings: Iterable[Finding], ctx: RuleContext) -> list[Finding]:
    """The findings of the rules the context selects, with severities overridden."""
    if ctx.selection is None or ctx.selection.is_default:
        return list(findings)
    return ctx.selection.apply(findings)


def sort_findings(findings: list[Finding]) -> list[Finding]:
    return sorted(findings, key=lambda f: (f.line or 0, f.code, f.message))
