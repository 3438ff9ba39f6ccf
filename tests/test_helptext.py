"""--help in the command's language (checker.cli.helptext): with `--lang zh` (anywhere on the
command line) or a configuration's `lang: zh`, every command's help, option texts and headings
are Chinese, wrapped by display width; in English they are click's own."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from checker.base.i18n_help import HELP
from checker.base.textutil import has_cjk
from checker.cli.app import main
from checker.cli.helptext import width_of, wrap
from tests.fixtures import cli


def _commands(
    command: click.Command = main, path: tuple[str, ...] = ()
) -> Iterator[tuple[str, click.Command]]:
    yield " ".join(path) or "cgt-check", command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, (*path, name))


def _english() -> dict[str, str]:
    """Every help text the commands have, keyed as the Chinese table is."""
    out: dict[str, str] = {}
    for key, command in _commands():
        if command.help:
            out[key] = command.help
        ctx = click.Context(command, info_name=key)
        for param in command.get_params(ctx):
            if isinstance(param, click.Option) and param.help:
                name = "help" if param is command.get_help_option(ctx) else f"{key}:{param.name}"
                out[name] = param.help
    return out


def test_every_help_text_has_its_chinese_and_no_other_is_kept() -> None:
    english = _english()
    assert sorted(english) == sorted(HELP)
    for key, zh in HELP.items():
        assert has_cjk(zh), key


@pytest.mark.parametrize("key", sorted(HELP))
def test_the_chinese_keeps_the_options_and_commands_the_english_names(key: str) -> None:
    english = _english()[key]
    for token in sorted(set(re.findall(r"(?<![\w-])--?[a-z][a-z0-9-]*", english))):
        assert token in HELP[key], (key, token)
    for line in english.splitlines():
        if line.strip().startswith("cgt-check "):  # an example command line, as written
            assert line.strip() in HELP[key], (key, line)


def _width_ok(text: str) -> None:
    for line in text.splitlines():
        if not line.strip().startswith(("cgt-check ", "-", "用法")):  # examples and option terms
            assert width_of(line) <= 100, line


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--help", "--lang", "zh"],
        ["check", "--lang=zh", "-h"],
        ["init", "--lang", "zh", "--help"],
        ["rules", "list", "--help", "--lang", "zh"],
        ["baseline", "create", "--help", "--lang", "zh"],
        ["migrate", "--help", "--lang", "zh"],
    ],
)
def test_help_with_lang_zh_is_chinese(args: list[str]) -> None:
    run = cli(*args)
    assert run.returncode == 0 and run.stderr == "", run.stderr
    out = run.stdout
    assert out.startswith("用法：cgt-check ")
    assert "选项：" in out and "Options:" not in out and "Usage:" not in out
    assert "显示此帮助信息并退出。" in out and "Show this message" not in out
    command = main.commands[args[0]]
    if isinstance(command, click.Group):
        command = command.commands[args[1]]
    ctx = click.Context(command)
    for param in command.get_params(ctx):
        if isinstance(param, click.Option) and not param.hidden:
            assert max(param.opts, key=len) in out, param.opts
    _width_ok(out)


def test_defaults_and_choices_are_said_in_chinese() -> None:
    out = cli("check", "--help", "--lang", "zh").stdout
    assert "［默认：error］" in out and "[default: error]" not in out
    assert "[text|json|sarif|junit|github|markdown|html|xlsx]" in out  # the values as typed


def test_the_program_and_group_help_follow_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\n", "utf-8")
    out = cli("--help", cwd=tmp_path).stdout
    assert out.startswith("用法：cgt-check ") and "命令：" in out and "退出码：" in out
    assert re.search(r"^  check +检查申报资料文件", out, re.M), out
    rules = cli("rules", "--help", cwd=tmp_path).stdout
    assert "命令：" in rules and "说明规则清单。" in rules
    _width_ok(out)


def test_english_help_is_clicks_own() -> None:
    out = cli("check", "--help").stdout
    assert out.startswith("Usage: cgt-check check [OPTIONS] PATH...")
    assert "Options:" in out and "[default: error]" in out and not has_cjk(out.replace("--lang zh", ""))


def test_a_usage_error_after_help_is_still_a_usage_error() -> None:
    run = cli("check", "--lang", "zh", "--bogus")
    assert run.returncode == 2 and "错误: 没有选项 '--bogus'" in run.stderr


def test_chinese_wraps_between_characters_within_the_width() -> None:
    text = "将报告写入 FILE（以原子方式写入），而不是标准输出；每个 --format 对应一个，顺序相同。" * 3
    lines = wrap(text, 30)
    assert len(lines) > 3 and all(width_of(line) <= 30 for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert not any(line[0] in "，。；）" for line in lines)
    assert not any(line[-1] in "（" for line in lines)


def test_a_word_longer_than_the_line_stays_whole() -> None:
    long = "schemas/report.schema.json" * 2
    assert wrap(f"见 {long} 文件", 20) == ["见", long, "文件"]


@pytest.mark.parametrize("encoding", ["cp1252", "ascii", "gbk"])
def test_help_never_fails_on_the_consoles_encoding(encoding: str) -> None:
    """Chinese help redirected under a console encoding that lacks its characters: what the
    encoding cannot write is escaped, exit 0, no traceback (GBK writes it all)."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "PYTHONIOENCODING": encoding}
    run = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--help", "--lang", "zh"],
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0 and b"Traceback" not in run.stderr, run.stderr[-2000:]
    out = run.stdout.decode(encoding)
    assert "--format" in out
    assert ("用法：" in out) == (encoding == "gbk")
    if encoding != "gbk":
        assert "\\u7528\\u6cd5" in out  # 用法, escaped


def test_a_group_given_no_command_shows_its_help_in_chinese(tmp_path: Path) -> None:
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\n", "utf-8")
    run = cli("rules", cwd=tmp_path)
    assert run.returncode == 2 and run.stderr.startswith("用法：cgt-check rules ")
    assert "错误" not in run.stderr and "说明规则清单。" in run.stderr


@pytest.mark.parametrize("width", [30, 44, 60, 78, 98])
def test_every_chinese_help_text_wraps_within_the_width(width: int) -> None:
    from checker.cli.helptext import _paragraphs

    for key, text in HELP.items():
        for kept, lines in _paragraphs(text):
            if kept:
                continue
            for line in wrap(" ".join(lines), width):
                longest_word = max((width_of(w) for w in line.split()), default=0)
                assert width_of(line) <= max(width, longest_word), (key, width, line)


def test_a_default_in_words_is_in_chinese() -> None:
    out = cli("check", "--help", "--lang", "zh").stdout
    assert "（0：每个 CPU 核心一个进程）" in out and "one per core" not in out
