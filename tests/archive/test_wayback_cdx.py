"""The CDX answer parser and the capture choice, without a network."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from footcheck.archive import cdx
from footcheck.archive.choose import choose, choose_capture
from footcheck.archive.interface import ArchiveOptions, normalise_base_url, resolve_wayback_url

UTC = dt.timezone.utc
HEADER = ["urlkey", "timestamp", "original", "mimetype", "statuscode", "digest", "length"]


def row(ts: str, status: str | None = "200") -> cdx.Row:
    parsed = cdx.parse_timestamp(ts)
    assert parsed is not None
    return cdx.Row(parsed, status)


def stamps(answer: cdx.CdxAnswer) -> list[tuple[str, str | None]]:
    return [(r.wayback_timestamp, r.status) for r in answer.rows]


def test_json_table_is_read_by_its_header() -> None:
    body = json.dumps(
        [
            HEADER,
            ["ru,mid)/a", "20231220143011", "http://mid.ru/a", "text/html", "200", "X", "1"],
            ["ru,mid)/a", "20231101000000", "http://mid.ru/a", "text/html", "404", "Y", "1"],
        ]
    )
    assert stamps(cdx.parse(body)) == [("20231220143011", "200"), ("20231101000000", "404")]


def test_json_table_with_other_columns_and_a_resume_key() -> None:
    body = json.dumps([["timestamp", "statuscode"], ["20200101000000", "200"], [], ["KEY"]])
    assert stamps(cdx.parse(body)) == [("20200101000000", "200")]


def test_plain_text_default_fields() -> None:
    body = (
        "ru,mid)/a 20231220143011 http://mid.ru/a text/html 200 X 1\n"
        "ru,mid)/a 20231221000000 http://mid.ru/a warc/revisit - Y 1\n"
    )
    answer = cdx.parse(body)
    assert stamps(answer) == [("20231220143011", "200"), ("20231221000000", "-")]
    assert answer.rows[0].original == "http://mid.ru/a"


def test_pywb_json_lines_and_cdxj() -> None:
    lines = '{"urlkey": "k", "timestamp": "20210102030405", "url": "http://a.ru/", "status": "200"}'
    assert stamps(cdx.parse(lines)) == [("20210102030405", "200")]
    cdxj = 'ru,a)/ 20210102030405 {"url": "http://a.ru/", "status": "301"}'
    assert stamps(cdx.parse(cdxj)) == [("20210102030405", "301")]


@pytest.mark.parametrize("body", ["", "   \n", "[]", "[[]]"])
def test_empty_answers_mean_no_captures(body: str) -> None:
    assert cdx.parse(body) == cdx.CdxAnswer()


@pytest.mark.parametrize(
    "body",
    [
        "<html><body>Service Unavailable</body></html>",
        '[["urlkey", "timestamp"], ["k", "2023',  # truncated JSON
        '{"error": ',
        "\x00\x01\x02 binary",
        "this is not a cdx line",
        '[["urlkey", "original"], ["k", "http://a.ru"]]',  # no timestamp column
        '[["timestamp"], ["yesterday"]]',
        '{"a": 1}\n[1, 2]',
    ],
)
def test_garbage_is_an_error(body: str) -> None:
    with pytest.raises(cdx.CdxError):
        cdx.parse(body)


def test_blocked_site_is_recognised() -> None:
    body = "org.archive.wayback.exception.AdministrativeAccessControlException: Blocked Site Error"
    assert cdx.parse(body).blocked


def test_timestamps_are_padded_like_the_cdx_server() -> None:
    assert cdx.parse_timestamp("2023") == dt.datetime(2023, 1, 1, tzinfo=UTC)
    assert cdx.parse_timestamp("20230615") == dt.datetime(2023, 6, 15, tzinfo=UTC)
    assert cdx.parse_timestamp("20231399000000") is None
    assert cdx.parse_timestamp("abc") is None


def test_query_asks_for_status_200_nearest_first() -> None:
    params = cdx.query_params("http://a.ru/x?y=1", cdx.closest_param(dt.date(2023, 12, 20), NOW), 10)
    assert params == {
        "url": "http://a.ru/x?y=1",
        "output": "json",
        "filter": "statuscode:200",
        "closest": "20231220120000",
        "sort": "closest",
        "limit": "10",
    }
    assert cdx.closest_param(None, NOW) == "20250301080910"


NOW = dt.datetime(2025, 3, 1, 8, 9, 10, tzinfo=UTC)
ACCESS = dt.date(2023, 12, 20)


@pytest.mark.parametrize(
    ("stamps_", "expected"),
    [
        # before: only earlier captures -> the latest of them
        (["20230101000000", "20231201000000"], "20231201000000"),
        # after: only later captures -> the earliest of them
        (["20240301000000", "20240105000000"], "20240105000000"),
        # exactly on the access day, whatever the hour, beats the evening before
        (["20231219230000", "20231220180000", "20231221010000"], "20231220180000"),
        # a tie in days goes to the earlier capture
        (["20231215000000", "20231225000000"], "20231215000000"),
        (["20231215230000", "20231225000100"], "20231215230000"),
        # nearer after beats farther before
        (["20231210000000", "20231222000000"], "20231222000000"),
    ],
)
def test_choice_nearest_the_access_date(stamps_: list[str], expected: str) -> None:
    chosen = choose([row(ts) for ts in stamps_], ACCESS)
    assert chosen is not None and chosen.wayback_timestamp == expected


def test_choice_ignores_non_200_and_takes_newest_without_a_date() -> None:
    rows = [row("20231220000000", "404"), row("20231220100000", "302"), row("20200101000000")]
    chosen = choose(rows, ACCESS)
    assert chosen is not None and chosen.wayback_timestamp == "20200101000000"
    assert choose([row("20231220000000", "404"), row("20231221000000", "-")], ACCESS) is None
    assert choose([], ACCESS) is None
    newest = choose([row("20190101000000"), row("20220101000000"), row("20210101000000")], None)
    assert newest is not None and newest.wayback_timestamp == "20220101000000"


def test_capture_records_url_timestamp_and_gap() -> None:
    chosen, seen = choose_capture(
        [row("20231215093000"), row("20240101000000")], ACCESS, "http://127.0.0.1:9", "http://a.ru/x"
    )
    assert chosen is not None
    assert chosen.url == "http://127.0.0.1:9/web/20231215093000/http://a.ru/x"
    assert chosen.timestamp == dt.datetime(2023, 12, 15, 9, 30, tzinfo=UTC)
    assert chosen.days_from_access == -5
    assert [c.days_from_access for c in seen] == [-5, 12]
    undated, _ = choose_capture([row("20231215093000")], None, "https://web.archive.org", "u")
    assert undated is not None and undated.days_from_access is None


def test_base_url_resolution() -> None:
    assert resolve_wayback_url(None, {}) == "https://web.archive.org"
    assert resolve_wayback_url(None, {"FOOTCHECK_WAYBACK_URL": "http://127.0.0.1:8/"}) == ("http://127.0.0.1:8")
    assert resolve_wayback_url("http://h:1", {"FOOTCHECK_WAYBACK_URL": "http://x"}) == "http://h:1"
    assert ArchiveOptions(base_url="http://h:1/wb/").base_url == "http://h:1/wb"
    with pytest.raises(ValueError):
        normalise_base_url("web.archive.org")
