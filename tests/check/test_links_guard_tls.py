"""The address guard (before every hop and at connect time) and TLS."""

from __future__ import annotations

import asyncio
import ipaddress
import ssl
from collections.abc import Sequence

import pytest
from check_servers import Site, fast_options, html

from footcheck.check.guard import AddressRefused, Guard, address_problem
from footcheck.check.h1 import H1Transport
from footcheck.check.interface import StaticResolver, build_transport
from footcheck.check.transport import GUARD_DETAIL, TLS_DETAIL
from footcheck.model import LinkCause, LinkStatus

# --- classification -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("10.1.2.3", "private"),
        ("172.16.5.4", "private"),
        ("192.168.0.1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata
        ("100.64.0.1", "non-public"),
        ("0.0.0.0", "unspecified"),
        ("224.0.0.251", "multicast"),
        ("240.0.0.1", "reserved"),
        ("::1", "loopback"),
        ("fe80::1", "link-local"),
        ("fc00::1", "private"),
        ("ff02::1", "multicast"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped
        ("64:ff9b::a00:1", "private"),  # NAT64 of 10.0.0.1
        ("2002:c0a8:0101::1", "private"),  # 6to4 of 192.168.1.1
        ("93.184.216.34", None),
        ("77.88.55.88", None),
        ("2a02:6b8::2:242", None),
    ],
)
def test_address_classification(address: str, problem: str | None) -> None:
    assert address_problem(ipaddress.ip_address(address)) == problem


# --- the guard in a run -------------------------------------------------------------


def test_guard_is_on_by_default(site: Site, check, resolver) -> None:
    resolver.add("intranet.test", site.host)
    literal = site.page("/secret", html("Internal"))
    named = site.url("/secret", host="intranet.test")
    results = check([literal, named], allow_private=False)
    for url in (literal, named):
        assert results[url].status is LinkStatus.SKIPPED
        assert results[url].detail.startswith(GUARD_DETAIL) and results[url].cause is LinkCause.GUARD
        assert "loopback" in results[url].detail
    assert site.requests("/secret") == 0


def test_allow_private_lifts_the_guard(site: Site, check) -> None:
    url = site.page("/open", html("Allowed"))
    assert check([url], allow_private=True)[url].status is LinkStatus.OK


def test_guard_is_applied_again_after_a_redirect(make_site, check, resolver) -> None:
    public, internal = make_site("127.0.0.2"), make_site("127.0.0.3")
    internal.page("/admin", html("Admin"))
    resolver.add("public.test", public.host)
    public.redirect("/go", internal.url("/admin"), 302)
    resolver.add("sneaky.test", internal.host)
    public.redirect("/go-named", internal.url("/admin", host="sneaky.test"), 301)
    urls = [public.url("/go", host="public.test"), public.url("/go-named", host="public.test")]
    # 127.0.0.2 stands in for a public address; 127.0.0.3 stays private
    results = check(urls, allow_private=False, allow_networks=("127.0.0.2/32",))
    for url in urls:
        assert results[url].status is LinkStatus.SKIPPED, results[url]
        assert results[url].detail.startswith(GUARD_DETAIL) and results[url].cause is LinkCause.GUARD
    assert public.requests("/go") == 1 and public.requests("/go-named") == 1
    assert internal.requests("/admin") == 0


class RebindingResolver:
    """Answers a public-looking address first and a private one afterwards."""

    def __init__(self, first: str, then: str) -> None:
        self.answers = [first, then]
        self.calls = 0

    async def resolve(self, host: str) -> Sequence[str]:
        self.calls += 1
        return [self.answers[min(self.calls - 1, 1)]]


def test_connection_goes_to_the_vetted_address(make_site) -> None:
    from footcheck.check.interface import check_links
    from footcheck.model import Link

    vetted, rebound = make_site("127.0.0.2"), make_site("127.0.0.3")
    vetted.page("/doc", html("Vetted"))
    rebound.page("/doc", html("Rebound"))
    resolver = RebindingResolver(vetted.host, rebound.host)
    urls = [f"http://rebind.test:{vetted.port}/doc"]
    if rebound.port != vetted.port:  # the rebound server must be reachable on that port too
        urls.append(f"http://rebind.test:{rebound.port}/doc")
    options = fast_options(allow_private=False, allow_networks=("127.0.0.2/32",))
    results = check_links([Link(u) for u in urls], options, resolver=resolver)
    assert results[urls[0]].status is LinkStatus.OK
    assert results[urls[0]].title == "Vetted"
    assert resolver.calls == 1  # one lookup, shared by the pre-check and the connection
    assert rebound.stats.total() == 0


def test_mixed_answer_connects_only_to_the_allowed_address(make_site, check, resolver) -> None:
    good, bad = make_site("127.0.0.2"), make_site("127.0.0.3")
    good.page("/m", html("Good"))
    resolver.add("mixed.test", [bad.host, good.host])
    url = f"http://mixed.test:{good.port}/m"
    result = check([url], allow_private=False, allow_networks=("127.0.0.2/32",))[url]
    assert result.status is LinkStatus.OK
    assert bad.stats.total() == 0


@pytest.mark.parametrize("by_name", [False, True])
def test_transport_refuses_at_connect_time_without_the_pre_check(site: Site, by_name: bool) -> None:
    """The transport's own check: a request sent straight through it, to an IP literal
    and to a name that resolves to loopback, is refused before any connection."""
    site.page("/direct", html("Direct"))
    transport = build_transport(fast_options(allow_private=False), StaticResolver({"inner.test": site.host}))
    assert isinstance(transport, H1Transport)
    url = site.url("/direct", host="inner.test") if by_name else site.url("/direct")

    async def send() -> None:
        try:
            await transport.send(url)
        finally:
            await transport.aclose()

    with pytest.raises(AddressRefused):
        asyncio.run(send())
    assert site.requests("/direct") == 0


def test_every_new_connection_asks_the_guard(make_site) -> None:
    """Each connection the transport opens asks the guard again (the guard's memo
    answers), and connects only to vetted addresses."""
    sites = [make_site("127.0.0.2"), make_site("127.0.0.3")]
    for site in sites:
        site.page("/p", html("Page"))
    resolver = StaticResolver({"one.test": "127.0.0.2", "two.test": "127.0.0.3"})
    transport = build_transport(fast_options(allow_networks=("127.0.0.2/32", "127.0.0.3/32")), resolver)
    assert isinstance(transport, H1Transport)
    urls = [site.url("/p", host=name) for site, name in zip(sites, ("one.test", "two.test"), strict=True)]

    async def send_all() -> list[int]:
        try:
            # two requests to one.test at once need two connections, so two lookups
            responses = await asyncio.gather(*(transport.send(url) for url in (urls[0], urls[0], urls[1])))
            for response in responses:
                await response.aclose()
        finally:
            await transport.aclose()
        return [response.status for response in responses]

    assert asyncio.run(send_all()) == [200, 200, 200]
    assert sorted(transport.lookups) == [
        ("one.test", sites[0].port, ["127.0.0.2"]),
        ("one.test", sites[0].port, ["127.0.0.2"]),
        ("two.test", sites[1].port, ["127.0.0.3"]),
    ]
    assert resolver.calls == ["one.test", "two.test"]  # the guard's memo: one lookup per name


def test_guard_memo_shares_one_lookup() -> None:
    resolver = StaticResolver({"a.test": "93.184.216.34"})
    guard = Guard(resolver)

    async def many() -> list[list[str]]:
        return await asyncio.gather(*(guard.addresses("A.test.") for _ in range(20)))

    assert all(answer == ["93.184.216.34"] for answer in asyncio.run(many()))
    assert resolver.calls == ["a.test"]


# --- TLS ----------------------------------------------------------------------------


@pytest.fixture
def tls_site(make_site, tls_ca, resolver) -> Site:
    cert = tls_ca.issue_cert("tls.test", "127.0.0.5")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    cert.configure_cert(context)
    site = make_site("127.0.0.5", context)
    context.sni_callback = lambda sock, name, ctx: site.stats.sni.append(name)
    resolver.add("tls.test", site.host)
    resolver.add("other.test", site.host)
    site.page("/paper", html("Защищённая страница"))
    return site


def test_self_signed_certificate_is_unreachable(tls_site: Site, check) -> None:
    url = tls_site.url("/paper", host="tls.test")
    result = check([url])[url]
    assert result.status is LinkStatus.UNREACHABLE
    assert result.detail.startswith(TLS_DETAIL) and result.cause is LinkCause.TLS
    assert "certificate" in result.detail
    assert tls_site.requests("/paper") == 0


def test_trusted_certificate_connects_to_the_vetted_ip_with_sni(tls_site, tls_ca, check) -> None:
    client_context = ssl.create_default_context()
    tls_ca.configure_trust(client_context)
    options = fast_options()
    transport = build_transport(options, StaticResolver({"tls.test": "127.0.0.5"}),
                                verify=client_context)
    url = tls_site.url("/paper", host="tls.test")
    result = check([url], transport=transport)[url]
    assert result.status is LinkStatus.OK and result.title == "Защищённая страница"
    assert tls_site.stats.sni == ["tls.test"]
    assert isinstance(transport, H1Transport)
    assert transport.lookups == [("tls.test", tls_site.port, ["127.0.0.5"])]


def test_certificate_for_another_name_is_unreachable(tls_site, tls_ca, check) -> None:
    client_context = ssl.create_default_context()
    tls_ca.configure_trust(client_context)
    transport = build_transport(fast_options(), StaticResolver({"other.test": "127.0.0.5"}),
                                verify=client_context)
    url = tls_site.url("/paper", host="other.test")
    result = check([url], transport=transport)[url]
    assert result.status is LinkStatus.UNREACHABLE
    assert result.detail.startswith(TLS_DETAIL) and result.cause is LinkCause.TLS
    assert "other.test" in result.detail or "mismatch" in result.detail.lower()
