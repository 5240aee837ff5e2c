"""Which files a run audits: papers named, folders walked, globs expanded.

``footcheck DIR`` walks DIR recursively and takes the files whose content is a paper
(a format a reader claims by its bytes, or plain text), skipping hidden files and folders,
what ``.gitignore`` files ignore (each one relative to its folder, as git reads them), and
code, data and config files. ``--include`` / ``--exclude-path`` globs (gitignore syntax,
relative to the folder walked) narrow the choice. An argument that does not exist but
holds ``*``, ``?`` or ``[`` is a glob (``'papers/**/*.txt'``), expanded here so that a
quoted glob works on every shell. A file named explicitly is always audited.

Paths are yielded one by one, in a stable order, so a run over ten thousand papers
never holds the list.
"""

from __future__ import annotations

import glob as _glob
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pathspec costs ~70 ms to import: only runs that walk a folder pay it
    from pathspec import GitIgnoreSpec

# Text files that are not papers: code, data and configuration.
NOT_PAPERS = frozenset({
    ".py", ".pyc", ".js", ".ts", ".css", ".sh", ".bat", ".ps1", ".c", ".h", ".cpp", ".java", ".rs", ".go",
    ".json", ".jsonl", ".toml", ".yaml", ".yml", ".ini", ".cfg", ".conf", ".lock", ".csv", ".tsv", ".xml",
    ".xsd", ".sarif", ".bib", ".bst", ".cls", ".sty", ".log", ".aux", ".bbl", ".toc", ".out", ".svg",
})  # fmt: skip
# Suffixes of the formats the readers read: taken without opening the file (the loader
# still reads by content, and says so in one line when a file is not what its name says).
PAPERS = frozenset({".txt", ".text", ".md", ".markdown", ".tex", ".latex", ".html", ".htm", ".xhtml",
                    ".docx", ".odt", ".pdf"})
HEAD_BYTES = 8192
_CONTROLS = bytes(b for b in range(32) if b not in (9, 10, 11, 12, 13))
GLOB_CHARS = frozenset("*?[")


class DiscoverError(ValueError):
    """An argument that names nothing (one line)."""


def is_glob(text: str) -> bool:
    return any(c in text for c in GLOB_CHARS)


def looks_like_paper(path: Path) -> bool:
    """By name when it is a paper format's, else by content: a format a reader claims, or
    text (no NUL byte and hardly any control characters in the first 8 KB)."""
    suffix = path.suffix.lower()
    if suffix in PAPERS:
        return True
    if suffix in NOT_PAPERS:
        return False
    try:
        with path.open("rb") as f:
            head = f.read(HEAD_BYTES)
    except OSError:
        return False
    if not head.strip():
        return False
    from footcheck.load import READERS

    if any(reader.sniff(head, path.name) for reader in READERS):
        return True
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 has NULs
        return False
    controls = len(head) - len(head.translate(None, _CONTROLS))
    return controls <= len(head) // 100


def _spec(lines: Sequence[str]) -> GitIgnoreSpec | None:
    if not lines:
        return None
    from pathspec import GitIgnoreSpec

    return GitIgnoreSpec.from_lines(lines)


def _gitignore(folder: Path) -> GitIgnoreSpec | None:
    try:
        text = (folder / ".gitignore").read_text("utf-8", errors="replace")
    except OSError:
        return None
    return _spec(text.splitlines())


def walk(root: Path, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Iterator[Path]:
    """The papers under ``root``, sorted by path within each folder."""
    inc, exc = _spec(include), _spec(exclude)
    ignores: list[tuple[Path, GitIgnoreSpec]] = []
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        while ignores and not here.is_relative_to(ignores[-1][0]):
            ignores.pop()
        spec = _gitignore(here)
        if spec is not None:
            ignores.append((here, spec))

        def ignored(p: Path, is_dir: bool) -> bool:
            for base, gi in ignores:
                rel = p.relative_to(base).as_posix() + ("/" if is_dir else "")
                if gi.match_file(rel):
                    return True
            rel = p.relative_to(root).as_posix() + ("/" if is_dir else "")
            return exc is not None and exc.match_file(rel)

        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not ignored(here / d, True))
        for name in sorted(files):
            p = here / name
            if name.startswith(".") or ignored(p, False):
                continue
            if inc is not None and not inc.match_file(p.relative_to(root).as_posix()):
                continue
            if p.is_file() and looks_like_paper(p):
                yield p


def expand(args: Sequence[Path | str], include: Sequence[str] = (), exclude: Sequence[str] = ()) -> Iterator[Path]:
    """Every paper the arguments name, each once; ``-`` (standard input) passes through.

    Raises :class:`DiscoverError` for an argument that is neither a path nor a glob with
    matches (before anything is yielded for the later arguments)."""
    seen: set[str] = set()
    exc = _spec(exclude)
    for arg in args:
        text = str(arg)
        if text == "-":
            yield Path("-")
            continue
        path = Path(text)
        if path.is_dir():
            found: Iterator[Path] = walk(path, include, exclude)
        elif path.exists() or path.is_symlink() or not is_glob(text):
            found = iter([path])  # a file (or a missing one: the loader says so)
        else:
            matches = sorted(_glob.glob(text, recursive=True))
            if not matches:
                raise DiscoverError(f"{text}: no file matches")
            found = _from_glob(matches, include, exclude, exc)
        for p in found:
            key = os.path.normpath(str(p))
            if key not in seen:
                seen.add(key)
                yield p


def _from_glob(matches: Sequence[str], include: Sequence[str], exclude: Sequence[str],
               exc: GitIgnoreSpec | None) -> Iterator[Path]:
    for m in matches:
        p = Path(m)
        if p.is_dir():
            yield from walk(p, include, exclude)
        elif exc is None or not exc.match_file(p.as_posix()):
            yield p
