"""The options commands share, declared once, and their resolution with the configuration
file (checker.run.settings) from what was given on the command line."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from checker.base.limits import MAX_FILE_BYTES, MAX_FILE_BYTES_CEILING
from checker.base.literals import LANGS
from checker.report.formats import FORMATS
from checker.report.result import FAIL_ON
from checker.run.settings import Settings, find_config, resolve

F = TypeVar("F", bound=Callable[..., Any])

# Where a command keeps the language its messages are written in (in the click context's meta,
# which its group shares): the --lang given on the command line as soon as it is parsed (a
# configuration file's own errors are found before its `lang` is read), then the resolved one.
LANG_KEY = "cgt-check.lang"


def remember_lang(ctx: click.Context, lang: str) -> None:
    """Write the command's messages (errors, notices) in `lang` from now on."""
    ctx.meta[LANG_KEY] = lang


def lang_of(ctx: click.Context) -> str:
    """The language of the command's messages: English until a language is known."""
    return str(ctx.meta.get(LANG_KEY, "en"))


def _given_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from click.core import ParameterSource

    if (
        value is not None
        and param.name
        and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE
    ):
        remember_lang(ctx, value)
    return value


FORMAT = click.option(
    "--format",
    "-f",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Output format (default: text). Repeat it, each with its own --output, to write several "
    "reports in one run: " + "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()) + ".",
)
OUTPUT = click.option(
    "--output",
    "-o",
    "outputs",
    metavar="FILE",
    multiple=True,
    help="Write the report to FILE (written atomically) instead of standard output; one per --format, "
    "in the same order; '-' is standard output.",
)
FAIL_ON_OPTION = click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1 (and a JUnit failure; a finding below it is "
    "reported, not failed).",
)
MARKDOWN_FULL = click.option(
    "--markdown-full",
    is_flag=True,
    help="Write the whole Markdown report, however long (by default one longer than 65,536 "
    "characters, what a GitHub comment takes, keeps the summary and the failed requirements and "
    "says what it left out).",
)
AS_OF = click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    help="The check date for date rules (default: today). Fix it for reproducible reports.",
)
LANG = click.option(
    "--lang",
    type=click.Choice(LANGS),
    default="en",
    show_default=True,
    callback=_given_lang,
    help="Language of the reports and messages: English or Chinese (the CDE's terms; English sources "
    "are quoted in English).",
)
JUSTIFICATIONS = click.option(
    "--justifications",
    "justification_files",
    metavar="FILE",
    multiple=True,
    help="A file of justifications (waivers) for findings accepted rather than fixed, besides each "
    "dossier's own justifications: section (see `cgt-check schema --kind justifications`). Repeatable.",
)
NO_JUSTIFICATIONS = click.option(
    "--no-justifications",
    is_flag=True,
    help="Ignore every justification: the audit view, every finding fails as found.",
)
BASELINE = click.option(
    "--baseline",
    "baseline_file",
    metavar="FILE",
    help="Fail only on findings not in this baseline (from `cgt-check baseline create`); findings "
    "are matched by rule, file and dossier path, never by line.",
)
SELECT = click.option(
    "--select",
    multiple=True,
    metavar="PATTERN",
    help="Run only rules matching PATTERN: a rule id, a requirement id, a tag (e.g. ind, "
    "post-marketing, car-t) or a glob of them (CGT-PM-*). Repeatable; comma-separated lists too.",
)
IGNORE = click.option(
    "--ignore", multiple=True, metavar="PATTERN", help="Do not run rules matching PATTERN (as --select)."
)
CONFIG = click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="Read options from FILE instead of the nearest .cgt-check.yaml or pyproject.toml "
    "[tool.cgt-check] at or above the working directory.",
)
NO_CONFIG = click.option("--no-config", is_flag=True, help="Read no configuration file.")
RULES = click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    metavar="DIR",
    help="A directory of custom rule files to add to the bundled pack (repeatable).",
)
MAX_FILE_SIZE = click.option(
    "--max-file-size",
    type=click.IntRange(min=1, max=MAX_FILE_BYTES_CEILING),
    default=MAX_FILE_BYTES,
    show_default=True,
    metavar="BYTES",
    help="Largest dossier file read, in bytes; a larger file is an input error.",
)

# The parameters of the options a configuration file may set too -> their long names, by which
# checker.run.settings knows them.
CONFIGURABLE = {
    "formats": "format",
    "outputs": "output",
    "fail_on": "fail-on",
    "lang": "lang",
    "as_of": "as-of",
    "select": "select",
    "ignore": "ignore",
    "rule_dirs": "rules",
    "justification_files": "justifications",
    "no_justifications": "no-justifications",
    "baseline_file": "baseline",
    "max_file_size": "max-file-size",
}


def settings(ctx: click.Context, config_file: str | None, no_config: bool) -> Settings:
    """A command's options: the command line, else the configuration file, else the defaults."""
    from click.core import ParameterSource

    given = {
        name: ctx.params[param]
        for param, name in CONFIGURABLE.items()
        if ctx.get_parameter_source(param) is ParameterSource.COMMANDLINE
    }
    resolved = resolve(given, find_config(config_file, no_config))
    remember_lang(ctx, resolved.lang)
    return resolved


def lang_option(help_text: str) -> Callable[[F], F]:
    """--lang for a command that writes only messages (and, for migrate, comments)."""
    return click.option(
        "--lang",
        type=click.Choice(LANGS),
        default="en",
        show_default=True,
        callback=_given_lang,
        help=help_text,
    )


def explain_options(command: F) -> F:
    """--lang and --rules, for the commands that explain the rules."""
    command = click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        metavar="DIR",
        help="Also a directory of custom rule files, as for check (repeatable).",
    )(command)
    return lang_option("Language of the explanations and messages: English or Chinese (the CDE's terms).")(
        command
    )
