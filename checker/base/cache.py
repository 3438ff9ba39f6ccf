"""The checker's on-disk cache: what a check would otherwise rebuild every time it starts (the
compiled rule pack, see ``checker.rulepack.cache``; the dossier model's validator, see
``checker.model.validator``).

Entries are pickles under ``$CGT_CHECKER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cgt-checker``,
else ``~/.cache/cgt-checker``, each in a file named by a SHA-256 of everything it was built from.
Files are written atomically. A cache that is missing, corrupt, stale, unreadable or unwritable is
never an error: the caller builds the value afresh, as it does with the cache disabled
(``CGT_CHECKER_NO_CACHE=1`` or ``cgt-check check --no-cache``).

Unpickling runs code, so an entry is read only from a directory and a file that belong to the
user running the checker and that no one else may write (on systems with POSIX permissions);
anything else is passed over and rebuilt.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import stat
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from checker import __version__

NO_CACHE_ENV = "CGT_CHECKER_NO_CACHE"
CACHE_DIR_ENV = "CGT_CHECKER_CACHE_DIR"


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "cgt-checker"


def disabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def source_digest(modules: Sequence[ModuleType]) -> str | None:
    """SHA-256 of the source of modules (what a cached value was built by), so that editing
    them, in a checkout or an editable install, makes a new key; None if one cannot be read."""
    try:
        return file_digest([Path(str(module.__file__)) for module in modules])
    except TypeError:
        return None


def file_digest(files: Sequence[Path]) -> str | None:
    """SHA-256 of the files' bytes, each with its name; None if one cannot be read."""
    digest = hashlib.sha256()
    try:
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes())
    except OSError:
        return None
    return digest.hexdigest()


def entry(kind: str, *parts: str) -> Path:
    """The file of a cache entry: kind plus a SHA-256 of the checker's version, the Python
    version and parts (what the entry was built from)."""
    python = f"{sys.version_info.major}.{sys.version_info.minor}"
    key = hashlib.sha256("\0".join((__version__, python, *parts)).encode()).hexdigest()
    return cache_dir() / f"{kind}-{key}.pickle"


def _trusted(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no POSIX ownership to check
        return True
    return st.st_uid == getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def read(path: Path) -> Any:
    """The entry at path, or None when it is missing, unreadable, broken or not trusted."""
    try:
        if not _trusted(os.stat(path.parent)):
            return None
        with path.open("rb") as fh:
            if not _trusted(os.fstat(fh.fileno())):
                return None
            return pickle.load(fh)
    except Exception:  # missing, unreadable, truncated or from another version: rebuild
        return None


def _own_directory(directory: Path) -> bool:
    """Make directory (only this user may write it); False if it cannot be trusted. A directory
    of this user's that others may write (as an older version made it under umask 002) is
    closed to them first."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.stat(directory)
    if _trusted(st):
        return True
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid == getuid():
        os.chmod(directory, stat.S_IMODE(st.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
        return _trusted(os.stat(directory))
    return False


def write(path: Path, value: Any) -> None:
    """Store value at path atomically; a cache that cannot be written, or would not be read
    back (see read), is passed over."""
    try:
        if not _own_directory(path.parent):
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:12]}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # an unwritable cache only costs the next run a rebuild
        return


__all__ = [
    "CACHE_DIR_ENV",
    "NO_CACHE_ENV",
    "cache_dir",
    "disabled",
    "entry",
    "read",
    "source_digest",
    "write",
]
