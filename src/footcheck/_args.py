"""The command line's machinery: commands and options declared as data, parsed by argparse.

Why not typer (which the CLI used until 0.1.x) or click: start-up. typer 0.29 imports
pydantic to coerce every parameter and click underneath, about 0.2 s before a paper is
read, more than an offline audit of a small paper takes in all; click alone still costs
three times argparse's import. argparse (standard library) splits the command line; this
module adds what it lacks and the CLI relied on: click's help layout (``Usage:``,
``Options:`` with ``[default: ...; x>=1]``, an epilog), click's error frame and wording
(``Invalid value for '--timeout': 'x' is not a valid float.``, exit code 2), environment
variables for some options, range checks, and a record of which options the user gave
(the settings layer lets only those override the config file).

Values are converted here, after argparse, so that a bad value names its option the way
the user wrote it and is one line; argparse itself only sees strings.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NoReturn

EXIT_USAGE = 2


class Exit(Exception):
    """Leave the command with this exit code (0 included)."""

    def __init__(self, code: int = 0) -> None:
        super().__init__(code)
        self.code = code


class UsageError(Exception):
    """A command line that cannot be run: shown in click's frame, exit code 2."""

    def __init__(self, message: str, command: Command | Group | None = None, prog: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.command = command
        self.prog = prog


def echo(message: str = "", *, err: bool = False, nl: bool = True) -> None:
    stream = sys.stderr if err else sys.stdout
    stream.write(message + ("\n" if nl else ""))
    stream.flush()


def confirm(text: str, *, default: bool = False) -> bool:
    """Ask a yes/no question on the terminal (click's ``confirm``); end of input is no."""
    suffix = " [Y/n]: " if default else " [y/N]: "
    while True:
        echo(text + suffix, nl=False)
        line = sys.stdin.readline()
        if not line:
            echo(err=True)
            echo("Aborted!", err=True)
            raise Exit(1)
        answer = line.strip().lower()
        if not answer:
            return default
        if answer in {"y", "yes"}:
            return True
        if answer in {"n", "no"}:
            return False
        echo("Error: invalid input", err=True)


# --- declarations ----------------------------------------------------------------------


@dataclass(frozen=True)
class Option:
    """``--name VALUE`` (or a flag). ``kind``: flag, str, int, float, path or choice."""

    flags: tuple[str, ...]
    dest: str
    help: str
    kind: str = "str"
    default: Any = None
    metavar: str = ""
    choices: tuple[str, ...] = ()
    many: bool = False  # repeatable: a list of values, None when not given
    envvar: str | None = None
    min: float | None = None
    max: float | None = None

    @property
    def shown(self) -> str:
        """How errors name it: ``'-f' / '--format'``."""
        return " / ".join(f"'{f}'" for f in self.flags)


def option(*flags: str, help: str, dest: str | None = None, **kw: Any) -> Option:
    """An option; ``dest`` defaults to the long flag's name with ``_`` (``--cache-dir``: cache_dir)."""
    long = next(f for f in flags if f.startswith("--"))
    ordered = tuple(sorted(flags, key=lambda f: (f.startswith("--"), f)))  # short first, as click shows them
    return Option(ordered, dest or long[2:].replace("-", "_"), help, **kw)


def flag(*flags: str, help: str, dest: str | None = None) -> Option:
    return option(*flags, help=help, dest=dest, kind="flag", default=False)


@dataclass(frozen=True)
class Argument:
    """A positional argument of a command."""

    dest: str
    metavar: str
    help: str = ""
    kind: str = "path"  # path or str
    many: bool = False
    required: bool = True
    default: Any = None
    hidden: bool = False  # not in an "Arguments:" section (the help text says it already)


@dataclass(frozen=True)
class Command:
    """A command: the function it calls, its help, options and arguments."""

    name: str
    run: Callable[..., None]
    help: str
    options: tuple[Option, ...] = ()
    arguments: tuple[Argument, ...] = ()
    epilog: str = ""
    pass_given: bool = False  # also call ``run(given=...)``: the options the user gave

    def flags(self) -> set[str]:
        """Every option name, ``-h``/``--help`` included."""
        return {f for o in self.options for f in o.flags} | {"-h", "--help"}


@dataclass(frozen=True)
class Group:
    """A command with subcommands (``footcheck`` itself, ``footcheck cache``)."""

    name: str
    help: str
    commands: Mapping[str, Command | Group] = field(default_factory=dict)
    epilog: str = ""
    version: str = ""  # ``--version`` prints this line


# --- parsing ---------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        # argparse's wording where click's differs (what users and scripts saw before)
        if message.startswith("unrecognized arguments: "):
            first = message.split(": ", 1)[1].split(" ")[0]
            raise UsageError(f"No such option: {first}" if first.startswith("-")
                             else f"Got unexpected extra argument ({first})")
        needs = re.fullmatch(r"argument (\S+?)(?:/\S+)?: expected one argument", message)
        if needs:
            raise UsageError(f"Option '{needs[1]}' requires an argument.")
        raise UsageError(message[:1].upper() + message[1:] + ("" if message.endswith(".") else "."))


class _Formatter(argparse.HelpFormatter):
    """argparse makes a formatter on every ``add_argument`` (to check the metavar) and its
    default asks the terminal for its width, importing shutil (and with it bz2, lzma) on
    every start; the help shown is this module's own (:func:`render_help`), so argparse's
    width is never seen."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=80)


def _argparser(cmd: Command) -> _Parser:
    # every value stays a string (converted by _convert); options not given stay absent
    parser = _Parser(prog=cmd.name, add_help=False, allow_abbrev=False, argument_default=argparse.SUPPRESS,
                     formatter_class=_Formatter)
    for o in cmd.options:
        if o.kind == "flag":
            parser.add_argument(*o.flags, dest=o.dest, action="store_true")
        else:
            parser.add_argument(*o.flags, dest=o.dest, action="append" if o.many else "store")
    parser.add_argument("-h", "--help", dest="help ", action="store_true")
    for a in cmd.arguments:
        parser.add_argument(a.dest, nargs="*" if a.many else "?")
    return parser


def _number(o: Option, raw: str) -> Any:
    kind: type[int] | type[float] = int if o.kind == "int" else float
    try:
        value = kind(raw)
    except ValueError:
        name = "integer" if o.kind == "int" else "float"
        raise ValueError(f"{raw!r} is not a valid {name}.") from None
    if (o.min is not None and value < o.min) or (o.max is not None and value > o.max):
        raise ValueError(f"{value} is not in the range {_range(o)}.")
    return value


def _range(o: Option) -> str:
    if o.min is not None and o.max is not None:
        return f"{o.min}<=x<={o.max}"
    return f"x>={o.min}" if o.min is not None else f"x<={o.max}"


def _one(o: Option, raw: str) -> Any:
    if o.kind in {"int", "float"}:
        return _number(o, raw)
    if o.kind == "path":
        return Path(raw)
    if o.kind == "choice" and raw not in o.choices:
        allowed = ", ".join(repr(c) for c in o.choices)
        raise ValueError(f"{raw!r} is not one of {allowed}.")
    return raw


def _convert(o: Option, raw: Any) -> Any:
    try:
        if o.kind == "flag":
            return bool(raw)
        return [_one(o, r) for r in raw] if o.many else _one(o, raw)
    except ValueError as exc:
        raise UsageError(f"Invalid value for {o.shown}: {exc}") from None


@dataclass(frozen=True)
class Parsed:
    """A command line read for one command."""

    values: dict[str, Any]  # every option and argument, defaults filled in
    given: dict[str, Any]  # those the user gave, on the command line or in the environment
    help: bool = False


def parse(cmd: Command, argv: Sequence[str], environ: Mapping[str, str] | None = None) -> Parsed:
    """``argv`` (after the command's name) to values; raises :class:`UsageError`."""
    ns = vars(_argparser(cmd).parse_intermixed_args(list(argv)))
    if ns.pop("help ", False):
        return Parsed({}, {}, help=True)
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    given: dict[str, Any] = {}
    for o in cmd.options:
        if o.dest in ns:
            values[o.dest] = given[o.dest] = _convert(o, ns[o.dest])
        elif o.envvar and env.get(o.envvar):  # an empty variable is not set (as click reads it)
            values[o.dest] = given[o.dest] = _convert(o, [env[o.envvar]] if o.many else env[o.envvar])
        else:
            values[o.dest] = o.default
    for a in cmd.arguments:
        raw = ns.get(a.dest)
        if not raw and a.required:
            raise UsageError(f"Missing argument '{a.metavar}{'...' if a.many else ''}'.")
        if raw is None or raw == []:
            values[a.dest] = a.default
            continue
        kind: Callable[[str], Any] = Path if a.kind == "path" else str
        values[a.dest] = [kind(r) for r in raw] if a.many else kind(raw)
    return Parsed(values, given)


def run(root: Group, argv: Sequence[str], prog: str) -> int:
    """Dispatch ``argv`` through ``root``'s commands; returns the exit code."""
    node: Command | Group = root
    path = [prog]
    args = list(argv)
    try:
        while isinstance(node, Group):
            if not args:
                echo(render_help(node, " ".join(path)), nl=False)
                return EXIT_USAGE  # as click's no_args_is_help
            head = args.pop(0)
            if head in {"-h", "--help"}:
                echo(render_help(node, " ".join(path)), nl=False)
                return 0
            if head == "--version" and node.version:
                echo(node.version)
                return 0
            if head.startswith("-"):
                raise UsageError(f"No such option: {head}", node, " ".join(path))
            if head not in node.commands:
                raise UsageError(f"No such command {head!r}.", node, " ".join(path))
            node = node.commands[head]
            path.append(head)
        shown = " ".join(path)
        try:
            parsed = parse(node, args)
        except UsageError as exc:
            raise UsageError(exc.message, node, shown) from None
        if parsed.help:
            echo(render_help(node, shown), nl=False)
            return 0
        extra = {"given": parsed.given} if node.pass_given else {}
        node.run(**parsed.values, **extra)
        return 0
    except Exit as done:
        return done.code
    except BrokenPipeError:
        # the reader went away (``footcheck rules | head``): say nothing more, as click did
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no error at exit's flush
        return 1
    except UsageError as exc:
        where = exc.prog or " ".join(path)
        command = exc.command or node  # raised by the command itself: its own usage
        echo(f"{_usage(command, where)}\nTry '{where} -h' for help.\n", err=True)
        echo(f"Error: {exc.message}", err=True)
        return EXIT_USAGE


# --- help ------------------------------------------------------------------------------


def _width() -> int:
    import shutil

    return max(min(shutil.get_terminal_size().columns, 80) - 2, 50)  # click's


def _fill(text: str, width: int, indent: int) -> str:
    """Paragraphs (blank-line separated) re-wrapped and indented, as click shows them."""
    import textwrap

    pad = " " * indent
    paragraphs = [" ".join(p.split()) for p in text.strip().split("\n\n")]
    return "\n\n".join(textwrap.fill(p, width, initial_indent=pad, subsequent_indent=pad,
                                     break_on_hyphens=True) for p in paragraphs)


def _rows(rows: list[tuple[str, str]], width: int) -> list[str]:
    """click's definition list: a first column of at most 30, the help wrapped beside it."""
    import textwrap

    first = min(max(len(left) for left, _ in rows), 30) + 2
    out = []
    for left, right in rows:
        if not right:
            out.append(f"  {left}")
            continue
        lines = textwrap.wrap(right, max(width - first - 2, 10)) or [""]
        if len(left) <= first - 2:
            out.append(f"  {left}{' ' * (first - len(left))}{lines[0]}")
        else:
            out.append(f"  {left}")
            out.append(" " * (first + 2) + lines[0])
        out.extend(" " * (first + 2) + line for line in lines[1:])
    return out


def _show_default(value: Any) -> str:
    if isinstance(value, Path):
        return str(value)
    return str(value)


def _option_row(o: Option) -> tuple[str, str]:
    left = ", ".join(o.flags)
    if o.kind == "choice":
        left += f" <{'|'.join(o.choices)}>"
    elif o.kind != "flag" and o.metavar:
        left += f" {o.metavar}"
    extra = []
    if o.envvar:
        extra.append(f"env var: {o.envvar}")
    if o.default is not None and o.default is not False:
        extra.append(f"default: {_show_default(o.default)}")
    if o.min is not None or o.max is not None:
        extra.append(_range(o))
    right = o.help + (f"  [{'; '.join(extra)}]" if extra else "")
    return left, right


def _usage(node: Command | Group, prog: str) -> str:
    if isinstance(node, Group):
        return f"Usage: {prog} [OPTIONS] COMMAND [ARGS]..."
    parts = [f"Usage: {prog} [OPTIONS]"]
    for a in node.arguments:
        name = a.metavar + ("..." if a.many else "")
        parts.append(name if a.required else f"[{name}]")
    return " ".join(parts)


def _short(text: str, limit: int) -> str:
    """A command's help cut to its first sentence and ``limit`` characters (click's)."""
    words = text.split("\n\n", 1)[0].split()
    out: list[str] = []
    total = 0
    for i, word in enumerate(words):
        if word.endswith(".") and total + len(word) <= limit:
            out.append(word)
            return " ".join(out)
        total += len(word) + (1 if i else 0)
        if total > limit - 3:
            return " ".join(out) + "..."
        out.append(word)
    return " ".join(out)


def render_help(node: Command | Group, prog: str) -> str:
    width = _width()
    blocks = [_usage(node, prog), _fill(node.help, width, 2)]
    if isinstance(node, Command):
        args = [(a.metavar, a.help + (f"  [default: {_show_default(a.default)}]" if a.default is not None else "")
                 + ("  [required]" if a.required else ""))
                for a in node.arguments if not a.hidden]
        if args:
            blocks.append("Arguments:\n" + "\n".join(_rows(args, width)))
        rows = [_option_row(o) for o in node.options]
    else:
        rows = [("--version", "Show the version and exit.")] if node.version else []
    rows.append(("-h, --help", "Show this message and exit."))
    blocks.append("Options:\n" + "\n".join(_rows(rows, width)))
    if isinstance(node, Group):
        longest = max(len(name) for name in node.commands)
        listed = [(name, _short(sub.help, width - 6 - longest)) for name, sub in node.commands.items()]
        blocks.append("Commands:\n" + "\n".join(_rows(listed, width)))
    if node.epilog:
        blocks.append(_fill(node.epilog, width, 2))
    return "\n\n".join(blocks) + "\n"
