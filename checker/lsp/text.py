"""A document's text as the Language Server Protocol counts positions in it, beside the checker's
own count.

The checker locates a problem by its 1-based line and column, counting columns in characters
(code points) and lines at YAML's line breaks (which include U+0085, U+2028 and U+2029). The
protocol counts 0-based lines at ``\\r\\n``, ``\\r`` and ``\\n`` only, and columns in the code
units of the position encoding the client and the server agreed on: UTF-16 unless the client
offers another (so a Chinese character is one unit and an emoji, outside the Basic Multilingual
Plane, is two). ``Text`` converts between the two through the character offset."""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from checker.load.text import LINE_BREAK

_LSP_BREAK = re.compile(r"\r\n|\r|\n")

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"


def units(text: str, encoding: str = UTF16) -> int:
    """The code units of `text` in a position encoding."""
    if encoding == UTF32:
        return len(text)
    if encoding == UTF8:
        return len(text.encode("utf-8", errors="surrogatepass"))
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def _prefix_of(text: str, count: int, encoding: str) -> int:
    """How many characters of `text` the first `count` code units cover (a position inside a
    character counts as before it)."""
    if encoding == UTF32:
        return min(count, len(text))
    used = 0
    for index, ch in enumerate(text):
        width = units(ch, encoding)
        if used + width > count:
            return index
        used += width
    return len(text)


@dataclass(frozen=True)
class Position:
    """A protocol position: 0-based line and character in code units."""

    line: int
    character: int


def _starts(text: str, breaks: re.Pattern[str]) -> list[int]:
    return [0, *(m.end() for m in breaks.finditer(text))]


class Text:
    """A document's text, for converting positions."""

    def __init__(self, source: str, encoding: str = UTF16) -> None:
        if source.startswith("\ufeff"):  # the reader drops a byte order mark before counting
            source = source[1:]
        self.source = source
        self.encoding = encoding
        self._yaml = _starts(source, LINE_BREAK)
        self._lsp = _starts(source, _LSP_BREAK)

    # ---------------------------------------------------------------- offsets

    def offset(self, line: int, column: int) -> int:
        """The character offset of the checker's (1-based) line and column, kept in the text."""
        row = min(max(line, 1), len(self._yaml)) - 1
        start = self._yaml[row]
        return min(start + max(column, 1) - 1, self._line_end(self._yaml, row))

    def mark(self, offset: int) -> tuple[int, int]:
        """The checker's 1-based line and column of a character offset."""
        row = bisect_right(self._yaml, offset) - 1
        return row + 1, offset - self._yaml[row] + 1

    def _line_end(self, starts: list[int], row: int) -> int:
        """Where line `row` ends, before its line break."""
        if row + 1 >= len(starts):
            return len(self.source)
        nxt = starts[row + 1]
        return nxt - (2 if self.source[nxt - 2 : nxt] == "\r\n" else 1)

    def position(self, offset: int) -> Position:
        """The protocol position of a character offset."""
        row = bisect_right(self._lsp, offset) - 1
        start = self._lsp[row]
        return Position(row, units(self.source[start:offset], self.encoding))

    def offset_at(self, position: Position) -> int:
        """The character offset of a protocol position (clamped to its line)."""
        if position.line >= len(self._lsp):
            return len(self.source)
        row = max(position.line, 0)
        start = self._lsp[row]
        line = self.source[start : self._line_end(self._lsp, row)]
        return start + _prefix_of(line, max(position.character, 0), self.encoding)

    # ---------------------------------------------------------------- the checker's marks

    def at(self, line: int, column: int) -> Position:
        """The protocol position of the checker's line and column."""
        return self.position(self.offset(line, column))

    def span(self, line: int, column: int) -> tuple[Position, Position]:
        """The range a problem at the checker's line and column covers: from there to the end of
        what is written on that line (trailing spaces and a comment left out); at least one
        character where the line has one."""
        start = self.offset(line, column)
        row = bisect_right(self._yaml, start) - 1
        end = self._line_end(self._yaml, row)
        content = self.source[start:end]
        comment = re.search(r"(^|\s)#", content)
        if comment and not _quoted(content[: comment.start()]):
            content = content[: comment.start()]
        stop = start + len(content.rstrip())
        if stop <= start:
            stop = min(start + 1, end)
        return self.position(start), self.position(stop)

    def line_text(self, line: int) -> str:
        """The checker's (1-based) line, without its line break."""
        row = min(max(line, 1), len(self._yaml)) - 1
        return self.source[self._yaml[row] : self._line_end(self._yaml, row)]

    @property
    def line_count(self) -> int:
        return len(self._yaml)


def _quoted(text: str) -> bool:
    """Whether a quote is left open at the end of `text` (a '#' after it is inside the string)."""
    return text.count('"') % 2 == 1 or text.count("'") % 2 == 1
