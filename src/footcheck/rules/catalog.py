"""Imports every rule module of this package so that all rules are declared.

A rule module declares its rules with ``rule(...)`` and their checks with
``@implements(...)`` (see :mod:`footcheck.rules.interface`); adding one is adding its name
to :data:`RULE_MODULES`, which tests/test_rules.py checks against the package's
files. The names are listed rather than found by listing the folder: ``pkgutil`` reads
the folder and imports ``inspect`` (with ``ast``, ``dis``, ``tokenize``) on every start,
5-8 ms that an offline run of a small paper otherwise does not pay (benchmarks/startup.md).
"""

from __future__ import annotations

import importlib
from types import ModuleType

# in name order: the order the rules are declared and listed in
RULE_MODULES = ("archive", "citations", "dates", "dois", "footnotes", "input", "links", "profile", "registry",
                "twin", "urls")
_MODULES: list[ModuleType] = [importlib.import_module(f"footcheck.rules.{name}") for name in RULE_MODULES]


def modules() -> list[ModuleType]:
    """The rule modules, in name order."""
    return list(_MODULES)
