"""FC0xx: what the reader could not read well. A paper footcheck read badly must never
pass as clean: a replaced byte, markup read as plain text, a notes section with no note
paired, a link whose text names another address, a part of the source left out.

The readers (``load/``) report these as :class:`~footcheck.load.interface.LoadDiagnostic`
objects; :func:`input_findings` turns them into findings and adds the checks that need the
parsed document as well.
"""

from __future__ import annotations

import re

from footcheck.load.interface import Format, LoadedText
from footcheck.model import Document, Finding, Severity
from footcheck.rules.interface import RuleInfo, rule

INVALID_BYTES = rule(
    "FC001", "invalid-bytes-replaced", Severity.WARNING,
    "The file is UTF-8 except for a few invalid bytes, which were replaced.",
    """The paper decodes as UTF-8 everywhere but at a few bytes (a file cut and pasted across
    tools, a damaged transfer). footcheck reads it as UTF-8, shows each bad byte as U+FFFD and
    says where the first one is, rather than guessing a legacy code page for the whole text.
    A URL or name containing the byte may be wrong.""",
    example="…страна\\xff1 …  (one byte that is not UTF-8 in an otherwise UTF-8 file)",
    fix="Re-save the file as UTF-8 and check the text at the line given.",
)
FORMAT_MISREAD = rule(
    "FC002", "markup-read-as-text", Severity.WARNING,
    "The input looks like Markdown, LaTeX or HTML but was read as plain text.",
    """The text carries another format's markup (`[^1]` footnotes, `\\footnote{…}`, `<a href>`) that
    footcheck did not recognise as a whole document of that format, so it was read as plain
    text: notes, links and their targets may be missed and the report is incomplete.""",
    example="Текст[^1] …   (in a file that is not otherwise Markdown)",
    fix="Give the file its proper extension (.md, .tex, .html) or convert it.",
)
NOTES_NOT_PAIRED = rule(
    "FC003", "notes-not-found", Severity.WARNING,
    "The paper has a notes section or note markers, but no footnote was read.",
    """A heading such as «Примечания» or «Сноски» stands in the text, or the format's note marks
    are there, yet not one footnote body was paired with a marker. The notes are in a form the
    parser does not know, so nothing was checked in them: this is not a clean result.""",
    example="Примечания\\n1) Иванов И. И. …   (the notes numbered in a way that was not read)",
    fix="Check the notes by hand, or give footcheck the original DOCX/PDF.",
)
LINK_MISMATCH = rule(
    "FC004", "link-text-mismatch", Severity.WARNING,
    "A link's visible text shows one URL, its target is another.",
    """The document shows a URL as the link's text but the link points somewhere else — often
    the target kept a tracking parameter (`?ysclid=…`, `utm_…`) the text dropped, or the text was
    edited and the link was not. A reader of the printed paper types one address, a reader of
    the file clicks another.""",
    example="text https://example.ru/page, target https://example.ru/page?ysclid=l9x2",
    fix="Make the text and the target the same URL (without tracking parameters).",
)
PART_UNREADABLE = rule(
    "FC005", "source-part-not-read", Severity.WARNING,
    "A part of the source could not be read and was left out.",
    """Something the document refers to was not read: a note whose text is missing from the
    file, a LaTeX `\\input` outside the paper's folder, missing, or including itself, a part too
    large to read. What it holds was not checked.""",
    example="\\input{/etc/passwd}",
    fix="Keep every included file in the paper's folder, or check the part by hand.",
)
CITE_KEY_MISSING = rule(
    "FC006", "cite-key-not-in-bib", Severity.ERROR,
    "A LaTeX \\cite key has no entry in the .bib file beside the paper.",
    """The paper cites a key that the bibliography file does not define, so the printed reference
    list will show `[?]` or a warning instead of the source.""",
    example="\\cite{ivanov2020} with no @book{ivanov2020, …} in paper.bib",
    fix="Add the entry to the .bib file or correct the key.",
)
NO_TEXT_LAYER = rule(
    "FC007", "no-text-layer", Severity.ERROR,
    "The document has pages without any text (a scan): nothing on them was checked.",
    """The pages are images without a text layer, so footnotes, citations and URLs on them cannot
    be read. An empty result for such a paper means nothing was checked, not that it is clean.""",
    example="a PDF made by a scanner",
    fix="Run OCR on the file first, or give footcheck the source document.",
)

_BY_CODE: dict[str, RuleInfo] = {r.code: r for r in (INVALID_BYTES, FORMAT_MISREAD, NOTES_NOT_PAIRED,
                                                     LINK_MISMATCH, PART_UNREADABLE, CITE_KEY_MISSING,
                                                     NO_TEXT_LAYER)}
_NOTES_HEADING = re.compile(r"^[ \t]*(?:примечания|сноски|комментарии|notes|endnotes)[ \t]*:?[ \t]*$",
                            re.IGNORECASE | re.MULTILINE)


def input_findings(loaded: LoadedText, doc: Document) -> list[Finding]:
    """The reader's diagnostics as findings, and a notes section with no note read."""
    findings: list[Finding] = []
    for diag in loaded.diagnostics:
        info = _BY_CODE.get(diag.code)
        if info is None:  # a reader's code this module does not know: still shown
            findings.append(Finding(diag.code, Severity.WARNING, diag.message, diag.location.line,
                                    diag.location.footnote))
            continue
        findings.append(info.finding(diag.message, line=diag.location.line, footnote=diag.location.footnote))
    if not doc.footnotes and loaded.format is Format.TEXT:
        m = _NOTES_HEADING.search(loaded.text)
        if m:
            line = loaded.text.count("\n", 0, m.start()) + 1
            findings.append(NOTES_NOT_PAIRED.finding(
                f"a notes section («{m.group(0).strip()}», line {line}) but no footnote was read from it",
                line=line))
    if not doc.footnotes and doc.markers and loaded.notes is not None:
        findings.append(NOTES_NOT_PAIRED.finding(
            f"{len(doc.markers)} note marker(s) but no note text was found", line=doc.markers[0].line))
    return findings
