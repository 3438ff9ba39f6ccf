"""The command line: options in, a library call, an exit code out. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any, TypeVar

import click

from checker import __version__
from checker.errors import EXIT_ERROR, EXIT_INTERRUPTED, CheckerError, UsageError
from checker.limits import MAX_FILE_BYTES
from checker.result import FAIL_ON

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """The one place that turns errors into messages and exit codes."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CheckerError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of: '{value}' is not a valid date (YYYY-MM-DD)") from None


def _write(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from checker.output import write_atomic

    write_atomic(Path(output), text)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cgt-check")
def main() -> None:
    """Check CGT product dossiers (YAML) against what China's CDE expects.

    \b
    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 usage error, unreadable or invalid input, or a broken rule file;
    130 interrupted.
    """


@main.command()
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
@click.option("--output", "-o", metavar="FILE", help="Write the report to FILE instead of standard output.")
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option("--as-of", metavar="YYYY-MM-DD", help="The check date for date rules (default: today).")
@click.option(
    "--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True, help="Language of messages."
)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    metavar="DIR",
    help="A directory of custom rule files to add to the bundled pack (repeatable).",
)
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=MAX_FILE_BYTES,
    show_default=True,
    metavar="BYTES",
    help="Largest dossier file read, in bytes; a larger file is an input error.",
)
@handle_errors
def check(
    paths: tuple[str, ...],
    fmt: str,
    output: str | None,
    fail_on: str,
    as_of: str | None,
    lang: str,
    rule_dirs: tuple[str, ...] = (),
    max_file_size: int = MAX_FILE_BYTES,
) -> None:
    """Check dossier files, or directories searched for *.yaml and *.yml; "-" reads a dossier
    from standard input."""
    from checker.check import CheckOptions, check_paths
    from checker.formats import FORMATS
    from checker.limits import Limits

    options = CheckOptions(
        as_of=_as_of(as_of),
        rule_dirs=tuple(Path(d) for d in rule_dirs),
        limits=Limits(max_file_bytes=max_file_size),
    )
    report = check_paths(list(paths), options)
    for problem in report.errors:
        click.echo(problem.render(), err=True)
    _write(FORMATS[fmt](report, lang), output)
    sys.exit(report.exit_code(fail_on))


@main.group()
def rules() -> None:
    """Explain the rule catalogue."""


@rules.command("list")
@click.option("--format", "-f", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@handle_errors
def rules_list(fmt: str, lang: str) -> None:
    """List every rule with its requirement and severity."""
    from checker.explain import rules_json, rules_text
    from checker.rulepack import load_pack

    pack = load_pack()
    if fmt == "json":
        click.echo(json.dumps(rules_json(pack, lang), indent=2, ensure_ascii=False))
    else:
        click.echo(rules_text(pack, lang), nl=False)


@rules.command("show")
@click.argument("rule_or_requirement", metavar="ID")
@click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)
@handle_errors
def rules_show(rule_or_requirement: str, lang: str) -> None:
    """Explain one rule, or every rule of one requirement."""
    from checker.explain import show
    from checker.rulepack import load_pack

    click.echo(show(load_pack(), rule_or_requirement, lang), nl=False)


@main.command()
@click.option(
    "--kind", type=click.Choice(["dossier", "rule", "report"]), default="dossier", show_default=True
)
@handle_errors
def schema(kind: str) -> None:
    """Print a JSON Schema (the dossier format by default)."""
    from checker.schemas import render

    click.echo(render(kind), nl=False)
