"""The Memento TimeGate fast path: the same capture as the CDX rule, fewer CDX queries.

The fake service's TimeGate goes to the nearest capture whatever its status, with ties
to the later one, the way a real TimeGate may; footcheck's rule counts calendar days and
sends ties to the earlier capture. These tests hold the fast path to that rule.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Callable

import pytest
from archive_links import dead
from fake_wayback import FakeWayback

from footcheck.archive import memento
from footcheck.archive.cdx import Row, parse_timestamp
from footcheck.archive.choose import choose
from footcheck.archive.interface import ArchiveOptions, find_captures
from footcheck.model import Link
from footcheck.rules.archive import archive_findings

ACCESS = dt.date(2023, 12, 20)
URL = "http://gov.example.ru/doc/1"
Options = Callable[..., ArchiveOptions]


def lookup(fake: FakeWayback, options: ArchiveOptions, access: dt.date | None = ACCESS, url: str = URL):
    link, result = dead(url, access)
    outcome = find_captures([link], {link.url: result}, options)
    assert outcome.errors == {}, outcome.errors
    capture = outcome.captures[link.url]
    stamp = None if capture is None else capture.url.rsplit("/web/", 1)[1].split("/", 1)[0]
    return stamp, outcome


def truth(captures: list[tuple[str, str]], access: dt.date | None) -> str | None:
    rows = [Row(parse_timestamp(ts), status) for ts, status in captures]  # type: ignore[arg-type]
    best = choose(rows, access)
    return None if best is None else best.wayback_timestamp


@pytest.mark.parametrize(
    "captures",
    [
        ["20231220153000"],  # on the day: one answer
        ["20231110080000", "20240303000000"],  # nearer after
        ["20231201000000", "20240120000000"],  # nearer before: the neighbours settle it
        ["20231219230000", "20231221003000"],  # a day either side; the later is nearer in seconds
        ["20231220020000", "20231220210000", "20231219235959"],  # earliest of the day, not nearest
        ["20231213000000", "20231227000000"],  # tie by days -> the earlier
        ["20231220000000"],  # exactly at the start of the day
        ["20231219000000", "20231221000000"],  # mirror images around midnight
    ],
)
def test_settled_by_the_timegate_alone(fake: FakeWayback, options_for: Options, captures: list[str]) -> None:
    fake.add(URL, *captures)
    stamp, outcome = lookup(fake, options_for(fake))
    assert stamp == truth([(c, "200") for c in captures], ACCESS)
    assert fake.count("cdx") == 0
    assert outcome.endpoint_calls["cdx"] == 0 and outcome.endpoint_calls["timegate"] == fake.count("web")


def test_without_neighbour_links_it_asks_again_and_stays_exact(fake: FakeWayback, options_for: Options) -> None:
    fake.neighbour_links = False
    fake.add(URL, "20231201000000", "20231201060000", "20240120000000")
    stamp, _ = lookup(fake, options_for(fake))
    assert stamp == "20231201000000"
    assert fake.count("cdx") == 0 and fake.count("web") > 2  # more questions, no CDX


@pytest.mark.parametrize("neighbours", [True, False], ids=["with-neighbour-links", "without"])
def test_random_capture_sets_match_the_rule(options_for: Options, neighbours: bool) -> None:
    rng = random.Random(20231220 + neighbours)
    base = dt.datetime(2023, 12, 20, tzinfo=dt.timezone.utc)
    statuses = ["200"] * 6 + ["404", "302", "503"]
    cases: dict[str, set[tuple[str, str]]] = {}
    with FakeWayback() as fake:
        fake.neighbour_links = neighbours
        for case in range(80):
            url = f"http://site{case}.example.ru/page"
            captures = cases[url] = set()
            for _ in range(rng.randint(0, 7)):
                offset = rng.choice([rng.randint(-3 * 86400, 3 * 86400), rng.randint(-400 * 86400, 400 * 86400)])
                captures.add(((base + dt.timedelta(seconds=offset)).strftime("%Y%m%d%H%M%S"), rng.choice(statuses)))
            for ts, status in captures:
                fake.add(url, (ts, status))
        pairs = [dead(url, ACCESS) for url in cases]
        outcome = find_captures([p[0] for p in pairs], {p[0].url: p[1] for p in pairs}, options_for(fake))
        assert outcome.errors == {}
        for url, captures in cases.items():
            capture = outcome.captures[url]
            stamp = None if capture is None else capture.url.rsplit("/web/", 1)[1].split("/", 1)[0]
            assert stamp == truth(sorted(captures), ACCESS), (url, sorted(captures))
            if capture is not None and any(ts < "20231220" and status == "200" for ts, status in captures):
                # a copy precedes the access day: FC604 must be able to see one
                assert any((c.days_from_access or 0) <= 0 for c in outcome.candidates[url])
        # most lookups never reach CDX (only those whose nearest capture is not a 200)
        assert outcome.endpoint_calls["cdx"] < len(cases) / 2


def test_no_reference_date_gets_the_newest(fake: FakeWayback, options_for: Options) -> None:
    fake.add(URL, "20150101000000", "20220101000000", ("20240101000000", "404"))
    stamp, _ = lookup(fake, options_for(fake, timegate=True), access=None)
    assert stamp == "20220101000000"  # the nearest to now is a 404: CDX decides
    fake.add(URL, "20250101000000")
    stamp, _ = lookup(fake, options_for(fake), access=None, url=URL)
    assert stamp == "20250101000000"


@pytest.mark.parametrize(
    ("setting", "value"),
    [("memento_headers", False), ("lying_link", True)],
    ids=["no-memento-datetime", "link-disagrees"],
)
def test_headers_missing_or_contradictory_fall_back_to_cdx(
    fake: FakeWayback, options_for: Options, setting: str, value: bool
) -> None:
    fake.add(URL, "20231201000000", "20231224000000")
    setattr(fake, setting, value)
    stamp, outcome = lookup(fake, options_for(fake))
    assert stamp == "20231224000000"
    assert fake.count("cdx") == 1 and outcome.endpoint_calls["cdx"] == 1


def test_nearest_capture_not_200_falls_back_to_cdx(fake: FakeWayback, options_for: Options) -> None:
    fake.add(URL, ("20231220090000", "404"), "20231101000000", ("20231221000000", "302"))
    stamp, _ = lookup(fake, options_for(fake))
    assert stamp == "20231101000000"
    assert fake.count("cdx") == 1


def test_never_archived_asks_cdx_once(fake: FakeWayback, options_for: Options) -> None:
    stamp, outcome = lookup(fake, options_for(fake))
    assert stamp is None and outcome.captures[URL] is None
    assert fake.count("web") == 1 and fake.count("cdx") == 1


def test_head_refused_uses_a_get(fake: FakeWayback, options_for: Options) -> None:
    fake.head_allowed = False
    fake.add(URL, "20231218000000")
    stamp, _ = lookup(fake, options_for(fake))
    assert stamp == "20231218000000" and fake.count("cdx") == 0


def test_replay_429_falls_back_to_cdx(fake: FakeWayback, options_for: Options) -> None:
    fake.add(URL, "20231218000000")
    fake.burst_429 = 1  # the first request (a TimeGate one) is refused
    stamp, outcome = lookup(fake, options_for(fake))
    assert stamp == "20231218000000"
    assert outcome.endpoint_calls == {"timegate": 1, "cdx": 1}


def test_fc604_after_access_is_still_known(fake: FakeWayback, options_for: Options) -> None:
    fake.add(URL, "20240110000000", "20240301000000")
    link, result = dead(URL, ACCESS)
    outcome = find_captures([link], {link.url: result}, options_for(fake))
    codes = [f.code for f in archive_findings([link], {link.url: result}, outcome)]
    assert "FC604" in codes and fake.count("cdx") == 0
    fake.add(URL, "20150101000000")  # a copy long before: FC604 must not fire
    other = Link(url=URL, access_date=dt.date(2023, 12, 21), footnotes=(1,))
    outcome = find_captures([other], {URL: result}, options_for(fake))
    assert "FC604" not in [f.code for f in archive_findings([other], {URL: result}, outcome)]


def test_endpoints_are_paced_separately(options_for: Options) -> None:
    with FakeWayback() as fake:
        urls = [f"http://s{i}.example.ru/p" for i in range(8)]
        for url in urls:
            fake.add(url, "20231215000000")
        # CDX at one request a minute would take minutes; the TimeGate needs none of it.
        options = options_for(fake, rate_per_minute=1.0, burst=1, playback_rate_per_minute=600.0, playback_burst=4)
        pairs = [dead(url, ACCESS) for url in urls]
        started = time.monotonic()
        outcome = find_captures([p[0] for p in pairs], {p[0].url: p[1] for p in pairs}, options)
        elapsed = time.monotonic() - started
        assert all(outcome.captures[url] is not None for url in urls)
        assert fake.count("cdx") == 0 and outcome.endpoint_calls["timegate"] == 16
        # 16 playback requests at 10 a second after a burst of 4: about 1.2 s, never less
        assert 1.0 <= elapsed < 5.0
        assert fake.peak(0.5, "web") <= 4 + 6


def test_evidence_intervals() -> None:
    day = dt.date(2023, 12, 20)
    start = int(dt.datetime(2023, 12, 20, tzinfo=dt.timezone.utc).timestamp())
    now = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    # a capture on the day at 10:00: anything earlier that day would beat it
    assert memento.better_than(start + 36000, day, now) == [(start, start + 35999)]
    # a capture two days before at 06:00: earlier that day, and the days -1 .. +1
    two_before = start - 2 * 86400 + 6 * 3600
    assert memento.better_than(two_before, day, now) == [
        (start - 2 * 86400, two_before - 1),
        (start - 86400, start + 2 * 86400 - 1),
    ]
    evidence = memento.Evidence()
    answer = memento.Memento(dt.datetime.fromtimestamp(two_before, dt.timezone.utc), 200)
    evidence.add_answer(start, answer)  # asked at the start of the day
    assert evidence.open_question(day, now) == [
        (start - 2 * 86400, two_before - 1),
        (start + (start - two_before), start + 2 * 86400 - 1),
    ]


def test_link_header_parsing() -> None:
    header = (
        '<http://a.ru/x>; rel="original", <https://w.org/web/20231201000000/http://a.ru/x>; '
        'rel="first memento"; datetime="Fri, 01 Dec 2023 00:00:00 GMT", '
        '<https://w.org/web/20231215103000/http://a.ru/x>; rel="memento"; datetime="Fri, 15 Dec 2023 10:30:00 GMT",'
        '<https://w.org/web/20240101000000/http://a.ru/x>; rel="next memento"; datetime="Mon, 01 Jan 2024 00:00:00 GMT"'
    )
    entries = memento.parse_link_header([header])
    assert [sorted(e.rels) for e in entries] == [["original"], ["first", "memento"], ["memento"], ["memento", "next"]]
    found = memento.read_memento(
        200,
        {"memento-datetime": "Fri, 15 Dec 2023 10:30:00 GMT"},
        [header],
        "https://w.org/web/20231215103000/http://a.ru/x",
    )
    assert found.next == dt.datetime(2024, 1, 1, tzinfo=dt.timezone.utc) and found.prev is None
    with pytest.raises(memento.NotAMemento):
        memento.read_memento(200, {}, [header], "https://w.org/web/20231215103000/http://a.ru/x")
    with pytest.raises(memento.NotAMemento):  # the URL names another second
        memento.read_memento(
            200, {"memento-datetime": "Fri, 15 Dec 2023 10:30:00 GMT"}, [], "https://w.org/web/20231215103001/x"
        )


def test_results_are_shared_with_the_cdx_cache(fake: FakeWayback, options_for: Options, cache) -> None:  # type: ignore[no-untyped-def]
    fake.add(URL, "20231218000000")
    link, result = dead(URL, ACCESS)
    first = find_captures([link], {URL: result}, options_for(fake), cache=cache)
    calls = fake.count()
    second = find_captures([link], {URL: result}, options_for(fake, timegate=False), cache=cache)
    assert fake.count() == calls and second.cache_hits == 1
    assert second.captures == first.captures


def test_a_fast_cdx_is_asked_directly(fake: FakeWayback, options_for: Options) -> None:
    fake.add(URL, "20231218000000")
    # a mirror of one's own: CDX allowed as many requests as playback, one round trip wins
    stamp, outcome = lookup(fake, options_for(fake, rate_per_minute=6000.0, playback_rate_per_minute=6000.0))
    assert stamp == "20231218000000" and outcome.endpoint_calls == {"timegate": 0, "cdx": 1}


@pytest.mark.parametrize("value", ["Mon, 01 Jan 99999999999 12:00:00 GMT", "Fri, 31 Dec 9999 23:59:59 -2359",
                                   "Mon, 99 Foo 2024 99:99:99 GMT", "", "soon"])
def test_a_memento_datetime_no_archive_would_send_is_no_date(value: str) -> None:
    from footcheck.archive.memento import parse_http_date

    assert parse_http_date(value) is None
