"""Resolvers: the system's (for real runs), a fixed table (for tests and tools that
must never query DNS), and a time bound around any of them."""

from __future__ import annotations

import asyncio
import concurrent.futures
import queue
import socket
import threading
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from footcheck.check.options import ResolutionError, Resolver


class _Lookups:
    """``getaddrinfo`` on a few daemon threads.

    Not the event loop's default executor: a lookup that never returns (a resolver
    behind a firewall that drops packets) would hold that executor's thread, and both
    ``asyncio.run`` and the interpreter wait for it at exit. A daemon thread stuck in
    ``getaddrinfo`` is simply abandoned; the caller has long stopped waiting (see
    :class:`BoundedResolver`).
    """

    def __init__(self, workers: int = 16) -> None:
        self._queue: queue.SimpleQueue[tuple[str, concurrent.futures.Future[Any]]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers = workers
        self._threads = 0
        self._idle = 0

    def submit(self, host: str) -> concurrent.futures.Future[Any]:
        future: concurrent.futures.Future[Any] = concurrent.futures.Future()
        self._queue.put((host, future))
        with self._lock:
            if self._idle == 0 and self._threads < self._workers:
                self._threads += 1
                threading.Thread(target=self._work, name="footcheck-dns", daemon=True).start()
        return future

    def _work(self) -> None:
        while True:
            with self._lock:
                self._idle += 1
            host, future = self._queue.get()
            with self._lock:
                self._idle -= 1
            if not future.set_running_or_notify_cancel():
                continue  # the asker gave up before the lookup started
            try:
                future.set_result(socket.getaddrinfo(host, None, type=socket.SOCK_STREAM))
            except BaseException as exc:  # handed to the asker, whatever it is
                future.set_exception(exc)


_LOOKUPS = _Lookups()


class SystemResolver:
    """The operating system's resolver (``getaddrinfo``), off the event loop."""

    async def resolve(self, host: str) -> Sequence[str]:
        try:
            infos = await asyncio.wrap_future(_LOOKUPS.submit(host))
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


class BoundedResolver:
    """Any resolver, each lookup given up after ``timeout`` seconds."""

    def __init__(self, inner: Resolver, timeout: float) -> None:
        self.inner = inner
        self.timeout = timeout

    async def resolve(self, host: str) -> Sequence[str]:
        try:
            return await asyncio.wait_for(self.inner.resolve(host), self.timeout)
        except (TimeoutError, asyncio.TimeoutError):
            raise ResolutionError(f"no answer from the DNS resolver within {self.timeout:g} s") from None
