"""Compiled regular expressions kept between runs, as Python keeps compiled modules.

The parser's patterns (Cyrillic character classes, many alternations) take ``re`` longer
to compile than a small paper takes to audit: about half of an offline run's start-up on
the machines measured (benchmarks/startup.md). Python caches a compiled module in
``__pycache__`` but recompiles every pattern in every process; nothing in the standard
library or on PyPI keeps the compiled form, so this module does, for the CLI process only.

``install()`` (called by the CLI's entry point before the stages are imported) wraps
``re``'s internal compile step: a pattern seen before is rebuilt from its stored program
by ``_sre.compile``, the same call ``re`` ends with, so the Pattern object is the same
(``==`` compares pattern, flags and program); a new pattern is compiled as ``re`` does
and stored. The store is one file beside this module's bytecode,
``__pycache__/patterns.<cache tag>.bin``, written once at exit when something was added,
and like bytecode not written when Python is told not to (``-B``,
``PYTHONDONTWRITEBYTECODE``) or the folder is read-only. It is keyed by interpreter and
``_sre`` program format; an unreadable, foreign or stale file is ignored and replaced.
``FOOTCHECK_NO_PATTERN_CACHE=1`` turns it off. Nothing from a paper is stored: only the
pattern text and its compiled program.

The stored program is ``re``'s internal format, so this relies on ``re._parser.parse``,
``re._compiler._code`` and ``_sre.compile`` (Python 3.11 to 3.13): ``install`` first
compiles a probe pattern both ways and stays off unless the two are equal. A pattern
served from the store is not parsed again, so a warning ``re`` gives while parsing one
(none of footcheck's do) is given only by the run that stored it.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import atexit
import marshal
import os
import re
import sys
from array import array
from pathlib import Path
from typing import Any

FORMAT = 1
MAX_ENTRIES = 4000  # footcheck's own patterns are a few hundred; user patterns (--exclude) add a few
_PROBE = (r"(?P<day>\d{1,2})\.(\d\d)\s+[а-яёA-Z]+(?:г\.)?|(?i:дата\s+обращения)", re.IGNORECASE)

_state: dict[str, Any] = {"installed": False}


def default_path() -> Path:
    return Path(__file__).parent / "__pycache__" / f"patterns.{sys.implementation.cache_tag}.bin"


def _header() -> tuple[Any, ...]:
    return ("footcheck-patterns", FORMAT, sys.implementation.cache_tag, sys.hexversion, _sre.MAGIC, _sre.CODESIZE)


def _load(path: Path) -> dict[Any, Any]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != _header() or not isinstance(data[1], dict):
        return {}
    return data[1]


def _compile_parts(pattern: str | bytes, flags: int) -> tuple[int, bytes, int, dict[str, int], tuple[Any, ...]]:
    """What ``re._compiler.compile`` passes to ``_sre.compile``, in a storable form."""
    from re import _compiler, _parser  # type: ignore[attr-defined]

    tree = _parser.parse(pattern, flags)
    code = _compiler._code(tree, flags)
    groupindex = {str(k): int(v) for k, v in tree.state.groupdict.items()}
    indexgroup: list[str | None] = [None] * tree.state.groups
    for name, index in groupindex.items():
        indexgroup[index] = name
    program = array("I", [int(c) for c in code]).tobytes()
    return int(flags | tree.state.flags), program, int(tree.state.groups - 1), groupindex, tuple(indexgroup)


def _build(pattern: str | bytes, parts: tuple[int, bytes, int, dict[str, int], tuple[Any, ...]]) -> Any:
    flags, program, groups, groupindex, indexgroup = parts
    return _sre.compile(pattern, flags, array("I", program).tolist(), groups, dict(groupindex), indexgroup)


def install(path: Path | None = None) -> bool:
    """Serve ``re``'s compiles from the store for the rest of this process; False when it
    stays off (turned off, an interpreter whose internals differ, already installed)."""
    if _state["installed"] or os.environ.get("FOOTCHECK_NO_PATTERN_CACHE"):
        return False
    try:
        from re import _compiler  # type: ignore[attr-defined]

        original = _compiler.compile
        probe, probe_flags = _PROBE
        if _build(probe, _compile_parts(probe, probe_flags)) != original(probe, probe_flags):
            return False
    except Exception:  # any other interpreter's internals: just compile as usual
        return False
    where = path or default_path()
    entries = _load(where)
    used: dict[Any, Any] = {}
    added = [0]

    def compile(p: Any, flags: int = 0) -> Any:
        if not isinstance(p, (str, bytes)) or flags & re.DEBUG:
            return original(p, flags)
        key = (p, flags)
        parts = entries.get(key)
        try:
            if parts is None:
                parts = _compile_parts(p, flags)
                entries[key] = parts
                added[0] += 1
            used[key] = parts
            return _build(p, parts)
        except Exception:  # a bad pattern: re's own compile raises its own error for it
            entries.pop(key, None)
            return original(p, flags)

    def save() -> None:
        if not added[0] or sys.dont_write_bytecode:
            return
        keep = entries if len(entries) <= MAX_ENTRIES else used
        tmp = where.with_name(f"{where.name}.{os.getpid()}.tmp")
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps((_header(), keep)))
            os.replace(tmp, where)  # atomic: a concurrent reader sees the old file or the new one
        except OSError:
            tmp.unlink(missing_ok=True)

    _compiler.compile = compile
    atexit.register(save)
    _state.update(installed=True, path=where, entries=entries, added=added, original=original, save=save)
    return True


def uninstall() -> None:
    """Back to plain ``re`` (the tests), writing the store first."""
    if not _state["installed"]:
        return
    from re import _compiler  # type: ignore[attr-defined]

    _state["save"]()
    atexit.unregister(_state["save"])
    _compiler.compile = _state["original"]
    _state.clear()
    _state["installed"] = False
