"""The contract every output format follows.

A reporter turns finished audits into text on a stream. It never changes the audits,
never touches the network and never decides the exit code: the CLI does that.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, TextIO, runtime_checkable

from footcheck.model import Audit


@runtime_checkable
class Reporter(Protocol):
    """One output format (``rich``, ``json``, ``sarif`` ...)."""

    name: str

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        """Write the report for ``audits`` to ``out``.

        ``color`` None means "decide from ``out``" (a terminal gets colour); formats
        that are data (JSON, SARIF) ignore ``color`` and ``width``.
        """
        ...
