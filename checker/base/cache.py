"""The checker's on-disk cache: what a check would otherwise rebuild every time it starts (the
compiled rule pack, see ``checker.rulepack.cache``; the dossier model's validator, see
``checker.model.validator``).

Entries live under ``$CGT_CHECKER_CACHE_DIR``, else ``$XDG_CACHE_HOME/cgt-checker``, else
``~/.cache/cgt-checker``, each in a file named by a SHA-256 of everything it was built from.
Files are written atomically. A cache that is missing, corrupt, stale, unreadable or unwritable is
never an error: the caller builds the value afresh, as it does with the cache disabled
(``CGT_CHECKER_NO_CACHE=1`` or ``cgt-check check --no-cache``).

A cache directory may sit in a workspace that others write (a CI cache restored into the
checkout), so an entry is only ever data: JSON of plain values (text, numbers, lists, mappings),
which nothing can make run code when it is read. Each entry carries a SHA-256 of its key (its
file name) and its content; one whose digest does not match (truncated, edited, or copied from
another entry) is passed over and rebuilt, and so is one of the wrong shape (the callers check
what they read). Anyone can compute that digest: with ``$CGT_CHECKER_CACHE_KEY`` set (a secret of
at least ``MIN_KEY_CHARS`` characters, e.g. from a CI secret store), the seal is an HMAC-SHA-256
under that key instead, which only holders of the key can make, and an entry sealed without it
or under another key is rebuilt. An entry is read only

- from a directory that belongs to the user running the checker and that no one else may write
  (on systems with POSIX permissions): a directory others may write is never read from;
- as the entry itself, never through a symbolic link (``O_NOFOLLOW``), and only when the opened
  file is a regular file of this user's that no one else may write (a FIFO or a device is
  opened without waiting, ``O_NONBLOCK``, and passed over);
- up to ``limits.MAX_CACHE_ENTRY_BYTES``.
"""

from __future__ import annotations

import gc
import hashlib
import hmac
import json
import os
import stat
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from types import ModuleType
from typing import Any

from checker import __version__
from checker.base import limits

NO_CACHE_ENV = "CGT_CHECKER_NO_CACHE"
CACHE_DIR_ENV = "CGT_CHECKER_CACHE_DIR"
CACHE_KEY_ENV = "CGT_CHECKER_CACHE_KEY"
MIN_KEY_CHARS = 16
_MAGIC = b"cgt-checker-cache 2\n"
_SUFFIX = ".json"
_DIGEST_CHARS = 64


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
    return cache_dir() / f"{kind}-{key}{_SUFFIX}"


def _trusted(st: os.stat_result) -> bool:
    """Owned by this user and writable by no one else."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # no POSIX ownership to check
        return True
    return st.st_uid == getuid() and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def secret() -> bytes | None:
    """The key entries are sealed under ($CGT_CHECKER_CACHE_KEY), or None: unset or empty (as a
    CI system gives a secret to a run it does not trust with it)."""
    raw = os.environ.get(CACHE_KEY_ENV, "")
    return raw.encode("utf-8", "surrogateescape") if raw else None


def key_too_short() -> int | None:
    """The length of a $CGT_CHECKER_CACHE_KEY too short to be a secret (fewer than
    MIN_KEY_CHARS characters, spaces aside), or None when it is unset or long enough."""
    raw = os.environ.get(CACHE_KEY_ENV, "")
    return len(raw.strip()) if raw and len(raw.strip()) < MIN_KEY_CHARS else None


def _seal(name: str, payload: bytes) -> bytes:
    """The digest an entry of this file name with this content carries: HMAC-SHA-256 under the
    key when there is one, else SHA-256."""
    text = name.encode() + b"\0" + payload
    key = secret()
    if key is not None:
        return hmac.new(key, text, hashlib.sha256).hexdigest().encode()
    return hashlib.sha256(text).hexdigest().encode()


_FLAGS = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
_FLAGS |= getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)


def _read_bytes(path: Path) -> bytes | None:
    """The bytes of the entry at path, when it may be trusted (see the module's text)."""
    if not stat.S_ISDIR((st := os.stat(path.parent)).st_mode) or not _trusted(st):
        return None
    return _read_entry(os.open(path, _FLAGS))[0]


def _read_entry(fd: int) -> tuple[bytes | None, os.stat_result | None]:
    """The bytes of the opened entry (closed here) when it is a regular file of this user's no
    one else may write and within the size limit, with what fstat said of it."""
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or not _trusted(st) or st.st_size > limits.MAX_CACHE_ENTRY_BYTES:
            return None, None
        chunks: list[bytes] = []
        left = limits.MAX_CACHE_ENTRY_BYTES + 1
        while left > 0:
            chunk = os.read(fd, min(left, st.st_size + 1 if not chunks else 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
    finally:
        os.close(fd)
    raw = b"".join(chunks)
    return (raw, st) if len(raw) <= limits.MAX_CACHE_ENTRY_BYTES else (None, None)


def _refuse_constant(name: str) -> Any:
    raise ValueError(name)  # NaN and infinities are never stored


def _unsealed(name: str, raw: bytes | None, object_hook: Callable[[dict[str, Any]], Any] | None) -> Any:
    """The plain value of an entry's bytes, or None when they are not a sealed entry of name."""
    if raw is None or not raw.startswith(_MAGIC):
        return None
    head = len(_MAGIC)
    sealed, payload = raw[head : head + _DIGEST_CHARS], raw[head + _DIGEST_CHARS + 1 :]
    if raw[head + _DIGEST_CHARS : head + _DIGEST_CHARS + 1] != b"\n":
        return None
    if not hmac.compare_digest(sealed, _seal(name, payload)):
        return None
    return json.loads(payload, parse_constant=_refuse_constant, object_hook=object_hook)


def read(path: Path, object_hook: Callable[[dict[str, Any]], Any] | None = None) -> Any:
    """The plain value stored at path, or None when it is missing, unreadable, broken, of
    another key, or not trusted. object_hook is json's: it turns each mapping read into what the
    caller stores as one (raising for one it refuses)."""
    try:
        return _unsealed(path.name, _read_bytes(path), object_hook)
    except Exception:  # missing, unreadable, truncated, too deep: rebuild
        return None


_STAT_RELATIVE = os.stat in os.supports_dir_fd and os.stat in os.supports_follow_symlinks


class Directory:
    """A directory of many entries, opened and checked once (it must be this user's and no one
    else's to write), its entries then opened through it: the directory whose entries are read
    is the one that was checked, and a run reading thousands of entries does not check it again
    for each. Where the system cannot open files relative to a directory, each read checks it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._trusted = False
        self._relative = os.open in os.supports_dir_fd and hasattr(os, "O_DIRECTORY")
        try:
            if self._relative:
                fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | getattr(os, "O_CLOEXEC", 0))
                st = os.fstat(fd)
                if not _trusted(st):
                    os.close(fd)
                    return
                self._fd = fd
                self._trusted = True
            else:
                st = os.stat(path)
                self._trusted = stat.S_ISDIR(st.st_mode) and _trusted(st)
        except (OSError, TypeError, NotImplementedError):  # no directory yet, or none to read
            return

    def has(self, name: str) -> bool:
        """Whether the directory holds an entry of this name that may be read: a regular file,
        not a link (each is looked up when asked, so a run over many files keeps no listing)."""
        if not self._trusted:
            return False
        try:
            if self._fd is not None and _STAT_RELATIVE:
                st = os.stat(name, dir_fd=self._fd, follow_symlinks=False)
            elif self._fd is not None or not self._relative:
                st = os.lstat(self.path / name)
            else:
                return False
        except (OSError, ValueError, NotImplementedError):
            return False
        return stat.S_ISREG(st.st_mode)

    def read(
        self, name: str, object_hook: Callable[[dict[str, Any]], Any] | None = None
    ) -> tuple[Any, float]:
        """The plain value of the entry name and when it was last written (None, 0.0 when it is
        missing, broken or not trusted)."""
        if not self._trusted:
            return None, 0.0
        try:
            if self._fd is not None:
                raw, st = _read_entry(os.open(name, _FLAGS, dir_fd=self._fd))
            elif not self._relative:
                raw = _read_bytes(self.path / name)
                st = None
            else:
                return None, 0.0
            value = _unsealed(name, raw, object_hook)
        except Exception:  # missing, unreadable, truncated, too deep: rebuild
            return None, 0.0
        return value, (st.st_mtime if st is not None else 0.0)

    def touch(self, name: str) -> None:
        """Mark an entry as used now (the least recently used go first when the cache is pruned)."""
        with suppress(OSError, NotImplementedError):
            if self._fd is not None:
                os.utime(name, dir_fd=self._fd, follow_symlinks=False)
            else:
                os.utime(self.path / name)

    def close(self) -> None:
        if self._fd is not None:
            with suppress(OSError):
                os.close(self._fd)
            self._fd = None


@contextmanager
def no_collection() -> Iterator[None]:
    """No garbage collection while an entry is read and built: it makes tens of thousands of
    containers, none of them garbage, which would otherwise set off collections of the whole
    heap; once built they are moved out of the collector's sight (``gc.freeze``), as what a
    process loads at start-up and keeps."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()  # what was read lives as long as the process: never scanned again
        if enabled:
            gc.enable()


def _own_directory(directory: Path) -> bool:
    """Make directory (only this user may write it); False if it cannot be trusted. A directory
    of this user's that others may write (as an older version made it under umask 002) is
    closed to them first; what they may have put in it is still checked entry by entry."""
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    st = os.stat(directory)
    if not stat.S_ISDIR(st.st_mode):
        return False
    if _trusted(st):
        return True
    getuid = getattr(os, "getuid", None)
    if getuid is not None and st.st_uid == getuid():
        os.chmod(directory, stat.S_IMODE(st.st_mode) & ~(stat.S_IWGRP | stat.S_IWOTH))
        return _trusted(os.stat(directory))
    return False


def write(path: Path, value: Any) -> int:
    """Store a plain value (what ``json`` writes) at path atomically, and say how many bytes it
    took (0: none); a cache that cannot be written, a value too large to be read back, or one
    that is not plain data, is passed over."""
    try:
        payload = json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()
        data = _MAGIC + _seal(path.name, payload) + b"\n" + payload
        if len(data) > limits.MAX_CACHE_ENTRY_BYTES or not _own_directory(path.parent):
            return 0
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem[:12]}-", suffix=".tmp", dir=path.parent)
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except Exception:  # an unwritable cache only costs the next run a rebuild
        return 0
    return len(data)


__all__ = [
    "CACHE_DIR_ENV",
    "CACHE_KEY_ENV",
    "MIN_KEY_CHARS",
    "NO_CACHE_ENV",
    "Directory",
    "cache_dir",
    "disabled",
    "entry",
    "key_too_short",
    "no_collection",
    "read",
    "secret",
    "source_digest",
    "write",
]
