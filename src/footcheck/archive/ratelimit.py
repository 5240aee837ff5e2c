"""Pacing requests to a rate-limited service, and how long to wait after a refusal.

Every HTTP request, retries included, takes a token from one shared bucket, so the
service never sees more than ``burst + rate × window`` requests in any window, however
many lookups run at once. A 429 pauses the whole bucket, not just the task that got
it: the limit is per client address, so every task would get the same answer.
"""

from __future__ import annotations

import asyncio
import time

from footcheck._pacing import TOLERANCE, Clock, Sleep, retry_after

__all__ = ["TokenBucket", "backoff_delay", "retry_after"]  # retry_after: the shared reading


class TokenBucket:
    def __init__(
        self,
        rate_per_minute: float,
        *,
        burst: int = 1,
        clock: Clock = time.monotonic,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        if rate_per_minute <= 0 or burst < 1:
            raise ValueError("rate and burst must be positive")
        self.interval = 60.0 / rate_per_minute
        self.burst = burst
        self._clock = clock
        self._sleep = sleep
        self._tokens = float(burst)
        self._stamp = clock()
        self._paused_until = 0.0
        self._lock: asyncio.Lock | None = None  # created inside the running loop

    def pause(self, seconds: float) -> None:
        """No request leaves before ``seconds`` from now (a 429 was received)."""
        self._refill()
        self._paused_until = max(self._paused_until, self._clock() + seconds)
        # A refusal means a burst is not welcome either: after the pause, one request,
        # then the steady pace; tokens only accrue again from the end of the pause.
        self._tokens = min(self._tokens, 1.0)
        self._stamp = max(self._stamp, self._paused_until)

    def _refill(self) -> None:
        now = self._clock()
        if now > self._stamp:
            self._tokens = min(self.burst, self._tokens + (now - self._stamp) / self.interval)
            self._stamp = now

    async def acquire(self) -> None:
        if self._lock is None:
            self._lock = asyncio.Lock()
        # Holding the lock while waiting keeps callers in arrival order and lets one
        # caller at a time reason about the bucket.
        async with self._lock:
            while True:
                self._refill()
                now = self._clock()
                wait = max(self._paused_until - now, (1.0 - self._tokens) * self.interval)
                if wait <= TOLERANCE:
                    self._tokens = max(0.0, self._tokens - 1.0)
                    return
                await self._sleep(wait)


def backoff_delay(attempt: int, header: str | None, *, base: float, cap: float) -> float:
    """``Retry-After`` if the service sent one, else ``base × 2^attempt``; never above ``cap``."""
    told = retry_after(header)
    delay = told if told is not None else base * (2**attempt)
    return min(delay, cap)
