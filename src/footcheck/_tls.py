"""One verifying TLS context per process for the Wayback and registry clients.

httpx builds a new ``ssl.SSLContext`` for every client it makes, and building one means
parsing certifi's whole CA bundle: about 35 ms of CPU, paid once per client per run (a
checked paper opens several clients). The context holds no per-connection state, so one
serves them all. It is built by httpx's own :func:`httpx.create_ssl_context`, so the CA
source is what a default httpx client would use; it is keyed by ``SSL_CERT_FILE`` and
``SSL_CERT_DIR`` (which httpx reads when ``trust_env`` is on), so a changed environment
still gets a context of its own. httpcore sets the ALPN list on the context before each
TLS connection; every client here speaks HTTP/1.1 only, so they all set the same list.
"""

from __future__ import annotations

import functools
import os
import ssl


def client_context(*, trust_env: bool = True) -> ssl.SSLContext:
    """The shared context for a client with this ``trust_env`` (pass it as ``verify=``)."""
    if not trust_env:
        return _context(False, None, None)
    return _context(True, os.environ.get("SSL_CERT_FILE") or None, os.environ.get("SSL_CERT_DIR") or None)


@functools.lru_cache(maxsize=8)
def _context(trust_env: bool, cafile: str | None, capath: str | None) -> ssl.SSLContext:
    # cafile and capath only key the cache: httpx reads the same variables itself
    import httpx

    return httpx.create_ssl_context(trust_env=trust_env)
