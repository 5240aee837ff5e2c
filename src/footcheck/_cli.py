"""The command line: parse options, call the pipeline, render, choose the exit code.

Exit codes: 0 nothing at or above the ``--fail-on`` level; 1 findings at or above it;
2 usage error or unreadable input; 3 the report could not be written; 130 interrupted
by Ctrl-C and 143 by SIGTERM (what was checked is still reported).

``footcheck PAPER...`` is the main command; it is the ``check`` subcommand, which the
entry point inserts when the first argument is not a subcommand name. ``-`` as a paper
reads standard input; ``-o -`` writes to standard output.

The commands and their options are declared as data at the end of this module (see
:mod:`footcheck._args` for why not typer); each command is a function called with every
option by name. Everything a command needs beyond that is imported inside it, so that
``footcheck PAPER --offline --format json`` imports neither rich nor the HTTP stack.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import signal
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

from footcheck import __version__, _args, defaults
from footcheck._args import Argument, Command, Exit, Group, UsageError, confirm, echo, flag, option

OTHER_COMMANDS = """\
Other commands: footcheck links PAPER (the rebuilt URLs), footcheck fix PAPER, footcheck rules [CODE],
footcheck archive PAPER, footcheck cache clear|path. Exit codes: 0 clean, 1 findings at
the --fail-on level, 2 bad input, 3 report not written, 130/143 interrupted."""

SUBCOMMANDS = {"check", "rules", "cache", "archive", "links", "config", "init", "fix"}
EXIT_FINDINGS, EXIT_USAGE, EXIT_WRITE, EXIT_SIGINT, EXIT_SIGTERM = 1, 2, 3, 130, 143

FORMATS = ("rich", "json", "sarif", "github", "markdown", "junit", "jsonl")
LIST_FORMATS = ("text", "json")
FIX_FORMATS = ("diff", "json")
FAIL_ON = ("error", "warning", "never")
COLORS = ("auto", "always", "never")


class _Signals:
    """SIGTERM is handled like Ctrl-C (the partial report is still written), and
    remembered so that the exit code says which one it was."""

    terminated = False

    @classmethod
    def install(cls) -> None:
        # not in the main thread, or no SIGTERM on this platform: nothing to install
        with contextlib.suppress(ValueError, OSError, AttributeError):
            signal.signal(signal.SIGTERM, cls._on_sigterm)

    @classmethod
    def _on_sigterm(cls, signum: int, frame: Any) -> None:
        cls.terminated = True
        # whatever handles Ctrl-C now (asyncio's runner cancels its task; the default
        # raises KeyboardInterrupt) handles this too
        handler = signal.getsignal(signal.SIGINT)
        if callable(handler) and handler is not signal.default_int_handler:
            handler(signal.SIGINT, frame)
            return
        # Ctrl-C ignored (a background job), so asyncio installed no handler of its
        # own: cancel the running loop's tasks the way its handler would
        asyncio = sys.modules.get("asyncio")
        if asyncio is not None:
            try:
                loop = asyncio.get_running_loop()
            except RuntimeError:
                loop = None
            if loop is not None:
                for task in asyncio.all_tasks(loop):
                    task.cancel()
                return
        raise KeyboardInterrupt

    @classmethod
    def exit_code(cls) -> int:
        return EXIT_SIGTERM if cls.terminated else EXIT_SIGINT


def _parse_day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"Invalid value for {option}: expected YYYY-MM-DD, got {value!r}") from None


def _fail(message: str, code: int = EXIT_USAGE) -> Exit:
    echo(f"footcheck: error: {message}", err=True)
    return Exit(code)


def _load(paper: Path) -> Any:
    """One paper; ``-`` is standard input."""
    from footcheck.load import MAX_BYTES, LoadError, load_path, read_bytes

    if str(paper) != "-":
        return load_path(paper)
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    except (OSError, ValueError) as exc:
        raise LoadError(f"<stdin>: cannot read: {exc}") from None
    if len(data) > MAX_BYTES:
        raise LoadError(f"<stdin>: more than {MAX_BYTES // 1_048_576} MiB (is it really a paper?)")
    return read_bytes(data, "<stdin>")  # the reader is chosen by content


def _load_all(papers: list[Path]) -> tuple[list[Any], bool]:
    from footcheck.load import LoadError

    loaded, failed = [], False
    if sum(1 for p in papers if str(p) == "-") > 1:
        raise _fail("standard input ('-') can be read only once")
    for paper in papers:
        try:
            loaded.append(_load(paper))
        except LoadError as exc:
            echo(f"footcheck: error: {exc}", err=True)
            failed = True
    return loaded, failed


def _target(output: Path | None, papers: list[Path]) -> Any:
    from footcheck._output import OutputError, prepare, same_file

    try:
        target = prepare(output)
    except OutputError as exc:
        raise _fail(str(exc), EXIT_WRITE) from None
    for paper in papers:
        if same_file(target, paper):
            raise _fail(f"--output {output} is one of the papers; refusing to overwrite it")
    return target


def check_command(
    *, given: dict[str, Any], papers: list[Path], offline: bool, fmt: str, output: Path | None, details: bool,
    color: str, quiet: bool, config: Path | None, isolated: bool, translit_scheme: str | None,
    write_baseline: Path | None, baseline: Path | None, **_settings: Any,
) -> None:
    """Audit each PAPER (text, PDF, DOCX, Markdown, HTML or LaTeX, or a folder of them;
    - reads standard input): footnotes, citations, URLs, access dates; check the links
    unless --offline."""
    from footcheck.pipeline import RunOptions
    from footcheck.settings import ConfigError, network_options, resolve, rule_context

    try:
        settings = resolve(given, start=_config_start(papers), config=config, isolated=isolated)
        context = rule_context(settings)
    except (ConfigError, ValueError) as exc:
        raise _fail(str(exc)) from None
    v = settings.values
    offline, fmt, fail_on = v["offline"], v["format"], v["fail-on"]
    no_cache, cache_dir = not v["links.cache"], Path(v["links.cache-dir"]) if v["links.cache-dir"] else None
    from footcheck.discover import DiscoverError, expand

    found = expand(papers, v["files.include"], v["files.exclude"])
    check_opts = archive_opts = None
    if not offline:
        try:
            check_opts, archive_opts = network_options(settings)
        except ValueError as exc:
            raise _fail(str(exc)) from None
    if translit_scheme is not None:
        from footcheck.parse.twin import SCHEME_NAMES, scheme_id

        if scheme_id(translit_scheme) is None:
            raise _fail(f"--translit-scheme: unknown scheme {translit_scheme!r} (one of {', '.join(SCHEME_NAMES)})")
    registry_opts = None
    if not offline and v["registry.enabled"]:
        try:
            registry_opts = _registry_options(v["registry.crossref-url"], v["registry.doi-url"],
                                              v["registry.mailto"], v["links.timeout"], v["links.retries"])
        except ValueError as exc:
            raise _fail(str(exc)) from None
    progress = None if offline or quiet else _progress()
    options = RunOptions(
        context=context, offline=offline, check=check_opts, archive=archive_opts, registry=registry_opts,
        use_cache=not no_cache, cache_dir=cache_dir, progress=progress,
        accept=frozenset(v["links.accept"]))
    if fmt == "jsonl":
        raise Exit(_stream(found, options, _target(output, papers), fail_on, quiet,
                                 write_baseline, baseline))
    try:
        papers = list(found)
    except DiscoverError as exc:
        raise _fail(str(exc)) from None
    if not papers:
        raise _fail("no paper found (folders are searched for text, PDF, DOCX, ODT, HTML, Markdown, LaTeX)")
    target = _target(output, papers)
    known = _read_baseline(baseline)
    loaded, failed = _load_all(papers)
    if failed and not loaded:
        raise Exit(EXIT_USAGE)
    outcome = _run(loaded, options)
    _apply_baseline(outcome, write_baseline, baseline, quiet, known)
    if len(outcome.audits) > 1 and not quiet:
        from footcheck.batch import ClosingTable

        table = ClosingTable()
        for audit in outcome.audits:
            table.add(audit)
        table.render(sys.stderr)
    if not quiet:
        for note in outcome.notes:
            echo(f"footcheck: {note}", err=True)
        if offline and fmt == "rich" and target.is_stdout and sys.stdout.isatty():
            echo("footcheck: offline: links were not checked", err=True)
    _write_report(outcome.audits, fmt, target, color, details=details)
    if fmt == "github":
        from footcheck.report.step_summary import write_step_summary

        problem = write_step_summary(outcome.audits, __version__)
        if problem and not quiet:
            echo(f"footcheck: {problem}", err=True)
    if outcome.interrupted:
        what = "terminated" if _Signals.terminated else "interrupted"
        echo(f"footcheck: {what}: the report shows the links checked so far", err=True)
        raise Exit(_Signals.exit_code())
    if failed:
        raise Exit(EXIT_USAGE)
    raise Exit(_exit_code(outcome.audits, fail_on))


def _stream(found: Any, options: Any, target: Any, fail_on: str, quiet: bool,
            write_path: Path | None, known_file: Path | None) -> int:
    """--format jsonl: one line per paper as it is audited, the closing table on stderr."""
    from footcheck._output import OutputError, write
    from footcheck.baseline import BaselineError, baseline_data, only_new, read_baseline
    from footcheck.batch import run_batch
    from footcheck.discover import DiscoverError
    from footcheck.report.jsonl import Totals, document_line

    try:
        known = read_baseline(known_file) if known_file is not None else None
    except BaselineError as exc:
        raise _fail(str(exc)) from None
    recorded: list[Any] = []
    totals = Totals()
    failed = []
    state: dict[str, Any] = {}

    def draw(out: Any) -> None:
        def emit(audit: Any) -> None:
            if write_path is not None:
                recorded.extend(baseline_data([audit])["findings"])
            totals.add(audit)
            out.write(document_line(audit))
            out.flush()

        def transform(audits: list[Any]) -> list[Any]:
            return only_new(audits, known)[0] if known is not None else audits

        def on_error(message: str) -> None:
            failed.append(message)
            echo(f"footcheck: error: {message}", err=True)

        try:
            state["result"] = run_batch(found, options, emit, load=_load, on_error=on_error,
                                        transform=transform if known is not None else None)
        except DiscoverError as exc:
            state["error"] = str(exc)
        out.write(totals.line(__version__))

    try:
        write(target, draw)
    except OutputError as exc:
        if str(exc):
            echo(f"footcheck: error: {exc}", err=True)
        return EXIT_WRITE
    finally:
        if options.progress is not None:
            options.progress.close()
    if "error" in state:
        raise _fail(state["error"])
    result = state["result"]
    if write_path is not None:
        import json

        try:
            write_path.write_text(json.dumps({"tool": "footcheck", "baseline_version": 1, "findings": recorded},
                                             ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        except OSError as exc:
            raise _fail(f"cannot write the baseline {write_path}: {exc.strerror or exc}") from None
    if not quiet:
        for note in result.notes:
            echo(f"footcheck: {note}", err=True)
        if result.table.papers + result.table.failed > 1:
            result.table.render(sys.stderr)
    if result.interrupted:
        return _Signals.exit_code()
    if failed:
        return EXIT_USAGE
    if fail_on == "never":
        return 0
    return EXIT_FINDINGS if result.worst_rank >= (2 if fail_on == "error" else 1) else 0


def _read_baseline(known_file: Path | None) -> Any:
    """The --baseline file, read before any work is done (None without one)."""
    if known_file is None:
        return None
    from footcheck.baseline import BaselineError, read_baseline

    try:
        return read_baseline(known_file) if known_file is not None else None
    except BaselineError as exc:
        raise _fail(str(exc)) from None


def _apply_baseline(outcome: Any, write: Path | None, known_file: Path | None, quiet: bool,
                    known: Any = None) -> None:
    """--write-baseline records the findings; --baseline drops the known ones."""
    if write is None and known is None:
        return
    from footcheck.baseline import BaselineError, only_new, write_baseline

    try:
        if write is not None:
            count = write_baseline(write, outcome.audits)
            if not quiet:
                echo(f"footcheck: wrote {count} finding(s) to the baseline {write}", err=True)
        if known is not None:
            outcome.audits, dropped = only_new(outcome.audits, known)
            if dropped:
                outcome.notes.append(f"{dropped} finding(s) in the baseline {known_file} not reported")
    except BaselineError as exc:
        raise _fail(str(exc)) from None


def _config_start(papers: list[Path]) -> Path:
    """Where the config file search starts: the first paper's folder (the working
    directory for standard input)."""
    for paper in papers:
        if str(paper) != "-":
            return paper if paper.is_dir() else paper.parent
    return Path.cwd()


def _network_options(*, concurrency: int = defaults.CONCURRENCY, per_host: int = defaults.PER_HOST, timeout: float = defaults.TIMEOUT,
                     retries: int = defaults.RETRIES, user_agent: str | None = None, allow_private: bool = False,
                     exclude: list[str] | None = None, cache_ttl: float = defaults.CACHE_TTL,
                     no_wayback: bool = False, wayback_url: str | None = None,
                     archive_all: bool = False, max_archive_gap: int = defaults.MAX_ARCHIVE_GAP_DAYS,
                     wayback_rate: float = defaults.WAYBACK_RATE, wayback_concurrency: int = defaults.WAYBACK_CONCURRENCY,
                     wayback_timeout: float = defaults.WAYBACK_TIMEOUT, fresh_days: int = defaults.FRESH_DAYS,
                     proxy: str | None = None) -> tuple[Any, Any]:
    from footcheck.archive.interface import ArchiveOptions, resolve_wayback_url
    from footcheck.check.options import DEFAULT_USER_AGENT, CheckOptions

    check_opts = CheckOptions(
        concurrency=concurrency, per_host=per_host, timeout=timeout, retries=retries,
        user_agent=user_agent or DEFAULT_USER_AGENT, allow_private=allow_private,
        exclude=tuple(exclude or ()), cache_ttl=cache_ttl, proxy=proxy)
    archive_opts = None
    if not no_wayback:
        archive_opts = ArchiveOptions(
            base_url=resolve_wayback_url(wayback_url), concurrency=wayback_concurrency,
            rate_per_minute=wayback_rate, max_gap_days=max_archive_gap, archive_all=archive_all,
            timeout=wayback_timeout, fresh_days=fresh_days, allow_private=allow_private)
    return check_opts, archive_opts


def _registry_options(crossref_url: str | None, doi_url: str | None, mailto: str | None,
                      timeout: float, retries: int) -> Any:
    from footcheck.registry.interface import RegistryOptions, resolve_urls

    crossref, doi = resolve_urls(crossref_url, doi_url)
    return RegistryOptions(crossref_url=crossref, doi_url=doi, mailto=mailto or None,
                           timeout=min(timeout, 15.0), retries=retries)


def _write_report(audits: Any, fmt: str, target: Any, color: str, *, details: bool = False) -> None:
    from footcheck._output import OutputError, write
    from footcheck.report import get_reporter

    reporter: Any = get_reporter(fmt)
    if fmt == "rich" and details:
        from footcheck.report.rich_report import RichReporter

        reporter = RichReporter(details=True)
    want_color = {"auto": None, "always": True, "never": False}[color]
    if not target.is_stdout and color == "auto":
        want_color = False  # a file gets no escape codes unless asked for
    def draw(stream: Any) -> None:
        reporter.render(audits, stream, version=__version__, color=want_color)

    try:
        write(target, draw)
    except OutputError as exc:
        if str(exc):
            echo(f"footcheck: error: {exc}", err=True)
        raise Exit(EXIT_WRITE) from None


def _exit_code(audits: Any, fail_on: str) -> int:
    if fail_on == "never":
        return 0
    threshold = 2 if fail_on == "error" else 1
    worst = max((f.severity.rank for a in audits for f in a.findings), default=-1)
    return EXIT_FINDINGS if worst >= threshold else 0


def _progress(*labels: str) -> Any:
    from footcheck._progress import ProgressBar

    return ProgressBar.for_stderr(labels) if labels else ProgressBar.for_stderr()


def _run(loaded: list[Any], options: Any) -> Any:
    """The audit, with its progress bar closed afterwards whatever happens."""
    from footcheck.pipeline import run_audit

    try:
        return run_audit(loaded, options)
    finally:
        if options.progress is not None:
            options.progress.close()


def _audit(loaded: list[Any], *, offline: bool, quiet: bool, today: dt.date, no_cache: bool,
           cache_dir: Path | None, **network: Any) -> Any:
    """``links`` and ``fix``: the network options (unless offline), a progress bar, the
    audit, and its notes on stderr (unless quiet)."""
    from footcheck.pipeline import RunOptions
    from footcheck.rules import RuleContext

    check_opts = archive_opts = None
    if not offline:
        try:
            check_opts, archive_opts = _network_options(**network)
        except ValueError as exc:
            raise _fail(str(exc)) from None
    options = RunOptions(context=RuleContext(today=today), offline=offline, check=check_opts, archive=archive_opts,
                         use_cache=not no_cache, cache_dir=cache_dir,
                         progress=None if offline or quiet else _progress())
    outcome = _run(loaded, options)
    if not quiet:
        for note in outcome.notes:
            echo(f"footcheck: {note}", err=True)
    return outcome


def links_command(
    *, papers: list[Path], offline: bool, fmt: str, output: Path | None, timeout: float, proxy: str | None,
    allow_private: bool, no_cache: bool, cache_dir: Path | None, quiet: bool,
) -> None:
    """List every URL of each PAPER (- reads standard input) as rebuilt from the text:
    footnote, line, access date, and the verdict of a link check unless --offline."""
    from footcheck._output import OutputError, write
    from footcheck.report.links_listing import render_links

    target = _target(output, papers)
    loaded, failed = _load_all(papers)
    if failed and not loaded:
        raise Exit(EXIT_USAGE)
    outcome = _audit(loaded, offline=offline, quiet=quiet, today=dt.date.today(), no_cache=no_cache,
                     cache_dir=cache_dir, timeout=timeout, allow_private=allow_private, no_wayback=True,
                     proxy=proxy)

    try:
        write(target, lambda stream: render_links(outcome.audits, stream, fmt=fmt, version=__version__))
    except OutputError as exc:
        if str(exc):
            echo(f"footcheck: error: {exc}", err=True)
        raise Exit(EXIT_WRITE) from None
    if outcome.interrupted:
        raise Exit(_Signals.exit_code())
    raise Exit(EXIT_USAGE if failed else 0)


def archive_command(
    *, papers: list[Path], yes: bool, today: str | None, allow_private: bool, timeout: float, proxy: str | None,
    wayback_url: str | None, no_cache: bool, cache_dir: Path | None, quiet: bool, fresh_days: int,
) -> None:
    """Ask the Wayback Machine to capture the live links of each PAPER that have no
    recent capture.

    This changes state on a third-party service, so it asks first unless --yes is given.
    """
    from footcheck.pipeline import RunOptions, plan_archive, save_archive
    from footcheck.report._text import clean_line
    from footcheck.rules import RuleContext

    if any(str(p) == "-" for p in papers) and not yes:
        raise _fail("a paper on standard input needs --yes: the question could not be answered")
    loaded, failed = _load_all(papers)
    if failed:
        raise Exit(EXIT_USAGE)
    try:
        check_opts, archive_opts = _network_options(timeout=timeout, allow_private=allow_private,
                                                    wayback_url=wayback_url, fresh_days=fresh_days,
                                                    proxy=proxy)
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

    def show(text: str | None) -> str:
        # paper URLs and the archive's error text are untrusted: the reports' escaping
        return clean_line(text or "")

    for url, capture in plan.recent.items():
        echo(f"archived already  {show(url)}\n                  {show(capture.url)}")
    for url in plan.not_live:
        echo(f"not live, skipped {show(url)}")
    for url, error in plan.errors.items():
        echo(f"lookup failed     {show(url)}: {show(error)}")
    if not plan.to_save:
        echo("nothing to save: every live link has a recent capture")
        raise Exit(0)
    echo(f"{len(plan.to_save)} live link(s) have no recent capture:")
    for url in plan.to_save:
        echo(f"  {show(url)}")
    if not yes:
        if not sys.stdin.isatty():
            raise _fail("not asking without a terminal: pass --yes to request the captures")
        if not confirm("Ask the Wayback Machine to capture them now?", default=False):
            raise Exit(0)
    progress = None if quiet else _progress("asking Save Page Now")
    options = replace(options, progress=progress)
    try:
        saved = save_archive(plan.to_save, options)
    finally:
        if progress is not None:
            progress.close()
    failed_saves = 0
    for result in saved:
        if result.ok:
            echo(f"saved   {show(result.url)}\n        {show(result.archive_url)}")
        else:
            failed_saves += 1
            echo(f"failed  {show(result.url)}: {show(result.error)}")
    raise Exit(1 if failed_saves else 0)


def fix_command(
    *, papers: list[Path], write: bool, in_place: bool, select: str | None, offline: bool, fmt: str,
    archive_template: str | None, date_template: str | None, today: str | None, color: str, timeout: float,
    allow_private: bool, wayback_url: str | None, no_cache: bool, cache_dir: Path | None, quiet: bool,
) -> None:
    """Plan fixes of each PAPER's links and show them as a diff; --write or --in-place
    applies them. Exit 0: nothing to fix or fixes written; 1: fixes shown, not written;
    2: bad input; 3: nothing written (changed on disk, a backup exists, a symlink, ...)."""
    from footcheck.fix.interface import DEFAULT_ARCHIVE_TEMPLATE, DEFAULT_DATE_TEMPLATE, DEFAULT_KINDS, FixKind
    from footcheck.fix.run import Mode, fix_audit, plan_json
    from footcheck.fix.write import FixError

    if write and in_place:
        raise _fail("--write and --in-place exclude each other")
    if any(str(p) == "-" for p in papers):
        raise _fail("fix needs a paper on disk, not standard input")
    try:
        kinds = [FixKind(k.strip()) for k in select.split(",") if k.strip()] if select else list(DEFAULT_KINDS)
    except ValueError:
        raise _fail(f"--select takes {', '.join(k.value for k in FixKind)}") from None
    skipped_kinds = [k for k in kinds if offline and k.needs_network]
    kinds = [k for k in kinds if k not in skipped_kinds]
    loaded, failed = _load_all(papers)
    if failed and not loaded:
        raise Exit(EXIT_USAGE)
    outcome = _audit(loaded, offline=offline, quiet=quiet, today=_parse_day(today, "--today") or dt.date.today(),
                     no_cache=no_cache, cache_dir=cache_dir, timeout=timeout, allow_private=allow_private,
                     wayback_url=wayback_url, no_wayback=FixKind.ARCHIVE not in kinds)
    if not quiet and skipped_kinds:
        echo(f"footcheck: offline: {', '.join(k.value for k in skipped_kinds)} fixes need the network;"
             " skipped", err=True)
    if outcome.interrupted:
        raise Exit(_Signals.exit_code())
    mode = Mode.IN_PLACE if in_place else Mode.COPY if write else Mode.DIFF
    paint = color == "always" or (color == "auto" and fmt == "diff" and sys.stdout.isatty())
    planned, code, plans = 0, 0, []
    for lt, audit in zip(loaded, outcome.audits, strict=True):
        try:
            done = fix_audit(audit, lt.format.value, lt.encoding, kinds, Mode.DIFF if mode is Mode.DIFF else mode,
                             color=paint, archive_template=archive_template or DEFAULT_ARCHIVE_TEMPLATE,
                             date_template=date_template or DEFAULT_DATE_TEMPLATE)
        except FixError as exc:
            echo(f"footcheck: error: {exc}", err=True)
            code = EXIT_WRITE
            continue
        plans.append(done.plan)
        planned += len(done.plan.edits)
        if fmt == "diff":
            echo(done.output, nl=False)
        if not quiet:
            for line in done.plan.skipped:
                echo(f"footcheck: {lt.path}: {line}", err=True)
            if done.read_only and done.plan.edits:
                echo(f"footcheck: {lt.path}: {done.read_only}", err=True)
            if done.written is not None:
                what = "backup" if mode is Mode.IN_PLACE else "fixed copy"
                echo(f"footcheck: {lt.path}: {len(done.plan.edits)} fix(es) written; {what}: {done.written}",
                           err=True)
        if done.plan.edits and (mode is Mode.DIFF or done.read_only):
            code = code or EXIT_FINDINGS
    if fmt == "json":
        echo(plan_json(plans), nl=False)
    if not quiet and planned == 0 and code == 0:
        echo("footcheck: nothing to fix", err=True)
    raise Exit(EXIT_USAGE if failed and code == 0 else code)


def rules_command(*, code: str | None, color: str) -> None:
    """List the rules, or explain one: CODE is a rule code (FC202) or name."""
    from footcheck.report.rules_listing import render_rules
    from footcheck.rules.interface import all_rules

    rules = all_rules()
    if code is not None:
        wanted = code.strip().upper()
        match = [r for r in rules if r.code == wanted or r.name == code.strip().lower()]
        if not match:
            raise _fail(f"no rule {code!r}; `footcheck rules` lists them")
        code = match[0].code
    want_color = {"auto": None, "always": True, "never": False}[color]
    render_rules(rules, sys.stdout, code=code, color=want_color)


def config_command(*, path: Path | None, config: Path | None, isolated: bool) -> None:
    """Print the settings in force for PATH and where each comes from (default,
    config file and line)."""
    from footcheck.config import render_settings
    from footcheck.settings import ConfigError, resolve

    try:
        settings = resolve({}, start=path or Path.cwd(), config=config, isolated=isolated)
    except ConfigError as exc:
        raise _fail(str(exc)) from None
    echo(render_settings(settings), nl=False)


def init_command(*, path: Path, force: bool) -> None:
    """Write a commented footcheck.toml with every setting at its default."""
    from footcheck.config import init_text

    if path.exists() and not force:
        raise _fail(f"{path} exists; pass --force to replace it")
    try:
        path.write_text(init_text(), encoding="utf-8")
    except OSError as exc:
        raise _fail(f"cannot write {path}: {exc.strerror or exc}", EXIT_WRITE) from None
    echo(f"wrote {path}")


def cache_clear(*, cache_dir: Path | None) -> None:
    """Delete every cached link and archive result."""
    from footcheck._cache import Cache

    cache = Cache(cache_dir)
    if cache.error:
        raise _fail(cache.error)
    removed = cache.clear()
    cache.close()
    echo(f"removed {removed} cached entr{'y' if removed == 1 else 'ies'} from {cache.path}")


def cache_path(*, cache_dir: Path | None) -> None:
    """Print where the cache lives."""
    from footcheck._cache import Cache, default_cache_dir

    echo(str((cache_dir or default_cache_dir()) / Cache.FILENAME))



# --- the commands and their options ------------------------------------------------------
# Shared option declarations; each command lists its own, in the order --help shows them.

_PAPERS = Argument("papers", "PAPER", many=True, hidden=True,
                   help="Papers, folders (searched recursively) or quoted globs; - reads standard input.")
_DAY = "YYYY-MM-DD"
_QUIET = flag("--quiet", "-q", help="No progress or notes on stderr.")
_TIMEOUT = option("--timeout", kind="float", min=0.1, metavar="SECONDS", default=defaults.TIMEOUT,
                  help="Deadline for one URL.")
_PRIVATE = flag("--allow-private", help="Also fetch URLs on loopback and private addresses.")
_PROXY = option("--proxy", metavar="URL", help="HTTP proxy (default: HTTPS_PROXY / HTTP_PROXY; NO_PROXY hosts go direct).")
_NO_CACHE = flag("--no-cache", help="Neither read nor write the cache.")
_CACHE_DIR = option("--cache-dir", kind="path", metavar="PATH", help="Cache directory.")
_WAYBACK_URL = option("--wayback-url", envvar="FOOTCHECK_WAYBACK_URL", metavar="URL",
                      help="Base of a Wayback-compatible service.")
_COLOR = option("--color", kind="choice", choices=COLORS, default="auto",
                help="Colour and clickable links in the rich report.")

CHECK = Command("check", check_command, epilog=OTHER_COMMANDS, pass_given=True, help=check_command.__doc__ or "",
                arguments=(_PAPERS,), options=(
    flag("--offline", help="Do not check links over the network."),
    option("--format", "-f", dest="fmt", kind="choice", choices=FORMATS, default="rich", help="Report format."),
    option("--output", "-o", kind="path", metavar="PATH", help="Write the report to PATH (- is stdout)."),
    flag("--details", help="Rich report: also the full footnote and citation tables."),
    option("--today", metavar=_DAY, help="Compare dates against this day."),
    option("--submitted", metavar=_DAY, help="Submission date: later access dates are flagged."),
    option("--max-age-years", kind="float", metavar="YEARS", help="Flag access dates older than this many years."),
    option("--fail-on", kind="choice", choices=FAIL_ON, default="error", help="Exit 1 when findings reach this severity."),
    _COLOR,
    _QUIET,
    option("--select", many=True, metavar="RULES", help="Run only these rules: codes, prefixes or names (FC2,tracking-parameters)."),
    option("--ignore", many=True, metavar="RULES", help="Do not run these rules (codes, prefixes or names)."),
    option("--severity", many=True, metavar="RULE=LEVEL", help="Report a rule at another severity (FC201=error)."),
    option("--concurrency", kind="int", min=1, metavar="N", default=defaults.CONCURRENCY, help="Requests in flight over all hosts."),
    option("--per-host", kind="int", min=1, metavar="N", default=defaults.PER_HOST, help="Requests in flight to one host."),
    _TIMEOUT,
    option("--retries", kind="int", min=0, max=10, metavar="N", default=defaults.RETRIES, help="Retries after 429, 503 and connection errors."),
    option("--user-agent", metavar="TEXT", help="User-Agent header sent with requests."),
    option("--proxy", metavar="URL", help="HTTP proxy for link checks and Wayback (default: HTTPS_PROXY / HTTP_PROXY; NO_PROXY hosts go direct)."),
    _PRIVATE,
    option("--exclude", many=True, metavar="REGEX", help="URLs not to check (repeatable)."),
    _NO_CACHE,
    option("--cache-dir", kind="path", metavar="PATH", help="Cache directory (default: the user cache dir)."),
    option("--cache-ttl", kind="float", min=0, metavar="SECONDS", default=defaults.CACHE_TTL, help="How long settled link answers are reused."),
    flag("--no-wayback", help="No Wayback Machine lookups."),
    _WAYBACK_URL,
    flag("--archive-all", help="Look up archive captures for every link."),
    option("--max-archive-gap", kind="int", min=0, metavar="DAYS", default=defaults.MAX_ARCHIVE_GAP_DAYS, help="Days between access date and capture before it is flagged."),
    option("--wayback-rate", kind="float", min=0.01, metavar="N", default=defaults.WAYBACK_RATE, help="Wayback CDX requests per minute."),
    option("--wayback-concurrency", kind="int", min=1, metavar="N", default=defaults.WAYBACK_CONCURRENCY, help="Wayback lookups at once."),
    option("--wayback-timeout", kind="float", min=0.1, metavar="SECONDS", default=defaults.WAYBACK_TIMEOUT, help="How long to wait for one Wayback answer."),
    option("--config", kind="path", metavar="FILE", help="Read settings from FILE (default: footcheck.toml or pyproject.toml found from the paper's folder upward)."),
    flag("--isolated", help="Ignore every config file."),
    flag("--no-registry", help="No DOI registry lookups (doi.org, Crossref)."),
    option("--mailto", envvar="FOOTCHECK_MAILTO", metavar="EMAIL", help="Contact address for Crossref's polite pool."),
    option("--crossref-url", envvar="FOOTCHECK_CROSSREF_URL", metavar="URL", help="Base of a Crossref-compatible REST API."),
    option("--doi-url", envvar="FOOTCHECK_DOI_URL", metavar="URL", help="Base of a doi.org-compatible resolver."),
    option("--translit-scheme", metavar="SCHEME", help="Transliteration the References list must follow (bgn, lc, ala_lc, gost_779_b, ...)."),
    option("--include", many=True, metavar="GLOB", help="In folders, audit only files matching GLOB (repeatable)."),
    option("--exclude-path", many=True, metavar="GLOB", help="In folders, skip files matching GLOB (repeatable)."),
    option("--accept", kind="int", many=True, metavar="STATUS", help="HTTP status that counts as fine, e.g. 403 (repeatable)."),
    option("--write-baseline", kind="path", metavar="FILE", help="Record today's findings in FILE (see --baseline)."),
    option("--baseline", kind="path", metavar="FILE", help="Report only findings that are not in FILE."),
))

LINKS = Command("links", links_command, help=links_command.__doc__ or "", arguments=(
    Argument("papers", "PAPER", many=True, hidden=True, help="Paper(s): text, PDF, DOCX, Markdown, HTML or LaTeX; - reads standard input."),
), options=(
    flag("--offline", help="List the URLs without checking them."),
    option("--format", "-f", dest="fmt", kind="choice", choices=LIST_FORMATS, default="text", help="Output format."),
    option("--output", "-o", kind="path", metavar="PATH", help="Write the list to PATH (- is stdout)."),
    _TIMEOUT, _PROXY, _PRIVATE, _NO_CACHE, _CACHE_DIR, _QUIET,
))

ARCHIVE = Command("archive", archive_command, help=archive_command.__doc__ or "", arguments=(
    Argument("papers", "PAPER", many=True, hidden=True, help="Paper(s): text, PDF, DOCX, Markdown, HTML or LaTeX; - reads standard input."),
), options=(
    flag("--yes", "-y", help="Do not ask before requesting captures."),
    option("--today", metavar=_DAY, help="Today's date."),
    _PRIVATE, _TIMEOUT, _PROXY, _WAYBACK_URL, _NO_CACHE, _CACHE_DIR,
    flag("--quiet", "-q", help="No progress."),
    option("--fresh-days", kind="int", min=0, metavar="DAYS", default=defaults.FRESH_DAYS, help="A capture this many days old or newer needs no new one."),
))

FIX = Command("fix", fix_command, help=fix_command.__doc__ or "", arguments=(
    Argument("papers", "PAPER", many=True, help="Paper(s) to fix."),
), options=(
    flag("--write", help="Write the corrected copy beside the paper (paper.fixed.txt)."),
    flag("--in-place", help="Replace the paper, after writing its backup paper.txt.bak."),
    option("--select", metavar="KINDS", help="Kinds of fix, comma-separated: tracking, moved, archive, date-style (default: the first three)."),
    flag("--offline", help="Only the fixes that need no network (tracking, date-style)."),
    option("--format", "-f", dest="fmt", kind="choice", choices=FIX_FORMATS, default="diff", help="Show the plan as a unified diff or as JSON."),
    option("--archive-template", metavar="TEXT", help="Text added after a dead link's access date; {archive_url} is the copy."),
    option("--date-template", metavar="TEXT", help="The journal's access-date form, e.g. 'дата обращения: {date:%d.%m.%Y}'."),
    option("--today", metavar=_DAY, help="Compare dates against this day."),
    option("--color", kind="choice", choices=COLORS, default="auto", help="Colour the diff."),
    _TIMEOUT, _PRIVATE, _WAYBACK_URL, _NO_CACHE, _CACHE_DIR, _QUIET,
))

RULES = Command("rules", rules_command, help=rules_command.__doc__ or "", arguments=(
    Argument("code", "CODE", kind="str", required=False, hidden=True, help="A rule code (FC202) or name to explain."),
), options=(option("--color", kind="choice", choices=COLORS, default="auto", help="Colour."),))

CONFIG = Command("config", config_command, help=config_command.__doc__ or "", arguments=(
    Argument("path", "PATH", required=False,
             help="A paper or folder: its config file is found from there upward (default: here)."),
), options=(
    option("--config", kind="path", metavar="FILE", help="Read settings from FILE."),
    flag("--isolated", help="Ignore every config file."),
))

INIT = Command("init", init_command, help=init_command.__doc__ or "", arguments=(
    Argument("path", "FILE", required=False, default=Path("footcheck.toml"),
             help="Where to write (default: footcheck.toml here)."),
), options=(flag("--force", help="Replace an existing file."),))

CACHE = Group("cache", "Manage the on-disk cache of link and archive results.", {
    "clear": Command("clear", cache_clear, help=cache_clear.__doc__ or "", options=(
        option("--cache-dir", kind="path", metavar="PATH", help="Cache directory (default: the user cache dir)."),)),
    "path": Command("path", cache_path, help=cache_path.__doc__ or "", options=(_CACHE_DIR,)),
})

APP = Group(
    "footcheck", "Audit footnotes, bracketed citations, URLs and access dates in Russian academic text.",
    {c.name: c for c in (CHECK, LINKS, ARCHIVE, FIX, RULES, CONFIG, INIT, CACHE)},
    epilog="Usually run as `footcheck PAPER... [OPTIONS]`, the same as `footcheck check PAPER...`; "
    "`footcheck --help` shows its options.",
    version=f"footcheck {__version__}",
)
assert set(APP.commands) == SUBCOMMANDS


def run(argv: list[str]) -> int:
    """The command line ``footcheck ARGV...`` in this process; returns the exit code."""
    if argv in (["--help"], ["-h"]):
        argv = ["check", "--help"]  # the main command's options, with the others named below
    elif argv and argv[0] not in SUBCOMMANDS and argv[0] != "--version":
        argv = ["check", *argv]
    try:
        return _args.run(APP, argv, "footcheck")
    except KeyboardInterrupt:
        echo("footcheck: terminated" if _Signals.terminated else "footcheck: interrupted", err=True)
        return _Signals.exit_code()


def main() -> None:
    from footcheck import _compile_cache

    _compile_cache.install()  # before the stages compile their patterns and dataclasses (start-up); a no-op
    # when footcheck.__main__ has put it in already
    # a console that cannot encode Cyrillic gets '?' instead of a crash mid-report
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    _Signals.install()
    sys.exit(run(sys.argv[1:]))
