"""Verdicts, calls and cache of the registry stage against the fake service."""

from __future__ import annotations

from pathlib import Path

import pytest
from fake_registry import FakeRegistry, work
from paper import PAPER, stock

from footcheck._cache import Cache
from footcheck.model import RegistryStatus
from footcheck.parse import parse_document
from footcheck.registry.interface import RegistryOptions
from footcheck.registry.verify import RegistryStats, verify_documents
from footcheck.rules.registry import registry_findings


def options(fake: FakeRegistry, **kw: object) -> RegistryOptions:
    return RegistryOptions(crossref_url=fake.crossref_url, doi_url=fake.doi_url, backoff_base=0.05, **kw)  # type: ignore[arg-type]


def run(fake: FakeRegistry, cache: Cache | None, text: str = PAPER, **kw: object):  # type: ignore[no-untyped-def]
    doc = parse_document(text)
    stats = RegistryStats()
    [result] = verify_documents([doc], options(fake, **kw), cache=cache, stats=stats)
    return doc, result, stats


def test_every_verdict(fake: FakeRegistry, tmp_path: Path) -> None:
    stock(fake)
    cache = Cache(tmp_path)
    doc, result, _ = run(fake, cache)
    status = {doc.references[k].index: r.status for k, r in result.references.items()}
    assert status == {
        1: RegistryStatus.MATCH,  # English record, matched through the References twin
        2: RegistryStatus.NOT_FOUND,
        3: RegistryStatus.MISMATCH,
        4: RegistryStatus.RETRACTED,
        5: RegistryStatus.UNVERIFIED,  # no DOI: a suggestion
        6: RegistryStatus.UNVERIFIED,  # garbage from Crossref
        7: RegistryStatus.MATCH,
        8: RegistryStatus.MATCH,  # another agency, by content negotiation
    }
    refs = {doc.references[k].index: r for k, r in result.references.items()}
    assert refs[5].suggested_doi == "10.12345/suggest.1" and refs[5].doi is None
    assert refs[3].title == "Quantum dots in coastal oceanography" and refs[3].authors == ("Brandt", "Okafor")
    assert refs[4].notices[0].doi == "10.12345/retraction.notice.1"
    assert refs[8].agency == "other"
    codes = sorted((f.code, f.line) for f in registry_findings(doc, result.references, result.footnotes))
    lines = {r.index: r.line for r in doc.references}
    assert codes == sorted([("FC711", lines[2]), ("FC712", lines[3]), ("FC714", lines[4]), ("FC717", lines[5]),
                            ("FC718", lines[6]), ("FC715", lines[7])])
    cache.close()


def test_one_call_per_doi_and_none_on_a_rerun(fake: FakeRegistry, tmp_path: Path) -> None:
    stock(fake)
    fake.garbage.clear()
    cache = Cache(tmp_path)
    run(fake, cache)
    # 7 DOIs: each asked of the handle API once; Crossref for the 6 registered ones; the
    # notices of the 5 Crossref records; the other agency's record once; one search
    assert {s: fake.count(s) for s in ("handle", "work", "updates", "csl", "search")} == {
        "handle": 7, "work": 6, "updates": 5, "csl": 1, "search": 1}
    before = fake.count()
    _, result, _ = run(fake, cache)
    assert fake.count() == before  # everything came from the cache
    assert len(result.references) == 8
    cache.close()


def test_a_doi_cited_twice_is_asked_once(fake: FakeRegistry) -> None:
    fake.add(work("10.12345/twice", "Rivers of the north", 2010, "Petrov"))
    text = ("Список литературы\n\n1. Петров П. Rivers of the north. 2010. DOI: 10.12345/twice\n"
            "2. Петров П. Rivers of the north. 2010. DOI: 10.12345/TWICE\n")
    _, result, _ = run(fake, None, text, suggest=False)
    assert [r.status for r in result.references.values()] == [RegistryStatus.MATCH] * 2
    assert fake.count("handle") == 1 and fake.count("work") == 1


def test_pace_follows_the_rate_limit_headers(fake: FakeRegistry) -> None:
    fake.rate_limit = (20, "1s")
    lines = []
    for i in range(12):
        fake.add(work(f"10.12345/pace.{i}", f"Invented title number {i}", 2000 + i, "Petrov"))
        lines.append(f"{i + 1}. Петров П. Invented title number {i}. М., {2000 + i}. DOI: 10.12345/pace.{i}")
    text = "Список литературы\n\n" + "\n".join(lines) + "\n"
    _, result, _ = run(fake, None, text, suggest=False)
    assert all(r.status is RegistryStatus.MATCH for r in result.references.values())
    # one server plays both services here, so its limit holds for all 36 requests together
    times = sorted(c.at for c in fake.calls)
    assert len(times) == 36
    # never more than the stated 20 requests in any second, and not much slower than that
    assert fake.peak(1.0) <= 20
    assert 1.6 < times[-1] - times[0] < 2.6


def test_429_bursts_are_waited_out(fake: FakeRegistry) -> None:
    fake.add(work("10.12345/busy", "A busy record", 2001, "Orlov"))
    fake.burst_429 = 2
    fake.retry_after = "0.2"
    text = "Список литературы\n\n1. Орлов О. A busy record. М., 2001. DOI: 10.12345/busy\n"
    _, result, _ = run(fake, None, text, suggest=False)
    assert [r.status for r in result.references.values()] == [RegistryStatus.MATCH]
    first, second, third = sorted(c.at for c in fake.calls)[:3]
    assert second - first >= 0.18 and third - second >= 0.18  # Retry-After honoured


def test_a_long_429_burst_without_retry_after_is_backed_off(fake: FakeRegistry) -> None:
    fake.add(work("10.12345/burst", "A burst record", 2001, "Orlov"))
    fake.burst_429 = 5
    fake.retry_after = None
    text = "Список литературы\n\n1. Орлов О. A burst record. М., 2001. DOI: 10.12345/burst\n"
    _, result, _ = run(fake, None, text, suggest=False, retries=1)
    assert [r.status for r in result.references.values()] == [RegistryStatus.MATCH]
    assert fake.count() == 5 + 3  # five refusals waited out, then handle, work, updates
    gaps = [b.at - a.at for a, b in zip(fake.calls, fake.calls[1:5], strict=False)]
    assert gaps == sorted(gaps)  # the waits grow


def test_a_registry_that_is_down_is_a_finding_not_a_crash(fake: FakeRegistry) -> None:
    fake.down = True
    fake.rate_limit = (50, "1s")  # Crossref's pace: the bound below counts what it lets leave
    lines = [f"{i}. Орлов О. Title number {i}. М., 2001. DOI: 10.12345/down.{i}" for i in range(1, 7)]
    doc, result, _ = run(fake, None, "Список литературы\n\n" + "\n".join(lines) + "\n", suggest=False, retries=1)
    assert all(r.status is RegistryStatus.UNVERIFIED for r in result.references.values())
    assert {f.code for f in registry_findings(doc, result.references, result.footnotes)} == {"FC718"}
    assert fake.count() <= 3 * 2 + 4  # taken as down after three failed requests (4 were in flight)


def test_slow_answers_are_waited_for_and_a_timeout_is_unverified(fake: FakeRegistry) -> None:
    fake.add(work("10.12345/slow", "A slow record", 2001, "Orlov"))
    fake.add(work("10.12345/slower", "A slower record", 2001, "Orlov"))
    fake.slow = {"10.12345/slow": 0.3, "10.12345/slower": 1.5}
    text = ("Список литературы\n\n1. Орлов О. A slow record. М., 2001. DOI: 10.12345/slow\n"
            "2. Орлов О. A slower record. М., 2001. DOI: 10.12345/slower\n")
    _, result, _ = run(fake, None, text, suggest=False, timeout=1.0, retries=0)
    assert [r.status for r in result.references.values()] == [RegistryStatus.MATCH, RegistryStatus.UNVERIFIED]
    assert "in time" in result.references[1].detail


def test_mailto_goes_to_the_polite_pool(fake: FakeRegistry) -> None:
    fake.add(work("10.12345/polite", "A polite record", 2001, "Orlov"))
    text = "Список литературы\n\n1. Орлов О. A polite record. М., 2001. DOI: 10.12345/polite\n"
    run(fake, None, text, suggest=False, mailto="editor@example.org")
    crossref = [c for c in fake.calls if c.service in ("work", "updates")]
    assert crossref and all(c.query.get("mailto") == ["editor@example.org"] for c in crossref)
    assert all("mailto:editor@example.org" in c.headers.get("User-Agent", "") for c in fake.calls)


def test_a_title_marked_retracted_and_an_updated_by_list_count_as_notices(fake: FakeRegistry) -> None:
    fake.add(work("10.12345/marked", "RETRACTED: Rivers of the north", 2010, "Petrov"))
    fake.add(work("10.12345/listed", "Forests of the south", 2012, "Petrov",
                  **{"updated-by": [{"DOI": "10.12345/listed-c", "type": "correction",
                                     "updated": {"date-parts": [[2013, 1, 2]]}}]}))
    text = ("Список литературы\n\n1. Петров П. Rivers of the north. 2010. DOI: 10.12345/marked\n"
            "2. Петров П. Forests of the south. 2012. DOI: 10.12345/listed\n")
    doc, result, _ = run(fake, None, text, suggest=False)
    assert [r.status for r in result.references.values()] == [RegistryStatus.RETRACTED, RegistryStatus.MATCH]
    assert result.references[0].title == "Rivers of the north"
    messages = [f.message for f in registry_findings(doc, result.references, result.footnotes)]
    assert messages == ["entry 1 cites a retracted work: the record of DOI 10.12345/marked is marked retracted",
                        "entry 2: DOI 10.12345/listed has a correction 10.12345/listed-c (2013-01-02)"]


def test_no_network_skips_the_public_registries_but_not_a_local_one(fake: FakeRegistry, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    import datetime as dt

    import footcheck.pipeline as pipeline
    from footcheck.check.network import NetworkState
    from footcheck.load import LoadedText
    from footcheck.rules import RuleContext

    monkeypatch.setattr(pipeline, "_network_state", lambda: NetworkState(down=True, reason="test"))
    stock(fake)
    loaded = LoadedText(text=PAPER, path="paper.txt", encoding="utf-8")
    context = RuleContext(today=dt.date(2026, 1, 1))
    local = pipeline.RunOptions(context=context, offline=False, archive=None, use_cache=False,
                                registry=options(fake))
    [audit] = pipeline.run_audit([loaded], local).audits
    assert audit.registry and fake.count("handle") == 7
    public = pipeline.RunOptions(context=context, offline=False, archive=None, use_cache=False,
                                 registry=RegistryOptions())
    outcome = pipeline.run_audit([loaded], public)
    assert outcome.audits[0].registry == {} and "DOI registries were not asked" in " ".join(outcome.notes)


@pytest.mark.parametrize("value", ["inf", "1e999", "nan", "-5", "many", ""])
def test_a_rate_limit_header_no_service_would_send_is_ignored(value: str) -> None:
    from footcheck.registry.pacing import parse_count, parse_interval

    assert parse_count(value) is None
    assert parse_interval(value) is None
    assert parse_count("50") == 50 and parse_interval("1s") == 1.0
