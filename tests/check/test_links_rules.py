"""FC5xx: findings from link results (pure, no network)."""

from __future__ import annotations

import re

import pytest

from footcheck.model import Link, LinkCause, LinkResult, LinkStatus, Severity
from footcheck.rules.interface import REGISTRY
from footcheck.rules.links import link_findings
from footcheck.titles import choose_title, title_mismatch

URL = "http://example.ru/doc"


def findings_for(result: LinkResult, link: Link | None = None):
    link = link or Link(URL, footnotes=(7, 12), line=42)
    return link_findings([link], {link.url: result})


@pytest.mark.parametrize(
    ("status", "cause", "detail", "code", "severity"),
    [
        (LinkStatus.BROKEN, None, "404 Not Found", "FC501", Severity.ERROR),
        (LinkStatus.SOFT404, None, "the page title says it is missing", "FC502", Severity.WARNING),
        (LinkStatus.UNREACHABLE, LinkCause.DNS, "DNS: example.ru: the name does not resolve", "FC503",
         Severity.ERROR),
        (LinkStatus.UNREACHABLE, LinkCause.TLS, "TLS: certificate verify failed", "FC503",
         Severity.WARNING),
        (LinkStatus.TIMEOUT, LinkCause.TIMEOUT, "no answer within 20 s", "FC504", Severity.WARNING),
        (LinkStatus.BLOCKED, None, "bot challenge (Cloudflare), HTTP 403", "FC505", Severity.INFO),
        (LinkStatus.SKIPPED, LinkCause.GUARD, "address guard: example.ru resolves to 10.0.0.1, a private address",
         "FC507", Severity.WARNING),
    ],
)
def test_each_status_gives_one_finding(status, cause, detail, code, severity) -> None:
    (finding,) = findings_for(LinkResult(URL, status, detail=detail, cause=cause))
    assert (finding.code, finding.severity) == (code, severity)
    assert finding.line == 42 and finding.footnote == 7 and finding.url == URL
    assert detail.split(": ")[-1] in finding.message


def test_blocked_is_never_called_dead() -> None:
    (finding,) = findings_for(LinkResult(URL, LinkStatus.BLOCKED, 403, detail="403 Forbidden"))
    assert finding.severity is not Severity.ERROR
    assert "dead" not in finding.message.lower() and "broken" not in finding.message.lower()


def test_ok_excluded_and_offline_give_nothing() -> None:
    assert findings_for(LinkResult(URL, LinkStatus.OK, 200)) == []
    assert findings_for(LinkResult(URL, LinkStatus.SKIPPED, detail="excluded by pattern 'x'")) == []
    assert findings_for(LinkResult(URL, LinkStatus.SKIPPED, detail="offline")) == []


def test_permanent_redirect_suggests_the_new_url() -> None:
    new = "http://example.ru/documents/doc-2020"
    result = LinkResult(URL, LinkStatus.REDIRECT, 200, new, "moved", permanent_redirect=True)
    (finding,) = findings_for(result)
    assert finding.code == "FC506" and finding.suggestion == new
    assert finding.severity is Severity.WARNING


def test_scheme_only_move_is_a_note() -> None:
    result = LinkResult(URL, LinkStatus.REDIRECT, 200, "https://www.example.ru/doc/", "moved")
    (finding,) = findings_for(result)
    assert finding.code == "FC506" and finding.severity is Severity.INFO


def test_link_without_footnote_has_no_footnote_number() -> None:
    link = Link(URL, references=(3,), line=90)
    (finding,) = findings_for(LinkResult(URL, LinkStatus.BROKEN, 404, detail="404"), link)
    assert finding.footnote is None and finding.line == 90


def test_results_for_other_urls_are_ignored() -> None:
    assert link_findings([Link(URL)], {"http://other/": LinkResult("http://other/",
                                                                   LinkStatus.BROKEN)}) == []


# --- titles -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cited", "page"),
    [
        ("Путин подписал закон о создании единой системы учёта",
         "Путин подписал закон о создании системы учета — РИА Новости, 06.07.2022"),
        ("Иванов И. И. Итоги переписи населения 2010 года // Вопросы статистики. 2012. № 3",
         "Итоги переписи населения 2010 года | Вопросы статистики"),
        ("Доклад о состоянии окружающей среды [Электронный ресурс]",
         "Государственный доклад о состоянии и об охране окружающей среды"),
        ("Росстат опубликовал данные", "Росстат"),  # too short to judge
        ("Russian Census Results 2010", "Итоги переписи 2010"),  # different scripts
    ],
)
def test_titles_that_match_or_cannot_be_judged(cited: str, page: str) -> None:
    assert not title_mismatch(cited, page)


@pytest.mark.parametrize(
    ("cited", "page"),
    [
        ("Итоги Всероссийской переписи населения 2010 года",
         "Купить диван недорого в Москве с доставкой"),
        ("Annual report on broadband deployment in rural areas",
         "This domain is for sale — premium names marketplace"),
    ],
)
def test_clear_mismatches(cited: str, page: str) -> None:
    assert title_mismatch(cited, page)


def test_title_finding_only_for_live_pages() -> None:
    link = Link(URL, footnotes=(3,), line=5,
                cited_title="Итоги Всероссийской переписи населения 2010 года")
    live = LinkResult(URL, LinkStatus.OK, 200, title="Купить диван недорого в Москве")
    (finding,) = link_findings([link], {URL: live})
    assert finding.code == "FC508" and finding.severity is Severity.WARNING
    blocked = LinkResult(URL, LinkStatus.BLOCKED, 403, title="Купить диван недорого в Москве")
    assert [f.code for f in link_findings([link], {URL: blocked})] == ["FC505"]


def test_choose_title_prefers_the_candidate_closest_to_the_citation() -> None:
    candidates = ["Новости — Министерство", "Приказ об утверждении порядка учёта"]
    assert choose_title(candidates, "Приказ об утверждении порядка учета мигрантов") == (
        candidates[1]
    )
    assert choose_title(candidates, None) == candidates[0]
    assert choose_title([], "x") is None


def test_rules_are_declared_properly() -> None:
    mine = {code: info for code, info in REGISTRY.items() if code.startswith("FC5")}
    assert {"FC501", "FC502", "FC503", "FC504", "FC505", "FC506", "FC507", "FC508"} <= set(mine)
    for info in mine.values():
        assert re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", info.name)
        assert info.summary and info.explanation and info.fix and info.example
