"""Imports every module of this package so that all rules are declared.

Discovery by module listing keeps adding a rule module a one-file change.
"""

from __future__ import annotations

import importlib
import pkgutil

import footcheck.rules as _package

for _module in pkgutil.iter_modules(_package.__path__):
    if _module.name not in {"catalog", "interface"}:
        importlib.import_module(f"footcheck.rules.{_module.name}")
