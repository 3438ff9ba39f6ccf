"""Which files a check reads: files as given, directories searched for *.yaml / *.yml, "-" for
standard input. Only regular files are dossiers; anything else found is a located problem."""

from __future__ import annotations

import errno
import os
import stat
from collections.abc import Sequence
from pathlib import Path

from checker.base.errors import Problem, os_reason
from checker.base.i18n import message

YAML_SUFFIXES = (".yaml", ".yml")

# A path of "-" is standard input; reports name it "<stdin>" (STDIN_NAME).
STDIN = "-"

# In a directory, what is never a dossier: hidden files and directories (.cgt-check.yaml, .github,
# .venv, .git, ...) and the dependencies of other tools. A file named on the command line is
# always checked.
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages"})


def discover(paths: Sequence[str]) -> tuple[list[str], list[Problem]]:
    """Files to check: files as given, directories searched for *.yaml / *.yml (sorted), "-" for
    standard input (a file named "-" is "./-")."""
    files: list[str] = []
    problems: list[Problem] = []
    for given in paths:
        if given == STDIN:
            files.append(STDIN)
            continue
        if not given:
            problems.append(Problem("''", 1, 1, message("empty_path")))
            continue
        p = Path(given)
        try:
            if p.is_dir():
                found, unreadable = _walk(given)
                if not found and not unreadable:
                    problems.append(Problem(given, 1, 1, message("no_yaml_files")))
                files.extend(found)
                problems.extend(unreadable)
            elif p.exists():
                files.append(given)
            else:
                problems.append(Problem(given, 1, 1, message("os_no_such_file")))
        except (OSError, ValueError) as exc:
            problems.append(Problem(given[:200], 1, 1, message("cannot_read_path", reason=os_reason(exc))))
    return list(dict.fromkeys(files)), problems


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRS


def _walk(top: str) -> tuple[list[str], list[Problem]]:
    """The *.yaml / *.yml files under a directory, sorted, leaving out hidden files and
    directories and SKIPPED_DIRS; symbolic links to directories are not followed (no loops). A
    directory that cannot be read, or a YAML name that is not a readable regular file (a broken
    link, a link loop, a pipe), is a problem, not skipped in silence."""
    files: list[str] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        where = str(exc.filename) if exc.filename else top
        problems.append(Problem(where, 1, 1, message("cannot_read_directory", reason=os_reason(exc))))

    for directory, dirs, names in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        for name in names:
            if os.path.splitext(name)[1].lower() not in YAML_SUFFIXES or _skipped(name):
                continue
            path = os.path.join(directory, name)
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                reason = message("os_link_loop") if exc.errno == errno.ELOOP else os_reason(exc)
                if exc.errno == errno.ENOENT:
                    reason = message("os_broken_link")
                problems.append(Problem(path, 1, 1, message("cannot_read_this_file", reason=reason)))
                continue
            if stat.S_ISREG(mode):
                files.append(path)
            elif not stat.S_ISDIR(mode):
                problems.append(Problem(path, 1, 1, message("not_regular_file")))
    return sorted(files), sorted(problems, key=lambda p: p.file)
