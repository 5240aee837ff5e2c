"""footcheck PAPER with the registry on, end to end (in-process), against the fake."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
from pathlib import Path

import jsonschema
from fake_registry import FakeRegistry
from paper import PAPER, stock

from footcheck._testing import invoke


def footcheck(paper: Path, *extra: str, env: dict[str, str] | None = None) -> tuple[int, dict]:
    argv = ["check", str(paper), "--format", "json", "--no-wayback", "--quiet", "--today", "2026-01-01", *extra]
    r = invoke(argv, env={"NO_COLOR": "1", **(env or {})})
    assert r.exit_code in (0, 1), r.stderr
    return r.exit_code, json.loads(r.stdout)


def test_json_fields_schema_and_rerun(fake: FakeRegistry, tmp_path: Path) -> None:
    stock(fake)
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER, encoding="utf-8")
    args = ("--crossref-url", fake.crossref_url, "--doi-url", fake.doi_url, "--cache-dir", str(tmp_path / "c"),
            "--mailto", "editor@example.org")
    code, report = footcheck(paper, *args)
    assert code == 1
    schema = json.loads(resources.files("footcheck.report").joinpath("schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)
    refs = report["documents"][0]["references"]
    assert refs[0]["doi"] == "10.12345/found.2019.1"
    assert refs[0]["registry"]["status"] == "match"
    assert refs[0]["registry"]["authors"] == ["Zhiltsov"] and refs[0]["registry"]["year"] == "2019"
    assert [r["registry"]["status"] for r in refs] == [
        "match", "not-found", "mismatch", "retracted", "unverified", "unverified", "match", "match"]
    assert refs[4]["doi"] is None and refs[4]["registry"]["suggested_doi"] == "10.12345/suggest.1"
    assert 0 <= refs[2]["registry"]["score"] < 0.5
    codes = {f["code"] for f in report["documents"][0]["findings"]}
    assert {"FC711", "FC712", "FC714", "FC715", "FC717", "FC718"} <= codes
    calls = fake.count()
    fake.garbage.clear()  # the unreadable answer was remembered: no new call either
    _, again = footcheck(paper, *args)
    assert fake.count() == calls
    assert [r["registry"]["status"] for r in again["documents"][0]["references"]] == [
        r["registry"]["status"] for r in refs]


def test_environment_sets_the_services_and_no_registry_turns_it_off(fake: FakeRegistry, tmp_path: Path) -> None:
    stock(fake)
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER, encoding="utf-8")
    env = {"FOOTCHECK_CROSSREF_URL": fake.crossref_url, "FOOTCHECK_DOI_URL": fake.doi_url}
    _, report = footcheck(paper, "--no-cache", "--no-registry", env=env)
    assert fake.count() == 0
    assert all(r["registry"] is None for r in report["documents"][0]["references"])
    assert report["documents"][0]["references"][0]["doi"] == "10.12345/found.2019.1"
    _, report = footcheck(paper, "--no-cache", env=env)
    assert fake.count("handle") == 7
    assert report["documents"][0]["references"][1]["registry"]["status"] == "not-found"


def test_offline_and_no_registry_import_nothing_of_the_stage(tmp_path: Path) -> None:
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER, encoding="utf-8")
    script = (
        "import sys\nfrom footcheck._cli import main\n"
        f"base = ['footcheck', {str(paper)!r}, '--format', 'json', '--quiet']\n"
        "for extra in (['--offline'], ['--no-registry', '--no-wayback', '--no-cache']):\n"
        "    sys.argv = base + extra\n"
        "    try:\n        main()\n    except SystemExit:\n        pass\n"
        "print('REG', any(m.startswith('footcheck.registry') for m in sys.modules), 'rapidfuzz' in sys.modules,"
        " file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert "REG False False" in done.stderr, done.stderr


def test_two_services_on_two_servers_and_doi_links_left_to_the_registry(tmp_path: Path) -> None:
    with FakeRegistry() as crossref, FakeRegistry() as resolver:
        stock(crossref)
        stock(resolver)
        text = PAPER.replace("DOI: 10.12345/found.2019.1", "https://doi.org/10.12345/found.2019.1")
        paper = tmp_path / "paper.txt"
        paper.write_text(text, encoding="utf-8")
        _, report = footcheck(paper, "--crossref-url", crossref.crossref_url, "--doi-url", resolver.doi_url,
                              "--no-cache")
        doc = report["documents"][0]
        assert doc["references"][0]["doi"] == "10.12345/found.2019.1"
        assert doc["references"][0]["registry"]["status"] == "match"
        [link] = [link for link in doc["links"] if "doi.org" in link["url"]]
        assert link["status"] == "skipped" and "registry" in link["detail"]
        assert resolver.count("handle") == 7 and resolver.count("work") == 0
        assert crossref.count("handle") == 0 and crossref.count("work") == 6


def test_the_registry_table_of_the_config_file(fake: FakeRegistry, tmp_path: Path) -> None:
    stock(fake)
    paper = tmp_path / "paper.txt"
    paper.write_text(PAPER, encoding="utf-8")
    (tmp_path / "footcheck.toml").write_text(
        f'[registry]\nmailto = "desk@example.org"\ncrossref-url = "{fake.crossref_url}"\n'
        f'doi-url = "{fake.doi_url}"\n\n[links]\ncache = false\n', encoding="utf-8")
    _, report = footcheck(paper)
    assert report["documents"][0]["references"][1]["registry"]["status"] == "not-found"
    assert all(c.query.get("mailto") == ["desk@example.org"] for c in fake.calls if c.service == "work")
    calls = fake.count()
    (tmp_path / "footcheck.toml").write_text(
        f'[registry]\nenabled = false\ncrossref-url = "{fake.crossref_url}"\n', encoding="utf-8")
    _, report = footcheck(paper, "--no-cache")
    assert fake.count() == calls and report["documents"][0]["references"][0]["registry"] is None


def test_translit_scheme_on_the_command_line(tmp_path: Path) -> None:
    sample = Path(__file__).parents[2] / "samples" / "references_twin.txt"
    _, report = footcheck(sample, "--offline", "--translit-scheme", "bgn")
    assert [f["line"] for f in report["documents"][0]["findings"] if f["code"] == "FC809"] == [52]
    r = invoke(["check", str(sample), "--offline", "--translit-scheme", "nope"])
    assert r.exit_code == 2 and "unknown scheme" in r.stderr
