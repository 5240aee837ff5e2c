"""Pure parts of the checker, and run-level behaviour through httpx's MockTransport."""

from __future__ import annotations

import asyncio
import os
import signal
import threading
import zlib

import httpx
import pytest
from check_servers import Site, fast_options, html

from footcheck.check.body import BodyDecoder
from footcheck.check.interface import (
    CheckInterrupted,
    CheckOptions,
    StaticResolver,
    check_links,
    check_links_async,
    offline_results,
)
from footcheck.check.page import read_page, sniff_charset
from footcheck.check.verdict import challenge_vendor, missing_phrase
from footcheck.model import Link, LinkStatus

PUBLIC = StaticResolver({"example.org": "93.184.216.34", "example.net": "93.184.216.35"})


def mock_check(handler, urls, **overrides) -> dict:
    options = CheckOptions(**{"timeout": 3.0, "backoff_base": 0.01, **overrides})
    links = [Link(u, line=1) for u in urls]
    return check_links(links, options, transport=httpx.MockTransport(handler), resolver=PUBLIC)


# --- page reading -------------------------------------------------------------------


def test_title_heading_and_og_title() -> None:
    body = (
        "<html><head><meta property='og:title' content='Итоги года'>"
        "<title>  Итоги\n года — Ведомости </title></head>"
        "<body><h1>Итоги <span>года</span></h1><h1>second</h1></body></html>"
    ).encode()
    page = read_page(body, "text/html; charset=utf-8")
    assert page.title == "Итоги года — Ведомости"
    assert page.heading == "Итоги года"
    assert page.og_title == "Итоги года"
    assert page.titles == ("Итоги года — Ведомости", "Итоги года")


def test_page_cut_in_the_middle_still_reads() -> None:
    body = "<html><head><title>Обрезанная страница</title></head><body><p>Текст".encode()
    cut = body + "ё".encode()[:1]  # half a character at the end
    assert read_page(cut, "text/html").title == "Обрезанная страница"


@pytest.mark.parametrize(
    ("content_type", "body", "expected"),
    [
        ("text/html; charset=windows-1251", b"<html>", "cp1251"),
        ("text/html; charset=\"KOI8-R\"", b"<html>", "koi8-r"),
        ("text/html", b"<meta charset='windows-1251'><title>x</title>", "cp1251"),
        ("text/html", "<title>Привет</title>".encode(), "utf-8"),
        ("text/html; charset=bogus", b"<meta charset=utf-8>", "utf-8"),
        ("text/html; charset=utf-8",
         "<meta charset=windows-1251><title>Главная</title>".encode("cp1251"), "cp1251"),
    ],
)
def test_charset_sniffing(content_type: str, body: bytes, expected: str) -> None:
    assert sniff_charset(content_type, body) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Страница не найдена",
        "404 — Страница не найдена | Минобрнауки России",
        "Ошибка 404",
        "Запрашиваемая страница не существует",
        "Такой страницы нет",
        "Документ удалён",
        "Page not found",
        "404 Not Found",
        "Not Found",
        "Sorry, the page you requested could not be found",
        "Error 404",
        "404",
        "Страница, которую вы ищете, не существует",
        "404 - Файл или каталог не найден.",
        "Oops! That page can’t be found.".replace("’", "'"),
        "The page you requested was not found",
        "Нет такой страницы",
        "HTTP 404",
    ],
)
def test_missing_phrases(text: str) -> None:
    assert missing_phrase(text)


@pytest.mark.parametrize(
    "text",
    [
        "Приказ Минздрава № 404 от 12.05.2020",
        "Постановление Правительства РФ от 01.02.2021 N 404",
        "Found in translation: Russian émigré periodicals, 1920–1940",
        "Федеральный закон «О связи»",
        "Искомое и найденное: очерки",
        "Клад был найден под Смоленском",
        "Treasure was found near Smolensk",
        "Страница временно недоступна",
        "",
    ],
)
def test_not_missing_phrases(text: str) -> None:
    assert not missing_phrase(text)


def test_challenge_vendor_from_headers_and_bodies() -> None:
    h = httpx.Headers
    cf = read_page(b"<title>Just a moment...</title><script src='/cdn-cgi/challenge-platform/x'>",
                   "text/html")
    assert challenge_vendor(403, h({"cf-mitigated": "challenge"}), "https://a.ru/", None) == (
        "Cloudflare"
    )
    assert challenge_vendor(503, h(), "https://a.ru/", cf) == "Cloudflare"
    assert challenge_vendor(200, h({"x-yandex-captcha": "captcha"}), "https://a.ru/", None)
    assert challenge_vendor(200, h(), "https://ya.ru/showcaptcha?x", None)
    splash = read_page(b"<html><body>Checking your browser before accessing. DDoS protection "
                       b"by DDoS-Guard</body></html>", "text/html")
    assert challenge_vendor(200, h(), "https://a.ru/", splash) == "DDoS-Guard"
    assert challenge_vendor(200, h({"server": "ddos-guard"}), "https://a.ru/", splash)
    plain = read_page(html("Обычная страница", "Заголовок", "текст").encode(), "text/html")
    assert challenge_vendor(200, h({"server": "ddos-guard"}), "https://a.ru/", plain) is None
    assert challenge_vendor(503, h({"server": "cloudflare"}), "https://a.ru/", plain) is None


# --- bodies -------------------------------------------------------------------------


def test_decoder_never_returns_more_than_asked() -> None:
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    bomb = packer.compress(b"\0" * 50_000_000) + packer.flush()
    decoder = BodyDecoder("gzip")
    out = decoder.feed(bomb, 4096)
    assert len(out) == 4096
    assert decoder.feed(b"", 0) == b""


def test_raw_deflate_and_unknown_encodings() -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15)
    raw = packer.compress(b"<title>raw deflate</title>") + packer.flush()
    assert BodyDecoder("deflate").feed(raw, 1000) == b"<title>raw deflate</title>"
    assert BodyDecoder("identity").feed(b"abc", 2) == b"ab"
    assert not BodyDecoder("br").supported
    assert not BodyDecoder("gzip, gzip").supported
    broken = BodyDecoder("gzip")
    assert broken.feed(b"not gzip at all", 100) == b"" and broken.error


def test_compressed_page_is_decoded() -> None:
    packer = zlib.compressobj(6, zlib.DEFLATED, 31)
    body = packer.compress(html("Сжатая страница").encode()) + packer.flush()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"Content-Encoding": "gzip",
                                            "Content-Type": "text/html"}, content=body)

    url = "https://example.org/z"
    assert mock_check(handler, [url])[url].title == "Сжатая страница"


# --- redirects through the mock ------------------------------------------------------


def test_invalid_location_and_unsupported_redirect_scheme() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/bad":
            return httpx.Response(302, headers={"Location": "http://[::1/"})
        return httpx.Response(301, headers={"Location": "ftp://example.org/pub/file"})

    bad, ftp = "https://example.org/bad", "https://example.org/ftp"
    results = mock_check(handler, [bad, ftp])
    assert results[bad].status is LinkStatus.BROKEN and "redirect" in results[bad].detail
    assert results[ftp].status is LinkStatus.SKIPPED and "ftp" in results[ftp].detail


def test_redirect_to_a_private_address_is_refused_before_sending() -> None:
    seen: list[str] = []
    resolver = StaticResolver({"example.org": "93.184.216.34", "internal.example": "10.0.0.5"})

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        if request.url.host == "example.org":
            return httpx.Response(302, headers={"Location": "http://internal.example/admin"})
        return httpx.Response(200, text=html("Admin"))

    url = "https://example.org/start"
    results = check_links([Link(url)], CheckOptions(), transport=httpx.MockTransport(handler),
                          resolver=resolver)
    assert results[url].status is LinkStatus.SKIPPED
    assert "10.0.0.5" in results[url].detail and "private" in results[url].detail
    assert seen == [url]


# --- the run: progress, failures, interruption -------------------------------------


class Recorder:
    def __init__(self) -> None:
        self.total: int | None = None
        self.done: list[str] = []
        self.hosts: list[str] = []

    def started(self, total: int) -> None:
        self.total = total

    def host_started(self, host: str) -> None:
        self.hosts.append(host)

    def finished_one(self, url: str, result) -> None:
        self.done.append(url)


def test_progress_is_reported_for_every_link() -> None:
    recorder = Recorder()
    urls = ["https://example.org/1", "https://example.net/2", "ftp://example.org/3",
            "https://example.org/1#again"]

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=html("ok"))

    check_links([Link(u) for u in urls], CheckOptions(), progress=recorder,
                transport=httpx.MockTransport(handler), resolver=PUBLIC)
    assert recorder.total == 4
    assert sorted(recorder.done) == sorted(urls)
    assert set(recorder.hosts) == {"example.org", "example.net"}


def test_progress_without_host_started_is_fine() -> None:
    class Minimal:
        def started(self, total: int) -> None:
            pass

        def finished_one(self, url: str, result) -> None:
            pass

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, text=html("ok"))

    url = "https://example.org/m"
    assert check_links([Link(url)], CheckOptions(), progress=Minimal(),
                       transport=httpx.MockTransport(handler),
                       resolver=PUBLIC)[url].status is LinkStatus.OK


def test_a_crash_for_one_url_does_not_stop_the_run() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/crash":
            raise RuntimeError("transport bug")
        return httpx.Response(200, text=html("fine"))

    crash, fine = "https://example.org/crash", "https://example.org/fine"
    results = mock_check(handler, [crash, fine])
    assert results[fine].status is LinkStatus.OK
    assert results[crash].status is LinkStatus.SKIPPED
    assert "internal error" in results[crash].detail


def test_cancelling_the_async_run_raises_with_partial_results() -> None:
    async def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.startswith("/slow"):
            await asyncio.sleep(30)
        return httpx.Response(200, text=html("fast"))

    urls = ["https://example.org/fast", "https://example.net/slow1", "https://example.net/slow2"]

    async def main() -> None:
        task = asyncio.create_task(check_links_async(
            [Link(u) for u in urls], CheckOptions(timeout=60),
            transport=httpx.MockTransport(handler), resolver=PUBLIC))
        await asyncio.sleep(0.3)
        task.cancel()
        with pytest.raises(CheckInterrupted) as stop:
            await task
        assert set(stop.value.results) == {urls[0]}
        assert stop.value.results[urls[0]].status is LinkStatus.OK

    asyncio.run(asyncio.wait_for(main(), 10))


def test_ctrl_c_stops_cleanly_with_what_was_checked(make_site) -> None:
    site: Site = make_site("127.0.0.2")
    fast = [site.page(f"/fast{i}", html("быстро")) for i in range(3)]
    slow = [site.page(f"/slow{i}", html("медленно"), delay=4.0) for i in range(2)]
    running = threading.Event()
    timers: list[threading.Timer] = []

    def press_ctrl_c() -> None:
        if running.is_set():  # never hit the test session itself
            os.kill(os.getpid(), signal.SIGINT)

    class Progress:
        done = 0

        def started(self, total: int) -> None:
            running.set()

        def finished_one(self, url: str, result) -> None:
            # Ctrl-C once the fast pages are done and while the slow ones are in flight
            # (an event, not a clock: a loaded machine may take seconds to get going)
            Progress.done += 1
            if Progress.done == len(fast):
                timers.append(threading.Timer(0.05, press_ctrl_c))
                timers[-1].start()

    try:
        with pytest.raises(CheckInterrupted) as stop:
            check_links([Link(u) for u in fast + slow], fast_options(timeout=10),
                        resolver=StaticResolver(), progress=Progress())
    finally:
        running.clear()
        for timer in timers:
            timer.cancel()
    finished = set(stop.value.results)
    assert finished and finished <= set(fast)  # what was done, and nothing made up
    assert all(site.requests(u.split(str(site.port), 1)[1]) == 1 for u in slow)


def test_offline_results_are_skipped() -> None:
    results = offline_results([Link("https://example.org/")])
    assert results["https://example.org/"].status is LinkStatus.SKIPPED


def test_options_are_validated() -> None:
    with pytest.raises(ValueError, match="exclude"):
        CheckOptions(exclude=("([",))
    with pytest.raises(ValueError):
        CheckOptions(per_host=0)
    with pytest.raises(ValueError):
        CheckOptions(allow_networks=("not a network",))


def test_the_run_thaws_what_it_froze_and_leaves_a_callers_freeze_alone() -> None:
    import gc

    def handler(request: httpx.Request) -> httpx.Response:
        assert gc.get_freeze_count() > 0  # set aside while the run allocates
        return httpx.Response(200, html=html("Страница"))

    url = "https://example.org/gc"
    assert mock_check(handler, [url])[url].status is LinkStatus.OK
    assert gc.get_freeze_count() == 0
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        assert mock_check(handler, [url])[url].status is LinkStatus.OK
        assert gc.get_freeze_count() == frozen  # the caller's freeze is theirs
    finally:
        gc.unfreeze()
