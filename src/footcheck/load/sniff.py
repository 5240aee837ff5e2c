"""Which format a file is, from its first bytes: one function per built-in reader.

They live apart from the readers so that choosing a reader imports none of them: a
plain-text paper never loads the PDF, DOCX or LaTeX code (start-up time, issue 13).
Each reader's ``sniff`` is the function of the same name here.
"""

from __future__ import annotations

import re

_HTML = re.compile(rb"<(?:!doctype\s+html|html|body|head)\b", re.IGNORECASE)
_LATEX = re.compile(
    rb"\\(?:documentclass|begin\{document\}|footnote\s*[{\[]|section\*?\s*\{|chapter\*?\s*\{|usepackage)")
_MD_DEFINITION = re.compile(rb"^\[\^[^\]\s]{1,40}\]:", re.MULTILINE)
_MD_REF = re.compile(rb"\[\^[^\]\s]{1,40}\]")
_MD_HEADING = re.compile(rb"^#{1,6} \S", re.MULTILINE)
_MD_LINK = re.compile(rb"\]\((?:https?://|\./|/)")
ODT_MIME = b"application/vnd.oasis.opendocument.text"


def pdf(head: bytes, name: str) -> bool:
    return b"%PDF-" in head[:1024]


def docx(head: bytes, name: str) -> bool:
    if not head.startswith(b"PK\x03\x04"):
        return False
    # the local header names of the first members are in the head; a DOCX has word/
    # parts and [Content_Types].xml; an ODT says its mimetype first
    return b"word/" in head or (name.lower().endswith((".docx", ".docm")) and b"mimetype" not in head[:80])


def odt(head: bytes, name: str) -> bool:
    return head.startswith(b"PK\x03\x04") and ODT_MIME in head[:200] and b"opendocument.text-" not in head[:200]


def html(head: bytes, name: str) -> bool:
    if _HTML.search(head[:4096]):
        return True
    return name.lower().endswith((".html", ".htm", ".xhtml")) and b"<" in head[:4096]


def latex(head: bytes, name: str) -> bool:
    if name.lower().endswith((".tex", ".latex", ".ltx")):
        return True
    return len(_LATEX.findall(head)) >= 1 and head.lstrip()[:1] != b"<"


def markdown(head: bytes, name: str) -> bool:
    if head.lstrip()[:1] == b"<":
        return False  # HTML
    if name.lower().endswith((".md", ".markdown", ".mdown", ".mkd")):
        return True
    if _MD_DEFINITION.search(head):
        return True
    return len(_MD_REF.findall(head)) >= 2 and bool(_MD_HEADING.search(head) or _MD_LINK.search(head))
