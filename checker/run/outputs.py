"""Writing report files: atomically, so a crash or Ctrl-C never leaves half a report."""

from __future__ import annotations

import io
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from checker.base.errors import UsageError, os_reason
from checker.base.i18n import Message, message, verbatim

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


def write_atomic(path: Path, text: str) -> None:
    """Write a regular file atomically (see open_atomic), in UTF-8."""
    with open_atomic(path) as out:
        out.write(text.encode("utf-8"))


@contextmanager
def open_atomic(path: Path) -> Iterator[BinaryIO]:
    """A file to write, put in place atomically when the block ends without an error (through a
    symlink: its target); on an error or an interrupt the previous file is left as it was. A
    device or a pipe (e.g. /dev/stdout) is written in place. A file that cannot be written is a
    usage error."""
    tmp: str | None = None
    try:
        target = Path(os.path.realpath(path))
        existing = target.stat() if target.exists() else None
        if existing is not None and stat.S_ISDIR(existing.st_mode):
            raise UsageError(message("cannot_write", path=str(path), reason=message("os_is_a_directory")))
        if existing is not None and not stat.S_ISREG(existing.st_mode):
            handle: BinaryIO = open(target, "wb")  # noqa: SIM115 (closed when the block ends)
        else:
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
            handle = os.fdopen(fd, "wb")
    except OSError as exc:
        raise UsageError(_cannot_write(path, exc)) from None
    except (UnicodeError, ValueError) as exc:
        raise UsageError(message("cannot_write", path=str(path), reason=verbatim(str(exc)))) from None
    try:
        yield _Guarded(handle, path)
    except BaseException:
        _discard(handle, tmp)
        raise
    try:
        handle.close()
        if tmp is not None:
            mode = existing.st_mode & 0o777 if existing is not None else 0o666 & ~_umask()
            os.chmod(tmp, mode)
            os.replace(tmp, target)
    except OSError as exc:
        _discard(handle, tmp)
        raise UsageError(_cannot_write(path, exc)) from None
    except BaseException:
        _discard(handle, tmp)
        raise


def write_new(path: Path, text: str) -> bool:
    """Write a new file, in UTF-8, never over an existing one: False when `path` exists (and
    nothing is written). The file appears whole or not at all (a temporary file next to it,
    linked into place). A file that cannot be written is a usage error."""
    if os.path.lexists(path):
        return False
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(text.encode("utf-8"))
        os.chmod(tmp, 0o666 & ~_umask())
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
        except OSError:  # a file system without hard links
            with open(path, "xb") as out:
                out.write(text.encode("utf-8"))
        return True
    except FileExistsError:
        return False
    except OSError as exc:
        raise UsageError(_cannot_write(path, exc)) from None
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)


def _cannot_write(path: Path, exc: OSError) -> Message:
    return message(
        "cannot_write", path=str(path), reason=os_reason(exc) if exc.strerror else verbatim(str(exc))
    )


def _discard(handle: BinaryIO, tmp: str | None) -> None:
    with suppress(OSError):
        handle.close()
    if tmp is not None:
        Path(tmp).unlink(missing_ok=True)


class _Guarded(io.BufferedIOBase, BinaryIO):
    """A file being written, whose write errors (a full disk) are usage errors naming it."""

    def __init__(self, handle: BinaryIO, path: Path) -> None:
        super().__init__()
        self._handle = handle
        self._path = path

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        try:
            return self._handle.write(data)
        except OSError as exc:
            raise UsageError(_cannot_write(self._path, exc)) from None


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def refuse_inputs(outputs: Iterable[str | None], inputs: Iterable[str]) -> None:
    """A report is never written over a file the run reads (a dossier, a justification file, a
    baseline): the checker never changes them (an output that is one of the inputs, by any
    name, is a usage error)."""
    targets: dict[tuple[int, int], str] = {}
    for out in outputs:
        if out is None or out == "-":
            continue
        try:
            st = os.stat(out)
        except (OSError, ValueError):
            continue  # not there yet: it cannot be an input
        targets[(st.st_dev, st.st_ino)] = out
    if not targets:
        return
    for given in inputs:
        try:
            st = os.fstat(sys.stdin.fileno()) if given == "-" else os.stat(given)  # "-": standard input
        except (OSError, ValueError, AttributeError):
            continue
        out = targets.get((st.st_dev, st.st_ino))
        if out is not None and stat.S_ISREG(st.st_mode):
            name = message("standard_input") if given == "-" else given
            raise UsageError(message("output_is_input", output=out, name=name))


def _identity(path: str) -> object:
    """What makes two output names the same file: its device and inode when it exists (so a hard
    link is the file it links to), else the path with its links resolved."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return os.path.realpath(path)
    return (st.st_dev, st.st_ino)


def plan_outputs(formats: Sequence[str], outputs: Sequence[str]) -> list[tuple[str, str | None]]:
    """Pair each --format with its --output (None: standard output), in the order given.

    One format may go to standard output without --output; with several formats every format
    needs its own --output (`-` is standard output, for at most one of them)."""
    formats = list(formats) or ["text"]
    if not outputs:
        if len(formats) > 1:
            raise UsageError(message("formats_need_outputs", n=len(formats)))
        return [(formats[0], None)]
    if len(outputs) != len(formats):
        raise UsageError(message("formats_outputs_differ", formats=len(formats), outputs=len(outputs)))
    planned = [(fmt, None if out == "-" else out) for fmt, out in zip(formats, outputs, strict=True)]
    to_stdout = [fmt for fmt, out in planned if out is None]
    if len(to_stdout) > 1:
        raise UsageError(message("one_format_to_stdout", formats=", ".join(to_stdout)))
    files = [_identity(out) for _, out in planned if out is not None]
    duplicates = sorted({out for _, out in planned if out and files.count(_identity(out)) > 1})
    if duplicates:
        raise UsageError(message("same_output", files=", ".join(duplicates)))
    return planned
