"""The one place that decides how rich writes: colour, width, no markup.

Markup and highlighting are off for the whole console, so no string we print is ever
parsed for ``[tags]``: text from a document is shown as it is (after
:func:`footcheck.report._text.clean`), whatever brackets it contains.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any, TextIO

from rich.console import Console


def make_console(out: TextIO, *, color: bool | None, width: int | None) -> Console:
    options: dict[str, Any] = {
        "file": out,
        "width": width,
        "markup": False,
        "highlight": False,
        "emoji": False,
        "soft_wrap": False,
    }
    if color is False:
        # Not a terminal as far as rich knows: no colour, no cursor codes, no hyperlinks.
        options.update(force_terminal=False, no_color=True, color_system=None)
    elif color is True:
        options.update(force_terminal=True, color_system="auto")
    return Console(**options)


def hyperlinks_on(console: Console) -> bool:
    """Whether styles reach the output, so a ``link`` style becomes a clickable link."""
    return console.is_terminal and console.color_system is not None


def emit(
    out: TextIO,
    draw: Callable[[Console], None],
    *,
    color: bool | None,
    width: int | None,
) -> None:
    """Run ``draw`` on a console for ``out``.

    On a terminal it writes straight through. Otherwise rich's padding of table rows to
    the full width is only noise in a file or a diff, and with no escape codes in the
    text it can be stripped safely, so the output is drawn into a buffer first.
    """
    console = make_console(out, color=color, width=width)
    if console.is_terminal:
        draw(console)
        return
    buffer = io.StringIO()
    draw(make_console(buffer, color=False, width=console.width))
    for line in buffer.getvalue().splitlines():
        out.write(line.rstrip() + "\n")
