"""Stage 1: file -> :class:`LoadedText`, one reader per format (see :mod:`.interface`).

:func:`load_path` refuses what is not a regular file before reading a byte (a FIFO, a
device such as ``/dev/zero`` behind a symlink), reads at most ``max_bytes``, and hands the
bytes to the first reader of :data:`READERS` whose ``sniff`` claims them: the format is
chosen by content (``PK`` + ``word/document.xml``, ``%PDF-``, ``<html``, ``\\documentclass``,
``[^1]:``), the file name only breaks ties. Plain text takes whatever no reader claims.

A reader module is imported only when a file of its format is read (the sniffing is in
:mod:`.sniff`), and imports its heavy libraries inside ``read``, so importing this package
costs next to nothing; a new format is one module, one sniff function and one line in
:func:`_builtin_readers`.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from importlib import import_module
from pathlib import Path

from footcheck.load import sniff
from footcheck.load.interface import (
    Format,
    LinkTarget,
    LoadDiagnostic,
    LoadedText,
    LoadError,
    Reader,
    SourceMarker,
    SourceNote,
)
from footcheck.load.text import TextReader, decode_bytes

__all__ = [
    "MAX_BYTES",
    "READERS",
    "Format",
    "LinkTarget",
    "LoadDiagnostic",
    "LoadError",
    "LoadedText",
    "Reader",
    "SourceMarker",
    "SourceNote",
    "decode_bytes",
    "load_path",
    "read_bytes",
    "reader_for",
    "register",
]

MAX_BYTES = 512 * 1024 * 1024  # a paper is kilobytes; a monograph tens of megabytes
SNIFF_BYTES = 64 * 1024  # what ``Reader.sniff`` sees of the file


class _Builtin(Reader):
    """A built-in reader that imports its module the first time a file of its format is
    read: sniffing is :mod:`.sniff`'s, so a plain-text run never imports the PDF, DOCX,
    ... readers (start-up time)."""

    def __init__(self, fmt: Format, module: str, cls: str, sniff: Callable[[bytes, str], bool]) -> None:
        self.format = fmt
        self._module, self._cls, self._sniff = module, cls, sniff
        self._reader: Reader | None = None

    def sniff(self, head: bytes, name: str) -> bool:
        return self._sniff(head, name)

    def read(self, data: bytes, name: str) -> LoadedText:
        if self._reader is None:
            self._reader = getattr(import_module(f"footcheck.load.{self._module}"), self._cls)()
        return self._reader.read(data, name)

    def __repr__(self) -> str:
        return f"<{self._cls}>"


def _builtin_readers() -> list[Reader]:
    """Binary formats first (their magic bytes are certain), then the marked-up text ones."""
    return [
        _Builtin(Format.PDF, "pdf", "PdfReader", sniff.pdf),
        _Builtin(Format.DOCX, "docx", "DocxReader", sniff.docx),
        _Builtin(Format.ODT, "odt", "OdtReader", sniff.odt),
        _Builtin(Format.HTML, "html", "HtmlReader", sniff.html),
        _Builtin(Format.LATEX, "latex", "LatexReader", sniff.latex),
        _Builtin(Format.MARKDOWN, "markdown", "MarkdownReader", sniff.markdown),
    ]


READERS: list[Reader] = _builtin_readers()
_TEXT = TextReader()


def register(reader: Reader, *, first: bool = True) -> None:
    """Add a reader (tried before the built-in ones unless ``first`` is False)."""
    if first:
        READERS.insert(0, reader)
    else:
        READERS.append(reader)


def reader_for(data: bytes, name: str = "") -> Reader:
    head = data[:SNIFF_BYTES]
    for reader in READERS:
        if reader.sniff(head, name):
            return reader
    return _TEXT


def read_bytes(data: bytes, name: str = "<input>") -> LoadedText:
    """A file's bytes to a :class:`LoadedText`, with the reader its content calls for."""
    if not data.strip(b" \t\r\n\f\x00"):
        raise LoadError(f"{name}: file is empty")
    return reader_for(data, name).read(data, name)


def load_path(path: str | Path, *, max_bytes: int = MAX_BYTES) -> LoadedText:
    p = Path(path)
    data = _read_regular(p, max_bytes)
    return read_bytes(data, str(p))


def _read_regular(p: Path, max_bytes: int) -> bytes:
    try:
        st = os.stat(p)  # follows symlinks: what matters is what the name points to
        if stat.S_ISDIR(st.st_mode):
            raise LoadError(f"{p}: is a directory, not a paper")
        if not stat.S_ISREG(st.st_mode):
            raise LoadError(f"{p}: is not a regular file (a device, FIFO or socket); refusing to read it")
        if st.st_size > max_bytes:
            raise LoadError(_too_big(p, st.st_size, max_bytes))
        with open(p, "rb") as f:
            data = f.read(max_bytes + 1)  # a file growing while read is still capped
    except FileNotFoundError:
        raise LoadError(f"{p}: no such file") from None
    except PermissionError:
        raise LoadError(f"{p}: permission denied") from None
    except OSError as exc:
        raise LoadError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise LoadError(_too_big(p, len(data), max_bytes))
    return data


def _too_big(p: Path, size: int, max_bytes: int) -> str:
    return (f"{p}: file is {size / 1_048_576:.0f} MiB, larger than the {max(1, max_bytes // 1_048_576)}"
            " MiB limit (is it really a paper?)")
