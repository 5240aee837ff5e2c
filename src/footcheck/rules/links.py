"""FC5xx: what checking the links over HTTP found.

The checker (``footcheck.check``) produces a :class:`LinkResult` per URL; this module
turns those into findings. It is pure: no I/O, and it never imports the checker; the
causes it tells apart come typed, in ``LinkResult.cause``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence

from footcheck.model import Finding, Link, LinkCause, LinkResult, LinkStatus, Severity
from footcheck.rules.interface import Where, rule
from footcheck.titles import title_mismatch

BROKEN = rule(
    "FC501",
    "link-broken",
    Severity.ERROR,
    "The cited URL answers with an error (404, 410 or another definitive 4xx/5xx).",
    """The server was reached and said, after retries, that the page is not there: 404
    Not Found, 410 Gone, another client error, a server error that persisted, or a
    redirect chain that loops. Readers following the footnote get nothing. Unlike a
    timeout or a bot wall, this is the server's own answer, so the citation needs
    attention.""",
    example="Доклад о состоянии отрасли. URL: https://example.ru/old/report.html "
    "(дата обращения: 12.03.2021). — the server answers 404.",
    fix="Find the document's new address, or cite an archived copy (the Wayback Machine) "
    "together with the original URL and the access date.",
)
SOFT_404 = rule(
    "FC502",
    "link-soft-404",
    Severity.WARNING,
    "The page answers 200 but says it is missing, or a deep link lands on the front page.",
    """Many sites answer a missing page with status 200 and a page titled "Страница не
    найдена" or "Page not found", or send every old address to their front page. A
    plain status check calls such links alive; footcheck reads the title and main
    heading of the page (in Russian and English) and notices redirects from a deep
    link to the site's root. The cited document is most likely gone.""",
    example="URL: https://example.ru/news/2019/123 — redirects to https://example.ru/",
    fix="Look for the document on the site under a new address, or cite an archived copy.",
)
UNREACHABLE = rule(
    "FC503",
    "link-unreachable",
    Severity.ERROR,
    "The server could not be reached: the name does not resolve, the connection is refused "
    "or reset, or TLS fails.",
    """No HTTP answer could be obtained. A name that no longer resolves usually means the
    domain has lapsed, which is the commonest way links die. Refused or reset
    connections and TLS failures can be local or temporary (some Russian government
    sites use certificates from a national authority that is not in the usual trust
    stores, so a TLS failure is reported as a warning). Such answers are never cached.""",
    example="URL: http://old-project.example.ru/ — the name does not resolve.",
    fix="Check the address by hand; if the site is gone, cite an archived copy.",
)
TIMEOUT = rule(
    "FC504",
    "link-timeout",
    Severity.WARNING,
    "No complete answer arrived within the per-URL time limit.",
    """The server accepted the request but did not finish answering in time (the limit is
    set with --timeout and also bounds a body that trickles in). That can mean an
    overloaded or dying server, or only a slow moment: the result is not cached and is
    asked again on the next run.""",
    example="URL: https://slow.example.ru/archive/ — no answer within 20 s.",
    fix="Re-run later or with a longer --timeout; if it persists, treat it as broken.",
)
BLOCKED = rule(
    "FC505",
    "link-blocked",
    Severity.INFO,
    "The site refused an automated check (401, 403, 429, 451, 999 or a bot challenge).",
    """Bot protection (Cloudflare, DDoS-Guard, Qrator, Yandex SmartCaptcha and others),
    login walls and rate limits stop a checker without saying anything about the page
    itself. The link may well work in a browser, so it is reported as inconclusive,
    never as dead.""",
    example="URL: https://protected.example.ru/doc — 403 with a Cloudflare challenge.",
    fix="Open the link in a browser; nothing needs fixing if it works there.",
)
MOVED = rule(
    "FC506",
    "link-moved-permanently",
    Severity.WARNING,
    "The URL redirects permanently (301/308) to a new address that works.",
    """The server says the document has moved for good. The old address still works
    today, but permanent redirects are often dropped when a site is rebuilt, and the
    new address is the one a reader should have. Temporary redirects (302, 303, 307)
    are not reported.""",
    example="URL: http://example.ru/doc — 301 to https://example.ru/documents/doc",
    fix="Replace the URL with the new address (keep the access date of your visit).",
)
GUARDED = rule(
    "FC507",
    "link-private-address",
    Severity.WARNING,
    "The URL points to a loopback, private, link-local or reserved address and was not "
    "fetched.",
    """A published paper should not cite addresses that only exist inside one network
    (localhost, 10.x, 192.168.x, intranet names). footcheck also refuses to fetch them,
    before and after every redirect, so that running it in CI on an untrusted
    submission cannot be used to probe the internal network. Use --allow-private to
    check such links deliberately.""",
    example="URL: http://192.168.1.10/report.pdf",
    fix="Cite a public address of the document, or pass --allow-private when the check "
    "is meant to reach internal hosts.",
)
TITLE_CHANGED = rule(
    "FC508",
    "link-title-changed",
    Severity.WARNING,
    "The page's title no longer matches the title the footnote cites.",
    """The page answered, but its title, main heading and og:title share almost no words
    with the title printed in the footnote. The address may now hold different
    content (a rebuilt site, a reused URL, a parked domain), so the cited version may
    only survive in a web archive. Only clear mismatches are reported.""",
    example="«Итоги переписи 2010 года» URL: https://example.ru/p/15 — the page is now "
    "titled «Купить диван недорого».",
    fix="Compare the page with the cited document; if it changed, cite an archived copy "
    "from around the access date.",
)


def link_findings(links: Sequence[Link], results: Mapping[str, LinkResult]) -> list[Finding]:
    """Findings for every checked link, in the order the links were given."""
    findings: list[Finding] = []
    for link in links:
        result = results.get(link.url)
        if result is not None:
            findings.extend(_findings_for(link, result))
    return findings


def _findings_for(link: Link, result: LinkResult) -> Iterable[Finding]:
    where: Where = {
        "line": link.line or None,
        "footnote": link.footnotes[0] if link.footnotes else None,
        "url": link.url,
    }
    detail = f": {result.detail}" if result.detail else ""
    status = result.status
    if status is LinkStatus.BROKEN:
        yield BROKEN.finding(f"Link is broken{detail}", **where)
    elif status is LinkStatus.SOFT404:
        yield SOFT_404.finding(f"Link leads to a missing page{detail}", **where)
    elif status is LinkStatus.UNREACHABLE:
        severity = Severity.WARNING if result.cause is LinkCause.TLS else None
        yield UNREACHABLE.finding(f"Link is unreachable{detail}", severity=severity, **where)
    elif status is LinkStatus.TIMEOUT:
        yield TIMEOUT.finding(f"Link timed out{detail}", **where)
    elif status is LinkStatus.BLOCKED:
        yield BLOCKED.finding(
            f"The site refused an automated check{detail}; the link may work in a browser",
            **where,
        )
    elif status is LinkStatus.SKIPPED and result.cause is LinkCause.GUARD:
        yield GUARDED.finding(f"Link not checked: {result.detail}", **where)
    if status is LinkStatus.REDIRECT and result.final_url:
        # http -> https, "www." or a trailing slash: worth updating, hardly worth a warning
        trivial = _same_place(link.url, result.final_url)
        yield MOVED.finding(
            f"Link moved permanently to {result.final_url}",
            suggestion=result.final_url,
            severity=Severity.INFO if trivial else None,
            **where,
        )
    if (
        status in (LinkStatus.OK, LinkStatus.REDIRECT)
        and link.cited_title
        and result.title
        and title_mismatch(link.cited_title, result.title)
    ):
        yield TITLE_CHANGED.finding(
            f"The page is now titled «{result.title}», the footnote cites «{link.cited_title}»",
            **where,
        )


def _same_place(old: str, new: str) -> bool:
    def core(url: str) -> str:
        url = re.sub(r"^https?://(www\.)?", "", url.strip(), flags=re.IGNORECASE)
        host, slash, rest = url.partition("/")
        return (host.lower() + slash + rest).rstrip("/")

    return core(old) == core(new)


