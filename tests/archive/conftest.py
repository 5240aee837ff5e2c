"""Fixtures for the archive stage: a fake Wayback service on 127.0.0.1 and options
small enough that no test waits on the real pace (seconds between requests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_wayback import FakeWayback

from footcheck._cache import Cache
from footcheck.archive.interface import ArchiveOptions


@pytest.fixture
def fake() -> Iterator[FakeWayback]:
    with FakeWayback() as service:
        yield service


@pytest.fixture
def options_for() -> Callable[..., ArchiveOptions]:
    def make(service: FakeWayback, **overrides: Any) -> ArchiveOptions:
        fast: dict[str, Any] = {
            "base_url": service.base_url,
            "rate_per_minute": 60_000.0,
            "save_rate_per_minute": 60_000.0,
            "playback_rate_per_minute": 240_000.0,  # > 2x the CDX rate: the TimeGate is asked
            "timeout": 2.0,
            "save_timeout": 2.0,
            "backoff": 0.01,
            "max_backoff": 0.05,
        }
        fast.update(overrides)
        return ArchiveOptions(**fast)

    return make


@pytest.fixture
def cache(tmp_path: Path) -> Iterator[Cache]:
    store = Cache(tmp_path / "cache")
    yield store
    store.close()


