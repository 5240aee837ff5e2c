"""The JSON report: exact shape, exact values, and validity against the shipped schema."""

from __future__ import annotations

import datetime as dt
import io
import json
from typing import Any

import jsonschema
import pytest
from report_fixtures import (
    ARCHIVE_URL,
    URL_BROKEN,
    URL_OK,
    URL_REDIRECT,
    URL_REFERENCE,
    URL_TIMEOUT,
    URL_UNCHECKED,
)

from footcheck.model import (
    ArchiveCapture,
    Audit,
    DateMention,
    Document,
    Finding,
    Footnote,
    Link,
    LinkResult,
    LinkStatus,
    Location,
    Severity,
    UrlMention,
)
from footcheck.report import get_reporter, load_schema

STATUSES = {"ok", "redirect", "soft404", "broken", "blocked", "unreachable", "timeout", "skipped"}


def render(audits: list[Audit], version: str = "0.1.0") -> dict[str, Any]:
    out = io.StringIO()
    get_reporter("json").render(audits, out, version=version)
    text = out.getvalue()
    assert text.endswith("}\n")
    data: dict[str, Any] = json.loads(text)
    return data


def validate(data: dict[str, Any]) -> None:
    jsonschema.Draft202012Validator(load_schema(), format_checker=jsonschema.FormatChecker()).validate(data)


def test_schema_is_valid_draft_2020_12() -> None:
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_schema_ships_inside_the_package() -> None:
    from importlib import resources

    text = resources.files("footcheck.report").joinpath("schema.json").read_text("utf-8")
    assert json.loads(text) == load_schema()


def test_top_level_shape(audit: Audit, offline_audit: Audit) -> None:
    data = render([audit, offline_audit], version="9.8.7")
    validate(data)
    assert list(data) == ["tool", "version", "schema_version", "documents", "summary"]
    assert data["tool"] == "footcheck"
    assert data["version"] == "9.8.7"
    assert data["schema_version"] == 1
    assert [d["path"] for d in data["documents"]] == ["samples/статья.txt", "samples/offline.txt"]
    document = data["documents"][0]
    assert list(document) == [
        "path",
        "encoding",
        "format",
        "footnotes",
        "citations",
        "repeats",
        "references",
        "links",
        "findings",
    ]
    assert document["encoding"] == "utf-8"


def test_footnotes_exact(audit: Audit) -> None:
    footnotes = render([audit])["documents"][0]["footnotes"]
    assert [f["number"] for f in footnotes] == [1, 2, 3, 4, 5]
    assert footnotes[0] == {
        "number": 1,
        "line": 71,
        "marker_lines": [58],
        "text": f"Коммерсантъ. 2022. 6 июля. URL: {URL_OK} (дата обращения: 23.12.2023).",
        "urls": [URL_OK, URL_REDIRECT],
        "access_dates": ["2023-12-23"],  # one date printed for two URLs is listed once
        "ibid": False,
        "refers_to": None,
        "dois": [],
        "location": {"line": 71, "footnote": 1},
    }
    assert footnotes[1]["marker_lines"] == [60, 61]
    assert footnotes[1]["access_dates"] == ["2023-12-25", "2023-12-13"]
    assert footnotes[2] == {
        "number": 3,
        "line": 77,
        "marker_lines": [63],
        "text": "Там же. С. 5.",
        "urls": [],
        "access_dates": [],
        "ibid": True,
        "refers_to": 2,
        "dois": [],
        "location": {"line": 77, "footnote": 3},
    }
    assert footnotes[3]["urls"][2] == URL_TIMEOUT
    # An unreadable date ("32.13.2023") is not an access date: the findings report it.
    assert footnotes[4]["access_dates"] == []
    assert footnotes[4]["urls"] == [URL_UNCHECKED]


def test_access_dates_not_tied_to_a_url_are_listed() -> None:
    note = Footnote(
        number=1,
        line=10,
        text="Там же (дата обращения: 01.02.2024).",
        dates=(DateMention("01.02.2024", 10, dt.date(2024, 2, 1)), DateMention("x", 10, None)),
    )
    audit = Audit(Document("a.txt", "utf-8", 10, footnotes=(note,)))
    data = render([audit])
    validate(data)
    assert data["documents"][0]["footnotes"][0]["access_dates"] == ["2024-02-01"]


def test_citations_exact(audit: Audit, hostile: str) -> None:
    citations = render([audit])["documents"][0]["citations"]
    assert citations[0] == {
        "raw": "Барабанов О.Н. 2003: 318",
        "line": 120,
        "authors": ["Барабанов О.Н."],
        "year": "2003",
        "locator": "318",
        "reference": 1,
        "kind": "author-year",
        "numbers": [],
        "refers_to": None,
        "location": {"line": 120},
    }
    assert citations[1]["authors"] == ["Попов", "Иванов"]
    assert citations[1]["year"] == "2019а"
    assert citations[1]["reference"] is None
    assert citations[2]["kind"] == "ibid"
    assert citations[2]["refers_to"] == 1
    assert citations[3]["kind"] == "numeric"
    assert citations[3]["numbers"] == [2]
    # JSON is data: the document's text is kept exactly, escapes and all.
    assert citations[4]["raw"] == hostile


def test_references_exact(audit: Audit) -> None:
    references = render([audit])["documents"][0]["references"]
    assert references[0] == {
        "index": 1,
        "line": 300,
        "text": "Барабанов О.Н. Глобальное управление. М.: МГИМО, 2003. 320 с.",
        "year": "2003",
        "urls": [],
        "access_dates": [],
        "doi": None,
        "registry": None,
        "location": {"line": 300},
    }
    assert references[1]["urls"] == [URL_REFERENCE]
    assert references[1]["access_dates"] == ["2023-12-20"]


def test_links_online_every_status(audit: Audit) -> None:
    data = render([audit])
    validate(data)
    links = data["documents"][0]["links"]
    assert len(links) == len({link["url"] for link in links}) == 9
    by_url = {link["url"]: link for link in links}
    assert {link["status"] for link in links} == STATUSES
    assert by_url[URL_OK] == {
        "url": URL_OK,
        "footnotes": [1],
        "references": [],
        "access_date": "2023-12-23",
        "status": "ok",
        "http_status": 200,
        "final_url": URL_OK,
        "detail": "",
        "archive": None,
    }
    assert by_url[URL_BROKEN]["status"] == "broken"
    assert by_url[URL_BROKEN]["http_status"] == 404
    assert by_url[URL_BROKEN]["archive"] == {
        "url": ARCHIVE_URL,
        "timestamp": "2023-12-20T14:03:11Z",
        "days_from_access": 7,
    }
    assert by_url[URL_REDIRECT]["final_url"].startswith("https://")
    assert by_url[URL_REFERENCE]["footnotes"] == []
    assert by_url[URL_REFERENCE]["references"] == [2]
    assert by_url[URL_REFERENCE]["detail"] == "private address (127.0.0.1)"
    assert by_url[URL_TIMEOUT]["access_date"] is None
    # Online, but no result (an interrupted run): skipped, and it says why.
    assert by_url[URL_UNCHECKED]["status"] == "skipped"
    assert by_url[URL_UNCHECKED]["detail"] == "not checked"


def test_links_offline_are_skipped(offline_audit: Audit) -> None:
    data = render([offline_audit])
    validate(data)
    links = data["documents"][0]["links"]
    assert len(links) == 9
    for link in links:
        assert link["status"] == "skipped"
        assert link["detail"] == "offline"
        assert link["http_status"] is None
        assert link["final_url"] is None
        assert link["archive"] is None


def test_archive_timestamp_is_utc() -> None:
    moscow = dt.timezone(dt.timedelta(hours=3))
    captures = {
        "naive": ArchiveCapture("https://web.archive.org/a", dt.datetime(2024, 1, 2, 3, 4, 5)),
        "aware": ArchiveCapture("https://web.archive.org/b", dt.datetime(2024, 1, 2, 1, 0, 0, tzinfo=moscow), -3),
    }
    results = {
        url: LinkResult(url, LinkStatus.BROKEN, 410, archive=capture)
        for url, capture in (
            ("https://a.ru/", captures["naive"]),
            ("https://b.ru/", captures["aware"]),
        )
    }
    audit = Audit(
        Document("a.txt", "utf-8", 1),
        links=(Link("https://a.ru/"), Link("https://b.ru/")),
        results=results,
        offline=False,
    )
    data = render([audit])
    validate(data)
    archives = [link["archive"] for link in data["documents"][0]["links"]]
    assert archives[0] == {
        "url": "https://web.archive.org/a",
        "timestamp": "2024-01-02T03:04:05Z",
        "days_from_access": None,
    }
    assert archives[1]["timestamp"] == "2024-01-01T22:00:00Z"
    assert archives[1]["days_from_access"] == -3


def test_findings_exact(audit: Audit) -> None:
    findings = render([audit])["documents"][0]["findings"]
    assert len(findings) == 7
    assert findings[2] == {
        "code": "FC201",
        "severity": "warning",
        "message": "URL has tracking parameters (ysclid)",
        "line": 82,
        "footnote": 5,
        "url": URL_UNCHECKED,
        "suggestion": "https://tass.ru/mezhdunarodnaya-panorama/17556937",
        "location": {"line": 82, "footnote": 5},
    }
    assert {f["severity"] for f in findings} == {"error", "warning", "info"}
    assert findings[-1]["line"] is None
    assert findings[-1]["footnote"] is None
    assert findings[-1]["location"] == {}


def test_location_in_source_terms() -> None:
    """A DOCX item is located by paragraph and note, a PDF one by page and line."""
    note = Footnote(number=2, line=3, text="Сноска.")
    docx = Document("a.docx", "utf-8", 3, footnotes=(note,), format="docx",
                    line_locations=(Location(paragraph=1), Location(paragraph=2), Location(paragraph=7)))
    finding = Finding("FC201", Severity.WARNING, "x", line=3, footnote=2)
    data = render([Audit(docx, findings=(finding,))])
    validate(data)
    doc = data["documents"][0]
    assert doc["format"] == "docx"
    assert doc["footnotes"][0]["location"] == {"paragraph": 7, "footnote": 2}
    assert doc["findings"][0]["location"] == {"paragraph": 7, "footnote": 2}
    pdf = Document("a.pdf", "utf-8", 1, format="pdf", line_locations=(Location(line=12, page=4),))
    data = render([Audit(pdf, findings=(Finding("FC101", Severity.ERROR, "y", line=1),))])
    validate(data)
    assert data["documents"][0]["findings"][0]["location"] == {"line": 12, "page": 4}


def test_summary(audit: Audit, offline_audit: Audit, empty_audit: Audit) -> None:
    assert render([audit])["summary"] == {
        "documents": 1,
        "footnotes": 5,
        "citations": 5,
        "links": 9,
        "errors": 3,
        "warnings": 2,
        "info": 2,
    }
    assert render([audit, offline_audit, empty_audit])["summary"] == {
        "documents": 3,
        "footnotes": 10,
        "citations": 10,
        "links": 18,
        "errors": 5,
        "warnings": 3,
        "info": 2,
    }


def test_empty_document_and_no_documents(empty_audit: Audit) -> None:
    data = render([empty_audit])
    validate(data)
    document = data["documents"][0]
    assert document["encoding"] == "cp1251"
    assert all(document[key] == [] for key in ("footnotes", "citations", "references", "links"))
    data = render([])
    validate(data)
    assert data["documents"] == []
    assert data["summary"]["documents"] == 0


def test_output_is_utf8_not_ascii_escaped(audit: Audit) -> None:
    out = io.StringIO()
    get_reporter("json").render([audit], out, version="0.1.0")
    text = out.getvalue()
    assert "Барабанов" in text
    assert "\\u04" not in text
    text.encode("utf-8")


def test_lone_surrogates_do_not_break_the_report() -> None:
    note = Footnote(number=1, line=1, text="битый \udcff байт")
    out = io.StringIO()
    get_reporter("json").render([Audit(Document("a.txt", "utf-8", 1, footnotes=(note,)))], out, version="0.1.0")
    out.getvalue().encode("utf-8")  # would raise on a surrogate
    assert json.loads(out.getvalue())["documents"][0]["footnotes"][0]["text"] == "битый \ufffd байт"


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(schema_version=2),
        lambda d: d["summary"].pop("info"),
        lambda d: d["documents"][0]["links"][0].update(status="dead"),
        lambda d: d["documents"][0]["links"][3]["archive"].update(timestamp="2023-12-20 14:03"),
        lambda d: d["documents"][0]["footnotes"][0].update(access_dates=["23.12.2023"]),
        lambda d: d["documents"][0]["findings"][0].update(severity="fatal"),
        lambda d: d["documents"][0]["footnotes"][0].update(extra=1),
    ],
    ids=["version", "summary-key", "status", "timestamp", "date", "severity", "extra-key"],
)
def test_schema_rejects_wrong_shapes(audit: Audit, mutate: Any) -> None:
    data = render([audit])
    validate(data)
    mutate(data)
    with pytest.raises(jsonschema.ValidationError):
        validate(data)


def test_mentions_with_repeated_url_are_listed_once() -> None:
    url = "https://example.ru/a"
    note = Footnote(number=1, line=1, text="…", urls=(UrlMention(url, 1), UrlMention(url, 2)))
    data = render([Audit(Document("a.txt", "utf-8", 2, footnotes=(note,)), links=(Link(url),))])
    validate(data)
    assert data["documents"][0]["footnotes"][0]["urls"] == [url]


def test_citation_reference_is_the_entry_index_not_a_position() -> None:
    from footcheck.model import Citation, Reference

    references = (
        Reference(1, 50, "Иванов И.И. Книга. М., 2001.", year="2001"),
        Reference(2, 51, "Петров П.П. Статья. 2005.", year="2005"),
        Reference(1, 60, "Ivanov I.I. Kniga. Moscow, 2001.", year="2001", transliterated=True),
        Reference(2, 61, "Petrov P.P. Stat'ya. 2005.", year="2005", transliterated=True),
    )
    citations = (
        Citation("Петров 2005", 3, authors=("Петров",), year="2005", reference=1),
        Citation("Сидоров 2010", 4, authors=("Сидоров",), year="2010", reference=None),
        Citation("Иванов 2001", 5, authors=("Иванов",), year="2001", reference=99),  # out of range
    )
    data = render([Audit(Document("a.txt", "utf-8", 70, citations=citations, references=references))])
    validate(data)
    assert [c["reference"] for c in data["documents"][0]["citations"]] == [2, None, None]
