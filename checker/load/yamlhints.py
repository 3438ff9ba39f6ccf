"""YAML syntax errors as a person can act on them: where the cause is, not only where the parser
stopped, and what to change (look-alike spaces used as indentation, full-width punctuation typed
for YAML's own, a quote or a bracket left open, a backslash in double quotes, tabs, an unquoted
': '). The parser's own words are kept in English and translated where the table has them."""

from __future__ import annotations

import re
from typing import Any

import yaml

from checker.base import i18n
from checker.base.i18n import Message, message, verbatim
from checker.load.fullwidth import ODD_SPACES, on_line, space_name
from checker.load.located import START, Mark, one_line
from checker.load.text import LINE_BREAK, position
from checker.load.yamlbuild import mark_of

# The parser's phrases the table translates: its English text -> its key.
_PHRASES = {i18n.text(key, "en"): key for key in i18n.TABLE if key.startswith("parser_")}

_ODD_INDENT = re.compile(f"[ \t]*([{ODD_SPACES}])")
_ODD_INDENT_REACH = 3  # lines before a syntax error where its cause is looked for
_QUOTED = "while scanning a quoted scalar"
_UNCLOSED = ("found unexpected end of stream", "found unexpected document indicator")
_FLOWS = {"while parsing a flow sequence": ("[", "]"), "while parsing a flow mapping": ("{", "}")}
_ESCAPES = (  # libyaml's words, then PyYAML's (which go on with the character found)
    "found unknown escape character",
    "did not find expected hexdecimal number",
    "found invalid Unicode character escape code",
    "expected escape sequence of",
)
_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _said(phrase: str) -> Message:
    """One of the parser's phrases, translated where the table has it."""
    words = one_line(phrase)
    key = _PHRASES.get(words)
    return message(key) if key is not None else verbatim(words)


def _syntax(detail: Message) -> Message:
    return message("yaml_syntax", detail=detail)


def _within(mark: Mark, lines: list[str]) -> Mark:
    """A parser mark inside the text: at the end of a file without a final line break, libyaml
    reports the start of a line that does not exist; that is the end of the last line."""
    if mark.line <= len(lines):
        return mark
    return Mark(len(lines), len(lines[-1]) + 1)


def _odd_indent_near(lines: list[str], line: int) -> tuple[Mark, Message] | None:
    """A line at most _ODD_INDENT_REACH lines before `line` (or on it) that starts with a
    look-alike space: the cause of a syntax error the parser found there. Text further away may
    start with such a space legitimately (a Chinese paragraph indented with U+3000)."""
    for n in range(line, max(0, line - _ODD_INDENT_REACH) - 1, -1):
        if 0 < n <= len(lines):
            odd = _ODD_INDENT.match(lines[n - 1])
            if odd is not None:
                said = message("odd_indent", line=n, what=space_name(odd[1]))
                return Mark(n, odd.start(1) + 1), _syntax(said)
    return None


def _content_before(lines: list[str], line: int) -> int:
    """The nearest line before `line` that has content (not blank, not only a comment), or 0."""
    for n in range(line - 1, max(0, line - _ODD_INDENT_REACH - 1), -1):
        if 0 < n <= len(lines) and lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#"):
            return n
    return 0


def _full_width_near(lines: list[str], numbers: list[int]) -> tuple[Mark, Message] | None:
    """Full-width punctuation typed for YAML's structure on one of the lines `numbers`."""
    for n in numbers:
        if 0 < n <= len(lines):
            found = on_line(lines[n - 1])
            if found is not None:
                return Mark(n, found[0] + 1), _syntax(found[1])
    return None


def _quote_not_closed(lines: list[str], start: Mark) -> Message:
    """A quoted value that opens at `start` and never closes; a full-width closing quote on its
    line is the likely cause."""
    line = lines[start.line - 1] if start.line <= len(lines) else ""
    opening = line[start.column - 1 : start.column] or '"'
    rest = line[start.column :]
    for char in "”’":
        if char in rest:
            return message("quote_closed_full_width", quote=opening, char=char)
    return message("quote_not_closed", quote=opening)


def _quote_run(text: str, mark: Mark) -> tuple[Mark, Message] | None:
    """A quoted value over several lines that ends on the line where the parser failed: a quote
    left open, closed only by the next quote in the file."""
    last: Any = None
    try:
        for token in yaml.scan(text, Loader=_LOADER):
            start = token.start_mark
            if (start.line + 1, start.column + 1) >= mark:
                break
            if isinstance(token, yaml.ScalarToken) and token.style in ('"', "'"):
                last = token if token.end_mark.line > start.line else None
    except yaml.YAMLError:
        pass
    if last is None or last.end_mark.line + 1 != mark.line:
        return None
    end = mark_of(last.end_mark)
    said = message("quote_runs_on", quote=last.style, line=end.line, column=end.column - 1)
    return mark_of(last.start_mark), _syntax(said)


def _cause(exc: yaml.MarkedYAMLError, text: str, lines: list[str], mark: Mark) -> tuple[Mark, Message] | None:
    """Where the cause of a syntax error is and what it is, when it is not where the parser stopped."""
    odd = _odd_indent_near(lines, mark.line)
    if odd is not None:
        return odd
    context = one_line(exc.context or "")
    problem = one_line(exc.problem or "")
    opened = mark_of(exc.context_mark) if exc.context_mark is not None else None
    if context == _QUOTED and problem in _UNCLOSED and opened is not None:
        return opened, _syntax(_quote_not_closed(lines, opened))
    numbers = [mark.line, _content_before(lines, mark.line)] + ([opened.line] if opened is not None else [])
    full_width = _full_width_near(lines, list(dict.fromkeys(numbers)))
    if full_width is not None:
        return full_width
    at_end = text[exc.problem_mark.index :].strip() == "" if exc.problem_mark is not None else False
    if context in _FLOWS and at_end and opened is not None:
        opener, closer = _FLOWS[context]
        return opened, _syntax(message("flow_not_closed", opener=opener, closer=closer))
    index = getattr(exc.problem_mark, "index", None)
    if problem.startswith(_ESCAPES) and isinstance(
        index, int
    ):  # a Windows path in double quotes: where its '\\' is
        backslash = text.rfind("\\", 0, index + 1)
        if backslash >= 0:
            escape = text[backslash : backslash + 2]
            return position(text, backslash), _syntax(message("unknown_escape", escape=escape))
    return _quote_run(text, mark)


def syntax_problem(exc: yaml.YAMLError, text: str) -> tuple[Mark, Message]:
    """Where a parser's error is in ``text``, and the message that says what to do about it."""
    if isinstance(exc, yaml.MarkedYAMLError):
        lines = LINE_BREAK.split(text)
        yaml_mark = exc.problem_mark or exc.context_mark
        mark = _within(mark_of(yaml_mark), lines)
        cause = _cause(exc, text, lines, mark)
        if cause is not None:  # the likely cause, where it is rather than where the parser stopped
            return cause
        said = message("yaml_syntax", detail=_said(exc.problem or exc.context or "invalid YAML"))
        if exc.context and exc.problem:
            context: Message = _said(exc.context)
            if exc.context_mark is not None and mark_of(exc.context_mark) != mark:
                at = mark_of(exc.context_mark)
                context = message("yaml_context_at", context=context, line=at.line, column=at.column)
            said = message("yaml_syntax_context", problem=_said(exc.problem), context=context)
        index = getattr(yaml_mark, "index", None)
        if isinstance(index, int) and 0 <= index < len(text) and text[index] == "\t":
            said = message("yaml_tab", message=said)
        elif exc.problem and "mapping values are not allowed" in exc.problem:
            said = message("yaml_colon_in_value", message=said)
        return mark, said
    if isinstance(exc, yaml.reader.ReaderError):
        # Not expected (characters are checked before parsing); libyaml reports a byte offset.
        prefix = text.encode("utf-8")[: exc.position].decode("utf-8", errors="replace")
        return position(prefix, len(prefix)), message("yaml_error", detail=verbatim(one_line(exc.reason)))
    return START, message("yaml_error", detail=verbatim(one_line(str(exc))))
