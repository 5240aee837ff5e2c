"""The ``unverified`` status (no network) in the data formats: valid JSON under the
shipped schema, a skipped JUnit case, no finding of its own."""

from __future__ import annotations

import io
import json

import jsonschema

from footcheck.model import Audit, Document, Footnote, Link, LinkResult, LinkStatus, UrlMention
from footcheck.report import get_reporter, load_schema

URL = "https://muzei-kraya.example.org/otchet/2022"


def _audit() -> Audit:
    note = Footnote(1, 3, "Отчет музея.", urls=(UrlMention(URL, 3),))
    return Audit(
        Document("a.txt", "utf-8", 5, footnotes=(note,)),
        links=(Link(URL, footnotes=(1,), line=3),),
        results={URL: LinkResult(URL, LinkStatus.UNVERIFIED, detail="no network: the name does not resolve")},
        offline=False,
    )


def test_json_report_with_unverified_links_is_valid() -> None:
    out = io.StringIO()
    get_reporter("json").render([_audit()], out, version="0.1.0")
    data = json.loads(out.getvalue())
    jsonschema.Draft202012Validator(load_schema()).validate(data)
    (link,) = data["documents"][0]["links"]
    assert link["status"] == "unverified" and link["detail"].startswith("no network: ")
    assert data["summary"]["errors"] == 0


def test_junit_counts_an_unverified_link_as_skipped() -> None:
    out = io.StringIO()
    get_reporter("junit").render([_audit()], out, version="0.1.0")
    assert '<skipped message="no network: the name does not resolve" />' in out.getvalue()
