"""``footcheck rules [CODE]``: the rule catalogue, or one rule explained in full."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TextIO

from rich import box
from rich.console import Console, Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from footcheck.model import Severity
from footcheck.report._console import emit
from footcheck.rules.interface import RuleInfo

SEVERITY_STYLE: dict[Severity, str] = {
    Severity.ERROR: "bold red",
    Severity.WARNING: "yellow",
    Severity.INFO: "cyan",
}


class UnknownRuleError(LookupError):
    """``footcheck rules CODE`` named no known rule; the message says so."""


def find_rule(rules: Sequence[RuleInfo], code: str) -> RuleInfo:
    """The rule with this code (``FC201``, any case) or name (``url-tracking-parameters``)."""
    wanted = code.strip()
    for info in rules:
        if wanted.upper() == info.code.upper() or wanted.lower() == info.name.lower():
            return info
    raise UnknownRuleError(f"unknown rule {code!r}; `footcheck rules` lists them all")


def _severity(info: RuleInfo) -> Text:
    severity = Severity(info.severity)
    return Text(severity.value, style=SEVERITY_STYLE[severity])


def rules_table(rules: Sequence[RuleInfo]) -> Table:
    table = Table(box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True)
    table.add_column("Code", no_wrap=True, style="bold")
    table.add_column("Name", overflow="fold", ratio=2)
    table.add_column("Severity", no_wrap=True)
    table.add_column("Summary", overflow="fold", ratio=3)
    for info in rules:
        table.add_row(Text(info.code), Text(info.name), _severity(info), Text(info.summary))
    return table


def rule_details(info: RuleInfo) -> Group:
    parts: list[Text | Padding] = [
        Text.assemble((info.code, "bold"), "  ", info.name, "  (", _severity(info), ")"),
        Text(info.summary, style="italic"),
        Text(""),
        Text(info.explanation),
    ]
    if info.example:
        parts += [Text(""), Text("Example", style="bold")]
        # The example is shown verbatim: line breaks are part of what it illustrates.
        parts.append(Padding(Text(info.example, no_wrap=False, overflow="fold"), (0, 0, 0, 4)))
    if info.fix:
        parts += [Text(""), Text("Fix", style="bold"), Padding(Text(info.fix), (0, 0, 0, 4))]
    return Group(*parts)


def render_rules(
    rules: Sequence[RuleInfo],
    out: TextIO,
    *,
    code: str | None = None,
    color: bool | None = None,
    width: int | None = None,
) -> None:
    """Print the catalogue, or with ``code`` one rule in full.

    Raises :class:`UnknownRuleError` when ``code`` matches no rule (the CLI turns it
    into a one-line error and exit code 2).
    """
    # Look the rule up before anything is written, so an unknown code prints nothing.
    chosen = find_rule(rules, code) if code is not None else None

    def draw(console: Console) -> None:
        if chosen is not None:
            console.print(rule_details(chosen))
        elif not rules:
            console.print("No rules are declared.")
        else:
            console.print(rules_table(rules))
            console.print(Text(f"{len(rules)} rules. `footcheck rules CODE` explains one.", style="dim"))

    emit(out, draw, color=color, width=width)
