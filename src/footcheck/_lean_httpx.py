"""Keep httpx's own command line out of footcheck's imports.

``import httpx`` also imports ``httpx._main``, the ``httpx`` console command, which
pulls in click, rich and pygments when they are installed (typer brings all three): up
to a third of the time an online run spends before its first request. httpx catches
an ImportError there and defines a stub instead, so a ``None`` entry in
``sys.modules`` skips the whole thing. footcheck never uses that command; the
``httpx`` executable itself runs in a process of its own and is unaffected.
"""

from __future__ import annotations

import sys


def skip_httpx_cli() -> None:
    if "httpx" not in sys.modules:
        sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]
