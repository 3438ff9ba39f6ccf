"""One mapping from validation errors to located problems, for every kind of input file: each
problem is where it is written (line and column), with its document path and a "did you mean"."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.base.errors import InputError, Problem, RuleError
from checker.base.limits import MAX_PROBLEMS_PER_FILE
from checker.load.problems import model_errors, validation_problems
from checker.load.yamlio import load_yaml
from checker.rulepack.pack import load_pack
from checker.run import baseline, config, justify
from checker.run import selftest as ruletest
from tests.fixtures import LIBRARY_PHRASES

ROOT = Path(__file__).resolve().parents[1]
HOUSE = ROOT / "examples" / "rules" / "house-rules"


class _Inner(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    colour: str
    size: int = 1


class _Outer(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)
    fail_on: str | None = Field(None, alias="fail-on")
    items: list[_Inner] = Field(default_factory=list)


def _errors(text: str, model: type[BaseModel] = _Outer) -> tuple[list[Problem], ValidationError]:
    located = load_yaml(text, "f.yaml")
    with pytest.raises(ValidationError) as caught:
        model.model_validate(located.data)
    return validation_problems("f.yaml", located, caught.value, model), caught.value


def test_unknown_keys_are_where_the_key_is_and_others_where_the_value_is() -> None:
    problems, _ = _errors("items:\n  - colour: red\n    sise: 2\n  - {colour: 7}\n")
    assert [(p.line, p.column, p.path, p.message) for p in problems] == [
        (3, 5, "items[0].sise", "unknown key 'sise' (did you mean 'size'?); allowed here: colour, size"),
        (
            4,
            14,
            "items[1].colour",
            "expected text, got 7; put it in quotes to keep it as text",
        ),
    ]


def test_hints_name_keys_as_they_are_written() -> None:
    problems, _ = _errors("fail_on: x\n")
    assert problems[0].message.startswith("unknown key 'fail_on' (did you mean 'fail-on'?)")


def test_a_node_inside_the_document_and_a_lead() -> None:
    text = "wrapper:\n  colour: red\n  size: big\n"
    located = load_yaml(text, "f.yaml")
    with pytest.raises(ValidationError) as caught:
        _Inner.model_validate(located.data["wrapper"])
    [problem] = validation_problems(
        "f.yaml", located, caught.value, _Inner, at=("wrapper",), lead="not_a_baseline"
    )
    assert (problem.line, problem.column, problem.path) == (3, 9, "wrapper.size")
    assert problem.message == "not a cgt-check baseline: expected a whole number, got 'big'"
    assert problem.text("zh") == "不是 cgt-check 基线文件：应为整数，实际为 'big'"
    [error] = model_errors(located, caught.value, _Inner, at=("wrapper",))
    assert (error.path, error.kind, error.message()) == (
        ("wrapper", "size"),
        "int_type",
        "expected a whole number, got 'big'",
    )


def test_problems_are_capped_and_counted() -> None:
    text = "items:\n" + "".join(f"  - {{colour: red, k{i}: 1}}\n" for i in range(MAX_PROBLEMS_PER_FILE + 5))
    problems, _ = _errors(text)
    assert len(problems) == MAX_PROBLEMS_PER_FILE + 1
    assert problems[-1].message.startswith("5 more problem(s) in this file not shown")


# ---------------------------------------------------------------- each kind of input


def test_a_rule_file(tmp_path: Path) -> None:
    pack = tmp_path / "house"
    shutil.copytree(HOUSE, pack)
    rule_file = pack / "house-moa.yaml"
    text = rule_file.read_text("utf-8")
    rule = text.split("rules:\n  - ", 1)[1].replace("severity: warning", "severity: ${severity}")
    rule = rule.replace("house-moa-evidence-reference", "house-${n}").replace("\n    ", "\n      ")
    rule_file.write_text(
        "templates:\n  - for_each: [{n: a, severity: warning}, {n: b, severity: critical}]\n"
        "    rule:\n      " + rule,
        "utf-8",
    )
    with pytest.raises(RuleError) as caught:
        load_pack([pack])
    [problem] = caught.value.problems
    assert (problem.line, problem.column, problem.path) == (6, 17, "templates[0].rule.severity")
    assert problem.message == "expected one of error, warning, info, got 'critical'"


def test_a_case_file(tmp_path: Path) -> None:
    case = tmp_path / "cases" / "c.yaml"
    case.parent.mkdir()
    case.write_text("base: car-t-ind\ncases:\n  - name: x\n    expect: [{requirement: R, rul: r}]\n", "utf-8")
    with pytest.raises(RuleError) as caught:
        ruletest.load_case_file(case)
    problems = [(p.line, p.column, p.path, p.message) for p in caught.value.problems]
    assert (4, 14, "cases[0].expect[0].rule", "missing required field 'rule'") in problems
    assert any(
        p[:3] == (4, 31, "cases[0].expect[0].rul") and "did you mean 'rule'?" in p[3] for p in problems
    )


def test_a_justification_file(tmp_path: Path) -> None:
    file = tmp_path / "j.yaml"
    file.write_text(
        "justifications:\n  - rule: r\n    path: product\n    reson: x\n    approved_by: QA\n", "utf-8"
    )
    with pytest.raises(InputError) as caught:
        justify.load_file(str(file))
    messages = {(p.line, p.column, p.message.split(";")[0]) for p in caught.value.problems}
    assert messages == {
        (2, 5, "missing required field 'reason'"),
        (4, 5, "unknown key 'reson' (did you mean 'reason'?)"),
    }


def test_a_configuration(tmp_path: Path) -> None:
    file = tmp_path / ".cgt-check.yaml"
    file.write_text("lang: en\nfail-on: warnin\n", "utf-8")
    with pytest.raises(InputError) as caught:
        config.load(file)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (2, 10)
    assert (
        problem.message
        == "fail-on: expected one of error, warning, info, never, got 'warnin' (did you mean 'warning'?)"
    )
    assert (
        problem.text("zh")
        == "fail-on: 应为以下之一：error, warning, info, never，实际为 'warnin'（是否应为 'warning'？）"
    )


def test_a_pyproject_section(tmp_path: Path) -> None:
    file = tmp_path / "pyproject.toml"
    file.write_text("[project]\nname = 'x'\n\n[tool.cgt-check]\nlang = 'en'\n  fail-on = 'warnin'\n", "utf-8")
    with pytest.raises(InputError) as caught:
        config.load(file)
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (6, 13)
    assert problem.message.startswith("[tool.cgt-check] fail-on: expected one of error, warning")


def _baseline(tmp_path: Path, severity: object) -> Path:
    doc = {
        "baseline_version": "1.0",
        "tool": {"name": "cgt-check", "version": "0"},
        "rule_pack": {"name": "p", "version": "1"},
        "as_of": "2026-06-01",
        "findings": [
            {
                "rule_id": f"r{i}",
                "requirement": "CGT-X",
                "file": "d.yaml",
                "path": "product",
                "severity": severity if i == 1 else "error",
                "message": "m",
            }
            for i in range(2)
        ],
    }
    file = tmp_path / "baseline.json"
    file.write_text(json.dumps(doc, indent=2) + "\n", "utf-8")
    return file


@pytest.mark.parametrize(
    ("severity", "message"),
    [
        ("critical", "expected one of error, warning, info, got 'critical'"),
        (2, "expected one of error, warning, info, got 2"),
    ],
)
def test_a_baseline_entry_is_reported_at_its_line(tmp_path: Path, severity: object, message: str) -> None:
    file = _baseline(tmp_path, severity)
    with pytest.raises(InputError) as caught:
        baseline.load(str(file))
    [problem] = caught.value.problems
    line = file.read_text("utf-8").splitlines().index(f'      "severity": {json.dumps(severity)},') + 1
    assert (problem.line, problem.column, problem.path) == (line, 19, "findings[1].severity")
    assert problem.message == f"not a cgt-check baseline: {message}"


def test_a_baseline_on_the_command_line(tmp_path: Path) -> None:
    shutil.copy(ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml", tmp_path / "d.yaml")
    _baseline(tmp_path, None)
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "check", "d.yaml", "--baseline", "baseline.json", "--no-config"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert proc.stderr.startswith(
        "baseline.json:26:19: error at findings[1].severity: not a cgt-check baseline: expected one of"
    )


def test_what_baseline_create_writes_reads_back(tmp_path: Path) -> None:
    odd = "line\u2028separator, next\x85line, delete\x7f, tab\t, 本, \U0001f600"
    doc = json.loads(_baseline(tmp_path, "info").read_text("utf-8"))
    doc["findings"][0]["message"] = odd
    doc["findings"][0]["file"] = "dossiers/\u00a0odd name.yaml"
    file = tmp_path / "baseline.json"
    file.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n", "utf-8")
    entries = baseline.load(str(file)).entries
    assert {e.message for e in entries.values()} == {odd, "m"}
    assert "dossiers/\u00a0odd name.yaml" in {e.file for e in entries.values()}


# ---------------------------------------------------------------- the words of every error type


class _Loose(BaseModel):
    """Not strict, as some input files' models are not: the parsing errors too."""

    model_config = ConfigDict(extra="forbid")
    flag: bool = False
    count: int = Field(0, lt=10)
    share: float = 0.0
    names: list[str] = Field(default_factory=list, min_length=1, max_length=2)
    table: dict[str, int] = Field(default_factory=dict)
    when: dt.date | None = None
    level: Literal["low", "high"] = "low"


@pytest.mark.parametrize(
    ("text", "kind", "en", "zh"),
    [
        (
            "flag: maybe",
            "bool_parsing",
            "expected true or false, got 'maybe'",
            "应为 true 或 false，实际为 'maybe'",
        ),
        ("count: many", "int_parsing", "expected a whole number, got 'many'", "应为整数，实际为 'many'"),
        ("count: 1.5", "int_from_float", "expected a whole number, got 1.5", "应为整数，实际为 1.5"),
        ("count: 12", "less_than", "expected a number less than 10, got 12", "应为小于 10 的数值，实际为 12"),
        ("share: lots", "float_parsing", "expected a number, got 'lots'", "应为数值，实际为 'lots'"),
        ("names: []", "too_short", "expected at least 1 item(s), got 0", "应至少有 1 项，实际为 0 项"),
        ("names: [a, b, c]", "too_long", "expected at most 2 item(s), got 3", "最多 2 项，实际为 3 项"),
        ("names: a", "list_type", "expected a list, e.g. [a], got 'a'", "应为列表，例如 [a]，实际为 'a'"),
        (
            "table: 3",
            "dict_type",
            "expected a mapping of keys and values (key: value), got 3",
            "应为“字段: 值”形式的映射，实际为 3",
        ),
        (
            "when: 2024-02-30",
            "date_from_datetime_parsing",
            "not a calendar date: '2024-02-30'",
            "不是有效的日期：'2024-02-30'",
        ),
        (
            "when: '2024-01-01T10:00:00'",
            "date_from_datetime_inexact",
            "expected a date YYYY-MM-DD",
            "应为 YYYY-MM-DD 格式的日期",
        ),
        (
            "level: Low",
            "literal_error",
            "expected one of low, high, got 'Low' (did you mean 'low'?)",
            "应为以下之一：low, high，实际为 'Low'（是否应为 'low'？）",
        ),
        (
            "levl: low",
            "extra_forbidden",
            "unknown key 'levl' (did you mean 'level'?)",
            "未知字段 'levl'（是否应为 'level'？）",
        ),
    ],
)
def test_each_error_type_says_what_was_expected_in_both_languages(
    text: str, kind: str, en: str, zh: str
) -> None:
    problems, exc = _errors(text + "\n", _Loose)
    assert [e["type"] for e in exc.errors()] == [kind]
    [problem] = problems
    assert problem.message.startswith(en) and problem.text("zh").startswith(zh)
    for said in (problem.render(), problem.render("zh")):
        assert not any(phrase in said for phrase in LIBRARY_PHRASES), said


def test_a_problem_renders_in_english_by_default_and_in_chinese_when_asked() -> None:
    [problem], _ = _errors("items:\n  - {colour: 7}\n")
    assert problem.render() == (
        "f.yaml:2:14: error at items[0].colour: expected text, got 7; put it in quotes to keep it as text"
    )
    assert (
        problem.render("zh")
        == "f.yaml:2:14: 错误 items[0].colour: 应为文本，实际为 7；如需作为文本，请加引号"
    )
    assert problem.message == problem.text("en") == problem.said.text()


def test_list_items_are_named_by_id_where_they_have_a_unique_one() -> None:
    text = (
        "a:\n  - {id: x, v: 1}\n  - {id: y, v: 2}\n  - {id: y}\n  - {v: 3}\n  - {id: 'not an id'}\n  - [1]\n"
    )
    located = load_yaml(text, "f.yaml")
    labels = [located.label(("a", i, "v")) for i in range(6)]
    assert labels == ["a[x].v", "a[1].v", "a[2].v", "a[3].v", "a[4].v", "a[5].v"]  # y twice: by index
    assert located.label(("a", 9)) == "a[9]" and located.label(()) == ""
