"""The document model: what the parser finds and every later stage reads.

All classes are frozen dataclasses. Line numbers are 1-based and always refer to the
line in the original file, so a finding can be located with ``file:line``.

Data flows one way: ``load`` produces text, ``parse`` produces a :class:`Document`,
``rules`` produce :class:`Finding` objects, ``check``/``archive`` produce
:class:`LinkResult` objects and ``report`` turns all of it into output. Nothing in
this module performs I/O.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        return {"info": 0, "warning": 1, "error": 2}[self.value]


@dataclass(frozen=True, slots=True)
class Location:
    """Where an item is in the user's source, in the terms of its format.

    Text, Markdown, LaTeX and HTML use ``line``; a PDF adds ``page`` (1-based) with the line
    within the extracted text; a DOCX names the ``paragraph`` of the body (1-based) or the
    ``footnote`` whose text holds the item. Unknown parts are ``None``.
    """

    line: int | None = None
    page: int | None = None
    paragraph: int | None = None
    footnote: int | None = None


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date as printed in the text (an access date or the source's own date)."""

    raw: str
    line: int
    value: dt.date | None  # None when the text could not be read as a real date
    label: str = ""  # the words that introduced it: "дата обращения", "accessed", ...
    problem: str | None = None  # why it is malformed or doubtful, for the rules


@dataclass(frozen=True, slots=True)
class UrlMention:
    """A URL found in a footnote or a reference entry, rebuilt across line breaks."""

    url: str
    line: int  # the line on which the URL starts
    access_date: DateMention | None = None
    confirmed: bool = False  # a standalone copy of the URL (PDF link annotation) agreed
    missing_scheme: bool = False  # printed as "www.example.ru/..." and completed here


@dataclass(frozen=True, slots=True)
class DoiMention:
    """A DOI printed in a footnote or an entry (``DOI: 10.…``, ``https://doi.org/10.…``),
    rebuilt across line breaks and spaces; ``doi`` is None when it is malformed."""

    raw: str  # as printed, whitespace folded
    line: int
    doi: str | None  # the bare DOI ("10.1234/abc"), prefix and trailing punctuation removed
    problem: str | None = None  # why it is malformed, for the rules


@dataclass(frozen=True, slots=True)
class Marker:
    """A footnote marker found in the body text (``страны1.``, ``санкций»4.``)."""

    number: int
    line: int
    page: int = 0  # page index (form feeds), for numbering that restarts per page


@dataclass(frozen=True, slots=True)
class Footnote:
    """A footnote body at a page bottom, paired with the markers that point to it."""

    number: int
    line: int  # the line on which the body starts
    text: str  # the body with its lines joined and whitespace folded
    marker_lines: tuple[int, ...] = ()
    urls: tuple[UrlMention, ...] = ()
    source_date: DateMention | None = None  # the source's own date ("2022. 6 июля.")
    dates: tuple[DateMention, ...] = ()  # every access date mention, including unparsable ones
    ibid: bool = False  # "Там же", "Ibid.", "Указ. соч." ...
    refers_to: int | None = None  # number of the footnote a repeat points to
    page: int = 0
    title: str | None = None  # the cited title (text before "URL:"), for page-drift checks
    dois: tuple[str, ...] = ()  # well-formed DOIs, in order, each once
    doi_mentions: tuple[DoiMention, ...] = ()  # every DOI as printed, malformed ones included

    @property
    def access_dates(self) -> tuple[dt.date, ...]:
        return tuple(u.access_date.value for u in self.urls if u.access_date and u.access_date.value)


@dataclass(frozen=True, slots=True)
class Citation:
    """One bracketed reference: ``[Попов 2016]``; a bracket with ``;`` yields several."""

    raw: str  # the text of this citation inside the brackets, whitespace folded
    line: int
    authors: tuple[str, ...] = ()
    year: str | None = None
    locator: str | None = None
    kind: str = "author-year"  # "author-year" | "numeric" | "ibid"
    numbers: tuple[int, ...] = ()  # for numeric references: every entry number cited
    reference: int | None = None  # 0-based position in Document.references of the matched entry
    refers_to: int | None = None  # for [Там же]: 0-based position in Document.citations of the one repeated


@dataclass(frozen=True, slots=True)
class Reference:
    """One entry of a reference list."""

    index: int  # 1-based position within its list
    line: int
    text: str
    surnames: tuple[str, ...] = ()
    year: str | None = None
    urls: tuple[UrlMention, ...] = ()
    section: str = ""  # the heading of the list it belongs to
    transliterated: bool = False  # an entry of the "References" twin list
    number: int | None = None  # the printed number ("1." / "[1]"), when the list is numbered
    doi: str | None = None  # the entry's (first well-formed) DOI
    doi_mentions: tuple[DoiMention, ...] = ()  # every DOI as printed, malformed ones included

    @property
    def access_dates(self) -> tuple[dt.date, ...]:
        return tuple(u.access_date.value for u in self.urls if u.access_date and u.access_date.value)


@dataclass(frozen=True, slots=True)
class Document:
    """Everything the parser found in one file."""

    path: str
    encoding: str
    line_count: int
    footnotes: tuple[Footnote, ...] = ()
    markers: tuple[Marker, ...] = ()  # every marker, paired or not
    # the sources cited in brackets ([Попов 2016], [1, с. 25]); bracket repeats are apart
    citations: tuple[Citation, ...] = ()
    # bracketed repeats ([Там же, с. 5], [Ibid., p. 3]): they cite no entry of their own, so they
    # are not matched against the list; refers_to is the position in citations of the one repeated
    repeats: tuple[Citation, ...] = ()
    references: tuple[Reference, ...] = ()
    reference_sections: tuple[tuple[str, int], ...] = ()  # (heading, line)
    twin: tuple[Reference, ...] = ()  # entries of the transliterated References twin, in order
    per_page_numbering: bool = False
    format: str = "text"  # the input format the reader recognised ("text", "docx", "pdf", ...)
    # where line n (index n - 1) is in the source, when line numbers alone do not say it
    # (PDF pages, DOCX paragraphs); empty: line n is line n of the file
    line_locations: tuple[Location, ...] = ()

    def locate(self, line: int | None, footnote: int | None = None) -> Location:
        """The user's way to find line ``line`` (and the note it is in) in the source."""
        if line is not None and 1 <= line <= len(self.line_locations):
            where = self.line_locations[line - 1]
            return Location(where.line, where.page, where.paragraph, footnote)
        return Location(line=line, footnote=footnote)

    @property
    def has_reference_list(self) -> bool:
        return bool(self.references)


class LinkStatus(str, Enum):
    OK = "ok"
    REDIRECT = "redirect"
    SOFT404 = "soft404"
    BROKEN = "broken"
    BLOCKED = "blocked"
    UNREACHABLE = "unreachable"
    TIMEOUT = "timeout"
    SKIPPED = "skipped"
    UNVERIFIED = "unverified"  # no network at all: nothing is known about the link


class LinkCause(str, Enum):
    """Why a link got no usable HTTP answer, where its status alone does not say.

    The checker sets it and the rules read it; ``detail`` is only the text for people.
    """

    GUARD = "guard"  # the address guard refused the host (a private or reserved address)
    DNS = "dns"  # the host name did not resolve
    CONNECT = "connect"  # no connection: refused, reset, network unreachable
    TLS = "tls"  # a server answered but the TLS handshake failed
    TIMEOUT = "timeout"  # nothing came back in time (the lookup or the answer)


@dataclass(frozen=True, slots=True)
class Link:
    """A unique URL of a document with every place that cites it."""

    url: str
    footnotes: tuple[int, ...] = ()
    references: tuple[int, ...] = ()
    line: int = 0  # first line that cites it
    access_date: dt.date | None = None  # the latest access date printed with it
    source_date: dt.date | None = None
    cited_title: str | None = None


@dataclass(frozen=True, slots=True)
class ArchiveCapture:
    """A Wayback Machine capture chosen for a link."""

    url: str
    timestamp: dt.datetime  # UTC
    days_from_access: int | None = None  # capture date minus the reference date, in days


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What checking one URL over HTTP found."""

    url: str
    status: LinkStatus
    http_status: int | None = None
    final_url: str | None = None
    detail: str = ""
    title: str | None = None  # the page title / main heading, for drift checks
    permanent_redirect: bool = False
    from_cache: bool = False
    archive: ArchiveCapture | None = None
    cause: LinkCause | None = None  # set when no usable answer came (see LinkCause)


class RegistryStatus(str, Enum):
    """What the DOI registries said about a reference entry."""

    MATCH = "match"  # the DOI exists and its record is the cited work
    MISMATCH = "mismatch"  # the DOI exists but its record is (partly) another work
    NOT_FOUND = "not-found"  # the DOI is not registered
    RETRACTED = "retracted"  # the work has a retraction (or withdrawal) notice
    UNVERIFIED = "unverified"  # the registry could not be asked or read; or only a suggestion


@dataclass(frozen=True, slots=True)
class RegistryNotice:
    """An update notice that points at a work: a retraction, a correction ..."""

    doi: str  # the notice's own DOI
    kind: str  # Crossref's update type: "retraction", "correction", "erratum", ...
    date: str | None = None  # ISO date of the update, when the registry gives one


@dataclass(frozen=True, slots=True)
class RegistryResult:
    """The registries' answer for one reference entry (or a footnote's DOI)."""

    status: RegistryStatus
    doi: str | None = None  # the DOI asked about (None: the entry has none)
    title: str | None = None  # the record's title
    year: str | None = None
    authors: tuple[str, ...] = ()  # surnames (family names) of the record, in order
    score: float | None = None  # agreement of the entry with the record, 0..1
    suggested_doi: str | None = None  # for an entry without a DOI: a confident candidate
    agency: str | None = None  # "crossref", or "other" when read by content negotiation
    notices: tuple[RegistryNotice, ...] = ()
    detail: str = ""  # why: what disagrees, what failed
    from_cache: bool = False


@dataclass(frozen=True, slots=True)
class Finding:
    """A problem (or note) a rule found, with where to look."""

    code: str
    severity: Severity
    message: str
    line: int | None = None
    footnote: int | None = None
    url: str | None = None
    suggestion: str | None = None


@dataclass(frozen=True, slots=True)
class Audit:
    """The result for one document: the model, its links and what was found."""

    document: Document
    links: tuple[Link, ...] = ()
    results: dict[str, LinkResult] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    offline: bool = True
    # registry answers by 0-based position in Document.references (none offline)
    registry: dict[int, RegistryResult] = field(default_factory=dict)
