"""The edge of the fix stage: read the paper's source, show the diff, write the result.

A paper is never changed without a backup: ``--in-place`` first writes ``PAPER.bak`` (and
refuses when one exists), then replaces the paper by an atomic rename of a temporary file
in the same folder, keeping its mode. A paper that changed on disk since it was planned,
a symlink, or a folder without write permission is a one-line :class:`FixError`.
"""

from __future__ import annotations

import contextlib
import difflib
import hashlib
import os
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from footcheck.fix.interface import FixPlan
from footcheck.fix.plan import apply_edits


class FixError(Exception):
    """Nothing was written; the message is one line for the user."""


@dataclass(frozen=True, slots=True)
class Source:
    """The paper as read for fixing: decoded text with its line ends, and what it was."""

    path: Path
    text: str
    encoding: str
    digest: str
    bom: bytes
    data: bytes = b""  # the raw bytes, for package formats


_BOMS = ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def read_source(path: Path, encoding: str) -> Source:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FixError(f"{path}: cannot read: {exc.strerror or exc}") from None
    bom = b""
    for mark, enc in _BOMS:
        if data.startswith(mark):
            bom, encoding, data = mark, enc, data[len(mark):]
            break
    enc = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    try:
        text = data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        raise FixError(f"{path}: not valid {encoding} throughout; fix it by hand (footcheck read it "
                       "with bytes replaced)") from None
    return Source(path, text, enc, hashlib.sha256(bom + data).hexdigest(), bom)


def read_binary(path: Path) -> Source:
    """A package format (DOCX): the bytes are the source; ``text`` stays empty."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise FixError(f"{path}: cannot read: {exc.strerror or exc}") from None
    return Source(path, "", "binary", hashlib.sha256(data).hexdigest(), b"", data)


def fixed_text(source: Source, plan: FixPlan) -> str:
    return apply_edits(source.text, plan.edits)


def unified_diff(source: Source, new_text: str, *, color: bool = False) -> str:
    name = str(source.path)
    lines = difflib.unified_diff(source.text.splitlines(keepends=True), new_text.splitlines(keepends=True),
                                 fromfile=name, tofile=name + " (fixed)")
    out = []
    for line in lines:
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        if color:
            code = "1" if line.startswith(("---", "+++")) else "32" if line[0] == "+" else \
                   "31" if line[0] == "-" else "36" if line[0] == "@" else ""
            line = f"\x1b[{code}m{line.rstrip(chr(10))}\x1b[0m\n" if code else line
        out.append(line)
    return "".join(out)


def fixed_copy_path(paper: Path) -> Path:
    """``paper.txt`` -> ``paper.fixed.txt``."""
    return paper.with_name(f"{paper.stem}.fixed{paper.suffix}") if paper.suffix else paper.with_name(
        paper.name + ".fixed")


def backup_path(paper: Path) -> Path:
    return paper.with_name(paper.name + ".bak")


def _unchanged(source: Source) -> None:
    try:
        now = hashlib.sha256(source.path.read_bytes()).hexdigest()
    except OSError as exc:
        raise FixError(f"{source.path}: cannot read it again: {exc.strerror or exc}") from None
    if now != source.digest:
        raise FixError(f"{source.path}: changed on disk since footcheck read it; run fix again")


def _encode(source: Source, text: str | bytes) -> bytes:
    if isinstance(text, bytes):
        return text
    try:
        return source.bom + text.encode(source.encoding)
    except UnicodeEncodeError:
        raise FixError(f"{source.path}: the fixed text cannot be written in {source.encoding}") from None


def _atomic_write(target: Path, data: bytes, mode: int) -> None:
    folder = target.parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise FixError(f"{folder}: cannot write here: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, stat.S_IMODE(mode))
        os.replace(tmp, target)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise FixError(f"{target}: cannot write: {exc.strerror or exc}") from None


def _regular(path: Path, what: str) -> os.stat_result:
    try:
        st = os.lstat(path)
    except OSError as exc:
        raise FixError(f"{path}: cannot read: {exc.strerror or exc}") from None
    if stat.S_ISLNK(st.st_mode):
        raise FixError(f"{path}: is a symbolic link; {what} the file it points to instead")
    if not stat.S_ISREG(st.st_mode):
        raise FixError(f"{path}: not a regular file")
    return st


def write_copy(source: Source, new_text: str | bytes) -> Path:
    """The corrected copy beside the paper (replacing an earlier copy, never a link)."""
    _regular(source.path, "fix")
    _unchanged(source)
    target = fixed_copy_path(source.path)
    if os.path.lexists(target):
        _regular(target, "remove or rename")
    _atomic_write(target, _encode(source, new_text), os.stat(source.path).st_mode)
    return target


def write_in_place(source: Source, new_text: str | bytes) -> Path:
    """Replace the paper after writing its backup; returns the backup's path."""
    st = _regular(source.path, "fix")
    _unchanged(source)
    backup = backup_path(source.path)
    if os.path.lexists(backup):
        raise FixError(f"{backup}: a backup already exists; move it away first (footcheck never "
                       "overwrites a backup)")
    data = _encode(source, new_text)
    original = source.path.read_bytes()
    try:
        with open(backup, "xb") as f:  # "x": never over a file that appeared meanwhile
            f.write(original)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(backup, stat.S_IMODE(st.st_mode))
    except OSError as exc:
        raise FixError(f"{backup}: cannot write the backup: {exc.strerror or exc}") from None
    _unchanged(source)
    _atomic_write(source.path, data, st.st_mode)
    return backup
