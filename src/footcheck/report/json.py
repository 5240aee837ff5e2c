"""The JSON report (schema_version 1): the stable, machine-readable contract.

The shape is fixed by ``schema.json`` next to this module; anything added later must be
an optional key or come with a new ``schema_version``. Text is written as it is in the
document (JSON escaping is exact), UTF-8, not ASCII-escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any, TextIO

from footcheck.model import (
    ArchiveCapture,
    Audit,
    Citation,
    Document,
    Finding,
    Footnote,
    Reference,
    RegistryResult,
)
from footcheck.report._common import (
    footnote_access_dates,
    iso_date,
    iso_timestamp,
    link_view,
    matched_reference,
    reference_access_dates,
    summary_counts,
    unique_urls,
)

SCHEMA_VERSION = 1
TOOL = "footcheck"

# A lone surrogate (text decoded with errors="surrogateescape") cannot be written as
# UTF-8; it is shown as the replacement character rather than failing the whole report.
_SURROGATE = re.compile("[\ud800-\udfff]")


def write_json(data: Any, out: TextIO) -> None:
    """Indented UTF-8 JSON (not ASCII-escaped: the papers are Russian) and a newline."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    out.write(_SURROGATE.sub("\ufffd", text))
    out.write("\n")


def location_dict(document: Document, line: int | None, footnote: int | None = None) -> dict[str, int]:
    """The ``location`` object: where an item is in the user's source, in its format's
    terms (a DOCX paragraph and note, a PDF page and line), only the parts known."""
    where = document.locate(line, footnote)
    return {key: value for key, value in (("line", where.line), ("page", where.page),
                                          ("paragraph", where.paragraph), ("footnote", where.footnote))
            if value is not None}


def _footnote(footnote: Footnote) -> dict[str, Any]:
    return {
        "number": footnote.number,
        "line": footnote.line,
        "marker_lines": list(footnote.marker_lines),
        "text": footnote.text,
        "urls": unique_urls(u.url for u in footnote.urls),
        "access_dates": [iso_date(d) for d in footnote_access_dates(footnote)],
        "ibid": footnote.ibid,
        "refers_to": footnote.refers_to,
        "dois": list(footnote.dois),
    }


def _citation(citation: Citation, document: Document) -> dict[str, Any]:
    # "reference" names the matched entry by its "index", the key the entry carries in
    # references[] (the parser's 0-based position would read as an off-by-one there).
    entry = matched_reference(document, citation)
    return {
        "raw": citation.raw,
        "line": citation.line,
        "authors": list(citation.authors),
        "year": citation.year,
        "locator": citation.locator,
        "reference": entry.index if entry is not None else None,
        # Additions the shape leaves room for: what kind of citation it is,
        # the entry numbers of a numeric one, the citation a [Там же] repeats.
        "kind": citation.kind,
        "numbers": list(citation.numbers),
        "refers_to": citation.refers_to,
    }


def _reference(reference: Reference, registry: RegistryResult | None) -> dict[str, Any]:
    return {
        "index": reference.index,
        "line": reference.line,
        "text": reference.text,
        "year": reference.year,
        "urls": unique_urls(u.url for u in reference.urls),
        "access_dates": [iso_date(d) for d in reference_access_dates(reference)],
        "doi": reference.doi,
        "registry": _registry(registry),
    }


def _registry(result: RegistryResult | None) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "status": result.status.value,
        "title": result.title,
        "year": result.year,
        "authors": list(result.authors),
        "score": None if result.score is None else round(result.score, 3),
        "suggested_doi": result.suggested_doi,
        "agency": result.agency,
        "notices": [{"doi": n.doi, "kind": n.kind, "date": n.date} for n in result.notices],
        "detail": result.detail,
    }


def _archive(capture: ArchiveCapture | None) -> dict[str, Any] | None:
    if capture is None:
        return None
    return {
        "url": capture.url,
        "timestamp": iso_timestamp(capture.timestamp),
        "days_from_access": capture.days_from_access,
    }


def _finding(finding: Finding) -> dict[str, Any]:
    return {
        "code": finding.code,
        "severity": str(getattr(finding.severity, "value", finding.severity)),
        "message": finding.message,
        "line": finding.line,
        "footnote": finding.footnote,
        "url": finding.url,
        "suggestion": finding.suggestion,
    }


def document_dict(audit: Audit) -> dict[str, Any]:
    document = audit.document
    links = []
    for link in audit.links:
        view = link_view(audit, link)
        links.append(
            {
                "url": link.url,
                "footnotes": list(link.footnotes),
                "references": list(link.references),
                "access_date": iso_date(link.access_date),
                "status": view.status.value,
                "http_status": view.http_status,
                "final_url": view.final_url,
                "detail": view.detail,
                "archive": _archive(view.archive),
            }
        )
    footnotes = [_footnote(f) for f in document.footnotes]
    citations = [_citation(c, document) for c in document.citations]
    repeats = [_citation(c, document) for c in document.repeats]
    references = [_reference(r, audit.registry.get(k)) for k, r in enumerate(document.references)]
    findings = [_finding(f) for f in audit.findings]
    for item, fn in zip(footnotes, document.footnotes, strict=True):
        item["location"] = location_dict(document, fn.line, fn.number)
    for item, c in zip(citations, document.citations, strict=True):
        item["location"] = location_dict(document, c.line)
    for item, c in zip(repeats, document.repeats, strict=True):
        item["location"] = location_dict(document, c.line)
    for item, r in zip(references, document.references, strict=True):
        item["location"] = location_dict(document, r.line)
    for item, f in zip(findings, audit.findings, strict=True):
        item["location"] = location_dict(document, f.line, f.footnote)
    return {
        "path": document.path,
        "encoding": document.encoding,
        "format": document.format,
        "footnotes": footnotes,
        "citations": citations,
        # bracket repeats ([Там же, с. 5]): not sources of their own, so not among the citations
        "repeats": repeats,
        "references": references,
        "links": links,
        "findings": findings,
    }


def report_dict(audits: Sequence[Audit], *, version: str) -> dict[str, Any]:
    """The whole report as plain Python data, ready for :func:`json.dump`."""
    return {
        "tool": TOOL,
        "version": version,
        "schema_version": SCHEMA_VERSION,
        "documents": [document_dict(a) for a in audits],
        "summary": summary_counts(audits),
    }


class JsonReporter:
    name = "json"

    def render(
        self,
        audits: Sequence[Audit],
        out: TextIO,
        *,
        version: str,
        color: bool | None = None,
        width: int | None = None,
    ) -> None:
        write_json(report_dict(audits, version=version), out)
