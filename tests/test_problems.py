"""One mapping from validation errors to located problems, for every kind of input file: each
problem is where it is written (line and column), with its document path and a "did you mean"."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.base.errors import InputError, Problem, RuleError
from checker.base.limits import MAX_PROBLEMS_PER_FILE
from checker.load.problems import model_errors, validation_problems
from checker.load.yamlio import load_yaml
from checker.rulepack.pack import load_pack
from checker.run import baseline, config, justify
from checker.run import selftest as ruletest

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
