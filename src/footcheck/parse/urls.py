"""URLs as PDF extraction leaves them: broken across lines, glued to punctuation.

A URL is followed across a line break when the line ends where a URL cannot end
(``https://``, ``/``, ``-``, ``=``, ...) or the next line begins with a token that can
only be the rest of it (URL-safe characters, no space, not a word of prose). A hyphen
at the end of a line inside a URL is kept: slugs are full of hyphens and typesetters
rarely hyphenate URLs; a standalone copy of the URL (the PDF's link annotation)
confirms or repairs the reconstruction.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from functools import lru_cache

from footcheck.model import DateMention, UrlMention
from footcheck.parse.dates import BARE_DATE_RE, DATE_RE, access_dates_in, parse_date
from footcheck.parse.text import lower_pattern, lowered_for_search


@dataclass(frozen=True, slots=True)
class Segment:
    """Several lines joined with '\\n', with the way back to file line numbers."""

    text: str
    starts: tuple[int, ...]  # offset of each line in text
    numbers: tuple[int, ...]  # file line number of each line

    @classmethod
    def of(cls, lines: list[tuple[int, str]]) -> Segment:
        starts, numbers, parts, pos = [], [], [], 0
        for number, text in lines:
            starts.append(pos)
            numbers.append(number)
            parts.append(text)
            pos += len(text) + 1
        return cls("\n".join(parts), tuple(starts), tuple(numbers))

    def line_of(self, offset: int) -> int:
        i = bisect.bisect_right(self.starts, offset) - 1
        return self.numbers[max(i, 0)]


# A host with a path but no scheme ("ruscorpora.example.ru/search.html"): common top-level
# domains only, and a slash required, so that "т.е." or "file.py" never start a URL.
_BARE_TLDS = (
    "ru|su|рф|com|org|net|info|edu|gov|int|io|me|de|uk|fr|it|es|pl|cz|by|kz|ua|uz|eu|us|biz|pro|"
    "online|site|space|tv|cc|co|jp|cn"
)
URL_START = re.compile(
    rf"(?:https?://|ftp://|(?<![\w./@-])www\.|(?<![\w./@:%-])(?=[a-z0-9][a-z0-9-]*\.(?:[a-z0-9-]+\.)*(?:{_BARE_TLDS})/))",
    re.IGNORECASE,
)
# A bare host after a "URL:" label: "URL: kremlin.ru/events/president/news/7".
LABELLED_BARE = re.compile(
    r"(?:URL|Режим\s+доступа|Available\s+at|Available\s+from)\s*:\s*<?"
    r"(?=[\w-]+(?:\.[\w-]+)+(?:/|\s|$))(?!https?://|www\.)",
    re.IGNORECASE,
)
_URL_START_LOW = lower_pattern(URL_START)
_LABELLED_BARE_LOW = lower_pattern(LABELLED_BARE)
_STOP_AT = re.compile(r"\((?:дата|Дата|accessed|Accessed|last|retrieved|дата)|\s", re.UNICODE)
# characters a URL does not end with when the line breaks there
_DATE_OPENS = re.compile(r"\((?:дата|accessed|retrieved|last)", re.IGNORECASE)
_JOINERS = tuple("/-_.?&=#%~+:@")
# the next line's first token, if it can only be the rest of a URL
_CONTINUATION = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+")
_HOST_TAIL = re.compile(r"[A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[a-z]{2,}(?:[/:?#][^\s]*)?")
_TRAILING = ".,;:!?»\"'"
_PROSE = re.compile(r"^[A-Za-z][a-z]+$")  # "Accessed", "Moscow": words, not URL parts


def extract_urls(seg: Segment) -> list[tuple[int, int, str, bool]]:
    """Find URLs in a segment: (start, end, url, missing_scheme); ``end`` is where the
    URL's text stops in the segment (after any line breaks it was followed across)."""
    found: list[tuple[int, int, str, bool]] = []
    text = seg.text
    pos = 0
    # the label search is slow and rarely needed: only texts with a label run it, and a
    # match ahead of the position is reused instead of searched again
    labelled = any(word in text for word in ("URL", "url", "оступа", "vailable"))
    bare: re.Match[str] | None = None
    # the patterns are case-insensitive: run as their lower-case twins where that is exact
    low = lowered_for_search(text)
    url_start, labelled_bare, haystack = (
        (URL_START, LABELLED_BARE, text) if low is None else (_URL_START_LOW, _LABELLED_BARE_LOW, low))
    while True:
        m = url_start.search(haystack, pos)
        if labelled and (bare is None or bare.start() < pos):
            bare = labelled_bare.search(haystack, pos)
            labelled = bare is not None
        if bare and (not m or bare.end() < m.start()):
            start, missing = bare.end(), True
        elif m:
            start, missing = m.start(), not m.group(0).lower().startswith(("http", "ftp"))
        else:
            break
        url, end = _read_url(text, start)
        url = clean_url(url)
        if len(url) > 8 or (missing and "." in url):
            if missing:
                url = "http://" + url if not url.lower().startswith("http") else url
            found.append((start, end, url, missing))
        pos = max(end, start + 1)
    return found


def _read_url(text: str, start: int) -> tuple[str, int]:
    """Read the URL starting at ``start``; returns (url, end offset). Linear in the
    length read: each character is looked at once, and the joins decided on the
    pieces only."""
    parts: list[str] = []
    last = ""  # the URL so far, kept only as its tail: the decisions need no more
    i = start
    n = len(text)
    while i < n:
        m = _URL_RUN.match(text, i)
        j = m.end() if m else i
        chunk = text[i:j]
        cut = _DATE_OPENS.search(chunk) if "(" in chunk else None
        if cut:
            parts.append(chunk[: cut.start()])
            return "".join(parts), i + cut.start()
        parts.append(chunk)
        last = (last + chunk)[-200:]
        if j < n and text[j] == "\n" and _continues(last, text, j + 1):
            i = j + 1
            # the URL resumes at the first non-space character of the next line
            while i < n and text[i] == " ":
                i += 1
            continue
        if j + 1 < n and text[j] == " " and _continues_after_space(last, text, j + 1):
            i = j + 1
            continue
        return "".join(parts), j
    return "".join(parts), i


_URL_RUN = re.compile(r"[^\s<>\"«»\u201c\u201d]*")
# where a flattened line break (now a space) can only fall inside a URL
_SPACE_JOIN_AFTER = re.compile(r"(?:://|[./_=-])$")
_SPACE_TOKEN = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'*+,;=%]+")
_URLISH_CHAR = re.compile(r"[/._=?&%#~-]|\d")


def _continues_after_space(url_so_far: str, text: str, next_start: int) -> bool:
    """Text flattened from a PDF or a web page turns a line break into a space:
    ``https://www.example. org/a``, ``what_is_ two_factor``, ``https:// example.org``.
    Join only where the pieces can only be one URL: the URL so far ends where no URL
    ends (after '.', '/', '-', '_', '=' or the scheme), the next token has no prose
    letters and contains a URL character of its own, and the result still parses."""
    if not _SPACE_JOIN_AFTER.search(url_so_far):
        return False
    end = next_start
    n = len(text)
    while end < n and not text[end].isspace():
        end += 1
    token = text[next_start:end].rstrip(".,;:)»\"'")
    if not token or not _SPACE_TOKEN.fullmatch(token):
        return False
    if url_so_far.endswith("://"):
        return bool(_HOST_TAIL.match(token))
    if not _URLISH_CHAR.search(token) or not re.search(r"[A-Za-z]", token):
        return False  # "https://example.org/. Next", "….pdf. 2014": a word or a year after the URL
    if token.startswith(("http", "www.", "(")):
        return False
    joined = url_so_far + token
    return "." in joined.split("://", 1)[-1].split("/", 1)[0]


def _continues(url_so_far: str, text: str, next_start: int) -> bool:
    line_end = text.find("\n", next_start)
    nxt = text[next_start : line_end if line_end >= 0 else None]
    stripped = nxt.lstrip(" ")
    if not stripped:
        return False
    token = stripped.split(" ", 1)[0]
    if url_so_far.lower().endswith(("://", "www.")):
        return True
    if token[:1] in "./" and len(token) > 1 and _CONTINUATION.fullmatch(token.rstrip(".,;:")):
        return True  # Chicago style breaks before a dot or a slash
    if "/" not in url_so_far.rsplit("://", 1)[-1] and _HOST_TAIL.fullmatch(token.rstrip(".,;:")):
        # the break fell inside the host name: "www.consultan" + "t.ru/doc/1", also the
        # host of a URL inside an archive's ("web.archive.org/web/2022/http://journ" + "al.org/")
        return True
    m = _CONTINUATION.match(token)
    if not m or m.end() < len(token.rstrip(".,;:)")):
        # the next line starts with prose (Cyrillic, a quote...) unless the URL is
        # obviously unfinished: a trailing hyphen may precede a Cyrillic slug part
        if not url_so_far.endswith(_JOINERS[:2]) or not re.match(r"[^\W\d_]", token):
            return False
        # a Cyrillic path part: the URL already had Cyrillic, or the token is no prose word
        return bool(re.search(r"[а-яё]", url_so_far, re.IGNORECASE) or re.search(r"[_%=&/]", token))
    if token.startswith(("(", "[", "URL", "http")):
        return False
    if url_so_far.endswith(_JOINERS):
        return True
    if _PROSE.match(token.rstrip(".,;:")) and not re.search(r"[0-9/._=&?-]", token):
        return False
    # an unmarked break inside a token ("…ysclid=ls5x7l1" + "dn035…"): join when the
    # next token is URL-ish and the URL so far is in its path or query
    return "/" in url_so_far.split("://", 1)[-1] and bool(re.search(r"[0-9/._=&?%-]", token) or
                                                          token.isalnum())


def url_runs_on(line: str, next_line: str) -> bool:
    """``line`` ends inside a URL that the URL reader continues onto ``next_line``, and the
    next line's first word can only be a URL's part (``…/publication/4517_`` +
    ``Variation_and_frequency…``, ``…/diva2:160762/`` + ``FULLTEXT01.pdf``): that line is
    the URL's rest, not a new entry. A word such as ``Smith`` after ``…/`` may be either,
    and is left to the caller."""
    # the last token only: a search over the whole line would rescan a long token once per
    # "http" inside it
    m = _URL_IN_TOKEN.search(line, line.rfind(" ") + 1)
    if m is None:
        return False
    token = next_line.lstrip(" ").split(" ", 1)[0].rstrip(".,;:)")
    return bool(_URL_PART.search(token)) and _continues(m.group(0), next_line, 0)


_URL_PART = re.compile(r"[/_=?&%#~]|\d|\w\.\w")
_URL_START = re.compile(r"https?://|www\.")


def ends_in_url(text: str) -> bool:
    r"""The last token of ``text`` holds a URL's start (``… URL: https://port.example.ru/a``):
    what ``re.search(r"(?:https?://|www\.)\S*$", text)`` answers, in time linear in the last
    token. That anchored search, run over a whole line, reads the rest of a token once per
    ``http`` in it and backtracks where a space ends it: quadratic on a token of glued
    ``http://http://…`` (a broken text layer)."""
    if text.endswith("\n"):
        text = text[:-1]  # "$" matches before a final newline too
    if not text or text[-1].isspace():
        return False
    # rsplit from the right reads only the last token
    return _URL_START.search(text.rsplit(None, 1)[-1]) is not None


_URL_IN_TOKEN = re.compile(r"(?:https?://|www\.)\S*", re.IGNORECASE)


# a footnote marker glued to a URL that ends in a file name: ".../58316.html1"
_GLUED_MARKER = re.compile(r"(\.(?:s?html?|php|aspx?|jsp|pdf|xml|txt|docx?|cfm))\d{1,3}$", re.IGNORECASE)
# dashes typesetting put into URLs ("W17–4104"): a URL has only the ASCII hyphen
_URL_DASHES = str.maketrans("\u2010\u2011\u2012\u2013", "----")


def clean_url(url: str) -> str:
    url = url.strip().lstrip("<").strip().translate(_URL_DASHES)
    if url.endswith(">"):
        url = url[:-1]
    while url:
        last = url[-1]
        unmatched = (last == ")" and url.count("(") < url.count(")")) or (
            last == "]" and url.count("[") < url.count("]")
        )
        if last in _TRAILING or unmatched:
            url = url[:-1]
        else:
            break
    if url[-1:].isdigit():
        url = _GLUED_MARKER.sub(r"\1", url)
    return url


def url_mentions(seg: Segment, dates: list[tuple[int, int, list[DateMention]]] | None = None) -> list[UrlMention]:
    """URLs of a footnote or reference entry, each with the access date that follows it.

    An access date belongs to every URL printed since the previous access date
    ("URL: a; URL: b (дата обращения: …)")."""
    urls = extract_urls(seg)
    if not urls:
        return []
    if dates is None:
        dates = access_dates_in(seg.text, seg.line_of)
    mentions: list[UrlMention] = []
    pending: list[tuple[int, int, str, bool]] = []
    di = 0

    def flush(date: DateMention | None) -> None:
        for start, _end, url, missing in pending:
            mentions.append(UrlMention(url, seg.line_of(start), date, False, missing))
        pending.clear()

    for k, item in enumerate(urls):
        start, end, _, _ = item
        # dates before this URL close the URLs pending so far
        while di < len(dates) and dates[di][0] < start:
            if pending:
                flush(_latest(dates[di][2]))
            di += 1
        pending.append(item)
        next_start = urls[k + 1][0] if k + 1 < len(urls) else len(seg.text)
        if di >= len(dates) or dates[di][0] >= next_start:
            bare = BARE_DATE_RE.match(seg.text, end)
            if bare:
                value, problem = parse_date(DATE_RE.search(bare["dates"]).group(0))  # type: ignore[union-attr]
                flush(DateMention(" ".join(bare["dates"].split()), seg.line_of(end), value, "",
                                  problem or "date without a label"))
    while di < len(dates):
        if pending:
            flush(_latest(dates[di][2]))
        di += 1
    flush(None)
    return mentions


def _latest(mentions: list[DateMention]) -> DateMention | None:
    readable = [m for m in mentions if m.value]
    if readable:
        return max(readable, key=lambda m: m.value)  # type: ignore[arg-type, return-value]
    return mentions[0] if mentions else None


STANDALONE_URL = re.compile(r"^\s*<?(?:https?://|www\.)\S+>?\s*$", re.IGNORECASE)


def is_standalone_url(text: str) -> bool:
    return bool(STANDALONE_URL.match(text))


def comparable(url: str) -> str:
    """A key under which two printings of one URL compare equal."""
    u = url.strip().lower()
    u = re.sub(r"^https?://", "", u)
    u = re.sub(r"^www\.", "", u)
    return u.rstrip("/")


_SLUG_TOKEN = re.compile(r"[A-Za-z]{5,}")
_CONTEXT_WORD = re.compile(r"[^\W\d_]{5,}")


def restore_dropped_hyphen(url: str, line: str, typical: int, context: str) -> str:
    """pdftotext joins a line that ends in a hyphen with the next one and drops the
    hyphen, also inside a URL: ``tolstoy-`` + ``in-one-click`` -> ``tolstoyin-one-click``.
    Put it back only where all of this holds: the line is a join (much longer than the
    document's typical line), the URL's token sits in a hyphenated slug or host label,
    one half of the split is a word printed elsewhere in the note (or the URL), and the
    split falls where a typical line would have ended."""
    if typical < 20 or len(line) < 1.35 * typical or "-" not in url:
        return url
    at = line.find(url.split("://", 1)[-1])
    if at < 0:
        return url
    scheme_len = len(url) - len(url.split("://", 1)[-1])
    words = _context_words(context)
    best: tuple[float, int] | None = None
    for part in re.finditer(r"[^/]+", url[scheme_len:]):
        if "-" not in part.group(0):
            continue  # only slugs and host labels that use hyphens between words
        for token in _SLUG_TOKEN.finditer(part.group(0)):
            t = token.group(0).lower()
            for k in range(2, len(t) - 1):
                left, right = t[:k], t[k:]
                # a half printed elsewhere as a word of its own (not the token itself)
                if not ((len(left) >= 5 and left != t and left in words)
                        or (len(right) >= 5 and right != t and right in words)):
                    continue
                offset = part.start() + token.start() + k  # in the URL without its scheme
                col = at + offset
                lines_before = max(1, round(col / typical))
                if lines_before > 4:
                    continue
                miss = abs(col - lines_before * typical) / typical
                if miss <= 0.25 and (best is None or miss < best[0]):
                    best = (miss, scheme_len + offset)
    if best is None:
        return url
    return url[: best[1]] + "-" + url[best[1] :]


@lru_cache(maxsize=4)
def _context_words(context: str) -> frozenset[str]:
    """The words of a note, read once per note (every URL of the note asks; reading them
    per URL was quadratic in a note of thousands of URLs)."""
    return frozenset(_ascii_fold(w) for w in _CONTEXT_WORD.findall(context))


def _ascii_fold(word: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode().lower()
