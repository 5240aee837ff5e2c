"""What a page prefix says about itself: its charset, title, main heading and og:title.

Only the first part of the body is read (see body.py), so everything here must cope
with HTML cut in the middle of a tag or of a multi-byte character.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass

from bs4 import BeautifulSoup, SoupStrainer

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE
)
_H1_END = re.compile(r"</h1\s*>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_STRAINER = SoupStrainer(["title", "h1", "meta"])
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


@dataclass(frozen=True, slots=True)
class Page:
    title: str | None = None
    heading: str | None = None  # the first <h1>
    og_title: str | None = None
    text: str = ""  # the decoded prefix, lower-cased, for marker searches
    charset: str | None = None

    @property
    def titles(self) -> tuple[str, ...]:
        """Candidate titles in order of preference, without empties or repeats."""
        seen: list[str] = []
        for value in (self.title, self.og_title, self.heading):
            if value and value not in seen:
                seen.append(value)
        return tuple(seen)


def media_type(content_type: str | None) -> str:
    return (content_type or "").split(";", 1)[0].strip().lower()


def header_charset(content_type: str | None) -> str | None:
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip():
            return _known_codec(value.strip().strip("\"'"))
    return None


def _known_codec(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def looks_like_html(content_type: str | None, body: bytes) -> bool:
    kind = media_type(content_type)
    if kind in _HTML_TYPES:
        return True
    if kind and kind not in ("text/plain", "application/octet-stream"):
        return False
    head = body[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<head", b"<title"))


def sniff_charset(content_type: str | None, body: bytes) -> str:
    """The header's charset, else a BOM, else <meta>, else UTF-8 if valid, else a guess.

    A header that says UTF-8 over bytes that are not UTF-8 is not believed: servers
    often add a default ``charset=utf-8`` to old windows-1251 pages.
    """
    declared = header_charset(content_type)
    if declared and not (declared == "utf-8" and not _valid_utf8(body)):
        return declared
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    match = _META_CHARSET.search(body[:4096])
    if match:
        meta = _known_codec(match.group(1).decode("ascii", "replace"))
        if meta:
            return meta
    if _valid_utf8(body):
        return "utf-8"
    from charset_normalizer import from_bytes  # only for undeclared non-UTF-8 pages

    best = from_bytes(body[:32768]).best()
    return best.encoding if best is not None else "cp1251"


def _valid_utf8(body: bytes) -> bool:
    try:
        # final=False: the prefix may end inside a character, which is not an error
        codecs.getincrementaldecoder("utf-8")("strict").decode(body, final=False)
    except UnicodeDecodeError:
        return False
    return True


def decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset, errors="replace")
    except LookupError:
        return body.decode("utf-8", errors="replace")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACES.sub(" ", value).strip()
    return value[:500] or None


def read_page(body: bytes, content_type: str | None) -> Page:
    """Title, first heading and og:title of an HTML prefix (decoded by its charset)."""
    charset = sniff_charset(content_type, body)
    text = decode(body, charset)
    # Parsing stops after the first </h1>: nothing later is used, and html.parser's
    # cost grows with the text it is given.
    end = _H1_END.search(text)
    markup = text[: end.end()] if end else text
    soup = BeautifulSoup(markup, "html.parser", parse_only=_STRAINER)
    title = soup.find("title")
    heading = soup.find("h1")
    og = soup.find("meta", attrs={"property": "og:title"})
    og_value = og.get("content") if og is not None else None
    return Page(
        title=_clean(title.get_text(" ")) if title is not None else None,
        heading=_clean(heading.get_text(" ")) if heading is not None else None,
        og_title=_clean(og_value) if isinstance(og_value, str) else None,
        text=text.lower(),
        charset=charset,
    )
