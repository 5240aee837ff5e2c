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
"""

from __future__ import annotations

from dataclasses import dataclass

from footcheck.model import Finding, Severity


@dataclass(frozen=True, slots=True)
class RuleInfo:
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


REGISTRY: dict[str, RuleInfo] = {}


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
    return info


def all_rules() -> list[RuleInfo]:
    """Every declared rule, sorted by code (imports the modules that declare them)."""
    import footcheck.rules.catalog  # noqa: F401  (declares the rules as a side effect)

    return sorted(REGISTRY.values(), key=lambda r: r.code)
