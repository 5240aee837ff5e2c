"""The report stage: finished audits in, text out.

Every format is a :class:`~footcheck.report.interface.Reporter` registered in
:data:`REPORTERS` under its ``--format`` name. Format modules are imported on first use,
so asking for JSON never pays for importing rich.
"""

from __future__ import annotations

import importlib

# Aliased: importing the submodule footcheck.report.json rebinds the name ``json`` in
# this namespace, which would shadow the standard library module.
import json as _stdlib_json
from collections.abc import Sequence
from functools import cache
from typing import Any, TextIO

from footcheck.model import Audit
from footcheck.report._common import summary_counts
from footcheck.report.interface import Reporter

__all__ = [
    "REPORTERS",
    "Reporter",
    "get_reporter",
    "load_schema",
    "summary_counts",
]


class _LazyReporter:
    """A registry entry that imports its format module when it first renders."""

    def __init__(self, name: str, module: str, cls: str) -> None:
        self.name = name
        self._module = module
        self._cls = cls

    @property
    def reporter(self) -> Reporter:
        return _instance(self._module, self._cls)

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        self.reporter.render(audits, out, version=version, color=color, width=width)

    def __repr__(self) -> str:
        return f"<reporter {self.name!r} from {self._module}>"


@cache
def _instance(module: str, cls: str) -> Reporter:
    reporter: Reporter = getattr(importlib.import_module(module), cls)()
    return reporter


REPORTERS: dict[str, Reporter] = {
    "rich": _LazyReporter("rich", "footcheck.report.rich_report", "RichReporter"),
    "json": _LazyReporter("json", "footcheck.report.json", "JsonReporter"),
    "sarif": _LazyReporter("sarif", "footcheck.report.sarif", "SarifReporter"),
    "github": _LazyReporter("github", "footcheck.report.github", "GithubReporter"),
    "markdown": _LazyReporter("markdown", "footcheck.report.markdown", "MarkdownReporter"),
    "junit": _LazyReporter("junit", "footcheck.report.junit", "JunitReporter"),
    "jsonl": _LazyReporter("jsonl", "footcheck.report.jsonl", "JsonlReporter"),
}


def get_reporter(name: str) -> Reporter:
    """The reporter for a ``--format`` value; ``ValueError`` names the valid ones."""
    try:
        return REPORTERS[name.strip().lower()]
    except KeyError:
        known = ", ".join(REPORTERS)
        raise ValueError(f"unknown report format {name!r} (choose from {known})") from None


@cache
def _schema_text() -> str:
    from importlib import resources  # with tempfile, zipfile support ...: not for every report

    return resources.files(__package__).joinpath("schema.json").read_text(encoding="utf-8")


def load_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the JSON report, as shipped in the package."""
    schema: dict[str, Any] = _stdlib_json.loads(_schema_text())
    return schema
