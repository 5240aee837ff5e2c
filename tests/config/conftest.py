"""In-process CLI runs for the configuration and CI tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from footcheck._cli import SUBCOMMANDS
from footcheck._testing import invoke

PAPER = """Введение

Экономика региона росла быстрее прогнозов1. Об этом писали [Иванов 2010: 5].

1 Обзор экономики. 2023. 4 июля. URL: https://www.example.ru/review?utm_source=tg (дата
обращения: 25.12.2023).
2 Доклад. URL: https://www.example.ru/report.
"""


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str


@contextmanager
def _cwd(path: Path | None) -> Iterator[None]:
    old = Path.cwd()
    if path is not None:
        os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def cli(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    argv = list(args)
    if argv and argv[0] not in SUBCOMMANDS and argv[0] != "--version":
        argv = ["check", *argv]
    with _cwd(cwd):
        r = invoke(argv, env={"NO_COLOR": "1", "COLUMNS": "100", **(env or {})})
    return Result(r.exit_code, r.stdout, r.stderr)


@pytest.fixture
def paper(tmp_path: Path) -> Path:
    p = tmp_path / "paper.txt"
    p.write_text(PAPER, encoding="utf-8")
    return p
