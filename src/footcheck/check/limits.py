"""Politeness: a global limit on requests in flight, a per-host limit, host pauses
(after a Retry-After) and the retry schedule."""

from __future__ import annotations

import asyncio
import datetime as dt
import email.utils
import random
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostLimiter:
    """At most ``per_host`` requests to one host and ``concurrency`` overall.

    The host slot is taken first and the global one second, so a request waiting for a
    busy host never holds one of the global slots other hosts could use. A slot is held
    for one request only (one redirect hop), never while waiting for another host, so
    redirect chains between hosts cannot deadlock.
    """

    def __init__(self, concurrency: int, per_host: int) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._paused_until: dict[str, float] = {}

    @asynccontextmanager
    async def slot(self, host: str) -> AsyncIterator[None]:
        semaphore = self._hosts.get(host)
        if semaphore is None:
            semaphore = self._hosts[host] = asyncio.Semaphore(self._per_host)
        async with semaphore:
            loop = asyncio.get_running_loop()
            while (wait := self._paused_until.get(host, 0.0) - loop.time()) > 0:
                await asyncio.sleep(wait)
            async with self._global:
                yield

    def pause(self, host: str, seconds: float) -> None:
        """Send nothing more to ``host`` for a while (it asked us to wait)."""
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until[host] = max(self._paused_until.get(host, 0.0), until)


def retry_after_seconds(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds a ``Retry-After`` header asks for (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


def backoff_delay(attempt: int, base: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: about base, 2*base, 4*base ... (x0.5-1.5)."""
    rng = rng or random
    return base * (2**attempt) * (0.5 + rng.random())
