"""Telling "there is no network" from "these links are dead".

With no network every host fails the same way: names do not resolve, or every
connection is refused or unreachable. Reported link by link that reads as a paper full
of dead links. So the runner shows every outcome to a :class:`NetworkWatch`. The first
outcome that failed at the network level (no HTTP answer: DNS, refused, unreachable,
no connection in time) starts one probe of well-known hosts (or of the proxy, when
there is one): a DNS lookup and a TCP connection, each bounded. If the probe fails too
and no link has had an HTTP answer meanwhile, the network is declared down: the runner
stops, the links get the status ``unverified`` and the caller says so once.

Any HTTP answer from any link (even an error page), or a probe that connects, settles it
the other way for the rest of the run.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from footcheck.check.options import ResolutionError, Resolver
from footcheck.model import LinkCause, LinkResult, LinkStatus

NO_NETWORK_DETAIL = "no network: "

@dataclass
class NetworkState:
    """Filled in by the checker: was the network there at all?"""

    down: bool = False
    reason: str = ""  # why it is taken to be down, for the one note
    probed: bool = False
    unverified: int = 0  # links given the status ``unverified``


def network_failure(result: LinkResult) -> bool:
    """The link got no HTTP answer for a reason that no network would also give."""
    if result.http_status is not None:
        return False
    if result.status is LinkStatus.UNREACHABLE:
        return result.cause in (LinkCause.DNS, LinkCause.CONNECT)
    return result.status is LinkStatus.TIMEOUT


def answered(result: LinkResult) -> bool:
    """Some server answered over HTTP (or at least completed TLS): the network is up."""
    if result.http_status is not None:
        return True
    return result.status is LinkStatus.UNREACHABLE and result.cause is LinkCause.TLS


def _split(target: str) -> tuple[str, int]:
    host, _, port = target.rpartition(":")
    if not host or not port.isdigit():
        return target, 443
    return host.strip("[]"), int(port)


async def probe(targets: Sequence[str], resolver: Resolver, timeout: float) -> str | None:
    """None when one of ``targets`` (``host:port``) accepts a TCP connection; else why not."""

    async def one(target: str) -> None:
        host, port = _split(target)
        try:
            addresses = list(await asyncio.wait_for(resolver.resolve(host), timeout))
        except (TimeoutError, asyncio.TimeoutError):
            raise ResolutionError(f"{host}: no answer from the DNS resolver within {timeout:g} s") from None
        except ResolutionError as exc:
            raise ResolutionError(f"{host}: {exc}") from None
        error: BaseException | None = None
        for address in addresses[:3]:
            try:
                _, writer = await asyncio.wait_for(asyncio.open_connection(address, port), timeout)
            except (OSError, TimeoutError, asyncio.TimeoutError) as exc:
                error = exc
                continue
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()
            return
        raise ConnectionError(f"{host}:{port}: {_describe(error)}")

    outcomes = await asyncio.gather(*(one(t) for t in targets), return_exceptions=True)
    if any(o is None for o in outcomes):
        return None
    # "web.archive.org: the name does not resolve" ... -> "the name does not resolve
    # (web.archive.org, ya.ru)": one reason, the hosts that gave it
    by_reason: dict[str, list[str]] = {}
    for target, outcome in zip(targets, outcomes, strict=True):
        if isinstance(outcome, BaseException):
            text = str(outcome)
            host = _split(target)[0]
            for prefix in (f"{host}:{_split(target)[1]}: ", f"{host}: "):
                text = text.removeprefix(prefix)
            by_reason.setdefault(text or type(outcome).__name__, []).append(host)
    return "; ".join(f"{reason} ({', '.join(hosts)})" for reason, hosts in by_reason.items()) or "nothing to ask"


def _describe(error: BaseException | None) -> str:
    if error is None:
        return "no address"
    if isinstance(error, (TimeoutError, asyncio.TimeoutError)):
        return "no connection in time"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return getattr(error, "strerror", None) or str(error) or type(error).__name__


@dataclass
class NetworkWatch:
    """Watches a run's outcomes; sets ``down`` when the probe confirms no network.

    Only failures on public hosts count: a loopback or intranet server that refuses
    says nothing about the network (and a test run never probes the world because
    its own servers are down). ``groups`` is how many distinct URLs the run checks:
    the run is stopped early only after ``min(3, groups)`` failures and none answered;
    otherwise the verdict waits for the end of the run.
    """

    targets: tuple[str, ...]
    resolver: Resolver
    timeout: float
    groups: int = 1
    state: NetworkState = field(default_factory=NetworkState)
    down: asyncio.Event = field(default_factory=asyncio.Event)
    _up: bool = False
    _failures: int = 0
    _others: int = 0  # outcomes that are neither an answer nor a network failure
    _probe: asyncio.Task[str | None] | None = None
    _probe_failed: str | None = None

    @property
    def enabled(self) -> bool:
        return bool(self.targets)

    @property
    def listening(self) -> bool:
        """Whether :meth:`observe` still wants outcomes (not once the question is settled)."""
        return self.enabled and not self._up and not self.state.down

    def observe(self, result: LinkResult, *, public: bool = True) -> None:
        if not self.enabled or self._up or self.state.down:
            return
        if answered(result):
            self._up = True
            return
        if not (public and network_failure(result)):
            self._others += 1
            return
        self._failures += 1
        if self._probe is None:
            self._probe = asyncio.get_running_loop().create_task(self._ask())
        self._decide(early=True)

    async def _ask(self) -> str | None:
        self.state.probed = True
        reason = await probe(self.targets, self.resolver, self.timeout)
        self._probe_failed = reason
        self._decide(early=True)
        return reason

    def _decide(self, *, early: bool) -> None:
        if self._up or self.state.down or self._probe_failed is None:
            return
        if early and self._failures < min(3, self.groups):
            return
        if not early and (self._failures == 0 or self._others):
            return
        self.state.down = True
        self.state.reason = self._probe_failed
        self.down.set()

    async def settle(self) -> None:
        """At the end of the run: wait for a probe still under way, then decide."""
        if self._probe is not None:
            with contextlib.suppress(Exception):
                await self._probe
        self._decide(early=False)

    async def close(self) -> None:
        if self._probe is not None and not self._probe.done():
            self._probe.cancel()
            with contextlib.suppress(BaseException):
                await self._probe


def unverified(url: str, reason: str) -> LinkResult:
    return LinkResult(url=url, status=LinkStatus.UNVERIFIED, detail=NO_NETWORK_DETAIL + reason)
