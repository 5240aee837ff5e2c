"""Making text taken from a document safe to show on a terminal.

A paper is untrusted input: it may carry ANSI escape sequences that recolour or clear
the screen, OSC 8 hyperlinks, C1 controls that some terminals obey, and bidi overrides
that make a line read differently from what it contains ("Trojan Source"). Anything
that is printed for a person goes through :func:`clean` or :func:`clean_line` first;
data formats (JSON, SARIF) keep the text as it is, since their escaping is exact.
"""

from __future__ import annotations

import re

# Whole escape sequences go, not just the ESC byte: otherwise "\x1b[31m" would leave a
# stray "[31m" behind. CSI and OSC come in 7-bit (ESC-prefixed) and 8-bit (C1) forms.
_ESCAPES = re.compile(
    r"""
      (?:\x1b\[|\x9b) [0-?]* [ -/]* [@-~]                # CSI: colours, cursor moves
    | (?:\x1b[\]PX^_]|[\x9d\x90\x98\x9e\x9f])             # OSC, DCS, SOS, PM, APC ...
      [^\x07\x1b\x9c]* (?:\x07|\x1b\\|\x9c)?              # ... up to BEL or ST
    | \x1b [ -/]* [0-~]                                   # any other ESC sequence
    """,
    re.VERBOSE,
)

# Line and paragraph separators are line breaks in disguise.
_BREAKS = re.compile(r"\r\n|[\r\u2028\u2029\x0b\x0c\x85]")

_BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_DROP = {
    **{code: None for code in range(0x00, 0x20) if chr(code) not in "\n\t"},
    0x7F: None,
    **{code: None for code in range(0x80, 0xA0)},
    **{ord(char): None for char in _BIDI},
    0xFEFF: None,  # a stray BOM inside the text is invisible but not harmless in a cell
    ord("\t"): " ",
}

_SPACES = re.compile(r"\s+")


def clean(text: str) -> str:
    """Remove escape sequences and control characters; keep line breaks as ``\\n``."""
    text = _BREAKS.sub("\n", text)
    text = _ESCAPES.sub("", text)
    return text.translate(_DROP)


def clean_line(text: str) -> str:
    """:func:`clean`, then fold every run of whitespace (line breaks too) to one space."""
    return _SPACES.sub(" ", clean(text)).strip()


def shorten(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` characters, marking the cut with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[: max(limit - 1, 0)].rstrip() + "…"
