"""Click's own usage errors in the command's language (checker.cli.usage): with `--lang zh`, or a
configuration's `lang: zh`, every line of an unknown option, a bad value or a missing argument is
Chinese, with the options and values as given; in English they are click's own words."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.base.i18n_usage import USAGE
from checker.base.textutil import has_cjk
from checker.cli.usage import translate
from tests.fixtures import cli

ROOT = Path(__file__).resolve().parents[1]


_cli = cli


# (the command line, the error line in Chinese, the same in English as click writes it)
CASES = [
    (
        ["check", "--lang", "zh", "--fail-on", "bogus", "x.yaml"],
        "错误: '--fail-on' 的值无效：'bogus' 不是可选的值 'error', 'warning', 'info', 'never' 之一。",
        "Error: Invalid value for '--fail-on': 'bogus' is not one of 'error', 'warning', 'info', 'never'.",
    ),
    (
        ["check", "--lang", "zh", "--jbos", "2", "x.yaml"],
        "错误: 没有选项 '--jbos'。是否应为 '--jobs'？",
        "Error: No such option '--jbos'. Did you mean '--jobs'?",
    ),
    (
        ["check", "--lang=zh", "--bogus", "x.yaml"],
        "错误: 没有选项 '--bogus'。（是否应为以下之一：'--jobs', '--logo'？）",
        "Error: No such option '--bogus'. (Did you mean one of: '--jobs', '--logo'?)",
    ),
    (
        ["check", "--lang", "zh", "x.yaml", "-f"],
        "错误: 选项 '-f' 需要一个值。",
        "Error: Option '-f' requires an argument.",
    ),
    (
        ["check", "--lang", "zh", "--jobs", "abc", "x.yaml"],
        "错误: '--jobs' / '-j' 的值无效：'abc' 不是有效的整数。",
        "Error: Invalid value for '--jobs' / '-j': 'abc' is not a valid integer range.",
    ),
    (
        ["check", "--lang", "zh", "--max-file-size", "0", "x.yaml"],
        "错误: '--max-file-size' 的值无效：0 不在 1<=x<=1073741824 范围内。",
        "Error: Invalid value for '--max-file-size': 0 is not in the range 1<=x<=1073741824.",
    ),
    (["rules", "show", "--lang", "zh"], "错误: 缺少参数 'ID'。", "Error: Missing argument 'ID'."),
    (
        ["schema", "--lang", "zh", "extra"],
        "错误: 多余的参数（extra）。",
        "Error: Got unexpected extra argument (extra)",
    ),
    (
        ["migrate", "--lang", "zh", "--write=1", "x.yaml"],
        "错误: 选项 '--write' 不接受值。",
        "Error: Option '--write' does not take a value.",
    ),
]


@pytest.mark.parametrize(("args", "zh", "en"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_a_usage_error_is_chinese_on_every_line_with_lang_zh(args: list[str], zh: str, en: str) -> None:
    proc = _cli(*args)
    assert proc.returncode == 2
    lines = [line for line in proc.stderr.splitlines() if line]
    assert lines[-1] == zh
    assert all(has_cjk(line) for line in lines), proc.stderr
    if len(lines) > 1:  # the usage and where to find help, as click writes them, in Chinese
        assert lines[0].startswith("用法: cgt-check ")
        assert lines[1].startswith("运行 'cgt-check ") and lines[1].endswith("--help' 查看帮助。")


@pytest.mark.parametrize(("args", "zh", "en"), CASES, ids=[" ".join(c[0]) for c in CASES])
def test_in_english_a_usage_error_is_clicks_own(args: list[str], zh: str, en: str) -> None:
    english = [a for a in args if a not in {"--lang", "zh"} and a != "--lang=zh"]
    proc = _cli(*english)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == en
    assert not has_cjk(proc.stderr)


def test_the_group_and_an_unknown_command_are_chinese_from_the_configuration(tmp_path: Path) -> None:
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\n", encoding="utf-8")
    proc = _cli("bogus", cwd=tmp_path)
    assert proc.returncode == 2
    assert proc.stderr.splitlines() == [
        "用法: cgt-check [OPTIONS] COMMAND [ARGS]...",
        "运行 'cgt-check --help' 查看帮助。",
        "",
        "错误: 没有命令 'bogus'。",
    ]
    assert (
        _cli("check", "--bogus", "x.yaml", cwd=tmp_path).stderr.splitlines()[-1].startswith("错误: 没有选项")
    )
    # The command line wins over the configuration, and --no-config reads none.
    assert not has_cjk(_cli("check", "--lang", "en", "--bogus", "x.yaml", cwd=tmp_path).stderr)
    assert not has_cjk(_cli("check", "--no-config", "--bogus", "x.yaml", cwd=tmp_path).stderr)


def test_a_broken_configuration_leaves_a_usage_error_in_english(tmp_path: Path) -> None:
    (tmp_path / ".cgt-check.yaml").write_text("lang: [zh\n", encoding="utf-8")
    proc = _cli("check", "--bogus", "x.yaml", cwd=tmp_path)
    assert proc.returncode == 2
    assert (
        proc.stderr.splitlines()[-1]
        == "Error: No such option '--bogus'. (Did you mean one of: '--jobs', '--logo'?)"
    )


def test_an_unknown_language_is_itself_the_usage_error_in_english() -> None:
    proc = _cli("check", "--lang", "fr", "x.yaml")
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[-1] == "Error: Invalid value for '--lang': 'fr' is not one of 'en', 'zh'."


@pytest.mark.parametrize(
    "key", [k for k in USAGE if k not in {"click_usage", "click_try_help", "click_error"}]
)
def test_each_of_clicks_templates_is_recognised_and_written_in_chinese(key: str) -> None:
    en, zh = USAGE[key]
    values = {"message": "Missing command.", "n": "2"}
    fields = {name: values.get(name, f"'v-{name}'") for name in _names(en)}
    said = translate(en.format(**fields), "zh")
    assert has_cjk(said), (key, said)
    expected = {name: ("缺少命令。" if name == "message" else value) for name, value in fields.items()}
    assert said == zh.format(**expected)


def test_what_no_template_matches_is_kept_as_click_said_it() -> None:
    assert translate("Something click says one day.", "zh") == "Something click says one day."
    assert translate("No such option '--x'.", "en") == "No such option '--x'."


def _names(template: str) -> set[str]:
    import string

    return {name for _, name, _, _ in string.Formatter().parse(template) if name}
