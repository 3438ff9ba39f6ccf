"""`cgt-check migrate`: rewrite dossiers of an older format in the latest one."""

from __future__ import annotations

import click

from checker.base import i18n
from checker.base.errors import InputError, Problem, UsageError
from checker.base.i18n import message
from checker.cli.console import opened, say
from checker.cli.helptext import Localized
from checker.cli.options import MAX_FILE_SIZE, lang_option


@click.command(cls=Localized)
@click.argument("files", nargs=-1, metavar="PATH...")
@click.option(
    "--write",
    is_flag=True,
    help="Rewrite each file in place (atomically) instead of printing the result.",
)
@lang_option("The language of the messages, and of the comments left in the files.")
@MAX_FILE_SIZE
def migrate(files: tuple[str, ...], write: bool, lang: str, max_file_size: int) -> None:
    """Rewrite dossiers of format 1.0 as format 2.0: files, or directories searched for *.yaml
    and *.yml as check searches them.

    Comments, key order, quoting and layout are kept, and no value is lost. What can be inferred
    is filled in (a coded primary endpoint from a measure that names one, such as "overall
    response rate", or "ORR"; the indications each label covers); what cannot is
    left to the author, marked with a comment starting 'cgt-check migrate'. Each note and to-do
    is listed on standard error, at its line of the migrated file. A file already in format 2.0
    is left as it is.

    Without --write, the migrated dossier is printed (several files one after another, each
    after a '---' line) and no file is changed; with --write, each file is replaced by its
    migration, in its encoding (UTF-8, with or without a byte order mark) and line breaks.

    \b
    Exit codes: 0 every file migrated or already current; 2 a file that cannot be read, is not
    a dossier or is not a valid one (nothing is written for it), or a usage error.

    \b
    Example:
      cgt-check migrate dossier.yaml > dossier-2.0.yaml
      cgt-check migrate --write dossiers/*.yaml
    """
    from checker.base.limits import Limits
    from checker.load.discovery import discover
    from checker.run.migrate import migrate_file

    if not files:
        raise UsageError(message("migrate_no_files"))
    if "-" in files:
        raise UsageError(message("migrate_stdin"))
    limits = Limits(max_file_bytes=max_file_size)
    files_found, found_problems = discover(files)
    problems: list[Problem] = list(found_problems)
    counts = {"migrated": 0, "current": 0}
    todos = 0
    for file in files_found:
        try:
            done = migrate_file(file, write=write, lang=lang, limits=limits)
        except InputError as exc:
            problems.extend(exc.problems or [Problem(file, 1, 1, exc.said)])
            continue
        counts[done.status] += 1
        todos += done.todos
        if done.status == "current":
            say(i18n.text("migrate_current", lang, file=file, version=done.old))
        else:
            key = "migrate_written" if write else "migrate_done"
            say(i18n.text(key, lang, file=file, old=done.old, new=done.new))
        for change in done.changes:
            where = f"{file}:{change.line}:{change.column}"
            said = f"{change.path}: {change.said.text(lang)}"
            say(i18n.text(f"migrate_{change.kind}", lang, where=where, message=said))
        if not write:
            with opened(None) as out:
                if len(files_found) > 1:
                    out.write(b"---\n")
                out.write(done.data)
    say(
        i18n.text(
            "migrate_summary",
            lang,
            files=len(files_found) + len(found_problems),
            migrated=counts["migrated"],
            current=counts["current"],
            failed=len(files_found) + len(found_problems) - counts["migrated"] - counts["current"],
            todo=todos,
        )
    )
    if problems:
        raise InputError(message("migrate_failed", n=len(problems)), problems)
