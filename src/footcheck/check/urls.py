"""Parsed URLs, memoised: the runner (cache key) and the checker parse each cited URL,
and httpx's pure-Python parser is among the larger costs per URL (about 30 us)."""

from __future__ import annotations

import functools

import httpx


@functools.lru_cache(maxsize=8192)
def parse_url(url: str) -> httpx.URL:
    """``httpx.URL(url)``, the same object for the same string (httpx.URL is immutable:
    ``copy_with`` and ``join`` return new ones). Invalid URLs raise each time."""
    return httpx.URL(url)
