"""Verdicts on the harder web: meta refreshes, error wording in the heading only, parked
domains, articles whose title mentions an error, 503 with Retry-After, hostile headers.

Every server is on 127.0.0.x (check_servers.Site); names resolve through StaticResolver.
"""

from __future__ import annotations

import ipaddress

import pytest
from check_servers import Site, html

from footcheck.check.guard import address_problem
from footcheck.check.verdict import missing_phrase
from footcheck.model import Link, LinkStatus

OK, BROKEN, SOFT404 = LinkStatus.OK, LinkStatus.BROKEN, LinkStatus.SOFT404
TIMEOUT, SKIPPED, BLOCKED = LinkStatus.TIMEOUT, LinkStatus.SKIPPED, LinkStatus.BLOCKED


def refresh_page(target: str, delay: str = "0") -> str:
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<meta http-equiv=\"Refresh\" content=\"{delay}; URL='{target}'\"></head><body></body></html>"
    )


ARTICLE_BODY = " ".join(
    ["Пользователи уходят с сайта, когда видят пустую страницу ошибки без подсказки, куда идти дальше."] * 30
)


# --- meta refresh ---------------------------------------------------------------------


def test_meta_refresh_to_a_missing_page_is_broken(site: Site, check) -> None:
    url = site.page("/doc/15", refresh_page("/gone/15"))
    result = check([url])[url]
    assert result.status is BROKEN and result.http_status == 404
    assert "meta refresh" in result.detail and result.final_url == site.url("/gone/15")


def test_meta_refresh_to_an_error_page_is_soft404(site: Site, check) -> None:
    site.page("/errors/404.html", html("Ошибка", "Что-то пошло не так"))
    url = site.page("/news/7", refresh_page(site.url("/errors/404.html"), "1"))
    result = check([url])[url]
    assert result.status is SOFT404 and "error page" in result.detail


def test_meta_refresh_to_a_live_page_is_ok(make_site, check) -> None:
    old, new = make_site("127.0.0.2"), make_site("127.0.0.3")
    target = new.page("/article", html("Доклад о переписи", "Доклад о переписи", "текст"))
    url = old.page("/article", refresh_page(target))
    result = check([url])[url]
    assert result.status is OK and result.final_url == target and not result.permanent_redirect


def test_meta_refresh_counts_against_the_hop_limit(site: Site, check) -> None:
    site.page("/c", html("Конец цепочки"))
    site.page("/b", refresh_page("/c"))
    url = site.page("/a", refresh_page("/b"))
    assert check([url], max_redirects=2)[url].status is OK
    result = check([url], max_redirects=1)[url]
    assert result.status is BROKEN and "more than 1 redirects" in result.detail


def test_meta_refresh_goes_through_the_address_guard(make_site, check, resolver) -> None:
    public, private = make_site("127.0.0.2"), make_site("127.0.0.3")
    private.page("/secret", html("Внутренняя страница"))
    resolver.add("portal.example.ru", "127.0.0.2")
    public.page("/doc", refresh_page(private.url("/secret")))
    url = f"http://portal.example.ru:{public.port}/doc"
    # Only the "public" site's address is allowed: the refresh target is refused.
    result = check([url], allow_private=False, allow_networks=("127.0.0.2/32",))[url]
    assert result.status is SKIPPED and "127.0.0.3" in result.detail
    assert private.requests("/secret") == 0


def test_a_page_that_reloads_itself_or_has_content_is_not_a_redirect(site: Site, check) -> None:
    reload_url = site.page("/live", refresh_page("/live", "0").replace("<body>", "<body><p>Онлайн</p>"))
    slow = site.page("/ticker", refresh_page("/elsewhere", "300"))
    full = site.page(
        "/full",
        refresh_page("/elsewhere").replace("<body></body>", f"<body><h1>Доклад</h1><p>{ARTICLE_BODY}</p></body>"),
    )
    results = check([reload_url, slow, full])
    for url in (reload_url, slow, full):
        assert results[url].status is OK, (url, results[url].detail)
    assert site.requests("/elsewhere") == 0


# --- "not found" in the main heading ---------------------------------------------------


def test_not_found_only_in_the_heading_with_typographic_marks(site: Site, check) -> None:
    pages = {
        "/ru-quoted": html("Министерство науки", "Страница «/docs/15» не найдена"),
        "/ru-cannot": html("Портал госуслуг", "Упс! Мы не смогли найти эту страницу"),
        "/ru-which": html("Вестник университета", "Страница, которую вы ищете, не существует"),
        "/en-apostrophe": html("Example Institute", "Sorry, we couldn’t find that page"),
        "/en-quoted": html("Journal of Studies", "The page “/a/b” doesn’t exist"),
    }
    urls = {path: site.page(path, body) for path, body in pages.items()}
    results = check(list(urls.values()))
    for path, url in urls.items():
        assert results[url].status is SOFT404, path
        assert "heading" in results[url].detail


@pytest.mark.parametrize(
    "text",
    ["We couldn’t find the page you’re looking for", "Page ‘/x’ doesn’t exist", "Страница «Отчёт 2019» удалена"],
)
def test_missing_phrase_reads_typographic_apostrophes_and_quotes(text: str) -> None:
    assert missing_phrase(text)


# --- parked domains -------------------------------------------------------------------


def test_cross_domain_redirect_to_a_parked_page_is_soft404(make_site, check, resolver) -> None:
    old, parking = make_site("127.0.0.2"), make_site("127.0.0.3")
    resolver.add("journal.example.ru", "127.0.0.2")
    resolver.add("lander.example.com", "127.0.0.3")
    parking.page("/ru", html("Домен journal.example.ru продаётся", "Этот домен продаётся"))
    parking.page("/en", html("journal.example.ru", "This domain is for sale!"))
    parking.page("/js", "<html><head><script src='//sedoparking.com/frmpark.js'></script></head><body></body></html>")
    urls = []
    for lander in ("/ru", "/en", "/js"):
        old.redirect(f"/issue{lander}", f"http://lander.example.com:{parking.port}{lander}?d=journal", 302)
        urls.append(f"http://journal.example.ru:{old.port}/issue{lander}")
    results = check(urls)
    for url in urls:
        assert results[url].status is SOFT404, (url, results[url].detail)
        assert "parked" in results[url].detail


def test_an_article_about_selling_domains_is_ok(site: Site, check) -> None:
    body = html("Домен продаётся: как устроен рынок доменных имён", "Домен продаётся", ARTICLE_BODY)
    url = site.page("/articles/domains", body)
    assert check([url])[url].status is OK


# --- a title that mentions an error ---------------------------------------------------


def test_article_whose_title_mentions_404_is_ok_when_it_is_the_cited_title(site: Site, check) -> None:
    title = "Ошибка 404: почему пользователи уходят с сайта"
    article = site.page("/blog/404", html(title, title, ARTICLE_BODY))
    stub = site.page("/blog/stub", html(title, title, "Коротко."))
    cited = Link(url=article, line=1, cited_title="Ошибка 404: почему пользователи уходят с сайта // Блог")
    results = check([cited, Link(url=stub, line=2, cited_title=title)])
    assert results[article].status is OK
    assert results[stub].status is SOFT404  # no body of its own: an error page after all
    uncited = site.page("/blog/404-copy", html(title, title, ARTICLE_BODY))
    assert check([uncited])[uncited].status is SOFT404  # without the citation nothing vouches for it


# --- 503 ------------------------------------------------------------------------------


def test_503_with_a_long_retry_after_is_a_timeout_not_broken(site: Site, check) -> None:
    url = site.page("/maintenance", html("Технические работы"), status=503, headers={"Retry-After": "3600"})
    result = check([url], retry_after_cap=2.0)[url]
    assert result.status is TIMEOUT and result.http_status == 503
    assert "Retry-After 3600 s" in result.detail
    assert site.requests("/maintenance") == 1


def test_persistent_503_is_a_timeout(site: Site, check) -> None:
    url = site.page("/down", "busy", status=503)
    result = check([url], retries=1)[url]
    assert result.status is TIMEOUT and "temporary" in result.detail
    assert site.requests("/down") == 2


# --- hostile servers ------------------------------------------------------------------


def test_charset_idna_is_read_not_an_internal_error(site: Site, check) -> None:
    url = site.page("/idna", html("Обычная страница", "Заголовок", "текст"), content_type="text/html; charset=idna")
    result = check([url])[url]
    assert result.status is OK and result.title == "Обычная страница"


@pytest.mark.parametrize(
    ("location", "words"),
    [
        ("javascript:alert(document.domain)", "not a web address"),
        ("http:\\\\evil.example.org\\x", "backslashes"),
        ("http://127.0.0.2:99999/x", "port 99999"),
        ("http://[::1/x", "not a valid URL"),
    ],
)
def test_hostile_locations_are_broken_with_a_detail(site: Site, check, location: str, words: str) -> None:
    url = site.redirect("/hostile", location, 302)
    result = check([url])[url]
    assert result.status is BROKEN and result.http_status == 302
    assert words in result.detail and "internal error" not in result.detail


def test_cited_url_with_an_impossible_port_is_skipped_with_a_reason(check) -> None:
    url = "http://127.0.0.2:99999/page"
    result = check([url])[url]
    assert result.status is SKIPPED and "port 99999" in result.detail


def test_meta_refresh_with_a_hostile_target_is_not_followed(site: Site, check) -> None:
    url = site.page("/js-refresh", refresh_page("javascript:alert(1)"))
    result = check([url])[url]
    assert result.status is OK and "internal error" not in result.detail


def test_guard_refuses_site_local_ipv6() -> None:
    assert address_problem(ipaddress.ip_address("fec0::1")) == "site-local"
    assert address_problem(ipaddress.ip_address("feff:ffff::1")) == "site-local"
    assert address_problem(ipaddress.ip_address("2001:4860:4860::8888")) is None



def test_long_and_many_response_headers_are_read(site: Site, check) -> None:
    """A 20 KB Content-Security-Policy and 100 Set-Cookie lines (real sites send such):
    the page is read, not refused as a protocol error (aiohttp's default allows 8 KB a
    header)."""
    from check_servers import RequestHandler

    policy = "default-src 'self'; " + " ".join(f"https://cdn{i}.example.org" for i in range(800))
    assert len(policy) > 20_000

    def heavy(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "text/html; charset=utf-8")
        h.send_header("Content-Security-Policy", policy)
        for i in range(100):
            h.send_header("Set-Cookie", f"c{i}=v; Path=/")
        body = html("Страница с длинными заголовками").encode()
        h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        h.wfile.write(body)

    url = site.route("/heavy", heavy)
    result = check([url])[url]
    assert result.status is LinkStatus.OK, result
    assert result.title == "Страница с длинными заголовками"


def test_a_header_past_every_limit_is_a_short_protocol_detail(site: Site, check) -> None:
    from check_servers import RequestHandler

    def huge(h: RequestHandler) -> None:
        h.send_response(200)
        h.send_header("X-Padding", "x" * 100_000)
        h.send_header("Content-Length", "0")
        h.end_headers()

    url = site.route("/huge", huge)
    result = check([url], retries=0)[url]
    assert result.status is LinkStatus.UNREACHABLE
    assert result.detail.startswith("the server broke the HTTP protocol")
    assert len(result.detail) < 300
