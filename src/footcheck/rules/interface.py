"""The contract every rule follows: a stable code, a short name, a default severity and
an explanation a user can read with ``footcheck rules CODE``.

Codes are grouped by what they look at:

* ``FC1xx`` footnotes and their markers
* ``FC2xx`` URLs as printed
* ``FC3xx`` dates
* ``FC4xx`` bracketed citations and the reference list
* ``FC5xx`` link checking results
* ``FC6xx`` web archive lookups

A code, once published, keeps its meaning: reports and CI configurations refer to it.

Each static rule is run as a unit from the registry: a module declares its rules with
:func:`rule` and the functions that find them with ``@implements(RULE, ...)``; the
runner calls only the units whose rules are selected. A module that declares rules and
one plain ``check(doc, ctx)`` function (and no ``@implements``) is one unit for all of
its rules.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict, TypeVar

from footcheck.model import Finding, Severity

if TYPE_CHECKING:
    from footcheck.model import Document
    from footcheck.rules.context import RuleContext

CheckFn = Callable[["Document", "RuleContext"], Iterable[Finding]]
F = TypeVar("F", bound=CheckFn)


class Where(TypedDict, total=False):
    """Where a finding points, for ``rule.finding(message, **where)``."""

    line: int | None
    footnote: int | None
    url: str | None


@dataclass(frozen=True, slots=True)
class RuleInfo:
    """A rule's code, name, default severity and the texts ``footcheck rules`` shows."""

    code: str
    name: str  # kebab-case, e.g. "marker-without-body"
    severity: Severity
    summary: str  # one line
    explanation: str  # one paragraph: what it means and why it matters
    example: str = ""  # a short invented example of text that triggers it
    fix: str = ""  # what the editor should do

    def finding(
        self,
        message: str,
        *,
        line: int | None = None,
        footnote: int | None = None,
        url: str | None = None,
        suggestion: str | None = None,
        severity: Severity | None = None,
    ) -> Finding:
        return Finding(
            code=self.code,
            severity=severity or self.severity,
            message=message,
            line=line,
            footnote=footnote,
            url=url,
            suggestion=suggestion,
        )


@dataclass(frozen=True, slots=True)
class RuleUnit:
    """A function that finds the findings of ``codes`` in a document (a static rule)."""

    codes: tuple[str, ...]
    run: CheckFn
    module: str


REGISTRY: dict[str, RuleInfo] = {}
UNITS: list[RuleUnit] = []
MODULE_OF: dict[str, str] = {}  # rule code -> the module that declared it


def rule(
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    explanation: str,
    example: str = "",
    fix: str = "",
) -> RuleInfo:
    """Declare a rule; the module-level constant it returns is what checks call."""
    if code in REGISTRY:
        raise ValueError(f"rule code {code} declared twice")
    info = RuleInfo(code, name, severity, summary, " ".join(explanation.split()), example, fix)
    REGISTRY[code] = info
    MODULE_OF[code] = sys._getframe(1).f_globals.get("__name__", "")
    return info


def implements(*rules: RuleInfo) -> Callable[[F], F]:
    """Register the decorated ``fn(doc, ctx) -> findings`` as the unit that finds ``rules``."""
    if not rules:
        raise ValueError("@implements needs at least one rule")

    def register(fn: F) -> F:
        UNITS.append(RuleUnit(tuple(r.code for r in rules), fn, fn.__module__))
        return fn

    return register


def static_units() -> list[RuleUnit]:
    """Every static rule unit, in code order (imports the modules that declare them).

    A rule module without ``@implements`` units but with a ``check(doc, ctx)`` function
    becomes one unit for the rules it declared."""
    import footcheck.rules.catalog as catalog

    if _SORTED and _SORTED[0][0] == len(UNITS):
        return _SORTED[0][1]
    units = list(UNITS)
    with_units = {u.module for u in units}
    for module in catalog.modules():
        check = getattr(module, "check", None)
        if module.__name__ in with_units or not callable(check):
            continue
        codes = tuple(sorted(c for c, m in MODULE_OF.items() if m == module.__name__))
        if codes:
            units.append(RuleUnit(codes, check, module.__name__))
    ordered = sorted(units, key=lambda u: min(u.codes))
    _SORTED[:] = [(len(UNITS), ordered)]
    return ordered


_SORTED: list[tuple[int, list[RuleUnit]]] = []  # [(len(UNITS) when computed, the sorted units)]


def all_rules() -> list[RuleInfo]:
    """Every declared rule, sorted by code (imports the modules that declare them)."""
    import footcheck.rules.catalog  # noqa: F401  (declares the rules as a side effect)

    return sorted(REGISTRY.values(), key=lambda r: r.code)
