"""Reading an input file or stream, never more than a bound: what is over it is an error."""

from __future__ import annotations

import os
import pathlib
import stat
from typing import BinaryIO

from checker.base import limits
from checker.base.errors import os_reason
from checker.base.i18n import message, verbatim
from checker.load.located import START, input_error

DEFAULT_MAX_BYTES = limits.MAX_FILE_BYTES


def read_limited(path: pathlib.Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, reading no more than needed to know it is over ``max_bytes``."""
    filename = str(path)
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise input_error(filename, START, message("not_regular_file"))
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        raise input_error(filename, START, message("cannot_read_file", reason=os_reason(exc))) from None
    except (UnicodeError, ValueError) as exc:  # e.g. a NUL byte in the file name
        raise input_error(filename, START, message("cannot_read_file", reason=verbatim(str(exc)))) from None
    if len(raw) > max_bytes:
        raise input_error(filename, START, message("file_too_large", limit=max_bytes))
    return raw


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
