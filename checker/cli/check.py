"""`cgt-check check`: options in, a check, its reports out, an exit code."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from checker.base.errors import UsageError
from checker.base.i18n import message
from checker.cli.console import emit, opened, say
from checker.cli.helptext import Localized
from checker.cli.options import (
    AS_OF,
    BASELINE,
    CONFIG,
    FAIL_ON_OPTION,
    FORMAT,
    IGNORE,
    JUSTIFICATIONS,
    LANG,
    MARKDOWN_FULL,
    MAX_FILE_SIZE,
    NO_CONFIG,
    NO_JUSTIFICATIONS,
    OUTPUT,
    RULES,
    SELECT,
    settings,
)

if TYPE_CHECKING:
    from checker.base.errors import Problem
    from checker.cli.progress import Progress
    from checker.report.result import DossierResult
    from checker.run.api import CheckRun


@click.command(cls=Localized)
@click.argument("paths", nargs=-1, metavar="PATH...")
@FORMAT
@OUTPUT
@MARKDOWN_FULL
@FAIL_ON_OPTION
@AS_OF
@LANG
@JUSTIFICATIONS
@NO_JUSTIFICATIONS
@BASELINE
@SELECT
@IGNORE
@CONFIG
@NO_CONFIG
@click.option(
    "--show-config", is_flag=True, help="Print the effective options and where each came from, then exit."
)
@RULES
@MAX_FILE_SIZE
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default="0: one per core",
    help="Worker processes for many files (never more than the cores, nor than one per 4 files); "
    "the findings and their order do not depend on it. With --rules, the engine always runs in "
    "workers, so that a custom rule that crashes it stops only the dossier it crashed on. "
    "SIGTERM or SIGHUP stops the workers with the run (exit 143, 129).",
)
@click.option(
    "--quiet",
    "-q",
    is_flag=True,
    help="No progress bar and no dossier format notice (both are only shown on a terminal).",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build the rule pack and the dossier validator afresh and check every file, not from the "
    "cache (which also keeps the outcome of each file that has not changed since it was checked).",
)
@click.option("--title", metavar="TEXT", help="The title on the HTML report's cover (default: its own).")
@click.option("--client", metavar="TEXT", help="Whom the report is prepared for, on the HTML report's cover.")
@click.option(
    "--logo",
    "logo_file",
    metavar="FILE",
    help="A PNG or JPEG image (at most 1 MB; no SVG) embedded on the HTML report's cover.",
)
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    config_file: str | None,
    no_config: bool,
    show_config: bool,
    markdown_full: bool,
    jobs: int,
    quiet: bool,
    no_cache: bool,
    title: str | None,
    client: str | None,
    logo_file: str | None,
    **configurable: Any,  # read with the configuration file's, by settings()
) -> None:
    """Check dossier files, or directories searched for *.yaml and *.yml; "-" reads a dossier
    from standard input.

    \b
    Examples:
      cgt-check check dossier.yaml
      cgt-check check dossiers/ --lang zh --as-of 2026-01-01
      cgt-check check dossiers/ -f sarif -o report.sarif -f html -o report.html -f text -o -
      cgt-check check - --rules house-rules/ < dossier.yaml
    """
    from checker.cli.progress import Progress
    from checker.report.formats import FORMATS, MARKDOWN_LIMIT, Options
    from checker.report.result import Report
    from checker.report.stream import close_spill, spill
    from checker.run.api import start_check
    from checker.run.outputs import plan_outputs, refuse_inputs

    resolved = settings(ctx, config_file, no_config)
    if show_config:
        emit(resolved.show(resolved.lang))
        return
    if not paths:
        raise UsageError(message("no_paths"))
    planned = plan_outputs(resolved.formats, resolved.outputs)
    for fmt, output in planned:  # before the check: a format that cannot be written is refused now
        FORMATS[fmt].ready(to_terminal=output is None and sys.stdout.isatty())
    options = replace(
        resolved.check_options(jobs=jobs, use_cache=not no_cache),
        title=title,
        client=client,
        logo_file=logo_file,
    )
    run = start_check(list(paths), options)
    read = [
        *run.files,
        *resolved.read_files(),
        *options.justification_files,
        *([options.baseline_file] if options.baseline_file else []),
        *([options.logo_file] if options.logo_file else []),
    ]
    refuse_inputs([out for _, out in planned], read)
    progress = Progress(len(run.files), sys.stderr, Progress.wanted(sys.stderr, quiet), resolved.lang)
    older: list[str] = []  # the files checked in a format older than the newest
    stream = run.stream(_shown(run, progress, resolved.lang, older))
    source = stream if len(planned) == 1 else spill(stream)  # several formats: one whole report
    try:
        for fmt, output in planned:
            # The run's other report files, by name (where they are stored, e.g. a CI job's artifacts)
            elsewhere = tuple(
                Path(other).name for _, other in planned if other is not None and other != output
            )
            report_options = Options(
                fail_on=resolved.fail_on,
                markdown_max_chars=None if markdown_full else MARKDOWN_LIMIT,
                elsewhere=elsewhere,
            )
            with opened(output, progress.clear) as out:
                FORMATS[fmt].write(source, resolved.lang, out, report_options)
    finally:  # a report that cannot be written ends the run here, its workers with it
        for items in (stream.items, run.items):
            close = getattr(items, "close", None)
            if close is not None:
                close()
        if isinstance(source, Report):
            close_spill(source)
    progress.clear()
    if older and _notice_wanted(quiet):
        say(format_notice(len(older), resolved.lang))
    sys.exit(stream.exit_code(resolved.fail_on))


def _notice_wanted(quiet: bool) -> bool:
    """The format notice is for a person at a terminal, as the progress bar is: never in a
    report, a redirected log or a CI job's output."""
    from checker.cli.progress import Progress

    return Progress.wanted(sys.stderr, quiet)


def format_notice(count: int, lang: str) -> str:
    """The one line that says a newer dossier format exists, after a run that checked `count`
    dossiers in an older one."""
    from checker.base import i18n
    from checker.model.common import LATEST_SCHEMA_VERSION

    return i18n.text("notice-format-2", lang, count=count, latest=LATEST_SCHEMA_VERSION)


def _shown(
    run: CheckRun, progress: Progress, lang: str, older: list[str]
) -> Iterator[DossierResult | Problem]:
    """The items of a check, each input error shown on standard error (in `lang`) as it comes,
    the progress bar advanced; the files of dossiers in an older format than the newest added to
    `older`."""
    from checker.base.errors import Problem
    from checker.model.common import LATEST_SCHEMA_VERSION

    for item in run.items:
        if isinstance(item, Problem):
            progress.clear()
            say(item.render(lang))
        elif item.schema_version != LATEST_SCHEMA_VERSION:
            older.append(item.file)
        progress.advance(run.done - progress.done)
        yield item
