"""FC71x: what the DOI registries said about the entries and footnotes (online only).

Pure: the registry stage (``footcheck.registry``) produces a
:class:`~footcheck.model.RegistryResult` per entry and per footnote DOI; this module turns
them into findings and never imports that stage.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from footcheck.excerpt import excerpt
from footcheck.model import Document, Finding, RegistryResult, RegistryStatus, Severity
from footcheck.rules.interface import RuleInfo, rule

RETRACTION_KINDS = frozenset({"retraction", "withdrawal", "removal", "partial_retraction", "retracted"})
CONCERN_KINDS = frozenset({"expression_of_concern", "expression-of-concern", "concern"})

NOT_FOUND = rule(
    "FC711", "doi-not-found", Severity.ERROR,
    "The DOI is not registered.",
    """doi.org's handle service has no such DOI (responseCode 100): it resolves nowhere. It was
    mistyped, copied with a character missing, or invented; a DOI announced by a journal but
    never deposited looks the same. footcheck asks the handle API, not the publisher's page
    (which often refuses automated clients).""",
    example="DOI: 10.12345/polis.2019.03.99 — doi.org: no such handle",
    fix="Copy the DOI from the publisher's page or search it by title on search.crossref.org.",
)
OTHER_WORK = rule(
    "FC712", "doi-other-work", Severity.ERROR,
    "The DOI belongs to another work.",
    """The DOI exists, but its registry record is a different work: its title does not
    match the entry's and its author or year differ too. Usually the DOI of the neighbouring
    article in the same issue, or of another entry of the list. The comparison is
    transliteration-aware (a record in Latin script is compared with the transliterated entry
    and with its translated title in References).""",
    example="Иванов И. И. Политика регионов … DOI: 10.12345/x1 — the record is «Rivers of Siberia» (Petrov, 2015)",
    fix="Put the DOI of the cited work, or remove the wrong one.",
)
RECORD_DIFFERS = rule(
    "FC713", "doi-record-differs", Severity.WARNING,
    "The DOI's record is the cited work, but its year or author differs from the entry.",
    """The title agrees but the year or the first author does not (or the reverse: the author
    and year agree, the title does not). A year apart is often the online-first date against
    the issue's; another first author often a wrong order of authors in the entry.""",
    example="entry year 2018, record issued 2019",
    fix="Check the entry against the record and correct the year, the authors or the title.",
)
RETRACTED = rule(
    "FC714", "retracted-source", Severity.ERROR,
    "The cited work has been retracted.",
    """A retraction (or withdrawal) notice in the registry points at the work. A retracted
    work must not be cited as evidence; a citation of it needs to say that it is retracted.
    Crossref records such notices on the notice itself (`update-to`), so footcheck asks for
    the notices that update the DOI (`works?filter=updates:DOI`).""",
    example="DOI: 10.12345/abc-1 — retraction notice 10.12345/abc-1-r (2022-05-01)",
    fix="Remove the citation, or replace it with sound work; if it must stay, mark it as retracted.",
)
CORRECTED = rule(
    "FC715", "corrected-source", Severity.INFO,
    "The cited work has a correction, an erratum or an addendum.",
    """An update notice that is not a retraction points at the work. Check that what the paper
    takes from the work survives the correction.""",
    example="DOI: 10.12345/abc-2 — correction 10.12345/abc-2-c",
    fix="Read the correction; cite it too if it changes what is cited.",
)
CONCERN = rule(
    "FC716", "expression-of-concern", Severity.WARNING,
    "The cited work has an expression of concern.",
    """The publisher has published an expression of concern about the work: its reliability is
    in question while an investigation runs.""",
    example="DOI: 10.12345/abc-3 — expression of concern 10.12345/abc-3-e",
    fix="Cite it with caution and say so, or cite other work.",
)
SUGGESTED = rule(
    "FC717", "doi-suggested", Severity.INFO,
    "An entry has no DOI, and the registry has one for it.",
    """Journals ask for a DOI wherever the work has one. The registry's bibliographic search
    found a record whose title, year and first author all agree with the entry (the bar is set
    for precision: a suggestion that is not certain is not made). The DOI is only suggested,
    never added to anything.""",
    example="Иванов И. И. Политика регионов // Полис. 2019. № 3. — suggested DOI 10.12345/polis.2019.03.02",
    fix="Check the record and add «DOI: …» to the entry.",
)
UNAVAILABLE = rule(
    "FC718", "registry-unavailable", Severity.WARNING,
    "A DOI could not be verified: the registry failed or answered something unreadable.",
    """The registry did not answer in time, refused after retries (429, 5xx) or sent an answer
    that is not what its API documents. Nothing is known about the DOI; run again later.""",
    example="Crossref answered HTTP 503 (after 3 tries)",
    fix="Run footcheck again later, or check the DOI by hand.",
)


def _where(index: int | None, footnote: int | None) -> str:
    return f"entry {index}" if index is not None else f"footnote {footnote}"


def _work(result: RegistryResult) -> str:
    bits = [f"«{result.title}»" if result.title else "untitled"]
    if result.authors:
        bits.append(result.authors[0] + (" et al." if len(result.authors) > 1 else ""))
    if result.year:
        bits.append(result.year)
    return ", ".join(bits)


def result_findings(result: RegistryResult, *, line: int | None, cited: str, index: int | None = None,
                    footnote: int | None = None) -> list[Finding]:
    where = _where(index, footnote)
    doi = result.doi

    def make(info: RuleInfo, message: str, suggestion: str | None = None) -> Finding:
        return info.finding(message, line=line, footnote=footnote, suggestion=suggestion,
                            url=f"https://doi.org/{doi}" if doi else None)

    out: list[Finding] = []
    status = result.status
    if status is RegistryStatus.NOT_FOUND:
        out.append(make(NOT_FOUND, f"{where}: DOI {doi} is not registered (doi.org has no such handle)"))
    elif status is RegistryStatus.MISMATCH and result.detail.startswith("other-work"):
        out.append(make(OTHER_WORK, f"{where}: DOI {doi} belongs to another work: {_work(result)}; "
                                    f"the {where.split()[0]} cites «{excerpt(cited, 80)}»"))
    elif status is RegistryStatus.MISMATCH:
        why = result.detail.split(": ", 1)[-1]
        out.append(make(RECORD_DIFFERS, f"{where}: the record of DOI {doi} ({_work(result)}) differs: {why}"))
    elif status is RegistryStatus.UNVERIFIED and result.suggested_doi:
        out.append(make(SUGGESTED, f"{where} has no DOI; the registry has {result.suggested_doi} for it: "
                                   f"{_work(result)}", suggestion=f"DOI: {result.suggested_doi}"))
    elif status is RegistryStatus.UNVERIFIED and doi and result.title is None and result.detail.startswith(
            ("registered, but",)):
        pass  # registered; no agency gave metadata to compare: nothing to report
    elif status is RegistryStatus.UNVERIFIED and doi and result.title is None:
        out.append(make(UNAVAILABLE, f"{where}: DOI {doi} could not be verified: {result.detail}"))
    if status in (RegistryStatus.MISMATCH, ) and result.detail.startswith("other-work"):
        return out  # notices of another work are not this entry's business
    for notice in result.notices:
        when = f" ({notice.date})" if notice.date else ""
        kind = notice.kind.replace("_", " ")
        if notice.kind in RETRACTION_KINDS and doi and notice.doi.lower() == doi.lower():
            out.append(make(RETRACTED, f"{where} cites a retracted work: the record of DOI {doi} is marked "
                                       f"{kind.replace('retraction', 'retracted').replace('withdrawal', 'withdrawn')}"))
        elif notice.kind in RETRACTION_KINDS:
            out.append(make(RETRACTED, f"{where} cites a retracted work: DOI {doi} has a {kind} notice "
                                       f"{notice.doi}{when}"))
        elif notice.kind in CONCERN_KINDS:
            out.append(make(CONCERN, f"{where}: DOI {doi} has an expression of concern {notice.doi}{when}"))
        else:
            out.append(make(CORRECTED, f"{where}: DOI {doi} has a {kind} {notice.doi}{when}"))
    return out


def registry_findings(
    doc: Document, references: Mapping[int, RegistryResult], footnotes: Sequence[tuple[int, RegistryResult]],
) -> list[Finding]:
    findings: list[Finding] = []
    for k, result in sorted(references.items()):
        ref = doc.references[k]
        findings += result_findings(result, line=ref.line, cited=ref.text, index=ref.index)
    by_number = {fn.number: fn for fn in doc.footnotes}
    for number, result in footnotes:
        fn = by_number.get(number)
        findings += result_findings(result, line=fn.line if fn else None, cited=fn.text if fn else "",
                                    footnote=number)
    return findings
