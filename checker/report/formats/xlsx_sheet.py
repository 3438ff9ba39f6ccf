"""A worksheet written one row at a time (XlsxWriter's constant-memory mode), that keeps what the
finished sheet needs: the width each column's text takes (a CJK character counts twice), its
last row, and every cell written as the text it is.

Nothing from a dossier or a rule becomes a formula, a link or a number: text is written with
`write_string`, and text that a spreadsheet would read as a formula once a reviewer edits the cell
(starting with =, +, -, @, a tab or a carriage return) carries Excel's quote prefix, so it stays
text when edited too."""

from __future__ import annotations

import re
import unicodedata
from collections import deque
from collections.abc import Sequence
from typing import Any

Cell = str | int | None

WIDEST = 60  # a column's width at most, in characters
NARROWEST = 6
WRAPPED = 48  # the width of a column of long text, which wraps in it
LINE = 13.5  # points: the height of a line of 10-point text, Latin or CJK
MAX_CELL = 32_767  # UTF-16 units a cell holds
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_UNWRITABLE = re.compile("[\ud800-\udfff\ufffe\uffff]")  # XML cannot carry them; XlsxWriter escapes the rest


def width(text: str) -> int:
    """The columns a line of text takes: two for a wide (CJK) character, one for any other."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def cell_text(text: str) -> str:
    """Text a cell can hold: characters XML cannot carry shown as escapes, cut to the cell's size."""
    text = _UNWRITABLE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
    if len(text.encode("utf-16-le")) // 2 > MAX_CELL:
        text = text.encode("utf-16-le")[: (MAX_CELL - 1) * 2].decode("utf-16-le", "ignore") + "…"
    return text


def _lines(text: str, columns: int) -> int:
    """The lines text takes wrapped in a column `columns` wide (a little more for the words that
    do not fit at a line's end)."""
    room = max(columns - 2, 1)
    return sum(max(1, -(-(width(part) * 11 // 10) // room)) for part in text.split("\n"))


class Styles:
    """The workbook's cell formats, made once (XlsxWriter keeps every format it is given)."""

    def __init__(self, book: Any) -> None:
        base = {"valign": "top", "font_size": 10}
        self.header = book.add_format(
            {**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True}
        )
        self.rotated = book.add_format(
            {**base, "bold": True, "bg_color": "#D9E1F2", "border": 1, "rotation": 90, "align": "center"}
        )
        self.title = book.add_format({"bold": True, "font_size": 14})
        self.label = book.add_format({**base, "bold": True})
        self.total = book.add_format({**base, "bold": True, "top": 1})
        self.plain = book.add_format(base)
        self.wrap = book.add_format({**base, "text_wrap": True})
        self.plain_quoted = book.add_format({**base, "quote_prefix": True})
        self.wrap_quoted = book.add_format({**base, "text_wrap": True, "quote_prefix": True})
        self.number = book.add_format(base)


class Sheet:
    """One worksheet, its header row and its rows, written in order."""

    def __init__(
        self, book: Any, styles: Styles, name: str, header: Sequence[str], wrap: Sequence[bool] = ()
    ) -> None:
        self.ws = book.add_worksheet(name)
        self.styles = styles
        self.row = 0
        self.header_row = 0
        self.columns = len(header)
        self.wrap = [*wrap, *[False] * (len(header) - len(wrap))]
        self.widths = [WRAPPED if w else NARROWEST for w in self.wrap]
        self.header = list(header)
        self._sized: deque[int] = deque()  # rows given a height, not yet written out

    def line(self, cells: Sequence[Cell], style: Any = None) -> None:
        """A row of cells: text as text, integers as numbers, None (or no text) empty; as tall
        as its longest wrapped text (a row written is final: its height is set first)."""
        lines = max(
            (
                _lines(cell_text(value), self.widths[col])
                for col, value in enumerate(cells)
                if isinstance(value, str) and self.wrap[col]
            ),
            default=1,
        )
        if lines > 1:
            self.ws.set_row(self.row, LINE * lines)
            self._sized.append(self.row)
        for col, value in enumerate(cells):
            if value is None or value == "":
                continue
            if isinstance(value, int):
                self.ws.write_number(self.row, col, value, style or self.styles.number)
                self._fit(col, str(value))
                continue
            text = cell_text(value)
            wrapped = col < len(self.wrap) and self.wrap[col]
            if text.startswith(_FORMULA_START):
                fmt = self.styles.wrap_quoted if wrapped else self.styles.plain_quoted
            else:
                fmt = style or (self.styles.wrap if wrapped else self.styles.plain)
            self.ws.write_string(self.row, col, text, fmt)
            self._fit(col, text)
        self.row += 1
        self._forget_written_rows()

    def _forget_written_rows(self) -> None:
        """Let go of the heights of rows already written out. In constant-memory mode XlsxWriter
        writes a row once the next one starts, but keeps every height it was given (for placing
        images, which these sheets have none of), so a long sheet would hold one per row."""
        ws = self.ws
        written = getattr(ws, "previous_row", 0) if getattr(ws, "constant_memory", False) else 0
        sized = self._sized
        heights = [
            d for d in (getattr(ws, "row_info", None), getattr(ws, "row_sizes", None)) if d is not None
        ]
        while sized and sized[0] < written:
            row = sized.popleft()
            for kept in heights:
                kept.pop(row, None)

    def header_line(self, rotated_from: int | None = None) -> None:
        """The header row: frozen, filtered when the sheet is finished."""
        self.header_row = self.row
        if rotated_from is not None:  # before the row is written: a streamed row is final
            tallest = max((width(text) for text in self.header[rotated_from:]), default=0)
            self.ws.set_row(self.row, max(15, 5.5 * tallest + 12))
        for col, text in enumerate(self.header):
            rotated = rotated_from is not None and col >= rotated_from
            self.ws.write_string(
                self.row, col, cell_text(text), self.styles.rotated if rotated else self.styles.header
            )
            if not rotated:
                self._fit(col, text)
        self.row += 1

    def _fit(self, col: int, text: str) -> None:
        if col < len(self.widths) and not self.wrap[col]:
            longest = max((width(part) for part in text.split("\n")), default=0)
            self.widths[col] = max(self.widths[col], min(longest + 2, WIDEST))

    def finish(self, freeze_columns: int = 0, last_row: int | None = None) -> None:
        """Column widths that fit the text, the header frozen and filtered (to `last_row`, by
        default the last row written); printed on A4 landscape, a page wide, the header on every
        page."""
        for col, w in enumerate(self.widths):
            self.ws.set_column(col, col, w)
        self.ws.freeze_panes(self.header_row + 1, freeze_columns)
        last = self.row - 1 if last_row is None else last_row
        self.ws.autofilter(self.header_row, 0, max(last, self.header_row), self.columns - 1)
        self.ws.set_paper(9)  # A4
        self.ws.set_landscape()
        self.ws.fit_to_pages(1, 0)
        self.ws.repeat_rows(self.header_row)
        self.ws.set_footer("&L&A&R&P / &N")  # the sheet's name, the page of pages
