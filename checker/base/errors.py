"""The one exception root of cgt-checker and the one place that maps errors to exit codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130

# Where something is in a YAML document: mapping keys and list indices from the root.
NodePath = tuple[str | int, ...]


def did_you_mean(name: str, options: Iterable[str]) -> str:
    """' (did you mean 'x'?)' for the closest option, or ''."""
    if len(name) > 100:  # no typo is that long, and difflib's work grows with the length
        return ""
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def short(text: str, limit: int = 60) -> str:
    """Text from an input file inside a message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def one_line(text: str, limit: int = 1000) -> str:
    """A message on one line of bounded length: line breaks and control characters escaped."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def path_label(path: NodePath) -> str:
    """('indications', 0, 'name') -> 'indications[0].name'."""
    return ".".join(short(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file (a dossier or a rule file)."""

    file: str
    line: int
    column: int
    message: str
    path: str = ""

    def render(self) -> str:
        where = f"{one_line(self.file, 300)}:{self.line}:{self.column}"
        at = f" at {one_line(self.path, 300)}" if self.path else ""
        return f"{where}: error{at}: {one_line(self.message)}"


class CheckerError(Exception):
    """Root of every error cgt-checker raises on purpose."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.problems: list[Problem] = list(problems or [])

    def lines(self) -> list[str]:
        """What the user is told, one line per problem."""
        if self.problems:
            return [p.render() for p in self.problems]
        return [f"error: {self.message}"]


class InputError(CheckerError):
    """A file cannot be read as a dossier: broken YAML, wrong types, unknown keys."""


class RuleError(CheckerError):
    """A rule file is broken or a rule cannot be compiled for the engine."""


class EngineError(CheckerError):
    """The rule engine is unavailable or refused something the adapter gave it."""


class UsageError(CheckerError):
    """The command line asks for something that cannot be done."""
