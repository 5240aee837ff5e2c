"""Short quotations of the paper in findings: one way to cut them, for every rule.

A finding quotes a reference entry or a note so the editor recognises it; cut in the
middle of a word («Южной Аз») it reads as a typo of the paper's. The cut goes at the
last word boundary before the limit (unless that would lose most of it) and is marked
with an ellipsis; line breaks and runs of spaces inside the quotation are folded.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s+")


def excerpt(text: str, limit: int) -> str:
    """``text`` in at most ``limit`` characters, cut at a word boundary with "…"."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[: max(limit - 1, 1)]
    space = cut.rfind(" ")
    if space >= limit * 0.6:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–—([«\"") + "…"
