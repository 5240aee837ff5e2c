"""The LaTeX reader: notes, \\url/\\href targets, \\cite keys against the .bib, safe \\input."""

from __future__ import annotations

import datetime as dt
import shutil
import time
from pathlib import Path

from footcheck.load import Format, load_path
from footcheck.pipeline import audit_static
from footcheck.rules import RuleContext

DATA = Path(__file__).parent / "data"
CTX = RuleContext(today=dt.date(2026, 1, 10))


def test_latex_footnotes_urls_dates_and_includes(tmp_path) -> None:
    for name in ("thesis.tex", "chapter.tex", "thesis.bib"):
        shutil.copy(DATA / name, tmp_path / name)
    t0 = time.monotonic()
    loaded = load_path(tmp_path / "thesis.tex")
    assert time.monotonic() - t0 < 5
    assert loaded.format is Format.LATEX
    a = audit_static(loaded, CTX)
    fns = {f.number: f for f in a.document.footnotes}
    assert sorted(fns) == [1, 2, 3, 4, 5]  # the commented-out note is not one
    assert [(u.url, u.access_date.value) for u in fns[1].urls] == [("https://docs.example.org/scheduler",
                                                                     dt.date(2025, 3, 7))]
    assert [u.url for u in fns[2].urls] == ["https://git.example.org/sched/core_lib#readme"]
    assert fns[3].urls == () and fns[3].text == "Деление данных на части."
    assert [u.url for u in fns[4].urls] == ["http://www.example.ru/spisok_a"]
    assert [u.url for u in fns[5].urls] == ["https://data.example.org/set_1"]  # from \input{chapter}
    assert fns[1].line == 6 and fns[2].line == 8
    # the included chapter's note is located at the \input line of the paper
    assert a.document.locate(fns[5].line, 5).line == 13
    messages = {(f.code, f.message) for f in a.findings}
    assert ("FC006", "\\cite{nokey} has no entry in the .bib file") in messages
    assert not any("petrov2021" in m for _, m in messages)
    assert ("FC005", "\\input{/etc/passwd} not read: outside the paper's folder") in messages
    assert ("FC005", "\\input{thesis} not read: it includes itself (a cycle)") in messages
    assert "шардирование" in loaded.text and "Деление данных" not in loaded.text


def test_input_cycle_between_two_files_stops(tmp_path) -> None:
    (tmp_path / "a.tex").write_text("\\documentclass{article}\nТекст\\footnote{Первая.}\n\\input{b}\n")
    (tmp_path / "b.tex").write_text("Ещё\\footnote{Вторая.}\n\\input{a}\n")
    loaded = load_path(tmp_path / "a.tex")
    assert [n.text for n in loaded.notes or ()] == ["Первая.", "Вторая."]
    assert [d.code for d in loaded.diagnostics] == ["FC005"]


def test_symlink_out_of_the_folder_is_refused(tmp_path) -> None:
    paper = tmp_path / "paper"
    paper.mkdir()
    (tmp_path / "secret.tex").write_text("Секрет\\footnote{Не читать.}\n")
    (paper / "link.tex").symlink_to(tmp_path / "secret.tex")
    (paper / "main.tex").write_text("\\documentclass{article}\n\\input{link}\n")
    loaded = load_path(paper / "main.tex")
    assert loaded.notes == () and "outside" in loaded.diagnostics[0].message
