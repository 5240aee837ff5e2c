"""LaTeX: ``\\footnote{…}`` with ``\\url{…}`` and ``\\href{URL}{text}`` inside, ``\\cite`` keys
against the ``.bib`` beside the paper, ``\\input``/``\\include`` followed within its folder.

A small scanner of its own rather than a full TeX parser: real theses leave environments
open, put a space between ``\\url`` and its brace and escape ``\\_`` inside URLs, and the
scanner reads all of that in one linear pass with balanced braces. (pylatexenc's
``latex2text`` was tried and fails on ``\\href`` inside an unclosed ``itemize``.)

``\\input`` is followed only to files inside the paper's own folder, never to an absolute
path elsewhere (``/etc/passwd``), never into a cycle, at most eight levels deep and for at
most :data:`MAX_INCLUDED` bytes in all; a refused or missing file is a diagnostic (FC005).
Included text is inlined in place; its lines are located at the ``\\input`` line of the
paper. The running text keeps the source's line numbers: comments and notes are blanked,
commands dropped, their arguments kept.
"""

from __future__ import annotations

import re
from pathlib import Path

from footcheck.load import sniff
from footcheck.load._common import PART_UNREADABLE
from footcheck.load.interface import (
    Format,
    LinkTarget,
    LoadDiagnostic,
    LoadedText,
    Reader,
    SourceMarker,
    SourceNote,
)
from footcheck.load.text import decode_text
from footcheck.model import Location

CITE_KEY_MISSING = "FC006"
MAX_DEPTH = 8
MAX_INCLUDED = 64 * 1024 * 1024
MAX_BIB = 16 * 1024 * 1024

_INPUT = re.compile(r"\\(?:input|include|subfile)\s*\{([^{}\n]{1,300})\}")
_COMMENT = re.compile(r"(?<!\\)((?:\\\\)*)%.*")
# the optional arguments are bounded: an unclosed "\\cite[" must not scan to the end of the
# paper for each of thousands of citations (quadratic)
_CITE = re.compile(r"\\(?:[a-zA-Z]*cite[a-zA-Z]*\*?)\s*(?:\[[^\]]{0,500}\]\s*){0,2}\{([^{}]*)\}")
_BIB = re.compile(r"\\(?:bibliography|addbibresource)\s*(?:\[[^\]]{0,500}\])?\s*\{([^{}]+)\}")
_INVISIBLE = dict.fromkeys(map(ord, "\u200e\u200f\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_ESCAPED = {"_": "_", "#": "#", "%": "%", "&": "&", "$": "$", "{": "{", "}": "}", "~": "~", ",": " ",
            " ": " ", ";": " ", ":": " ", "!": "", "-": "", "/": "", "\\": " ", "@": "", "'": "", "`": "",
            '"': ""}
_SYMBOLS = {"ldots": "…", "dots": "…", "textendash": "–", "textemdash": "—", "guillemotleft": "«",
            "guillemotright": "»", "flqq": "«", "frqq": "»", "glqq": "„", "grqq": "“", "textquotedblleft": "“",
            "textquotedblright": "”", "No": "№", "textnumero": "№", "S": "§", "quad": " ", "qquad": " ",
            "newline": " ", "linebreak": " ", "par": " ", "LaTeX": "LaTeX", "TeX": "TeX", "textbackslash": "\\",
            "textasciitilde": "~", "nobreakspace": " ", "space": " ", "hfill": " ", "noindent": ""}
# commands whose argument is not text to read (a label, a key, a length, a file)
_DROP_ARG = frozenset({"label", "ref", "eqref", "pageref", "cite", "citep", "citet", "parencite", "textcite",
                       "autocite", "nocite", "includegraphics", "vspace", "hspace", "bibliographystyle",
                       "bibliography", "addbibresource", "usepackage", "documentclass", "begin", "end",
                       "setlength", "newcommand", "renewcommand", "input", "include", "index", "hypersetup",
                       "color", "pagestyle", "thispagestyle", "setcounter", "addtocounter", "autoref", "cref"})


class LatexReader(Reader):
    format = Format.LATEX

    def sniff(self, head: bytes, name: str) -> bool:
        return sniff.latex(head, name)

    def read(self, data: bytes, name: str) -> LoadedText:
        text, encoding, diagnostics = decode_text(data, name=name)
        return _Reading(name, diagnostics).run(text, encoding)


class _Reading:
    def __init__(self, name: str, diagnostics: tuple[LoadDiagnostic, ...]) -> None:
        self.name = name
        self.diagnostics = list(diagnostics)
        path = Path(name)
        self.folder = path.resolve().parent if name and not name.startswith("<") else None
        self.included = 0

    # --- \input ------------------------------------------------------------------------
    def _flatten(self, text: str, stack: tuple[Path, ...]) -> list[tuple[str, int]]:
        """Lines of the paper with every allowed \\input inlined: (text, line in the paper)."""
        out: list[tuple[str, int]] = []
        for number, raw in enumerate(text.split("\n"), start=1):
            line = _strip_comment(raw)
            m = _INPUT.search(line) if "\\in" in line or "\\subfile" in line else None
            if not m:
                out.append((line, number))
                continue
            out.append((line[: m.start()] + " " * (m.end() - m.start()) + line[m.end():], number))
            for sub in self._include(m.group(1).strip(), stack, number):
                out.append((sub, number))
        return out

    def _include(self, target: str, stack: tuple[Path, ...], line: int) -> list[str]:
        def refuse(why: str) -> list[str]:
            self.diagnostics.append(LoadDiagnostic(PART_UNREADABLE, f"\\input{{{target}}} not read: {why}",
                                                   Location(line=line)))
            return []

        if self.folder is None:
            return refuse("the paper was not read from a file")
        if len(stack) >= MAX_DEPTH:
            return refuse(f"more than {MAX_DEPTH} levels of \\input")
        candidates = [target] if target.endswith(".tex") else [target + ".tex", target]
        for cand in candidates:
            path = (stack[-1].parent / cand) if not Path(cand).is_absolute() else Path(cand)
            try:
                resolved = path.resolve()
            except (OSError, RuntimeError):
                continue
            if not resolved.is_relative_to(self.folder):
                return refuse("outside the paper's folder")
            if resolved in stack:
                return refuse("it includes itself (a cycle)")
            if not resolved.is_file():
                continue
            try:
                size = resolved.stat().st_size
                if self.included + size > MAX_INCLUDED:
                    return refuse("the included files are too large")
                with open(resolved, "rb") as f:
                    data = f.read(MAX_INCLUDED - self.included + 1)
            except OSError as exc:
                return refuse(exc.strerror or str(exc))
            self.included += len(data)
            try:
                text, _, _ = decode_text(data, name=str(resolved))
            except Exception as exc:  # LoadError: an unreadable include is a diagnostic
                return refuse(str(exc))
            return [t for t, _ in self._flatten(text, (*stack, resolved))]
        return refuse("no such file")

    # --- the paper -----------------------------------------------------------------------
    def run(self, text: str, encoding: str) -> LoadedText:
        root = Path(self.name).resolve() if self.folder is not None else Path("paper.tex")
        flat = self._flatten(text, (root,))
        inlined = any(flat[k][1] != k + 1 for k in range(len(flat)))
        source = "\n".join(t for t, _ in flat)
        starts = [0]
        for t, _ in flat:
            starts.append(starts[-1] + len(t) + 1)

        notes: list[SourceNote] = []
        markers: list[SourceMarker] = []
        blank: list[tuple[int, int]] = []
        for number, (start, arg_start, end) in enumerate(_footnotes(source), start=1):
            line = _line(starts, start)
            converted, links = _convert(source[arg_start:end - 1])
            loc = Location(line=line, footnote=number)
            notes.append(SourceNote(number, converted, loc, tuple(LinkTarget(u, s, loc) for u, s in links)))
            markers.append(SourceMarker(number, loc))
            blank.append((start, end))
        running = _blank(source, blank)
        body_lines = [_convert(part)[0] for part in running.split("\n")]
        self._check_cites(source, starts)
        locations = tuple(Location(line=n) for _, n in flat) if inlined else ()
        return LoadedText(
            path=self.name, text="\n".join(body_lines), encoding=encoding, format=Format.LATEX,
            notes=tuple(notes), markers=tuple(markers), line_locations=locations,
            diagnostics=tuple(self.diagnostics))

    def _check_cites(self, source: str, starts: list[int]) -> None:
        keys: dict[str, int] = {}
        for m in _CITE.finditer(source):
            for key in m.group(1).split(","):
                key = key.strip()
                if key and key not in keys:
                    keys[key] = _line(starts, m.start())
        if not keys or self.folder is None:
            return
        bib_names = [b.strip() for m in _BIB.finditer(source) for b in m.group(1).split(",")]
        paths = [self.folder / (b if b.endswith(".bib") else b + ".bib") for b in bib_names]
        paths.append(Path(self.name).resolve().with_suffix(".bib"))
        defined: set[str] | None = None
        for path in dict.fromkeys(paths):
            try:
                if not path.resolve().is_relative_to(self.folder) or not path.is_file():
                    continue
                if path.stat().st_size > MAX_BIB:
                    continue
                data = path.read_bytes()
            except OSError:
                continue
            defined = (defined or set()) | _bib_keys(data)
        if defined is None:
            return  # no .bib beside the paper: nothing to check the keys against
        for key, line in keys.items():
            if key not in defined:
                self.diagnostics.append(LoadDiagnostic(
                    CITE_KEY_MISSING, f"\\cite{{{key}}} has no entry in the .bib file", Location(line=line)))


def _bib_keys(data: bytes) -> set[str]:
    text = data.decode("utf-8", errors="replace")
    try:
        import bibtexparser

        library = bibtexparser.parse_string(text)
        keys = {entry.key for entry in library.entries}
        if keys:
            return keys
    except Exception:  # a damaged .bib: fall back to the entry heads
        pass
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", text))


def _strip_comment(line: str) -> str:
    if "%" not in line:
        return line
    return _COMMENT.sub(lambda m: m.group(1), line)


def _line(starts: list[int], offset: int) -> int:
    import bisect

    return bisect.bisect_right(starts, offset)


_FOOTNOTE = re.compile(r"\\footnote(?:text)?\s*(?:\[[^\]]{0,10}\])?\s*\{")


def _footnotes(source: str) -> list[tuple[int, int, int]]:
    """(start of \\footnote, start of its argument, end after the closing brace)."""
    out: list[tuple[int, int, int]] = []
    pos = 0
    while True:
        m = _FOOTNOTE.search(source, pos)
        if not m:
            return out
        end = _group_end(source, m.end())
        out.append((m.start(), m.end(), end))
        pos = end


def _group_end(s: str, i: int) -> int:
    """The offset after the brace closing the group whose content starts at ``i``; an
    unclosed group ends at the next blank line (a paragraph break) or the end."""
    depth = 1
    n = len(s)
    while i < n:
        ch = s[i]
        if ch == "\\":
            i += 2
            continue
        if ch == "{":
            depth += 1
        elif ch == "}":
            depth -= 1
            if depth == 0:
                return i + 1
        elif ch == "\n" and s.startswith("\n", i + 1) and depth == 1:
            return i  # runaway argument
        i += 1
    return n


def _blank(source: str, spans: list[tuple[int, int]]) -> str:
    if not spans:
        return source
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts.append(source[last:start])
        parts.append("\n" * source.count("\n", start, end))
        last = end
    parts.append(source[last:])
    return "".join(parts)


def _clean_url(raw: str) -> str:
    url = raw.translate(_INVISIBLE).strip()
    url = re.sub(r"\\([_#%&~$])", r"\1", url)
    url = "".join(url.split())
    if url and not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://", url) and not url.startswith("mailto:"):
        url = "http://" + url
    return url


_COMMAND = re.compile(r"[a-zA-Z]+\*?")
_MAX_NESTING = 16  # \href inside \href ...: deeper than this is read as plain text


def _convert(s: str, depth: int = 0) -> tuple[str, list[tuple[str, str]]]:
    """LaTeX to the text a reader sees, with the (target, shown text) of every link."""
    out: list[str] = []
    links: list[tuple[str, str]] = []
    i, n = 0, len(s)
    close = -1  # the next "]" at or after i (n when there is none): found once, not per "\\foo["
    while i < n:
        ch = s[i]
        if ch == "\\":
            m = _COMMAND.match(s, i + 1)
            if not m:
                nxt = s[i + 1: i + 2]
                out.append(_ESCAPED.get(nxt, nxt))
                i += 2
                continue
            name = m.group(0).rstrip("*")
            j = m.end()
            k = j
            while k < n and s[k] in " \t":
                k += 1
            if name in ("url", "nolinkurl") and k < n and s[k] == "{":
                end = _group_end(s, k + 1)
                url = _clean_url(s[k + 1: end - 1])
                out.append(f" {url} ")
                i = end
            elif name == "href" and k < n and s[k] == "{" and depth < _MAX_NESTING:
                end = _group_end(s, k + 1)
                url = _clean_url(s[k + 1: end - 1])
                k2 = end
                while k2 < n and s[k2] in " \t\n":
                    k2 += 1
                if k2 < n and s[k2] == "{":
                    end2 = _group_end(s, k2 + 1)
                    shown, inner = _convert(s[k2 + 1: end2 - 1], depth + 1)
                    links += inner
                    links.append((url, " ".join(shown.split())))
                    out.append(shown)
                    i = end2
                else:
                    out.append(f" {url} ")
                    i = end
            elif name in _DROP_ARG:
                i = _skip_args(s, k)
            elif name in _SYMBOLS:
                out.append(_SYMBOLS[name])
                i = j if not (j < n and s[j] == "{" and s.startswith("{}", j)) else j + 2
                if name[0].islower() and i < n and s[i] == " " and _SYMBOLS[name] not in ("", " "):
                    i += 1  # "\ldots " : the space ends the command name
            else:
                i = k if k < n and s[k] in "{[" else j  # a command's arguments are read as text
                if i < n and s[i] == "[":
                    if close < i:
                        close = s.find("]", i)
                        close = n if close < 0 else close
                    i = close + 1 if close < n else i + 1
        elif ch in "{}":
            i += 1
        elif ch == "~":
            out.append(" ")
            i += 1
        elif ch == "-" and s.startswith("---", i):
            out.append("—")
            i += 3
        elif ch == "-" and s.startswith("--", i):
            out.append("–")
            i += 2
        elif ch == "<" and s.startswith("<<", i):
            out.append("«")
            i += 2
        elif ch == ">" and s.startswith(">>", i):
            out.append("»")
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out), links


def _skip_args(s: str, k: int) -> int:
    n = len(s)
    while k < n and s[k] in "[{":
        if s[k] == "[":
            close = s.find("]", k)
            k = close + 1 if close > 0 else n
        else:
            k = _group_end(s, k + 1)
        while k < n and s[k] in " \t" and k + 1 < n and s[k + 1] in "[{":
            k += 1
    return k
