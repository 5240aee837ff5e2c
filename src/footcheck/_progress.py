"""Progress on stderr for the link checker and the archive lookups.

It implements both stages' progress protocols (``started``, ``host_started``,
``finished_one``); the stages themselves know nothing of terminals. On a terminal it
is a rich progress bar; otherwise (a CI log, a file) a plain line every few seconds of
long work, so a slow run is never silent.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any, TextIO

LINE_INTERVAL = 5.0  # seconds between progress lines when stderr is not a terminal


class ProgressBar:
    PHASES = ("checking links", "asking the Wayback Machine")

    def __init__(
        self,
        enabled: bool,
        labels: tuple[str, ...] = PHASES,
        *,
        lines: bool = False,
        stream: TextIO | None = None,
        interval: float = LINE_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._enabled = enabled
        self._labels = labels
        self._progress: Any = None
        self._task: Any = None
        self._phase = 0
        # line mode
        self._lines = lines and not enabled
        self._stream = stream
        self._interval = interval
        self._clock = clock
        self._total = 0
        self._done = 0
        self._start = 0.0
        self._last = 0.0

    @classmethod
    def for_stderr(cls, labels: tuple[str, ...] = PHASES) -> ProgressBar:
        tty = sys.stderr.isatty()
        return cls(enabled=tty, labels=labels, lines=not tty)

    def _label(self) -> str:
        return self._labels[min(self._phase, len(self._labels)) - 1]

    def started(self, total: int) -> None:
        self._phase += 1
        if self._lines:
            self._total, self._done = total, 0
            self._start = self._last = self._clock()
            return
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

        if self._progress is None:
            self._progress = Progress(
                TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                TimeElapsedColumn(), TextColumn("{task.fields[host]}", markup=False),
                console=Console(stderr=True), transient=True,
            )
            self._progress.start()
        self._task = self._progress.add_task(self._label(), total=total, host="")

    def host_started(self, host: str) -> None:
        if self._progress is not None and self._task is not None:
            self._progress.update(self._task, host=host[:40])

    def finished_one(self, url: str, result: object = None) -> None:
        if self._lines:
            self._done += 1
            now = self._clock()
            if now - self._last >= self._interval:
                self._last = now
                self._line(now)
            return
        if self._progress is not None and self._task is not None:
            self._progress.advance(self._task)

    def _line(self, now: float) -> None:
        stream = self._stream if self._stream is not None else sys.stderr
        try:
            stream.write(
                f"footcheck: {self._label()}: {self._done}/{self._total} "
                f"({now - self._start:.0f} s)\n"
            )
            stream.flush()
        except (OSError, ValueError):
            self._lines = False  # stderr is gone; the report still matters

    def close(self) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
