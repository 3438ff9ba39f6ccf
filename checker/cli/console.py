"""What the command line writes: documents to standard output as UTF-8 bytes, the same bytes as
a file, whatever the console's encoding; messages to standard error and help to standard
output, never failing on a character their encoding lacks."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO, TextIO

from checker.report.stream import StandardOutput


def _nothing() -> None:
    pass


@contextmanager
def opened(output: str | None, before_write: Callable[[], None] = _nothing) -> Iterator[BinaryIO]:
    """Where a document goes: the file `output`, written atomically (checker.run.outputs), or
    standard output (None or '-'), each write after `before_write`."""
    if output is None or output == "-":
        sys.stdout.flush()  # what went through the text layer comes first
        yield StandardOutput(sys.stdout.buffer, before_write)
        return
    from checker.run.outputs import open_atomic

    with open_atomic(Path(output)) as out:
        yield out


def emit(text: str, output: str | None = None) -> None:
    """A document to standard output, or to the file `output` ('-': standard output)."""
    with opened(output) as out:
        out.write(text.encode("utf-8"))


def say(line: str) -> None:
    """A line on standard error; a character its encoding lacks is written as an escape."""
    _write(sys.stderr, line + "\n")


def show(text: str) -> None:
    """Text for a person on standard output (--help), in its encoding, never failing on a
    character the encoding lacks (written as an escape, as on standard error)."""
    _write(sys.stdout, text)


def _write(stream: TextIO, text: str) -> None:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    stream.write(text.encode(encoding, "backslashreplace").decode(encoding, "replace"))
    stream.flush()
