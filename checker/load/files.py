"""Reading an input file or stream, never more than a bound: what is over it is an error."""

from __future__ import annotations

import os
import pathlib
import stat
from typing import BinaryIO

from checker.base import limits
from checker.base.errors import os_reason
from checker.base.i18n import message, verbatim
from checker.load.located import START, Mark, input_error

DEFAULT_MAX_BYTES = limits.MAX_FILE_BYTES

# The messages of a file that could not be read (as against one read and found wrong): what a
# cache of outcomes never keeps, since the next attempt may read it.
READING_FAILED = frozenset(
    {
        "cannot_read",
        "cannot_read_file",
        "file_too_large",
        "not_regular_directory",
        "not_regular_pipe",
        "not_regular_device",
        "not_regular_file",
    }
)


_OPEN_FLAGS = (
    os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
)


def _kind(mode: int) -> str:
    """The i18n key that says what a file that is not a regular file is."""
    if stat.S_ISDIR(mode):
        return "not_regular_directory"
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        return "not_regular_pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "not_regular_device"
    return "not_regular_file"


def read_limited(path: pathlib.Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, reading no more than needed to know it is over ``max_bytes``.

    The one reader of every input file the checker reads (dossiers, rule files, configuration,
    baselines, justification files, self-test cases): the file is opened without waiting
    (``O_NONBLOCK``, so a FIFO with no writer cannot hang the check) and looked at through the
    opened descriptor before a byte is read, so a FIFO, a device (``/dev/zero``), a socket or a
    directory is an error at once, whatever name or link it was reached by."""
    filename = str(path)
    try:
        fd = os.open(path, _OPEN_FLAGS)
        with open(fd, "rb", closefd=True) as handle:
            mode = os.fstat(fd).st_mode
            if not stat.S_ISREG(mode):
                raise input_error(filename, START, message(_kind(mode)))
            if hasattr(os, "set_blocking"):
                os.set_blocking(fd, True)
            raw = handle.read(max_bytes + 1)
    except IsADirectoryError:
        raise input_error(filename, START, message("not_regular_directory")) from None
    except OSError as exc:
        raise input_error(filename, START, message("cannot_read_file", reason=os_reason(exc))) from None
    except (UnicodeError, ValueError) as exc:  # e.g. a NUL byte in the file name
        raise input_error(filename, START, message("cannot_read_file", reason=verbatim(str(exc)))) from None
    if len(raw) > max_bytes:
        raise input_error(filename, START, message("file_too_large", limit=max_bytes))
    return raw


def read_text(path: pathlib.Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """read_limited(path, max_bytes) as UTF-8 text (a leading byte-order mark dropped); bytes
    that are not UTF-8 are an error at the first of them."""
    raw = read_limited(path, max_bytes)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        said = message("encoding_invalid_byte", byte=verbatim(f"0x{raw[exc.start]:02x}"))
        line = raw.count(b"\n", 0, exc.start) + 1
        column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise input_error(str(path), Mark(line, column), said) from None


def read_stream(stream: BinaryIO, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A stream's bytes (e.g. standard input), reading no more than needed to know it is over
    ``max_bytes``; errors name the stream as ``filename``."""
    chunks: list[bytes] = []
    size = 0
    try:
        while size <= max_bytes:
            chunk = stream.read(min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        raise input_error(filename, START, message("cannot_read", reason=os_reason(exc))) from None
    except ValueError as exc:  # e.g. a closed stream
        raise input_error(filename, START, message("cannot_read", reason=verbatim(str(exc)))) from None
    if size > max_bytes:
        raise input_error(filename, START, message("file_too_large", limit=max_bytes))
    return b"".join(chunks)
