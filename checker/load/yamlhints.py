"""YAML syntax errors as a person can act on them: where the cause is, not only where the parser
stopped, and what to change (look-alike spaces used as indentation, tabs, unquoted ': ')."""

from __future__ import annotations

import re

import yaml

from checker.load.located import START, Mark, one_line
from checker.load.text import LINE_BREAK, position
from checker.load.yamlbuild import mark_of


def _within(mark: Mark, text: str) -> Mark:
    """A parser mark inside the text: at the end of a file without a final line break, libyaml
    reports the start of a line that does not exist; that is the end of the last line."""
    lines = LINE_BREAK.split(text)
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


def syntax_problem(exc: yaml.YAMLError, text: str) -> tuple[Mark, str]:
    """Where a parser's error is in ``text``, and the message that says what to do about it."""
    if isinstance(exc, yaml.MarkedYAMLError):
        yaml_mark = exc.problem_mark or exc.context_mark
        mark = _within(mark_of(yaml_mark), text)
        odd = _odd_indent_near(text, mark.line)
        if odd is not None:  # the likely cause, where it is rather than where the parser stopped
            return odd
        message = f"YAML syntax error: {one_line(exc.problem or exc.context or 'invalid YAML')}"
        if exc.context and exc.problem:
            context = one_line(exc.context)
            if exc.context_mark is not None and mark_of(exc.context_mark) != mark:
                context_at = mark_of(exc.context_mark)
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
        return position(prefix, len(prefix)), f"YAML error: {one_line(exc.reason)}"
    return START, f"YAML error: {one_line(str(exc))}"
