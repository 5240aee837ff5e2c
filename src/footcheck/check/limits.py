"""Politeness: a global limit on requests in flight, a per-host limit, host pauses
(after a Retry-After), a configured pace per host and the retry schedule."""

from __future__ import annotations

import asyncio
import random
from collections.abc import Mapping

from footcheck.check.options import HostPolicy


class HostLimiter:
    """At most ``per_host`` requests to one host and ``concurrency`` overall.

    The host slot is taken first and the global one second, so a request waiting for a
    busy host never holds one of the global slots other hosts could use. A slot is held
    for one request only (one redirect hop), never while waiting for another host, so
    redirect chains between hosts cannot deadlock.

    ``policies`` (by ASCII host name) override the limit for one host and may set a
    ``delay``: the least time between the starts of two requests to it.
    """

    def __init__(self, concurrency: int, per_host: int,
                 policies: Mapping[str, HostPolicy] | None = None) -> None:
        self._global = asyncio.Semaphore(concurrency)
        self._per_host = per_host
        self._policies = policies or {}
        self._hosts: dict[str, asyncio.Semaphore] = {}
        self._paused_until: dict[str, float] = {}
        self._delays = {h: p.delay for h, p in self._policies.items() if p.delay}

    def slot(self, host: str) -> _Slot:
        """``async with limiter.slot(host):`` around one request to ``host``."""
        semaphore = self._hosts.get(host)
        if semaphore is None:
            policy = self._policies.get(host)
            limit = policy.concurrency if policy and policy.concurrency else self._per_host
            semaphore = self._hosts[host] = asyncio.Semaphore(limit)
        return _Slot(self, host, semaphore)

    def pause(self, host: str, seconds: float) -> None:
        """Send nothing more to ``host`` for a while (it asked us to wait)."""
        until = asyncio.get_running_loop().time() + seconds
        self._paused_until[host] = max(self._paused_until.get(host, 0.0), until)


class _Slot:
    """Host slot first, then a global one (a class: this runs once per request)."""

    __slots__ = ("_host", "_limiter", "_semaphore")

    def __init__(self, limiter: HostLimiter, host: str, semaphore: asyncio.Semaphore) -> None:
        self._limiter = limiter
        self._host = host
        self._semaphore = semaphore

    async def __aenter__(self) -> None:
        await self._semaphore.acquire()
        try:
            paused = self._limiter._paused_until
            loop = asyncio.get_running_loop()
            while (wait := paused.get(self._host, 0.0) - loop.time()) > 0:
                await asyncio.sleep(wait)
            delay = self._limiter._delays.get(self._host)
            if delay:
                # the next start is reserved before sleeping, so requests queued behind
                # each other are spaced out instead of waking together
                paused[self._host] = max(paused.get(self._host, 0.0), loop.time()) + delay
            await self._limiter._global.acquire()
        except BaseException:
            self._semaphore.release()
            raise

    async def __aexit__(self, *exc: object) -> None:
        self._limiter._global.release()
        self._semaphore.release()


def backoff_delay(attempt: int, base: float, rng: random.Random | None = None) -> float:
    """Exponential backoff with jitter: about base, 2*base, 4*base ... (x0.5-1.5)."""
    draw = random.random() if rng is None else rng.random()
    return base * (2.0**attempt) * (0.5 + draw)
