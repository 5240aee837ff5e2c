"""The PDF reader on PDFs generated here (tests/pdfgen.py): superscript markers, the
footnote zone, running heads and page numbers, two columns, link targets, scans,
encrypted and broken files, the page cap."""

from __future__ import annotations

import pytest

pytest.importorskip("pypdfium2")
pytest.importorskip("fpdf")

from footcheck.load._pdf_layout import GAP, SPACE, Glyph, _superscripts, fragments, page_lines
from footcheck.load.interface import Format, LoadError
from footcheck.load.pdf import CODE_LINK_MISMATCH, CODE_NO_TEXT, CODE_TRUNCATED, PdfReader, read_pdf
from footcheck.parse import parse_document
from pdfgen import PageSpec, Run, build, line, text_width

WORDS = ["торговля", "санкции", "экспорт", "рынок", "пошлина", "соглашение", "импорт", "баланс"]


@pytest.fixture(scope="module")
def fontdir(tmp_path_factory: pytest.TempPathFactory) -> str:
    return str(tmp_path_factory.mktemp("font"))


def _filler(page: int, k: int) -> str:
    w = WORDS[(page + k) % len(WORDS)]
    return f"Страница {page} строка {k}: здесь {w} и {WORDS[(k * 3 + page) % len(WORDS)]} в тексте статьи"


def _paper_page(page: int, notes: list[tuple[int, str]], *, head: str = "Вестник Примерного университета") -> PageSpec:
    """A page with a running head, twelve body lines with a superscript marker for each
    note, the notes at the bottom in small print and a page number."""
    lines = [line(150, 30, head, size=8)]
    marker_rows = {3 + 3 * k: n for k, (n, _) in enumerate(notes)}
    for k in range(12):
        y = 60 + 14 * k
        if k in marker_rows:
            marker = f"^{marker_rows[k]}"
            lines.append(line(40, y, f"Об этом писали авторы {WORDS[k % 8]}", marker, ", и текст идёт дальше"))
        else:
            lines.append(line(40, y, _filler(page, k)))
    y = 500
    for n, text in notes:
        lines.append(line(40, y, f"^{n}", " " + text, size=9))
        y += 11
    lines.append(line(205, 575, str(100 + page), size=9))
    return PageSpec(lines=lines)


def test_markers_zone_and_furniture(fontdir: str) -> None:
    pages = [
        _paper_page(1, [(1, "Иванов И. И. Торговля и санкции. М., 2020. С. 5.")]),
        _paper_page(2, [(2, "Петров П. П. Рынки. URL: https://example.org/markets (дата обращения: 01.02.2023).")]),
        _paper_page(3, [(3, "Там же. С. 7."), (4, "Сидоров С. С. Пошлины. СПб., 2019.")]),
    ]
    loaded = read_pdf(build(pages, fontdir), "paper.pdf")
    assert loaded.format is Format.PDF
    text = loaded.text
    assert text.count("\f") == 2
    assert "Вестник Примерного университета" not in text
    assert "101" not in text.split() and "103" not in text.split()
    assert "писали авторы рынок¹, и текст" in text
    assert "\n\n¹ Иванов И. И." in text  # the zone after a blank line
    doc = parse_document(text)
    assert [fn.number for fn in doc.footnotes] == [1, 2, 3, 4]
    assert doc.footnotes[1].urls[0].url == "https://example.org/markets"
    assert doc.footnotes[1].dates and doc.footnotes[1].dates[0].value.isoformat() == "2023-02-01"
    assert doc.footnotes[2].ibid
    assert all(fn.marker_lines for fn in doc.footnotes)
    # every line knows its page
    lines = text.split("\n")
    assert len(loaded.line_locations) == len(lines)
    k = next(i for i, ln in enumerate(lines) if "Сидоров" in ln)
    assert loaded.line_locations[k].page == 3


def test_notes_printed_mid_body_come_after_it_and_affiliations_are_not_notes(fontdir: str) -> None:
    # page 1: a centered title block with affiliation superscripts, body text, one note
    title = [
        line(150, 40, "О ТОРГОВЛЕ И САНКЦИЯХ", size=14),
        line(160, 60, "И. И. Иванов", "^1", size=11),
        line(120, 76, "^1", " Примерный университет, Москва", size=9),
    ]
    body = [line(40, 110 + 14 * k, _filler(1, k)) for k in range(10)]
    body[4] = line(40, 110 + 14 * 4, "Как отмечают исследователи рынка", "^1", ", спрос растёт")
    notes = [line(40, 520, "^1", " Козлов К. К. Спрос и рынок. М., 2021.", size=9)]
    loaded = read_pdf(build([PageSpec(title + body + notes)], fontdir), "t.pdf")
    doc = parse_document(loaded.text)
    assert [fn.number for fn in doc.footnotes] == [1]
    assert "Козлов" in doc.footnotes[0].text
    assert "Примерный университет" in loaded.text and "¹ Примерный" not in loaded.text


def test_two_columns_in_reading_order_with_a_full_width_title(fontdir: str) -> None:
    lines = [line(100, 40, "ДВЕ КОЛОНКИ ОДНОЙ СТАТЬИ О РЫНКАХ", size=13)]
    for k in range(20):
        y = 80 + 13 * k
        lines.append(line(30, y, f"левая {k:02d} колонка текст", size=10))
        lines.append(line(230, y, f"правая {k:02d} колонка текст", size=10))
    loaded = read_pdf(build([PageSpec(lines)], fontdir), "cols.pdf")
    out = [ln for ln in loaded.text.split("\n") if ln]
    assert out[0].startswith("ДВЕ КОЛОНКИ")
    assert out[1:21] == [f"левая {k:02d} колонка текст" for k in range(20)]
    assert out[21:41] == [f"правая {k:02d} колонка текст" for k in range(20)]


def test_link_targets_repair_broken_urls_and_report_mismatches(fontdir: str) -> None:
    size = 9
    first = "¹ Обзор рынка. URL: https://example.org/reports/"
    lines = [line(40, 60 + 14 * k, _filler(1, k)) for k in range(10)]
    lines[2] = line(40, 88, "Рынок вырос", "^1", ", как и экспорт", "^2", " в этом году")
    lines.append(line(40, 500, "^1", " Обзор рынка. URL: https://example.org/reports/", size=size))
    lines.append(line(52, 511, "trade-2023.html (дата обращения: 05.03.2024).", size=size))
    lines.append(line(40, 522, "^2", " Данные: https://example.ru/data", size=size))
    # the broken URL: one link annotation per printed line, both with the full target
    w1 = text_width("https://example.org/reports/", size)
    x1 = 40 + text_width(first[: first.index("https")], size) - 1
    links = [
        (x1, 492, w1, 11, "https://example.org/reports/trade-2023.html"),
        (52, 503, text_width("trade-2023.html", size), 11, "https://example.org/reports/trade-2023.html"),
        # shown text and target differ: the target kept a tracking parameter
        (40 + text_width("2 Данные: ", size), 514, text_width("https://example.ru/data", size), 11,
         "https://example.ru/data?ysclid=abc123"),
    ]
    loaded = read_pdf(build([PageSpec(lines, links=links)], fontdir), "links.pdf")
    assert "URL: https://example.org/reports/trade-2023.html\n(дата обращения: 05.03.2024)." in loaded.text
    urls = [t.url for t in loaded.links]
    # the two annotations of the broken URL are one link, shown as printed over two lines
    assert urls == ["https://example.org/reports/trade-2023.html", "https://example.ru/data?ysclid=abc123"]
    assert loaded.links[0].shown == "https://example.org/reports/trade-2023.html"
    mismatch = [d for d in loaded.diagnostics if d.code == CODE_LINK_MISMATCH]
    assert len(mismatch) == 1
    assert "example.ru/data?ysclid=abc123" in mismatch[0].message and mismatch[0].location.page == 1
    doc = parse_document(loaded.text)
    assert [u.url for u in doc.footnotes[0].urls] == ["https://example.org/reports/trade-2023.html"]
    assert doc.footnotes[0].dates[0].value.isoformat() == "2024-03-05"


def test_scanned_pages_are_one_diagnostic(fontdir: str) -> None:
    text_page = _paper_page(1, [(1, "Иванов И. И. Торговля. М., 2020.")])
    loaded = read_pdf(build([text_page, PageSpec(image=True), PageSpec(image=True)], fontdir), "mixed.pdf")
    codes = [d for d in loaded.diagnostics if d.code == CODE_NO_TEXT]
    assert len(codes) == 1 and "2 of 3 pages" in codes[0].message and codes[0].location.page == 2
    scanned = read_pdf(build([PageSpec(image=True)] * 2, fontdir), "scan.pdf")
    assert [d.code for d in scanned.diagnostics] == [CODE_NO_TEXT]
    assert "no text layer" in scanned.diagnostics[0].message
    assert not scanned.text.strip()


def test_encrypted_broken_and_garbage_files_are_one_line_errors(fontdir: str) -> None:
    data = build([_paper_page(1, [])], fontdir)
    with pytest.raises(LoadError, match="encrypted"):
        read_pdf(build([_paper_page(1, [])], fontdir, password="secret"), "locked.pdf")
    for bad in (b"%PDF-1.7\n" + bytes(range(256)) * 20, b"%PDF-1.4\n%%EOF\n", data[: len(data) // 3]):
        try:
            loaded = read_pdf(bad, "bad.pdf")
        except LoadError as exc:
            assert "\n" not in str(exc) and str(exc).startswith("bad.pdf: ")
        else:  # PDFium recovered what it could: a text, never an exception
            assert isinstance(loaded.text, str)


def test_page_cap(fontdir: str) -> None:
    pages = [_paper_page(k, []) for k in range(1, 6)]
    loaded = read_pdf(build(pages, fontdir), "long.pdf", max_pages=2)
    assert loaded.text.count("\f") == 1
    assert [d.code for d in loaded.diagnostics] == [CODE_TRUNCATED]
    assert "5 pages" in loaded.diagnostics[0].message


def test_text_cap(fontdir: str, monkeypatch: pytest.MonkeyPatch) -> None:
    import footcheck.load.pdf as pdf

    monkeypatch.setattr(pdf, "MAX_CHARS", 1000)  # a page holds some 800 glyphs
    loaded = read_pdf(build([_paper_page(k, []) for k in range(1, 6)], fontdir), "dense.pdf")
    assert loaded.text.count("\f") == 1
    assert [d.code for d in loaded.diagnostics] == [CODE_TRUNCATED]
    assert "only the first 2" in loaded.diagnostics[0].message


def test_sniff() -> None:
    reader = PdfReader()
    assert reader.sniff(b"%PDF-1.7\n...", "x.bin")
    assert not reader.sniff(b"plain text", "x.pdf")


def _g(ch: str, x: float, size: float = 10, y: float = 0) -> Glyph:
    return Glyph(ch, x, x + size * 0.5, y, size)


def test_superscripts_attach_to_text_not_to_raised_table_cells() -> None:
    line_ = [_g("а", 0), _g("б", 5), _g("1", 10, 6, 4), _g(".", 13)]
    raised = [False, False, True, False]
    assert _superscripts(line_, raised) == {2}
    # a small raised cell after a wide gap, with more cells: not a marker
    cells = [_g("а", 0), GAP, _g("1", 40, 6, 4), _g("9", 43, 6, 4), None, _g("2", 60, 6, 4)]
    assert _superscripts(cells, [False, False, True, True, False, True]) == set()
    # a note's number at the line start before ordinary text
    start = [_g("3", 0, 6, 4), _g("Т", 4), _g("о", 9)]
    assert _superscripts(start, [True, False, False]) == {0}
    # five raised digits are a number set small, not a marker
    long = [_g("а", 0)] + [_g(str(k), 5 + 3 * k, 6, 4) for k in range(5)]
    assert _superscripts(long, [False] + [True] * 5) == set()


def test_runs_helper_places_superscripts() -> None:
    ln = line(0, 0, "слово", "^12")
    assert ln.runs[1] == Run("12", 7.15, pytest.approx(3.85))


def test_a_note_running_over_the_page_break_reads_as_one(fontdir: str) -> None:
    p1 = [line(40, 60 + 14 * k, _filler(1, k)) for k in range(10)]
    p1[2] = line(40, 88, "Рост экспорта отмечен в обзоре", "^1", ", а также в отчётах")
    p1.append(line(40, 520, "^1", " Подробнее об этом см. обзор [Кузнецов", size=9))
    p2 = [line(40, 60 + 14 * k, _filler(2, k)) for k in range(10)]
    p2[5] = line(40, 130, "Данные о торговле уточнены", "^2", " позднее")
    p2.append(line(40, 509, "2021, с. 14], где приведены цифры за год.", size=9))
    p2.append(line(40, 520, "^2", " Смирнов С. С. Торговля. URL: https://example.org/trade", size=9))
    loaded = read_pdf(build([PageSpec(p1), PageSpec(p2)], fontdir), "break.pdf")
    lines = loaded.text.split("\n")
    k = lines.index("¹ Подробнее об этом см. обзор [Кузнецов")
    assert lines[k + 1] == "2021, с. 14], где приведены цифры за год."
    assert loaded.line_locations[k].page == 1 and loaded.line_locations[k + 1].page == 2
    doc = parse_document(loaded.text)
    assert [fn.number for fn in doc.footnotes] == [1, 2]
    assert [c.raw for c in doc.citations] == ["Кузнецов 2021, с. 14"]


def test_words_hyphenated_at_a_line_end_are_joined_but_urls_are_not(fontdir: str) -> None:
    lines = [line(40, 60 + 14 * k, _filler(1, k)) for k in range(8)]
    lines[1] = line(40, 74, "В работе подробно рассмотрены вопросы торго-")
    lines[2] = line(40, 88, "вли и пошлин, см. https://example.org/trade-")
    lines[3] = line(40, 102, "policy/report.html и другие источники")
    loaded = read_pdf(build([PageSpec(lines)], fontdir), "hyph.pdf")
    out = loaded.text.split("\n")
    assert out[1] == "В работе подробно рассмотрены вопросы торговли"
    assert out[2] == "и пошлин, см. https://example.org/trade-"
    assert out[3] == "policy/report.html и другие источники"


def test_two_columns_with_notes_at_the_foot_of_each(fontdir: str) -> None:
    lines = []
    for k in range(24):
        y = 60 + 13 * k
        left = f"слева {k:02d} текст о рынке" if k != 4 else "слева о рынке"
        right = f"справа {k:02d} текст о торговле" if k != 6 else "справа о торговле"
        lines.append(line(30, y, left, size=10) if k != 4 else line(30, y, left, "^1", " далее", size=10))
        lines.append(line(230, y, right, size=10) if k != 6 else line(230, y, right, "^2", " далее", size=10))
    lines.append(line(30, 500, "^1", " Иванов И. И. Рынок. М., 2020.", size=8))
    lines.append(line(230, 500, "^2", " Петров П. П. Торговля. СПб., 2021.", size=8))
    loaded = read_pdf(build([PageSpec(lines)], fontdir), "cols-notes.pdf")
    out = loaded.text.split("\n")
    assert out.index("справа 23 текст о торговле") < out.index("¹ Иванов И. И. Рынок. М., 2020.")
    assert out[-2:] == ["¹ Иванов И. И. Рынок. М., 2020.", "² Петров П. П. Торговля. СПб., 2021."]
    doc = parse_document(loaded.text)
    assert [fn.number for fn in doc.footnotes] == [1, 2]
    assert all(fn.marker_lines for fn in doc.footnotes)


def test_a_blank_page_is_not_a_scan(fontdir: str) -> None:
    loaded = read_pdf(build([PageSpec(), _paper_page(1, []), PageSpec()], fontdir), "blank.pdf")
    assert loaded.diagnostics == ()
    assert loaded.text.count("\f") == 2


def test_damaged_bytes_never_raise_anything_but_load_error(fontdir: str) -> None:
    import random

    data = build([_paper_page(k, [(k, "Иванов И. И. Торговля. М., 2020.")]) for k in (1, 2)], fontdir)
    rng = random.Random(7)
    outcomes = set()
    for _ in range(40):
        damaged = bytearray(data)
        for _ in range(rng.randint(1, 40)):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        if rng.random() < 0.3:
            damaged = damaged[: rng.randrange(len(damaged))]
        try:
            read_pdf(bytes(damaged), "damaged.pdf")
            outcomes.add("read")
        except LoadError as exc:
            assert "\n" not in str(exc)
            outcomes.add("error")
    assert outcomes == {"read", "error"}  # both kinds of damage were met


def test_note_numbers_set_flush_right_as_latex_does(fontdir: str) -> None:
    lines = [line(40, 60 + 14 * k, _filler(1, k)) for k in range(12)]
    for k, n in ((2, 9), (5, 10), (8, 11)):
        lines[k] = line(40, 60 + 14 * k, "Вывод о рынке сделан в обзоре", f"^{n}", ", и текст идёт дальше")
    y = 480
    for n in (9, 10, 11):
        digits = text_width(str(n), 8)  # the number flush right before x = 52
        lines.append(line(52 - digits, y, f"{n} Автор {n} А. А. Статья о торговле и рынках, пошлинах", size=8))
        lines.append(line(40, y + 10, "и санкциях. М., 2020. С. 10.", size=8))
        y += 20
    loaded = read_pdf(build([PageSpec(lines)], fontdir), "latex.pdf")
    out = loaded.text.split("\n")
    assert out[-7] == "" and out[-6].startswith("⁹ Автор 9") and out[-2].startswith("¹¹ Автор 11")


def test_a_word_hyphenated_over_a_page_break_is_joined_on_the_first_page(fontdir: str) -> None:
    p1 = [line(40, 60 + 14 * k, _filler(1, k)) for k in range(8)]
    p1.append(line(40, 60 + 14 * 8, "как пишут авторы обзора [Погре-"))
    p2 = [line(40, 60, "бная 2010], рынок растёт")] + [line(40, 74 + 14 * k, _filler(2, k)) for k in range(8)]
    loaded = read_pdf(build([PageSpec(p1), PageSpec(p2)], fontdir), "break-word.pdf")
    assert "как пишут авторы обзора [Погребная\n\f2010], рынок растёт" in loaded.text
    assert [c.raw for c in parse_document(loaded.text).citations] == ["Погребная 2010"]


def test_a_keyed_list_with_thin_spaced_dashes_keeps_its_word_breaks(fontdir: str) -> None:
    # "Key — Entry" typeset with no space character before the dash (only a thin gap)
    # and a six-per-em space plus a zero-width space after it
    size = 10.0
    key = "Петров, Сидоров 2021"
    entry = "\u2006\u200bПетров П. П., Сидоров С. С. Примерная книга. М., 2021."
    x_dash = 40 + text_width(key, size) + 0.15 * size
    lines = [line(40, 60, "Литература", size=12),
             line(40, 80, key, size=size), line(x_dash, 80, "—" + entry, size=size),
             line(40, 94, "Иванов 2020 —\u2006\u200bИванов И. И. Другая книга. СПб., 2020.", size=size)]
    loaded = read_pdf(build([PageSpec(lines)], fontdir), "keyed.pdf")
    out = loaded.text.split("\n")
    assert out[1] == "Петров, Сидоров 2021 — Петров П. П., Сидоров С. С. Примерная книга. М., 2021."
    assert out[2] == "Иванов 2020 — Иванов И. И. Другая книга. СПб., 2020."
    assert len(parse_document(loaded.text).references) == 2


def test_a_dash_in_a_range_stays_unspaced(fontdir: str) -> None:
    loaded = read_pdf(build([PageSpec([line(40, 60, "См. с. 119–127 и 2016—2017 гг.")])], fontdir), "range.pdf")
    assert loaded.text.split("\n")[0] == "См. с. 119–127 и 2016—2017 гг."


def _glyph_run(text: str, x: float, size: float = 9.0, gaps: dict[int, float] | None = None) -> list[Glyph]:
    """Glyphs of ``text`` on one baseline, each 0.5 em wide, ``gaps`` (index -> points)
    of extra room before some of them; a space in ``text`` is a reported word break."""
    out: list[Glyph] = []
    for i, ch in enumerate(text):
        if ch == " ":
            out.append(SPACE)
            continue
        x += (gaps or {}).get(i, 0.0)
        out.append(Glyph(ch, x, x + 0.5 * size, 100.0, size))
        x += 0.5 * size
    return out


def test_a_dash_set_off_by_a_thin_gap_is_a_spaced_dash() -> None:
    # what a typeset keyed list does: no space character before the dash, a gap of about
    # 0.15 em; a range dash touches its numbers
    glyphs = _glyph_run("Петров 2021— Петров П. с. 119–127", 40, gaps={11: 1.3})
    (text,) = [ln.text for ln in page_lines(fragments(glyphs), 420)]
    assert text == "Петров 2021 — Петров П. с. 119–127"
