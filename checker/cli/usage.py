"""Click's own usage errors (an unknown option, a value not among the choices, a missing argument)
in the command's language. Click writes them in English; in Chinese each is recognised by click's
template (`checker.base.i18n_usage`, whose English texts are click's) and written from the same
parts, the options, values and file names as given. A message no template matches is written as
click wrote it, inside the Chinese frame.

The language is the one the command line gives (`--lang`, wherever click had got to), else the
configuration's `lang`, else English: a usage error can come before the options are read."""

from __future__ import annotations

import re
import string
from collections.abc import Sequence
from functools import cache

import click

from checker.base import i18n
from checker.base.errors import CheckerError
from checker.base.i18n_usage import USAGE
from checker.base.literals import LANGS
from checker.cli.console import say
from checker.cli.options import LANG_KEY

# A group given no command shows its help as this error (click 8.2 and later).
_NO_ARGS_IS_HELP: tuple[type[BaseException], ...] = tuple(
    t for t in (getattr(click.exceptions, "NoArgsIsHelpError", None),) if isinstance(t, type)
)
# The fields of click's templates that are click messages of their own, translated in turn.
_NESTED = frozenset({"message"})


@cache
def _templates() -> tuple[tuple[re.Pattern[str], str], ...]:
    """Each key's English template as a pattern of its parts, in the table's order."""
    found = []
    for key in USAGE:
        pattern = []
        for literal, name, _, _ in string.Formatter().parse(USAGE[key][0]):
            pattern.append(re.escape(literal))
            if name:
                pattern.append(f"(?P<{name}>.+?)")
        found.append((re.compile("".join(pattern), re.DOTALL), key))
    return tuple(found)


def translate(said: str, lang: str) -> str:
    """What click said, in `lang`: the template it matches written in that language."""
    if lang != "zh":
        return said
    for pattern, key in _templates():
        if key in {"click_usage", "click_try_help", "click_error"}:
            continue
        match = pattern.fullmatch(said)
        if match:
            parts = {
                name: translate(value, lang) if name in _NESTED else value
                for name, value in match.groupdict().items()
            }
            return i18n.text(key, lang, **parts)
    return said


def _given(args: Sequence[str], option: str) -> str | None:
    """The last value of `option` among the arguments (`--lang zh` or `--lang=zh`), before `--`."""
    value = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg == option and i + 1 < len(args):
            value = args[i + 1]
        elif arg.startswith(option + "="):
            value = arg[len(option) + 1 :]
    return value


def usage_lang(exc: click.ClickException, args: Sequence[str]) -> str:
    """The language to say a usage error in: as click had read it, else as given, else the
    configuration's, else English."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None and LANG_KEY in ctx.meta:
        return str(ctx.meta[LANG_KEY])
    return lang_from_args(args)


def lang_from_args(args: Sequence[str]) -> str:
    """The language the arguments give (`--lang`), else the configuration's, else English."""
    given = _given(args, "--lang")
    if given is not None:
        return given if given in LANGS else "en"
    from checker.run.settings import find_config, resolve

    try:
        return resolve({}, find_config(_given(args, "--config"), "--no-config" in args)).lang
    except CheckerError:
        return "en"  # the configuration's own errors are said when a command reads it


def show(exc: click.ClickException, lang: str) -> None:
    """The usage error on standard error, as click shows it, in `lang`."""
    if lang != "zh":
        exc.show()
        return
    if isinstance(exc, _NO_ARGS_IS_HELP):  # a group run with nothing: its help, in `lang`
        say(exc.format_message())
        return
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        usage = ctx.get_usage()
        say(
            i18n.text("click_usage", lang, usage=usage.partition(" ")[2])
            if usage.startswith("Usage:")
            else usage
        )
        names = ctx.command.get_help_option_names(ctx)
        if ctx.command.get_help_option(ctx) is not None and names:
            say(i18n.text("click_try_help", lang, command=ctx.command_path, option=max(names, key=len)))
        say("")
    say(i18n.text("click_error", lang, message=translate(exc.format_message(), lang)))


__all__ = ["lang_from_args", "show", "translate", "usage_lang"]
