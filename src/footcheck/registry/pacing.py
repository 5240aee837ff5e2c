"""Pacing requests to a registry from what the service itself says about its limits.

Crossref states its limits on every answer: ``x-rate-limit-limit`` requests per
``x-rate-limit-interval`` (``1s``, ``500ms``, ``1m``), and ``x-concurrency-limit`` requests in
flight at once. They change (by pool, by load), so nothing here hard-codes them: until the
first answer arrives one request is in flight; from then on requests are spaced evenly,
``interval / limit`` apart with a 5 % margin (so no window of ``interval`` ever holds more
than ``limit`` of them), and at most the stated number are in flight. A service that
states nothing gets a modest fallback pace. A 429 or a 5xx pauses the whole service, not
just the request that got it: the limit is per client.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager

from footcheck._pacing import TOLERANCE, Clock, Sleep

MARGIN = 1.05  # spacing slightly wider than the stated limit: clocks and networks jitter
FALLBACK_RATE = 10.0  # requests per second for a service that states no limit
FALLBACK_CONCURRENCY = 2  # in flight to a service that states no limits at all
STATED_RATE_CONCURRENCY = 4  # in flight to one that states a rate but no concurrency limit


def parse_interval(value: str | None) -> float | None:
    """Seconds from ``1s``, ``500ms``, ``1m``, ``2h`` or a bare number of seconds."""
    if not value:
        return None
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*", value.lower())
    if not m:
        return None
    number = float(m[1])
    seconds = number * {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}[m[2] or "s"]
    return seconds if seconds > 0 else None


def parse_count(value: str | None) -> int | None:
    if not value:
        return None
    try:
        n = int(float(value.strip()))
    except (ValueError, OverflowError):  # "inf" or "1e999" from a hostile mirror
        return None
    return n if n > 0 else None


def _first(headers: Mapping[str, str], *names: str) -> str | None:
    for name in names:
        value = headers.get(name)
        if value:
            return value
    return None


class Pacer:
    """One per service: a concurrency gate and an even spacing, both from its headers."""

    def __init__(self, *, max_concurrency: int = 8, clock: Clock = time.monotonic,
                 sleep: Sleep = asyncio.sleep) -> None:
        self.max_concurrency = max(1, max_concurrency)
        self._clock = clock
        self._sleep = sleep
        self.gap: float | None = None  # seconds between request starts; None until known
        self.concurrency = 1  # until the service has answered once
        self.informed = False  # the service stated a rate limit
        self._answered = False
        self._next = 0.0  # earliest start of the next request
        self._paused_until = 0.0
        self._in_flight = 0
        self._cond: asyncio.Condition | None = None
        self._lock: asyncio.Lock | None = None
        self.starts: list[float] = []  # clock readings of every request start (tests, benchmarks)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Read the limits an answer states (any answer, errors included)."""
        limit = parse_count(_first(headers, "x-rate-limit-limit", "x-ratelimit-limit"))
        interval = parse_interval(_first(headers, "x-rate-limit-interval", "x-ratelimit-interval"))
        concurrency = parse_count(_first(headers, "x-concurrency-limit", "x-ratelimit-concurrency"))
        if limit is not None:
            self.gap = MARGIN * (interval or 1.0) / limit
            self.informed = True
        if concurrency is not None:
            self.concurrency = min(concurrency, self.max_concurrency)
        elif limit is not None:
            self.concurrency = min(STATED_RATE_CONCURRENCY, limit, self.max_concurrency)
        elif not self._answered:
            self.concurrency = min(FALLBACK_CONCURRENCY, self.max_concurrency)
        if not self._answered and self.gap is None:
            self.gap = 1.0 / FALLBACK_RATE
        if self.starts and self.gap is not None:
            # the requests that left before the limit was known count too
            self._next = max(self._next, self.starts[-1] + self.gap)
        self._answered = True
        if self._cond is not None:
            self._wake()

    def pause(self, seconds: float) -> None:
        """No request of this service starts before ``seconds`` from now."""
        self._paused_until = max(self._paused_until, self._clock() + seconds)

    def _wake(self) -> None:
        cond = self._cond
        if cond is None:
            return

        async def notify() -> None:
            async with cond:
                cond.notify_all()

        asyncio.get_running_loop().create_task(notify())

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        """Wait for a free place and for this request's turn; hold the place meanwhile."""
        if self._cond is None:
            self._cond = asyncio.Condition()
            self._lock = asyncio.Lock()
        assert self._cond is not None and self._lock is not None
        async with self._cond:
            await self._cond.wait_for(lambda: self._in_flight < self.concurrency)
            self._in_flight += 1
        try:
            async with self._lock:  # starts are handed out in arrival order
                while True:
                    now = self._clock()
                    start = max(now, self._next, self._paused_until)
                    wait = start - now
                    if wait <= TOLERANCE:
                        break
                    await self._sleep(wait)
                self._next = now + (self.gap or 0.0)
                self.starts.append(now)
            yield
        finally:
            async with self._cond:
                self._in_flight -= 1
                self._cond.notify_all()
