"""What every client that paces a remote service needs, whichever stage it serves.

The Wayback clients (``archive/ratelimit.py``: a token bucket at a configured rate) and
the registry clients (``registry/pacing.py``: the pace each answer's headers state) pace
differently, but they (and the link checker) read ``Retry-After`` the same way and both take their clock and
sleep as arguments so tests can run them on virtual time. archive/ and registry/ are
sibling stages and may not import each other, so the shared part lives here, below both.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import math
from collections.abc import Awaitable, Callable

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# Seconds a computed wait may be short by and still count as none: it absorbs float
# rounding (a wait of 1e-16 s would not move a clock reading of hundreds of seconds, and a
# pacing loop would spin).
TOLERANCE = 1e-6


def retry_after(value: str | None, *, now: dt.datetime | None = None) -> float | None:
    """Seconds from a ``Retry-After`` header (delta-seconds or an HTTP date); None for
    anything else. The header comes from any server, so nothing it holds may raise: an
    HTTP date in the year 99999999999 overflows, ``inf`` and ``nan`` are no waits."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        pass
    else:
        return max(0.0, seconds) if math.isfinite(seconds) else None
    try:
        when = email.utils.parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.timezone.utc)
        current = now or dt.datetime.now(dt.timezone.utc)
        return max(0.0, (when - current).total_seconds())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
