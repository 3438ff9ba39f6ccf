"""The command line: options in, a library call, an exit code out. The `cgt-check` group, its
commands (one module per command group), and the one place errors become exit codes."""

from __future__ import annotations

import atexit
import errno
import os
import signal
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import click

from checker import __version__
from checker.base import i18n
from checker.base.errors import (
    EXIT_BROKEN_PIPE,
    EXIT_ERROR,
    EXIT_INTERRUPTED,
    CheckerError,
    ClosedOutput,
    Terminated,
    os_reason,
)
from checker.cli.baseline import baseline
from checker.cli.check import check
from checker.cli.console import say
from checker.cli.helptext import ARGS_KEY, LocalizedGroup
from checker.cli.init import init
from checker.cli.lsp import lsp
from checker.cli.migrate import migrate
from checker.cli.options import lang_of
from checker.cli.rules import rules
from checker.cli.schema import schema
from checker.cli.usage import show, usage_lang


@contextmanager
def handle_errors(ctx: click.Context) -> Iterator[None]:
    """The one place that turns errors into messages and exit codes; the messages are in the
    command's language (checker.cli.options.lang_of)."""
    try:
        yield
    except click.ClickException as exc:  # click's own usage errors, in the command's language
        _usage_error(exc, ctx.meta.get(ARGS_KEY, ()))
    except CheckerError as exc:
        for line in exc.lines(lang_of(ctx)):
            say(line)
        if isinstance(exc, ClosedOutput) or exc.exit_code == EXIT_ERROR:
            _quiet_stdout()  # what is left in its buffer can never be written
        sys.exit(exc.exit_code)
    except Terminated as exc:
        say(i18n.text("terminated", lang_of(ctx), signal=signal.Signals(exc.signum).name))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        say(i18n.text("interrupted", lang_of(ctx)))
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)


def _usage_error(exc: click.ClickException, args: Sequence[str]) -> None:
    show(exc, usage_lang(exc, args))
    sys.exit(exc.exit_code)


def _quiet_stdout() -> None:
    """Standard output pointed at the null device, so that flushing it as Python exits cannot
    fail again (no "Exception ignored" message after the one line that says what went wrong)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass


def _stdout_failed(exc: OSError) -> None:
    """Standard output failed under click's own writing (--help, --version): as for a command's."""
    _quiet_stdout()
    if exc.errno == errno.EPIPE:
        sys.exit(EXIT_BROKEN_PIPE)
    say(
        i18n.text(
            "error_line", "en", message=i18n.message("cannot_write_stdout", reason=os_reason(exc)).text()
        )
    )
    sys.exit(EXIT_ERROR)


class _Commands(LocalizedGroup):
    """A group whose commands' errors are handled once, here."""

    def make_context(
        self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any
    ) -> click.Context:
        try:
            ctx = super().make_context(info_name, list(args), parent=parent, **extra)
        except click.ClickException as exc:  # the group's own options
            _usage_error(exc, args)
        ctx.meta[ARGS_KEY] = list(args)
        return ctx

    def invoke(self, ctx: click.Context) -> Any:
        with handle_errors(ctx):
            return super().invoke(ctx)

    def main(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:  # click passes on a failed write of its own but a closed pipe
            _stdout_failed(exc)


def _monitored() -> bool:
    """Whether a tool watches the process through sys.monitoring (cProfile from Python 3.12)."""
    monitoring = getattr(sys, "monitoring", None)
    return monitoring is not None and any(monitoring.get_tool(i) is not None for i in range(6))


def _exit_now(exc: SystemExit) -> None:
    """End the process with the exit's code, once standard output and error are flushed; if
    either cannot be flushed, return, and Python's own exit deals with it."""
    code = exc.code
    if code is None:
        code = 0
    elif not isinstance(code, int):
        return  # a message to print: Python's exit prints it
    if sys.gettrace() is not None or sys.getprofile() is not None or _monitored():
        return  # a profiler or a coverage tool writes what it found as Python exits
    try:
        run_exit_functions = getattr(atexit, "_run_exitfuncs", None)
        if run_exit_functions is None:
            return
        run_exit_functions()  # what libraries asked to do at exit (logging's flush, ...)
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:  # none without a console (pythonw)
                stream.flush()
    except (OSError, ValueError, AttributeError):
        return
    os._exit(code)


@click.group(
    cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="cgt-check")
def main() -> None:
    """Check CGT product dossiers (YAML) against what China's CDE expects.

    \b
    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 usage error, unreadable or invalid input, a broken rule file, or
    standard output cannot be written; 130 interrupted; 141 standard output
    closed by its reader (| head); 143 stopped by SIGTERM, 129 by SIGHUP
    (worker processes stopped too).
    """


for command in (check, init, migrate, baseline, rules, schema, lsp):
    main.add_command(command)


def run() -> None:
    """The command line's own entry point (the `cgt-check` script, `python -m checker`): once
    the command is done and its output flushed, the process ends at once, without tearing the
    interpreter down object by object (tens of milliseconds of a short check). A program that
    calls `main` (or click's test runner) gets click's own behaviour: it returns or raises
    SystemExit, and the program goes on."""
    try:
        main(prog_name="cgt-check")
    except SystemExit as exc:
        _exit_now(exc)
        raise
    _exit_now(SystemExit(0))
