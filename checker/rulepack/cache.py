"""A cache of loaded rule packs, so that a check does not parse, validate and compile the rules
every time it starts.

A loaded pack is stored in the checker's cache (``checker.base.cache``: where it lives, when it is
trusted, how to turn it off) under a key of the checker's version, the Python version, the
source of the modules that build a pack, and the pack's own digest (the bytes of every rule
file, see ``rulepack.pack_digest``): editing, adding or removing a rule file, editing the
checker's code or upgrading it makes a new key. The engine's form of the
ruleset is computed before the pack is stored, so a cached pack has it ready.

A pack is stored as plain data (``checker.base.plaindata``): the rules, requirements and program
as JSON values, built back into a ``RulePack`` by its types alone. An entry whose shape is not a
pack's, or whose digest is not this pack's, is passed over and the pack loaded afresh.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from checker.base import cache
from checker.base.cache import CACHE_DIR_ENV, NO_CACHE_ENV, cache_dir, disabled
from checker.base.errors import CheckerError
from checker.base.plaindata import PlainDataError, from_plain, to_plain
from checker.rulepack.pack import RulePack, load_pack, pack_digest

_FORMAT = "4"  # bump when the stored shape of a RulePack (and what it carries computed) changes


# The layers whose code makes a loaded pack (reading the rule files, validating and compiling
# them, the dossier model the rules are checked against, the engine's program): every module of
# these packages keys a cached pack, so that no edit below the rule pack is missed.
_BUILDER_PACKAGES = ("base", "model", "load", "engine", "rulepack")


def _builders() -> list[Path]:
    """The source files whose code makes a loaded pack, in a fixed order."""
    package = Path(__file__).resolve().parent.parent
    return [path for name in _BUILDER_PACKAGES for path in sorted((package / name).glob("*.py"))]


def cache_file(digest: str) -> Path | None:
    """Where the pack with this digest is cached; None if the code that builds it cannot be read."""
    code = cache.file_digest(_builders())
    return None if code is None else cache.entry("pack", _FORMAT, code, digest)


def _plain(pack: RulePack) -> dict[str, Any]:
    """What is stored of a pack: the pack, and the engine's rulesets computed from it."""
    return {"pack": to_plain(pack), "ruleset_texts": list(pack.program.ruleset_texts)}


def _read(path: Path, digest: str) -> RulePack | None:
    with cache.no_collection():
        stored = cache.read(path)
        if not isinstance(stored, dict) or stored.keys() != {"pack", "ruleset_texts"}:
            return None
        try:
            pack: RulePack = from_plain(RulePack, stored["pack"])
            texts: tuple[str, ...] = from_plain(tuple[str, ...], stored["ruleset_texts"])
        except (PlainDataError, RecursionError, TypeError, ValueError):
            return None
    if pack.sha256 != digest or len(texts) != len(pack.program.partition):
        return None
    pack.program.__dict__["ruleset_texts"] = texts  # the cached_property, as computed when stored
    return pack


def load_pack_cached(extra_dirs: Sequence[Path] = (), use_cache: bool = True) -> RulePack:
    """load_pack(extra_dirs), from the cache when it holds this exact pack."""
    if not use_cache or disabled():
        return load_pack(extra_dirs)
    try:
        digest = pack_digest(extra_dirs)
    except (OSError, CheckerError):  # load_pack reports the problem with its location
        return load_pack(extra_dirs)
    path = cache_file(digest)
    if path is None:
        return load_pack(extra_dirs)
    pack = _read(path, digest)
    if pack is None:
        pack = load_pack(extra_dirs)
        if pack.sha256 == digest:  # the files did not change while they were read
            try:
                plain = _plain(pack)  # the engine's rulesets are computed now, so stored too
            except (CheckerError, PlainDataError):  # the engine refuses it: nothing worth storing
                return pack
            cache.write(path, plain)
    return pack


__all__ = ["CACHE_DIR_ENV", "NO_CACHE_ENV", "cache_dir", "cache_file", "disabled", "load_pack_cached"]
