"""Audits built by hand from the model, so the reports are tested without the parser.

The text is invented (it only imitates how a Russian paper prints its footnotes). The
fixture covers every link verdict, an archive capture, every severity, a repeat, a
numeric and an ibid citation, and text that tries to pass itself off as markup or
terminal control codes.
"""

from __future__ import annotations

import datetime as dt

from footcheck.model import (
    ArchiveCapture,
    Citation,
    DateMention,
    Document,
    Finding,
    Footnote,
    Link,
    LinkResult,
    LinkStatus,
    Reference,
    Severity,
    UrlMention,
)

HOSTILE = "[bold red]x[/] \x1b[31mкрасный\x1b[0m \u202eabc\u202c [link=https://evil.example]клик[/link]"

URL_OK = "https://www.kommersant.ru/doc/5447449"
URL_REDIRECT = "http://mid.ru/ru/foreign_policy/news/1234567/"
URL_SOFT404 = "https://www.newscentralasia.net/2023/07/04/yebrr-issledoval-transport/"
URL_BROKEN = "https://www.akorda.kz/ru/glava-gosudarstva-provel-soveshchanie-76050"
URL_BLOCKED = "https://ria.ru/20230928/kazakhstan-1899262610.html"
URL_UNREACHABLE = "https://президент.рф/acts/news/70000"
URL_TIMEOUT = "https://slow.example.org/report.pdf"
URL_UNCHECKED = "https://tass.ru/mezhdunarodnaya-panorama/17556937?ysclid=ls5x7l1dn0355386654"
URL_REFERENCE = "https://cyberleninka.ru/article/n/evraziyskaya-integratsiya"

ARCHIVE_URL = f"https://web.archive.org/web/20231220140311/{URL_BROKEN}"


def _access(day: int, line: int, month: int = 12) -> DateMention:
    return DateMention(
        raw=f"{day:02d}.{month:02d}.2023",
        line=line,
        value=dt.date(2023, month, day),
        label="дата обращения",
    )


def _mention(url: str, line: int, day: int | None) -> UrlMention:
    return UrlMention(url=url, line=line, access_date=_access(day, line) if day else None)


def build_document(path: str = "samples/статья.txt") -> Document:
    footnotes = (
        Footnote(
            number=1,
            line=71,
            marker_lines=(58,),
            text=f"Коммерсантъ. 2022. 6 июля. URL: {URL_OK} (дата обращения: 23.12.2023).",
            urls=(_mention(URL_OK, 71, 23), _mention(URL_REDIRECT, 72, 23)),
            source_date=DateMention("2022. 6 июля", 71, dt.date(2022, 7, 6)),
        ),
        Footnote(
            number=2,
            line=74,
            marker_lines=(60, 61),
            text="Новости Центральной Азии. URL: ... (дата обращения: 25.12.2023).",
            urls=(_mention(URL_SOFT404, 74, 25), _mention(URL_BROKEN, 75, 13)),
        ),
        Footnote(number=3, line=77, marker_lines=(63,), text="Там же. С. 5.", ibid=True, refers_to=2),
        Footnote(
            number=4,
            line=78,
            marker_lines=(65,),
            text=f"Враждебная сноска {HOSTILE}",
            urls=(
                _mention(URL_BLOCKED, 79, 25),
                _mention(URL_UNREACHABLE, 79, 25),
                _mention(URL_TIMEOUT, 80, None),
            ),
        ),
        Footnote(
            number=5,
            line=82,
            marker_lines=(),
            text="ТАСС. URL: ... (дата обращения: 32.13.2023).",
            urls=(UrlMention(URL_UNCHECKED, 82, DateMention("32.13.2023", 83, None, problem="no such date")),),
        ),
    )
    citations = (
        Citation(
            raw="Барабанов О.Н. 2003: 318",
            line=120,
            authors=("Барабанов О.Н.",),
            year="2003",
            locator="318",
            reference=0,  # a position in Document.references
        ),
        Citation(
            raw="Попов, Иванов 2019а, с. 25",
            line=121,
            authors=("Попов", "Иванов"),
            year="2019а",
            locator="с. 25",
            reference=None,
        ),
        Citation(raw="Там же: 12", line=122, kind="ibid", refers_to=1, locator="12"),
        Citation(raw="2, с. 7", line=123, kind="numeric", numbers=(2,), reference=1, locator="с. 7"),
        Citation(raw=HOSTILE, line=124, authors=(HOSTILE,), year=None),
    )
    references = (
        Reference(
            index=1,
            line=300,
            text="Барабанов О.Н. Глобальное управление. М.: МГИМО, 2003. 320 с.",
            surnames=("Барабанов",),
            year="2003",
            section="Список литературы",
            number=1,
        ),
        Reference(
            index=2,
            line=302,
            text=f"Евразийская интеграция. 2010. URL: {URL_REFERENCE} (дата обращения: 20.12.2023)",
            year="2010",
            urls=(_mention(URL_REFERENCE, 303, 20),),
            section="Список литературы",
            number=2,
        ),
    )
    return Document(
        path=path,
        encoding="utf-8",
        line_count=320,
        footnotes=footnotes,
        citations=citations,
        references=references,
        reference_sections=(("Список литературы", 298),),
    )


def build_links() -> tuple[Link, ...]:
    return (
        Link(
            URL_OK,
            footnotes=(1,),
            line=71,
            access_date=dt.date(2023, 12, 23),
            source_date=dt.date(2022, 7, 6),
        ),
        Link(URL_REDIRECT, footnotes=(1,), line=72, access_date=dt.date(2023, 12, 23)),
        Link(URL_SOFT404, footnotes=(2,), line=74, access_date=dt.date(2023, 12, 25)),
        Link(URL_BROKEN, footnotes=(2,), line=75, access_date=dt.date(2023, 12, 13)),
        Link(URL_BLOCKED, footnotes=(4,), line=79, access_date=dt.date(2023, 12, 25)),
        Link(URL_UNREACHABLE, footnotes=(4,), line=79, access_date=dt.date(2023, 12, 25)),
        Link(URL_TIMEOUT, footnotes=(4,), line=80),
        Link(URL_UNCHECKED, footnotes=(5,), line=82),
        Link(URL_REFERENCE, references=(2,), line=303, access_date=dt.date(2023, 12, 20)),
    )


def build_results() -> dict[str, LinkResult]:
    capture = ArchiveCapture(
        ARCHIVE_URL,
        dt.datetime(2023, 12, 20, 14, 3, 11, tzinfo=dt.timezone.utc),
        days_from_access=7,
    )
    results = [
        LinkResult(URL_OK, LinkStatus.OK, 200, URL_OK, ""),
        LinkResult(
            URL_REDIRECT,
            LinkStatus.REDIRECT,
            200,
            "https://mid.ru/ru/foreign_policy/news/1234567/",
            "moved permanently (301)",
            permanent_redirect=True,
        ),
        LinkResult(URL_SOFT404, LinkStatus.SOFT404, 200, URL_SOFT404, "title says «Страница не найдена»"),
        LinkResult(URL_BROKEN, LinkStatus.BROKEN, 404, URL_BROKEN, "HTTP 404 Not Found", archive=capture),
        LinkResult(URL_BLOCKED, LinkStatus.BLOCKED, 403, URL_BLOCKED, f"bot challenge {HOSTILE}"),
        LinkResult(URL_UNREACHABLE, LinkStatus.UNREACHABLE, None, None, "DNS failure"),
        LinkResult(URL_TIMEOUT, LinkStatus.TIMEOUT, None, None, "no answer within 20 s"),
        LinkResult(URL_REFERENCE, LinkStatus.SKIPPED, None, None, "private address (127.0.0.1)"),
    ]
    return {r.url: r for r in results}


def build_findings() -> tuple[Finding, ...]:
    return (
        Finding(
            "FC301",
            Severity.ERROR,
            "access date 32.13.2023 is not a real date",
            line=83,
            footnote=5,
        ),
        Finding(
            "FC401",
            Severity.ERROR,
            f"citation [{HOSTILE}] has no entry in the reference list",
            line=124,
        ),
        Finding(
            "FC201",
            Severity.WARNING,
            "URL has tracking parameters (ysclid)",
            line=82,
            footnote=5,
            url=URL_UNCHECKED,
            suggestion="https://tass.ru/mezhdunarodnaya-panorama/17556937",
        ),
        Finding(
            "FC202",
            Severity.WARNING,
            "URL without an access date",
            line=80,
            footnote=4,
            url=URL_TIMEOUT,
        ),
        Finding(
            "FC501",
            Severity.ERROR,
            "link is dead (HTTP 404); an archived copy exists",
            line=75,
            footnote=2,
            url=URL_BROKEN,
            suggestion=ARCHIVE_URL,
        ),
        Finding("FC601", Severity.INFO, "the same URL is cited in several footnotes", footnote=1),
        Finding("FC402", Severity.INFO, "reference list has no transliterated twin"),
    )
