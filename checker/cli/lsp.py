"""`cgt-check lsp`: the language server over standard input and output (checker.lsp)."""

from __future__ import annotations

import click

from checker.base.errors import UsageError
from checker.base.i18n import message


@click.command()
def lsp() -> None:
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
    serve()
