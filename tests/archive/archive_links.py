"""Link/result pairs for archive tests (a plain module: two conftest.py files cannot both be
imported as `conftest`)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from footcheck.model import Link, LinkResult, LinkStatus


def dead(url: str, access: dt.date | None = None, **fields: Any) -> tuple[Link, LinkResult]:
    """A link whose check said 404, cited with ``access`` as its access date."""
    link = Link(url=url, footnotes=(1,), line=10, access_date=access, **fields)
    return link, LinkResult(url=url, status=LinkStatus.BROKEN, http_status=404)
