"""FC1xx: footnote markers, bodies, numbering and repeats."""

from __future__ import annotations

from footcheck.excerpt import excerpt
from footcheck.model import Document, Finding, Footnote, Severity
from footcheck.rules.context import RuleContext
from footcheck.rules.interface import implements, rule

MARKER_WITHOUT_BODY = rule(
    "FC101", "marker-without-body", Severity.ERROR,
    "A footnote marker in the text has no footnote body.",
    """The text carries a footnote mark (a number glued to a word, such as `страны3.`) but no
    footnote with that number was found at a page bottom. The note was lost in layout, or the
    mark is a typo. Readers following the mark find nothing.""",
    example="…между странами3.  (no line starting with «3 …» on that page)",
    fix="Restore the missing footnote or remove the mark.",
)
BODY_WITHOUT_MARKER = rule(
    "FC102", "body-without-marker", Severity.ERROR,
    "A footnote body has no marker pointing to it in the text.",
    """A footnote body (a line at a page bottom starting with its number) exists but no mark
    with that number was found in the running text. The mark was dropped during editing, so the
    note is attached to nothing.""",
    example="4 Доклад о развитии… (дата обращения: 01.02.2024).   (no «…4» in the text)",
    fix="Put the mark back where the source is used, or delete the orphan note.",
)
NUMBERING_GAP = rule(
    "FC103", "numbering-gap", Severity.WARNING,
    "Footnote numbers skip a value.",
    """Footnote bodies run 1, 2, 4: number 3 is missing. Either a note was deleted without
    renumbering or the PDF lost it. Journals renumber notes before publication.""",
    example="bodies 1, 2, 4",
    fix="Renumber the notes, or restore the missing one.",
)
DUPLICATE_NUMBER = rule(
    "FC104", "duplicate-footnote-number", Severity.ERROR,
    "Two footnote bodies carry the same number.",
    """Two bodies share one number in a document whose numbering runs through the whole text.
    One of them is unreachable from its mark.""",
    example="3 Первый источник…  3 Второй источник…",
    fix="Renumber the notes.",
)
OUT_OF_ORDER = rule(
    "FC105", "marker-out-of-order", Severity.WARNING,
    "Footnote markers do not run in increasing order.",
    """Markers appear in the text as 1, 3, 2: the notes were moved without renumbering. GOST R
    7.0.5-2008 numbers footnotes in the order they are referred to.""",
    example="…текст1 … текст3 … текст2",
    fix="Renumber the notes in reading order.",
)
REPEAT_WITHOUT_ANTECEDENT = rule(
    "FC106", "repeat-without-antecedent", Severity.ERROR,
    "«Там же», «Ibid.» or «Указ. соч.» has nothing to repeat.",
    """A repeated reference (GOST R 7.0.5-2008 §5) must follow the full reference it shortens:
    «Там же» the immediately preceding note, «Указ. соч.» an earlier note by the same author.
    This one has none — often the first note of the paper, or a note moved away from its source.""",
    example="1 Там же. С. 3.",
    fix="Replace the repeat with the full reference.",
)


@implements(BODY_WITHOUT_MARKER)
def bodies_without_markers(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        BODY_WITHOUT_MARKER.finding(
            f"footnote {fn.number} has no marker in the text", line=fn.line, footnote=fn.number)
        for fn in doc.footnotes if not fn.marker_lines
    ]


@implements(REPEAT_WITHOUT_ANTECEDENT)
def repeats_without_antecedent(doc: Document, ctx: RuleContext) -> list[Finding]:
    return [
        REPEAT_WITHOUT_ANTECEDENT.finding(
            f"footnote {fn.number} repeats a reference («{excerpt(fn.text, 40)}») but no earlier note"
            " can be the one repeated", line=fn.line, footnote=fn.number)
        for fn in doc.footnotes if fn.ibid and fn.refers_to is None
    ]


@implements(MARKER_WITHOUT_BODY)
def markers_without_bodies(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    paired = {(fn.number, line) for fn in doc.footnotes for line in fn.marker_lines}
    body_keys = {(fn.number, fn.page) if doc.per_page_numbering else fn.number for fn in doc.footnotes}
    for m in doc.markers:
        key = (m.number, m.page) if doc.per_page_numbering else m.number
        if (m.number, m.line) not in paired and key not in body_keys:
            findings.append(MARKER_WITHOUT_BODY.finding(
                f"marker {m.number} has no footnote body", line=m.line, footnote=m.number))
    return findings


@implements(NUMBERING_GAP, DUPLICATE_NUMBER)
def numbering(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    groups: dict[int, list[Footnote]] = {}
    for fn in doc.footnotes:
        groups.setdefault(fn.page if doc.per_page_numbering else 0, []).append(fn)
    for notes in groups.values():
        prev = None
        seen: set[int] = set()
        for fn in notes:
            if fn.number in seen:
                findings.append(DUPLICATE_NUMBER.finding(
                    f"footnote number {fn.number} is used twice", line=fn.line, footnote=fn.number))
            elif prev is not None and fn.number > prev + 1:
                missing = ", ".join(str(n) for n in range(prev + 1, fn.number))
                findings.append(NUMBERING_GAP.finding(
                    f"footnotes jump from {prev} to {fn.number} (missing: {missing})",
                    line=fn.line, footnote=fn.number))
            seen.add(fn.number)
            prev = fn.number if prev is None else max(prev, fn.number)
    return findings


@implements(OUT_OF_ORDER)
def order(doc: Document, ctx: RuleContext) -> list[Finding]:
    findings: list[Finding] = []
    last = 0
    last_page = None
    for m in doc.markers:
        if doc.per_page_numbering and m.page != last_page:
            last, last_page = 0, m.page
        if m.number < last:
            findings.append(OUT_OF_ORDER.finding(
                f"marker {m.number} comes after marker {last}", line=m.line, footnote=m.number))
        last = max(last, m.number)
    return findings
