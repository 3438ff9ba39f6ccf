"""The one place where cgt-checker reads YAML.

Loading is safe and strict:

* only the standard YAML core tags are accepted (``str``, ``int``, ``float``,
  ``bool``, ``null``, ``map``, ``seq``, ``timestamp``); anything else, such as
  ``!!python/object`` or ``!custom``, is refused;
* plain scalars are resolved with the YAML 1.2 core schema, so ``no``, ``on``,
  ``12:30``, ``1_000`` and dates such as ``2024-01-31`` stay strings;
* duplicate keys, non-string keys, merge keys (``<<``), several documents in one
  file, invalid UTF-8 and control characters are errors;
* anchors and aliases work, but the expanded size and the nesting depth are
  bounded and checked while the data is built, so a "billion laughs" input
  fails fast.

The result keeps the position of every node (``Located.marks``) and of every
mapping key (``Located.key_marks``), keyed by the node's path from the root, so
later stages can report located problems.

Every failure is raised as :class:`checker.base.errors.InputError` carrying one
located :class:`checker.base.errors.Problem`; no ``yaml`` exception,
``UnicodeDecodeError`` or ``RecursionError`` escapes.
"""

from __future__ import annotations

import math
import os
import pathlib
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, BinaryIO, NamedTuple, NoReturn

import yaml

from checker.base import limits
from checker.base.errors import InputError, NodePath, Problem

__all__ = ["Located", "Mark", "Path", "load_yaml", "load_yaml_file"]

Path = NodePath

DEFAULT_MAX_BYTES = limits.MAX_FILE_BYTES
DEFAULT_MAX_DEPTH = limits.MAX_DEPTH
DEFAULT_MAX_NODES = limits.MAX_NODES


class Mark(NamedTuple):
    """A position in the input, 1-based line and column (columns count characters)."""

    line: int
    column: int


_START = Mark(1, 1)


@dataclass(frozen=True)
class Located:
    """Plain data loaded from YAML, with the position of every node.

    ``marks[path]`` is where the node at ``path`` starts (for an alias, where
    the alias is written; nodes inside the aliased subtree point at their
    original definition). ``key_marks[path]`` is where the key of the mapping
    entry at ``path`` is written. The root's path is ``()``.
    """

    data: Any
    marks: dict[Path, Mark]
    key_marks: dict[Path, Mark]

    def mark_for(self, path: Path) -> Mark:
        """Where ``path`` is, or where its nearest present ancestor is (1:1 at worst)."""
        p = tuple(path)
        while True:
            mark = self.marks.get(p)
            if mark is not None:
                return mark
            if not p:
                return _START
            p = p[:-1]


# --------------------------------------------------------------------------- errors


class _Fail(Exception):
    """Internal: a located problem found while loading; turned into InputError."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def _input_error(filename: str, mark: Mark, message: str) -> InputError:
    problem = Problem(filename, mark.line, mark.column, message)
    return InputError(f"{filename}:{mark.line}:{mark.column}: {message}", problems=[problem])


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


# ------------------------------------------------------------------- text handling

_BOM = b"\xef\xbb\xbf"
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# The characters YAML does not allow in a stream (YAML 1.2, 5.1: the complement of
# \x09 \x0a \x0d \x20-\x7e \x85 \xa0-\ud7ff \ue000-\ufffd \U00010000-\U0010ffff); a positive
# class compiles in a fraction of the time of the negated one, which matters at start-up.
_NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def _position(text: str, index: int) -> Mark:
    """The 1-based line and column of character ``index`` of ``text``, counting YAML line breaks."""
    line = 1
    line_start = 0
    for match in _LINE_BREAK.finditer(text, 0, index):
        line += 1
        line_start = match.end()
    return Mark(line, index - line_start + 1)


def _decode(raw: bytes) -> str:
    raw = raw.removeprefix(_BOM)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        mark = _position(prefix, len(prefix))
        if exc.start == 0 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            message = "file is not UTF-8 (it looks like UTF-16); save it as UTF-8"
        else:
            message = f"file is not valid UTF-8: invalid byte 0x{raw[exc.start]:02x}"
        raise _Fail(mark, message) from None
    bad = _NON_PRINTABLE.search(text)
    if bad is not None:
        char = bad.group()
        if char == "\x00":
            message = "NUL byte is not allowed in a YAML file"
        else:
            message = f"control character U+{ord(char):04X} is not allowed in a YAML file"
        raise _Fail(_position(text, bad.start()), message)
    return text


# ----------------------------------------------------------------- scalar resolution

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = frozenset({"str", "int", "float", "bool", "null", "timestamp"})

_NULL = re.compile(r"null|Null|NULL|~|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT_DEC = re.compile(r"[-+]?[0-9]+")
_INT_OCT = re.compile(r"0o[0-7]+")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"([-+]?)\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)

# The first character of every non-empty null, bool, int or float of the core schema.
_SPECIAL_START = frozenset("-+.0123456789~nNtTfF")

_NO_VALUE = object()


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_STD) :] if tag.startswith(_STD) else tag


def _first_definition(first_seen: dict[str, Mark], key: str, key_mark: Mark) -> None:
    """Record where a mapping key is defined; a key defined twice is an error (YAML forbids it,
    and PyYAML would silently keep the last value)."""
    first = first_seen.get(key)
    if first is not None:
        raise _Fail(key_mark, f"duplicate key '{_short(key)}' (first defined at line {first.line})")
    first_seen[key] = key_mark


def _short(value: str, limit: int = 40) -> str:
    return value if len(value) <= limit else value[: limit - 3] + "..."


def _as_int(value: str, mark: Mark) -> Any:
    if _INT_DEC.fullmatch(value):
        try:
            return int(value, 10)
        except ValueError:  # more digits than Python converts (sys.int_info.str_digits_check_threshold)
            raise _Fail(mark, f"integer with {len(value)} digits is too long") from None
    if _INT_OCT.fullmatch(value) or _INT_HEX.fullmatch(value):
        return int(value, 0)
    return _NO_VALUE


def _as_float(value: str) -> Any:
    if _FLOAT.fullmatch(value):
        return float(value)
    inf = _INF.fullmatch(value)
    if inf is not None:
        return -math.inf if inf.group(1) == "-" else math.inf
    if _NAN.fullmatch(value):
        return math.nan
    return _NO_VALUE


def _as_bool(value: str) -> Any:
    if _TRUE.fullmatch(value):
        return True
    if _FALSE.fullmatch(value):
        return False
    return _NO_VALUE


def _resolve_plain(value: str, mark: Mark) -> Any:
    """YAML 1.2 core schema for an untagged plain scalar."""
    if value and value[0] not in _SPECIAL_START:
        return value  # fast path: cannot be null, bool, int or float
    if _NULL.fullmatch(value):
        return None
    result = _as_bool(value)
    if result is _NO_VALUE:
        result = _as_int(value, mark)
    if result is _NO_VALUE:
        result = _as_float(value)
    return value if result is _NO_VALUE else result


def _explicit_scalar(name: str, value: str, mark: Mark) -> Any:
    """The value of a scalar with an explicit standard tag ``!!name``."""
    if name in ("str", "timestamp"):
        if name == "timestamp" and not _TIMESTAMP.fullmatch(value):
            raise _Fail(mark, f"invalid !!timestamp value '{_short(value)}'")
        return value  # timestamps stay strings; they are validated later
    if name == "null":
        result: Any = None if _NULL.fullmatch(value) else _NO_VALUE
    elif name == "bool":
        result = _as_bool(value)
    elif name == "int":
        result = _as_int(value, mark)
    else:  # float
        result = _as_float(value)
        if result is _NO_VALUE and _INT_DEC.fullmatch(value):
            result = float(value)
    if result is _NO_VALUE:
        raise _Fail(mark, f"invalid !!{name} value '{_short(value)}'")
    return result


def _type_name(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "float"
    if isinstance(value, list):
        return "sequence"
    if isinstance(value, dict):
        return "mapping"
    return type(value).__name__


# ------------------------------------------------------------------------- building


def _mark(yaml_mark: Any) -> Mark:
    if yaml_mark is None:
        return _START
    return Mark(int(yaml_mark.line) + 1, int(yaml_mark.column) + 1)


def _copy(value: Any) -> Any:
    """A fresh copy of plain data (so that an aliased value is not shared)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@dataclass(frozen=True)
class _Anchor:
    value: Any
    base: Path  # where the anchored node was defined
    log_start: int  # its subtree's entries in _Builder._log[log_start:log_end]
    log_end: int
    size: int  # nodes in the subtree, aliases expanded
    height: int  # collection levels in the subtree (0 for a scalar)
    chars: int = 0  # characters of text in the subtree, aliases expanded


class _Builder:
    """Builds plain data and marks straight from the parser's event stream."""

    def __init__(self, get_event: Callable[[], Any], max_depth: int, max_nodes: int, max_chars: int) -> None:
        self._get_event = get_event
        self._max_depth = max_depth
        self._max_nodes = max_nodes
        self._max_chars = max_chars
        self._chars = 0
        self.marks: dict[Path, Mark] = {}
        self.key_marks: dict[Path, Mark] = {}
        # Every mark recorded, in order: (path, mark, is_key_mark). Lets an alias
        # copy the marks of its anchored subtree without searching.
        self._log: list[tuple[Path, Mark, bool]] = []
        self._anchors: dict[str, _Anchor] = {}
        self._open_anchors: set[str] = set()
        self._count = 0
        self._expanded = False

    # -- document level

    def build(self, plain: bool = False) -> Any:
        """The document's data. ``plain``: the text has no anchor, alias or tag, so the
        faster builder that handles none of them gives the same result."""
        event = self._get_event()  # StreamStartEvent
        event = self._get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return None  # empty, or only comments
        build = self._plain_node if plain else self._node
        data, _ = build(self._get_event(), (), 0)
        self._get_event()  # DocumentEndEvent
        event = self._get_event()
        if not isinstance(event, yaml.StreamEndEvent):
            raise _Fail(
                _mark(event.start_mark),
                "multiple YAML documents in one file; put one dossier per file",
            )
        return data

    # -- bookkeeping

    def _record(self, path: Path, mark: Mark, is_key: bool) -> None:
        (self.key_marks if is_key else self.marks)[path] = mark
        self._log.append((path, mark, is_key))

    def _add_nodes(self, n: int, mark: Mark) -> None:
        self._count += n
        if self._count > self._max_nodes:
            if self._expanded:
                message = f"document too large after alias expansion (more than {self._max_nodes} nodes)"
            else:
                message = f"document too large (more than {self._max_nodes} nodes)"
            raise _Fail(mark, message)

    def _add_chars(self, n: int, mark: Mark) -> None:
        # Aliases can repeat a long text many times over: bound the text after expansion too.
        self._chars += n
        if self._chars > self._max_chars:
            raise _Fail(
                mark,
                f"document too large after alias expansion (more than {self._max_chars} characters of text)",
            )

    def _too_deep(self, mark: Mark) -> NoReturn:
        raise _Fail(mark, f"nesting deeper than {self._max_depth} levels")

    def _lookup(self, event: Any, mark: Mark) -> _Anchor:
        name = str(event.anchor)
        if name in self._open_anchors:
            raise _Fail(mark, f"recursive alias '*{name}' refers to a node that contains it")
        anchor = self._anchors.get(name)
        if anchor is None:
            raise _Fail(mark, f"undefined alias '*{name}'")
        return anchor

    def _check_tag(self, event: Any, mark: Mark) -> str | None:
        """The standard short name of the event's tag (None if untagged or '!'); refuse others."""
        tag = event.tag
        if tag is None or tag == "!":
            return None
        tag = str(tag)
        if tag == _STD + "merge":
            raise _Fail(mark, "merge keys ('<<') are not supported; write the keys out")
        name = tag[len(_STD) :] if tag.startswith(_STD) else None
        if isinstance(event, yaml.ScalarEvent):
            if name in _SCALAR_TAGS:
                return name
            kind = "scalar"
        elif isinstance(event, yaml.SequenceStartEvent):
            if name == "seq":
                return name
            kind = "sequence"
        else:
            if name == "map":
                return name
            kind = "mapping"
        if name in _SCALAR_TAGS or name in ("seq", "map"):
            raise _Fail(mark, f"tag '{_show_tag(tag)}' cannot be used on a {kind}")
        raise _Fail(mark, f"unsupported tag '{_show_tag(tag)}'")

    def _scalar(self, event: Any, tag_name: str | None, mark: Mark) -> Any:
        value = str(event.value)
        if tag_name is not None:
            return _explicit_scalar(tag_name, value, mark)
        if event.tag is None and event.implicit[0]:
            return _resolve_plain(value, mark)
        return value  # quoted, or the non-specific tag '!'

    # -- nodes

    def _node(self, event: Any, path: Path, depth: int) -> tuple[Any, int]:
        """Build the node that starts with ``event`` at ``path``; ``depth`` collections enclose it.

        Returns the value and the number of collection levels it contains.
        """
        mark = _mark(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, path, depth, mark)
        tag_name = self._check_tag(event, mark)
        anchor = event.anchor
        if anchor is not None:
            self._open_anchors.add(anchor)
        log_start = len(self._log)
        count_start = self._count
        chars_start = self._chars
        self._add_nodes(1, mark)
        self._record(path, mark, False)
        value: Any
        height = 0
        if isinstance(event, yaml.ScalarEvent):
            self._add_chars(len(event.value), mark)
            value = self._scalar(event, tag_name, mark)
        elif isinstance(event, yaml.SequenceStartEvent):
            if depth + 1 > self._max_depth:
                self._too_deep(mark)
            items: list[Any] = []
            while True:
                child = self._get_event()
                if isinstance(child, yaml.SequenceEndEvent):
                    break
                item, child_height = self._node(child, (*path, len(items)), depth + 1)
                items.append(item)
                height = max(height, child_height)
            value = items
            height += 1
        else:  # MappingStartEvent
            if depth + 1 > self._max_depth:
                self._too_deep(mark)
            value, height = self._mapping(path, depth)
            height += 1
        if anchor is not None:
            self._open_anchors.discard(anchor)
            self._anchors[anchor] = _Anchor(
                value,
                path,
                log_start,
                len(self._log),
                self._count - count_start,
                height,
                self._chars - chars_start,
            )
        return value, height

    def _mapping(self, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        height = 0
        while True:
            event = self._get_event()
            if isinstance(event, yaml.MappingEndEvent):
                return result, height
            key_mark = _mark(event.start_mark)
            key = self._key(event, key_mark)
            _first_definition(first_seen, key, key_mark)
            value_path = (*path, key)
            self._record(value_path, key_mark, True)
            value, child_height = self._node(self._get_event(), value_path, depth + 1)
            result[key] = value
            height = max(height, child_height)

    def _key(self, event: Any, mark: Mark) -> str:
        if isinstance(event, yaml.AliasEvent):
            anchor = self._lookup(event, mark)
            key = anchor.value
            self._add_nodes(1, mark)
            self._add_chars(anchor.chars, mark)
        elif isinstance(event, yaml.ScalarEvent):
            tag_name = self._check_tag(event, mark)
            if event.tag is None and event.implicit[0] and event.value == "<<":
                raise _Fail(mark, "merge keys ('<<') are not supported; write the keys out")
            key = self._scalar(event, tag_name, mark)
            self._add_nodes(1, mark)
            self._add_chars(len(event.value), mark)
            if event.anchor is not None:
                self._anchors[event.anchor] = _Anchor(
                    key, (), len(self._log), len(self._log), 1, 0, len(event.value)
                )
        else:
            kind = "sequence" if isinstance(event, yaml.SequenceStartEvent) else "mapping"
            raise _Fail(mark, f"mapping keys must be strings; found a {kind} used as a key")
        if not isinstance(key, str):
            shown = "null" if key is None else f"{_type_name(key)} {_short(repr(key))}"
            raise _Fail(mark, f"mapping keys must be strings; found {shown} (quote the key)")
        return key

    # -- nodes of a document without anchors, aliases or tags: the same checks, in the same
    # order, as _node, _mapping and _key, with the bookkeeping for aliases left out

    def _plain_node(self, event: Any, path: Path, depth: int) -> tuple[Any, int]:
        start = event.start_mark
        mark = Mark(start.line + 1, start.column + 1)
        self._count += 1
        if self._count > self._max_nodes:
            self._add_nodes(0, mark)
        self.marks[path] = mark
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            value = event.value
            self._chars += len(value)
            if self._chars > self._max_chars:
                self._add_chars(0, mark)
            if not event.implicit[0] or (value and value[0] not in _SPECIAL_START):
                return value, 0  # quoted, or plain text that cannot be null, bool or a number
            return _resolve_plain(value, mark), 0
        if depth + 1 > self._max_depth:
            self._too_deep(mark)
        get_event = self._get_event
        height = 0
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            while True:
                child = get_event()
                if child.__class__ is yaml.SequenceEndEvent:
                    return items, height + 1
                item, child_height = self._plain_node(child, (*path, len(items)), depth + 1)
                items.append(item)
                if child_height > height:
                    height = child_height
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        key_marks = self.key_marks
        while True:
            event = get_event()
            if event.__class__ is yaml.MappingEndEvent:
                return result, height + 1
            start = event.start_mark
            key_mark = Mark(start.line + 1, start.column + 1)
            if event.__class__ is not yaml.ScalarEvent:
                key: Any = self._key(event, key_mark)  # refuses it
            else:
                text = event.value
                if not event.implicit[0] or (text and text[0] not in _SPECIAL_START and text != "<<"):
                    key = text  # quoted, or plain text that cannot be null, bool or a number
                else:
                    if text == "<<":
                        raise _Fail(key_mark, "merge keys ('<<') are not supported; write the keys out")
                    key = _resolve_plain(text, key_mark)
                self._count += 1
                if self._count > self._max_nodes:
                    self._add_nodes(0, key_mark)
                self._chars += len(text)
                if self._chars > self._max_chars:
                    self._add_chars(0, key_mark)
                if not isinstance(key, str):
                    shown = "null" if key is None else f"{_type_name(key)} {_short(repr(key))}"
                    raise _Fail(key_mark, f"mapping keys must be strings; found {shown} (quote the key)")
            if key in first_seen:
                _first_definition(first_seen, key, key_mark)  # refuses it
            first_seen[key] = key_mark
            value_path = (*path, key)
            key_marks[value_path] = key_mark
            value, child_height = self._plain_node(get_event(), value_path, depth + 1)
            result[key] = value
            if child_height > height:
                height = child_height

    def _alias(self, event: Any, path: Path, depth: int, mark: Mark) -> tuple[Any, int]:
        anchor = self._lookup(event, mark)
        self._expanded = True
        self._add_nodes(anchor.size, mark)
        self._add_chars(anchor.chars, mark)
        if depth + anchor.height > self._max_depth:
            self._too_deep(mark)
        self._record(path, mark, False)
        base_len = len(anchor.base)
        for i in range(anchor.log_start, anchor.log_end):
            sub_path, sub_mark, is_key = self._log[i]
            rel = sub_path[base_len:]
            if rel or is_key:
                self._record(path + rel, sub_mark, is_key)
        return _copy(anchor.value), anchor.height


# --------------------------------------------------------------------------- loading

# The C parser (libyaml) when available: much faster, same marks. Only its event
# stream is used; resolution and construction happen here.
_EVENT_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _within(mark: Mark, text: str) -> Mark:
    """A parser mark inside the text: at the end of a file without a final line break, libyaml
    reports the start of a line that does not exist; that is the end of the last line."""
    lines = _LINE_BREAK.split(text)
    if mark.line <= len(lines):
        return mark
    return Mark(len(lines), len(lines[-1]) + 1)


# Spaces that look like indentation but are not (often pasted from a word processor or a web page).
_ODD_INDENT = re.compile("[ \t]*([\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff])")
_ODD_INDENT_REACH = 3  # lines before a syntax error where its cause is looked for


def _odd_indent_near(text: str, line: int) -> tuple[Mark, str] | None:
    """A line at most _ODD_INDENT_REACH lines before `line` (or on it) that starts with a
    look-alike space: the cause of a syntax error the parser found there. Text further away may
    start with such a space legitimately (a Chinese paragraph indented with U+3000)."""
    lines = text.split("\n")
    for n in range(line, max(0, line - _ODD_INDENT_REACH) - 1, -1):
        if 0 < n <= len(lines):
            odd = _ODD_INDENT.match(lines[n - 1])
            if odd is not None:
                import unicodedata

                char = odd[1]
                name = unicodedata.name(char, "space character").lower()
                article = "an" if name[:1] in "aeiou" else "a"
                return Mark(n, odd.start(1) + 1), (
                    f"YAML syntax error: line {n} is indented with {article} {name} (U+{ord(char):04X}), "
                    "which YAML does not take as indentation; indent with ordinary spaces"
                )
    return None


def _syntax_problem(exc: yaml.YAMLError, text: str) -> tuple[Mark, str]:
    if isinstance(exc, yaml.MarkedYAMLError):
        yaml_mark = exc.problem_mark or exc.context_mark
        mark = _within(_mark(yaml_mark), text)
        odd = _odd_indent_near(text, mark.line)
        if odd is not None:  # the likely cause, where it is rather than where the parser stopped
            return odd
        message = f"YAML syntax error: {_one_line(exc.problem or exc.context or 'invalid YAML')}"
        if exc.context and exc.problem:
            context = _one_line(exc.context)
            if exc.context_mark is not None and _mark(exc.context_mark) != mark:
                context_at = _mark(exc.context_mark)
                context += f" at line {context_at.line}, column {context_at.column}"
            message += f" ({context})"
        index = getattr(yaml_mark, "index", None)
        if isinstance(index, int) and 0 <= index < len(text) and text[index] == "\t":
            message += "; tabs cannot be used for indentation"
        elif exc.problem and "mapping values are not allowed" in exc.problem:
            message += "; check the indentation, and put a value that contains ': ' in quotes"
        return mark, message
    if isinstance(exc, yaml.reader.ReaderError):
        # Not expected (characters are checked before parsing); libyaml reports a byte offset.
        prefix = text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace")
        return _position(prefix, len(prefix)), f"YAML error: {_one_line(exc.reason)}"
    return _START, f"YAML error: {_one_line(str(exc))}"


def load_yaml(
    text: str | bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_chars: int | None = None,
) -> Located:
    """Load one YAML document from ``text`` (bytes must be UTF-8; a BOM is dropped).

    ``filename`` is only used in error reports. ``max_chars`` bounds the text after alias
    expansion (default: ``max_bytes``). Raises :class:`InputError`.
    """
    raw = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    if len(raw) > max_bytes:
        raise _input_error(filename, _START, f"file is larger than the {max_bytes}-byte limit")
    decoded = ""
    loader: Any = None
    try:
        decoded = _decode(raw)
        loader = _EVENT_LOADER(decoded)
        builder = _Builder(
            loader.get_event, max_depth, max_nodes, max_bytes if max_chars is None else max_chars
        )
        plain = "&" not in decoded and "*" not in decoded and "!" not in decoded
        data = builder.build(plain)
        return Located(data, builder.marks, builder.key_marks)
    except _Fail as fail:
        raise _input_error(filename, fail.mark, fail.message) from None
    except yaml.YAMLError as exc:
        mark, message = _syntax_problem(exc, decoded)
        raise _input_error(filename, mark, message) from None
    except RecursionError:
        message = "nesting too deep to process"
        raise _input_error(filename, _START, message) from None
    finally:
        if loader is not None:
            loader.dispose()


def read_limited(path: pathlib.Path | str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A regular file's bytes, reading no more than needed to know it is over ``max_bytes``."""
    filename = str(path)
    try:
        with open(path, "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                raise _input_error(filename, _START, "not a regular file")
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or exc.__class__.__name__
        raise _input_error(filename, _START, f"cannot read file: {reason}") from None
    except (UnicodeError, ValueError) as exc:  # e.g. a NUL byte in the file name
        raise _input_error(filename, _START, f"cannot read file: {exc}") from None
    if len(raw) > max_bytes:
        raise _input_error(filename, _START, f"file is larger than the {max_bytes}-byte limit")
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
        reason = exc.strerror or exc.__class__.__name__
        raise _input_error(filename, _START, f"cannot read: {reason}") from None
    except ValueError as exc:  # e.g. a closed stream
        raise _input_error(filename, _START, f"cannot read: {exc}") from None
    if size > max_bytes:
        raise _input_error(filename, _START, f"file is larger than the {max_bytes}-byte limit")
    return b"".join(chunks)


def load_yaml_file(
    path: pathlib.Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Located:
    """Read and load the YAML file at ``path``; errors name the path as given."""
    raw = read_limited(path, max_bytes)
    return load_yaml(raw, str(path), max_bytes=max_bytes, max_depth=max_depth, max_nodes=max_nodes)
