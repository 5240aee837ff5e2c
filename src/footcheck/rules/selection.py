"""Which rules run and at what severity: ruff-style selectors.

A selector is ``ALL``, a code (``FC201``), a code prefix (``FC2``, ``FC20``) or a rule
name (``tracking-parameters``). For each rule the most specific matching selector of
``select`` and of ``ignore`` is found; the rule runs when the ``select`` match is more
specific than the ``ignore`` match (a tie goes to ``ignore``, as in ruff). Severity
overrides (``FC201=error``, ``FC2=info``) are resolved the same way: the most specific
selector wins.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from footcheck.model import Finding, Severity

_PREFIX = re.compile(r"FC\d{0,3}")
_FULL = 100  # a name or a whole code: as specific as a selector gets


class SelectorError(ValueError):
    """A selector that names no rule, or a severity that is not one."""


@dataclass(frozen=True, slots=True)
class Selection:
    """The resolved choice: the codes that run and the severities that replace defaults.

    ``enabled`` is None when every rule runs (the default, and the fast path)."""

    enabled: frozenset[str] | None = None
    severity: Mapping[str, Severity] | None = None

    def wants(self, code: str) -> bool:
        return self.enabled is None or code in self.enabled

    def wants_any(self, codes: Iterable[str]) -> bool:
        return self.enabled is None or any(c in self.enabled for c in codes)

    def apply(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings of enabled rules, with their severities overridden."""
        out: list[Finding] = []
        for f in findings:
            if not self.wants(f.code):
                continue
            level = self.severity.get(f.code) if self.severity else None
            out.append(f if level is None or level is f.severity else replace(f, severity=level))
        return out

    @property
    def is_default(self) -> bool:
        return self.enabled is None and not self.severity


ALL_RULES = Selection()


def split_selectors(values: Iterable[str]) -> list[str]:
    """``["FC1,FC2", "FC301"]`` -> ``["FC1", "FC2", "FC301"]`` (comma lists, as in ruff)."""
    return [part.strip() for v in values for part in v.split(",") if part.strip()]


def specificity(selector: str, code: str, name: str) -> int | None:
    """How specifically ``selector`` names the rule ``code``/``name``; None if it does not."""
    s = selector.strip()
    if s.upper() == "ALL":
        return 0
    if s.lower() == name or s.upper() == code:
        return _FULL
    up = s.upper()
    if _PREFIX.fullmatch(up) and code.startswith(up):
        return len(up)
    return None


def _best(selectors: Sequence[str], code: str, name: str) -> int | None:
    scores = [s for s in (specificity(x, code, name) for x in selectors) if s is not None]
    return max(scores) if scores else None


def check_selectors(selectors: Iterable[str], rules: Mapping[str, str], what: str) -> None:
    """Raise :class:`SelectorError` for a selector that matches no rule (``rules``: code -> name)."""
    for s in selectors:
        if not any(specificity(s, code, name) is not None for code, name in rules.items()):
            raise SelectorError(f"{what}: {s!r} is not a rule code, prefix or name"
                                " (`footcheck rules` lists them)")


def parse_severity(value: str, what: str = "--severity") -> tuple[str, Severity]:
    """``"FC201=error"`` -> ``("FC201", Severity.ERROR)``."""
    selector, eq, level = value.partition("=")
    if not eq or not selector.strip():
        raise SelectorError(f"{what}: expected SELECTOR=LEVEL (FC201=error), got {value!r}")
    try:
        return selector.strip(), Severity(level.strip().lower())
    except ValueError:
        raise SelectorError(f"{what}: {level.strip()!r} is not a severity (error, warning, info)") from None


def resolve(
    rules: Mapping[str, str],
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    severity: Mapping[str, Severity] | None = None,
) -> Selection:
    """Turn selectors into a :class:`Selection` over ``rules`` (code -> name).

    ``select`` None means ``ALL``. Raises :class:`SelectorError` for a selector naming no rule."""
    select_list = list(select) if select is not None else ["ALL"]
    check_selectors(select_list, rules, "select")
    check_selectors(ignore, rules, "ignore")
    check_selectors(list(severity or {}), rules, "severity")
    enabled: set[str] = set()
    for code, name in rules.items():
        chosen = _best(select_list, code, name)
        dropped = _best(ignore, code, name)
        if chosen is not None and (dropped is None or chosen > dropped):
            enabled.add(code)
    levels: dict[str, Severity] = {}
    if severity:
        for code, name in rules.items():
            best: tuple[int, Severity] | None = None
            for sel, level in severity.items():
                score = specificity(sel, code, name)
                if score is not None and (best is None or score >= best[0]):
                    best = (score, level)
            if best is not None:
                levels[code] = best[1]
    return Selection(
        enabled=None if len(enabled) == len(rules) else frozenset(enabled),
        severity=levels or None,
    )


def resolve_registered(
    *,
    select: Sequence[str] | None = None,
    ignore: Sequence[str] = (),
    severity: Mapping[str, Severity] | None = None,
) -> Selection:
    """:func:`resolve` over every declared rule."""
    from footcheck.rules.interface import all_rules

    return resolve({r.code: r.name for r in all_rules()}, select=select, ignore=ignore,
                   severity=severity)

