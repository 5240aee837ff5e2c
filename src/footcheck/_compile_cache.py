"""What ``re`` and ``dataclasses`` compile at start-up, kept between runs, as Python keeps
compiled modules.

The parser's patterns (Cyrillic character classes, many alternations) take ``re`` longer
to compile than a small paper takes to audit: about half of an offline run's start-up on
the machines measured (benchmarks/startup.md); the frozen dataclasses of the model have
their methods generated from source text and compiled in every process too. Python
keeps a compiled module in ``__pycache__`` but recompiles all of this each time; nothing
in the standard library or on PyPI keeps it, so this module does, for the CLI only.

``install()`` (called by the CLI's entry point before the stages are imported):

* wraps ``re``'s internal compile step: a pattern seen before is rebuilt from its stored
  program by ``_sre.compile``, the call ``re`` itself ends with, so the Pattern object is
  the same (``==`` compares pattern, flags and program); a new one is compiled as ``re``
  does and stored;
* gives ``dataclasses`` an ``exec`` that compiles each generated method's source once and
  keeps the code object (the source text is the key, so the code is exactly what
  ``exec`` would have compiled from it).

The store is one file beside this module's bytecode, ``__pycache__/compiled.<cache
tag>.bin``, written once at exit when something was added, and like bytecode not written
when Python is told not to (``-B``, ``PYTHONDONTWRITEBYTECODE``) or the folder is
read-only. It is keyed by interpreter release and ``_sre`` program format; an
unreadable, foreign or stale file is ignored and replaced. ``FOOTCHECK_NO_COMPILE_CACHE=1``
turns it off. Only what is compiled while a module is imported is stored (pattern texts,
their programs, method code), never a pattern made from a paper's text; the file is trusted
as the bytecode beside it is.

The stored program is ``re``'s internal format, so this relies on ``re._parser.parse``,
``re._compiler._code`` and ``_sre.compile`` (Python 3.11 to 3.13): ``install`` first
compiles a probe pattern both ways and leaves ``re`` alone unless the two are equal. A
pattern served from the store is not parsed again, so a warning ``re`` gives while
parsing one (none of footcheck's do) is given only by the run that stored it.
"""

from __future__ import annotations

import _sre  # type: ignore[import-not-found]
import atexit
import builtins
import marshal
import os
import re
import sys
from array import array
from pathlib import Path
from types import FrameType
from typing import Any

FORMAT = 2
MAX_ENTRIES = 4000  # footcheck's own are a few hundred of each; user patterns (--exclude) add a few
_PROBE = (r"(?P<day>\d{1,2})\.(\d\d)\s+[а-яёA-Z]+(?:г\.)?|(?i:дата\s+обращения)", re.IGNORECASE)

_state: dict[str, Any] = {"installed": False}


def default_path() -> Path:
    return Path(__file__).parent / "__pycache__" / f"compiled.{sys.implementation.cache_tag}.bin"


def _header() -> tuple[Any, ...]:
    # the exact interpreter release: bytecode and _sre programs change only between releases
    return ("footcheck-compiled", FORMAT, sys.implementation.cache_tag, sys.hexversion, sys.flags.optimize,
            _sre.MAGIC, _sre.CODESIZE)


def _load(path: Path) -> tuple[dict[Any, Any], dict[str, Any]]:
    try:
        data = marshal.loads(path.read_bytes())
    except (OSError, EOFError, ValueError, TypeError):
        return {}, {}
    if (not isinstance(data, tuple) or len(data) != 3 or data[0] != _header()
            or not isinstance(data[1], dict) or not isinstance(data[2], dict)):
        return {}, {}
    return data[1], data[2]


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


def _at_import() -> bool:
    """Whether this compile runs while a module is being imported (its body or something
    it calls): only such patterns and classes are stored. Those compiled while a paper is
    read (a reference title searched for, a date's wording to replace) are not, so nothing
    of a paper reaches the store and it does not grow with the papers read."""
    frame: FrameType | None = sys._getframe(2)
    while frame is not None:
        if frame.f_code.co_name == "<module>" and frame.f_globals.get("__name__") != "__main__":
            return True
        frame = frame.f_back
    return False


def _re_ok() -> bool:
    try:
        from re import _compiler  # type: ignore[attr-defined]

        probe, flags = _PROBE
        return bool(_build(probe, _compile_parts(probe, flags)) == _compiler.compile(probe, flags))
    except Exception:  # another interpreter's internals: compile as usual
        return False


def install(path: Path | None = None) -> bool:
    """Serve ``re``'s and ``dataclasses``' compiles from the store for the rest of this
    process; False when it stays off (turned off, or installed already)."""
    if _state["installed"] or os.environ.get("FOOTCHECK_NO_COMPILE_CACHE"):
        return False
    import dataclasses

    where = path or default_path()
    patterns, codes = _load(where)
    added = [0]
    restore: list[Any] = []

    if patterns or _re_ok():  # a store this interpreter release wrote has passed the probe already
        from re import _compiler  # type: ignore[attr-defined]

        original = _compiler.compile

        def compile_pattern(p: Any, flags: int = 0) -> Any:
            if not isinstance(p, (str, bytes)) or flags & re.DEBUG:
                return original(p, flags)
            key = (p, flags)
            parts = patterns.get(key)
            if parts is None:
                if not _at_import():
                    return original(p, flags)
                try:
                    parts = _compile_parts(p, flags)
                except Exception:  # a bad pattern: re's own compile raises its own error for it
                    return original(p, flags)
                patterns[key] = parts
                added[0] += 1
            return _build(p, parts)

        _compiler.compile = compile_pattern
        restore.append(lambda: setattr(_compiler, "compile", original))

    def cached_exec(source: Any, globals: Any = None, locals: Any = None, /, **more: Any) -> None:
        if globals is None:  # exec's own default: the caller's globals
            globals = sys._getframe(1).f_globals
        if more:  # a keyword this wrapper does not know (closure=, Python 3.13): exec as it is
            builtins.exec(source, globals, locals, **more)
            return
        if isinstance(source, str):
            code = codes.get(source)
            if code is None and _at_import():
                code = builtins.compile(source, "<string>", "exec", dont_inherit=True)
                codes[source] = code
                added[0] += 1
            if code is not None:
                source = code
        builtins.exec(source, globals, locals)

    dataclasses.exec = cached_exec  # type: ignore[attr-defined]  # a module global shadows the builtin
    restore.append(lambda: vars(dataclasses).pop("exec", None))

    def save() -> None:
        if not added[0] or sys.dont_write_bytecode:
            return
        keep = ({k: v for k, v in patterns.items()} if len(patterns) <= MAX_ENTRIES else {},
                {k: v for k, v in codes.items()} if len(codes) <= MAX_ENTRIES else {})
        tmp = where.with_name(f"{where.name}.{os.getpid()}.tmp")
        try:
            where.parent.mkdir(parents=True, exist_ok=True)
            tmp.write_bytes(marshal.dumps((_header(), *keep)))
            os.replace(tmp, where)  # atomic: a concurrent reader sees the old file or the new one
        except (OSError, ValueError):
            tmp.unlink(missing_ok=True)

    atexit.register(save)
    _state.update(installed=True, path=where, patterns=patterns, codes=codes, added=added, save=save,
                  restore=restore)
    return True


def uninstall() -> None:
    """Back to plain ``re`` and ``dataclasses`` (the tests), writing the store first."""
    if not _state["installed"]:
        return
    _state["save"]()
    atexit.unregister(_state["save"])
    for undo in _state["restore"]:
        undo()
    _state.clear()
    _state["installed"] = False
