"""Resolvers: the system's (for real runs) and a fixed table (for tests and tools that
must never query DNS)."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable, Mapping, Sequence

from footcheck.check.options import ResolutionError


class SystemResolver:
    """``getaddrinfo`` through the event loop (a thread pool, so it never blocks)."""

    async def resolve(self, host: str) -> Sequence[str]:
        loop = asyncio.get_running_loop()
        try:
            infos = await loop.getaddrinfo(host, None, type=socket.SOCK_STREAM)
        except socket.gaierror as exc:
            raise ResolutionError(_gai_reason(exc)) from None
        except UnicodeError:
            raise ResolutionError("the host name is not a valid domain name") from None
        addresses: list[str] = []
        for _family, _type, _proto, _canon, sockaddr in infos:
            address = str(sockaddr[0])
            if address not in addresses:
                addresses.append(address)
        if not addresses:
            raise ResolutionError("the name has no address")
        return addresses


def _gai_reason(exc: socket.gaierror) -> str:
    if exc.errno in (socket.EAI_NONAME, getattr(socket, "EAI_NODATA", object())):
        return "the name does not resolve"
    if exc.errno == socket.EAI_AGAIN:
        return "temporary failure in name resolution"
    return f"name resolution failed ({exc.strerror or exc})"


class StaticResolver:
    """A fixed host -> addresses table; unknown names do not resolve."""

    def __init__(self, table: Mapping[str, str | Iterable[str]] | None = None) -> None:
        self.table: dict[str, list[str]] = {}
        self.calls: list[str] = []
        for host, addresses in (table or {}).items():
            self.add(host, addresses)

    def add(self, host: str, addresses: str | Iterable[str]) -> None:
        values = [addresses] if isinstance(addresses, str) else list(addresses)
        self.table[host.lower().rstrip(".")] = values

    async def resolve(self, host: str) -> Sequence[str]:
        key = host.lower().rstrip(".")
        self.calls.append(key)
        try:
            return list(self.table[key])
        except KeyError:
            raise ResolutionError("the name does not resolve") from None
