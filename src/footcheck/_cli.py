"""The command line: parse options, call the pipeline, render, choose the exit code.

Exit codes: 0 nothing at or above the ``--fail-on`` level; 1 findings at or above it;
2 usage error or unreadable input; 130 interrupted (what was checked is still shown).

``footcheck PAPER...`` is the main command; it is the ``check`` subcommand, which the
entry point inserts when the first argument is not a subcommand name.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
import tempfile
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer

from footcheck import __version__

app = typer.Typer(
    name="footcheck",
    help="Audit footnotes, bracketed citations, URLs and access dates in Russian academic text.",
    epilog="Usually run as `footcheck PAPER... [OPTIONS]`, the same as `footcheck check PAPER...`.",
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)
cache_app = typer.Typer(help="Manage the on-disk cache of link and archive results.",
                        no_args_is_help=True)
app.add_typer(cache_app, name="cache")

SUBCOMMANDS = {"check", "rules", "cache", "archive"}


class Format(str, Enum):
    rich = "rich"
    json = "json"
    sarif = "sarif"
    github = "github"
    markdown = "markdown"


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    never = "never"


class Color(str, Enum):
    auto = "auto"
    always = "always"
    never = "never"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"footcheck {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="Show the version and exit.")] = False,
) -> None:
    """footcheck PAPER... audits papers; see `footcheck check --help` for every option."""


def _parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"expected YYYY-MM-DD, got {value!r}", param_hint=option) from None


def _fail(message: str, code: int = 2) -> typer.Exit:
    typer.echo(f"footcheck: error: {message}", err=True)
    return typer.Exit(code)


@app.command("check")
def check_command(
    papers: Annotated[list[Path], typer.Argument(help="Paper(s) in plain text.", show_default=False, metavar="PAPER")],
    offline: Annotated[bool, typer.Option("--offline", help="Do not check links over the network.")] = False,
    fmt: Annotated[Format, typer.Option("--format", "-f", help="Report format.")] = Format.rich,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the report to FILE.")] = None,
    today: Annotated[str | None, typer.Option(help="Compare dates against this day (YYYY-MM-DD).")] = None,
    submitted: Annotated[str | None, typer.Option(help="Submission date (YYYY-MM-DD): later access dates are flagged.")] = None,
    max_age_years: Annotated[float | None, typer.Option(help="Flag access dates older than this many years.")] = None,
    fail_on: Annotated[FailOn, typer.Option(help="Exit 1 when findings reach this severity.")] = FailOn.error,
    color: Annotated[Color, typer.Option(help="Colour in the rich report.")] = Color.auto,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars or notes on stderr.")] = False,
    concurrency: Annotated[int, typer.Option(min=1, help="Requests in flight over all hosts.")] = 128,
    per_host: Annotated[int, typer.Option(min=1, help="Requests in flight to one host.")] = 4,
    timeout: Annotated[float, typer.Option(min=0.1, help="Deadline for one URL, in seconds.")] = 20.0,
    retries: Annotated[int, typer.Option(min=0, max=10, help="Retries after 429, 503 and connection errors.")] = 2,
    user_agent: Annotated[str | None, typer.Option(help="User-Agent header sent with requests.")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Also fetch URLs on loopback and private addresses.")] = False,
    exclude: Annotated[list[str] | None, typer.Option(help="Regex of URLs not to check (repeatable).")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache directory (default: the user cache dir).")] = None,
    cache_ttl: Annotated[float, typer.Option(min=0, help="Seconds settled link answers are reused.")] = 86400.0,
    no_wayback: Annotated[bool, typer.Option("--no-wayback", help="No Wayback Machine lookups.")] = False,
    wayback_url: Annotated[str | None, typer.Option(envvar="FOOTCHECK_WAYBACK_URL", help="Base of a Wayback-compatible service.")] = None,
    archive_all: Annotated[bool, typer.Option("--archive-all", help="Look up archive captures for every link.")] = False,
    max_archive_gap: Annotated[int, typer.Option(min=0, help="Days between access date and capture before it is flagged.")] = 180,
    wayback_rate: Annotated[float, typer.Option(min=0.01, help="Wayback CDX requests per minute.")] = 24.0,
    wayback_concurrency: Annotated[int, typer.Option(min=1, help="Wayback lookups at once.")] = 4,
    wayback_timeout: Annotated[float, typer.Option(min=0.1, help="Seconds to wait for one Wayback answer.")] = 30.0,
) -> None:
    """Audit PAPER(s): footnotes, citations, URLs, access dates; check links unless --offline."""
    from footcheck.load import LoadError, load_path
    from footcheck.pipeline import RunOptions, run_audit
    from footcheck.rules import RuleContext

    today_d = _parse_day(today, "--today") or dt.date.today()
    submitted_d = _parse_day(submitted, "--submitted")
    _refuse_overwriting_input(output, papers)

    loaded, failed = [], False
    for paper in papers:
        try:
            loaded.append(load_path(paper))
        except LoadError as exc:
            typer.echo(f"footcheck: error: {exc}", err=True)
            failed = True
    if failed and not loaded:
        raise typer.Exit(2)

    check_opts = archive_opts = None
    if not offline:
        try:
            check_opts, archive_opts = _network_options(
                concurrency, per_host, timeout, retries, user_agent, allow_private, exclude,
                cache_ttl, no_wayback, wayback_url, archive_all, max_archive_gap, wayback_rate,
                wayback_concurrency, wayback_timeout)
        except ValueError as exc:
            raise _fail(str(exc)) from None
    progress = None if offline or quiet else _progress()
    options = RunOptions(
        context=RuleContext(today=today_d, submitted=submitted_d, max_age_years=max_age_years),
        offline=offline, check=check_opts, archive=archive_opts, use_cache=not no_cache,
        cache_dir=cache_dir, progress=progress)
    try:
        outcome = run_audit(loaded, options)
    finally:
        if progress is not None:
            progress.close()
    if not quiet:
        for note in outcome.notes:
            typer.echo(f"footcheck: {note}", err=True)
        if offline and fmt is Format.rich and output is None and sys.stdout.isatty():
            typer.echo("footcheck: offline: links were not checked", err=True)
    _write_report(outcome.audits, fmt, output, color)
    if outcome.interrupted:
        typer.echo("footcheck: interrupted: the report shows the links checked so far", err=True)
        raise typer.Exit(130)
    if failed:
        raise typer.Exit(2)
    raise typer.Exit(_exit_code(outcome.audits, fail_on))


def _network_options(concurrency, per_host, timeout, retries, user_agent, allow_private,  # type: ignore[no-untyped-def]
                     exclude, cache_ttl, no_wayback, wayback_url, archive_all, max_archive_gap,
                     wayback_rate, wayback_concurrency, wayback_timeout=30.0, fresh_days=30):
    from footcheck.archive.interface import ArchiveOptions, resolve_wayback_url
    from footcheck.check.options import DEFAULT_USER_AGENT, CheckOptions

    check_opts = CheckOptions(
        concurrency=concurrency, per_host=per_host, timeout=timeout, retries=retries,
        user_agent=user_agent or DEFAULT_USER_AGENT, allow_private=allow_private,
        exclude=tuple(exclude or ()), cache_ttl=cache_ttl)
    archive_opts = None
    if not no_wayback:
        archive_opts = ArchiveOptions(
            base_url=resolve_wayback_url(wayback_url), concurrency=wayback_concurrency,
            rate_per_minute=wayback_rate, max_gap_days=max_archive_gap, archive_all=archive_all,
            timeout=wayback_timeout, fresh_days=fresh_days)
    return check_opts, archive_opts


def _refuse_overwriting_input(output: Path | None, papers: list[Path]) -> None:
    if output is None:
        return
    for paper in papers:
        try:
            if output.exists() and paper.exists() and output.samefile(paper):
                raise _fail(f"--output {output} is one of the papers; refusing to overwrite it")
        except OSError:
            continue


def _write_report(audits, fmt: Format, output: Path | None, color: Color) -> None:  # type: ignore[no-untyped-def]
    from footcheck.report import get_reporter

    reporter = get_reporter(fmt.value)
    want_color = {"auto": None, "always": True, "never": False}[color.value]
    if output is None:
        reporter.render(audits, sys.stdout, version=__version__, color=want_color)
        sys.stdout.flush()
        return
    # Written beside the target and renamed over it: an interrupted run never leaves a
    # half-written report in place of an earlier one.
    directory = output.resolve().parent
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{output.name}.", dir=directory)
    except OSError as exc:
        raise _fail(f"cannot write {output}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as stream:
            reporter.render(audits, stream, version=__version__, color=False if color is Color.auto else want_color)
        os.replace(tmp, output)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _exit_code(audits, fail_on: FailOn) -> int:  # type: ignore[no-untyped-def]
    if fail_on is FailOn.never:
        return 0
    threshold = 2 if fail_on is FailOn.error else 1
    worst = max((f.severity.rank for a in audits for f in a.findings), default=-1)
    return 1 if worst >= threshold else 0


def _progress(*labels: str):  # type: ignore[no-untyped-def]
    from footcheck._progress import ProgressBar

    return ProgressBar.for_stderr(labels) if labels else ProgressBar.for_stderr()


@app.command("archive")
def archive_command(
    papers: Annotated[list[Path], typer.Argument(help="Paper(s) in plain text.", show_default=False, metavar="PAPER")],
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask before requesting captures.")] = False,
    today: Annotated[str | None, typer.Option(help="Today's date (YYYY-MM-DD).")] = None,
    allow_private: Annotated[bool, typer.Option("--allow-private", help="Also fetch URLs on loopback and private addresses.")] = False,
    timeout: Annotated[float, typer.Option(min=0.1, help="Deadline for one URL, in seconds.")] = 20.0,
    wayback_url: Annotated[str | None, typer.Option(envvar="FOOTCHECK_WAYBACK_URL", help="Base of a Wayback-compatible service.")] = None,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Neither read nor write the cache.")] = False,
    cache_dir: Annotated[Path | None, typer.Option(help="Cache directory.")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bars.")] = False,
    fresh_days: Annotated[int, typer.Option(min=0, help="A capture this many days old or newer needs no new one.")] = 30,
) -> None:
    """Ask the Wayback Machine to capture the live links that have no recent capture.

    This changes state on a third-party service, so it asks first unless --yes is given.
    """
    from footcheck.load import LoadError, load_path
    from footcheck.pipeline import RunOptions, plan_archive, save_archive
    from footcheck.rules import RuleContext

    try:
        loaded = [load_path(p) for p in papers]
    except LoadError as exc:
        raise _fail(str(exc)) from None
    try:
        check_opts, archive_opts = _network_options(
            128, 4, timeout, 2, None, allow_private, None, 86400.0, False, wayback_url, False, 180, 24.0, 4,
            fresh_days=fresh_days)
    except ValueError as exc:
        raise _fail(str(exc)) from None
    progress = None if quiet else _progress()
    options = RunOptions(context=RuleContext(today=_parse_day(today, "--today") or dt.date.today()),
                         offline=False, check=check_opts, archive=archive_opts, use_cache=not no_cache,
                         cache_dir=cache_dir, progress=progress)
    try:
        _audits, plan = plan_archive(loaded, options)
    finally:
        if progress is not None:
            progress.close()
    for url, capture in plan.recent.items():
        typer.echo(f"archived already  {url}\n                  {capture.url}")
    for url in plan.not_live:
        typer.echo(f"not live, skipped {url}")
    for url, error in plan.errors.items():
        typer.echo(f"lookup failed     {url}: {error}")
    if not plan.to_save:
        typer.echo("nothing to save: every live link has a recent capture")
        raise typer.Exit(0)
    typer.echo(f"{len(plan.to_save)} live link(s) have no recent capture:")
    for url in plan.to_save:
        typer.echo(f"  {url}")
    if not yes:
        if not sys.stdin.isatty():
            raise _fail("not asking without a terminal: pass --yes to request the captures")
        if not typer.confirm("Ask the Wayback Machine to capture them now?", default=False):
            raise typer.Exit(0)
    progress = None if quiet else _progress("asking Save Page Now")
    options = replace(options, progress=progress)
    try:
        saved = save_archive(plan.to_save, options)
    finally:
        if progress is not None:
            progress.close()
    failed = 0
    for result in saved:
        if result.ok:
            typer.echo(f"saved   {result.url}\n        {result.archive_url}")
        else:
            failed += 1
            typer.echo(f"failed  {result.url}: {result.error}")
    raise typer.Exit(1 if failed else 0)


@app.command("rules")
def rules_command(
    code: Annotated[str | None, typer.Argument(help="A rule code (FC202) or name to explain.")] = None,
    color: Annotated[Color, typer.Option(help="Colour.")] = Color.auto,
) -> None:
    """List the rules, or explain one."""
    from footcheck.report.rules_listing import render_rules
    from footcheck.rules.interface import all_rules

    rules = all_rules()
    if code is not None:
        wanted = code.strip().upper()
        match = [r for r in rules if r.code == wanted or r.name == code.strip().lower()]
        if not match:
            raise _fail(f"no rule {code!r}; `footcheck rules` lists them")
        code = match[0].code
    want_color = {"auto": None, "always": True, "never": False}[color.value]
    render_rules(rules, sys.stdout, code=code, color=want_color)


@cache_app.command("clear")
def cache_clear(
    cache_dir: Annotated[Path | None, typer.Option(help="Cache directory (default: the user cache dir).")] = None,
) -> None:
    """Delete every cached link and archive result."""
    from footcheck._cache import Cache

    cache = Cache(cache_dir)
    if cache.error:
        raise _fail(cache.error)
    removed = cache.clear()
    cache.close()
    typer.echo(f"removed {removed} cached entr{'y' if removed == 1 else 'ies'} from {cache.path}")


@cache_app.command("path")
def cache_path(
    cache_dir: Annotated[Path | None, typer.Option(help="Cache directory.")] = None,
) -> None:
    """Print where the cache lives."""
    from footcheck._cache import Cache, default_cache_dir

    typer.echo(str((cache_dir or default_cache_dir()) / Cache.FILENAME))


def main() -> None:
    # a console that cannot encode Cyrillic gets '?' instead of a crash mid-report
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    argv = sys.argv[1:]
    if argv and argv[0] not in SUBCOMMANDS and argv[0] not in ("--help", "-h", "--version"):
        argv = ["check", *argv]
    try:
        app(args=argv, prog_name="footcheck")
    except KeyboardInterrupt:
        typer.echo("footcheck: interrupted", err=True)
        sys.exit(130)
