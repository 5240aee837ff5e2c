"""The on-disk cache (counted requests on a second run) and the concurrency limits."""

from __future__ import annotations

import itertools
import json
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import pytest
from check_servers import RequestHandler, Site, html

from footcheck._cache import Cache
from footcheck.check.cache import NAMESPACE, cache_key, decode, encode
from footcheck.model import LinkResult, LinkStatus


def _paper_urls(site: Site, closed_port_url: str) -> tuple[dict[str, str], dict[str, str]]:
    site.page("/", html("Главная"))
    site.page("/moved-here", html("Новый адрес"))
    site.redirect("/a", site.url("/b"), 302)
    site.redirect("/b", site.url("/a"), 302)
    settled = {
        "ok": site.page("/ok", html("Статья о переписи")),
        "404": site.page("/missing", "no", status=404),
        "410": site.page("/gone", "gone", status=410),
        "redirect": site.redirect("/old", "/moved-here", 301),
        "soft404": site.page("/soft", html("Страница не найдена")),
        "403": site.page("/wall", "forbidden", status=403),
        "loop": site.url("/a"),
    }
    transient = {
        "503": site.page("/busy", "busy", status=503),
        "429": site.page("/many", "slow down", status=429),
        "timeout": site.page("/slow", html("late"), delay=1.0),
        "refused": closed_port_url,
    }
    return settled, transient


def test_second_run_asks_again_only_for_transient_answers(make_site, check, tmp_path) -> None:
    closed = make_site("127.0.0.3")
    closed_url = closed.url("/nothing")
    closed.close()
    site = make_site("127.0.0.2")
    settled, transient = _paper_urls(site, closed_url)
    urls = [*settled.values(), *transient.values()]
    cache = Cache(tmp_path)
    first = check(urls, cache=cache, retries=0, timeout=0.5)
    before = Counter(site.stats.requests)
    second = check(urls, cache=cache, retries=0, timeout=0.5)
    after = Counter(site.stats.requests)
    new_requests = after - before
    for name, url in settled.items():
        assert second[url].from_cache, name
        assert second[url].status is first[url].status, name
        assert second[url].http_status == first[url].http_status, name
    assert sum(new_requests[p] for p in ("/ok", "/missing", "/gone", "/old", "/moved-here",
                                          "/soft", "/wall", "/a", "/b")) == 0
    for name, url in transient.items():
        assert not second[url].from_cache, name
    assert new_requests["/busy"] == 1 and new_requests["/many"] == 1 and new_requests["/slow"] == 1
    assert second[settled["ok"]].title == "Статья о переписи"
    assert second[settled["redirect"]].status is LinkStatus.REDIRECT
    assert second[settled["redirect"]].final_url == site.url("/moved-here")
    cache.close()


def test_entries_expire_after_the_ttl(site: Site, check, tmp_path) -> None:
    now = [1_000_000.0]
    cache = Cache(tmp_path, clock=lambda: now[0])
    url = site.page("/ttl", html("Срок хранения"))
    check([url], cache=cache, cache_ttl=60)
    check([url], cache=cache, cache_ttl=60)
    assert site.requests("/ttl") == 1
    now[0] += 61
    assert not check([url], cache=cache, cache_ttl=60)[url].from_cache
    assert site.requests("/ttl") == 2


def test_answers_from_private_addresses_are_not_served_to_a_guarded_run(
    site: Site, check, tmp_path
) -> None:
    cache = Cache(tmp_path)
    url = site.page("/intranet", html("Внутренний портал"))
    assert check([url], cache=cache, allow_private=True)[url].status is LinkStatus.OK
    result = check([url], cache=cache, allow_private=False)[url]
    assert result.status is LinkStatus.SKIPPED and not result.from_cache
    assert site.requests("/intranet") == 1


def test_cache_key_normalises_case_port_and_fragment() -> None:
    assert cache_key("HTTP://Example.RU:80/Doc#p2") == "http://example.ru/Doc"
    assert cache_key("https://пример.рф/путь") == cache_key("https://xn--e1afmkfd.xn--p1ai/путь")
    assert cache_key("https://a.ru/x?q=1") != cache_key("https://a.ru/x?q=2")


def test_cache_round_trip_and_rejects_foreign_values() -> None:
    result = LinkResult("http://a.ru/", LinkStatus.REDIRECT, 200, "https://a.ru/", "moved",
                        title="ignored", permanent_redirect=True)
    value = json.loads(json.dumps(encode(result, ["Заглавие"], private=False)))
    back, titles = decode("http://a.ru/", value, allow_private=False)
    assert back.status is LinkStatus.REDIRECT and back.final_url == "https://a.ru/"
    assert back.permanent_redirect and back.from_cache and titles == ["Заглавие"]
    assert decode("x", {"v": 999}, allow_private=True) is None
    assert decode("x", {"v": 1, "status": "nonsense"}, allow_private=True) is None
    assert decode("x", "garbage", allow_private=True) is None


_CHILD = """
import json, sys
from pathlib import Path
from footcheck._cache import Cache
from footcheck.check.interface import CheckOptions, StaticResolver, check_links
from footcheck.model import Link
urls = json.loads(sys.argv[2])
cache = Cache(Path(sys.argv[1]))
results = check_links([Link(u) for u in urls], CheckOptions(allow_private=True, timeout=5),
                      cache=cache, resolver=StaticResolver())
print(json.dumps({u: r.status.value for u, r in results.items()}))
"""


def test_two_processes_share_one_cache_without_corrupting_it(site: Site, tmp_path) -> None:
    urls = [site.page(f"/shared/{i}", html(f"Документ {i}")) for i in range(40)]
    command = [sys.executable, "-c", _CHILD, str(tmp_path), json.dumps(urls)]
    children = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                 text=True) for _ in range(2)]
    outputs = []
    for child in children:
        out, err = child.communicate(timeout=60)
        assert child.returncode == 0, err
        outputs.append(json.loads(out))
    assert all(set(o.values()) == {"ok"} for o in outputs)
    with sqlite3.connect(tmp_path / Cache.FILENAME) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        rows = conn.execute("SELECT key, value FROM entries WHERE namespace=?", (NAMESPACE,))
        stored = {key: json.loads(value) for key, value in rows}
    assert set(stored) == {cache_key(u) for u in urls}
    assert {v["status"] for v in stored.values()} == {"ok"}


def test_threads_with_their_own_cache_objects_share_one_file(site: Site, check, tmp_path) -> None:
    urls = [site.page(f"/t/{i}", html(f"Страница {i}")) for i in range(30)]
    errors: list[BaseException] = []

    def run() -> None:
        try:
            cache = Cache(tmp_path)
            check(urls, cache=cache)
            cache.close()
        except BaseException as exc:  # reported below
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors
    cache = Cache(tmp_path)
    assert all(cache.get(NAMESPACE, cache_key(u))["status"] == "ok" for u in urls)


# --- limits -------------------------------------------------------------------------


class InFlight:
    """Counts requests in flight over several servers."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.now = 0
        self.peak = 0

    def slow_page(self, delay: float):
        def handler(h: RequestHandler) -> None:
            with self.lock:
                self.now += 1
                self.peak = max(self.peak, self.now)
            try:
                time.sleep(delay)
            finally:
                with self.lock:
                    self.now -= 1
            h.send_body(200, html("Медленная страница"))

        return handler


def test_per_host_limit_is_held(site: Site, check) -> None:
    counter = InFlight()
    urls = [site.route(f"/slow/{i}", counter.slow_page(0.25)) for i in range(9)]
    results = check(urls, per_host=3, concurrency=64)
    assert all(r.status is LinkStatus.OK for r in results.values())
    assert site.stats.max_in_flight == 3
    assert site.stats.max_connections <= 3


def test_a_host_policy_replaces_the_per_host_limit(make_site, check) -> None:
    from footcheck.check.options import HostPolicy

    counter = InFlight()
    tight, loose = make_site("127.0.0.3"), make_site("127.0.0.4")
    urls = [tight.route(f"/t/{i}", counter.slow_page(0.2)) for i in range(4)]
    urls += [loose.route(f"/l/{i}", counter.slow_page(0.2)) for i in range(4)]
    results = check(urls, per_host=4, concurrency=64, hosts={"127.0.0.3": HostPolicy(concurrency=1)})
    assert all(r.status is LinkStatus.OK for r in results.values())
    assert tight.stats.max_in_flight == 1
    assert loose.stats.max_in_flight == 4


def test_a_host_policy_may_allow_more_than_the_per_host_limit(site: Site, check) -> None:
    """The transport itself caps no host below the checker's own limits."""
    from footcheck.check.options import HostPolicy

    counter = InFlight()
    urls = [site.route(f"/w/{i}", counter.slow_page(0.3)) for i in range(4)]
    results = check(urls, per_host=2, concurrency=64, hosts={site.host: HostPolicy(concurrency=4)})
    assert all(r.status is LinkStatus.OK for r in results.values())
    assert site.stats.max_in_flight == 4


def test_a_host_delay_spaces_the_starts_of_its_requests(make_site, check) -> None:
    from footcheck.check.options import HostPolicy

    paced, other = make_site("127.0.0.3"), make_site("127.0.0.4")
    starts: dict[str, list[float]] = {"paced": [], "other": []}

    def page(kind: str) -> Callable[[RequestHandler], None]:
        def handler(h: RequestHandler) -> None:
            starts[kind].append(time.monotonic())
            h.send_body(200, html("Страница"))

        return handler

    urls = [paced.route(f"/p/{i}", page("paced")) for i in range(4)]
    urls += [other.route(f"/o/{i}", page("other")) for i in range(4)]
    results = check(urls, per_host=4, hosts={"127.0.0.3": HostPolicy(delay=0.3)})
    assert all(r.status is LinkStatus.OK for r in results.values())
    paced_starts = sorted(starts["paced"])
    gaps = [b - a for a, b in itertools.pairwise(paced_starts)]
    assert len(gaps) == 3 and min(gaps) >= 0.25
    # the other host is not held back behind the paced one
    assert max(starts["other"]) < paced_starts[-1]


def test_a_host_gets_its_own_user_agent_headers_and_timeout(make_site, check) -> None:
    from footcheck.check.options import HostPolicy

    own, other = make_site("127.0.0.3"), make_site("127.0.0.4")
    slow = [site.page("/slow", html("Долгая страница"), delay=0.8) for site in (own, other)]
    fast = [site.page("/fast", html("Быстрая страница")) for site in (own, other)]
    policy = HostPolicy(user_agent="JournalBot/2.0", headers={"Accept-Language": "en", "X-Journal": "vestnik"},
                        timeout=3.0)
    results = check(slow + fast, timeout=0.4, retries=0, hosts={"127.0.0.3": policy})
    assert results[slow[0]].status is LinkStatus.OK
    assert results[slow[1]].status is LinkStatus.TIMEOUT and "within 0.4 s" in results[slow[1]].detail
    sent, plain = own.stats.headers["/fast"], other.stats.headers["/fast"]
    assert sent["user-agent"] == "JournalBot/2.0" and plain["user-agent"] != "JournalBot/2.0"
    assert sent["accept-language"] == "en" and plain["accept-language"].startswith("ru")
    assert "x-journal" in sent and "x-journal" not in plain


def test_idle_connections_are_bounded_over_many_hosts(make_site, check) -> None:
    # every host cited once: no connection will be used again, so none may pile up idle
    # (1,500 hosts once held 1,500 sockets and ran out of open files)
    sites = [make_site("127.0.0.3") for _ in range(14)]
    open_at_request: list[int] = []

    def page(h: RequestHandler) -> None:
        open_at_request.append(sum(site.stats.connections for site in sites))
        h.send_body(200, html("Страница одного сайта"))

    urls = [site.route("/only", page) for site in sites]
    results = check(urls, per_host=1, concurrency=2)
    assert all(r.status is LinkStatus.OK for r in results.values())
    assert len(open_at_request) == 14
    # two in flight and at most two idle (the global limit), plus one whose close the
    # server has not seen yet
    assert max(open_at_request) <= 5, open_at_request


def test_global_limit_is_held_over_hosts(make_site, check) -> None:
    counter = InFlight()
    urls = []
    for n in (2, 3, 4):
        site = make_site(f"127.0.0.{n}")
        urls += [site.route(f"/p/{i}", counter.slow_page(0.25)) for i in range(4)]
    results = check(urls, per_host=4, concurrency=5)
    assert all(r.status is LinkStatus.OK for r in results.values())
    assert counter.peak == 5


def test_retry_after_pauses_the_whole_host(site: Site, check) -> None:
    times: dict[str, float] = {}
    served = {"first": False}

    def limited(h: RequestHandler) -> None:
        if not served["first"]:
            served["first"] = True
            times["429"] = time.monotonic()
            h.send_body(429, b"", headers={"Retry-After": "1"})
        else:
            times.setdefault("again", time.monotonic())
            h.send_body(200, html("Снова доступно"))

    def other(h: RequestHandler) -> None:
        times.setdefault("other", time.monotonic())
        h.send_body(200, html("Другая страница"))

    first = site.route("/rl", limited)
    # the second URL is queued behind the first by a per-host limit of one
    second = site.route("/other", other)
    results = check([first, second], per_host=1)
    assert results[first].status is LinkStatus.OK and results[second].status is LinkStatus.OK
    assert min(times["other"], times["again"]) - times["429"] >= 0.9


@pytest.mark.parametrize(("value", "expected"), [
    ("5", 5.0), ("0", 0.0), ("soon", None), ("", None), (None, None), ("-3", 0.0),
    # a hostile server's header is no wait and never an error
    ("inf", None), ("nan", None), ("Mon, 01 Jan 99999999999 12:00:00 GMT", None),
    ("Mon, 99 Foo 2024 99:99:99 GMT", None), ("Mon, 01 Jan 2024 12:00:00 +9999", None),
])
def test_retry_after_parsing(value: str | None, expected: float | None) -> None:
    from footcheck._pacing import retry_after

    assert retry_after(value) == expected


def test_retry_after_http_date() -> None:
    import datetime as dt

    from footcheck._pacing import retry_after

    now = dt.datetime(2024, 1, 1, 12, 0, 0, tzinfo=dt.timezone.utc)
    assert retry_after("Mon, 01 Jan 2024 12:00:30 GMT", now=now) == 30.0
    assert retry_after("Mon, 01 Jan 2024 11:00:00 GMT", now=now) == 0.0


def test_a_429_with_an_overflowing_retry_after_date_is_a_verdict(site: Site, check) -> None:
    url = site.page("/busy", "slow down", status=429,
                    headers={"Retry-After": "Mon, 01 Jan 99999999999 12:00:00 GMT"})
    result = check([url], retries=1)[url]
    assert result.status is not LinkStatus.SKIPPED and "internal error" not in result.detail
    assert result.http_status == 429


def test_backoff_grows_with_jitter() -> None:
    import random

    from footcheck.check.limits import backoff_delay

    rng = random.Random(7)
    delays = [backoff_delay(n, 0.5, rng) for n in range(3)]
    assert 0.25 <= delays[0] <= 0.75 and 0.5 <= delays[1] <= 1.5 and 1.0 <= delays[2] <= 3.0


def test_cache_file_lives_where_asked(tmp_path: Path, site: Site, check) -> None:
    cache = Cache(tmp_path / "nested" / "dir")
    url = site.page("/where", html("Где кэш"))
    check([url], cache=cache)
    assert (tmp_path / "nested" / "dir" / Cache.FILENAME).exists()
