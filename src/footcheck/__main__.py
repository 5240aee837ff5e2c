"""``python -m footcheck`` and the ``footcheck`` command.

The compile cache goes in before anything else is imported, the CLI module included, so
that every pattern and dataclass of the run is served from it (start-up time)."""

from __future__ import annotations

import sys
from types import ModuleType
from typing import Any


class _OnFirstUse(ModuleType):
    """Stands for a standard-library module in ``sys.modules`` until a name is looked up
    in it, then imports the module and takes its names (so that whoever imported the
    stand-in sees the module itself from then on).

    For ``inspect``: ``dataclasses`` imports it for one thing, a signature as the
    docstring of a class that has none (every footcheck dataclass has one), and it costs
    5-8 ms with ``ast``, ``dis`` and ``tokenize``, a tenth of an offline run. The
    standard library's ``LazyLoader`` does not do here: before Python 3.12 the import
    statement itself reads the module's ``__spec__``, which loads it."""

    def __getattr__(self, name: str) -> Any:  # only for a name the module does not have yet
        import importlib

        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        module = importlib.import_module(self.__name__)
        vars(self).update(vars(module))
        return getattr(module, name)


def _defer(name: str) -> None:
    if name not in sys.modules:
        sys.modules[name] = _OnFirstUse(name)


def main() -> None:
    _defer("inspect")
    from footcheck import _compile_cache

    _compile_cache.install()
    from footcheck._cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
