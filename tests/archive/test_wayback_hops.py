"""The Wayback clients follow redirects by hand and vet every hop with the address guard:
the service named by the base URL is trusted, a redirect elsewhere is not."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from archive_links import dead
from fake_wayback import FakeWayback

from footcheck.archive.interface import ArchiveOptions, find_captures, save_pages

ACCESS = dt.date(2023, 12, 20)
Options = Callable[..., ArchiveOptions]


@pytest.mark.parametrize("timegate", [True, False], ids=["timegate", "cdx"])
def test_lookup_redirect_to_a_loopback_host_is_refused(fake: FakeWayback, options_for: Options, timegate: bool) -> None:
    with FakeWayback() as elsewhere:  # 127.0.0.1 too, but reached as 127.0.0.2: another host
        elsewhere.add("http://a.example.ru/x", "20231201000000")
        port = elsewhere.base_url.rsplit(":", 1)[1]
        fake.redirect_to = f"http://127.0.0.2:{port}/cdx/search/cdx?url=http://a.example.ru/x&output=json"
        link, result = dead("http://a.example.ru/x", ACCESS)
        outcome = find_captures([link], {link.url: result}, options_for(fake, timegate=timegate))
        assert "127.0.0.2" in outcome.errors[link.url] and "loopback" in outcome.errors[link.url]
        assert elsewhere.count() == 0  # never asked


def test_lookup_redirect_allowed_with_allow_private(fake: FakeWayback, options_for: Options) -> None:
    with FakeWayback() as elsewhere:
        elsewhere.add("http://a.example.ru/x", "20231201000000")
        port = elsewhere.base_url.rsplit(":", 1)[1]
        # "localhost" is another host name than the base's 127.0.0.1, and resolves to loopback
        fake.redirect_to = f"http://localhost:{port}/cdx/search/cdx?url=http://a.example.ru/x&output=json"
        link, result = dead("http://a.example.ru/x", ACCESS)
        refused = find_captures([link], {link.url: result}, options_for(fake, timegate=False))
        assert "loopback" in refused.errors[link.url] and elsewhere.count() == 0
        options = options_for(fake, timegate=False, allow_private=True)
        outcome = find_captures([link], {link.url: result}, options)
        assert outcome.errors == {} and outcome.captures[link.url] is not None
        assert elsewhere.count("cdx") == 1


@pytest.mark.parametrize("location", ["javascript:alert(1)", "http://127.0.0.1:99999/x", "http:\\\\evil.example\\x"])
def test_hostile_redirects_are_errors_not_crashes(fake: FakeWayback, options_for: Options, location: str) -> None:
    fake.redirect_to = location
    link, result = dead("http://a.example.ru/x", ACCESS)
    outcome = find_captures([link], {link.url: result}, options_for(fake, timegate=False))
    assert link.url in outcome.errors and "lookup failed" not in outcome.errors[link.url]


def test_save_redirect_to_a_private_host_is_refused(fake: FakeWayback, options_for: Options) -> None:
    with FakeWayback() as elsewhere:
        port = elsewhere.base_url.rsplit(":", 1)[1]
        fake.redirect_to = f"http://127.0.0.3:{port}/web/20240101000000/http://a.example.ru/x"
        [saved] = save_pages(["http://a.example.ru/x"], options_for(fake))
        assert saved.error is not None and "127.0.0.3" in saved.error and "loopback" in saved.error
        assert elsewhere.count() == 0
