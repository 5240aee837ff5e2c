"""find_captures against the fake Wayback service: the capture chosen, the calls made,
the cache, and degradation when the service misbehaves."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest
from archive_links import dead
from fake_wayback import FakeWayback

from footcheck._cache import Cache
from footcheck.archive.interface import (
    ArchiveOptions,
    attach_captures,
    find_captures,
    find_captures_async,
    needs_lookup,
)
from footcheck.model import Link, LinkResult, LinkStatus

UTC = dt.timezone.utc
ACCESS = dt.date(2023, 12, 20)
Options = Callable[..., ArchiveOptions]


def chosen(fake: FakeWayback, options: ArchiveOptions, access: dt.date | None, **link_fields):
    link, result = dead("http://gov.example.ru/doc/1", access, **link_fields)
    outcome = find_captures([link], {link.url: result}, options)
    assert outcome.errors == {}
    capture = outcome.captures[link.url]
    return None if capture is None else capture.url.rsplit("/web/", 1)[1].split("/", 1)[0]


@pytest.mark.parametrize(
    ("captures", "expected"),
    [
        (["20200101000000", "20231110080000"], "20231110080000"),  # all before
        (["20240303000000", "20240110000000"], "20240110000000"),  # all after
        (["20231219220000", "20231220153000", "20231221060000"], "20231220153000"),  # on
        (["20231213000000", "20231227000000"], "20231213000000"),  # tie -> earlier
        (["20231201000000", "20231224000000", "20240101000000"], "20231224000000"),
    ],
    ids=["before", "after", "exactly-on", "tie", "nearest-after"],
)
def test_capture_nearest_the_access_date(
    fake: FakeWayback, options_for: Options, captures: list[str], expected: str
) -> None:
    fake.add("http://gov.example.ru/doc/1", *captures)
    assert chosen(fake, options_for(fake), ACCESS) == expected


def test_only_non_200_captures_means_no_copy(fake: FakeWayback, options_for: Options) -> None:
    fake.add("http://gov.example.ru/doc/1", ("20231220000000", "404"), ("20231201000000", "302"))
    assert chosen(fake, options_for(fake), ACCESS) is None


def test_no_captures_at_all(fake: FakeWayback, options_for: Options) -> None:
    assert chosen(fake, options_for(fake), ACCESS) is None
    assert fake.count("cdx") == 1


def test_non_200_rows_are_dropped_even_if_the_service_ignores_the_filter(
    options_for: Options,
) -> None:
    class Unfiltered(FakeWayback):
        def cdx(self, query):  # type: ignore[no-untyped-def]
            return super().cdx({k: v for k, v in query.items() if k != "filter"})

    with Unfiltered() as service:
        service.add("http://gov.example.ru/doc/1", ("20231220000000", "404"), "20231101000000")
        assert chosen(service, options_for(service), ACCESS) == "20231101000000"


def test_plain_text_answers_are_read(options_for: Options) -> None:
    with FakeWayback(text_only=True) as service:
        service.add("http://gov.example.ru/doc/1", "20231101000000", "20231218000000")
        assert chosen(service, options_for(service), ACCESS) == "20231218000000"


def test_reference_falls_back_to_source_date_then_newest(fake: FakeWayback, options_for: Options) -> None:
    fake.add("http://gov.example.ru/doc/1", "20150101000000", "20180601000000", "20220101000000")
    options = options_for(fake)
    assert chosen(fake, options, None, source_date=dt.date(2018, 5, 1)) == "20180601000000"
    assert chosen(fake, options, None) == "20220101000000"


def test_capture_fields(fake: FakeWayback, options_for: Options) -> None:
    fake.add("http://gov.example.ru/doc/1", "20231215093000")
    link, result = dead("http://gov.example.ru/doc/1", ACCESS)
    outcome = find_captures([link], {link.url: result}, options_for(fake))
    capture = outcome.captures[link.url]
    assert capture is not None
    assert capture.url == f"{fake.base_url}/web/20231215093000/http://gov.example.ru/doc/1"
    assert capture.timestamp == dt.datetime(2023, 12, 15, 9, 30, tzinfo=UTC)
    assert capture.days_from_access == -5
    # The capture URL replays on the service.
    page = httpx.get(capture.url, timeout=5)
    assert page.status_code == 200 and "archived" in page.text
    merged = attach_captures([link], {link.url: result}, outcome)
    assert merged[link.url].archive == capture
    assert merged[link.url].status == LinkStatus.BROKEN


def test_one_cdx_query_per_url(fake: FakeWayback, options_for: Options) -> None:
    urls = [f"http://site{i}.example.ru/page" for i in range(6)]
    for url in urls:
        fake.add(url, "20231201000000")
    pairs = [dead(url, ACCESS) for url in urls]
    # The same URL cited again (another footnote, another document) costs nothing.
    links = [link for link, _ in pairs] + [Link(url=urls[0], footnotes=(9,), access_date=ACCESS)]
    results = {link.url: result for link, result in pairs}
    outcome = find_captures(links, results, options_for(fake, concurrency=3, timegate=False))
    assert sorted(fake.cdx_urls()) == sorted(urls)
    assert outcome.calls == 6
    assert all(outcome.captures[url] is not None for url in urls)


def test_second_run_within_ttl_makes_no_calls(fake: FakeWayback, options_for: Options, tmp_path: Path) -> None:
    fake.add("http://a.example.ru/x", "20231201000000")
    pairs = [dead("http://a.example.ru/x", ACCESS), dead("http://b.example.ru/gone", ACCESS)]
    links = [link for link, _ in pairs]
    results = {link.url: result for link, result in pairs}
    options = options_for(fake, timegate=False)  # counts CDX queries

    first_cache = Cache(tmp_path / "c")
    first = find_captures(links, results, options, cache=first_cache)
    first_cache.close()
    assert fake.count("cdx") == 2 and first.calls == 2

    second_cache = Cache(tmp_path / "c")  # a new process would open the file again
    second = find_captures(links, results, options, cache=second_cache)
    assert fake.count("cdx") == 2 and second.calls == 0 and second.cache_hits == 2
    assert second.captures == first.captures  # "no capture" is cached too
    assert second.captures["http://b.example.ru/gone"] is None

    # Another access date is another question.
    later = [dead("http://a.example.ru/x", dt.date(2024, 6, 1))[0]]
    find_captures(later, results, options, cache=second_cache)
    assert fake.count("cdx") == 3


def test_expired_entries_are_asked_again(fake: FakeWayback, options_for: Options, tmp_path: Path) -> None:
    now = [1_000_000.0]
    store = Cache(tmp_path / "c", clock=lambda: now[0])
    link, result = dead("http://a.example.ru/x", ACCESS)
    options = options_for(fake)
    find_captures([link], {link.url: result}, options, cache=store)
    now[0] += options.cache_ttl - 1
    find_captures([link], {link.url: result}, options, cache=store)
    assert fake.count("cdx") == 1
    now[0] += 2
    find_captures([link], {link.url: result}, options, cache=store)
    assert fake.count("cdx") == 2


def test_failures_are_not_cached(fake: FakeWayback, options_for: Options, cache: Cache) -> None:
    fake.add("http://a.example.ru/x", "20231201000000")
    link, result = dead("http://a.example.ru/x", ACCESS)
    fake.fail_status = 503
    first = find_captures([link], {link.url: result}, options_for(fake, max_retries=1), cache=cache)
    assert link.url in first.errors
    fake.fail_status = None
    second = find_captures([link], {link.url: result}, options_for(fake), cache=cache)
    assert second.errors == {} and second.captures[link.url] is not None


def test_429_burst_is_waited_out(fake: FakeWayback, options_for: Options) -> None:
    urls = [f"http://s{i}.example.ru/p" for i in range(3)]
    for url in urls:
        fake.add(url, "20231201000000")
    fake.burst_429 = 4
    pairs = [dead(url, ACCESS) for url in urls]
    options = options_for(fake, max_retries=4, concurrency=1, timegate=False)
    outcome = find_captures([link for link, _ in pairs], {link.url: result for link, result in pairs}, options)
    assert outcome.errors == {}
    assert all(outcome.captures[url] is not None for url in urls)
    assert outcome.calls == fake.count("cdx") == 3 + 4  # each refusal cost one retry


def test_429_retries_are_bounded(fake: FakeWayback, options_for: Options) -> None:
    fake.burst_429 = 1000
    fake.retry_after = None  # exponential backoff from options.backoff
    link, result = dead("http://a.example.ru/x", ACCESS)
    outcome = find_captures([link], {link.url: result}, options_for(fake, max_retries=2, timegate=False))
    assert "429" in outcome.errors[link.url]
    assert outcome.calls == fake.count("cdx") == 3
    assert link.url not in outcome.captures


def test_garbage_body_degrades_to_an_error(fake: FakeWayback, options_for: Options) -> None:
    fake.garbage = "<html><h1>Wayback Machine is temporarily offline</h1></html>"
    link, result = dead("http://a.example.ru/x", ACCESS)
    outcome = find_captures([link], {link.url: result}, options_for(fake, timegate=False))
    assert "unreadable" in outcome.errors[link.url]
    assert outcome.calls == 1  # not retried: the same nonsense would come back


def test_slow_service_times_out_and_degrades(options_for: Options) -> None:
    with FakeWayback(delay=0.6) as service:
        service.add("http://a.example.ru/x", "20231201000000")
        link, result = dead("http://a.example.ru/x", ACCESS)
        outcome = find_captures([link], {link.url: result}, options_for(service, timeout=0.2, timegate=False))
        assert "no answer within 0.2 s" in outcome.errors[link.url]
        assert outcome.calls == 2  # one retry after a timeout, no more


def test_slow_but_in_time_is_fine(options_for: Options) -> None:
    with FakeWayback(delay=0.2) as service:
        service.add("http://a.example.ru/x", "20231201000000")
        link, result = dead("http://a.example.ru/x", ACCESS)
        outcome = find_captures([link], {link.url: result}, options_for(service, timeout=2.0))
        assert outcome.captures[link.url] is not None


def test_unreachable_service_stops_after_a_few_failures(options_for: Options) -> None:
    with FakeWayback() as service:
        options = options_for(service, max_failures=3)
    # The service is closed now: every connection is refused.
    pairs = [dead(f"http://s{i}.example.ru/p", ACCESS) for i in range(10)]
    outcome = find_captures(
        [link for link, _ in pairs],
        {link.url: result for link, result in pairs},
        options,
    )
    assert set(outcome.errors) == {link.url for link, _ in pairs}
    assert outcome.captures == {}
    assert outcome.calls <= 3 + options.concurrency  # in flight when the run stopped
    assert sum("cannot reach" in e for e in outcome.errors.values()) >= 3
    assert any(e.startswith("not looked up") for e in outcome.errors.values())


def test_every_fault_degrades_never_raises(fake: FakeWayback, options_for: Options) -> None:
    link, result = dead("http://a.example.ru/x", ACCESS)
    for status in (400, 403, 404, 500, 502, 503):
        fake.fail_status = status
        outcome = find_captures([link], {link.url: result}, options_for(fake, max_retries=1))
        assert str(status) in outcome.errors[link.url]
    fake.fail_status = None
    for body in ("\x00\xff", "[[", '{"x":', "a b c"):
        fake.garbage = body
        outcome = find_captures([link], {link.url: result}, options_for(fake))
        assert link.url in outcome.errors


def test_blocked_site_means_no_copy(options_for: Options) -> None:
    class Excluded(FakeWayback):
        def cdx(self, query):  # type: ignore[no-untyped-def]
            return 403, "text/plain", "AdministrativeAccessControlException: Blocked Site Error"

    with Excluded() as service:
        link, result = dead("http://a.example.ru/x", ACCESS)
        outcome = find_captures([link], {link.url: result}, options_for(service))
        assert outcome.captures == {link.url: None}
        assert "excluded" in outcome.notes[link.url]


def test_which_links_are_looked_up() -> None:
    link = Link(url="http://a.ru/x", cited_title="Доктрина информационной безопасности")
    plain = ArchiveOptions()
    every = ArchiveOptions(archive_all=True)

    def res(status: LinkStatus, title: str | None = None) -> LinkResult:
        return LinkResult(url=link.url, status=status, title=title)

    for status in ("broken", "soft404", "unreachable", "blocked", "timeout"):
        assert needs_lookup(link, res(LinkStatus(status)), plain)
    assert not needs_lookup(link, res(LinkStatus.OK, "Доктрина информационной безопасности"), plain)
    assert needs_lookup(link, res(LinkStatus.OK, "Продажа домена: лучшие цены"), plain)
    assert not needs_lookup(link, res(LinkStatus.REDIRECT), plain)
    assert not needs_lookup(link, res(LinkStatus.SKIPPED), plain)
    assert not needs_lookup(link, None, plain)
    for result in (None, res(LinkStatus.SKIPPED), res(LinkStatus.OK)):
        assert needs_lookup(link, result, every)


def test_live_and_offline_links_are_not_looked_up(fake: FakeWayback, options_for: Options) -> None:
    live = Link(url="http://ok.example.ru/", access_date=ACCESS)
    offline = Link(url="http://unknown.example.ru/", access_date=ACCESS)
    fake.add(live.url, "20231201000000")
    fake.add(offline.url, "20231202000000")
    results = {live.url: LinkResult(url=live.url, status=LinkStatus.OK)}
    outcome = find_captures([live, offline], results, options_for(fake))
    assert outcome.captures == {} and outcome.calls == 0 and fake.count() == 0
    outcome = find_captures([live, offline], results, options_for(fake, archive_all=True, timegate=False))
    assert set(outcome.captures) == {live.url, offline.url} and fake.count("cdx") == 2
    merged = attach_captures([live, offline], results, outcome)
    assert merged[live.url].status == LinkStatus.OK
    assert merged[offline.url].status == LinkStatus.SKIPPED
    assert merged[offline.url].archive == outcome.captures[offline.url] is not None


def test_progress_is_reported(fake: FakeWayback, options_for: Options, cache: Cache) -> None:
    events: list[tuple[str, object]] = []

    class Recorder:
        def started(self, total: int) -> None:
            events.append(("started", total))

        def finished_one(self, url: str) -> None:
            events.append(("done", url))

    pairs = [dead(f"http://s{i}.example.ru/p", ACCESS) for i in range(3)]
    links = [link for link, _ in pairs]
    results = {link.url: result for link, result in pairs}
    for _ in range(2):  # the second run is answered from the cache
        events.clear()
        find_captures(links, results, options_for(fake), cache=cache, progress=Recorder())
        assert events[0] == ("started", 3)
        assert sorted(e[1] for e in events[1:]) == sorted(link.url for link in links)


def test_usable_from_a_running_event_loop(fake: FakeWayback, options_for: Options) -> None:
    fake.add("http://a.example.ru/x", "20231201000000")
    link, result = dead("http://a.example.ru/x", ACCESS)
    options = options_for(fake)

    async def main():  # type: ignore[no-untyped-def]
        synced = find_captures([link], {link.url: result}, options)  # from inside a loop
        awaited = await find_captures_async([link], {link.url: result}, options)
        return synced, awaited

    synced, awaited = asyncio.run(main())
    assert synced.captures == awaited.captures
    assert synced.captures[link.url] is not None


def test_mock_transport_is_accepted() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, text="k 20231219000000 http://a.ru/x text/html 200 D 1\n")

    link, result = dead("http://a.ru/x", ACCESS)
    options = ArchiveOptions(base_url="http://wayback.invalid", rate_per_minute=60_000, timegate=False)
    outcome = find_captures([link], {link.url: result}, options, transport=httpx.MockTransport(handler))
    capture = outcome.captures[link.url]
    assert capture is not None and capture.days_from_access == -1
    assert len(seen) == 1
    assert seen[0].url.path == "/cdx/search/cdx"
    assert seen[0].url.params["closest"] == "20231220120000"
    assert seen[0].url.params["filter"] == "statuscode:200"
    assert seen[0].headers["user-agent"].startswith("footcheck/")
