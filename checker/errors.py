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
    close = difflib.get_close_matches(name, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def path_label(path: NodePath) -> str:
    """('indications', 0, 'name') -> 'indications[0].name'."""
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file (a dossier or a rule file)."""

    file: str
    line: int
    column: int
    message: str
    path: str = ""

    def render(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        at = f" at {self.path}" if self.path else ""
        return f"{where}: error{at}: {self.message}"


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
