"""`cgt-check schema`: the JSON Schemas of the dossier, rule, report and justification files."""

from __future__ import annotations

import click

from checker.cli.console import emit
from checker.cli.helptext import Localized
from checker.cli.options import lang_option


@click.command(cls=Localized)
@click.option(
    "--kind",
    type=click.Choice(["dossier", "rule", "report", "justifications"]),
    default="dossier",
    show_default=True,
)
@lang_option(
    "Language of the messages (an error writing the schema); the schema itself is the same in "
    "both: its descriptions give the CDE's Chinese terms beside the English."
)
def schema(kind: str, lang: str) -> None:
    """Print a JSON Schema (the dossier format by default)."""
    from checker.report.schemas import render

    emit(render(kind))
