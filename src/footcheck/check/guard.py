"""The address guard: a URL whose host is (or resolves to) a loopback, private,
link-local, multicast or reserved address is not fetched.

Two places enforce it. :meth:`Guard.addresses` is asked before every request, the first
and each redirect hop, so the verdict is a clean "skipped". The same method is asked
again by the transport whenever it opens a TCP connection (``check/h1.py``; httpcore's
network backend behind a proxy, ``check/client.py``), and the socket is opened to one of
the vetted IP literals rather than to the name: the operating system never resolves the
name a second time, so a DNS answer that changes between the check and the connect
(rebinding) cannot slip through. Resolutions are memoised for the run, which is also
what makes both places see the same answer. TLS still verifies the certificate against
the host name, because both stacks send the URL's host as SNI whatever address the
socket went to.

What the guard does not cover:

* A transport passed in by the caller gets only the check before each request; it may
  resolve names itself, so the rebinding window is open there.
* Behind a proxy (``--proxy``, ``HTTPS_PROXY`` ...) the socket goes to the proxy, which
  connects to the target itself: the guard vets the target's addresses as they resolve
  here, before each request, but cannot see what the proxy resolves. A name that does not
  resolve here is left to the proxy unless it looks internal (see ``check/proxy.py``).
* An address that is public but routes somewhere internal (a cloud's own public
  endpoints, NAT hairpinning) passes: the guard knows address ranges, not topology.
* DNS answers are reused for the whole run, whatever their TTL.
"""

from __future__ import annotations

import asyncio
import ipaddress
import typing
from collections.abc import Callable, Iterable

from footcheck.check.options import ResolutionError, Resolver

IPAddress = typing.Union[ipaddress.IPv4Address, ipaddress.IPv6Address]  # noqa: UP007
IPNetwork = typing.Union[ipaddress.IPv4Network, ipaddress.IPv6Network]  # noqa: UP007

_NAT64 = ipaddress.ip_network("64:ff9b::/96")


class AddressRefused(Exception):
    """The guard refused to connect; ``str()`` is the detail for the report."""

    def __init__(self, host: str, address: str, reason: str) -> None:
        super().__init__(f"{host} resolves to {address}, a {reason} address")
        self.host = host
        self.address = address
        self.reason = reason


def address_problem(address: IPAddress) -> str | None:
    """Why an address must not be fetched from, or None when it is public."""
    embedded = _embedded_ipv4(address)
    if embedded is not None:
        return address_problem(embedded)
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if isinstance(address, ipaddress.IPv6Address) and address.is_site_local:
        return "site-local"  # fec0::/10, deprecated (RFC 3879) but still routed inside some networks
    if address.is_multicast:
        return "multicast"
    if address.is_unspecified:
        return "unspecified"
    if address.is_reserved:
        return "reserved"
    if address.is_private:
        return "private"
    if not address.is_global:
        return "non-public"  # e.g. 100.64.0.0/10 carrier-grade NAT
    return None


def _embedded_ipv4(address: IPAddress) -> ipaddress.IPv4Address | None:
    """IPv6 forms that carry an IPv4 address the packet really goes to."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def parse_address(text: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return None


class Guard:
    """Resolves host names once per run and vets every address before use."""

    def __init__(
        self,
        resolver: Resolver,
        *,
        allow_private: bool = False,
        allow_networks: Iterable[str] = (),
        proxy_resolves: Callable[[str], bool] | None = None,
    ) -> None:
        self._resolver = resolver
        self._proxy_resolves = proxy_resolves
        self.allow_private = allow_private
        self._allowed: tuple[IPNetwork, ...] = tuple(
            ipaddress.ip_network(n, strict=False) for n in allow_networks
        )
        self._memo: dict[str, asyncio.Task[list[str]]] = {}
        self._vetted: dict[str, list[str] | Exception] = {}  # host -> addresses or refusal
        self._private: set[str] = set()

    def problem(self, address: IPAddress) -> str | None:
        if self.allow_private or any(address in net for net in self._allowed):
            return None
        return address_problem(address)

    async def resolve(self, host: str) -> list[str]:
        """The addresses of a host (memoised; concurrent askers share one lookup)."""
        host = host.strip("[]").lower().rstrip(".")
        if parse_address(host) is not None:
            return [host]
        task = self._memo.get(host)
        if task is None:
            task = asyncio.get_running_loop().create_task(self._lookup(host))
            # mark the outcome as seen even if every asker was cancelled meanwhile
            task.add_done_callback(lambda t: t.cancelled() or t.exception())
            self._memo[host] = task
        # shield: a cancelled asker must not cancel the lookup that others wait for
        return list(await asyncio.shield(task))

    async def _lookup(self, host: str) -> list[str]:
        try:
            addresses = [str(a) for a in await self._resolver.resolve(host)]
        except ResolutionError:
            raise
        except Exception as exc:  # a resolver bug must not end the run
            raise ResolutionError(f"resolver failed: {exc!r}") from exc
        if not addresses:
            raise ResolutionError("the name has no address")
        return addresses

    async def addresses(self, host: str) -> list[str]:
        """The addresses one may connect to; raises AddressRefused or ResolutionError."""
        key = host.strip("[]").lower().rstrip(".")
        vetted = self._vetted.get(key)
        if vetted is None:
            try:
                resolved = await self.resolve(key)
            except ResolutionError:
                if self._proxy_resolves is None or not self._proxy_resolves(key):
                    raise
                # behind a proxy a name may resolve only there: it goes to the proxy,
                # with no address to connect to directly (see check/proxy.py)
                self._vetted[key] = []
                return []
            vetted = self._vetted[key] = self._vet(key, resolved)
        if isinstance(vetted, Exception):
            raise vetted
        return list(vetted)

    def known(self, host: str) -> list[str] | None:
        """The vetted addresses if the host was already vetted (no waiting); raises the
        memoised refusal or resolution error; None if it has not been asked yet."""
        vetted = self._vetted.get(host.strip("[]").lower().rstrip("."))
        if isinstance(vetted, Exception):
            raise vetted
        return None if vetted is None else list(vetted)

    def is_private(self, host: str) -> bool:
        """Did a vetted host resolve to any non-public address? (Cache bookkeeping.)"""
        return host.strip("[]").lower().rstrip(".") in self._private

    def _vet(self, host: str, resolved: list[str]) -> list[str] | Exception:
        allowed: list[str] = []
        refused: tuple[str, str] | None = None
        for text in resolved:
            address = parse_address(text)
            if address is None:
                continue
            if address_problem(address) is not None:
                self._private.add(host)
            problem = self.problem(address)
            if problem is None:
                allowed.append(text)
            elif refused is None:
                refused = (text, problem)
        if allowed:
            # Only vetted addresses are returned, so a name that mixes a public and a
            # private address is fetched from the public one only.
            return allowed
        if refused is None:
            return ResolutionError("the resolver returned no usable address")
        return AddressRefused(host, *refused)
