"""Which requests go through an HTTP proxy: ``--proxy``, else the environment.

``HTTPS_PROXY`` / ``HTTP_PROXY`` / ``ALL_PROXY`` (either case) name the proxy per URL
scheme, as curl, lychee and every CLI read them; ``NO_PROXY`` lists hosts, domains and
address ranges that go direct (``*`` for all). ``--proxy URL`` replaces the first three;
``NO_PROXY`` still applies. Only HTTP proxies are supported (httpx tunnels HTTPS through
them with CONNECT).

The address guard is unchanged by a proxy: before each request the checker vets the
*target* host, as it resolves here. A name that does not resolve here may still be
resolved by the proxy (that is often why there is one), so it is sent, unless it looks
internal (one label, ``localhost``, ``.local``, ``.internal``, ...): those are refused.
"""

from __future__ import annotations

import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field

import httpx

_INTERNAL_SUFFIXES = (
    ".local", ".localhost", ".internal", ".intranet", ".lan", ".home", ".corp", ".localdomain",
    ".home.arpa", ".private",
)


def check_proxy_url(url: str) -> str:
    """``url`` if it is a usable HTTP proxy address; ``ValueError`` says why not."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(f"bad proxy URL {url!r}: {exc}") from None
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"bad proxy URL {url!r}: only http:// (or https://) proxies are supported")
    return url


def looks_internal(host: str) -> bool:
    """A name only an internal resolver could know: never handed to a proxy unvetted."""
    host = host.strip("[]").lower().rstrip(".")
    return "." not in host or host == "localhost" or host.endswith(_INTERNAL_SUFFIXES)


@dataclass(frozen=True)
class ProxyRoute:
    """Proxy URL per scheme, and the NO_PROXY list."""

    by_scheme: Mapping[str, str] = field(default_factory=dict)
    no_proxy: str = ""

    @classmethod
    def from_settings(cls, proxy: str | None, *, trust_env: bool = True,
                      environ: Mapping[str, str] | None = None) -> ProxyRoute | None:
        env = _proxies_from(environ) if trust_env or environ is not None else {}
        no_proxy = env.get("no", "")
        if proxy:
            by_scheme = {"http": check_proxy_url(proxy), "https": proxy}
        else:
            by_scheme = {}
            for scheme in ("http", "https"):
                value = env.get(scheme) or env.get("all")
                if value:
                    by_scheme[scheme] = check_proxy_url(value)
        if not by_scheme:
            return None
        return cls(by_scheme, no_proxy)

    def proxy_for(self, url: httpx.URL) -> str | None:
        """The proxy for this request, or None to go direct."""
        proxy = self.by_scheme.get(url.scheme)
        if proxy is None:
            return None
        host = url.host
        if self.no_proxy and _bypassed(host, url.port, self.no_proxy):
            return None
        return proxy

    @property
    def proxies(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(self.by_scheme.values()))


def _proxies_from(environ: Mapping[str, str] | None) -> dict[str, str]:
    if environ is None:
        return dict(urllib.request.getproxies_environment())
    found: dict[str, str] = {}
    for name, value in environ.items():  # the same rule as urllib: lower case wins
        lower = name.lower()
        if value and lower.endswith("_proxy"):
            key = lower[: -len("_proxy")]
            if name == lower or key not in found:
                found[key] = value
    return found


def _bypassed(host: str, port: int | None, no_proxy: str) -> bool:
    """``NO_PROXY`` as curl reads it: ``*``, host names and domain suffixes (with or
    without a leading dot), ``host:port``, IP addresses and CIDR ranges."""
    import ipaddress

    host = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = None
    for entry in (e.strip().lower() for e in no_proxy.split(",")):
        if not entry:
            continue
        if entry == "*":
            return True
        name, _, entry_port = entry.rpartition(":") if entry.count(":") == 1 else (entry, "", "")
        if entry_port and (not entry_port.isdigit() or port != int(entry_port)):
            continue
        name = name or entry
        if address is not None:
            try:
                if address in ipaddress.ip_network(name, strict=False):
                    return True
            except ValueError:
                pass
            continue
        name = name.lstrip("*").lstrip(".")
        if host == name or host.endswith("." + name):
            return True
    return False
