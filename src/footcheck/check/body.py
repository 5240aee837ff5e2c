"""Reading a bounded prefix of a response body with memory that stays flat.

An HTTP client's own decoder (httpx's, aiohttp's) inflates each network chunk whole; one
64 KiB chunk of a gzip bomb is about 64 MiB. Both transports hand over the raw bytes
(``transport.py``), which are inflated here with ``max_length``, so the output never
exceeds what was asked for, whatever the server sends.
"""

from __future__ import annotations

import zlib

from footcheck.check.transport import Response

DRAIN_BYTES = 16 * 1024  # read this much of an uninteresting body to keep the connection


class BodyDecoder:
    """Inflates one Content-Encoding layer (gzip or deflate) with a bounded output."""

    def __init__(self, content_encoding: str | None) -> None:
        codings = [
            c.strip().lower()
            for c in (content_encoding or "").split(",")
            if c.strip() and c.strip().lower() != "identity"
        ]
        self.supported = True
        self.eof = False
        self.error: str | None = None
        self._first = True
        self._deflate = False
        self._inflater: zlib._Decompress | None = None
        if not codings:
            return
        if len(codings) == 1 and codings[0] in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS | 32)  # gzip or zlib header
        elif len(codings) == 1 and codings[0] == "deflate":
            self._deflate = True
            self._inflater = zlib.decompressobj()
        else:
            self.supported = False

    def feed(self, data: bytes, limit: int) -> bytes:
        """Up to ``limit`` decoded bytes from ``data``; the rest of the input is dropped."""
        if self._inflater is None:
            return data[:limit]
        if self.eof or self.error or limit <= 0:
            return b""
        try:
            out = self._inflater.decompress(data, limit)
        except zlib.error as exc:
            if self._deflate and self._first:
                # "deflate" is often sent raw, without the zlib header (as httpx also allows)
                self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                self._first = False
                return self.feed(data, limit)
            self.error = f"cannot decode the body: {exc}"
            return b""
        self._first = False
        self.eof = self._inflater.eof
        return out


async def read_prefix(response: Response, limit: int) -> tuple[bytes, bool]:
    """The first ``limit`` decoded bytes and whether the body ended within them."""
    if limit <= 0:
        return b"", False
    loaded = response.preloaded
    if loaded is not None:
        return loaded[:limit], len(loaded) <= limit
    decoder = BodyDecoder(response.headers.get("content-encoding"))
    if not decoder.supported:
        return b"", False
    out = bytearray()
    raw_cap = 2 * limit + 65536  # compressed data never needs more raw bytes than this
    raw_total = 0
    while chunk := await response.read_chunk():
        raw_total += len(chunk)
        out += decoder.feed(chunk, limit - len(out))
        if decoder.error is not None:
            return bytes(out), False
        if len(out) >= limit or raw_total > raw_cap:
            return bytes(out), False
        if decoder.eof:
            return bytes(out), True
    return bytes(out), True


async def drain(response: Response, limit: int = DRAIN_BYTES) -> bool:
    """Read and discard a short body so the connection can be reused; True if it ended."""
    if response.preloaded is not None:
        return True
    total = 0
    while chunk := await response.read_chunk():
        total += len(chunk)
        if total > limit:
            return False
    return True
