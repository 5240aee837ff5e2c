"""A minimal DOCX writer for tests: paragraphs of pieces, footnotes and endnotes, external
hyperlinks (relationships and HYPERLINK fields), tracked changes and comments.

A piece is a string (plain text) or a tuple:
  ("fn", pieces) / ("en", pieces)   a footnote / endnote reference; its body is ``pieces``
  ("fn*", mark, pieces)             a footnote with a custom mark
  ("link", shown, url)              a w:hyperlink with a relationship
  ("field", shown, url)             a HYPERLINK field (begin / instrText / separate / end)
  ("del", text) / ("ins", text)     tracked deletion / insertion
  ("comment", text)                 a comment anchored here (its text goes to comments.xml)
``order`` lets footnotes.xml store the bodies in another order than they are referenced.
"""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')


class _Part:
    def __init__(self) -> None:
        self.rels: list[tuple[str, str]] = []

    def rel(self, url: str) -> str:
        rid = f"rId{len(self.rels) + 10}"
        self.rels.append((rid, url))
        return rid

    def rels_xml(self) -> str:
        items = "".join(f'<Relationship Id="{rid}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                        f'relationships/hyperlink" Target={quoteattr(url)} TargetMode="External"/>'
                        for rid, url in self.rels)
        return ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                f'package/2006/relationships">{items}</Relationships>')


def _t(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


class DocxWriter:
    def __init__(self) -> None:
        self.doc = _Part()
        self.notes = {"fn": _Part(), "en": _Part()}
        self.bodies: dict[str, list[tuple[int, str]]] = {"fn": [], "en": []}
        self.comments: list[str] = []
        self.next_id = {"fn": 1, "en": 1}

    def _pieces(self, pieces: list, part: _Part) -> str:
        out = []
        for p in pieces:
            if isinstance(p, str):
                out.append(_t(p))
                continue
            kind = p[0]
            if kind in ("fn", "en", "fn*"):
                base = "fn" if kind == "fn*" else kind
                nid = self.next_id[base]
                self.next_id[base] += 1
                tag = "footnote" if base == "fn" else "endnote"
                mark = p[1] if kind == "fn*" else None
                body_pieces = p[2] if kind == "fn*" else p[1]
                ref_run = "" if mark else f"<w:r><w:{tag}Ref/></w:r>"
                inner = self._pieces(body_pieces, self.notes[base])
                body = f"<w:p>{ref_run}{_t(mark + ' ') if mark else ''}{inner}</w:p>"
                self.bodies[base].append((nid, body))
                custom = ' w:customMarkFollows="1"' if mark else ""
                out.append(f'<w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr>'
                           f'<w:{tag}Reference w:id="{nid}"{custom}/></w:r>')
                if mark:
                    out.append(_t(mark))
            elif kind == "link":
                out.append(f'<w:hyperlink r:id="{part.rel(p[2])}">{_t(p[1])}</w:hyperlink>')
            elif kind == "field":
                out.append('<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
                           f'<w:r><w:instrText xml:space="preserve"> HYPERLINK "{escape(p[2])}" </w:instrText></w:r>'
                           '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
                           f'{_t(p[1])}<w:r><w:fldChar w:fldCharType="end"/></w:r>')
            elif kind == "del":
                out.append(f'<w:del w:id="90" w:author="A"><w:r><w:delText>{escape(p[1])}</w:delText></w:r></w:del>')
            elif kind == "ins":
                out.append(f'<w:ins w:id="91" w:author="A">{_t(p[1])}</w:ins>')
            elif kind == "comment":
                cid = len(self.comments)
                self.comments.append(p[1])
                out.append(f'<w:commentRangeStart w:id="{cid}"/><w:commentRangeEnd w:id="{cid}"/>'
                           f'<w:r><w:commentReference w:id="{cid}"/></w:r>')
        return "".join(out)

    def build(self, paragraphs: list[list], *, order: list[int] | None = None,
              table: list[list[list]] | None = None, numbered: frozenset[int] = frozenset()) -> bytes:
        """``numbered``: indices of paragraphs in a Word auto-numbered list ("1.", "2.", ...)."""
        num_pr = '<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>'
        body = "".join(f"<w:p>{num_pr if i in numbered else ''}{self._pieces(p, self.doc)}</w:p>"
                       for i, p in enumerate(paragraphs))
        if table:
            rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p>{self._pieces(c, self.doc)}</w:p></w:tc>" for c in row)
                           + "</w:tr>" for row in table)
            body += f"<w:tbl>{rows}</w:tbl>"
        files = {
            "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/'
                                   '2006/content-types"/>',
            "word/document.xml": f'<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}'
                                 '<w:sectPr/></w:body></w:document>',
            "word/_rels/document.xml.rels": self.doc.rels_xml(),
        }
        for base, tag in (("fn", "footnote"), ("en", "endnote")):
            items = self.bodies[base]
            if order and base == "fn":
                items = [items[i] for i in order]
            sep = (f'<w:{tag} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{tag}>'
                   f'<w:{tag} w:type="continuationSeparator" w:id="0"><w:p/></w:{tag}>')
            notes = "".join(f'<w:{tag} w:id="{nid}">{b}</w:{tag}>' for nid, b in items)
            files[f"word/{tag}s.xml"] = f'<?xml version="1.0" encoding="UTF-8"?><w:{tag}s {NS}>{sep}{notes}</w:{tag}s>'
            files[f"word/_rels/{tag}s.xml.rels"] = self.notes[base].rels_xml()
        if numbered:
            files["word/numbering.xml"] = (
                f'<?xml version="1.0"?><w:numbering {NS}><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0">'
                '<w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl></w:abstractNum>'
                '<w:num w:numId="3"><w:abstractNumId w:val="0"/></w:num></w:numbering>')
        if self.comments:
            files["word/comments.xml"] = (f'<?xml version="1.0"?><w:comments {NS}>' + "".join(
                f'<w:comment w:id="{i}"><w:p>{_t(c)}</w:p></w:comment>' for i, c in enumerate(self.comments))
                + "</w:comments>")
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, text in files.items():
                zf.writestr(name, text)
        return buf.getvalue()


def make_docx(paragraphs: list[list], **kw: object) -> bytes:
    return DocxWriter().build(paragraphs, **kw)  # type: ignore[arg-type]
