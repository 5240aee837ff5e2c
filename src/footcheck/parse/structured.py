"""A :class:`~footcheck.load.interface.LoadedText` whose format delimits its notes (DOCX,
Markdown, LaTeX, HTML) to a :class:`~footcheck.model.Document`.

The footnotes are the reader's notes, numbered as printed, paired with the reader's
markers: nothing is guessed from digits glued to words. Each note's URLs and access dates
are read with the same helpers as plain text (:func:`~footcheck.parse.urls.url_mentions`,
:func:`~footcheck.parse.dates.access_dates_in`), on the note's text with every link's
target written in: a link shown as a word (``\\href{URL}{here}``, ``[глава 3](URL)``) cites
its target, and a link shown as a URL cites the address it really points to. The running
text goes through the reference-list and citation parsers as it does for plain text.
"""

from __future__ import annotations

import re
from dataclasses import replace

from footcheck.load.interface import LinkTarget, LoadedText, SourceNote
from footcheck.model import Document, Footnote, Marker, UrlMention
from footcheck.parse.citations import find_citations, split_repeats
from footcheck.parse.dates import ACCESS_RE, access_dates_in, source_date_in
from footcheck.parse.references import match_citations, parse_references
from footcheck.parse.text import Line, fold_key, fold_ws, prepare_lines
from footcheck.parse.urls import Segment, comparable, url_mentions

_REPEAT = re.compile(
    r"^\s*(?:там\s*[-‐]?\s*же|ibid\b|ibidem\b)|указ\.\s*соч|цит\.\s*соч|op\.\s*cit|loc\.\s*cit",
    re.IGNORECASE,
)
_IBID_START = re.compile(r"^\s*(?:там\s*[-‐]?\s*же|ibid\b|ibidem\b)", re.IGNORECASE)
_NAME_BEFORE_OPCIT = re.compile(
    r"^\s*(?P<name>[А-ЯЁA-Z][а-яёa-z'-]+)(?:\s+(?:[А-ЯЁA-Z]\.\s*){1,3})?[,\s]*(?:указ\.|цит\.|op\.|loc\.)",
    re.IGNORECASE,
)
_URL_LABEL = re.compile(r"\bURL\s*:|https?://|www\.|Режим доступа", re.IGNORECASE)


def parse_structured(loaded: LoadedText) -> Document:
    assert loaded.notes is not None
    lines = prepare_lines(loaded.text)
    references, sections, reference_lines = parse_references(lines)
    marker_lines: dict[int, list[int]] = {}
    markers: list[Marker] = []
    for m in loaded.markers:
        line = m.location.line or 1
        markers.append(Marker(m.number, line))
        marker_lines.setdefault(m.number, []).append(line)
    footnotes = _resolve_repeats([_footnote(note, marker_lines.get(note.number, ())) for note in loaded.notes])
    note_lines = [Line(fn.line, fn.text, 0, False) for fn in footnotes]
    body = find_citations(lines, frozenset(reference_lines))
    # a repeat in a note repeats a bracket of the notes: its position is counted after the body's
    in_notes = [c if c.refers_to is None else replace(c, refers_to=c.refers_to + len(body))
                for c in find_citations(note_lines, frozenset())]
    citations, repeats = split_repeats(match_citations(body + in_notes, references))
    return Document(
        path=loaded.path,
        encoding=loaded.encoding,
        line_count=len(lines),
        footnotes=tuple(footnotes),
        markers=tuple(markers),
        citations=tuple(citations),
        repeats=tuple(repeats),
        references=tuple(references),
        reference_sections=tuple(sections),
        format=loaded.format.value,
        line_locations=loaded.line_locations,
    )


def with_targets(text: str, links: tuple[LinkTarget, ...]) -> str:
    """The note's text with each link's target written where the reader sees the link:
    after a word that carries it, or instead of a printed URL that differs from it."""
    out: list[str] = []
    pos = 0
    for link in links:
        url = link.url.strip()
        shown = " ".join(link.shown.split())
        if not url:
            continue
        at = text.find(shown, pos) if shown else -1
        if at < 0:
            out.append(text[pos:])
            pos = len(text)
            out.append(f" {url} ")
            continue
        out.append(text[pos:at])
        if _is_url(shown):
            out.append(url if comparable(shown) != comparable(url) else shown)
        else:
            out.append(f"{shown} {url} ")
        pos = at + len(shown)
    out.append(text[pos:])
    return "".join(out)


def _is_url(text: str) -> bool:
    return bool(re.match(r"^\s*<?(?:https?://|ftp://|www\.)\S+\s*$", text, re.IGNORECASE))


def _footnote(note: SourceNote, markers: list[int] | tuple[int, ...]) -> Footnote:
    first = note.location.line or 1
    analysed = with_targets(note.text, note.links)
    seg = Segment.of([(first + k, part) for k, part in enumerate(analysed.split("\n"))])
    found = access_dates_in(seg.text, seg.line_of)
    urls = _unique(url_mentions(seg, found))
    text = fold_ws(note.text)
    before = fold_ws(_before_url(analysed))
    source = source_date_in(ACCESS_RE.sub(" ", before), first)
    return Footnote(
        number=note.number,
        line=first,
        text=text,
        marker_lines=tuple(sorted(markers)),
        urls=tuple(urls),
        source_date=source,
        dates=tuple(d for _, _, ds in found for d in ds),
        ibid=bool(_REPEAT.search(text[:200])),
        title=_title(before) if urls else None,
    )


def _unique(urls: list[UrlMention]) -> list[UrlMention]:
    """One mention per URL (a link printed as its own URL is read once); a mention with
    an access date wins over one without."""
    best: dict[str, UrlMention] = {}
    for u in urls:
        if u.url not in best or (best[u.url].access_date is None and u.access_date is not None):
            best[u.url] = u
    return list(best.values())


def _before_url(text: str) -> str:
    m = _URL_LABEL.search(text)
    return text[: m.start()] if m else text


def _title(before: str) -> str | None:
    t = before.strip().rstrip(".:;, –—-/")
    return t or None


def _resolve_repeats(footnotes: list[Footnote]) -> list[Footnote]:
    """«Там же»/«Ibid.» repeat the note just before; «Указ. соч.» the latest earlier note
    naming the same author."""
    from dataclasses import replace

    out: list[Footnote] = []
    for k, fn in enumerate(footnotes):
        if not fn.ibid:
            out.append(fn)
            continue
        target: int | None = None
        if _IBID_START.match(fn.text):
            target = out[k - 1].number if k else None
        else:
            m = _NAME_BEFORE_OPCIT.match(fn.text)
            if m:
                stem = fold_key(m["name"])
                stem = stem[:-1] if len(stem) > 4 else stem
                target = next((out[j].number for j in range(k - 1, -1, -1) if stem in fold_key(out[j].text)), None)
        out.append(replace(fn, refers_to=target))
    return out
