"""A cache of each file's outcome, so that a check of files that have not changed since the last
run reads what it found then instead of checking them again.

An entry is keyed by the file's bytes and everything else its outcome depends on: the file's
name as given (reports carry it, and `dossier:` globs match it), the checker's code and version,
the Python version, the versions of the libraries that read and check a dossier (pydantic-core,
PyYAML with or without libyaml, the rule engine), the rule pack's digest and the rules selected,
whether justifications are used, the `--justifications` entries that apply to this file (with
their place in the run, which the run's stale-justification count uses), with a baseline the
baseline's entries for this file, the as-of date and the limits a dossier is read with. The
report's language is not part of the key: an outcome holds both languages.

Entries live in the `results` directory of the checker's cache (`checker.base.cache`: plain JSON
sealed by a digest, read only as regular files of the user, never through a link, never able to
run code), in the form `checker.run.storedform` gives them; one that does not decode, naming
only the pack's rules, is passed over and the file checked afresh.

Only outcomes that a fresh check would give again are stored: a result, or the input errors of
a file that could be read. An engine error, a file that cannot be read and standard input are
never stored. The directory is kept under `max_bytes()` (`CGT_CHECKER_CACHE_MAX_MB`, default
256 MiB): after a run that stored entries, the least recently used are removed.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import sys
import time
from functools import cache as memo
from pathlib import Path
from typing import Any

from checker import __version__
from checker.base import cache
from checker.base.plaindata import PlainDataError, to_plain
from checker.base.textutil import norm_file
from checker.load.files import read_limited
from checker.run.evaluate import Context, Outcome
from checker.run.storedform import StoredForm

_FORMAT = "1"  # bump when what an entry stores, or how it is read back, changes
MAX_ENV = "CGT_CHECKER_CACHE_MAX_MB"
DEFAULT_MAX_MB = 256
_SUFFIX = ".json"
_SIZE = "size.json"  # what the entries take, as the last run that pruned them counted
_TOUCH_AFTER = 3600.0  # seconds: an entry used again within this is not marked used again


def max_bytes() -> int:
    """The size the results directory is kept under: $CGT_CHECKER_CACHE_MAX_MB mebibytes (a
    whole number; 0 keeps nothing), else 256 MiB."""
    raw = os.environ.get(MAX_ENV, "").strip()
    if raw.isdigit() and len(raw) <= 7:
        return int(raw) * 1024 * 1024
    return DEFAULT_MAX_MB * 1024 * 1024


def directory() -> Path:
    return cache.cache_dir() / "results"


@memo
def code_digest() -> str | None:
    """SHA-256 of the checker's own code (every module, with its place in the package), so that
    an edit in a checkout or an editable install never reads an entry made by other code."""
    package = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    try:
        for path in sorted(package.rglob("*.py")):
            digest.update(path.relative_to(package).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    except OSError:
        return None
    return digest.hexdigest()


def _python() -> str:
    return f"{sys.implementation.name} {sys.version_info.major}.{sys.version_info.minor}"


def _libraries() -> list[str]:
    """The versions of the libraries a dossier's outcome depends on."""
    import pydantic_core
    import yaml

    engine: Any = sys.modules.get("durable_rules_engine")
    if engine is None:
        import durable_rules_engine  # ImportError: no engine, no cache (the check says why)

        engine = durable_rules_engine
    where = Path(str(getattr(engine, "__file__", "")))
    try:
        size = str(where.stat().st_size)
        infos = sorted(p.name for p in where.parent.glob("durable_rules-*.dist-info"))
    except OSError:
        size, infos = "?", []
    libyaml = str(getattr(yaml, "__with_libyaml__", False))
    return [pydantic_core.__version__, yaml.__version__, libyaml, where.name, size, *infos]


class ResultCache:
    """The result cache of one run: its context and as-of date, and what it read and stored."""

    def __init__(self, ctx: Context, as_of: dt.date, where: Path | None = None) -> None:
        self.ctx = ctx
        self.where = directory() if where is None else where
        code = code_digest()
        try:
            libraries = _libraries()
        except ImportError:  # without its engine a check fails, and so must a re-check
            code, libraries = None, []
        self.usable = code is not None
        pack = ctx.pack
        run = [
            _FORMAT,
            __version__,
            _python(),
            code,
            libraries,
            pack.sha256,
            sorted(pack.rules),
            sorted(ctx.rules_known().items()),
            ctx.use_justifications,
            ctx.baseline is not None,
            as_of.isoformat(),
            to_plain(ctx.limits),
        ]
        self._run = hashlib.sha256(json.dumps(run, ensure_ascii=False).encode()).hexdigest()
        self._stored = StoredForm(ctx)
        self.hits = 0
        self.stored = 0
        self.stored_bytes = 0
        self._dir: cache.Directory | None = None

    # -- keys ------------------------------------------------------------------------------------

    def key(self, file: str, sha: str) -> str:
        """The key of a file's outcome, given its name and the SHA-256 of its bytes."""
        shared = [
            [i, to_plain(lj)]
            for i, lj in enumerate(self.ctx.justifications)
            if self.ctx.use_justifications and lj.applies_to(file)
        ]
        baseline: list[Any] = []
        if self.ctx.baseline is not None:
            mine = norm_file(file)
            baseline = sorted(to_plain(e) for k, e in self.ctx.baseline.entries.items() if k[1] == mine)
        parts = [self._run, file, sha, shared, baseline]
        return hashlib.sha256(json.dumps(parts, ensure_ascii=False).encode()).hexdigest()

    def probe(self, file: str) -> tuple[str, str] | None:
        """The key of a file as it is now, and the SHA-256 of its bytes; None if it cannot be
        read (the check says why)."""
        try:
            data = read_limited(file, self.ctx.limits.max_file_bytes)
        except Exception:  # unreadable, too large, not a regular file: checked, never stored
            return None
        sha = hashlib.sha256(data).hexdigest()
        return self.key(file, sha), sha

    def path(self, key: str) -> Path:
        return self.where / _name(key)

    def _directory(self) -> cache.Directory:
        if self._dir is None:
            self._dir = cache.Directory(self.where)
        return self._dir

    def has(self, key: str) -> bool:
        """Whether an entry of this key is there (it may still be found broken when read)."""
        return self._directory().has(_name(key))

    # -- reading and writing ---------------------------------------------------------------------

    def get(self, key: str, file: str) -> Outcome | None:
        """The stored outcome of this key, or None when there is none or it does not decode."""
        name = _name(key)
        stored, written = self._directory().read(name)
        if stored is None:
            return None
        try:
            outcome = self._stored.decode(file, stored)
        except (PlainDataError, KeyError, TypeError, ValueError, RecursionError):
            return None
        self.hits += 1
        if written < time.time() - _TOUCH_AFTER:
            self._directory().touch(name)  # recently used: pruned last
        return outcome

    def put(self, key: str, outcome: Outcome) -> None:
        """Store an outcome a fresh check would give again (see the module's text)."""
        if not outcome.cacheable:
            return
        try:
            plain = self._stored.encode(outcome)
        except (PlainDataError, KeyError, ValueError):
            return
        written = cache.write(self.path(key), plain)
        if written:
            self.stored += 1
            self.stored_bytes += written

    def close(self) -> None:
        """The run is over: keep the directory under its bound, and let go of it."""
        try:
            self.evict()
        finally:
            if self._dir is not None:
                self._dir.close()
                self._dir = None

    def evict(self) -> None:
        """Keep the results directory under max_bytes(): once the entries stored may have taken
        it over, remove the least recently used. What the entries take is kept in a small entry
        of its own, so that a run that stores a few entries does not look at all the others."""
        if not self.stored:
            return
        keep_under = max_bytes()
        summary = cache.read(self.where / _SIZE)
        if type(summary) is int and summary >= 0 and summary + self.stored_bytes <= keep_under:
            cache.write(self.where / _SIZE, summary + self.stored_bytes)
            return
        entries = []
        try:
            with os.scandir(self.where) as it:
                for e in it:
                    if not e.name.startswith("result-"):
                        continue
                    try:
                        if e.is_file(follow_symlinks=False):
                            st = e.stat(follow_symlinks=False)
                            entries.append((st.st_mtime_ns, st.st_size, e.path))
                    except OSError:  # removed meanwhile (another run pruning): not counted
                        continue
        except OSError:
            return
        total = sum(size for _, size, _ in entries)
        for _, size, name in sorted(entries):
            if total <= keep_under:
                break
            try:
                os.unlink(name)
            except OSError:
                continue
            total -= size
        cache.write(self.where / _SIZE, total)


def _name(key: str) -> str:
    return f"result-{key}{_SUFFIX}"


__all__ = ["DEFAULT_MAX_MB", "MAX_ENV", "ResultCache", "code_digest", "directory", "max_bytes"]
