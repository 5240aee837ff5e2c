"""The store of what re and dataclasses compile (start-up time): what it rebuilds is what
``re`` compiles, a dataclass is the same class, a second process reads what the first
wrote, and a bad store changes nothing."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from footcheck import _compile_cache

pytestmark = pytest.mark.skipif(sys.version_info < (3, 11), reason="re._compiler is Python 3.11+")

PATTERNS = [
    (r"(?P<day>\d{1,2})\.(?P<month>\d{1,2})\.(\d{4})", 0),
    (r"дата\s+обращения|accessed\s+on", re.IGNORECASE),
    (r"^\s*[А-ЯЁA-Z][а-яёa-z'’-]+,\s*(?:[А-ЯЁA-Z]\.\s?){1,2}", re.MULTILINE),
    (rb"%PDF-\d\.\d", 0),
    (r"(?x) \b https?:// [^\s<>]+ ", 0),
]


def fresh(pattern: str | bytes) -> str | bytes:
    """The same pattern, new to ``re``'s in-process cache (an empty group of its own)."""
    tag = uuid.uuid4().hex
    return pattern + (f"(?:{tag})?" if isinstance(pattern, str) else f"(?:{tag})?".encode())


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "__pycache__" / "patterns.bin"
    yield path
    _compile_cache.uninstall()


def at_import(wanted: list[tuple[str | bytes, int]]) -> list[re.Pattern[str] | re.Pattern[bytes]]:
    """The patterns compiled as a module's body compiles them (only those are stored)."""
    module = {"__name__": "invented_module", "WANTED": wanted}
    exec(compile("import re\nPATTERNS = [re.compile(p, f) for p, f in WANTED]", "<invented>", "exec"), module)
    compiled: list[re.Pattern[str] | re.Pattern[bytes]] = module["PATTERNS"]
    return compiled


def original(pattern: str | bytes, flags: int) -> re.Pattern[str] | re.Pattern[bytes]:
    from re import _compiler  # type: ignore[attr-defined]

    compiled: re.Pattern[str] | re.Pattern[bytes] = _compiler.compile(pattern, flags)
    return compiled


def test_rebuilt_patterns_equal_re_s_own_and_a_second_process_reads_them(store: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    wanted = [(fresh(p), f) for p, f in PATTERNS]
    plain = [original(p, f) for p, f in wanted]  # before install: re's own compile
    assert _compile_cache.install(store)
    first = at_import(wanted)
    assert first == plain  # Pattern == compares the pattern, the flags and the compiled program
    assert [x.groupindex for x in first] == [x.groupindex for x in plain]
    _compile_cache.uninstall()  # writes the store, as the exit of a run does
    assert store.is_file()

    assert _compile_cache.install(store)  # "the next run"
    state = _compile_cache._state
    assert all((p, f) in state["patterns"] for p, f in wanted)
    re.purge()  # past re's in-process cache, to the store
    again = [re.compile(p, f) for p, f in wanted]  # served at run time too
    assert state["added"][0] == 0  # every one came from the store
    assert again == plain
    m = again[0].search("сдано 25.12.2023 в печать")
    assert m is not None and m["day"] == "25" and m.group(3) == "2023"


def test_a_damaged_or_foreign_store_is_ignored(store: Path) -> None:
    store.parent.mkdir(parents=True)
    for junk in (b"", b"\x00garbage", b"\xe3" + b"x" * 100):
        store.write_bytes(junk)
        assert _compile_cache.install(store)
        pattern, flags = fresh(PATTERNS[1][0]), PATTERNS[1][1]
        assert at_import([(pattern, flags)]) == [original(pattern, flags)]
        _compile_cache.uninstall()


def test_a_bad_pattern_raises_re_s_error(store: Path) -> None:
    assert _compile_cache.install(store)
    bad = fresh("(?P<x>unclosed")
    with pytest.raises(re.error) as caught:
        at_import([(bad, 0)])
    with pytest.raises(re.error) as expected:
        original(bad, 0)
    assert str(caught.value) == str(expected.value)


def test_nothing_written_when_python_writes_no_bytecode(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", True)
    assert _compile_cache.install(store)
    at_import([(fresh(PATTERNS[0][0]), 0)])
    _compile_cache.uninstall()
    assert not store.exists()


def test_patterns_made_while_a_paper_is_read_are_not_stored(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    assert _compile_cache.install(store)
    title = fresh(re.escape("Очерки истории губернского города"))  # as a reference title is searched for
    assert re.search(str(title), "см. Очерки истории губернского города, с. 5") is not None
    at_import([(fresh(PATTERNS[0][0]), 0)])  # something to write
    _compile_cache.uninstall()
    assert store.is_file()
    patterns, _ = _compile_cache._load(store)
    assert patterns and (title, 0) not in patterns


def test_turned_off_by_the_environment(store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FOOTCHECK_NO_COMPILE_CACHE", "1")
    assert not _compile_cache.install(store)


MODELS = """
import dataclasses

@dataclasses.dataclass(frozen=True, slots=True)
class Entry:
    \"\"\"An invented record.\"\"\"

    title: str
    year: int = 0
    pages: tuple[int, ...] = ()
    tags: tuple[str, ...] = dataclasses.field(default_factory=tuple)
"""


def _make_class() -> type:
    """The class as a module's body defines it (only those methods are stored)."""
    module: dict[str, object] = {"__name__": "invented_models"}
    exec(compile(MODELS, "<invented>", "exec", dont_inherit=True), module)
    cls = module["Entry"]
    assert isinstance(cls, type)
    return cls


def test_dataclass_methods_come_from_the_store_and_behave_the_same(store: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    import dataclasses

    monkeypatch.setattr(sys, "dont_write_bytecode", False)
    plain = _make_class()
    assert _compile_cache.install(store)
    first = _make_class()
    _compile_cache.uninstall()
    assert "exec" not in vars(dataclasses)  # the module is as it was
    assert _compile_cache.install(store)
    state = _compile_cache._state
    assert state["codes"]  # read back from the file the first "run" wrote
    again = _make_class()
    assert state["added"][0] == 0  # every method's code came from the store
    for cls in (first, again):
        a, b = cls("Очерки", 1999, (1, 2)), cls("Очерки", 1999, (1, 2))
        assert a == b and hash(a) == hash(b) and a.tags == () and a != cls("Очерки", 2000)
        assert repr(a) == repr(plain("Очерки", 1999, (1, 2))).replace(plain.__qualname__, cls.__qualname__)
        with pytest.raises(dataclasses.FrozenInstanceError):
            a.year = 2000  # type: ignore[misc]
        assert dataclasses.replace(a, year=2001).year == 2001
        assert not hasattr(a, "__dict__")  # slots


# every module of footcheck imported under the store, what it compiled printed as JSON
IMPORT_ALL = """
import importlib, json, pkgutil, sys
from pathlib import Path
from footcheck import _compile_cache
_compile_cache.install(Path(sys.argv[1]))
import footcheck
for m in pkgutil.walk_packages(footcheck.__path__, "footcheck."):
    importlib.import_module(m.name)
state = _compile_cache._state
print(json.dumps({"patterns": sorted(repr(k) for k in state["patterns"]), "codes": sorted(state["codes"])}))
"""


def test_what_modules_compile_at_import_is_the_same_in_every_process(tmp_path: Path) -> None:
    # A pattern or method source built from a set's iteration order differs with the hash
    # seed: each run would add one more entry to the store (which grew by ~10 KB a run, and
    # was read back on every start) instead of finding it there.
    def compiled(seed: str) -> dict[str, list[str]]:
        env = {**os.environ, "PYTHONHASHSEED": seed}
        env.pop("FOOTCHECK_NO_COMPILE_CACHE", None)
        done = subprocess.run([sys.executable, "-c", IMPORT_ALL, str(tmp_path / f"store{seed}.bin")], env=env,
                              capture_output=True, text=True, timeout=120, check=True)
        result: dict[str, list[str]] = json.loads(done.stdout)
        return result

    first, second = compiled("1"), compiled("2")
    assert first["patterns"] and first["codes"]
    assert set(first["patterns"]) ^ set(second["patterns"]) == set()
    assert set(first["codes"]) ^ set(second["codes"]) == set()
