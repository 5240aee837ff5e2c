"""Property tests: the parser never raises, whatever the text; random bytes never crash the CLI."""

from __future__ import annotations

import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from footcheck._testing import invoke
from footcheck.parse import collect_links, parse_document
from footcheck.rules import RuleContext, run_static_rules

# Pieces that exercise the parser's branches, mixed with arbitrary text.
PIECES = st.sampled_from([
    "страны1.", "России»2.", "ЕС3.", "\n1 ", "\n2 Там же", "\n3 Ibid.", "URL: https://", "www.",
    "example.ru/a-", "\n", "\f", "(дата обращения: 23.12.2023)", "(дата обращения: 31.13.20",
    "[", "]", "[Попов 2016]", "[Там же: 12]", "[1, с. 25]", "[2–4]", "2020–2030", "№ 280", "XXI в.",
    "\nСписок литературы\n", "\nReferences\n", "Иванов И. И. Книга. М., 2010.", ";", ":", "«", "»",
    "\x00", "\x1b[31m", "\u202e", "¹", "²", "https://президент.рф/", "?ysclid=1&utm_source=x", " ",
])
TEXT = st.lists(st.one_of(PIECES, st.text(max_size=30)), max_size=60).map("".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXT)
def test_parser_and_rules_never_raise(text: str) -> None:
    import datetime as dt

    doc = parse_document(text)
    collect_links(doc)
    run_static_rules(doc, RuleContext(today=dt.date(2026, 1, 1)))
    for fn in doc.footnotes:
        assert 1 <= fn.line <= doc.line_count
    for c in doc.citations:
        assert 1 <= c.line <= doc.line_count


@settings(max_examples=20, deadline=None)
@given(st.integers(min_value=1, max_value=300))
def test_huge_lines_and_unbalanced_brackets(n: int) -> None:
    text = ("[" * n) + ("а" * 5000 * (n % 3)) + ("]" * (n // 2)) + "\n" + ("x" * 20000) + "1.\n\n1 Т\n"
    parse_document(text)


def test_random_bytes_give_exit_2_or_a_report(tmp_path: Path) -> None:
    # In process: an uncaught exception would leave ``invoke`` (it catches only SystemExit)
    # and fail the test, as a traceback on stderr would from a child process.
    codes = set()
    for i in range(5):
        p = tmp_path / f"r{i}.bin"
        p.write_bytes(os.urandom(4096))
        r = invoke([str(p), "--offline"])
        codes.add(r.exit_code)
        assert "Traceback" not in r.stderr
        if r.exit_code == 2:
            assert r.stderr.strip().startswith("footcheck: error:")
    assert codes == {2}
