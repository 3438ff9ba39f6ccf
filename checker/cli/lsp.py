"""`cgt-check lsp`: the language server over standard input and output (checker.lsp)."""

from __future__ import annotations

import click

from checker.base.errors import UsageError
from checker.base.i18n import message
from checker.cli.helptext import Localized
from checker.cli.options import lang_option


@click.command(cls=Localized)
@lang_option(
    "Language of the diagnostics, hovers and quick fixes: English or Chinese (the CDE's terms). "
    "As for check, it wins over the configuration's `lang`; the client's initializationOptions "
    "`lang` wins over it."
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="Check every dossier with the configuration FILE instead of the nearest one at or above "
    "its directory (the client's initializationOptions `config` wins over it).",
)
@click.pass_context
def lsp(ctx: click.Context, lang: str, config_file: str | None) -> None:
    """Run the language server for dossiers over standard input and output.

    An editor starts it for YAML files; it checks the files that are dossiers (the schema
    comment, a schema_version key, or the configuration's `dossiers` globs) as they are edited,
    with the configuration `check` would use, and shows the findings, the rules' explanations
    on hover, and quick fixes. Needs the `lsp` extra: pip install 'cgt-checker[lsp]'. See
    docs/editors.md.
    """
    try:
        from checker.lsp.server import serve
    except ImportError as exc:
        if exc.name not in ("pygls", "lsprotocol") and not str(exc.name or "").startswith(
            ("pygls.", "lsprotocol.")
        ):
            raise
        raise UsageError(message("lsp_needs_pygls")) from None
    from click.core import ParameterSource

    defaults: dict[str, object] = {}
    if ctx.get_parameter_source("lang") is ParameterSource.COMMANDLINE:
        defaults["lang"] = lang
    if config_file is not None:
        defaults["config"] = config_file
    serve(defaults)
