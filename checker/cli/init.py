"""`cgt-check init`: a commented dossier template to fill in."""

from __future__ import annotations

import shlex
from pathlib import Path

import click

from checker.base import i18n
from checker.base.errors import UsageError
from checker.base.i18n import message
from checker.cli.console import emit, say
from checker.cli.helptext import Localized
from checker.cli.options import lang_option
from checker.model.vocab import MODALITIES, STAGES


@click.command(cls=Localized)
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
    help="The JSON Schema the yaml-language-server comment points editors to: a path, relative "
    "to the template (with --output, written there unless a file is there already), or a URL.",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write the template to FILE (never overwrites an existing file) instead of standard output.",
)
@click.option("--as-of", metavar="YYYY-MM-DD", help="The date written where a date is to be checked.")
@lang_option("Language of the messages on standard error: English or Chinese.")
def init(
    modality: str, stage: str, schema_ref: str, output: str | None, as_of: str | None, lang: str
) -> None:
    """Write a commented dossier template for a modality and stage.

    The template is schema-valid. Checking it lists every gap still to be filled in, each at its
    line; the values marked TODO (the names, and for an approved stage the approval's type and
    date) are placeholders to replace: the checker cannot tell them from real ones.

    Its first line points editors (yaml-language-server) to the dossier schema. With --output,
    the schema is written beside the template unless a file is already there; on standard
    output, write it yourself (`cgt-check schema > dossier.schema.json`) or give --schema URL.

    \b
    Example:
      cgt-check init --modality car-t --stage nda-under-review -o dossier.yaml
    """
    from checker.run.outputs import write_new
    from checker.run.scaffold import is_url, scaffold, write_schema_beside
    from checker.run.settings import as_of_date

    text = scaffold(modality, stage, as_of_date(as_of), schema_ref)
    if output is None or output == "-":
        emit(text)
        if not is_url(schema_ref):
            quoted = shlex.quote(schema_ref)
            say(i18n.text("init_schema_to_write", lang, schema=schema_ref, quoted=quoted))
        return
    if not write_new(Path(output), text):
        raise UsageError(message("init_exists", output=output))
    schema = write_schema_beside(Path(output), schema_ref)
    if schema is None or schema.state == "present":
        return
    if schema.state == "written":
        say(i18n.text("init_schema_written", lang, schema=str(schema.path)))
    else:
        quoted = shlex.quote(str(schema.path))
        say(i18n.text("init_schema_no_directory", lang, schema=str(schema.path), quoted=quoted))
