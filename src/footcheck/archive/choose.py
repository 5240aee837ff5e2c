"""Choosing the capture to cite, on the client.

The CDX server is asked for the captures nearest the reference date, but the choice is
made here, so it does not depend on how a given service sorts, pads timestamps or
honours ``filter``.

Distance is counted in calendar days (UTC) between the capture and the reference date.
A footnote's access date names a day, not an instant: every capture made that day is
"exactly on" it, and a capture five days before is as close as one five days after,
whatever the hour. Equal distances go to the earlier capture, which is closer to what
the author could have seen.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from footcheck.archive.cdx import Row
from footcheck.model import ArchiveCapture

OK_STATUS = "200"


def capture_url(base_url: str, timestamp: dt.datetime, url: str) -> str:
    return f"{base_url}/web/{timestamp.strftime('%Y%m%d%H%M%S')}/{url}"


def days_between(timestamp: dt.datetime, reference: dt.date) -> int:
    """Capture date minus reference date, in whole calendar days (negative: before)."""
    return (timestamp.astimezone(dt.timezone.utc).date() - reference).days


def playable(rows: Iterable[Row]) -> list[Row]:
    """Rows with status 200, oldest first, one per timestamp.

    A row without a status column is kept: the query asked the service to filter.
    """
    unique = {row.timestamp: row for row in rows if row.status in (None, OK_STATUS)}
    return [unique[ts] for ts in sorted(unique)]


def to_capture(row: Row, reference: dt.date | None, base_url: str, url: str) -> ArchiveCapture:
    return ArchiveCapture(
        url=capture_url(base_url, row.timestamp, url),
        timestamp=row.timestamp,
        days_from_access=None if reference is None else days_between(row.timestamp, reference),
    )


def choose(rows: Iterable[Row], reference: dt.date | None) -> Row | None:
    """The status-200 row nearest ``reference`` (ties: the earlier); the newest without one."""
    good = playable(rows)
    if not good:
        return None
    if reference is None:
        return good[-1]
    return min(good, key=lambda row: (abs(days_between(row.timestamp, reference)), row.timestamp))


def choose_capture(
    rows: Iterable[Row], reference: dt.date | None, base_url: str, url: str
) -> tuple[ArchiveCapture | None, tuple[ArchiveCapture, ...]]:
    """The chosen capture and every status-200 capture seen (oldest first)."""
    good = playable(rows)
    best = choose(good, reference)
    candidates = tuple(to_capture(row, reference, base_url, url) for row in good)
    return (None if best is None else to_capture(best, reference, base_url, url)), candidates
