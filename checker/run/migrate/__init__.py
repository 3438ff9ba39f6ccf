"""`cgt-check migrate`'s library: a dossier of an older format rewritten in the latest one,
written as its author wrote it (comments, key order, quoting, layout, byte order mark, line
breaks), with nothing lost.

A file is read as every input is (`checker.load`: the size limit, regular files only, UTF-8
with GBK, UTF-16 and UTF-32 named, strict YAML) and must be a valid dossier of its own version;
one already in the latest format is left as it is. The steps of `registry` rewrite it; the
result is read back as a dossier of the latest format, so a migration never writes a file the
checker would refuse."""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from checker.base.errors import InputError, Problem
from checker.base.i18n import Message, message
from checker.base.limits import Limits
from checker.load.dossier import DEFAULT_LIMITS, LoadedDossier, load_dossier
from checker.load.yamlio import load_yaml, read_limited
from checker.model.common import LATEST_SCHEMA_VERSION, SCHEMA_VERSIONS
from checker.run.migrate import roundtrip
from checker.run.migrate.registry import STEPS, Step, steps_from
from checker.run.migrate.steps import Change, Edit

__all__ = ["STEPS", "LocatedChange", "Migration", "Step", "migrate_bytes", "migrate_file"]


@dataclass(frozen=True)
class LocatedChange:
    """A change of a migration, where it is in the migrated file."""

    kind: Literal["note", "todo"]
    line: int
    column: int
    path: str
    said: Message


@dataclass(frozen=True)
class Migration:
    """One file's migration: `data` is the migrated file (the file itself when `current`)."""

    file: str
    status: Literal["migrated", "current"]
    old: str
    new: str
    data: bytes
    changes: tuple[LocatedChange, ...] = ()

    @property
    def todos(self) -> int:
        return sum(1 for c in self.changes if c.kind == "todo")


def _version(raw: bytes, filename: str, limits: Limits) -> str:
    """The file's schema_version; a file that is not a mapping with one is not a dossier."""
    located = load_yaml(
        raw,
        filename,
        max_bytes=limits.max_file_bytes,
        max_depth=limits.max_depth,
        max_nodes=limits.max_nodes,
        max_chars=limits.text_chars,
    )
    data = located.data
    version = data.get("schema_version") if isinstance(data, dict) else None
    if isinstance(data, dict) and version is None:
        mark = located.mark_for(())
        raise InputError(
            f"{filename}: not a dossier",
            [Problem(filename, mark.line, mark.column, message("migrate_not_dossier"))],
        )
    return version if isinstance(version, str) else ""


def migrate_bytes(raw: bytes, filename: str, lang: str = "en", limits: Limits = DEFAULT_LIMITS) -> Migration:
    """The migration of a file's bytes (`filename` names it in errors). Raises InputError for a
    file that is not a valid dossier of a known format, with every problem located."""
    version = _version(raw, filename, limits)
    if version == LATEST_SCHEMA_VERSION:
        return Migration(filename, "current", version, version, raw)
    load_dossier(filename, raw, limits)  # a valid dossier of its own version, or its problems
    data, style = roundtrip.parse(raw, filename)
    edit = Edit(data, lang)
    for old, new in itertools.pairwise(SCHEMA_VERSIONS):
        if SCHEMA_VERSIONS.index(old) < SCHEMA_VERSIONS.index(version):
            continue
        for step in steps_from(old):
            step.migrate(edit)
        _set_version(data, new)
    migrated = roundtrip.dump(data, style)
    loaded = _reread(filename, migrated, limits)
    return Migration(
        filename, "migrated", version, LATEST_SCHEMA_VERSION, migrated, tuple(_located(loaded, edit.changes))
    )


def _set_version(data: object, version: str) -> None:
    """schema_version written as the author quoted it (it must be quoted: 2.0 is a number)."""
    from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

    assert isinstance(data, dict)
    old = data["schema_version"]
    data["schema_version"] = (
        type(old)(version) if isinstance(old, ScalarString) else DoubleQuotedScalarString(version)
    )


def _reread(filename: str, migrated: bytes, limits: Limits) -> LoadedDossier:
    """The migrated file read as a dossier; a problem in it is the migration's."""
    try:
        return load_dossier(filename, migrated, limits)
    except InputError as exc:
        problems = [
            Problem(p.file, p.line, p.column, message("migrate_result_invalid", problem=p.said), p.path)
            for p in exc.problems
        ]
        raise InputError(f"{filename}: the migrated dossier is invalid", problems) from None


def _located(loaded: LoadedDossier, changes: list[Change]) -> list[LocatedChange]:
    out = []
    for change in changes:
        line, column = loaded.mark(change.path)
        out.append(LocatedChange(change.kind, line, column, loaded.located.label(change.path), change.said))
    return out


def migrate_file(
    path: str, *, write: bool = False, lang: str = "en", limits: Limits = DEFAULT_LIMITS
) -> Migration:
    """The migration of the file at `path`; with `write`, a migrated file is replaced by its
    migration, atomically (its permissions kept). Without `write` the file is never touched."""
    raw = read_limited(path, limits.max_file_bytes)
    migration = migrate_bytes(raw, path, lang, limits)
    if write and migration.status == "migrated":
        from checker.run.outputs import open_atomic

        with open_atomic(Path(path)) as out:
            out.write(migration.data)
    return migration
