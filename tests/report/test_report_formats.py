"""The registry, the shared counts, the sanitiser, and the GitHub and Markdown formats."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

from footcheck.model import Audit, Document, Finding, Severity
from footcheck.report import REPORTERS, Reporter, get_reporter, summary_counts
from footcheck.report._text import clean, clean_line, shorten
from footcheck.report.github import annotation
from footcheck.report.markdown import md_code, md_link, md_text


def test_registry() -> None:
    assert {"rich", "json", "sarif", "github", "markdown"} <= set(REPORTERS)
    for name, reporter in REPORTERS.items():
        assert reporter.name == name
        assert isinstance(reporter, Reporter)
    assert get_reporter("JSON") is REPORTERS["json"]
    with pytest.raises(ValueError, match=r"unknown report format 'xml'.*rich, json"):
        get_reporter("xml")


@pytest.mark.parametrize("name", sorted(REPORTERS))
def test_every_format_renders_every_audit(name: str, audit: Audit, offline_audit: Audit, empty_audit: Audit) -> None:
    out = io.StringIO()
    get_reporter(name).render([audit, offline_audit, empty_audit], out, version="0.1.0", color=False, width=80)
    assert out.getvalue().endswith("\n")
    assert "\x1b" not in out.getvalue()


def test_json_format_does_not_import_rich() -> None:
    code = (
        "import io, sys\n"
        "from footcheck.model import Audit, Document\n"
        "from footcheck.report import get_reporter\n"
        "get_reporter('json').render([Audit(Document('a', 'utf-8', 1))], io.StringIO(),"
        " version='0')\n"
        "print(sorted(m for m in sys.modules if m == 'rich' or m.startswith('rich.')))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True)
    assert done.stdout.strip() == "[]"


def test_summary_counts(audit: Audit, empty_audit: Audit) -> None:
    assert summary_counts([]) == {
        "documents": 0,
        "footnotes": 0,
        "citations": 0,
        "links": 0,
        "errors": 0,
        "warnings": 0,
        "info": 0,
    }
    counts = summary_counts([audit, empty_audit])
    assert counts == {
        "documents": 2,
        "footnotes": 5,
        "citations": 5,
        "links": 9,
        "errors": 3,
        "warnings": 2,
        "info": 2,
    }
    assert list(counts) == ["documents", "footnotes", "citations", "links", "errors", "warnings", "info"]


# --- sanitiser ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("\x1b[31mкрасный\x1b[0m", "красный"),
        ("\x1b[38;2;255;0;0mRGB", "RGB"),
        ("a\x1b]8;;https://evil.example\x1b\\b\x1b]8;;\x1b\\c", "abc"),
        ("title\x1b]0;pwned\x07end", "titleend"),
        ("\x9b1mC1\x9b0m", "C1"),
        ("\x1bcreset", "reset"),
        ("esc at end\x1b", "esc at end"),
        ("\u202eevil\u202c \u2067x\u2069 \u200f", "evil x "),
        ("bell\x07 nul\x00 del\x7f nel\x85x", "bell nul del nel\nx"),
        ("tab\there", "tab here"),
        ("line\r\nbreak\rmac\u2028sep", "line\nbreak\nmac\nsep"),
        ("bom\ufeffinside", "bominside"),
        ("[bold red]x[/]", "[bold red]x[/]"),
        ("президент.рф ё", "президент.рф ё"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


def test_clean_line_and_shorten() -> None:
    assert clean_line("  a\n\n b\t c  ") == "a b c"
    assert shorten("абвгд", 5) == "абвгд"
    assert shorten("абвгде", 5) == "абвг…"
    assert len(shorten("x" * 100, 10)) == 10


# --- GitHub annotations ---------------------------------------------------------------


def test_github_annotations(audit: Audit) -> None:
    out = io.StringIO()
    get_reporter("github").render([audit], out, version="0.1.0")
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("::error file=samples/статья.txt,line=75,title=footcheck FC501::")
    assert "%0AFix: https%3A" not in lines[0]  # only properties escape ':'
    assert "%0AFix: https://web.archive.org/" in lines[0]
    assert sum(line.startswith("::warning ") for line in lines) == 2
    assert sum(line.startswith("::notice ") for line in lines) == 2
    assert lines[-1] == "footcheck 0.1.0: 1 document(s), 3 error(s), 2 warning(s), 2 info"
    assert all("\x1b" not in line for line in lines)


def test_github_annotation_cannot_inject_commands() -> None:
    finding = Finding("FC101", Severity.WARNING, "x\n::error::forged\r100%", line=3)
    line = annotation("a,b:c.txt", finding)
    assert "\n" not in line
    assert line == ("::warning file=a%2Cb%3Ac.txt,line=3,title=footcheck FC101::x%0A::error::forged%0A100%25")


# --- Markdown -----------------------------------------------------------------------


def test_markdown_escapes_document_text(audit: Audit, hostile: str) -> None:
    out = io.StringIO()
    get_reporter("markdown").render([audit], out, version="0.1.0")
    text = out.getvalue()
    assert "\\[bold red\\]x\\[/\\]" in text
    assert "[link=" not in text.replace("\\[link=", "")
    assert "\x1b" not in text and "\u202e" not in text
    assert "### Problems (6)" in text
    assert "| error | `samples/статья.txt:82` footnote 5 |" in text and "**`FC201`**" in text
    assert "[2023-12-20](https://web.archive.org/web/20231220140311/https://www.akorda.kz/" in text
    assert "(+7 d)" in text


def test_markdown_helpers() -> None:
    assert md_text("<script>*a*|b") == "\\<script\\>\\*a\\*\\|b"
    # nothing GitHub would link or mention: emails, @names, bare www. and URLs, #123
    z = "&#8203;"
    assert md_text("автор ivanov@example.ru, @editor") == f"автор ivanov@{z}example.ru, @{z}editor"
    assert md_text("см. www.example.org и http://example.org/a") == \
        f"см. www{z}.example.org и http:{z}//example.org/a"
    assert md_text("задача #12") == f"задача \\#{z}12"
    assert md_code("a`b") == "``a`b``"
    assert md_code("`x") == "`` `x ``"
    assert md_code("a|b") == "`a\\|b`"
    assert md_link("d", "javascript:alert(1)") == "`javascript:alert(1)`"
    assert md_link("d", "https://a.ru/x (1)") == "[d](https://a.ru/x%20%281%29)"


def test_markdown_offline_lists_no_link_table(offline_audit: Audit) -> None:
    out = io.StringIO()
    get_reporter("markdown").render([offline_audit], out, version="0.1.0")
    text = out.getvalue()
    assert "Links: 9 (offline, not checked)" in text
    assert "Links that need attention" not in text


def test_documents_without_anything(empty_audit: Audit) -> None:
    out = io.StringIO()
    get_reporter("markdown").render([empty_audit, Audit(Document("b.txt", "utf-8", 0))], out, version="0.1.0")
    assert out.getvalue().count("No findings.") == 2
    assert "**Total:** 2 documents, 0 errors" in out.getvalue()


def test_markdown_folds_long_sections_and_keeps_under_the_comment_limit() -> None:
    from footcheck.model import Finding, Footnote, Severity, UrlMention
    from footcheck.report.markdown import GITHUB_COMMENT_LIMIT, MarkdownReporter

    footnotes, findings = [], []
    for n in range(1, 3001):
        url = f"https://vestnik.example.org/arhiv/{n}?utm_source=tg"
        footnotes.append(Footnote(n, 10 * n, "Вестник.", urls=(UrlMention(url, 10 * n),)))
        findings.append(Finding("FC202", Severity.WARNING, "URL carries tracking parameter utm_source",
                                line=10 * n, footnote=n, url=url, suggestion=url.split("?")[0]))
    audit = Audit(Document("big.txt", "utf-8", 40000, footnotes=tuple(footnotes)), findings=tuple(findings))
    out = io.StringIO()
    get_reporter("markdown").render([audit], out, version="0.1.0")
    text = out.getvalue()
    assert len(text.encode("utf-16-le")) // 2 <= GITHUB_COMMENT_LIMIT
    assert "<details><summary>Problems (3000)</summary>" in text
    assert text.count("<details>") == text.count("</details>")
    shown = text.count("| warning | ")
    assert 100 < shown < 3000
    assert f"**Cut:** {3000 - shown} more rows did not fit" in text
    # a small report is neither folded nor cut
    small = io.StringIO()
    MarkdownReporter().render([Audit(audit.document, findings=tuple(findings[:3]))], small, version="0.1.0")
    assert "<details>" not in small.getvalue() and "Cut:" not in small.getvalue()
    assert "### Problems (3)" in small.getvalue()
