"""Where a report goes: stdout, or a file the user named with ``--output``.

A regular file (or a new one) is written beside the target under a temporary name and
renamed over it, so an interrupted run never leaves half a report in place of the
previous one; the replaced file keeps its permission bits. Anything else is never
replaced: a symlink is followed (the file it points to is the target), a FIFO, a
character device (``/dev/null``, ``/dev/stdout``) or a socket is opened and written
as it is. ``-`` means stdout. Failures raise :class:`OutputError` with a one-line
message; the CLI turns it into exit code 3.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

STDOUT = "-"


class OutputError(Exception):
    """The report cannot be written; ``str()`` is the line to show."""


def _reason(exc: OSError) -> str:
    return exc.strerror or str(exc)


@dataclass(frozen=True)
class Target:
    """A checked destination: ``path`` None is stdout."""

    path: Path | None
    shown: str  # the name the user gave, for messages
    regular: bool = True  # replace through a temporary file
    mode: int | None = None  # permission bits to keep (an existing regular file)

    @property
    def is_stdout(self) -> bool:
        return self.path is None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def prepare(output: str | Path | None) -> Target:
    """Check the destination before any work is done; raises :class:`OutputError`."""
    if output is None or str(output) == STDOUT:
        return Target(None, "stdout")
    shown = str(output)
    path = Path(output)
    try:
        real = path.resolve(strict=False)
        st = real.stat()
    except FileNotFoundError:
        parent = path.resolve(strict=False).parent
        if not parent.is_dir():
            raise OutputError(f"cannot write {shown}: no such directory {parent}") from None
        if not os.access(parent, os.W_OK | os.X_OK):
            raise OutputError(f"cannot write {shown}: permission denied") from None
        return Target(path.resolve(strict=False), shown, regular=True, mode=None)
    except OSError as exc:
        raise OutputError(f"cannot write {shown}: {_reason(exc)}") from None
    if stat.S_ISDIR(st.st_mode):
        raise OutputError(f"cannot write {shown}: is a directory")
    if stat.S_ISREG(st.st_mode):
        if not os.access(real, os.W_OK):
            raise OutputError(f"cannot write {shown}: permission denied")
        return Target(real, shown, regular=True, mode=stat.S_IMODE(st.st_mode))
    # FIFO, character or block device, socket: write into it, never replace it
    return Target(real, shown, regular=False)


def same_file(target: Target, paper: str | Path) -> bool:
    if target.path is None or str(paper) == STDOUT:
        return False
    try:
        return target.path.exists() and Path(paper).exists() and target.path.samefile(paper)
    except OSError:
        return False


@contextlib.contextmanager
def _opened(target: Target) -> Iterator[TextIO]:
    if target.path is None:
        yield sys.stdout
        sys.stdout.flush()
        return
    if not target.regular:
        with open(target.path, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        return
    import tempfile  # only for a file: a report on stdout does not pay for its import (start-up)

    directory = target.path.parent
    fd, tmp = tempfile.mkstemp(prefix=f".{target.path.name}.", dir=directory)
    try:
        mode = target.mode if target.mode is not None else 0o666 & ~_umask()
        os.fchmod(fd, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            yield stream
        os.replace(tmp, target.path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write(target: Target, draw: Callable[[TextIO], None]) -> None:
    """Run ``draw`` on the destination's stream; raises :class:`OutputError`."""
    try:
        with _opened(target) as stream:
            draw(stream)
    except BrokenPipeError:
        # the reader went away (``footcheck paper | head``): nothing more to say to it
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        raise OutputError("") from None
    except OSError as exc:
        raise OutputError(f"cannot write {target.shown}: {_reason(exc)}") from None
