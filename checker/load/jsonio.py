"""The one place where cgt-checker reads JSON (a baseline file): the same ``Located`` data, with
the position of every node and mapping key, as the YAML reader gives.

JSON is read as JSON, not as YAML: YAML 1.1 parsers take some text JSON allows (a raw U+2028 or
U+0085 inside a string, or a tab between tokens) otherwise. The reader is as strict as the YAML
one: invalid UTF-8, duplicate keys, ``NaN`` and ``Infinity``, half of a surrogate pair, too many
nodes and too deep a nesting are located errors. Every failure is raised as
:class:`checker.base.errors.InputError` carrying one located problem.
"""

from __future__ import annotations

import bisect
import json
import re
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, NoReturn

from checker.base import limits
from checker.base.i18n import Message, message
from checker.load.located import START, Failure, Located, Mark, Path, first_definition, input_error
from checker.load.text import decode_utf8

__all__ = ["load_json"]

_SPACE = re.compile(r"[ \t\n\r]*")
_BREAK = re.compile(r"\r\n|\r|\n")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_LITERALS: tuple[tuple[str, Any], ...] = (("true", True), ("false", False), ("null", None))
_STRING_ERRORS = (
    ("Unterminated string", "json_unterminated_string"),
    ("Invalid control character", "json_control_character"),
    ("Invalid \\uXXXX escape", "json_invalid_u_escape"),
    ("Invalid \\escape", "json_invalid_escape"),
)


class _Reader:
    """A recursive-descent JSON reader that records where every node and key is."""

    def __init__(self, text: str, max_depth: int, max_nodes: int) -> None:
        self._text = text
        self._max_depth = max_depth
        self._max_nodes = max_nodes
        self._count = 0
        self._line_starts = [0, *(m.end() for m in _BREAK.finditer(text))]
        self.marks: dict[Path, Mark] = {}
        self.key_marks: dict[Path, Mark] = {}

    def read(self) -> Any:
        value, end = self._value(0, (), 0)
        end = self._skip(end)
        if end < len(self._text):
            self._fail(end, message("json_trailing", found=self._found(end)))
        return value

    # -- positions and errors

    def _mark(self, index: int) -> Mark:
        line = bisect.bisect_right(self._line_starts, index)
        return Mark(line, index - self._line_starts[line - 1] + 1)

    def _fail(self, index: int, said: Message) -> NoReturn:
        raise Failure(self._mark(index), message("json_syntax", detail=said))

    def _found(self, index: int) -> Message | str:
        if index >= len(self._text):
            return message("end_of_file")
        char = self._text[index]
        return f"'{char}'" if char.isprintable() and not char.isspace() else f"U+{ord(char):04X}"

    def _skip(self, index: int) -> int:
        match = _SPACE.match(self._text, index)
        return match.end() if match else index

    def _node(self, index: int) -> None:
        self._count += 1
        if self._count > self._max_nodes:
            raise Failure(self._mark(index), message("too_many_nodes", limit=self._max_nodes))

    # -- values

    def _value(self, index: int, path: Path, depth: int) -> tuple[Any, int]:
        """The value that starts at or after ``index``, at ``path`` inside ``depth`` collections,
        and the index after it."""
        index = self._skip(index)
        self.marks[path] = self._mark(index)
        self._node(index)
        char = self._text[index : index + 1]
        if char in ("{", "["):
            if depth + 1 > self._max_depth:
                raise Failure(self._mark(index), message("too_deep", limit=self._max_depth))
            if char == "{":
                return self._object(index + 1, path, depth)
            return self._array(index + 1, path, depth)
        if char == '"':
            return self._string(index)
        number = _NUMBER.match(self._text, index)
        if number is not None:
            return self._number(number), number.end()
        for word, value in _LITERALS:
            if self._text.startswith(word, index):
                return value, index + len(word)
        self._fail(index, message("json_expected_value", found=self._found(index)))

    def _object(self, index: int, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        index = self._skip(index)
        if self._text.startswith("}", index):
            return result, index + 1
        while True:
            if not self._text.startswith('"', index):
                self._fail(index, message("json_expected_key", found=self._found(index)))
            key_mark = self._mark(index)
            key, index = self._string(index)
            first_definition(first_seen, key, key_mark)
            self._node(index)
            child = (*path, key)
            self.key_marks[child] = key_mark
            index = self._skip(index)
            if not self._text.startswith(":", index):
                self._fail(index, message("json_expected_colon", found=self._found(index)))
            result[key], index = self._value(index + 1, child, depth + 1)
            index = self._skip(index)
            if self._text.startswith("}", index):
                return result, index + 1
            if not self._text.startswith(",", index):
                self._fail(index, message("json_expected_member_end", found=self._found(index)))
            index = self._skip(index + 1)

    def _array(self, index: int, path: Path, depth: int) -> tuple[list[Any], int]:
        items: list[Any] = []
        index = self._skip(index)
        if self._text.startswith("]", index):
            return items, index + 1
        while True:
            item, index = self._value(index, (*path, len(items)), depth + 1)
            items.append(item)
            index = self._skip(index)
            if self._text.startswith("]", index):
                return items, index + 1
            if not self._text.startswith(",", index):
                self._fail(index, message("json_expected_item_end", found=self._found(index)))
            index += 1

    def _string(self, index: int) -> tuple[str, int]:
        try:
            value, end = scanstring(self._text, index + 1, True)
        except json.JSONDecodeError as exc:
            key = next((ours for theirs, ours in _STRING_ERRORS if exc.msg.startswith(theirs)), None)
            self._fail(exc.pos, message(key) if key else message("verbatim", text=exc.msg))
        if _SURROGATE.search(value):
            self._fail(index, message("json_half_surrogate"))
        return value, end

    def _number(self, match: re.Match[str]) -> int | float:
        text = match.group()
        if match.group(1) or match.group(2):
            return float(text)
        try:
            return int(text)
        except ValueError:  # more digits than Python converts (sys.int_info.str_digits_check_threshold)
            raise Failure(self._mark(match.start()), message("integer_too_long", digits=len(text))) from None


def load_json(
    text: str | bytes,
    filename: str,
    *,
    max_bytes: int = limits.MAX_FILE_BYTES,
    max_depth: int = limits.MAX_DEPTH,
    max_nodes: int = limits.MAX_NODES,
) -> Located:
    """Read one JSON value from ``text`` (bytes must be UTF-8; a BOM is dropped).

    ``filename`` is only used in error reports. Raises :class:`InputError`.
    """
    raw = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    if len(raw) > max_bytes:
        raise input_error(filename, START, message("file_too_large", limit=max_bytes))
    try:
        reader = _Reader(decode_utf8(raw), max_depth, max_nodes)
        data = reader.read()
    except Failure as fail:
        raise input_error(filename, fail.mark, fail.said) from None
    except RecursionError:
        raise input_error(filename, START, message("recursion")) from None
    return Located(data, reader.marks, reader.key_marks)
