"""The rich report: 80 columns, plain text when not a terminal, document text inert."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from report_fixtures import (
    ARCHIVE_URL,
    URL_BROKEN,
    URL_OK,
    URL_REFERENCE,
    URL_UNCHECKED,
    URL_UNREACHABLE,
)
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
from footcheck.report.rich_report import RichReporter

ANSI = re.compile(r"\x1b")
# What must never reach a terminal from a document: C0 (but \n), DEL, C1, bidi controls.
UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def render(audits: list[Audit], *, color: bool | None = False, width: int | None = 80,
           details: bool = False) -> str:
    out = io.StringIO()
    reporter = RichReporter(details=True) if details else get_reporter("rich")
    reporter.render(audits, out, version="0.1.0", color=color, width=width)
    return out.getvalue()


URL_WORD = re.compile(r"https?://\S+$")


def assert_fits(text: str, width: int) -> None:
    """Every line fits, except one whose last word is too long for it (a URL, a long
    path:line): that word runs on whole, never broken, and what comes before it fits."""
    for line in text.splitlines():
        if cell_len(line) <= width:
            continue
        if line == text.splitlines()[-1]:
            continue  # the closing summary is one line whatever its length
        last = line.rstrip().rsplit(" ", 1)[-1]
        assert URL_WORD.match(last) or len(line.split()) <= 2, line
        assert cell_len(line[: len(line) - len(last)]) <= width, line


def test_lines_fit_in_80_columns(audit: Audit, offline_audit: Audit) -> None:
    for details in (False, True):
        text = render([audit, offline_audit], details=details)
        assert text.count("\n") > 30
        assert_fits(text, 80)


@pytest.mark.parametrize("width", [40, 60, 120])
def test_other_widths_are_respected(audit: Audit, width: int) -> None:
    assert_fits(render([audit], width=width, details=True), width)


def test_urls_are_never_broken_across_lines(audit: Audit) -> None:
    for width in (40, 80):
        lines = render([audit], width=width, details=True).splitlines()
        for link in audit.links:
            assert any(link.url in line for line in lines), link.url


def test_plain_text_has_no_escape_codes(audit: Audit) -> None:
    text = render([audit], color=False, details=True)
    assert not ANSI.search(text)
    assert not UNSAFE.search(text)
    assert all(line == line.rstrip() for line in text.splitlines())


def test_auto_colour_on_a_non_terminal_is_plain(audit: Audit) -> None:
    text = render([audit], color=None)
    assert not ANSI.search(text)


def test_colour_on_gives_styles_and_hyperlinks(audit: Audit) -> None:
    text = render([audit], color=True)
    assert "\x1b[" in text
    # OSC 8 hyperlinks to the dead page and to the archive capture that replaces it
    assert "\x1b]8;id=" in text
    assert f";{ARCHIVE_URL}\x1b\\" in text
    assert f";{URL_BROKEN}\x1b\\" in text
    assert f";{URL_OK}\x1b\\" in render([audit], color=True, details=True)


def _blocks(text: str) -> list[list[str]]:
    """The problem blocks: a header line that starts with a severity, the lines under it."""
    blocks: list[list[str]] = []
    for line in text.splitlines():
        if re.match(r"^(error|warning|info) {2,}\S", line):
            blocks.append([line])
        elif blocks and line.startswith(" " * 9):
            blocks[-1].append(line)
        elif blocks and line and not line.startswith(" "):
            blocks.append([])  # something else: ends the block
    return [b for b in blocks if b]


def test_summary_first_then_problems_then_one_closing_line(audit: Audit) -> None:
    text = render([audit])
    lines = text.splitlines()
    assert lines[0].startswith("╭─ footcheck 0.1.0")
    assert "6 problems to fix: 3 errors, 1 warning, 2 info  (7 findings)" in text
    panel = re.sub(r"\s*│\s*", " ", text.split("╰", 1)[0])
    for label in ("1 ok", "1 redirect", "1 soft404", "1 broken", "1 blocked", "1 unreachable",
                  "1 timeout", "2 skipped"):
        assert label in panel, label
    assert lines[-1] == ("samples/статья.txt: 6 problems (3 errors, 1 warning, 2 info); 9 links: 2 ok, "
                         "3 dead, 2 doubtful, 2 not checked")
    assert "Footnotes (" not in text and "Citations (" not in text  # only with --details


def test_one_block_per_cited_item_in_document_order(audit: Audit) -> None:
    blocks = _blocks(render([audit]))
    heads = [b[0] for b in blocks]
    assert heads == [
        "info     samples/статья.txt  document",
        "info     samples/статья.txt:71  footnote 1",
        "error    samples/статья.txt:74  footnote 2",
        "warning  samples/статья.txt:78  footnote 4",
        "error    samples/статья.txt:82  footnote 5",
        "error    samples/статья.txt:124  citation",
    ]
    footnote5 = "\n".join(blocks[4])
    # the worst severity heads the block; every rule code is kept, the URL on its own line
    assert "FC301" in footnote5 and "FC201" in footnote5
    assert f"         {URL_UNCHECKED}" in blocks[4]
    assert "         fix    https://tass.ru/mezhdunarodnaya-panorama/17556937" in blocks[4]
    footnote2 = blocks[2]
    assert f"         {URL_BROKEN}" in footnote2
    assert footnote2[2] == "           [broken 404]"  # the verdict goes below a long URL, which stays whole
    wide = _blocks(render([audit], width=120))[2]
    assert f"         {URL_BROKEN} [broken 404]" in wide
    assert f"         fix    {ARCHIVE_URL}" in footnote2
    assert "         copy   2023-12-20 (7 days after access)" in footnote2


def test_details_list_every_footnote_link_and_citation(audit: Audit) -> None:
    text = render([audit], details=True)
    footnotes = text.split("Footnotes (5)", 1)[1].split("Links in the reference list", 1)[0]
    assert re.search(rf"^   1  line 71\s+2023-12-23  ok  {re.escape(URL_OK)}$", footnotes, re.M)
    assert "broken 404" in footnotes and "blocked 403" in footnotes
    assert re.search(rf"unreachable  {re.escape(URL_UNREACHABLE)}$", footnotes, re.M)
    assert re.search(r"^   3  line 77\s+Там же\. С\. 5\. → 2$", footnotes, re.M)
    assert "32.13.2023" in footnotes  # an unreadable access date is shown as printed
    assert f"archived {ARCHIVE_URL}" in footnotes
    refs = render([audit], details=True, width=120).split("Links in the reference list (1)", 1)[1]
    assert re.search(rf"ref 2\s+line 303\s+2023-12-20  skipped  {re.escape(URL_REFERENCE)}", refs)
    citations = text.split("Citations (5)", 1)[1]
    assert re.search(r"line 120\s+\[Барабанов О\.Н\. 2003: 318\]  → 1\. Барабанов", citations)
    assert re.search(r"line 121\s+\[Попов, Иванов 2019а, с\. 25\]  → no entry", citations)
    assert re.search(r"line 122\s+\[Там же: 12\]  → repeats \[Попов, Иванов 2019а, с\. 25\]", citations)
    assert re.search(r"line 123\s+\[2, с\. 7\]  → 2\. Евразийская интеграция", citations)


def test_offline_report(offline_audit: Audit) -> None:
    text = render([offline_audit], details=True)
    assert "offline: not checked" in text
    assert "[skipped" not in text  # no verdict beside the URLs of an offline run
    assert text.splitlines()[-1].endswith("; links not checked (offline)")


def test_citations_without_reference_list_show_a_dash() -> None:
    citation = Citation(raw="Попов 2016", line=3, authors=("Попов",), year="2016")
    text = render([Audit(Document("a.txt", "utf-8", 5, citations=(citation,)))])
    assert "no reference list found" in text
    assert re.search(r"line 3\s+\[Попов 2016\]  → —", text)
    assert "no entry" not in text


def test_nothing_to_fix_shows_the_listings() -> None:
    note = Footnote(1, 4, "Иванов И.И. Книга. М., 2020.", marker_lines=(2,))
    text = render([Audit(Document("clean.txt", "cp1251", 5, footnotes=(note,)), offline=True)])
    assert "nothing to fix" in text and "cp1251" in text
    assert "Footnotes (1)" in text
    assert text.splitlines()[-1].startswith("clean.txt: nothing to fix")


def test_several_documents_get_a_total(audit: Audit, offline_audit: Audit) -> None:
    text = render([audit, offline_audit])
    assert text.count("footcheck 0.1.0") == 2
    assert text.splitlines()[-1] == ("2 documents: 8 problems (5 errors, 1 warning, 2 info); 18 links: 2 ok, "
                                     "3 dead, 2 doubtful, 11 not checked")


def test_no_documents() -> None:
    assert render([]) == "No documents to report.\n"


# --- hostile text -----------------------------------------------------------------------


def test_markup_in_the_document_is_printed_literally(audit: Audit) -> None:
    for color in (False, True):
        text = render([audit], color=color, width=200, details=True)
        plain = re.sub(r"\x1b\[[0-9;]*m|\x1b\]8;[^\x1b]*\x1b\\", "", text)
        assert "[bold red]x[/]" in plain
        assert "[link=https://evil.example]клик[/link]" in plain
        assert "evil.example\x1b" not in text  # never became a hyperlink target


def test_control_characters_are_removed(audit: Audit) -> None:
    text = render([audit], color=False, width=200, details=True)
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
        text = render([audit], color=color, width=100, details=True)
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
    for details in (False, True):
        report = render([audit], color=False, width=80, details=details)
        assert not UNSAFE.search(report)
        assert_fits(report, 80)


def test_unreachable_link_without_http_status() -> None:
    result = LinkResult(URL_UNREACHABLE, LinkStatus.UNREACHABLE, None, None, "connection refused")
    note = Footnote(1, 5, "…", urls=(UrlMention(URL_UNREACHABLE, 5),))
    finding = Finding("FC503", Severity.ERROR, "Link is unreachable: connection refused", line=5,
                      footnote=1, url=URL_UNREACHABLE)
    audit = Audit(
        Document("a.txt", "utf-8", 9, footnotes=(note,)),
        links=(Link(URL_UNREACHABLE, footnotes=(1,), access_date=dt.date(2023, 1, 2)),),
        results={URL_UNREACHABLE: result},
        findings=(finding,),
        offline=False,
    )
    text = render([audit])
    assert f"         {URL_UNREACHABLE} [unreachable]" in text.splitlines()
    assert "FC503  Link is unreachable: connection refused" in text


def test_long_paths_keep_path_and_line_whole() -> None:
    path = "/home/editor/journals/vestnik/2024/issue-3/submissions/paper-0042.txt"
    findings = (
        Finding(
            "FC202",
            Severity.WARNING,
            "footnote 4: URL carries tracking parameter ysclid",
            line=195,
            footnote=4,
            suggestion="https://ria.ru/20230928/kazakhstan-1899262610.html",
        ),
        Finding("FC401", Severity.INFO, "no reference list", line=53),
    )
    text = render([Audit(Document(path, "utf-8", 300), findings=findings)])
    lines = text.splitlines()
    assert f"info     {path}:53" in lines
    assert f"warning  {path}:195" in lines
    assert "         FC202  URL carries tracking parameter ysclid" in lines
    assert "         fix    https://ria.ru/20230928/kazakhstan-1899262610.html" in lines
    assert_fits(text, 80)


def test_repeat_with_nothing_to_repeat_is_marked() -> None:
    note = Footnote(1, 24, "Там же. С. 3.", marker_lines=(10,), ibid=True, refers_to=None)
    text = render([Audit(Document("a.txt", "utf-8", 30, footnotes=(note,)))])
    assert re.search(r"^   1  line 24\s+Там же\. С\. 3\. → \?$", text, re.MULTILINE)


def test_unverified_links_are_summed_up_as_no_network() -> None:
    url = "https://muzei-kraya.example.org/otchet/2022"
    note = Footnote(1, 5, "Отчет музея.", urls=(UrlMention(url, 5),))
    audit = Audit(
        Document("a.txt", "utf-8", 9, footnotes=(note,)),
        links=(Link(url, footnotes=(1,)),),
        results={url: LinkResult(url, LinkStatus.UNVERIFIED, detail="no network: the name does not resolve")},
        offline=False,
    )
    text = render([audit])
    assert "1 unique link: 1 unverified" in text
    assert text.splitlines()[-1] == "a.txt: nothing to fix; 1 link: 1 unverified (no network)"
