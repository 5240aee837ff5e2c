"""FC4xx: bracketed citations matched against the reference list."""

from __future__ import annotations

from footcheck.excerpt import excerpt
from footcheck.model import Citation, Document, Finding, Severity
from footcheck.parse.references import cited_in_footnotes
from footcheck.rules.context import RuleContext
from footcheck.rules.interface import implements, rule

NO_REFERENCE_LIST = rule(
    "FC401", "no-reference-list", Severity.INFO,
    "The paper has bracketed citations but no reference list was found.",
    """Citations such as `[Попов 2016]` point to a list of literature («Список литературы»,
    «Литература», «References», ...). None was found, so the citations cannot be matched. This
    is expected when the text given to footcheck is only the body of the paper; otherwise the
    list is missing or its heading was not recognised.""",
    example="[Иванов 2010] … (and no «Список литературы» section)",
    fix="Add the reference list, or check its heading.",
)
CITATION_WITHOUT_REFERENCE = rule(
    "FC402", "citation-without-reference", Severity.ERROR,
    "A bracketed citation matches no entry of the reference list.",
    """No entry of the list has this author (or title) and year. The entry is missing, the year
    differs between text and list (a common slip), or the surname is spelled differently.
    Matching ignores case, ё/е, initials and Latin/Cyrillic look-alike letters.""",
    example="[Петров 2015] with the list holding «Петров А. Б. … 2016»",
    fix="Add the entry or correct the year or name in one of the two places.",
)
REFERENCE_NEVER_CITED = rule(
    "FC403", "reference-never-cited", Severity.WARNING,
    "A reference list entry is never cited in the text.",
    """Every entry of the list should be referred to at least once (GOST R 7.0.5-2008 links
    end references to the text by отсылки). The transliterated «References» twin of the list is
    not checked, and an entry named in a footnote counts as cited.""",
    example="«Сидоров В. Г. Очерки… 2012.» and no [Сидоров 2012] in the text",
    fix="Cite the entry where it is used, or remove it.",
)
BRACKET_REPEAT_WITHOUT_ANTECEDENT = rule(
    "FC404", "bracket-repeat-without-antecedent", Severity.ERROR,
    "[Там же] or [Ibid.] comes before any other bracketed citation.",
    """A bracketed repeat refers to the previous bracketed citation in the text; this one has
    none before it.""",
    example="[Там же: 12] as the first citation of the paper",
    fix="Replace it with the full author-year citation.",
)


@implements(BRACKET_REPEAT_WITHOUT_ANTECEDENT)
def bracket_repeats(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        BRACKET_REPEAT_WITHOUT_ANTECEDENT.finding(
            f"[{c.raw}] has no earlier bracketed citation to repeat", line=c.line)
        for c in doc.repeats if c.refers_to is None
    ]


def _real(doc: Document) -> tuple[Citation, ...]:
    return doc.citations  # the bracket repeats are apart (doc.repeats): they cite no entry themselves


def _has_list(doc: Document) -> bool:
    return any(not r.transliterated for r in doc.references)


@implements(NO_REFERENCE_LIST)
def no_reference_list(doc: Document, ctx: RuleContext) -> list[Finding]:
    real = _real(doc)
    if not real or _has_list(doc):
        return []
    return [NO_REFERENCE_LIST.finding(
        f"{len(real)} bracketed citation{'s' if len(real) != 1 else ''} but no reference list"
        " was found; citations were not matched", line=real[0].line)]


@implements(CITATION_WITHOUT_REFERENCE)
def unmatched_citations(doc: Document, ctx: RuleContext) -> list[Finding]:
    if not _has_list(doc):
        return []
    return [
        CITATION_WITHOUT_REFERENCE.finding(f"[{c.raw}] matches no entry of the reference list", line=c.line)
        for c in _real(doc) if c.reference is None
    ]


@implements(REFERENCE_NEVER_CITED)
def uncited_references(doc: Document, ctx: RuleContext) -> list[Finding]:
    if not _real(doc) or not _has_list(doc):
        return []
    cited = {c.reference for c in doc.citations if c.reference is not None}
    cited |= cited_in_footnotes(doc.references, [fn.text for fn in doc.footnotes],
                                skip={k for k, r in enumerate(doc.references) if k in cited or r.transliterated})
    return [
        REFERENCE_NEVER_CITED.finding(f"entry {ref.index} ({excerpt(ref.text, 60)}) is never cited", line=ref.line)
        for k, ref in enumerate(doc.references) if not ref.transliterated and k not in cited
    ]
