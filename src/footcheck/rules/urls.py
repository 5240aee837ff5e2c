"""FC2xx: URLs as printed — missing access dates, tracking parameters, repeats, typos."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import unquote, urlsplit

from footcheck.model import Document, Finding, Severity, UrlMention
from footcheck.rules.context import RuleContext
from footcheck.rules.interface import implements, rule

URL_WITHOUT_ACCESS_DATE = rule(
    "FC201", "url-without-access-date", Severity.WARNING,
    "A URL is cited without an access date.",
    """GOST R 7.0.5-2008 and 7.0.100-2018 make the access date («дата обращения») mandatory for
    online sources: it records when the author saw the page, and it is what an editor needs to
    find the archived copy of a page that has since changed or died.""",
    example="URL: https://example.ru/doc/1.",
    fix="Add «(дата обращения: ДД.ММ.ГГГГ)» after the URL.",
)
TRACKING_PARAMETERS = rule(
    "FC202", "tracking-parameters", Severity.WARNING,
    "A URL carries tracking parameters (ysclid, utm_*, fbclid, ...).",
    """Parameters such as `ysclid` (Yandex), `utm_*`, `fbclid`, `gclid` or `yclid` are added by
    search engines and social networks to track a click. They identify nothing in the cited
    document, make the printed URL long and fragile across line breaks, and leak the author's
    browsing. The clean URL points to the same page.""",
    example="https://ria.ru/20230928/news.html?ysclid=lr3tm2fsnc59192795",
    fix="Cite the URL without them (the suggestion shows it).",
)
DUPLICATE_URL = rule(
    "FC203", "duplicate-url", Severity.INFO,
    "The same URL is cited in several footnotes.",
    """One source is given in full in several notes. GOST allows a shortened repeated reference
    («Там же», or author and title) after the first full one; repeating the full reference is not
    an error but lengthens the paper.""",
    example="3 … URL: https://x.ru/a …   9 … URL: https://x.ru/a …",
    fix="Consider a repeated reference for later notes.",
)
MISSING_SCHEME = rule(
    "FC204", "url-without-scheme", Severity.INFO,
    "A URL is printed without http:// or https://.",
    """`www.example.ru/page` is understood by people but not by every reader application, and
    the check has to guess the scheme (footcheck tries http://).""",
    example="URL: www.cbr.ru/statistics/",
    fix="Print the full URL with its scheme.",
)
TRUNCATED_URL = rule(
    "FC205", "truncated-url", Severity.WARNING,
    "A URL ends with an ellipsis: it was cut short.",
    """A URL shortened with «…» for layout cannot be followed. The full address is needed.""",
    example="https://www.example.ru/…",
    fix="Print the full URL.",
)
MIXED_SCRIPT_HOST = rule(
    "FC206", "mixed-script-host", Severity.WARNING,
    "A host name mixes Latin and Cyrillic letters.",
    """A Cyrillic «а» or «о» typed inside a Latin domain (`tаss.ru`) makes a different address
    that looks identical. It usually comes from switching keyboard layouts and the link is dead.""",
    example="https://tаss.ru/ (Cyrillic а)",
    fix="Retype the host name in one script.",
)

TRACKING_KEYS = frozenset({
    "ysclid", "yclid", "fbclid", "gclid", "dclid", "msclkid", "igshid", "mc_cid", "mc_eid",
    "_openstat", "rb_clickid", "_ga", "_gl", "twclid", "ttclid", "wbraid", "gbraid", "srsltid",
})  # fmt: skip


def is_tracking_key(key: str) -> bool:
    k = key.lower()
    return k in TRACKING_KEYS or k.startswith("utm_")


def tracking_cuts(url: str) -> tuple[list[tuple[int, int]], list[str]]:
    """Where the tracking parameters stand in ``url`` (ranges to cut, with their ``&`` or
    ``?``) and their names. Every other character of the URL stays as printed: the kept
    parameters are not decoded and re-encoded (``q=a%2Fb`` stays ``q=a%2Fb``)."""
    hash_at = url.find("#")
    query_end = hash_at if hash_at != -1 else len(url)
    q = url.find("?", 0, query_end)
    if q == -1 or q + 1 >= query_end:
        return [], []
    segments: list[tuple[int, int]] = []
    i = q + 1
    while i <= query_end:
        j = url.find("&", i, query_end)
        j = query_end if j == -1 else j
        segments.append((i, j))
        i = j + 1
    names = [url[a:b].split("=", 1)[0] for a, b in segments]
    drop = [is_tracking_key(unquote(n)) for n in names]
    if not any(drop):
        return [], []
    removed = [n for n, d in zip(names, drop, strict=True) if d]
    if all(drop):  # the whole query goes, with its "?"
        return [(q, query_end)], removed
    cuts: list[tuple[int, int]] = []
    first_kept = drop.index(False)
    for k, ((a, b), d) in enumerate(zip(segments, drop, strict=True)):
        if not d:
            continue
        # before the first kept parameter a segment takes its following "&", after it its
        # preceding one, so the kept ones keep their separators
        cuts.append((a, b + 1) if k < first_kept else (a - 1, b))
    return cuts, removed


def strip_tracking(url: str) -> tuple[str, list[str]]:
    """The URL without tracking parameters, and the names removed."""
    cuts, removed = tracking_cuts(url)
    if not cuts:
        return url, []
    out, last = [], 0
    for a, b in cuts:
        out.append(url[last:a])
        last = b
    out.append(url[last:])
    return "".join(out), removed


def _host_scripts(url: str) -> set[str]:
    if url.isascii():
        return set()  # no Cyrillic letter at all: the usual case, without parsing the URL
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        return set()
    scripts = set()
    for label in host.split("."):
        kinds = {unicodedata.name(ch, "?").split()[0] for ch in label if ch.isalpha()}
        if {"LATIN", "CYRILLIC"} <= kinds:
            scripts.add(label)
    return scripts


def _mentions(doc: Document) -> list[tuple[UrlMention, int | None]]:
    out: list[tuple[UrlMention, int | None]] = [(u, fn.number) for fn in doc.footnotes for u in fn.urls]
    out += [(u, None) for ref in doc.references if not ref.transliterated for u in ref.urls]
    return out


def _where(footnote: int | None) -> str:
    return f"footnote {footnote}" if footnote is not None else "the reference list"


@implements(URL_WITHOUT_ACCESS_DATE)
def without_access_date(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        URL_WITHOUT_ACCESS_DATE.finding(
            f"{m.url} in {_where(fn)} has no access date", line=m.line, footnote=fn, url=m.url)
        for m, fn in _mentions(doc) if m.access_date is None and not _is_identifier(m.url)
    ]


@implements(TRACKING_PARAMETERS)
def tracking_parameters(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for mention, footnote in _mentions(doc):
        clean, removed = strip_tracking(mention.url)
        if removed:
            findings.append(TRACKING_PARAMETERS.finding(
                f"{_where(footnote)}: URL carries tracking parameter{'s' if len(removed) > 1 else ''} "
                f"{', '.join(removed)}", line=mention.line, footnote=footnote, url=mention.url,
                suggestion=clean))
    return findings


@implements(MISSING_SCHEME)
def without_scheme(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        MISSING_SCHEME.finding(
            f"{m.url.removeprefix('http://')} in {_where(fn)} has no scheme", line=m.line,
            footnote=fn, url=m.url, suggestion=m.url)
        for m, fn in _mentions(doc) if m.missing_scheme
    ]


@implements(TRUNCATED_URL)
def truncated(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        TRUNCATED_URL.finding(f"{m.url} in {_where(fn)} is cut short", line=m.line, footnote=fn,
                              url=m.url)
        for m, fn in _mentions(doc) if m.url.endswith(("…", "..."))
    ]


@implements(MIXED_SCRIPT_HOST)
def mixed_script_hosts(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for mention, footnote in _mentions(doc):
        mixed = _host_scripts(mention.url)
        if mixed:
            findings.append(MIXED_SCRIPT_HOST.finding(
                f"host label {', '.join(sorted(mixed))} of {mention.url} mixes Latin and Cyrillic letters",
                line=mention.line, footnote=footnote, url=mention.url))
    return findings


def _is_identifier(url: str) -> bool:
    return bool(re.match(r"https?://(?:dx\.)?doi\.org/", url, re.IGNORECASE))


@implements(DUPLICATE_URL)
def duplicates(doc: Document, ctx: RuleContext) -> list[Finding]:
    seen: dict[str, list[int]] = {}
    first_line: dict[str, int] = {}
    for fn in doc.footnotes:
        for u in fn.urls:
            key = strip_tracking(u.url)[0]
            notes = seen.setdefault(key, [])
            if fn.number not in notes:
                notes.append(fn.number)
                first_line.setdefault(key, u.line)
    return [
        DUPLICATE_URL.finding(
            f"{url} is cited in footnotes {', '.join(map(str, notes))}", line=first_line[url],
            footnote=notes[1], url=url)
        for url, notes in seen.items() if len(notes) > 1
    ]
