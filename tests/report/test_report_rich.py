"""The rich report: 80 columns, plain text when not a terminal, document text inert."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixtures import ARCHIVE_URL, URL_BROKEN, URL_OK, URL_UNREACHABLE
from rich.cells import cell_len

from footcheck.model import (
    Audit,
    Citation,
    Document,
    Finding,
    Footnote,
    Link,
    LinkResult,
    LinkStatus,
    Severity,
    UrlMention,
)
from footcheck.report import get_reporter

ANSI = re.compile(r"\x1b")
# What must never reach a terminal from a document: C0 (but \n), DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def render(audits: list[Audit], *, color: bool | None = False, width: int | None = 80) -> str:
    out = io.StringIO()
    get_reporter("rich").render(audits, out, version="0.1.0", color=color, width=width)
    return out.getvalue()


def flat(text: str) -> str:
    """The report with table folding undone, for searching text that may wrap."""
    return re.sub(r"\s+", "", text)


def test_lines_fit_in_80_columns(audit: Audit, offline_audit: Audit) -> None:
    text = render([audit, offline_audit])
    assert text.count("\n") > 40
    widest = max(text.splitlines(), key=cell_len)
    assert cell_len(widest) <= 80, widest


@pytest.mark.parametrize("width", [40, 60, 120])
def test_other_widths_are_respected(audit: Audit, width: int) -> None:
    text = render([audit], width=width)
    assert max(cell_len(line) for line in text.splitlines()) <= width


def test_plain_text_has_no_escape_codes(audit: Audit) -> None:
    text = render([audit], color=False)
    assert not ANSI.search(text)
    assert not UNSAFE.search(text)
    assert all(line == line.rstrip() for line in text.splitlines())


def test_auto_colour_on_a_non_terminal_is_plain(audit: Audit) -> None:
    text = render([audit], color=None)
    assert not ANSI.search(text)


def test_colour_on_gives_styles_and_archive_hyperlink(audit: Audit) -> None:
    text = render([audit], color=True)
    assert "\x1b[" in text
    # OSC 8 hyperlink to the archive capture, and to the cited page itself.
    assert "\x1b]8;id=" in text
    assert f";{ARCHIVE_URL}\x1b\\" in text
    assert f";{URL_OK}\x1b\\" in text


def test_summary_panel(audit: Audit, offline_audit: Audit) -> None:
    online = render([audit])
    assert "samples/статья.txt" in online
    assert "utf-8" in online
    assert "5 footnotes, 5 citations, 2 reference entries" in online
    assert "3 errors, 2 warnings, 2 info" in online
    for label in (
        "1 ok",
        "1 redirect",
        "1 soft404",
        "1 broken",
        "1 blocked",
        "1 unreachable",
        "1 timeout",
        "2 skipped",
    ):
        assert label in online
    assert "offline" not in online.split("Footnotes")[0]
    offline = render([offline_audit])
    assert "offline: not checked" in offline


def test_footnote_table_rows(audit: Audit) -> None:
    text = render([audit])
    table = text.split("Footnotes", 1)[1].split("Links in the reference list", 1)[0]
    row = next(line for line in table.splitlines() if URL_OK in line)
    assert re.match(r"^1\s+71\s+https://www\.kommersant\.ru/doc/5447449\s+2023-12-23\s+ok$", row)
    assert "broken 404" in table
    assert "blocked 403" in table
    assert re.search(r"unreachable$", next(ln for ln in table.splitlines() if "президент.рф" in ln))
    assert "DNS failure" in table
    assert "timeout" in table
    assert "soft404" in table
    # The ibid footnote shows its text and what it repeats.
    assert re.search(r"^3\s+77\s+Там же\. С\. 5\.\s+→ 2$", table, re.MULTILINE)
    # An unreadable access date is shown as printed.
    assert "32.13.2023" in table
    # Folded URLs are complete once the folding is undone.
    assert URL_BROKEN in flat(table)


def test_archive_capture_with_date_and_gap(audit: Audit) -> None:
    text = render([audit])
    assert "archived 2023-12-20 (7 days after access)" in text
    assert ARCHIVE_URL in flat(text)


def test_offline_status_column(offline_audit: Audit) -> None:
    table = render([offline_audit]).split("Footnotes", 1)[1].split("Citations", 1)[0]
    rows = [line for line in table.splitlines() if "https://" in line and "  20" in line]
    assert rows
    assert all(line.endswith("skipped") for line in rows)
    assert "archived" not in table


def test_reference_only_links_have_their_own_table(audit: Audit) -> None:
    table = render([audit]).split("Links in the reference list", 1)[1].split("Citations", 1)[0]
    assert "cyberleninka.ru" in table
    assert "private address (127.0.0.1)" in table


def test_citation_table(audit: Audit) -> None:
    table = render([audit]).split("Citations", 1)[1].split("Findings", 1)[0]
    assert re.search(r"120\s+\[Барабанов О\.Н\. 2003: 318\]\s+1\. Барабанов", table)
    assert re.search(r"121\s+\[Попов, Иванов 2019а, с\. 25\]\s+no entry", table)
    assert re.search(r"122\s+\[Там же: 12\]\s+repeats \[Попов, Иванов 2019а, с\. 25\]", table)
    assert re.search(r"123\s+\[2, с\. 7\]\s+2\. Евразийская интеграция", table)


def test_citations_without_reference_list_show_a_dash() -> None:
    citation = Citation(raw="Попов 2016", line=3, authors=("Попов",), year="2016")
    text = render([Audit(Document("a.txt", "utf-8", 5, citations=(citation,)))])
    assert "no reference list found" in text
    assert re.search(r"3\s+\[Попов 2016\]\s+—", text)
    assert "no entry" not in text


def test_findings_grouped_by_severity_with_location(audit: Audit) -> None:
    text = render([audit])
    findings = text.split("\nFindings\n", 1)[1]
    errors, rest = findings.split("Warnings (2)")
    warnings, info = rest.split("Info (2)")
    assert "Errors (3)" in errors
    # Ordered by line within a group.
    assert errors.index("samples/статья.txt:75") < errors.index("samples/статья.txt:83")
    assert re.search(r"samples/статья\.txt:83\s+FC301\s+access date 32\.13\.2023", errors)
    assert re.search(r"samples/статья\.txt:82\s+FC201\s+URL has tracking", warnings)
    assert re.search(r"fix\s+https://tass\.ru/mezhdunarodnaya-panorama/17556937$", warnings, re.MULTILINE)
    assert re.search(r"samples/статья\.txt \(footnote 1\)\s+FC601", info)
    assert re.search(r"samples/статья\.txt\s+FC402", info)


def test_no_findings(empty_audit: Audit) -> None:
    text = render([empty_audit])
    assert "No findings." in text
    assert "cp1251" in text
    assert "Footnotes\n" not in text


def test_several_documents_get_a_total(audit: Audit, offline_audit: Audit) -> None:
    text = render([audit, offline_audit])
    assert text.count("footcheck 0.1.0") == 2
    assert "Total: 2 documents, 10 footnotes, 10 citations, 18 links; 5 errors, 3 warnings" in text
    assert "Total:" not in render([audit])


def test_no_documents() -> None:
    assert render([]) == "No documents to report.\n"


# --- hostile text -----------------------------------------------------------------------


def test_markup_in_the_document_is_printed_literally(audit: Audit) -> None:
    for color in (False, True):
        text = render([audit], color=color, width=200)
        plain = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", text)
        assert "[bold red]x[/]" in plain
        assert "[link=https://evil.example]клик[/link]" in plain
        assert "evil.example\x1b" not in text  # never became a hyperlink target


def test_control_characters_are_removed(audit: Audit) -> None:
    text = render([audit], color=False, width=200)
    assert "\x1b" not in text
    assert "[31m" not in text  # the whole escape sequence went, not just ESC
    assert "\u202e" not in text
    assert "красный abc" in text


def test_colour_output_carries_no_escape_from_the_document(audit: Audit) -> None:
    text = render([audit], color=True, width=200)
    assert "[31m" not in text.replace("\x1b[31m", "")  # only rich's own codes, if any
    assert "\u202e" not in text


@pytest.mark.parametrize(
    "payload",
    [
        "\x1b]8;;https://evil.example\x1b\\клик\x1b]8;;\x1b\\",  # OSC 8 hyperlink
        "\x1b]0;window title\x07",  # OSC window title
        "\x9b31mC1\x9b0m",  # 8-bit CSI
        "\x1b[2J\x1b[H",  # clear screen
        "a\rb\x08c\x00d",
        "\u2066isolate\u2069 \u200fmark",
    ],
)
def test_escape_sequences_of_every_kind(payload: str) -> None:
    note = Footnote(number=1, line=2, text=payload, urls=(UrlMention(f"https://x.ru/{payload}", 2),))
    finding = Finding("FC101", Severity.ERROR, payload, line=2, suggestion=payload)
    audit = Audit(
        Document(payload, payload, 3, footnotes=(note,)),
        links=(Link(f"https://x.ru/{payload}"),),
        findings=(finding,),
    )
    for color in (False, True):
        text = render([audit], color=color, width=100)
        assert "evil.example" not in text.replace("https://x.ru/", "")
        assert "window title\x07" not in text
        stripped = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", text)  # rich's own
        assert not UNSAFE.search(stripped), repr(stripped)


_TEXT = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=120)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=_TEXT, url=_TEXT, raw=_TEXT, message=_TEXT, number=st.integers(0, 10**6))
def test_arbitrary_text_never_breaks_the_report(text: str, url: str, raw: str, message: str, number: int) -> None:
    mention = UrlMention("https://x.ru/" + url, number + 1)
    audit = Audit(
        Document(
            raw or "p.txt",
            "utf-8",
            5,
            footnotes=(Footnote(number, number + 1, text, urls=(mention,)),),
            citations=(Citation(raw, 1, authors=(raw,)),),
        ),
        links=(Link(mention.url, footnotes=(number,)),),
        results={mention.url: LinkResult(mention.url, LinkStatus.BROKEN, 404, detail=message)},
        findings=(Finding("FC999", Severity.WARNING, message, line=number + 1, suggestion=text),),
        offline=False,
    )
    report = render([audit], color=False, width=80)
    assert not UNSAFE.search(report)
    assert max(cell_len(line) for line in report.splitlines()) <= 80


def test_unreachable_row_without_http_status() -> None:
    result = LinkResult(URL_UNREACHABLE, LinkStatus.UNREACHABLE, None, None, "connection refused")
    note = Footnote(1, 5, "…", urls=(UrlMention(URL_UNREACHABLE, 5),))
    audit = Audit(
        Document("a.txt", "utf-8", 9, footnotes=(note,)),
        links=(Link(URL_UNREACHABLE, footnotes=(1,), access_date=dt.date(2023, 1, 2)),),
        results={URL_UNREACHABLE: result},
        offline=False,
    )
    text = render([audit])
    assert re.search(r"2023-01-02\s+unreachable$", text, re.MULTILINE)
    assert "connection refused" in text


def test_long_paths_keep_path_and_line_whole() -> None:
    path = "/home/editor/journals/vestnik/2024/issue-3/submissions/paper-0042.txt"
    findings = (
        Finding(
            "FC202",
            Severity.WARNING,
            "footnote 4: URL carries tracking parameter ysclid",
            line=195,
            suggestion="https://ria.ru/20230928/kazakhstan-1899262610.html",
        ),
        Finding("FC401", Severity.INFO, "no reference list", line=53),
    )
    text = render([Audit(Document(path, "utf-8", 300), findings=findings)])
    lines = text.splitlines()
    assert f"{path}:195  FC202" in lines
    assert f"{path}:53  FC401" in lines
    assert "    footnote 4: URL carries tracking parameter ysclid" in lines
    assert "    fix: https://ria.ru/20230928/kazakhstan-1899262610.html" in lines
    assert max(cell_len(line) for line in lines) <= 80


def test_repeat_with_nothing_to_repeat_is_marked() -> None:
    note = Footnote(1, 24, "Там же. С. 3.", marker_lines=(10,), ibid=True, refers_to=None)
    text = render([Audit(Document("a.txt", "utf-8", 30, footnotes=(note,)))])
    assert re.search(r"^1\s+24\s+Там же\. С\. 3\.\s+→ \?$", text, re.MULTILINE)
