"""FC6xx findings from an archive outcome (pure: no network)."""

from __future__ import annotations

import datetime as dt

from footcheck.archive.interface import ArchiveOptions, ArchiveOutcome
from footcheck.model import ArchiveCapture, Link, LinkResult, LinkStatus, Severity
from footcheck.rules.archive import archive_findings
from footcheck.rules.interface import all_rules
from footcheck.titles import title_drift

UTC = dt.timezone.utc
ACCESS = dt.date(2023, 12, 20)
BASE = "https://web.archive.org"


def capture(day: dt.date, url: str, reference: dt.date | None = ACCESS) -> ArchiveCapture:
    when = dt.datetime(day.year, day.month, day.day, 10, tzinfo=UTC)
    return ArchiveCapture(
        url=f"{BASE}/web/{when:%Y%m%d%H%M%S}/{url}",
        timestamp=when,
        days_from_access=None if reference is None else (day - reference).days,
    )


def link(url: str, **fields: object) -> Link:
    defaults: dict[str, object] = {"footnotes": (4,), "line": 17, "access_date": ACCESS}
    defaults.update(fields)
    return Link(url=url, **defaults)  # type: ignore[arg-type]


def result(url: str, status: LinkStatus, http: int | None = None, **kw: object) -> LinkResult:
    return LinkResult(url=url, status=status, http_status=http, **kw)  # type: ignore[arg-type]


def codes(findings: list) -> list[str]:  # type: ignore[type-arg]
    return sorted(f.code for f in findings)


def test_rules_are_declared() -> None:
    declared = {r.code: r for r in all_rules() if r.code.startswith("FC6")}
    assert set(declared) == {"FC601", "FC602", "FC603", "FC604", "FC605", "FC606"}
    assert declared["FC602"].severity == Severity.ERROR
    assert declared["FC605"].severity == Severity.WARNING
    assert all(r.explanation and r.summary for r in declared.values())


def test_dead_link_with_a_copy_cites_it() -> None:
    url = "http://kremlin.example.ru/acts/1"
    cap = capture(dt.date(2023, 12, 18), url)
    [finding] = archive_findings(
        [link(url)], {url: result(url, LinkStatus.BROKEN, 404)}, ArchiveOutcome(captures={url: cap})
    )
    assert finding.code == "FC601" and finding.severity == Severity.WARNING
    assert (finding.line, finding.footnote, finding.url) == (17, 4, url)
    assert finding.suggestion == cap.url
    assert "2023-12-18" in finding.message and "2 days before" in finding.message
    assert "HTTP 404" in finding.message


def test_dead_link_without_a_copy_is_an_error() -> None:
    url = "http://gone.example.ru/"
    for status in (LinkStatus.BROKEN, LinkStatus.SOFT404, LinkStatus.UNREACHABLE):
        [finding] = archive_findings([link(url)], {url: result(url, status)}, ArchiveOutcome(captures={url: None}))
        assert finding.code == "FC602" and finding.severity == Severity.ERROR
        assert finding.url == url and finding.footnote == 4
    outcome = ArchiveOutcome(captures={url: None}, notes={url: "the site is excluded"})
    [finding] = archive_findings([link(url)], {url: result(url, LinkStatus.BROKEN)}, outcome)
    assert finding.code == "FC602" and finding.message.endswith("the site is excluded")


def test_far_copy_and_copy_only_after() -> None:
    url = "http://a.example.ru/"
    dead = {url: result(url, LinkStatus.BROKEN, 404)}
    far_before = capture(dt.date(2021, 1, 1), url)
    out = archive_findings([link(url)], dead, {url: far_before}, ArchiveOptions())
    assert codes(out) == ["FC601", "FC603"]
    assert "1083 days before" in out[1].message

    # The same gap within a wider limit is fine.
    out = archive_findings([link(url)], dead, {url: far_before}, ArchiveOptions(max_gap_days=2000))
    assert codes(out) == ["FC601"]

    after = capture(dt.date(2024, 1, 5), url)
    out = archive_findings([link(url)], dead, ArchiveOutcome(captures={url: after}, candidates={url: (after,)}))
    assert codes(out) == ["FC601", "FC604"]
    assert "no copy" in out[1].message and "16 days later" in out[1].message

    far_after = capture(dt.date(2025, 1, 5), url)
    out = archive_findings([link(url)], dead, {url: far_after})
    assert codes(out) == ["FC601", "FC603", "FC604"]


def test_after_is_not_reported_when_an_earlier_copy_exists() -> None:
    url = "http://a.example.ru/"
    before = capture(dt.date(2023, 12, 1), url)
    after = capture(dt.date(2023, 12, 22), url)
    outcome = ArchiveOutcome(captures={url: after}, candidates={url: (before, after)})
    out = archive_findings([link(url)], {url: result(url, LinkStatus.BROKEN)}, outcome)
    assert codes(out) == ["FC601"]


def test_lookup_failure_is_a_warning() -> None:
    url = "http://a.example.ru/"
    outcome = ArchiveOutcome(errors={url: "no answer within 30 s"})
    [finding] = archive_findings([link(url)], {url: result(url, LinkStatus.BROKEN)}, outcome)
    assert finding.code == "FC605" and finding.severity == Severity.WARNING
    assert "no answer within 30 s" in finding.message and finding.url == url


def test_unverified_and_drifted_links_get_a_copy_to_review() -> None:
    blocked = "http://blocked.example.ru/"
    drifted = "http://drift.example.ru/"
    ok = "http://ok.example.ru/"
    links = [
        link(blocked),
        link(drifted, cited_title="Стратегия научно-технологического развития"),
        link(ok, cited_title="Стратегия научно-технологического развития"),
    ]
    results = {
        blocked: result(blocked, LinkStatus.BLOCKED, 403),
        drifted: result(drifted, LinkStatus.OK, 200, title="Домен продаётся"),
        ok: result(ok, LinkStatus.OK, 200, title="Стратегия научно-технологического развития РФ"),
    }
    captures = {u: capture(dt.date(2023, 12, 19), u) for u in (blocked, drifted, ok)}
    out = archive_findings(links, results, captures)
    assert [(f.code, f.url) for f in out] == [("FC606", blocked), ("FC606", drifted)]
    assert all(f.severity == Severity.INFO and f.suggestion for f in out)


def test_offline_archive_all_links_raise_nothing() -> None:
    url = "http://a.example.ru/"
    far = capture(dt.date(2015, 1, 1), url)
    assert archive_findings([link(url)], {}, {url: far}) == []
    assert archive_findings([link(url)], {}, {url: None}) == []


def test_links_not_looked_up_raise_nothing() -> None:
    url = "http://a.example.ru/"
    assert archive_findings([link(url)], {url: result(url, LinkStatus.BROKEN)}, {}) == []


def test_reference_dates_and_citing_places_in_messages() -> None:
    url = "http://a.example.ru/"
    dead = {url: result(url, LinkStatus.BROKEN)}
    by_source = link(url, access_date=None, source_date=dt.date(2023, 12, 1), footnotes=(2, 7))
    cap = capture(dt.date(2023, 12, 1), url, reference=dt.date(2023, 12, 1))
    [finding] = archive_findings([by_source], dead, {url: cap})
    assert "the source's date 2023-12-01" in finding.message
    assert "footnotes 2, 7" in finding.message and finding.footnote == 2

    undated = link(url, access_date=None, footnotes=(), references=(3,))
    newest = capture(dt.date(2022, 5, 5), url, reference=None)
    [finding] = archive_findings([undated], dead, {url: newest})
    assert finding.code == "FC601" and "newest" in finding.message
    assert "reference 3" in finding.message and finding.footnote is None


def test_title_drift_is_forgiving() -> None:
    cited = "Указ Президента РФ «Об утверждении Доктрины информационной безопасности»"
    assert not title_drift(cited, "Указ Президента Российской Федерации об утверждении доктрины")
    assert not title_drift(cited, "ДОКТРИНА ИНФОРМАЦИОННОЙ БЕЗОПАСНОСТИ | Президент России")
    assert title_drift(cited, "Страница не найдена — ошибка 404")
    assert title_drift(cited, "Купить домен kremlin-docs.ru")
    assert not title_drift(None, "x") and not title_drift(cited, None)
    assert not title_drift("Главная", "Новости")  # too short to judge
