"""One settings layer: CLI over config file over defaults, found upward, with provenance;
bad config files are one-line errors naming file, line and key; the journal profile rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from footcheck import defaults
from footcheck.check.options import CheckOptions, HostPolicy
from footcheck.config import init_text
from footcheck.settings import KEYS, ConfigError, _toml_loads, find_config, key_lines, network_options, resolve

from .conftest import cli

ROOT = Path(__file__).resolve().parents[2]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_have_one_place() -> None:
    s = resolve({}, isolated=True)
    assert s["links.concurrency"] == defaults.CONCURRENCY == CheckOptions().concurrency
    assert s["wayback.max-gap-days"] == defaults.MAX_ARCHIVE_GAP_DAYS
    assert all(o == "default" for o in s.origins.values())
    # the CLI's option defaults are the same constants
    from footcheck._cli import CHECK

    params = {o.dest: o.default for o in CHECK.options}
    checked = 0
    for key in KEYS:
        if key.option in params and not key.invert and key.default not in (None, (), {}):
            assert params[key.option] == key.default, key.name
            checked += 1
    assert checked >= 10


def test_found_upward_pyproject_and_precedence(tmp_path: Path) -> None:
    paper = write(tmp_path / "a" / "b" / "paper.txt", "Текст.\n")
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n\n[tool.footcheck.links]\ntimeout = 5\n")
    assert find_config(paper) == tmp_path / "pyproject.toml"
    s = resolve({}, start=paper.parent)
    assert s["links.timeout"] == 5.0 and s.origin("links.timeout") == f"{tmp_path / 'pyproject.toml'}:5"
    near = write(tmp_path / "a" / "footcheck.toml", "[links]\n\ntimeout = 7\nretries = 0\n")
    s = resolve({"retries": 1}, start=paper.parent)
    assert (s["links.timeout"], s.origin("links.timeout")) == (7.0, f"{near}:3")
    assert (s["links.retries"], s.origin("links.retries")) == (1, "--retries")
    assert resolve({}, start=paper.parent, isolated=True)["links.timeout"] == defaults.TIMEOUT
    other = write(tmp_path / "other.toml", "offline = true\n")
    s = resolve({}, start=paper.parent, config=other)
    assert s["offline"] is True and s["links.timeout"] == defaults.TIMEOUT


@pytest.mark.parametrize(("text", "message"), [
    ("[links]\nretries = 1\ntimeout = 'fast'\n", ":3: links.timeout: expected a number, got 'fast'"),
    ("offline = true\ntimout = 3\n", ":2: unknown key 'timout'"),
    ("[links]\ntimout = 3\n", ":2: unknown key 'links.timout' (did you mean 'links.timeout'?)"),
    ("select = ['FC99']\n", ":1: select: 'FC99' is not a rule code"),
    ("[severity]\nFC201 = 'fatal'\n", ":2: severity.FC201: 'fatal' is not a severity"),
    ('[links.hosts."a.ru"]\nspeed = 1\n', ":2: unknown key 'links.hosts.a.ru.speed'"),
    ('[links.hosts."a.ru"]\nheaders = { "X-Note" = "Вестник" }\n',
     "links.hosts.a.ru.headers: the value of X-Note must be printable ASCII"),
    ('[links.hosts."a.ru"]\nheaders = { "Bad Name" = "x" }\n', "'Bad Name' is not a header name"),
    ('[links.hosts."a.ru"]\nuser-agent = "Bot\\r\\nX: 1"\n', "a User-Agent must be printable ASCII"),
    ("[profile]\nbracket-style = 'harvard'\n", ":2: profile.bracket-style: expected one of author-year, numeric"),
    ("today = 2024-13-01\n", "not valid TOML"),
    ("[wayback]\nconcurrency = 0\n", ":2: wayback.concurrency: expected a positive number"),
])
def test_bad_config_is_one_line_naming_file_line_key(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path / "footcheck.toml", text)
    with pytest.raises(ConfigError) as err:
        resolve({}, start=tmp_path)
    assert str(err.value).startswith(str(path)) and message in str(err.value)
    paper = write(tmp_path / "p.txt", "Текст.\n")
    r = cli(str(paper), "--offline")
    assert r.exit_code == 2 and message in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_key_lines_follow_tables_and_quoted_keys() -> None:
    text = 'a = 1\n[links]\n# c\ntimeout = 3\n[links.hosts."x.ru"]\ndelay = 1\n'
    assert key_lines(text) == {"a": 1, "links": 2, "links.timeout": 4, "links.hosts.x.ru": 5,
                               "links.hosts.x.ru.delay": 6}


def test_config_and_init_commands(tmp_path: Path) -> None:
    r = cli("init", cwd=tmp_path)
    assert r.exit_code == 0 and (tmp_path / "footcheck.toml").is_file()
    assert cli("init", cwd=tmp_path).exit_code == 2  # no overwrite without --force
    text = (tmp_path / "footcheck.toml").read_text("utf-8")
    assert _toml_loads(text) == {"files": {}, "links": {}, "wayback": {}, "registry": {}, "profile": {}}
    # every key written, and uncommenting all of them gives a valid config
    for key in KEYS:
        if key.name != "severity":
            assert f"# {key.name.rpartition('.')[2]} = " in text, key.name
    live = "\n".join(line[2:].split("  # ")[0] if line.startswith("# ") and " = " in line else line
                     for line in text.splitlines())
    write(tmp_path / "footcheck.toml", live)
    r = cli("config", str(tmp_path))
    assert r.exit_code == 0, r.stderr
    assert "links.timeout = 20.0" in r.stdout and "footcheck.toml:" in r.stdout
    assert 'profile.translit-scheme = "bgn_pcgn"' in r.stdout


def test_settings_reach_the_checker(tmp_path: Path) -> None:
    write(tmp_path / "footcheck.toml", '[links]\nconcurrency = 9\nexclude = ["^https://x\\\\."]\n'
          '[links.hosts."skip.example.ru"]\nskip = true\n[wayback]\nenabled = false\n')
    check, archive = network_options(resolve({"timeout": 3.0}, start=tmp_path))
    assert (check.concurrency, check.timeout, archive) == (9, 3.0, None)
    import re

    assert any(re.search(p, "https://skip.example.ru/a") for p in check.exclude)
    assert not any(re.search(p, "https://notskip.example.ru/a") for p in check.exclude)
    # no FC6xx selected: no Wayback lookups at all
    _, archive = network_options(resolve({"ignore": ["FC6"]}, isolated=True))
    assert archive is None
    _, archive = network_options(resolve({}, isolated=True))
    assert archive is not None


def test_host_tables_reach_the_checker_as_policies(tmp_path: Path) -> None:
    write(tmp_path / "footcheck.toml", '[links.hosts."Slow.Example.ru"]\nconcurrency = 1\ndelay = 2.5\n'
          '[links.hosts."пример.рф"]\ndelay = 1\nuser-agent = "Bot/1"\ntimeout = 40\n'
          '[links.hosts."пример.рф".headers]\nAccept-Language = "en"\n'
          '[links.hosts."only-skip.ru"]\nskip = true\n')
    check, _ = network_options(resolve({}, start=tmp_path))
    assert check.hosts == {
        "slow.example.ru": HostPolicy(concurrency=1, delay=2.5),
        "xn--e1afmkfd.xn--p1ai": HostPolicy(delay=1.0, user_agent="Bot/1", headers={"Accept-Language": "en"},
                                            timeout=40.0)}
    assert check.longest_timeout == 40.0


PROFILE_PAPER = """Как показано в работе [Иванов 2010: 5] и в [3, с. 7], рост продолжался1, а затем2.

1 Доклад. URL: https://example.ru/a (дата доступа: 5.3.2024).
2 Там же. URL: https://example.ru/b (дата обращения: 05.03.2024).

Литература

Иванов И. И. Книга. М., 2010.
"""


def findings(tmp_path: Path, config: str) -> list[tuple[str, str]]:
    paper = write(tmp_path / "paper.txt", PROFILE_PAPER)
    write(tmp_path / "footcheck.toml", config)
    r = cli(str(paper), "--offline", "-f", "json", "--today", "2026-01-01", "--select", "FC9")
    return [(f["code"], f["message"]) for f in json.loads(r.stdout)["documents"][0]["findings"]]


def test_no_profile_no_profile_findings(tmp_path: Path) -> None:
    assert findings(tmp_path, "") == []


def test_profile_rules(tmp_path: Path) -> None:
    found = findings(tmp_path, """[profile]
access-date-label = "дата обращения"
access-date-format = "DD.MM.YYYY"
ibid = false
bracket-style = "author-year"
reference-headings = ["Список литературы"]
references-required = true
""")
    codes = sorted(c for c, _ in found)
    assert codes == ["FC901", "FC902", "FC903", "FC904", "FC905", "FC906"], found
    text = dict(found)
    assert "«дата доступа»" in text["FC901"] and "«5.3.2024»" in text["FC902"]
    assert "[3, с. 7]" in text["FC904"] and "«Литература»" in text["FC905"]


def test_profile_iso_format_and_numeric(tmp_path: Path) -> None:
    found = findings(tmp_path, '[profile]\naccess-date-format = "YYYY-MM-DD"\nbracket-style = "numeric"\n')
    assert sorted(c for c, _ in found) == ["FC902", "FC902", "FC904"]


@pytest.mark.parametrize("name", ["footcheck.humanities.toml", "footcheck.scopus.toml"])
def test_samples_are_valid_configs(name: str) -> None:
    s = resolve({}, config=ROOT / "samples" / name)
    assert s["profile.name"] and s.origin("profile.name").startswith(str(ROOT / "samples" / name))


def test_init_text_is_valid_toml() -> None:
    assert isinstance(_toml_loads(init_text()), dict)
