"""What the readers of input files give, and how they fail: plain data with the position of
every node, and one located problem when a file cannot be read."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

from checker.base.errors import InputError, NodePath, Problem

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


class Failure(Exception):
    """A located problem found while reading a file; the reader turns it into an InputError."""

    def __init__(self, mark: Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


def input_error(filename: str, mark: Mark, message: str) -> InputError:
    """The error for one located problem of a file."""
    problem = Problem(filename, mark.line, mark.column, message)
    return InputError(f"{filename}:{mark.line}:{mark.column}: {message}", problems=[problem])


def one_line(text: str) -> str:
    """Text with its runs of white space (line breaks included) as single spaces."""
    return " ".join(str(text).split())


def first_definition(first_seen: dict[str, Mark], key: str, key_mark: Mark) -> None:
    """Record where a mapping key is defined; a key defined twice is an error (YAML forbids it,
    and PyYAML would silently keep the last value)."""
    first = first_seen.get(key)
    if first is not None:
        raise Failure(key_mark, f"duplicate key '{short(key)}' (first defined at line {first.line})")
    first_seen[key] = key_mark


def short(value: str, limit: int = 40) -> str:
    """Text from the input inside a reader's message: at most ``limit`` characters."""
    return value if len(value) <= limit else value[: limit - 3] + "..."


def type_name(value: Any) -> str:
    """What a value is called in YAML (and JSON) terms."""
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
