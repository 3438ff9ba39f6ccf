"""Writing report files: atomically, so a crash or Ctrl-C never leaves half a report."""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from checker.errors import UsageError


def write_atomic(path: Path, text: str) -> None:
    """Write a regular file atomically (through a symlink: its target); a device or a pipe
    (e.g. /dev/stdout) is written in place."""
    data = text.encode("utf-8")
    try:
        target = Path(os.path.realpath(path))
        existing = target.stat() if target.exists() else None
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise UsageError(f"cannot write {path}: it is a directory")
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            with open(target, "wb") as handle:
                handle.write(data)
            return
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as exc:
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    except (UnicodeError, ValueError) as exc:
        raise UsageError(f"cannot write {path}: {exc}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        mode = existing.st_mode & 0o777 if existing is not None else 0o666 & ~_umask()
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise UsageError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
