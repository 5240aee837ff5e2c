"""Where a URL the parser rebuilt stands in the paper's source.

The parser joins a URL that the layout broke (``https://exam-`` + newline + ``ple.ru/a``,
``https://www.ietf. org/…``), so its printed form may hold line breaks, spaces and a
line-end hyphen that pdftotext-style text dropped. The search works on the region's
non-blank characters with a map back to source offsets: one pass over the region, then
``str.find``, so it is linear in the region.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

# Characters that would make a match the prefix (or suffix) of a longer printed URL.
_URL_BODY = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789/%_=&?#~+-")
_TRAILING = frozenset(".,;:!")


@dataclass(frozen=True, slots=True)
class Span:
    """A printed URL: ``source[start:end]``; ``positions[i]`` is where character ``i`` of
    the searched form stands (so a part of the URL can be edited alone)."""

    start: int
    end: int
    positions: tuple[int, ...]
    escaped: bool  # matched in an escaped form (HTML ``&amp;``, LaTeX ``\\%``): edit whole


def escape_for(fmt: str, url: str) -> str:
    """The URL as the format prints it in markup."""
    if fmt == "html":
        return html.escape(url, quote=True)
    if fmt == "latex":
        return "".join("\\" + c if c in "%#&_" else c for c in url)
    return url


def _squeeze(source: str, start: int, end: int, drop_hyphens: bool) -> tuple[str, list[int]]:
    chars: list[str] = []
    pos: list[int] = []
    i = start
    while i < end:
        c = source[i]
        if c.isspace():
            i += 1
            continue
        if drop_hyphens and c == "-":
            j = i + 1
            while j < end and source[j] in " \t\r":
                j += 1
            if j < end and source[j] == "\n":
                i = j + 1
                continue
        chars.append(c)
        pos.append(i)
        i += 1
    return "".join(chars), pos


def _boundary_ok(source: str, a: int, b: int) -> bool:
    if a > 0 and source[a - 1] in _URL_BODY and source[a - 1] not in "-":
        return False
    if b < len(source):
        c = source[b]
        if c in _URL_BODY:
            return False
        if c in _TRAILING and b + 1 < len(source) and source[b + 1] in _URL_BODY and source[b + 1] not in "-":
            return False
    return True


def find_spans(source: str, start: int, end: int, url: str, fmt: str = "text") -> list[Span]:
    """Every place in ``source[start:end]`` where ``url`` is printed, first the exact
    (unbroken) ones; empty when it is not there."""
    forms = [(url, False)]
    escaped = escape_for(fmt, url)
    if escaped != url:
        forms.append((escaped, True))
    for needle, is_escaped in forms:
        for drop in (False, True):
            squeezed, pos = _squeeze(source, start, end, drop)
            spans = _matches(source, squeezed, pos, needle, is_escaped)
            if spans:
                return spans
    return []


def _matches(source: str, squeezed: str, pos: list[int], needle: str, escaped: bool) -> list[Span]:
    out: list[Span] = []
    if not needle:
        return out
    k = squeezed.find(needle)
    while k != -1:
        a, b = pos[k], pos[k + len(needle) - 1] + 1
        if _boundary_ok(source, a, b):
            out.append(Span(a, b, tuple(pos[k : k + len(needle)]), escaped))
            k = squeezed.find(needle, k + len(needle))
        else:
            k = squeezed.find(needle, k + 1)
    return out


def runs(positions: tuple[int, ...]) -> list[tuple[int, int]]:
    """Source ranges covering these character positions, whitespace between them left out."""
    out: list[tuple[int, int]] = []
    for p in positions:
        if out and out[-1][1] == p:
            out[-1] = (out[-1][0], p + 1)
        else:
            out.append((p, p + 1))
    return out
