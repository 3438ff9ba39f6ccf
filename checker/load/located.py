"""What the readers of input files give, and how they fail: plain data with the position of
every node, and one located problem when a file cannot be read."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from checker.base import errors
from checker.base.errors import InputError, NodePath, Problem
from checker.base.i18n import Message, message
from checker.model.common import ID_PATTERN

Path = NodePath


class Mark(NamedTuple):
    """A position in the input, 1-based line and column (columns count characters)."""

    line: int
    column: int


START = Mark(1, 1)


@dataclass(frozen=True)
class Located:
    """Plain data read from a file (YAML or JSON), with the position of every node.

    ``marks[path]`` is where the node at ``path`` starts (for an alias, where
    the alias is written; nodes inside the aliased subtree point at their
    original definition). ``key_marks[path]`` is where the key of the mapping
    entry at ``path`` is written. The root's path is ``()``.
    """

    data: Any
    marks: dict[Path, Mark]
    key_marks: dict[Path, Mark]
    # the ids of each list of mappings labelled so far (by the list's identity): each valid id,
    # and whether it is unique in its list
    _ids: dict[int, dict[str, bool]] = field(default_factory=dict, init=False, compare=False, repr=False)

    def mark_for(self, path: Path) -> Mark:
        """Where ``path`` is, or where its nearest present ancestor is (1:1 at worst)."""
        p = tuple(path)
        while True:
            mark = self.marks.get(p)
            if mark is not None:
                return mark
            if not p:
                return START
            p = p[:-1]

    def label(self, path: Path) -> str:
        """``path`` as reports write it, e.g. ``indications[lbcl].stage``: a list item by its id
        where it has one unique in its list (as findings name items), else by its 0-based index."""
        out = ""
        node = self.data
        for step in path:
            if isinstance(step, int):
                item_id = self._item_id(node, step)
                out += f"[{item_id if item_id is not None else step}]"
            else:
                out += ("." if out else "") + errors.short(step)
            node = _child(node, step)
        return out

    def _item_id(self, node: Any, index: int) -> str | None:
        if not isinstance(node, list) or not 0 <= index < len(node):
            return None
        item = node[index]
        item_id = item.get("id") if isinstance(item, dict) else None
        if not isinstance(item_id, str):
            return None
        ids = self._ids.get(id(node))
        if ids is None:
            ids = {}
            for other in node:
                other_id = other.get("id") if isinstance(other, dict) else None
                if isinstance(other_id, str) and _ID.fullmatch(other_id):
                    ids[other_id] = other_id not in ids
            self._ids[id(node)] = ids
        return item_id if ids.get(item_id) else None


_ID = re.compile(ID_PATTERN)


def _child(node: Any, step: str | int) -> Any:
    """The node at `step` of a mapping or a list, or None."""
    if isinstance(node, dict):
        return node.get(step)
    if isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
        return node[step]
    return None


class Failure(Exception):
    """A located problem found while reading a file; the reader turns it into an InputError."""

    def __init__(self, mark: Mark, said: Message) -> None:
        super().__init__(said.text())
        self.mark = mark
        self.said = said


def input_error(filename: str, mark: Mark, said: Message) -> InputError:
    """The error for one located problem of a file."""
    problem = Problem(filename, mark.line, mark.column, said)
    return InputError(f"{filename}:{mark.line}:{mark.column}: {said.text()}", problems=[problem])


def one_line(text: str) -> str:
    """Text with its runs of white space (line breaks included) as single spaces."""
    return " ".join(str(text).split())


def first_definition(first_seen: dict[str, Mark], key: str, key_mark: Mark) -> None:
    """Record where a mapping key is defined; a key defined twice is an error (YAML forbids it,
    and PyYAML would silently keep the last value)."""
    first = first_seen.get(key)
    if first is not None:
        raise Failure(key_mark, message("duplicate_key", key=short(key), line=first.line))
    first_seen[key] = key_mark


def short(value: str, limit: int = 40) -> str:
    """Text from the input inside a reader's message: at most ``limit`` characters."""
    return value if len(value) <= limit else value[: limit - 3] + "..."


def type_name(value: Any) -> Message:
    """What a value is called in YAML (and JSON) terms."""
    if value is None:
        return message("type_null")
    if isinstance(value, bool):
        return message("type_boolean")
    if isinstance(value, int):
        return message("type_integer")
    if isinstance(value, float):
        return message("type_float")
    if isinstance(value, list):
        return message("type_sequence")
    if isinstance(value, dict):
        return message("type_mapping")
    return message("verbatim", text=type(value).__name__)
