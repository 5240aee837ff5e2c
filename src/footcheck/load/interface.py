"""What every reader hands to the parser: the seam between ``load/`` and ``parse/``.

One reader per input format (plain text, PDF, DOCX, Markdown, HTML, LaTeX) turns a file's
bytes into a :class:`LoadedText`. Formats that know their structure (a DOCX knows its
footnotes and link targets, Markdown its ``[^n]`` definitions) fill ``notes``, ``markers``
and ``links``; plain text leaves ``notes`` as ``None`` and the parser finds the footnotes in
the text itself. Everything after ``parse/`` is the same for every format.

Readers never raise anything but :class:`LoadError`; a problem that loses nothing (a stray
invalid byte replaced, a scanned PDF page without text) is a :class:`LoadDiagnostic` the
rules turn into a finding.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from enum import Enum

from footcheck.model import Location


class LoadError(Exception):
    """The file cannot be read; the message is shown to the user as one line."""


class Format(str, Enum):
    TEXT = "text"
    PDF = "pdf"
    DOCX = "docx"
    ODT = "odt"
    MARKDOWN = "markdown"
    HTML = "html"
    LATEX = "latex"


@dataclass(frozen=True, slots=True)
class LinkTarget:
    """A hyperlink as the format stores it: where it points and what the reader sees."""

    url: str
    shown: str  # the visible text ("" when the URL is printed bare)
    location: Location = field(default_factory=Location)


@dataclass(frozen=True, slots=True)
class SourceNote:
    """A footnote or endnote the format itself delimits (DOCX, Markdown, LaTeX, HTML)."""

    number: int  # the printed number (custom marks get their position)
    text: str  # the note as plain text; hyperlinks appear as their shown text
    location: Location
    links: tuple[LinkTarget, ...] = ()
    endnote: bool = False
    mark: str = ""  # a custom printed mark ("*", "а"), "" for a plain number


@dataclass(frozen=True, slots=True)
class SourceMarker:
    """Where the running text points to a note."""

    number: int
    location: Location


@dataclass(frozen=True, slots=True)
class LoadDiagnostic:
    """Something about the input the user should know; becomes a finding (FC0xx)."""

    code: str  # a rule code of the input family, e.g. "FC001"
    message: str
    location: Location = field(default_factory=Location)


@dataclass(frozen=True, slots=True)
class LoadedText:
    """A paper ready for the parser.

    ``text`` is the running text with ``\\n`` line ends (``\\f`` between PDF pages); line
    ``n`` of it is line ``n`` of the source for the text-like formats. ``line_locations``
    maps a 0-based line index to where that line is in the source when line numbers alone
    do not say it (PDF pages, DOCX paragraphs); an empty tuple means "line n is line n".
    """

    path: str
    text: str
    encoding: str
    format: Format = Format.TEXT
    notes: tuple[SourceNote, ...] | None = None  # None: the parser finds the notes in the text
    markers: tuple[SourceMarker, ...] = ()
    links: tuple[LinkTarget, ...] = ()  # hyperlinks in the running text
    line_locations: tuple[Location, ...] = ()
    diagnostics: tuple[LoadDiagnostic, ...] = ()


class Reader(ABC):
    """One input format. ``sniff`` looks at the first bytes; ``read`` does the work."""

    format: Format

    @abstractmethod
    def sniff(self, head: bytes, name: str) -> bool:
        """True when ``head`` (the first few KiB of the file) is this format."""

    @abstractmethod
    def read(self, data: bytes, name: str) -> LoadedText:
        """The whole file's bytes to a :class:`LoadedText`; raises only :class:`LoadError`."""
