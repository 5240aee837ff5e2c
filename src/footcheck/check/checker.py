"""Checking one URL: the redirect chain, retries, the per-URL deadline, the guard."""

from __future__ import annotations

import asyncio
import dataclasses
import random
import re
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

import httpx

from footcheck._pacing import retry_after
from footcheck.check.fetch import Hop, fetch, location_problem
from footcheck.check.guard import AddressRefused, Guard
from footcheck.check.limits import HostLimiter, backoff_delay
from footcheck.check.options import CheckOptions, CheckProgress, ResolutionError
from footcheck.check.page import Page, looks_like_html, read_page
from footcheck.check.transport import DNS_DETAIL, GUARD_DETAIL, Transport, TransportError
from footcheck.check.urls import parse_url
from footcheck.check.verdict import PERMANENT_REDIRECTS, Verdict, classify, is_captcha_url, reason_phrase
from footcheck.model import LinkCause, LinkResult, LinkStatus

T = TypeVar("T")


@dataclass(slots=True)
class Outcome:
    """A result with what the cache needs to know about it."""

    result: LinkResult
    titles: tuple[str, ...] = ()
    transient: bool = True  # only settled answers are cached
    private: bool = False  # some hop went to an address the guard would refuse


@dataclass(slots=True)
class _Retry:
    delay: float | None  # None: backoff; else the server's Retry-After
    host: str


@dataclass(slots=True)
class Budget:
    """The per-URL deadline: time spent on requests and on waits between tries.

    Waiting for a free slot (other URLs of the same host ahead in the queue) is not
    charged: a URL cited next to fifty others of one site must not time out for that.
    """

    total: float
    spent: float = 0.0

    @property
    def remaining(self) -> float:
        return self.total - self.spent

    async def run(self, awaitable: Awaitable[T]) -> T:
        loop = asyncio.get_running_loop()
        start = loop.time()
        try:
            return await _within(awaitable, max(self.remaining, 0.0))
        finally:
            self.spent += loop.time() - start

    async def sleep(self, seconds: float) -> None:
        await asyncio.sleep(seconds)
        self.spent += seconds


if sys.version_info >= (3, 11):

    async def _within(awaitable: Awaitable[T], seconds: float) -> T:
        async with asyncio.timeout(seconds):
            return await awaitable

else:  # pragma: no cover - Python 3.10

    async def _within(awaitable: Awaitable[T], seconds: float) -> T:
        return await asyncio.wait_for(awaitable, seconds)


@dataclass
class Checker:
    transport: Transport
    options: CheckOptions
    guard: Guard
    limiter: HostLimiter
    progress: CheckProgress | None = None
    rng: random.Random = field(default_factory=random.Random)
    _exclude: list[re.Pattern[str]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._exclude = [re.compile(p) for p in self.options.exclude]
        hosts = self.options.hosts
        self._host_headers = {h: p.request_headers() for h, p in hosts.items() if p.user_agent or p.headers}
        self._host_timeouts = {h: p.timeout for h, p in hosts.items() if p.timeout is not None}
        self._host_started: Callable[[str], None] | None = getattr(
            self.progress, "host_started", None
        )

    def excluded(self, url: str) -> str | None:
        for pattern in self._exclude:
            if pattern.search(url):
                return pattern.pattern
        return None

    async def check(self, url: str, cited_title: str | None = None) -> Outcome:
        """Check one URL; never raises for anything the network or server does."""
        pattern = self.excluded(url)
        if pattern is not None:
            return _skipped(url, f"excluded by pattern {pattern!r}")
        try:
            start = parse_url(url)
        except (httpx.InvalidURL, TypeError, ValueError) as exc:
            return _skipped(url, f"invalid URL: {exc}")
        if start.scheme not in ("http", "https"):
            return _skipped(url, f"unsupported scheme {start.scheme or '(none)'!r}")
        if not start.host:
            return _skipped(url, "invalid URL: no host")
        if not 0 < (start.port or 1) < 65536:
            return _skipped(url, f"invalid URL: port {start.port} out of range")
        budget = Budget(self._host_timeouts.get(start.raw_host.decode("ascii"), self.options.timeout)
                        if self._host_timeouts else self.options.timeout)
        attempt = 0
        while True:
            outcome, retry = await self._chain(url, start, budget, cited_title)
            if retry is None or attempt >= self.options.retries:
                return outcome
            if retry.delay is not None:
                if retry.delay > self.options.retry_after_cap:
                    return _note(outcome, f"Retry-After {retry.delay:.0f} s is longer than we wait")
                delay = retry.delay
                # the whole host asked for a pause, not only this URL
                self.limiter.pause(retry.host, delay)
            else:
                delay = backoff_delay(attempt, self.options.backoff_base, self.rng)
            if delay >= budget.remaining:
                return _note(outcome, f"no time left for try {attempt + 2}")
            await budget.sleep(delay)
            attempt += 1

    async def _chain(
        self, original: str, start: httpx.URL, budget: Budget, cited_title: str | None = None
    ) -> tuple[Outcome, _Retry | None]:
        """Follow redirects from ``start``; the outcome and whether to try again.

        A 2xx page whose only content is a ``<meta http-equiv="refresh">`` to another
        address is followed like a redirect: same hop limit, same guard, same loop check.
        """
        url = start
        chain: list[tuple[str, int, str]] = []  # (url, status, how) of each redirect
        seen: set[tuple[str, str]] = set()  # (url, cookies sent): a repeat is a loop
        private = False
        for _ in range(self.options.max_redirects + 1):
            host = url.raw_host.decode("ascii")
            try:
                if self.guard.known(host) is None:  # only a real lookup needs the clock
                    await budget.run(self.guard.addresses(host))
            except AddressRefused as exc:
                return _skipped(original, GUARD_DETAIL + str(exc), url=url, cause=LinkCause.GUARD), None
            except ResolutionError as exc:
                detail = f"{DNS_DETAIL}{host}: {exc}"
                return _fail(original, LinkStatus.UNREACHABLE, detail, cause=LinkCause.DNS), None
            except (TimeoutError, asyncio.TimeoutError):
                detail = "name resolution timed out"
                return _fail(original, LinkStatus.TIMEOUT, detail, cause=LinkCause.TIMEOUT), None
            private = private or self.guard.is_private(host)
            text = str(url)  # httpx builds the string anew on every str()
            key = (text.partition("#")[0], self.transport.cookies(text))
            if key in seen:
                return self._loop(original, chain, url), None
            seen.add(key)
            hop = Hop(url)
            async with self.limiter.slot(host):
                if self._host_started is not None:
                    self._host_started(url.host)  # readable form: пример.рф, not xn--
                try:
                    await budget.run(fetch(self.transport, url, text, hop, self.options.max_body_bytes,
                                           self._host_headers.get(host)))
                except (TimeoutError, asyncio.TimeoutError):
                    return self._timeout(original, hop, budget.total), None
                except AddressRefused as exc:  # refused when connecting (the pool's check)
                    return _skipped(original, GUARD_DETAIL + str(exc), url=url, cause=LinkCause.GUARD), None
                except ResolutionError as exc:
                    detail = f"{DNS_DETAIL}{host}: {exc}"
                    return _fail(original, LinkStatus.UNREACHABLE, detail, cause=LinkCause.DNS), None
                except TransportError as exc:
                    outcome = _fail(original, LinkStatus.UNREACHABLE, exc.detail, hop=hop, cause=exc.cause)
                    return outcome, _Retry(None, host) if exc.retryable else None
            assert hop.status is not None
            if hop.bad_location is not None:
                detail = f"invalid redirect ({reason_phrase(hop.status)}): {hop.bad_location}"
                return _fail(original, LinkStatus.BROKEN, detail, hop=hop, transient=False), None
            page: Page | None = None
            content_type = hop.headers.get("content-type")
            if hop.next_url is None and 200 <= hop.status < 300 and hop.body and (
                looks_like_html(content_type, hop.body)
            ):
                page = read_page(hop.body, content_type)
                hop.next_url = _refresh_target(page, url, seen)
            if hop.next_url is not None:
                how = str(hop.status) if page is None else "meta refresh"
                chain.append((text, hop.status, how))
                url = hop.next_url
                if url.scheme not in ("http", "https"):
                    detail = f"redirects to {url} (unsupported scheme {url.scheme!r})"
                    return _skipped(original, detail, url=url), None
                if is_captcha_url(str(url)):
                    detail = f"bot challenge (Yandex SmartCaptcha): redirected to {url}"
                    return _fail(original, LinkStatus.BLOCKED, detail, hop=hop, final=url), None
                continue
            return self._final(original, start, url, hop, chain, private, page, cited_title)
        return (
            _fail(
                original,
                LinkStatus.BROKEN,
                f"more than {self.options.max_redirects} redirects",
                final=url,
                transient=False,
            ),
            None,
        )

    def _final(
        self,
        original: str,
        start: httpx.URL,
        url: httpx.URL,
        hop: Hop,
        chain: list[tuple[str, int, str]],
        private: bool,
        page: Page | None = None,
        cited_title: str | None = None,
    ) -> tuple[Outcome, _Retry | None]:
        assert hop.status is not None
        content_type = hop.headers.get("content-type")
        if page is None and hop.body and looks_like_html(content_type, hop.body):
            page = read_page(hop.body, content_type)
        redirected = bool(chain)
        start_text, final = str(start), str(url)
        verdict = classify(
            hop.status,
            hop.headers,
            original=start_text,
            final=final,
            redirected=redirected,
            page=page,
            cited_title=cited_title,
        )
        permanent = redirected and all(code in PERMANENT_REDIRECTS and how == str(code) for _, code, how in chain)
        status, detail = verdict.status, verdict.detail
        if redirected:
            codes = " → ".join(how for _, _, how in chain)
            if status is LinkStatus.OK and permanent and final != start_text:
                status = LinkStatus.REDIRECT
                detail = f"moved permanently ({codes}) to {url}"
            elif final not in detail:
                detail = f"{detail} (redirected {codes} to {url})"
        result = LinkResult(
            url=original,
            status=status,
            http_status=hop.status,
            final_url=final,
            detail=detail,
            permanent_redirect=permanent,
        )
        outcome = Outcome(
            result,
            titles=page.titles if page is not None else (),
            transient=verdict.transient,
            private=private,
        )
        return outcome, self._retry_for(verdict, hop, url)

    def _retry_for(self, verdict: Verdict, hop: Hop, url: httpx.URL) -> _Retry | None:
        if not verdict.retryable:
            return None
        delay = None
        if hop.status in (429, 503):
            delay = retry_after(hop.headers.get("retry-after"))
        return _Retry(delay, url.raw_host.decode("ascii"))

    def _loop(self, original: str, chain: list[tuple[str, int, str]], url: httpx.URL) -> Outcome:
        path = " → ".join([u for u, _, _ in chain] + [str(url)])
        status = chain[-1][1] if chain else None
        result = LinkResult(
            url=original,
            status=LinkStatus.BROKEN,
            http_status=status,
            final_url=str(url),
            detail=f"redirect loop: {path}",
        )
        return Outcome(result, transient=False)

    def _timeout(self, original: str, hop: Hop, seconds: float) -> Outcome:
        if hop.status is None:
            detail = f"no answer within {seconds:g} s"
            return _fail(original, LinkStatus.TIMEOUT, detail, hop=hop, cause=LinkCause.TIMEOUT)
        detail = f"HTTP {hop.status}, but the body did not arrive within {seconds:g} s"
        return _fail(original, LinkStatus.TIMEOUT, detail, hop=hop)


MAX_REFRESH_DELAY = 10.0  # seconds; a slower refresh is a page that reloads itself, not a move
_REFRESH_ONLY_CHARS = 400  # visible characters: "you are being redirected", not content


def _refresh_target(page: Page, url: httpx.URL, seen: set[tuple[str, str]]) -> httpx.URL | None:
    """Where a page that is only a meta refresh sends the reader, or None."""
    refresh = page.refresh
    if refresh is None or refresh[0] > MAX_REFRESH_DELAY or page.visible_chars > _REFRESH_ONLY_CHARS:
        return None
    if location_problem(url, refresh[1]) is not None:
        return None
    try:
        target = url.join(refresh[1])
    except (httpx.InvalidURL, ValueError):
        return None
    if str(target).partition("#")[0] == str(url).partition("#")[0] or target.scheme not in ("http", "https"):
        return None  # a page that reloads itself is the page
    if any(key == str(target).partition("#")[0] for key, _ in seen):
        return None
    return target


def _skipped(original: str, detail: str, *, url: httpx.URL | None = None,
             cause: LinkCause | None = None) -> Outcome:
    result = LinkResult(
        url=original,
        status=LinkStatus.SKIPPED,
        final_url=str(url) if url is not None else None,
        detail=detail,
        cause=cause,
    )
    return Outcome(result, transient=True)


def _fail(
    original: str,
    status: LinkStatus,
    detail: str,
    *,
    hop: Hop | None = None,
    final: httpx.URL | None = None,
    transient: bool = True,
    cause: LinkCause | None = None,
) -> Outcome:
    final_url = final if final is not None else (hop.url if hop is not None else None)
    result = LinkResult(
        url=original,
        status=status,
        http_status=hop.status if hop is not None else None,
        final_url=str(final_url) if final_url is not None else None,
        detail=detail,
        cause=cause,
    )
    return Outcome(result, transient=transient)


def _note(outcome: Outcome, note: str) -> Outcome:
    result = outcome.result
    detail = f"{result.detail}; {note}" if result.detail else note
    return dataclasses.replace(outcome, result=dataclasses.replace(result, detail=detail))
