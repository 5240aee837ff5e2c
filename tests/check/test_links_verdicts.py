"""Every verdict against real servers on loopback addresses."""

from __future__ import annotations

import time
import tracemalloc

from check_servers import RequestHandler, Site, bomb, drip, endless, html

from footcheck.model import LinkCause, LinkStatus

OK, REDIRECT, SOFT404 = LinkStatus.OK, LinkStatus.REDIRECT, LinkStatus.SOFT404
BROKEN, BLOCKED, UNREACHABLE = LinkStatus.BROKEN, LinkStatus.BLOCKED, LinkStatus.UNREACHABLE
TIMEOUT, SKIPPED = LinkStatus.TIMEOUT, LinkStatus.SKIPPED


# --- ok and broken ------------------------------------------------------------------


def test_ok_page_reports_title_and_status(site: Site, check) -> None:
    url = site.page("/doc", html("Доклад о развитии связи", "Доклад"))
    result = check([url])[url]
    assert result.status is OK
    assert result.http_status == 200
    assert result.title == "Доклад о развитии связи"
    assert result.final_url == url
    assert not result.from_cache


def test_request_headers_are_honest_and_ask_for_russian(site: Site, check) -> None:
    url = site.page("/h", html("Headers"))
    check([url], user_agent="footcheck-test/1")
    seen = site.stats.headers["/h"]
    assert seen["user-agent"] == "footcheck-test/1"
    assert seen["accept-language"] == "ru, en"
    assert seen["accept-encoding"] == "gzip, deflate"  # only what the bounded decoder reads (no br, zstd)


def test_pdf_is_ok_without_reading_the_body(site: Site, check) -> None:
    url = site.page("/paper.pdf", b"%PDF-1.4" + b"\0" * 200_000, content_type="application/pdf")
    result = check([url])[url]
    assert result.status is OK and result.title is None


def test_definitive_client_errors_are_broken_and_not_retried(site: Site, check) -> None:
    urls = {
        404: site.page("/gone404", "nope", status=404),
        410: site.page("/gone410", "gone", status=410),
        400: site.page("/bad400", "bad", status=400),
    }
    results = check(urls.values())
    for code, url in urls.items():
        assert results[url].status is BROKEN, code
        assert results[url].http_status == code
        assert site.requests(url.split(str(site.port), 1)[1]) == 1  # no retry


def test_persistent_server_error_is_broken_after_retries(site: Site, check) -> None:
    url = site.page("/err500", html("Internal error"), status=500)
    result = check([url], retries=2)[url]
    assert result.status is BROKEN and result.http_status == 500
    assert site.requests("/err500") == 3


def test_503_that_succeeds_on_retry_is_ok(site: Site, check) -> None:
    calls = {"n": 0}

    def flaky(h: RequestHandler) -> None:
        calls["n"] += 1
        if calls["n"] == 1:
            h.send_body(503, b"busy")
        else:
            h.send_body(200, html("Вторая попытка удалась").encode())

    url = site.route("/flaky", flaky)
    result = check([url])[url]
    assert result.status is OK
    assert site.requests("/flaky") == 2


def test_retry_after_is_honoured_before_the_next_try(site: Site, check) -> None:
    times: list[float] = []

    def limited(h: RequestHandler) -> None:
        times.append(time.monotonic())
        if len(times) == 1:
            h.send_body(429, b"slow down", headers={"Retry-After": "1"})
        else:
            h.send_body(200, html("Rate limited page"))

    url = site.route("/limited", limited)
    result = check([url])[url]
    assert result.status is OK
    assert len(times) == 2
    assert times[1] - times[0] >= 0.9  # a lower bound: the checker waited as asked


def test_retry_after_beyond_the_cap_is_not_waited_for(site: Site, check) -> None:
    url = site.page("/toolong", "later", status=429, headers={"Retry-After": "3600"})
    result = check([url], retry_after_cap=2.0)[url]
    assert result.status is BLOCKED
    assert "Retry-After" in result.detail
    assert site.requests("/toolong") == 1


def test_persistent_429_is_blocked_not_broken(site: Site, check) -> None:
    url = site.page("/always429", "no", status=429)
    result = check([url], retries=1)[url]
    assert result.status is BLOCKED and result.http_status == 429
    assert site.requests("/always429") == 2


def test_head_hostile_server_is_checked_with_get(site: Site, check) -> None:
    def hostile(h: RequestHandler) -> None:
        if h.command == "HEAD":
            h.send_body(405, b"")
        else:
            h.send_body(200, html("Only GET works here").encode())

    url = site.route("/nohead", hostile)
    result = check([url])[url]
    assert result.status is OK
    assert {method for method, _ in site.stats.methods} == {"GET"}


# --- redirects ----------------------------------------------------------------------


def test_one_permanent_redirect_suggests_the_new_url(site: Site, check) -> None:
    target = site.page("/new", html("Новое место документа"))
    old = site.redirect("/old", "/new", 301)  # relative Location
    result = check([old])[old]
    assert result.status is REDIRECT
    assert result.permanent_redirect
    assert result.final_url == target
    assert result.http_status == 200


def test_temporary_redirect_is_ok(site: Site, check) -> None:
    site.page("/here", html("Temporary target"))
    for code in (302, 303, 307):
        url = site.redirect(f"/tmp{code}", site.url("/here"), code)
        result = check([url])[url]
        assert result.status is OK, code
        assert not result.permanent_redirect


def test_redirect_chain_across_hosts(make_site, check) -> None:
    a, b, c = make_site("127.0.0.2"), make_site("127.0.0.3"), make_site("127.0.0.4")
    final = c.page("/end", html("End of the chain"))
    b.redirect("/mid", final, 308)
    start = a.redirect("/start", b.url("/mid"), 301)
    result = check([start])[start]
    assert result.status is REDIRECT and result.final_url == final
    assert (a.requests("/start"), b.requests("/mid"), c.requests("/end")) == (1, 1, 1)


def test_mixed_chain_is_not_a_permanent_move(site: Site, check) -> None:
    site.page("/login", html("Вход в систему"))
    site.redirect("/moved", site.url("/login"), 302)
    url = site.redirect("/perm", site.url("/moved"), 301)
    result = check([url])[url]
    assert result.status is OK
    assert not result.permanent_redirect


def test_redirect_loop_is_stopped_and_reported(site: Site, check) -> None:
    site.redirect("/ping", site.url("/pong"), 302)
    url = site.redirect("/pong", site.url("/ping"), 302)
    result = check([url])[url]
    assert result.status is BROKEN
    assert "loop" in result.detail
    assert site.requests("/ping") == 1 and site.requests("/pong") == 1


def test_self_redirect_setting_a_cookie_is_not_a_loop(site: Site, check) -> None:
    def cookie_wall(h: RequestHandler) -> None:
        if "seen=1" in (h.headers.get("Cookie") or ""):
            h.send_body(200, html("Behind the cookie wall").encode())
        else:
            h.send_body(302, b"", headers={"Location": "/cookie", "Set-Cookie": "seen=1; Path=/"})

    url = site.route("/cookie", cookie_wall)
    assert check([url])[url].status is OK


def test_too_many_redirects(site: Site, check) -> None:
    for i in range(5):
        site.redirect(f"/r{i}", site.url(f"/r{i + 1}"), 302)
    site.page("/r5", html("Far away"))
    url = site.url("/r0")
    result = check([url], max_redirects=3)[url]
    assert result.status is BROKEN and "redirects" in result.detail


def test_deep_link_redirected_to_front_page_is_soft404(site: Site, check) -> None:
    site.page("/", html("Главная страница сайта"))
    url = site.redirect("/news/2019/10/article-123.html", "/", 301)
    result = check([url])[url]
    assert result.status is SOFT404
    assert "front page" in result.detail


def test_redirect_to_an_error_url_is_soft404(site: Site, check) -> None:
    site.page("/errors/404.html", html("Oops"))
    url = site.redirect("/doc/15", "/errors/404.html", 302)
    assert check([url])[url].status is SOFT404


def test_front_page_itself_is_ok(site: Site, check) -> None:
    url = site.page("/", html("Главная"))
    assert check([url])[url].status is OK


# --- soft 404 and charsets ----------------------------------------------------------


def test_soft404_russian_and_english(site: Site, check) -> None:
    pages = {
        "/ru-title": html("Страница не найдена — Портал"),
        "/ru-h1": html("Министерство", "Запрашиваемая страница не существует"),
        "/ru-yo": html("Ошибка 404: такой страницы нет"),
        "/en-title": html("Page Not Found | Example"),
        "/en-h1": html("Example University", "Sorry, this page could not be found"),
        "/bare": html("404"),
    }
    urls = [site.page(path, body) for path, body in pages.items()]
    results = check(urls)
    for url in urls:
        assert results[url].status is SOFT404, url


def test_pages_that_only_mention_404_are_ok(site: Site, check) -> None:
    urls = [
        site.page("/order", html("Приказ № 404 от 12.05.2020 «Об утверждении порядка»")),
        site.page("/essay", html("Found and not found: memory in Russian prose of the 1920s")),
    ]
    results = check(urls)
    for url in urls:
        assert results[url].status is OK, url


def test_cp1251_page_declared_in_header(site: Site, check) -> None:
    body = html("Страница не найдена").replace("utf-8", "windows-1251").encode("cp1251")
    url = site.page("/cp1251", body, content_type="text/html; charset=windows-1251")
    result = check([url])[url]
    assert result.status is SOFT404
    assert result.title == "Страница не найдена"


def test_cp1251_page_declared_only_in_meta(site: Site, check) -> None:
    markup = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251">'
        "<title>Итоги переписи населения</title></head><body></body></html>"
    )
    url = site.page("/meta1251", markup.encode("cp1251"), content_type="text/html")
    result = check([url])[url]
    assert result.status is OK and result.title == "Итоги переписи населения"


def test_cp1251_page_mislabelled_as_utf8(site: Site, check) -> None:
    markup = (
        "<html><head><meta charset='windows-1251'><title>Страница не найдена</title></head>"
        "<body></body></html>"
    )
    url = site.page("/mislabelled", markup.encode("cp1251"))  # header says utf-8
    result = check([url])[url]
    assert result.status is SOFT404 and result.title == "Страница не найдена"


def test_cp1251_page_without_any_declaration(site: Site, check) -> None:
    markup = (
        "<html><head><title>Документ не найден</title></head><body><p>Возможно, он был "
        "перемещён или удалён. Воспользуйтесь поиском по сайту или перейдите на главную."
        "</p></body></html>"
    )
    url = site.page("/guess1251", markup.encode("cp1251"), content_type="text/html")
    result = check([url])[url]
    assert result.status is SOFT404
    assert result.title == "Документ не найден"


# --- blocked ------------------------------------------------------------------------


def test_auth_and_legal_walls_are_blocked(site: Site, check) -> None:
    urls = {
        401: site.page("/s401", "auth", status=401),
        403: site.page("/s403", "forbidden", status=403),
        451: site.page("/s451", "unavailable", status=451),
        999: site.page("/s999", "denied", status=999),
    }
    results = check(urls.values())
    for code, url in urls.items():
        assert results[url].status is BLOCKED, code
        assert results[url].http_status == code


def test_bot_challenges_are_blocked(site: Site, check) -> None:
    cloudflare = (
        "<html><head><title>Just a moment...</title></head><body>"
        "<script src='/cdn-cgi/challenge-platform/h/g/orchestrate/jsch/v1'></script></body></html>"
    )
    ddos_guard = (
        "<html><head><title>DDoS-Guard</title></head><body>"
        "<script src='/.well-known/ddos-guard/check?context=free_splash'></script></body></html>"
    )
    qrator = (
        "<html><head><title></title><script src='/__qrator/qauth_utm_v2.js'></script></head>"
        "<body></body></html>"
    )
    robot = "<html><head><title>Вы не робот?</title></head><body><div id='c'></div></body></html>"
    urls = {
        "cloudflare-header": site.page(
            "/cf1", "", status=403, headers={"cf-mitigated": "challenge", "Server": "cloudflare"}
        ),
        "cloudflare-503": site.page("/cf2", cloudflare, status=503, headers={"Server": "cloudflare"}),
        "ddos-guard-200": site.page("/ddg", ddos_guard, headers={"Server": "ddos-guard"}),
        "qrator-401": site.page("/qr", qrator, status=401, headers={"Server": "QRATOR"}),
        "smartcaptcha-200": site.page("/robot", robot),
        "yandex-redirect": site.redirect("/ya", "/showcaptcha?cc=1&retpath=x", 302),
    }
    site.page("/showcaptcha", robot)
    results = check(urls.values())
    for name, url in urls.items():
        assert results[url].status is BLOCKED, name
        assert "challenge" in results[url].detail, name
    assert site.requests("/cf2") == 1  # a challenge is not retried like a 503
    assert site.requests("/showcaptcha") == 0  # not followed into the captcha


def test_page_that_embeds_a_captcha_widget_is_ok(site: Site, check) -> None:
    page = html(
        "Обратная связь — Институт истории",
        "Обратная связь",
        "<script src='https://smartcaptcha.yandexcloud.net/captcha.js'></script>" + "текст " * 50,
    )
    url = site.page("/contact", page)
    assert check([url])[url].status is OK


# --- unreachable, timeout -----------------------------------------------------------


def test_port_with_nothing_listening_is_unreachable(make_site, check) -> None:
    closed = make_site("127.0.0.2")
    url = closed.url("/x")
    closed.close()
    result = check([url], retries=1)[url]
    assert result.status is UNREACHABLE
    assert "refused" in result.detail and result.cause is LinkCause.CONNECT


def test_unresolvable_name_is_unreachable(check, resolver) -> None:
    url = "http://no-such-host.invalid/doc"
    result = check([url])[url]
    assert result.status is UNREACHABLE
    assert result.detail.startswith("DNS: ") and result.cause is LinkCause.DNS
    assert resolver.calls == ["no-such-host.invalid"]


def test_named_host_resolves_through_the_seam(site: Site, check, resolver) -> None:
    resolver.add("journal.test", site.host)
    site.page("/issue/3", html("Вестник, выпуск 3"))
    url = site.url("/issue/3", host="journal.test")
    result = check([url])[url]
    assert result.status is OK
    assert site.stats.headers["/issue/3"]["host"] == f"journal.test:{site.port}"


def test_cyrillic_domain_and_path(site: Site, check, resolver) -> None:
    resolver.add("xn--e1afmkfd.xn--p1ai", site.host)  # пример.рф
    site.page("/%D0%B4%D0%BE%D0%BA", html("Документ на кириллическом домене"))
    url = f"http://пример.рф:{site.port}/док"
    result = check([url])[url]
    assert result.status is OK, result
    assert resolver.calls == ["xn--e1afmkfd.xn--p1ai"]


def test_connection_closed_without_answer_is_unreachable(site: Site, check) -> None:
    def hang_up(h: RequestHandler) -> None:
        h.close_connection = True
        h.connection.shutdown(2)

    url = site.route("/hangup", hang_up)
    result = check([url], retries=1)[url]
    assert result.status is UNREACHABLE
    assert site.requests("/hangup") == 2  # a dropped connection is retried


def test_slow_headers_time_out(site: Site, check) -> None:
    url = site.page("/slow", html("Too late"), delay=2.0)
    result = check([url], timeout=0.5)[url]
    assert result.status is TIMEOUT
    assert result.http_status is None


def test_dripping_body_times_out(site: Site, check) -> None:
    url = site.route("/drip", drip(0.1))
    result = check([url], timeout=0.8)[url]
    assert result.status is TIMEOUT
    assert result.http_status == 200


def test_endless_and_bomb_bodies_keep_memory_flat(site: Site, check) -> None:
    endless_url = site.route("/endless", endless())
    bomb_url = site.route("/bomb", bomb())
    tracemalloc.start()
    try:
        results = check([endless_url, bomb_url], max_body_bytes=256 * 1024)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert results[endless_url].status is OK and results[endless_url].title == "Endless"
    assert results[bomb_url].status is OK and results[bomb_url].title == "Bomb"
    # The bomb inflates to 100 MB and one network chunk of it to ~64 MB: a reader that
    # inflated whole chunks would blow far past this.
    assert peak < 24 * 1024 * 1024


# --- skipped ------------------------------------------------------------------------


def test_unsupported_scheme_excluded_and_invalid_are_skipped(site: Site, check) -> None:
    excluded = site.page("/private/doc", html("Excluded"))
    urls = ["ftp://ftp.example.ru/pub/file.txt", excluded, "http://[::1"]
    results = check(urls, exclude=(r"/private/",))
    assert all(results[u].status is SKIPPED for u in urls)
    assert "scheme" in results[urls[0]].detail
    assert "excluded" in results[excluded].detail
    assert site.requests("/private/doc") == 0


def test_duplicate_urls_are_fetched_once(site: Site, check) -> None:
    url = site.page("/dup", html("Один документ"))
    same = url.replace("http://", "HTTP://") + "#section-2"
    results = check([url, same])
    assert results[url].status is OK and results[same].status is OK
    assert site.requests("/dup") == 1


def test_one_bad_url_does_not_stop_the_others(site: Site, check) -> None:
    good = [site.page(f"/g{i}", html(f"Good {i}")) for i in range(5)]
    urls = [*good, "http://no-such-host.invalid/", "mailto:someone@example.ru"]
    results = check(urls)
    assert len(results) == len(urls)
    assert all(results[u].status is OK for u in good)

