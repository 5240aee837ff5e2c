"""The token bucket on a virtual clock: its pace is exact and needs no real waiting."""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools

import pytest
from fake_wayback import most_in_window

from footcheck.archive.interface import ArchiveOptions
from footcheck.archive.ratelimit import TokenBucket, backoff_delay, retry_after


class VirtualClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def starts(bucket: TokenBucket, clock: VirtualClock, n: int, tasks: int = 4) -> list[float]:
    """When each of ``n`` requests, spread over ``tasks`` concurrent workers, may leave."""
    times: list[float] = []

    async def worker(share: int) -> None:
        for _ in range(share):
            await bucket.acquire()
            times.append(clock.now)

    async def main() -> None:
        await asyncio.gather(*(worker(n // tasks) for _ in range(tasks)))

    asyncio.run(main())
    return sorted(times)


def test_default_pace_stays_under_30_a_minute() -> None:
    clock = VirtualClock()
    bucket = TokenBucket(24.0, clock=clock, sleep=clock.sleep)
    times = starts(bucket, clock, 200)
    assert len(times) == 200
    assert most_in_window(times, 60.0) <= 25  # burst 1 + 24 a minute
    assert times[-1] == pytest.approx(199 * 2.5)
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) == pytest.approx(2.5)


def test_default_options_stay_under_the_cdx_limit() -> None:
    options = ArchiveOptions()
    clock = VirtualClock()
    bucket = TokenBucket(options.rate_per_minute, burst=options.burst, clock=clock, sleep=clock.sleep)
    times = starts(bucket, clock, 200)
    assert times[: options.burst] == [0.0] * options.burst  # a short paper waits for nothing
    assert most_in_window(times, 60.0) <= options.burst + options.rate_per_minute < 30
    assert most_in_window(times, 300.0) <= options.burst + 5 * options.rate_per_minute


def test_burst_then_steady_rate() -> None:
    clock = VirtualClock()
    bucket = TokenBucket(60.0, burst=5, clock=clock, sleep=clock.sleep)
    times = starts(bucket, clock, 20)
    assert times[:5] == [0.0] * 5
    assert times[5:8] == pytest.approx([1.0, 2.0, 3.0])
    assert most_in_window(times, 10.0) <= 5 + 10


def test_pause_holds_every_caller() -> None:
    clock = VirtualClock()
    bucket = TokenBucket(600.0, burst=3, clock=clock, sleep=clock.sleep)

    async def main() -> list[float]:
        await bucket.acquire()
        bucket.pause(30.0)
        out = []
        for _ in range(3):
            await bucket.acquire()
            out.append(clock.now)
        return out

    after = asyncio.run(main())
    assert after[0] == pytest.approx(30.0)
    assert after[1] == pytest.approx(30.1)  # saved-up tokens were dropped by the pause


def test_retry_after_forms() -> None:
    now = dt.datetime(2024, 1, 1, 12, 0, tzinfo=dt.timezone.utc)
    assert retry_after("120") == 120.0
    assert retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now=now) == pytest.approx(30.0)
    assert retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now=now) == 0.0
    assert retry_after("soon") is None
    assert retry_after(None) is None


def test_backoff_is_capped() -> None:
    assert backoff_delay(0, None, base=10, cap=60) == 10
    assert backoff_delay(2, None, base=10, cap=60) == 40
    assert backoff_delay(5, None, base=10, cap=60) == 60
    assert backoff_delay(0, "3600", base=10, cap=60) == 60
    assert backoff_delay(3, "2", base=10, cap=60) == 2
