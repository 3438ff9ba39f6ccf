"""`cgt-check schema`: the JSON Schemas of the dossier, rule, report and justification files."""

from __future__ import annotations

import click

from checker.cli.console import emit


@click.command()
@click.option(
    "--kind",
    type=click.Choice(["dossier", "rule", "report", "justifications"]),
    default="dossier",
    show_default=True,
)
def schema(kind: str) -> None:
    """Print a JSON Schema (the dossier format by default)."""
    from checker.report.schemas import render

    emit(render(kind))
