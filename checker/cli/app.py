"""The command line: options in, a library call, an exit code out. The `cgt-check` group, its
commands (one module per command group), and the one place errors become exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from checker import __version__
from checker.base import i18n
from checker.base.errors import EXIT_ERROR, EXIT_INTERRUPTED, CheckerError
from checker.cli.baseline import baseline
from checker.cli.check import check
from checker.cli.console import say
from checker.cli.init import init
from checker.cli.migrate import migrate
from checker.cli.options import lang_of
from checker.cli.rules import rules
from checker.cli.schema import schema


@contextmanager
def handle_errors(ctx: click.Context) -> Iterator[None]:
    """The one place that turns errors into messages and exit codes; the messages are in the
    command's language (checker.cli.options.lang_of)."""
    try:
        yield
    except CheckerError as exc:
        for line in exc.lines(lang_of(ctx)):
            say(line)
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        say(i18n.text("interrupted", lang_of(ctx)))
        sys.exit(EXIT_INTERRUPTED)
    except BrokenPipeError:
        sys.exit(EXIT_ERROR)


class _Commands(click.Group):
    """A group whose commands' errors are handled once, here."""

    def invoke(self, ctx: click.Context) -> Any:
        with handle_errors(ctx):
            return super().invoke(ctx)


@click.group(
    cls=_Commands, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100}
)
@click.version_option(__version__, prog_name="cgt-check")
def main() -> None:
    """Check CGT product dossiers (YAML) against what China's CDE expects.

    \b
    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 usage error, unreadable or invalid input, or a broken rule file;
    130 interrupted.
    """


for command in (check, init, migrate, baseline, rules, schema):
    main.add_command(command)
