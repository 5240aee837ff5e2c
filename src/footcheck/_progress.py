"""A rich progress bar on stderr for the link checker and the archive lookups.

It implements both stages' progress protocols (``started``, ``host_started``,
``finished_one``); the stages themselves know nothing of terminals. Hidden when stderr
is not a terminal.
"""

from __future__ import annotations

import sys
from typing import Any


class ProgressBar:
    PHASES = ("checking links", "asking the Wayback Machine")

    def __init__(self, enabled: bool, labels: tuple[str, ...] = PHASES) -> None:
        self._enabled = enabled
        self._labels = labels
        self._progress: Any = None
        self._task: Any = None
        self._phase = 0

    @classmethod
    def for_stderr(cls, labels: tuple[str, ...] = PHASES) -> ProgressBar:
        return cls(enabled=sys.stderr.isatty(), labels=labels)

    def started(self, total: int) -> None:
        if not self._enabled:
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self._phase += 1
        label = self._labels[min(self._phase, len(self._labels)) - 1]
        if self._progress is None:
            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("{task.fields[host]}", markup=False),
                console=Console(stderr=True), transient=True,
            )
            self._progress.start()
        self._task = self._progress.add_task(label, total=total, host="")

    def host_started(self, host: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, host=host[:40])

    def finished_one(self, url: str, result: object = None) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
