"""What a page prefix says about itself: its charset, title, main heading, og:title,
a ``<meta http-equiv="refresh">`` and how much visible text it has.

Only the first part of the body is read (see body.py), so everything here must cope
with HTML cut in the middle of a tag or of a multi-byte character.

No HTML parser: a bounded scan with regular expressions finds the few elements the
verdicts use, and each is looked for only when a verdict asks (the properties of
:class:`Page` are computed on first use). Script, style and comment blocks are cut out
before a search whenever one opens before the element found, so markup inside a
script is never taken for the page's own. This costs a few microseconds for a small page,
where building a BeautifulSoup tree cost about a tenth of a millisecond.
"""

from __future__ import annotations

import codecs
import html
import re

_META_CHARSET = re.compile(
    rb"""<meta[^>]{0,512}?charset\s*=\s*["']?\s*([a-zA-Z0-9_.:-]{1,40})""", re.IGNORECASE
)
_SPACES = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]*>")
_HIDDEN = re.compile(
    r"<!--.*?(?:-->|$)|<(script|style|noscript|template|svg)\b[^>]*>.*?(?:</\1\s*>|$)",
    re.IGNORECASE | re.DOTALL,
)
_HIDDEN_START = re.compile(r"<!--|<(?:script|style|noscript|template|svg)\b", re.IGNORECASE)
_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_META = re.compile(r"<meta\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))""")
_REFRESH = re.compile(r"^\s*(\d+(?:\.\d*)?)?\s*[;,]?\s*(?:url\s*=\s*)?(.*)$", re.IGNORECASE | re.DOTALL)
_HTML_TYPES = ("text/html", "application/xhtml+xml")
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# Codecs that codecs.lookup knows but that do not decode a web page (and may raise on
# anything they are given): a server can name any of them in its Content-Type.
_NOT_PAGE_CODECS = frozenset({"idna", "punycode", "undefined", "unicode-escape", "raw-unicode-escape", "mbcs",
                              "oem", "charmap"})
_MARKER_CHARS = 64 * 1024  # bot-wall markers sit at the top of the page


class Page:
    """One page prefix, read lazily."""

    __slots__ = ("_fields", "_markup", "_text", "charset")

    def __init__(self, markup: str, charset: str | None = None) -> None:
        self._markup = markup
        self.charset = charset
        self._fields: dict[str, object] = {}
        self._text: str | None = None

    def _cached(self, name: str, compute: object) -> object:
        try:
            return self._fields[name]
        except KeyError:
            value = self._fields[name] = compute() if callable(compute) else compute
            return value

    @property
    def title(self) -> str | None:
        return self._cached("title", lambda: _clean(_first(_TITLE, self._markup)))  # type: ignore[return-value]

    @property
    def heading(self) -> str | None:
        """The first ``<h1>``."""
        return self._cached("heading", lambda: _clean(_first(_H1, self._markup)))  # type: ignore[return-value]

    @property
    def og_title(self) -> str | None:
        return self._cached("og", lambda: _clean(self._meta("property", "og:title")))  # type: ignore[return-value]

    @property
    def refresh(self) -> tuple[float, str] | None:
        """(delay, target) of a ``<meta http-equiv="refresh">`` that names a URL."""
        return self._cached("refresh", self._refresh)  # type: ignore[return-value]

    @property
    def text(self) -> str:
        """The start of the decoded prefix, lower-cased, for marker searches."""
        text = self._text  # asked a dozen times per page by the verdict's marker tests
        if text is None:
            text = self._text = self._markup[:_MARKER_CHARS].lower()
        return text

    @property
    def visible_chars(self) -> int:
        """Characters of text a reader would see (tags, scripts, styles left out)."""
        return self._cached("visible", lambda: len(_SPACES.sub("", _TAG.sub("", _visible(self._markup)))))  # type: ignore[return-value]

    @property
    def titles(self) -> tuple[str, ...]:
        """Candidate titles in order of preference, without empties or repeats."""
        seen: list[str] = []
        for value in (self.title, self.og_title, self.heading):
            if value and value not in seen:
                seen.append(value)
        return tuple(seen)

    def _meta(self, attribute: str, value: str) -> str | None:
        for attrs in self._metas():
            if attrs.get(attribute, "").strip().lower() == value:
                return attrs.get("content")
        return None

    def _metas(self) -> list[dict[str, str]]:
        """The attributes of every ``<meta>`` (read once: og:title and refresh both ask)."""
        def read() -> list[dict[str, str]]:
            markup = _visible(self._markup) if _HIDDEN_START.search(self._markup) else self._markup
            return [_attributes(tag.group(0)) for tag in _META.finditer(markup)]

        return self._cached("metas", read)  # type: ignore[return-value]

    def _refresh(self) -> tuple[float, str] | None:
        content = self._meta("http-equiv", "refresh")
        if content is None:
            return None
        match = _REFRESH.match(content)
        if match is None:
            return None
        target = match.group(2).strip().strip("'\"").strip()
        if not target:
            return None
        delay = float(match.group(1)) if match.group(1) else 0.0
        return delay, target


def _first(pattern: re.Pattern[str], markup: str) -> str | None:
    found = pattern.search(markup)
    if found is None:
        return None
    hidden = _HIDDEN_START.search(markup, 0, found.start())
    if hidden is not None:  # a script or comment opens first: search without them
        found = pattern.search(_visible(markup))
        if found is None:
            return None
    return found.group(1)


def _visible(markup: str) -> str:
    return _HIDDEN.sub(" ", markup)


def _attributes(tag: str) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, double, single, bare in _ATTR.findall(tag):
        out.setdefault(name.lower(), html.unescape(double or single or bare))
    return out


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
        info = codecs.lookup(name)
    except LookupError:
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _NOT_PAGE_CODECS:
        return None
    return info.name


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
        body.decode("utf-8")  # the common case, in C; a prefix cut inside a character fails here
        return True
    except UnicodeDecodeError:
        pass
    try:
        # final=False: the prefix may end inside a character, which is not an error
        codecs.getincrementaldecoder("utf-8")("strict").decode(body, final=False)
    except UnicodeDecodeError:
        return False
    return True


def decode(body: bytes, charset: str) -> str:
    try:
        return body.decode(charset, errors="replace")
    except (LookupError, UnicodeError, ValueError, TypeError):
        return body.decode("utf-8", errors="replace")


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = _SPACES.sub(" ", html.unescape(_TAG.sub(" ", value))).strip()
    return value[:500] or None


def read_page(body: bytes, content_type: str | None) -> Page:
    """The page an HTML prefix is (decoded by its charset); its parts are read on use."""
    charset = sniff_charset(content_type, body)
    return Page(decode(body, charset), charset)
