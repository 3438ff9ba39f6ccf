"""`cgt-check baseline create`: the findings of today, so that a check fails only on new ones."""

from __future__ import annotations

import sys
from typing import Any

import click

from checker.base import i18n
from checker.base.errors import EXIT_ERROR
from checker.cli.console import emit, say
from checker.cli.helptext import LocalizedGroup
from checker.cli.options import (
    AS_OF,
    CONFIG,
    IGNORE,
    JUSTIFICATIONS,
    LANG,
    NO_CONFIG,
    RULES,
    SELECT,
    settings,
)


@click.group(cls=LocalizedGroup)
def baseline() -> None:
    """Record the current findings, so that a check fails only on new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--output", "-o", metavar="FILE", required=True, help="The baseline file to write (JSON).")
@AS_OF
@JUSTIFICATIONS
@RULES
@SELECT
@IGNORE
@CONFIG
@NO_CONFIG
@LANG
@click.pass_context
def baseline_create(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: str,
    config_file: str | None,
    no_config: bool,
    **configurable: Any,  # read with the configuration file's, by settings()
) -> None:
    """Write the findings of PATH... to a baseline file.

    Run it, and later `cgt-check check --baseline FILE`, from the same directory with the same
    paths: findings are keyed by rule, file (as given) and dossier path. It reads the same
    configuration file as check (rule packs, selection, justifications, as-of). Exit 0 when
    written, 2 if an input is invalid (no baseline is written then).
    """
    from checker.run.api import check_paths, discover
    from checker.run.baseline import render
    from checker.run.outputs import refuse_inputs

    resolved = settings(ctx, config_file, no_config)
    refuse_inputs([output], [*discover(list(paths))[0], *resolved.read_files()])
    report = check_paths(list(paths), resolved.check_options())
    for problem in report.errors:
        say(problem.render(resolved.lang))
    if report.errors:
        sys.exit(EXIT_ERROR)
    emit(render(report), output)
    findings, dossiers = len(report.findings()), len(report.dossiers)
    say(i18n.text("baseline_written", resolved.lang, output=output, findings=findings, dossiers=dossiers))
