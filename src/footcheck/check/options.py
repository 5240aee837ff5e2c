"""Types shared by every part of the link checker: options, the progress and resolver
seams, and the exception a cancelled run raises."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from footcheck import __version__, defaults
from footcheck.model import LinkResult

# A "compatible" token keeps naive browser sniffing happy while saying honestly what
# we are; a browser-faking agent caused login-redirect loops for linkinator (PR #721).
DEFAULT_USER_AGENT = (
    f"Mozilla/5.0 (compatible; footcheck/{__version__}; "
    "+https://pypi.org/project/footcheck/)"
)


# Well-known hosts asked when every link seems to fail: one of them answering means the
# network is there and the failures are the links' own.
PROBE_HOSTS = ("web.archive.org:443", "ya.ru:443", "www.wikipedia.org:443")


@dataclass(frozen=True)
class HostPolicy:
    """Politeness for one host (``[links.hosts."example.ru"]``), over the run's defaults."""

    concurrency: int | None = None  # requests in flight to this host (None: per_host)
    delay: float = 0.0  # least seconds between the starts of two requests to it
    user_agent: str | None = None  # instead of the run's User-Agent
    headers: Mapping[str, str] = field(default_factory=dict)  # added to (or replacing) ours
    timeout: float | None = None  # the budget of a URL on this host, instead of the run's

    def __post_init__(self) -> None:
        if self.concurrency is not None and self.concurrency < 1:
            raise ValueError("a host's concurrency must be at least 1")
        if self.delay < 0:
            raise ValueError("a host's delay cannot be negative")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError("a host's timeout must be positive")

    def request_headers(self) -> dict[str, str]:
        """What requests to this host send over the run's headers."""
        extra = {"User-Agent": self.user_agent} if self.user_agent else {}
        extra.update(self.headers)
        return extra


@dataclass(frozen=True)
class CheckOptions:
    """How politely and how long to check. Every limit is per run."""

    concurrency: int = defaults.CONCURRENCY  # requests in flight over all hosts
    per_host: int = defaults.PER_HOST  # requests in flight to one host name
    timeout: float = defaults.TIMEOUT  # total budget of one URL: redirects, retries and waits included
    retries: int = defaults.RETRIES  # extra tries after a 429, 5xx or a dropped connection
    retry_after_cap: float = 15.0  # a longer Retry-After is not waited for: the answer stands
    backoff_base: float = 0.5  # first retry waits about this long, doubling, with jitter
    user_agent: str = DEFAULT_USER_AGENT
    allow_private: bool = False  # lift the address guard (loopback, private, reserved ...)
    allow_networks: tuple[str, ...] = ()  # CIDRs the guard lets through, e.g. an intranet
    cache_ttl: float = defaults.CACHE_TTL  # how long settled answers are reused; transient never are
    max_redirects: int = 10
    max_body_bytes: int = 256 * 1024  # decoded prefix read for titles and soft-404 tests
    exclude: tuple[str, ...] = ()  # regexes (re.search); matching URLs are skipped
    # One DNS lookup is given up after this long: a resolver that never answers (a
    # firewalled CI) must not hold every URL for its whole --timeout.
    dns_timeout: float = 4.0
    # Asked (resolve, then a TCP connect, each bounded by probe_timeout) only when the
    # first links fail at the network level: if none of them answers either, there is
    # no network and the links are "unverified", not dead. () turns detection off.
    probe_hosts: tuple[str, ...] = PROBE_HOSTS
    probe_timeout: float = 3.0
    # An HTTP proxy URL for every request (None: HTTPS_PROXY / HTTP_PROXY / ALL_PROXY
    # from the environment when trust_env); NO_PROXY hosts always go direct.
    proxy: str | None = None
    trust_env: bool = True
    # By ASCII (IDNA) host name, lower case: limits that replace per_host for that host.
    hosts: Mapping[str, HostPolicy] = field(default_factory=dict)

    @property
    def longest_timeout(self) -> float:
        """The longest budget any URL gets (a host's own may be above the run's): the
        transports' own timeouts, a backstop behind the per-URL deadline, use it."""
        return max([self.timeout, *(p.timeout for p in self.hosts.values() if p.timeout)])

    def __post_init__(self) -> None:
        if self.concurrency < 1 or self.per_host < 1:
            raise ValueError("concurrency and per_host must be at least 1")
        if self.timeout <= 0:
            raise ValueError("timeout must be positive")
        if self.retries < 0 or self.max_redirects < 0 or self.max_body_bytes < 0:
            raise ValueError("retries, max_redirects and max_body_bytes cannot be negative")
        for pattern in self.exclude:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"bad --exclude pattern {pattern!r}: {exc}") from None
        if self.dns_timeout <= 0 or self.probe_timeout <= 0:
            raise ValueError("dns_timeout and probe_timeout must be positive")
        if self.proxy is not None:
            from footcheck.check.proxy import check_proxy_url

            check_proxy_url(self.proxy)
        for network in self.allow_networks:
            try:
                ipaddress.ip_network(network, strict=False)
            except ValueError as exc:
                raise ValueError(f"bad network {network!r}: {exc}") from None


class CheckProgress(Protocol):
    """What the checker tells its caller while it runs; it knows nothing of terminals.

    ``host_started`` is optional at run time: the checker calls it only if present.
    """

    def started(self, total: int) -> None: ...

    def host_started(self, host: str) -> None: ...

    def finished_one(self, url: str, result: LinkResult) -> None: ...


class ResolutionError(Exception):
    """A host name has no address (the message says why, for the report)."""


class Resolver(Protocol):
    """The DNS seam. Returns IP address strings; raises :class:`ResolutionError`.

    The address guard vets exactly these addresses and connections go to them, so
    what was vetted is what is connected to.
    """

    async def resolve(self, host: str) -> Sequence[str]: ...


class CheckInterrupted(Exception):
    """Ctrl-C or cancellation stopped the run; ``results`` holds what was finished."""

    def __init__(self, results: dict[str, LinkResult]) -> None:
        super().__init__(f"link check interrupted after {len(results)} URLs")
        self.results = results
