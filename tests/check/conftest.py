"""Fixtures for the link checker tests: loopback servers, a static resolver, a runner.

Nothing here reaches beyond 127.0.0.0/8 and nothing queries DNS: host names used by
the tests resolve through :class:`StaticResolver` only.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from check_servers import Site, fast_options

from footcheck.check.interface import StaticResolver, check_links
from footcheck.model import Link, LinkResult


@pytest.fixture
def make_site() -> Iterator[Callable[..., Site]]:
    sites: list[Site] = []

    def factory(host: str = "127.0.0.2", context: ssl.SSLContext | None = None) -> Site:
        site = Site(host, context)
        sites.append(site)
        return site

    yield factory
    for site in sites:
        site.close()


@pytest.fixture
def site(make_site: Callable[..., Site]) -> Site:
    return make_site("127.0.0.2")


@pytest.fixture
def resolver() -> StaticResolver:
    return StaticResolver()


@pytest.fixture
def check(resolver: StaticResolver) -> Callable[..., dict[str, LinkResult]]:
    """``check(urls_or_links, **options)`` runs the real checker against loopback."""

    def run(items: Any, cache: Any = None, progress: Any = None, transport: Any = None,
            **overrides: Any) -> dict[str, LinkResult]:
        links = [item if isinstance(item, Link) else Link(url=item, line=1) for item in items]
        return check_links(
            links,
            fast_options(**overrides),
            cache=cache,
            progress=progress,
            transport=transport,
            resolver=resolver,
        )

    return run


@pytest.fixture(scope="session")
def tls_ca() -> Any:
    trustme = pytest.importorskip("trustme")
    return trustme.CA()
