"""The link checker's public contract (what the CLI and other stages import).

``check_links`` / ``check_links_async`` take the document's unique links and return a
:class:`~footcheck.model.LinkResult` per ``Link.url``. The checker knows nothing about
terminals: progress goes through :class:`CheckProgress`. DNS goes through a
:class:`Resolver` (tests pass a :class:`StaticResolver`; nothing then queries DNS),
and the address guard vets exactly the addresses the resolver returned. HTTP goes
through a :class:`Transport` (``check/transport.py``: our HTTP/1.1 for a run, httpx behind a
proxy); ``check_links(transport=...)`` takes one of ours or any ``httpx`` transport.
"""

from __future__ import annotations

from footcheck.check.cache import NAMESPACE as CACHE_NAMESPACE
from footcheck.check.options import (
    DEFAULT_USER_AGENT,
    CheckInterrupted,
    CheckOptions,
    CheckProgress,
    ResolutionError,
    Resolver,
)
from footcheck.check.resolve import StaticResolver, SystemResolver
from footcheck.check.runner import check_links, check_links_async, offline_results
from footcheck.check.transport import Transport, TransportError, build_transport

__all__ = [
    "CACHE_NAMESPACE",
    "DEFAULT_USER_AGENT",
    "CheckInterrupted",
    "CheckOptions",
    "CheckProgress",
    "ResolutionError",
    "Resolver",
    "StaticResolver",
    "SystemResolver",
    "Transport",
    "TransportError",
    "build_transport",
    "check_links",
    "check_links_async",
    "offline_results",
]
