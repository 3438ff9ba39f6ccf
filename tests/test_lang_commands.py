"""Every command in the user's language, through the real command line: `rules test`, `rules
list/show`, `init`, `schema`, `baseline create`, `check --show-config`, and a broken custom
rule file, reported in Chinese at its file, line and column with --lang zh (and lang: zh in the
configuration), in English by default; field names, rule ids and paths as they are."""

from __future__ import annotations

import errno
import re
import shutil
from pathlib import Path

import pytest

from checker.base import i18n, limits
from checker.base.errors import EngineError, os_reason
from checker.base.textutil import has_cjk
from checker.engine.encode import engine_json
from tests.fixtures import GOOD_RULE, cli

ROOT = Path(__file__).resolve().parents[1]
HOUSE = ROOT / "examples" / "rules" / "house-rules"
DOSSIER = ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"
ZH_LINE = re.compile(r"(?P<file>.+):(?P<line>\d+):(?P<col>\d+): 错误(?: (?P<path>\S+))?: (?P<message>.+)")
EN_LINE = re.compile(r"(?P<file>.+):(?P<line>\d+):(?P<col>\d+): error(?: at (?P<path>\S+))?: (?P<message>.+)")


_cli = cli


def _house(tmp_path: Path, wrong_expectation: bool = False) -> Path:
    """The worked example's custom pack, copied; with one case whose expectation is wrong."""
    pack = tmp_path / "house"
    shutil.copytree(HOUSE, pack)
    if wrong_expectation:
        cases = pack / "cases" / "house-moa.yaml"
        text = cases.read_text("utf-8")
        passing = "has a reference\n    expect: []"
        assert passing in text
        cases.write_text(
            text.replace(
                passing,
                "has a reference\n    expect:\n"
                "      - {requirement: CGT-IND-MOA, rule: house-moa-evidence-reference, path: product}",
            ),
            "utf-8",
        )
    return pack


# ------------------------------------------------------------------ rules test


def test_rules_test_writes_its_results_in_chinese(tmp_path: Path) -> None:
    pack = _house(tmp_path, wrong_expectation=True)
    case_file = pack / "cases" / "house-moa.yaml"
    zh = _cli("rules", "test", str(pack), "--lang", "zh")
    assert zh.returncode == 1, zh.stdout + zh.stderr
    lines = zh.stdout.splitlines()
    assert (
        f"未通过 {case_file}:5 house-moa-evidence-reference passes when every item has a reference" in lines
    )
    assert "  缺少预期的问题：CGT-IND-MOA house-moa-evidence-reference，位置 product" in lines
    assert sum(line.startswith(f"通过 {case_file}:") for line in lines) == 2
    assert lines[-1] == "测试用例 3 个：通过 2 个，未通过 1 个；没有未通过用例的规则 0 条"
    assert not any(word in zh.stdout for word in ("PASS", "FAIL", "missing finding", "case(s)"))
    en = _cli("rules", "test", str(pack))
    assert en.returncode == 1
    assert f"FAIL {case_file}:5 " in en.stdout and not has_cjk(en.stdout)
    assert en.stdout.splitlines()[-1] == "3 case(s): 2 passed, 1 failed; 0 rule(s) without a failing case"


def test_rules_test_names_a_rule_without_a_failing_case_and_a_broken_edit_in_chinese(tmp_path: Path) -> None:
    pack = _house(tmp_path)
    (pack / "cases" / "house-moa.yaml").write_text(
        "base: car-t-ind\ncases:\n  - name: a passing case\n    expect: []\n"
        "  - name: an edit that does not fit\n    edit: {delete: product.no_such_field}\n",
        "utf-8",
    )
    proc = _cli("rules", "test", str(pack), "--lang", "zh")
    assert proc.returncode == 1
    assert "警告 规则 house-moa-evidence-reference 没有未通过的测试用例" in proc.stdout
    assert "  无法构建该用例的申报资料：没有字段 no_such_field" in proc.stdout


def test_rules_test_reports_a_broken_case_file_in_chinese_where_it_is(tmp_path: Path) -> None:
    pack = _house(tmp_path)
    case_file = pack / "cases" / "house-moa.yaml"
    case_file.write_text("base: no-such-example\ncases:\n  - {name: x, expect: []}\n", "utf-8")
    zh = _cli("rules", "test", str(pack), "--lang", "zh")
    assert zh.returncode == 2 and zh.stdout == ""
    [line] = zh.stderr.splitlines()
    m = ZH_LINE.fullmatch(line)
    assert m, line
    assert (m["line"], m["col"], m["path"]) == ("1", "7", "base")
    assert (
        m["message"] == "基础申报资料 'no-such-example' 既不是内置示例的名称，也不是本规则包内的 .yaml 文件"
    )
    en = _cli("rules", "test", str(pack))
    assert EN_LINE.fullmatch(en.stderr.strip()) and "is neither a bundled example" in en.stderr


def test_rules_test_without_cases_is_a_chinese_error(tmp_path: Path) -> None:
    pack = _house(tmp_path)
    shutil.rmtree(pack / "cases")
    proc = _cli("rules", "test", str(pack), "--lang", "zh")
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"{pack}:1:1: 错误: 没有测试用例：请在此目录下以 cases/*.yaml 添加"


# ------------------------------------------------------------------ rules list / show, schema


def test_rules_list_and_show_speak_chinese_and_schema_is_the_same_in_both() -> None:
    listed = _cli("rules", "list", "--lang", "zh")
    assert listed.returncode == 0 and "条规则，覆盖" in listed.stdout.splitlines()[0]
    shown = _cli("rules", "show", "moa-missing", "--lang", "zh")
    assert shown.returncode == 0 and has_cjk(shown.stdout) and "moa-missing" in shown.stdout
    en, zh = _cli("schema", "--kind", "rule"), _cli("schema", "--kind", "rule", "--lang", "zh")
    assert en.returncode == zh.returncode == 0 and en.stdout == zh.stdout and en.stdout.startswith("{")


@pytest.mark.parametrize(
    "command", [("rules", "test"), ("rules", "list"), ("rules", "show"), ("init",), ("schema",), ("lsp",)]
)
def test_every_command_people_read_takes_lang(command: tuple[str, ...]) -> None:
    proc = _cli(*command, "--help")
    assert proc.returncode == 0 and "--lang [en|zh]" in proc.stdout, proc.stdout


# ------------------------------------------------------------------ init


def test_init_says_what_to_do_in_chinese(tmp_path: Path) -> None:
    printed = _cli("init", "--modality", "car-t", "--lang", "zh", cwd=tmp_path)
    assert printed.returncode == 0 and printed.stdout.startswith("#")
    assert printed.stderr.strip() == (
        "init：模板的 schema 注释指向 dossier.schema.json：请用 `cgt-check schema > dossier.schema.json` "
        "将其写在申报资料旁，或给出 --schema URL"
    )
    written = _cli("init", "--modality", "car-t", "-o", "d.yaml", "--lang", "zh", cwd=tmp_path)
    assert written.returncode == 0
    assert (
        written.stderr.strip()
        == "init：已写入 dossier.schema.json，即模板的 schema 注释所指向的申报资料 schema"
    )
    assert (tmp_path / "dossier.schema.json").is_file()
    again = _cli("init", "--modality", "car-t", "-o", "d.yaml", "--lang", "zh", cwd=tmp_path)
    assert again.returncode == 2 and again.stderr.strip() == "错误: d.yaml 已存在：init 不会覆盖已有文件"
    english = _cli("init", "--modality", "car-t", "-o", "d.yaml", cwd=tmp_path)
    assert (
        english.returncode == 2
        and english.stderr.strip() == "error: d.yaml exists: init never overwrites a file"
    )
    nowhere = _cli(
        "init",
        "--modality",
        "car-t",
        "-o",
        "d2.yaml",
        "--schema",
        "no/such/s.json",
        "--lang",
        "zh",
        cwd=tmp_path,
    )
    assert nowhere.returncode == 0 and "但其所在目录不存在" in nowhere.stderr


# ------------------------------------------------------------------ baseline create


def test_baseline_create_in_the_configurations_language(tmp_path: Path) -> None:
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\nas-of: 2026-06-01\n", "utf-8")
    proc = _cli("baseline", "create", str(DOSSIER), "-o", "b.json", cwd=tmp_path)
    assert proc.returncode == 0 and re.fullmatch(r"b\.json：已记录 1 份申报资料的 \d+ 个问题\n", proc.stderr)


# ------------------------------------------------------------------ a broken custom rule file

IN_VALUES = "[" + ", ".join(f"v{i}" for i in range(limits.MAX_IN_VALUES + 1)) + "]"
# name -> (the broken rule file, the text it is found at, zh fragment, en fragment)
BROKEN_RULES = {
    "unknown-field": (
        GOOD_RULE.replace("product.sponsor: absent", "product.sponsr: absent"),
        "absent}}",  # the test's value
        "规则 'house-sponsor' 无法编译：事实类型 'dossier' 没有字段 'product.sponsr'（是否应为 'product.sponsor'？）",
        "rule 'house-sponsor': fact type 'dossier' has no field 'product.sponsr' (did you mean 'product.sponsor'?)",
    ),
    "unknown-alias": (
        GOOD_RULE.replace("    report: {at: d,", "    report: {at: dd,"),
        "dd,",
        "规则 'house-sponsor' 无法编译：report.at 引用了未知的别名 'dd'",
        "rule 'house-sponsor': report.at names unknown alias 'dd'",
    ),
    "unknown-alias-in-a-join": (
        GOOD_RULE.replace(
            "    applies_when:", "    applies_join: [{left: z.key, op: eq, right: d.key}]\n    applies_when:"
        ),
        "z.key",
        "规则 'house-sponsor' 无法编译：未知的别名 'z'",
        "rule 'house-sponsor': unknown alias 'z'",
    ),
    "non-joinable-field": (
        GOOD_RULE.replace(
            "    applies_when:",
            "    applies_join: [{left: d.product.name, op: lt, right: context.today}]\n    applies_when:",
        ),
        "d.product.name",
        "规则 'house-sponsor' 无法编译：'d.product.name' 是文本字段；join 只能比较 id、引用、数值和日期",
        "rule 'house-sponsor': 'd.product.name' is a text field; joins compare ids, references, numbers and dates",
    ),
    "bound-exceeded": (
        GOOD_RULE.replace("product.sponsor: absent", f"product.modality: {{in: {IN_VALUES}}}"),
        "[v0,",
        f"'in' 列出了 {limits.MAX_IN_VALUES + 1} 个值；一项检查最多列出 {limits.MAX_IN_VALUES} 个",
        f"'in' lists {limits.MAX_IN_VALUES + 1} values; a test may list at most {limits.MAX_IN_VALUES}",
    ),
    "schema-any-of": (
        GOOD_RULE.replace("citation: {source: A}", "citation: {source: A, section: [1]}"),
        "[1]",
        "应为文本，实际为 列表",
        "expected text, got a list",
    ),
    "schema-bound": (
        GOOD_RULE.replace("    applies: [{as: d, fact: dossier}]", "    applies: []"),
        "[]",
        "应至少有 1 项，实际为 0 项",
        "expected at least 1 item(s), got 0",
    ),
}


def _where(text: str, needle: str) -> tuple[str, str]:
    index = text.index(needle)
    before = text[:index]
    return str(before.count("\n") + 1), str(index - (before.rfind("\n") + 1) + 1)


@pytest.mark.parametrize("name", sorted(BROKEN_RULES))
def test_a_broken_custom_rule_file_is_reported_in_chinese_where_it_is(tmp_path: Path, name: str) -> None:
    text, needle, zh, en = BROKEN_RULES[name]
    rules = tmp_path / "rules"
    rules.mkdir()
    rule_file = rules / "house.yaml"
    rule_file.write_text(text, "utf-8")
    for lang, pattern, fragment in (("zh", ZH_LINE, zh), ("en", EN_LINE, en)):
        proc = _cli("check", str(DOSSIER), "--rules", str(rules), "--no-config", "--lang", lang)
        assert proc.returncode == 2 and proc.stdout == "", proc.stderr
        [line] = proc.stderr.splitlines()
        m = pattern.fullmatch(line)
        assert m and m["file"] == str(rule_file), line
        assert (m["line"], m["col"]) == _where(text, needle), line
        assert fragment in m["message"], line
        assert lang == "en" or not re.search(r"\b(unknown|has no field|expected|lists)\b", m["message"]), line


def test_a_broken_rule_file_in_chinese_from_the_configuration(tmp_path: Path) -> None:
    text, needle, zh, _ = BROKEN_RULES["unknown-field"]
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "house.yaml").write_text(text, "utf-8")
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\nrules: [rules]\n", "utf-8")
    proc = _cli("check", str(DOSSIER), cwd=tmp_path)
    assert proc.returncode == 2 and zh in proc.stderr, proc.stderr
    assert proc.stderr.startswith(f"rules/house.yaml:{':'.join(_where(text, needle))}: 错误")


# ------------------------------------------------------------------ library-level messages

OS_ERRORS = (
    errno.ENOENT,
    errno.EACCES,
    errno.EISDIR,
    errno.ENOTDIR,
    errno.ENOSPC,
    errno.EROFS,
    errno.ENAMETOOLONG,
    errno.ELOOP,
    errno.EMFILE,
    errno.EBUSY,
    errno.EEXIST,
    errno.EXDEV,
    errno.EPIPE,
    errno.EIO,
    errno.EINVAL,
)


@pytest.mark.parametrize("number", OS_ERRORS, ids=[errno.errorcode[n] for n in OS_ERRORS])
def test_the_common_operating_system_reasons_are_named_in_both_languages(number: int) -> None:
    said = os_reason(OSError(number, "the system's own words"))
    assert said.key.startswith("os_") and said.key in i18n.TABLE
    assert "the system's own words" not in said.text()
    assert has_cjk(said.text("zh")) and not has_cjk(said.text("en"))


def test_a_rare_operating_system_reason_is_the_systems_own_words() -> None:
    assert os_reason(OSError(errno.ENOTEMPTY, "Directory not empty")).text("zh") == "Directory not empty"


@pytest.mark.parametrize("value", [float("inf"), 10**400, object()])
def test_what_the_engine_cannot_take_is_said_in_both_languages(value: object) -> None:
    with pytest.raises(EngineError) as caught:
        engine_json({"x": value})
    assert caught.value.said.key.startswith("engine_")
    assert has_cjk(caught.value.lines("zh")[0]) and not has_cjk(caught.value.lines("en")[0])
