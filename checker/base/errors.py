"""The one exception root of cgt-checker and the one place that maps errors to exit codes."""

from __future__ import annotations

import difflib
import errno
import reprlib
from collections.abc import Iterable
from dataclasses import dataclass

from checker.base import i18n
from checker.base.i18n import Message, message, verbatim

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2
EXIT_INTERRUPTED = 130
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE: the reader of standard output went away, as for other tools
# A run stopped by SIGTERM or SIGHUP exits 128 + the signal's number (143, 129), as the shell
# reports a process the signal ended.
EXIT_SIGNAL_BASE = 128

# Where something is in a YAML document: mapping keys and list indices from the root.
NodePath = tuple[str | int, ...]


def suggestion(name: str, options: Iterable[str]) -> Message | str:
    """' (did you mean 'x'?)' for the closest option, or ''."""
    if len(name) > 100:  # no typo is that long, and difflib's work grows with the length
        return ""
    close = difflib.get_close_matches(name, list(options), n=1)
    return message("did_you_mean", name=close[0]) if close else ""


_OS_REASONS = {
    errno.ENOENT: "os_no_such_file",
    errno.EACCES: "os_permission_denied",
    errno.EPERM: "os_permission_denied",
    errno.EISDIR: "os_is_a_directory",
    errno.ENOTDIR: "os_not_a_directory",
    errno.ELOOP: "os_link_loop",
    errno.ENAMETOOLONG: "os_name_too_long",
    errno.ENOSPC: "os_no_space",
    errno.EROFS: "os_read_only",
    errno.EMFILE: "os_too_many_open",
    errno.ENFILE: "os_too_many_open",
    errno.EBUSY: "os_busy",
    errno.EEXIST: "os_exists",
    errno.EXDEV: "os_cross_device",
    errno.EPIPE: "os_broken_pipe",
    errno.EIO: "os_io_error",
    errno.EINVAL: "os_invalid_argument",
}


def os_reason(exc: Exception) -> Message:
    """Why the operating system refused a file, in either language (its own words when the
    reason is not a common one)."""
    number = exc.errno if isinstance(exc, OSError) else None
    key = _OS_REASONS.get(number) if number is not None else None
    if key is not None:
        return message(key)
    if isinstance(exc, OSError):
        return verbatim(exc.strerror or exc.__class__.__name__)
    return verbatim(str(exc) or exc.__class__.__name__)


def short(text: str, limit: int = 60) -> str:
    """Text from an input file inside a message: at most ``limit`` characters."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxdict = 4


def int_text(value: int) -> str:
    """An integer as text, in bounded work: one too large for Python's decimal conversion (a
    hexadecimal or octal literal of thousands of digits) is shown by its first hexadecimal digits."""
    if value.bit_length() <= 1000:
        return str(value)
    text = hex(value)
    return text[:40] + "..."


def shown(value: object) -> str:
    """A value from an input file inside a message, as its author wrote it ('yes', 12, true,
    null), in bounded work and length whatever its size."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return short(int_text(value))
    text = _REPR.repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def one_line(text: str, limit: int = 1000) -> str:
    """A message on one line of bounded length: line breaks and control characters escaped."""
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() else ch.encode("unicode_escape").decode("ascii") for ch in text)


def path_label(path: NodePath) -> str:
    """('indications', 0, 'name') -> 'indications[0].name'."""
    return ".".join(short(p) if isinstance(p, str) else f"[{short(int_text(p))}]" for p in path).replace(
        ".[", "["
    )


class Invalid(ValueError):
    """A value a validator refuses, with what to say about it: pydantic reports it as a
    `value_error` carrying this exception, and the problem says its message."""

    def __init__(self, said: Message) -> None:
        super().__init__(said.text())
        self.said = said


@dataclass(frozen=True)
class Problem:
    """One located problem in an input file (a dossier, a rule file, a configuration, ...): where
    it is, and what is wrong as a message written in the report's language."""

    file: str
    line: int
    column: int
    said: Message
    path: str = ""

    @property
    def message(self) -> str:
        """What is wrong, in English."""
        return self.said.text()

    def text(self, lang: str = "en") -> str:
        """What is wrong, in `lang`."""
        return self.said.text(lang)

    def render(self, lang: str = "en") -> str:
        """`file:line:column: error at path: message` on one line, in `lang` (English by default)."""
        where = f"{one_line(self.file, 300)}:{self.line}:{self.column}"
        said = one_line(self.text(lang))
        if self.path:
            return i18n.text("problem_at", lang, where=where, path=one_line(self.path, 300), message=said)
        return i18n.text("problem", lang, where=where, message=said)


class CheckerError(Exception):
    """Root of every error cgt-checker raises on purpose. Its message is English text or a
    Message (written in the language of the command that prints it); `message` is its English."""

    exit_code = EXIT_ERROR

    def __init__(self, said: str | Message, problems: list[Problem] | None = None) -> None:
        self.said = said if isinstance(said, Message) else verbatim(said)
        self.message = self.said.text()
        super().__init__(self.message)
        self.problems: list[Problem] = list(problems or [])

    def lines(self, lang: str = "en") -> list[str]:
        """What the user is told, one line per problem, in `lang`."""
        if self.problems:
            return [p.render(lang) for p in self.problems]
        return [i18n.text("error_line", lang, message=one_line(self.said.text(lang)))]


class OutputError(CheckerError):
    """Standard output cannot be written (a full disk, an I/O error): one line, exit 2."""


class ClosedOutput(CheckerError):
    """The reader of standard output closed it (`| head -1`): nothing more to say, exit 141."""

    exit_code = EXIT_BROKEN_PIPE

    def lines(self, lang: str = "en") -> list[str]:
        return []


class InputError(CheckerError):
    """A file cannot be read as a dossier: broken YAML, wrong types, unknown keys."""


class RuleError(CheckerError):
    """A rule file is broken or a rule cannot be compiled for the engine."""


class EngineError(CheckerError):
    """The rule engine is unavailable or refused something the adapter gave it."""


class TooManyFirings(EngineError):
    """A ruleset fired more than the adapter reads on one dossier; `rule` is the engine rule that
    fired most, named by the run with its source rule and where it is defined."""

    def __init__(self, said: str | Message, rule: str) -> None:
        super().__init__(said)
        self.rule = rule


class UsageError(CheckerError):
    """The command line asks for something that cannot be done."""


class Terminated(BaseException):
    """The run was asked to stop by a signal (SIGTERM, SIGHUP): raised where the run is, so that
    its worker processes are stopped on the way out; the command exits EXIT_SIGNAL_BASE + signum.
    Not a CheckerError (nothing is wrong with an input), like KeyboardInterrupt."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return EXIT_SIGNAL_BASE + self.signum
