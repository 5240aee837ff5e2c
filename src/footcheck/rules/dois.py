"""FC70x: DOIs as printed (offline). The registry's verdicts are FC71x (rules/registry.py)."""

from __future__ import annotations

from footcheck.model import Document, Finding, Severity
from footcheck.parse.dois import doi_key
from footcheck.rules.context import RuleContext
from footcheck.rules.interface import rule

MALFORMED_DOI = rule(
    "FC701", "malformed-doi", Severity.ERROR,
    "A DOI is printed but is not a well-formed DOI.",
    """A DOI starts with the directory code `10.`, four to nine digits, a slash and the
    suffix the registrant gave (`10.12345/abc-2020-1-5`). What is printed after the `DOI:`
    label or the doi.org link here is not one: the prefix is too short, a letter stands where a
    digit should (`1O.`), the suffix is missing, or a Cyrillic letter that looks like a Latin one
    slipped in (`С` for `S`), which makes the DOI resolve nowhere. Line breaks, hyphens at the
    end of a line and spaces around dots and slashes are rebuilt before the check.""",
    example="DOI: 10.123/abc  ·  DOI: 10.12345/С0131  (Cyrillic С)",
    fix="Copy the DOI from the publisher's page or the registry record, in Latin letters.",
)
DUPLICATE_DOI = rule(
    "FC702", "duplicate-doi", Severity.WARNING,
    "Two entries of the reference list carry the same DOI.",
    """A DOI names one work, so two different entries with the same DOI mean that one of
    them has the DOI of the other (a copy-paste slip). The transliterated «References» twin of
    an entry may of course repeat its DOI and is not counted.""",
    example="3. Иванов … DOI: 10.12345/a1  ·  7. Петров … DOI: 10.12345/a1",
    fix="Look both works up and correct the DOI of the wrong one.",
)


def check(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    for ref in doc.references:
        for m in ref.doi_mentions:
            if m.doi is None:
                findings.append(MALFORMED_DOI.finding(
                    f"entry {ref.index}: malformed DOI «{m.raw}»: {m.problem}", line=m.line))
    for fn in doc.footnotes:
        for m in fn.doi_mentions:
            if m.doi is None:
                findings.append(MALFORMED_DOI.finding(
                    f"footnote {fn.number}: malformed DOI «{m.raw}»: {m.problem}", line=m.line,
                    footnote=fn.number))
    first: dict[str, int] = {}
    for k, ref in enumerate(doc.references):
        if ref.transliterated or ref.doi is None:
            continue
        key = doi_key(ref.doi)
        if key in first:
            other = doc.references[first[key]]
            findings.append(DUPLICATE_DOI.finding(
                f"entries {other.index} and {ref.index} both carry the DOI {ref.doi}", line=ref.line))
        else:
            first[key] = k
    return findings
