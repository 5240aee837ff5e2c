"""``footcheck config`` and ``footcheck init``: show the settings in force, write a
commented config file. The settings themselves are :mod:`footcheck.settings`."""

from __future__ import annotations

from typing import Any

from footcheck.settings import KEYS, Settings, describe, to_toml

# What `footcheck init` writes for keys whose default is "unset".
EXAMPLES: dict[str, Any] = {
    "select": ["ALL"], "today": "2024-05-01", "submitted": "2024-04-15", "max-age-years": 5,
    "links.user-agent": "Mozilla/5.0 (compatible; footcheck)", "links.cache-dir": ".footcheck-cache",
    "links.proxy": "http://proxy.example.org:3128",
    "wayback.url": "https://web.archive.org",
    "registry.mailto": "editor@example.org", "registry.crossref-url": "https://api.crossref.org",
    "registry.doi-url": "https://doi.org", "profile.name": "Вестник примерного университета",
    "profile.access-date-format": "DD.MM.YYYY", "profile.bracket-style": "author-year",
    "profile.translit-scheme": "bgn_pcgn", "ignore": ["FC203"], "severity": {"FC201": "error"},
    "links.exclude": ["^https?://(www\\.)?example\\.org/private/"], "links.accept": [403],
    "files.include": ["*.txt", "*.docx"], "files.exclude": ["drafts/**"],
    "profile.access-date-label": ["дата обращения"],
    "profile.reference-headings": ["Список литературы", "References"],
}


def render_settings(settings: Settings) -> str:
    """One line per setting: ``key = value  # origin``."""
    rows = describe(settings)
    width = max(len(f"{k} = {v}") for k, v, _ in rows)
    head = f"# config file: {settings.config_file}" if settings.config_file else "# no config file"
    lines = [head]
    lines += [f"{k} = {v}".ljust(width) + f"  # {origin}" for k, v, origin in rows]
    return "\n".join(lines) + "\n"


def _literal(key: str, value: Any) -> str:
    if key in {"today", "submitted"}:
        return str(value)  # a TOML date
    return to_toml(value)


def init_text() -> str:
    """A footcheck.toml with every key, commented out, at its default or an example."""
    out = [
        "# footcheck.toml: settings for `footcheck PAPER` in this folder and below.",
        "# Every key is optional; remove the leading '# ' to set one. `footcheck config`",
        "# shows the settings in force and where each comes from; command-line options win.",
        "",
    ]
    table = ""
    for key in KEYS:
        head, _, name = key.name.rpartition(".")
        if head != table:
            out += ["", f"[{head}]"]
            table = head
        unset = key.default is None or key.default == () or key.default == {}
        value = EXAMPLES.get(key.name, key.default) if unset else key.default
        note = key.help + (" (default: unset)" if key.default is None and "default" not in key.help else "")
        out.append(f"# {name} = {_literal(key.name, value)}  # {note}")
        if key.name == "links.cache-ttl":
            out.append('# hosts = { "slow.example.ru" = { concurrency = 1, delay = 2.0, skip = false,'
                       ' headers = { Accept-Language = "ru" } } }  # per host: concurrency, delay,'
                       " user-agent, headers, timeout, skip")
    return "\n".join(out).replace("\n\n\n", "\n\n") + "\n"
