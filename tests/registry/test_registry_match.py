"""Matching entries with registry records: transliteration-aware parts and the validated
suggestion threshold (the labelled pairs of labelled.py)."""

from __future__ import annotations

from labelled import cases, score

from footcheck.registry.interface import Record
from footcheck.registry.match import EntryView, compare, loose, suggestion


def test_transliterations_meet_in_one_loose_form() -> None:
    assert loose("Жильцов") == loose("Zhiltsov") == loose("Zhil'tsov") == loose("Zhil`czov")
    assert loose("Юрьева") == loose("Yur'yeva") == loose("Iur'eva")


def test_a_russian_entry_matches_its_english_record_through_the_twin() -> None:
    entry = EntryView("Жильцов Ю. А. Политика регионов // Вестник. 2019. № 3. С. 5–19.", "2019", "Жильцов",
                      "Zhil'tsov Iu.A. Politika regionov [Regional policy]. Vestnik, 2019, no. 3, pp. 5–19. (In Russ.)")
    record = Record("10.12345/a", ("Regional policy",), "2019", authors=("Zhiltsov",))
    ag = compare(record, entry)
    assert ag.author == 1.0 and ag.year == 1.0 and ag.title is not None and ag.title >= 0.9
    assert ag.verdict() == "match"
    other = Record("10.12345/b", ("Quantum dots in coastal oceanography",), "2011", authors=("Brandt",))
    assert compare(other, entry).verdict() == "other"
    same_author = Record("10.12345/c", ("Forests of the Urals",), "2019", authors=("Zhiltsov",))
    assert compare(same_author, entry).verdict() == "other"


def test_an_english_title_without_a_twin_is_judged_by_author_and_year() -> None:
    entry = EntryView("Жильцов Ю. А. Политика регионов // Вестник. 2019. № 3.", "2019", "Жильцов")
    record = Record("10.12345/a", ("Regional policy",), "2019", authors=("Zhiltsov",))
    ag = compare(record, entry)
    assert ag.title is None and ag.verdict() == "match"
    assert compare(Record("10.12345/a", ("Regional policy",), "2015", authors=("Smith",)), entry).verdict() == "other"


def test_the_suggestion_threshold_keeps_precision_on_the_labelled_pairs() -> None:
    labelled = cases(80, seed=11)
    chosen = [(c, suggestion([c.record], c.entry) is not None) for c in labelled]
    precision, recall, _tp, fp, positives = score(chosen)
    assert positives > 60
    assert fp == 0 and precision == 1.0
    assert recall >= 0.8


def test_two_different_works_that_fit_equally_give_no_suggestion() -> None:
    entry = EntryView("Орлов О. О. Теория союзов // Мир. 2017. № 4.", "2017", "Орлов")
    a = Record("10.12345/x1", ("Теория союзов",), "2017", authors=("Орлов",))
    b = Record("10.12345/x2", ("Теория союзов",), "2017", authors=("Орлов",))
    assert suggestion([a, b], entry) is None
    assert suggestion([a], entry) is not None
