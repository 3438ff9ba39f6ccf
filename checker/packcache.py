"""A cache of loaded rule packs, so that a check does not parse, validate and compile the rules
every time it starts.

A loaded pack is stored as a pickle under ``$CGT_CHECKER_CACHE_DIR``, else
``$XDG_CACHE_HOME/cgt-checker``, else ``~/.cache/cgt-checker``, in a file named by the SHA-256
of the checker's version, the Python version and the pack's own digest (the bytes of every rule
file, see ``rulepack.pack_digest``): editing, adding or removing a rule file, or upgrading the
checker, makes a new key. Files are written atomically. A cache that is missing, corrupt, stale,
unreadable or unwritable is never an error: the pack is loaded from the rule files, as it is
with the cache disabled (``CGT_CHECKER_NO_CACHE=1`` or ``cgt-check check --no-cache``).
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from checker import __version__
from checker.errors import CheckerError
from checker.rulepack import RulePack, load_pack, pack_digest

NO_CACHE_ENV = "CGT_CHECKER_NO_CACHE"
CACHE_DIR_ENV = "CGT_CHECKER_CACHE_DIR"
_FORMAT = "1"  # bump when the pickled shape of a RulePack changes incompatibly


def cache_dir() -> Path:
    explicit = os.environ.get(CACHE_DIR_ENV)
    if explicit:
        return Path(explicit)
    xdg = os.environ.get("XDG_CACHE_HOME")
    base = Path(xdg) if xdg and os.path.isabs(xdg) else Path.home() / ".cache"
    return base / "cgt-checker"


def disabled() -> bool:
    return os.environ.get(NO_CACHE_ENV, "").strip().lower() not in ("", "0", "false", "no")


def cache_file(digest: str) -> Path:
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    key = hashlib.sha256(f"{_FORMAT}\0{__version__}\0{version}\0{digest}".encode()).hexdigest()
    return cache_dir() / f"pack-{key}.pickle"


def _read(path: Path, digest: str) -> RulePack | None:
    try:
        with path.open("rb") as fh:
            pack = pickle.load(fh)
    except Exception:  # missing, unreadable, truncated or from another version: load afresh
        return None
    if not isinstance(pack, RulePack) or pack.sha256 != digest:
        return None
    return pack


def _write(path: Path, pack: RulePack) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=".pack-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(pack, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # an unwritable cache only costs the next run the full load
        return


def load_pack_cached(extra_dirs: Sequence[Path] = (), use_cache: bool = True) -> RulePack:
    """load_pack(extra_dirs), from the cache when it holds this exact pack."""
    if not use_cache or disabled():
        return load_pack(extra_dirs)
    try:
        digest = pack_digest(extra_dirs)
    except (OSError, CheckerError):  # load_pack reports the problem with its location
        return load_pack(extra_dirs)
    path = cache_file(digest)
    pack = _read(path, digest)
    if pack is None:
        pack = load_pack(extra_dirs)
        if pack.sha256 == digest:  # the files did not change while they were read
            _write(path, pack)
    return pack


__all__ = ["CACHE_DIR_ENV", "NO_CACHE_ENV", "cache_dir", "cache_file", "disabled", "load_pack_cached"]
