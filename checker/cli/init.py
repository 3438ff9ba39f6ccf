"""`cgt-check init`: a commented dossier template to fill in."""

from __future__ import annotations

from pathlib import Path

import click

from checker.base.errors import UsageError
from checker.base.i18n import message
from checker.cli.console import emit
from checker.model.vocab import MODALITIES, STAGES


@click.command()
@click.option(
    "--modality", required=True, type=click.Choice(list(MODALITIES)), help="The product's modality."
)
@click.option(
    "--stage",
    type=click.Choice(list(STAGES)),
    default="ind-under-review",
    show_default=True,
    help="The development stage of its (first) indication.",
)
@click.option(
    "--schema",
    "schema_ref",
    default="dossier.schema.json",
    show_default=True,
    metavar="PATH-OR-URL",
    help="The JSON Schema the yaml-language-server comment points editors to.",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write the template to FILE (never overwrites an existing file) instead of standard output.",
)
@click.option("--as-of", metavar="YYYY-MM-DD", help="The date written where a date is to be checked.")
def init(modality: str, stage: str, schema_ref: str, output: str | None, as_of: str | None) -> None:
    """Write a commented dossier template for a modality and stage.

    The template is schema-valid. Checking it lists every gap still to be filled in, each at its
    line; the values marked TODO (the names, and for an approved stage the approval's type and
    date) are placeholders to replace: the checker cannot tell them from real ones.

    \b
    Example:
      cgt-check init --modality car-t --stage nda-under-review > dossier.yaml
    """
    from checker.run.scaffold import scaffold
    from checker.run.settings import as_of_date

    text = scaffold(modality, stage, as_of_date(as_of), schema_ref)
    if output is not None and output != "-" and Path(output).exists():
        raise UsageError(message("init_exists", output=output))
    emit(text, output)
