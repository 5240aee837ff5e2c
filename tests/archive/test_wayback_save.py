"""Save Page Now (`footcheck archive PAPER`) against the fake service."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import httpx
import pytest
from fake_wayback import FakeWayback

from footcheck._cache import Cache
from footcheck.archive.interface import ArchiveOptions, plan_saves, save_pages
from footcheck.archive.save import capture_in
from footcheck.model import Link, LinkResult, LinkStatus

UTC = dt.timezone.utc
Options = Callable[..., ArchiveOptions]
TODAY = dt.date(2024, 6, 1)


@pytest.mark.parametrize("style", ["redirect", "content-location", "link"])
def test_save_reports_the_new_capture(fake: FakeWayback, options_for: Options, style: str) -> None:
    fake.save_style = style
    fake.save_timestamp = "20990101120000"  # later than the run: a fresh capture
    url = "https://minobrnauki.example.ru/news/1?id=5"
    [result] = save_pages([url], options_for(fake))
    assert result.ok and result.error is None
    assert result.archive_url == f"{fake.base_url}/web/20990101120000/{url}"
    assert result.timestamp == dt.datetime(2099, 1, 1, 12, tzinfo=UTC)
    assert not result.existing
    assert fake.count("save") == 1
    assert fake.calls[0].url == url  # the URL travels whole, query string included


def test_an_older_capture_returned_is_flagged(fake: FakeWayback, options_for: Options) -> None:
    fake.save_timestamp = "20200101000000"
    [result] = save_pages(["http://a.example.ru/"], options_for(fake))
    assert result.ok and result.existing


def test_save_waits_out_429_and_is_bounded(fake: FakeWayback, options_for: Options) -> None:
    fake.burst_429 = 2
    urls = ["http://a.example.ru/1", "http://a.example.ru/2"]
    results = save_pages(urls, options_for(fake))
    assert [r.ok for r in results] == [True, True]
    assert fake.count("save") == 4
    fake.reset_calls()
    fake.burst_429 = 100
    [refused] = save_pages(["http://a.example.ru/3"], options_for(fake, max_retries=2))
    assert not refused.ok and "429" in (refused.error or "")
    assert refused.calls == fake.count("save") == 3


def test_save_failures_degrade(fake: FakeWayback, options_for: Options) -> None:
    fake.fail_status = 403
    [result] = save_pages(["http://a.example.ru/"], options_for(fake))
    assert not result.ok and "403" in (result.error or "")
    fake.fail_status = None

    fake.save_style = "none"  # 200 without naming a capture
    [result] = save_pages(["http://a.example.ru/"], options_for(fake))
    assert not result.ok and "no capture" in (result.error or "")

    options = options_for(fake, max_failures=2)
    fake.close()  # refuse every connection from now on
    results = save_pages([f"http://a.example.ru/{i}" for i in range(5)], options)
    assert all(not r.ok for r in results)
    assert sum(r.calls for r in results) == 2  # stopped after two failures in a row
    assert results[-1].error is not None and results[-1].error.startswith("not sent")


def test_slow_save_times_out(options_for: Options) -> None:
    with FakeWayback(delay=0.5) as service:
        [result] = save_pages(["http://a.example.ru/"], options_for(service, save_timeout=0.1))
        assert not result.ok and "no answer" in (result.error or "")


def test_capture_in_answer_headers() -> None:
    def answer(headers: dict[str, str], url: str = "http://h/save/x") -> httpx.Response:
        return httpx.Response(200, headers=headers, request=httpx.Request("GET", url))

    assert capture_in(answer({"Content-Location": "/web/20240102030405/http://a.ru/"})) == ("20240102030405")
    link = '<http://a.ru/>; rel="original", <http://h/web/20240102030405/http://a.ru/>; rel="memento"'
    assert capture_in(answer({"Link": link})) == "20240102030405"
    first = '<http://h/web/20200101000000/http://a.ru/>; rel="first memento"'
    assert capture_in(answer({"Link": first})) == "20200101000000"
    assert capture_in(answer({}, "http://h/web/20240102030405id_/http://a.ru/")) == ("20240102030405")
    assert capture_in(answer({"Link": '<http://a.ru/>; rel="original"'})) is None


def test_plan_saves_picks_live_links_without_a_recent_capture(
    fake: FakeWayback, options_for: Options, cache: Cache
) -> None:
    fresh = Link(url="http://fresh.example.ru/", access_date=dt.date(2020, 1, 1))
    stale = Link(url="http://stale.example.ru/", access_date=dt.date(2024, 5, 30))
    never = Link(url="http://never.example.ru/")
    gone = Link(url="http://gone.example.ru/")
    unchecked = Link(url="http://unchecked.example.ru/")
    fake.add(fresh.url, "20190101000000", "20240520000000")
    fake.add(stale.url, "20240101000000")
    results = {link.url: LinkResult(url=link.url, status=LinkStatus.OK) for link in (fresh, stale, never)}
    results[gone.url] = LinkResult(url=gone.url, status=LinkStatus.BROKEN, http_status=404)
    options = options_for(fake, fresh_days=30, timegate=False)  # counts CDX queries
    links = [fresh, stale, never, gone, unchecked]

    plan = plan_saves(links, results, options, cache=cache, today=TODAY)
    assert plan.to_save == [stale.url, never.url]
    assert set(plan.recent) == {fresh.url}
    assert plan.recent[fresh.url].timestamp.date() == dt.date(2024, 5, 20)
    assert plan.not_live == [gone.url, unchecked.url]
    assert plan.calls == 3 and fake.count("cdx") == 3

    # Saving updates the cache, so planning again asks nobody and saves nothing.
    fake.save_timestamp = "20240601080000"
    saved = save_pages(plan.to_save, options, cache=cache)
    assert all(r.ok for r in saved)
    again = plan_saves(links, results, options, cache=cache, today=TODAY)
    assert again.to_save == [] and again.calls == 0
    assert fake.count("cdx") == 3
