"""No network is not a dead link; a resolver that never answers is bounded; proxies.

Every server here is on 127.0.0.x; names resolve through the test's StaticResolver (or
the proxy's own table), so nothing leaves the machine. The run inside a network
namespace with only loopback is in test_cli_no_network.py.
"""

from __future__ import annotations

import asyncio
import ssl
import time
from collections.abc import Iterator, Sequence

import httpx
import pytest
from check_servers import Site, fast_options, html
from proxy_server import ProxyServer

from footcheck.check.interface import StaticResolver, check_links
from footcheck.check.network import NetworkState
from footcheck.check.proxy import ProxyRoute, looks_internal
from footcheck.check.transport import build_transport
from footcheck.model import Link, LinkStatus

PAPER_HOSTS = ["vestnik-regiona.example.org", "archiv-gazety.example.ru", "kraeved.example.net",
               "biblioteka.example.org"]


def _links(urls: Sequence[str]) -> list[Link]:
    return [Link(url=u, footnotes=(i + 1,), line=10 + i) for i, u in enumerate(urls)]


def _urls(n: int = 8) -> list[str]:
    return [f"https://{PAPER_HOSTS[i % len(PAPER_HOSTS)]}/doc/{i}" for i in range(n)]


def test_every_name_failing_and_the_probe_failing_is_no_network() -> None:
    resolver = StaticResolver()  # nothing resolves: the paper's hosts nor the probe's
    state = NetworkState()
    urls = _urls()
    results = check_links(_links(urls), fast_options(probe_hosts=("probe.test:443",)),
                          resolver=resolver, network=state)
    assert state.down and state.probed
    assert "probe.test" in state.reason and "does not resolve" in state.reason
    assert {results[u].status for u in urls} == {LinkStatus.UNVERIFIED}
    assert all(results[u].detail.startswith("no network: ") for u in urls)
    assert state.unverified == len(urls)


def test_a_probe_that_connects_means_the_links_are_dead(site: Site) -> None:
    resolver = StaticResolver({"probe.test": site.host})
    state = NetworkState()
    urls = _urls(4)
    results = check_links(_links(urls), fast_options(probe_hosts=(f"probe.test:{site.port}",)),
                          resolver=resolver, network=state)
    assert state.probed and not state.down
    assert {results[u].status for u in urls} == {LinkStatus.UNREACHABLE}


def test_one_answer_is_enough_to_know_the_network_is_there(site: Site) -> None:
    site.page("/ok", html("Страница"))
    resolver = StaticResolver({"live.test": site.host})
    live = f"http://live.test:{site.port}/ok"
    state = NetworkState()
    # the probe fails, one link fails: the run waits for the other before deciding
    urls = [live, *_urls(1)]
    results = check_links(_links(urls), fast_options(probe_hosts=("probe.test:443",)),
                          resolver=resolver, network=state)
    assert state.probed and not state.down
    assert results[live].status is LinkStatus.OK
    assert results[urls[1]].status is LinkStatus.UNREACHABLE


def test_loopback_servers_that_refuse_never_start_a_probe(make_site) -> None:
    closed = make_site("127.0.0.3")
    url = closed.url("/gone")
    closed.close()
    state = NetworkState()
    resolver = StaticResolver()
    results = check_links(_links([url]), fast_options(probe_hosts=("probe.test:443",), retries=0),
                          resolver=resolver, network=state)
    assert results[url].status is LinkStatus.UNREACHABLE
    assert not state.probed and resolver.calls == []


class SilentResolver:
    """A resolver that never answers (DNS packets dropped by a firewall)."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def resolve(self, host: str) -> Sequence[str]:
        self.asked.append(host)
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


def test_a_resolver_that_never_answers_is_bounded() -> None:
    urls = [f"https://host{i}.example.org/page" for i in range(40)]
    state = NetworkState()
    start = time.monotonic()
    results = check_links(_links(urls), fast_options(probe_hosts=("probe.test:443",), dns_timeout=0.3,
                                                     probe_timeout=0.3, timeout=20.0),
                          resolver=SilentResolver(), network=state)
    elapsed = time.monotonic() - start
    assert state.down and "no answer from the DNS resolver" in state.reason
    assert {r.status for r in results.values()} == {LinkStatus.UNVERIFIED}
    assert elapsed < 3.0, elapsed  # not 40 URLs x the 20 s per-URL deadline


# --- proxies --------------------------------------------------------------------------


@pytest.fixture
def proxy() -> Iterator[ProxyServer]:
    server = ProxyServer("127.0.0.6", names={"only-the-proxy-knows.example.org": "127.0.0.2"})
    yield server
    server.close()


def test_links_go_through_the_proxy(site: Site, proxy: ProxyServer) -> None:
    url = site.page("/doc", html("Документ"))
    results = check_links(_links([url]), fast_options(proxy=proxy.url), resolver=StaticResolver())
    assert results[url].status is LinkStatus.OK
    assert proxy.log == [("GET", url)]


def test_a_name_only_the_proxy_resolves(site: Site, proxy: ProxyServer) -> None:
    site.page("/doc", html("Документ"))
    url = f"http://only-the-proxy-knows.example.org:{site.port}/doc"
    internal = f"http://intranet:{site.port}/doc"  # one label: never handed over unvetted
    results = check_links(_links([url, internal]), fast_options(proxy=proxy.url), resolver=StaticResolver())
    assert results[url].status is LinkStatus.OK
    assert results[internal].status is LinkStatus.UNREACHABLE
    assert [path for _, path in proxy.log] == [url]


def test_the_guard_still_vets_the_target_behind_a_proxy(site: Site, proxy: ProxyServer) -> None:
    url = site.page("/doc", html("Документ"))
    resolver = StaticResolver({"looks-public.example.org": "127.0.0.2"})
    named = f"http://looks-public.example.org:{site.port}/doc"
    results = check_links(_links([url, named]), fast_options(proxy=proxy.url, allow_private=False),
                          resolver=resolver)
    assert results[url].status is LinkStatus.SKIPPED and "loopback" in results[url].detail
    assert results[named].status is LinkStatus.SKIPPED and "loopback" in results[named].detail
    assert proxy.log == []


def test_no_proxy_hosts_go_direct(site: Site, proxy: ProxyServer, monkeypatch) -> None:
    url = site.page("/doc", html("Документ"))
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("NO_PROXY", "example.com,127.0.0.0/24")
    results = check_links(_links([url]), fast_options(trust_env=True), resolver=StaticResolver())
    assert results[url].status is LinkStatus.OK and proxy.log == []
    monkeypatch.setenv("NO_PROXY", "example.com")
    results = check_links(_links([url]), fast_options(trust_env=True), resolver=StaticResolver())
    assert results[url].status is LinkStatus.OK and proxy.log == [("GET", url)]


def test_https_is_tunnelled_with_connect(make_site, proxy: ProxyServer, tls_ca) -> None:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    tls_ca.issue_cert("tls.example.org").configure_cert(server_context)
    secure = make_site("127.0.0.5", server_context)
    secure.page("/doc", html("Защищенный документ"))
    proxy.names["tls.example.org"] = "127.0.0.5"
    url = f"https://tls.example.org:{secure.port}/doc"
    client_context = ssl.create_default_context()
    tls_ca.configure_trust(client_context)
    options = fast_options(proxy=proxy.url)
    route = ProxyRoute.from_settings(proxy.url, trust_env=False)
    transport = build_transport(options, StaticResolver(), verify=client_context, route=route)
    results = check_links(_links([url]), options, resolver=StaticResolver(), transport=transport)
    assert results[url].status is LinkStatus.OK, results[url]
    assert proxy.log == [("CONNECT", f"tls.example.org:{secure.port}")]  # the certificate was checked end to end


def test_proxy_settings_from_the_environment() -> None:
    env = {"HTTPS_PROXY": "http://proxy.example.org:3128", "http_proxy": "http://other.example.org:8080",
           "NO_PROXY": ".internal.example.org,10.0.0.0/8,example.net:8443"}
    route = ProxyRoute.from_settings(None, environ=env)
    assert route is not None
    assert route.proxy_for(httpx.URL("https://site.example.ru/")) == "http://proxy.example.org:3128"
    assert route.proxy_for(httpx.URL("http://site.example.ru/")) == "http://other.example.org:8080"
    assert route.proxy_for(httpx.URL("https://a.internal.example.org/")) is None
    assert route.proxy_for(httpx.URL("http://10.1.2.3/")) is None
    assert route.proxy_for(httpx.URL("https://example.net:8443/")) is None
    assert route.proxy_for(httpx.URL("https://example.net/")) is not None
    assert ProxyRoute.from_settings(None, environ={}) is None
    forced = ProxyRoute.from_settings("http://cli.example.org:3128", environ=env)
    assert forced is not None and forced.proxy_for(httpx.URL("http://x.example.ru/")) == "http://cli.example.org:3128"
    with pytest.raises(ValueError, match="only http"):
        ProxyRoute.from_settings("socks5://127.0.0.1:1080", trust_env=False)
    assert looks_internal("intranet") and looks_internal("wiki.corp") and not looks_internal("example.org")
