"""The stages import only what comes before them: document -> model -> findings and
link results -> report. Read from the source (no import), so a lazy import inside a
function counts as well."""

from __future__ import annotations

import ast
from pathlib import Path

import footcheck

ROOT = Path(footcheck.__file__).parent

# What each stage must never import: the stages after it, and the wiring.
WIRING = {"pipeline", "_cli", "_args", "batch", "baseline", "discover"}
LATER: dict[str, set[str]] = {
    "load": {"parse", "rules", "check", "archive", "registry", "report", "fix"},
    "parse": {"rules", "check", "archive", "registry", "report", "fix"},
    "check": {"rules", "archive", "registry", "report", "fix"},
    "archive": {"rules", "registry", "report", "fix"},
    "registry": {"rules", "archive", "report", "fix"},
    "rules": {"check", "archive", "registry", "report", "fix"},
    "report": {"fix"},
    "fix": set(),
}
SHARED = {"model", "titles", "defaults", "excerpt"}  # below every stage: they import no stage at all


def _imports(path: Path) -> set[str]:
    """The footcheck subpackages or top-level modules a source file imports."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
            names.update(f"{node.module}.{a.name}" for a in node.names)
    return {n.split(".")[1] for n in names if n.startswith("footcheck.") and n.count(".") >= 1}


def test_no_stage_imports_a_later_one() -> None:
    wrong = []
    for stage, forbidden in LATER.items():
        for path in sorted((ROOT / stage).rglob("*.py")):
            bad = _imports(path) & (forbidden | WIRING)
            if bad:
                wrong.append(f"{path.relative_to(ROOT)} imports {sorted(bad)}")
    assert wrong == []


def test_shared_modules_import_no_stage() -> None:
    stages = set(LATER) | WIRING
    wrong = {name: sorted(_imports(ROOT / f"{name}.py") & stages) for name in SHARED}
    assert {k: v for k, v in wrong.items() if v} == {}
