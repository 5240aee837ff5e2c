"""Imports every module of this package so that all rules are declared.

Discovery by module listing keeps adding a rule module a one-file change: declare the
rules with ``rule(...)`` and their checks with ``@implements(...)`` (see
:mod:`footcheck.rules.interface`).
"""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

import footcheck.rules as _package

_NOT_RULES = {"catalog", "interface", "context", "selection"}
_MODULES: list[ModuleType] = [
    importlib.import_module(f"footcheck.rules.{_module.name}")
    for _module in pkgutil.iter_modules(_package.__path__)
    if _module.name not in _NOT_RULES
]


def modules() -> list[ModuleType]:
    """The rule modules, in name order."""
    return list(_MODULES)
