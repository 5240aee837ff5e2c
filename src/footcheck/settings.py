"""One settings layer: defaults, the config file and the command line meet here.

Every setting is a :class:`Key` of :data:`KEYS` with one default (from
:mod:`footcheck.defaults`), one TOML key and, usually, one CLI option. :func:`resolve`
takes the values given on the command line, the config file found from the paper's
folder upward (``footcheck.toml``, ``.footcheck.toml``, or ``[tool.footcheck]`` in
``pyproject.toml``) and the defaults, most specific first, and returns a typed
:class:`Settings` that remembers where each value came from (``footcheck config``
prints it).

Unknown keys and values of the wrong type are :class:`ConfigError` s naming the key,
the file and the line.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from footcheck import defaults

if TYPE_CHECKING:
    from footcheck.rules.selection import Selection

CONFIG_NAMES = ("footcheck.toml", ".footcheck.toml")
PYPROJECT = "pyproject.toml"


class ConfigError(ValueError):
    """A config file that cannot be used; the message is one line naming file, line and key."""


# --- value kinds ---------------------------------------------------------------------


def _bool(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    raise TypeError("expected true or false")


def _int(v: Any) -> int:
    if isinstance(v, int) and not isinstance(v, bool):
        return v
    raise TypeError("expected an integer")


def _float(v: Any) -> float:
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return float(v)
    raise TypeError("expected a number")


def _str(v: Any) -> str:
    if isinstance(v, str):
        return v
    raise TypeError("expected a string")


def _date(v: Any) -> dt.date:
    if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
        return v
    if isinstance(v, str):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise TypeError("expected a date (2024-05-01)")


def _strs(v: Any) -> tuple[str, ...]:
    if isinstance(v, str):
        return (v,)
    if isinstance(v, list) and all(isinstance(x, str) for x in v):
        return tuple(v)
    raise TypeError("expected a list of strings")


def _ints(v: Any) -> tuple[int, ...]:
    if isinstance(v, list) and all(isinstance(x, int) and not isinstance(x, bool) for x in v):
        return tuple(v)
    raise TypeError("expected a list of integers")


def _str_table(v: Any) -> dict[str, str]:
    if isinstance(v, dict) and all(isinstance(x, str) for x in v.values()):
        return dict(v)
    raise TypeError("expected a table of strings")


_HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an RFC 9110 token
_HEADER_VALUE = re.compile(r"[\t\x20-\x7e]*")  # visible ASCII, spaces and tabs: no line breaks


def _headers(v: Any) -> dict[str, str]:
    table = _str_table(v)
    for name, value in table.items():
        if not _HEADER_NAME.fullmatch(name):
            raise TypeError(f"{name!r} is not a header name")
        if not _HEADER_VALUE.fullmatch(value):
            raise TypeError(f"the value of {name} must be printable ASCII")
    return table


def _user_agent(v: Any) -> str:
    text = _str(v)
    if not _HEADER_VALUE.fullmatch(text):
        raise TypeError("a User-Agent must be printable ASCII")
    return text


def _scheme(v: Any) -> str:
    from footcheck.parse.twin import SCHEME_NAMES, scheme_id

    found = scheme_id(v) if isinstance(v, str) else None
    if found is None:
        raise TypeError(f"expected a transliteration scheme ({', '.join(SCHEME_NAMES)})")
    return found


def _choice(*allowed: str) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if isinstance(v, str) and v in allowed:
            return v
        raise TypeError(f"expected one of {', '.join(allowed)}")

    check.__name__ = "choice"
    return check


def _positive(kind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check(v: Any) -> Any:
        value = kind(v)
        if value <= 0:
            raise TypeError("expected a positive number")
        return value

    return check


def _non_negative(kind: Callable[[Any], Any]) -> Callable[[Any], Any]:
    def check(v: Any) -> Any:
        value = kind(v)
        if value < 0:
            raise TypeError("expected a number that is not negative")
        return value

    return check


def _formats() -> list[str]:
    from footcheck.report import REPORTERS  # the one list of formats

    return list(REPORTERS)


@dataclass(frozen=True)
class Key:
    """One setting: its TOML key, how to read it, its default and its CLI option."""

    name: str  # dotted TOML key: "links.timeout"
    kind: Callable[[Any], Any]
    default: Any
    option: str | None = None  # the CLI parameter (typer's name) that sets it
    invert: bool = False  # a --no-x flag: the option's True is the key's False
    help: str = ""


KEYS: tuple[Key, ...] = (
    Key("select", _strs, None, "select", help="rules to run: codes, prefixes or names (default: all)"),
    Key("ignore", _strs, (), "ignore", help="rules not to run"),
    Key("severity", _str_table, {}, "severity", help='severity overrides: FC201 = "error"'),
    Key("fail-on", _choice("error", "warning", "never"), defaults.FAIL_ON, "fail_on",
        help="which severity makes the exit code 1"),
    Key("format", _choice(*_formats()), defaults.FORMAT, "fmt", help="report format"),
    Key("offline", _bool, False, "offline", help="do not check links over the network"),
    Key("today", _date, None, "today", help="the date access dates are compared with (default: today)"),
    Key("submitted", _date, None, "submitted", help="the submission date"),
    Key("max-age-years", _positive(_float), None, "max_age_years", help="flag older access dates"),
    Key("files.include", _strs, (), "include", help="globs of files to audit in a folder"),
    Key("files.exclude", _strs, (), "exclude_path", help="globs of files to skip in a folder"),
    Key("links.exclude", _strs, (), "exclude", help="URL regexes not to check"),
    Key("links.accept", _ints, (), "accept", help="HTTP status codes that count as fine (e.g. [403])"),
    Key("links.concurrency", _positive(_int), defaults.CONCURRENCY, "concurrency",
        help="requests in flight overall"),
    Key("links.per-host", _positive(_int), defaults.PER_HOST, "per_host", help="requests in flight per host"),
    Key("links.timeout", _positive(_float), defaults.TIMEOUT, "timeout", help="seconds per URL"),
    Key("links.retries", _non_negative(_int), defaults.RETRIES, "retries", help="retries after 429/503"),
    Key("links.user-agent", _user_agent, None, "user_agent", help="User-Agent header"),
    Key("links.proxy", _str, None, "proxy", help="HTTP proxy URL (default: HTTPS_PROXY/HTTP_PROXY)"),
    Key("links.allow-private", _bool, False, "allow_private", help="fetch loopback/private addresses"),
    Key("links.cache", _bool, True, "no_cache", invert=True, help="use the on-disk cache"),
    Key("links.cache-dir", _str, None, "cache_dir", help="where the cache lives"),
    Key("links.cache-ttl", _non_negative(_float), defaults.CACHE_TTL, "cache_ttl",
        help="seconds settled answers are reused"),
    Key("wayback.enabled", _bool, True, "no_wayback", invert=True, help="Wayback Machine lookups"),
    Key("wayback.url", _str, None, "wayback_url", help="base of a Wayback-compatible service"),
    Key("wayback.archive-all", _bool, False, "archive_all", help="look up every link"),
    Key("wayback.max-gap-days", _non_negative(_int), defaults.MAX_ARCHIVE_GAP_DAYS, "max_archive_gap",
        help="days between access date and capture before FC603"),
    Key("wayback.rate", _positive(_float), defaults.WAYBACK_RATE, "wayback_rate", help="CDX requests a minute"),
    Key("wayback.concurrency", _positive(_int), defaults.WAYBACK_CONCURRENCY, "wayback_concurrency",
        help="lookups at once"),
    Key("wayback.timeout", _positive(_float), defaults.WAYBACK_TIMEOUT, "wayback_timeout",
        help="seconds per Wayback answer"),
    Key("registry.enabled", _bool, True, "no_registry", invert=True,
        help="DOI registry lookups (doi.org handle API, Crossref)"),
    Key("registry.mailto", _str, None, "mailto", help="contact address for Crossref's polite pool"),
    Key("registry.crossref-url", _str, None, "crossref_url", help="base of a Crossref-compatible REST API"),
    Key("registry.doi-url", _str, None, "doi_url", help="base of a doi.org-compatible resolver"),
    Key("profile.name", _str, None, help="the journal's name, shown by footcheck config"),
    Key("profile.access-date-label", _strs, (), help='required label(s), e.g. "дата обращения" (FC901)'),
    Key("profile.access-date-format", _choice("DD.MM.YYYY", "YYYY-MM-DD", "D MONTH YYYY"), None,
        help="required form of access dates (FC902)"),
    Key("profile.ibid", _bool, True, help="whether «Там же» / Ibid. is allowed (FC903)"),
    Key("profile.bracket-style", _choice("author-year", "numeric"), None, help="required citations (FC904)"),
    Key("profile.reference-headings", _strs, (), help="allowed reference-list headings (FC905)"),
    Key("profile.references-required", _bool, False,
        help="a transliterated References list is required (FC906)"),
    Key("profile.translit-scheme", _scheme, None, "translit_scheme",
        help="required transliteration of References (FC809)"),
)
BY_NAME = {k.name: k for k in KEYS}
BY_OPTION = {k.option: k for k in KEYS if k.option}
_TABLES = {name.rsplit(".", 1)[0] for name in BY_NAME if "." in name}
HOSTS = "links.hosts"
HOST_KEYS: dict[str, Callable[[Any], Any]] = {
    "concurrency": _positive(_int), "delay": _non_negative(_float), "user-agent": _user_agent,
    "headers": _headers, "timeout": _positive(_float), "skip": _bool,
}


@dataclass(frozen=True)
class HostSettings:
    """``[links.hosts."example.ru"]``: limits for one host."""

    concurrency: int | None = None
    delay: float | None = None  # seconds between requests to the host
    user_agent: str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)
    timeout: float | None = None
    skip: bool = False  # never fetch this host


@dataclass(frozen=True)
class Settings:
    """The settings in force: ``values`` by dotted key, ``origins`` says where each came from."""

    values: Mapping[str, Any]
    origins: Mapping[str, str]
    hosts: Mapping[str, HostSettings] = field(default_factory=dict)
    config_file: Path | None = None

    def __getitem__(self, key: str) -> Any:
        return self.values[key]

    def origin(self, key: str) -> str:
        return self.origins[key]


# --- finding and reading the config file ----------------------------------------------


def find_config(start: Path) -> Path | None:
    """The nearest config file in ``start`` (a folder or a file's folder) or above it."""
    here = start if start.is_dir() else start.parent
    here = here.resolve()
    for folder in (here, *here.parents):
        for name in CONFIG_NAMES:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        pyproject = folder / PYPROJECT
        if pyproject.is_file() and _has_tool_table(pyproject):
            return pyproject
    return None


def _has_tool_table(path: Path) -> bool:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"^\s*\[\s*tool\.footcheck\s*[\].]", text, re.M) is not None


def _toml_loads(text: str) -> dict[str, Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    return tomllib.loads(text)


def _split_key(text: str) -> list[str]:
    """``links.hosts."example.ru"`` -> ``["links", "hosts", "example.ru"]``."""
    return [a or b for a, b in re.findall(r'"([^"]*)"|([^.\s"]+)', text)]


_HEADER = re.compile(r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(?:#.*)?$")
_ASSIGN = re.compile(r'^\s*((?:[A-Za-z0-9_-]+|"[^"]*")(?:\s*\.\s*(?:[A-Za-z0-9_-]+|"[^"]*"))*)\s*=')


def key_lines(text: str) -> dict[str, int]:
    """The line of every table header and key in a TOML text, by dotted key."""
    lines: dict[str, int] = {}
    table: list[str] = []
    for n, line in enumerate(text.splitlines(), 1):
        header = _HEADER.match(line)
        if header:
            table = _split_key(header.group(1))
            lines.setdefault(".".join(table), n)
            continue
        assign = _ASSIGN.match(line)
        if assign:
            lines.setdefault(".".join([*table, *_split_key(assign.group(1))]), n)
    return lines


def read_config(path: Path) -> tuple[dict[str, Any], dict[str, HostSettings], dict[str, int]]:
    """The checked values of a config file by dotted key, its host settings, and key lines.

    Raises :class:`ConfigError` naming the file, the line and the key."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config file: {exc}") from None
    try:
        data = _toml_loads(text)
    except ValueError as exc:  # tomllib.TOMLDecodeError
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    lines = key_lines(text)
    prefix = ""
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("footcheck", {})
        prefix = "tool.footcheck."
        if not isinstance(data, dict):
            raise ConfigError(f"{path}:{lines.get('tool.footcheck', 1)}: tool.footcheck: expected a table")

    def where(key: str) -> str:
        parts = (prefix + key).split(".")
        while parts and ".".join(parts) not in lines:
            parts.pop()  # a key inside an inline table: the line of the table
        return f"{path}:{lines.get('.'.join(parts), 1)}"

    values: dict[str, Any] = {}
    hosts: dict[str, HostSettings] = {}
    for key, value in _flatten(data):
        if key.startswith(HOSTS + "."):
            continue
        spec = BY_NAME.get(key)
        if spec is None:
            if key == HOSTS:
                hosts = _read_hosts(value, where)
                continue
            raise ConfigError(f"{where(key)}: unknown key {key!r}{_suggest(key)}")
        try:
            values[key] = spec.kind(value)
        except TypeError as exc:
            raise ConfigError(f"{where(key)}: {key}: {exc}, got {_show(value)}") from None
    _check_rule_keys(values, where)
    return values, hosts, {k: lines.get(prefix + k, 1) for k in values}


def _flatten(data: Mapping[str, Any], prefix: str = "") -> Iterable[tuple[str, Any]]:
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict) and (name in _TABLES or name == "links"):
            yield from _flatten(value, name + ".")
        else:
            yield name, value


def _read_hosts(value: Any, where: Callable[[str], str]) -> dict[str, HostSettings]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where(HOSTS)}: {HOSTS}: expected a table of hosts")
    hosts: dict[str, HostSettings] = {}
    for host, table in value.items():
        base = f"{HOSTS}.{host}"
        if not isinstance(table, dict):
            raise ConfigError(f"{where(base)}: {base}: expected a table")
        fields: dict[str, Any] = {}
        for k, v in table.items():
            kind = HOST_KEYS.get(k)
            if kind is None:
                raise ConfigError(f"{where(base + '.' + k)}: unknown key {base + '.' + k!r}"
                                  f" (a host takes {', '.join(HOST_KEYS)})")
            try:
                fields[k.replace("-", "_")] = kind(v)
            except TypeError as exc:
                raise ConfigError(f"{where(base + '.' + k)}: {base}.{k}: {exc}, got {_show(v)}") from None
        hosts[host.lower()] = HostSettings(**fields)
    return hosts


def _check_rule_keys(values: Mapping[str, Any], where: Callable[[str], str]) -> None:
    from footcheck.model import Severity
    from footcheck.rules.interface import all_rules
    from footcheck.rules.selection import SelectorError, check_selectors

    rules = {r.code: r.name for r in all_rules()}
    for key in ("select", "ignore", "severity"):
        if key not in values:
            continue
        try:
            check_selectors(list(values[key]), rules, key)
        except SelectorError as exc:
            raise ConfigError(f"{where(key)}: {exc}") from None
    for selector, level in values.get("severity", {}).items():
        if level.lower() not in {s.value for s in Severity}:
            raise ConfigError(f"{where('severity.' + selector)}: severity.{selector}: {level!r} is not"
                              " a severity (error, warning, info)")


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _suggest(key: str) -> str:
    import difflib

    close = difflib.get_close_matches(key, [*BY_NAME, HOSTS], n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


# --- resolving ------------------------------------------------------------------------


def resolve(
    cli: Mapping[str, Any],
    *,
    start: Path | None = None,
    config: Path | None = None,
    isolated: bool = False,
) -> Settings:
    """Settings from ``cli`` (CLI option name -> value, only the options given),
    the config file (``config``, or the one found from ``start`` upward unless
    ``isolated``) and the defaults."""
    path: Path | None = None
    if config is not None:
        if not config.is_file():
            raise ConfigError(f"{config}: no such config file")
        path = config
    elif not isolated:
        path = find_config(start or Path.cwd())
    file_values: dict[str, Any] = {}
    hosts: dict[str, HostSettings] = {}
    lines: dict[str, int] = {}
    if path is not None:
        file_values, hosts, lines = read_config(path)
    values: dict[str, Any] = {}
    origins: dict[str, str] = {}
    for key in KEYS:
        if key.option and key.option in cli:
            raw = cli[key.option]
            values[key.name] = _from_cli(key, raw)
            origins[key.name] = "--" + key.option.replace("_", "-") if key.option != "fmt" else "--format"
        elif key.name in file_values:
            values[key.name] = file_values[key.name]
            origins[key.name] = f"{path}:{lines[key.name]}"
        else:
            values[key.name] = key.default
            origins[key.name] = "default"
    return Settings(values=values, origins=origins, hosts=hosts, config_file=path)


def _from_cli(key: Key, raw: Any) -> Any:
    if key.invert:
        return not raw
    if isinstance(raw, Enum):
        raw = raw.value
    if key.name in {"select", "ignore", "files.include", "files.exclude", "links.exclude"}:
        from footcheck.rules.selection import split_selectors

        items = list(raw or ())
        return tuple(split_selectors(items)) if key.name in {"select", "ignore"} else tuple(items)
    if key.name == "severity":
        from footcheck.rules.selection import parse_severity, split_selectors

        return {sel: level.value for sel, level in (parse_severity(v) for v in split_selectors(raw or ()))}
    if key.name == "links.accept":
        return tuple(raw or ())
    if key.name in {"today", "submitted"} and isinstance(raw, str):
        try:
            return dt.date.fromisoformat(raw)
        except ValueError:
            raise ConfigError(f"--{key.option}: expected YYYY-MM-DD, got {raw!r}") from None
    if key.name == "links.cache-dir" and raw is not None:
        return str(raw)
    return raw


# --- what the stages get --------------------------------------------------------------


def rule_context(settings: Settings, today: dt.date | None = None) -> Any:
    """The rules' context: dates, selection and journal profile."""
    from footcheck.model import Severity
    from footcheck.rules.context import JournalProfile, RuleContext
    from footcheck.rules.selection import resolve_registered

    v = settings.values
    selection = None
    if v["select"] is not None or v["ignore"] or v["severity"]:
        selection = resolve_registered(
            select=list(v["select"]) if v["select"] is not None else None, ignore=list(v["ignore"]),
            severity={k: Severity(s.lower()) for k, s in v["severity"].items()})
    profile = JournalProfile(
        name=v["profile.name"], access_date_labels=tuple(v["profile.access-date-label"]),
        access_date_format=v["profile.access-date-format"], ibid_allowed=v["profile.ibid"],
        bracket_style=v["profile.bracket-style"], reference_headings=tuple(v["profile.reference-headings"]),
        references_required=v["profile.references-required"])
    return RuleContext(
        today=v["today"] or today or dt.date.today(), submitted=v["submitted"],
        max_age_years=v["max-age-years"], translit_scheme=v["profile.translit-scheme"],
        selection=selection, profile=None if profile.is_empty else profile)


def network_options(settings: Settings) -> tuple[Any, Any]:
    """The checker's and the archive's options (the archive's None without lookups)."""
    from footcheck.check.options import DEFAULT_USER_AGENT, CheckOptions, HostPolicy

    v = settings.values
    exclude = list(v["links.exclude"])
    exclude += [rf"^[a-z]+://(?:[^/@]*@)?{re.escape(h)}(?::\d+)?(?:[/?#]|$)"
                for h, host in settings.hosts.items() if host.skip]
    check_opts = CheckOptions(
        concurrency=v["links.concurrency"], per_host=v["links.per-host"], timeout=v["links.timeout"],
        retries=v["links.retries"], user_agent=v["links.user-agent"] or DEFAULT_USER_AGENT,
        allow_private=v["links.allow-private"], exclude=tuple(exclude), cache_ttl=v["links.cache-ttl"],
        proxy=v["links.proxy"] or None,
        hosts={_ascii_host(h): HostPolicy(concurrency=host.concurrency, delay=host.delay or 0.0,
                                          user_agent=host.user_agent, headers=dict(host.headers),
                                          timeout=host.timeout)
               for h, host in settings.hosts.items() if not host.skip})
    archive_opts = None
    if v["wayback.enabled"] and _wants_archive_rules(settings):
        from footcheck.archive.interface import ArchiveOptions, resolve_wayback_url  # only with lookups

        archive_opts = ArchiveOptions(
            base_url=resolve_wayback_url(v["wayback.url"]), concurrency=v["wayback.concurrency"],
            rate_per_minute=v["wayback.rate"], max_gap_days=v["wayback.max-gap-days"],
            archive_all=v["wayback.archive-all"], timeout=v["wayback.timeout"],
            allow_private=v["links.allow-private"])  # the archive's redirects pass the same guard
    return check_opts, archive_opts


def _ascii_host(host: str) -> str:
    """``пример.рф`` -> ``xn--e1afmkfd.xn--p1ai``: the checker keys hosts as sent."""
    try:
        return host.encode("idna").decode("ascii")
    except UnicodeError:
        return host


def _wants_archive_rules(settings: Settings) -> bool:
    """False when every FC6xx rule is deselected: no lookup would be reported."""
    ctx = rule_context(settings, today=dt.date(2000, 1, 1))
    if ctx.selection is None:
        return True
    from footcheck.rules.interface import all_rules

    selection: Selection = ctx.selection
    return selection.wants_any(r.code for r in all_rules() if r.code.startswith("FC6"))


def describe(settings: Settings) -> list[tuple[str, str, str]]:
    """``(key, value as TOML, origin)`` for every setting, for ``footcheck config``."""
    rows = [(k.name, to_toml(settings.values[k.name]), settings.origins[k.name]) for k in KEYS]
    where = str(settings.config_file) if settings.config_file else "-"
    for host, hs in sorted(settings.hosts.items()):
        parts = {"concurrency": hs.concurrency, "delay": hs.delay, "user-agent": hs.user_agent,
                 "timeout": hs.timeout, "skip": hs.skip or None, "headers": dict(hs.headers) or None}
        text = ", ".join(f"{k} = {to_toml(v)}" for k, v in parts.items() if v is not None)
        rows.append((f'{HOSTS}."{host}"', "{ " + text + " }", where))
    return rows


def to_toml(value: Any) -> str:
    if value is None:
        return "(unset)"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(to_toml(x) for x in value) + "]"
    if isinstance(value, Mapping):
        return "{ " + ", ".join(f"{k} = {to_toml(v)}" for k, v in value.items()) + " }"
    return repr(value)
