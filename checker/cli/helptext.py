"""`--help` in the command's language. Click writes a command's help from its docstring and its
options' `help=` texts, in English; in Chinese the same layout is written from the table in
`checker.base.i18n_help` (keyed by the command's path and the option's name), with Chinese
headings, and wrapped by display width (a CJK character takes two columns, and a line may break
between any two of them, which click's word wrapping cannot do).

The language is the one the command line gives (`--lang`, wherever it stands: `--help` is read
before any other option), else the configuration's `lang`, else English (`checker.cli.usage`)."""

from __future__ import annotations

import inspect
import unicodedata
from collections.abc import Iterator, Sequence
from typing import Any

import click

from checker.base.i18n_help import HELP, HELP_DEFAULTS, HELP_WORDS

# The command line's arguments, kept in the root context's meta (for a usage error's language
# and for --help's).
ARGS_KEY = "cgt-check.args"
_ROOT = "cgt-check"
# Characters a line must not start with (they close what comes before them), and must not end
# with (they open what follows).
_CLOSING = frozenset("，。、；：？！）》」』】〕］,.;:?!)]}%")
_OPENING = frozenset("（《「『【〔［([{")


def command_key(ctx: click.Context) -> str:
    """The table's key of a context's command: its path without the program's name."""
    path = ctx.command_path.split()[1:]
    return " ".join(path) or _ROOT


def help_lang(ctx: click.Context) -> str:
    from checker.cli.usage import lang_from_args

    root = ctx.find_root()
    return lang_from_args(root.meta.get(ARGS_KEY, ()))


def width_of(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _tokens(text: str) -> Iterator[str]:
    """Words and spaces, each wide character a token of its own."""
    word = ""
    for ch in text:
        if ch == " " or unicodedata.east_asian_width(ch) in "WF":
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word


def wrap(text: str, width: int) -> list[str]:
    """One paragraph's lines of at most `width` columns (a single longer word stays whole). A
    closing mark that does not fit takes the token before it to the next line, and an opening
    bracket at a line's end goes with what it opens."""
    lines: list[str] = []
    line: list[str] = []
    for token in _tokens(" ".join(text.split())):
        if token == " " and not line:
            continue
        if not line or width_of("".join(line)) + width_of(token) <= width:
            line.append(token)
            continue
        carried: list[str] = [] if token == " " else [token]
        while len(line) > 1 and carried and carried[0][0] in _CLOSING:
            carried.insert(0, line.pop())  # push out what the closing mark follows
        while len(line) > 1 and line[-1][-1] in _OPENING:
            carried.insert(0, line.pop())
        while line and line[-1] == " ":
            line.pop()
        while len(carried) > 1 and carried[0] == " ":
            carried.pop(0)
        lines.append("".join(line))
        line = carried
    if "".join(line).strip():
        lines.append("".join(line).rstrip())
    return lines


def _paragraphs(text: str) -> Iterator[tuple[bool, list[str]]]:
    """(kept as written, lines) for each paragraph; `\\b` alone on a line keeps the next one."""
    block: list[str] = []
    for raw in [*text.splitlines(), ""]:
        if raw.strip():
            block.append(raw)
            continue
        if block:
            keep = block[0].strip() == "\b"
            yield keep, block[1:] if keep else block
            block = []


def write_text(formatter: click.HelpFormatter, text: str) -> None:
    """A help text at the formatter's indentation, wrapped by display width."""
    indent = " " * formatter.current_indent
    width = max(formatter.width - formatter.current_indent, 20)
    first = True
    for keep, lines in _paragraphs(text):
        if not first:
            formatter.write("\n")
        first = False
        out = lines if keep else wrap(" ".join(line.strip() for line in lines), width)
        for line in out:
            formatter.write(f"{indent}{line}\n")


def write_rows(formatter: click.HelpFormatter, rows: Sequence[tuple[str, str]], col_max: int = 30) -> None:
    """Two columns, as click's definition lists: the terms, then their wrapped texts."""
    indent = " " * formatter.current_indent
    first_width = min(max((width_of(term) for term, _ in rows), default=0), col_max)
    text_width = max(formatter.width - formatter.current_indent - first_width - 2, 20)
    for term, said in rows:
        lines = wrap(said, text_width) if said else []
        if width_of(term) <= first_width:
            pad = " " * (first_width - width_of(term) + 2)
            formatter.write(f"{indent}{term}{pad}{lines[0] if lines else ''}".rstrip() + "\n")
            lines = lines[1:]
        else:
            formatter.write(f"{indent}{term}\n")
        for line in lines:
            formatter.write(f"{indent}{' ' * (first_width + 2)}{line}\n")


def _heading(formatter: click.HelpFormatter, name: str) -> None:
    formatter.write_paragraph()
    formatter.write(f"{' ' * formatter.current_indent}{HELP_WORDS[name]}\n")


def _extras(said: str, english: str) -> str:
    """Click's bracketed extras after an option's help (default, required, env var), in Chinese."""
    tail = said[len(english) :] if said.startswith(english) else ""
    tail = tail.strip()
    if not (tail.startswith("[") and tail.endswith("]")):
        return ""
    parts = []
    for part in tail[1:-1].split("; "):
        for english_word, key in (("default: ", "default"), ("env var: ", "env_var")):
            if part.startswith(english_word):
                part = HELP_WORDS[key] + part[len(english_word) :]
        if part == "required":
            part = HELP_WORDS["required"]
        for english_value, zh_value in HELP_DEFAULTS.items():
            part = part.replace(english_value, zh_value)
        parts.append(part)
    return f"［{'；'.join(parts)}］"


def option_rows(command: click.Command, ctx: click.Context) -> list[tuple[str, str]]:
    rows = []
    key = command_key(ctx)
    for param in command.get_params(ctx):
        record = param.get_help_record(ctx) if isinstance(param, click.Option) else None
        if record is None:
            continue
        term, said = record
        name = param.name or ""
        english = getattr(param, "help", None) or ""
        is_help = param is command.get_help_option(ctx)
        zh = HELP.get("help" if is_help else f"{key}:{name}", english)
        extra = _extras(said, english)
        rows.append((term, f"{zh}{'' if zh[-1:] in _CLOSING else ' '}{extra}" if extra else zh))
    return rows


def _show_help(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """--help: the help on standard output, whatever its encoding can write (click's own echo
    fails on a character the console's encoding lacks)."""
    from checker.cli.console import show

    if not value or ctx.resilient_parsing:
        return
    show(ctx.get_help() + "\n")
    ctx.exit()


class Localized(click.Command):
    """A command whose --help is in the command's language."""

    def get_help_option(self, ctx: click.Context) -> click.Option | None:
        option = super().get_help_option(ctx)
        if option is not None:
            option.callback = _show_help
        return option

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if help_lang(ctx) != "zh":
            super().format_help(ctx, formatter)
            return
        pieces = self.collect_usage_pieces(ctx)
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=HELP_WORDS["usage"])
        text = HELP.get(command_key(ctx))
        if text is None and self.help:
            text = inspect.cleandoc(self.help).partition("\f")[0]
        if text:
            formatter.write_paragraph()
            with formatter.indentation():
                write_text(formatter, text)
        rows = option_rows(self, ctx)
        if rows:
            _heading(formatter, "options")
            with formatter.indentation():
                write_rows(formatter, rows)
        self.format_zh_commands(ctx, formatter)

    def format_zh_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """A group lists its commands here."""


def short_help(ctx: click.Context, name: str, command: click.Command) -> str:
    """A command's one-line summary in Chinese: the first sentence of its help."""
    key = f"{command_key(ctx)} {name}".removeprefix(f"{_ROOT} ")
    text = HELP.get(key)
    if text is None:
        return command.get_short_help_str()
    first = " ".join(line.strip() for line in text.splitlines() if line.strip() != "\b")
    end = first.find("。")
    return first[: end + 1] if end >= 0 else first


class LocalizedGroup(Localized, click.Group):
    """A group whose --help, and its commands' list, are in the command's language; so are its
    commands' (`@group.command`)."""

    command_class = Localized

    def format_zh_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        rows = []
        for name in self.list_commands(ctx):
            command = self.get_command(ctx, name)
            if command is not None and not command.hidden:
                rows.append((name, short_help(ctx, name, command)))
        if rows:
            _heading(formatter, "commands")
            with formatter.indentation():
                write_rows(formatter, rows)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        # Kept before any option is read: the group's own --help reads it.
        ctx.meta.setdefault(ARGS_KEY, list(args))
        return super().parse_args(ctx, args)


def command(**kwargs: Any) -> Any:
    """click.command with --help in the command's language."""
    return click.command(cls=Localized, **kwargs)


def group(**kwargs: Any) -> Any:
    """click.group with --help in the command's language."""
    return click.group(cls=LocalizedGroup, **kwargs)


__all__ = ["ARGS_KEY", "Localized", "LocalizedGroup", "command", "group", "help_lang", "wrap"]
