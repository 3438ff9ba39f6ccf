"""Every rule has fail fixtures (a clean dossier plus one edit) with their exact expected findings,
and pass fixtures at its boundaries. Case files: tests/rules/cases/*.yaml."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.check import Checker
from checker.dossier import load_dossier
from checker.rulepack import RulePack, load_pack
from tests.rules.edits import apply_edit

ROOT = Path(__file__).resolve().parents[2]
CLEAN = ROOT / "examples" / "dossiers" / "clean"
CASES = Path(__file__).parent / "cases"
DEFAULT_AS_OF = dt.date(2026, 6, 1)


def _load_cases() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for file in sorted(CASES.glob("*.yaml")):
        doc = yaml.safe_load(file.read_text("utf-8"))
        for case in doc["cases"]:
            merged = {"base": doc.get("base"), "as_of": doc.get("as_of")} | case
            out.append((f"{file.stem}::{case['name']}", merged))
    return out


CASE_LIST = _load_cases()


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack()


@pytest.fixture(scope="module")
def checker(pack: RulePack) -> Any:
    with Checker(pack) as c:
        yield c


def _base(name: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((CLEAN / f"{name}.yaml").read_text("utf-8"))
    return data


def run_case(checker: Checker, case: dict[str, Any], tmp_path: Path) -> set[tuple[str, str, str]]:
    data = _base(case["base"])
    edits = case.get("edit", [])
    for edit in edits if isinstance(edits, list) else [edits]:
        data = apply_edit(data, edit)
    file = tmp_path / "case.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    as_of = case.get("as_of") or DEFAULT_AS_OF
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    result = checker.check(load_dossier(str(file)), as_of)
    for f in result.findings:  # every finding points inside the file
        assert 1 <= f.line <= len(file.read_text("utf-8").splitlines()) + 1
    return {(f.requirement, f.rule_id, f.path) for f in result.findings}


@pytest.mark.parametrize(("name", "case"), CASE_LIST, ids=[n for n, _ in CASE_LIST])
def test_case(name: str, case: dict[str, Any], checker: Checker, tmp_path: Path) -> None:
    got = run_case(checker, case, tmp_path)
    want = {(e["requirement"], e["rule"], e["path"]) for e in case.get("expect", [])}
    assert got == want, f"{name}: missing {sorted(want - got)}, unexpected {sorted(got - want)}"


def test_every_rule_has_a_failing_case(pack: RulePack) -> None:
    failing = {e["rule"] for _, case in CASE_LIST for e in case.get("expect", [])}
    missing = sorted(set(pack.rules) - failing)
    assert not missing, f"rules without a failing fixture: {missing}"


def test_cases_name_real_rules(pack: RulePack) -> None:
    for name, case in CASE_LIST:
        for e in case.get("expect", []):
            assert e["rule"] in pack.rules, f"{name}: unknown rule {e['rule']}"
            assert pack.rules[e["rule"]].rule.requirement == e["requirement"], name


# Requirements of the catalogue that no rule implements yet. This list may only shrink.
NOT_YET_IMPLEMENTED: set[str] = set()


def test_requirement_coverage(pack: RulePack) -> None:
    implemented = {lr.rule.requirement for lr in pack.rules.values()}
    missing = set(pack.requirements) - implemented
    assert missing == NOT_YET_IMPLEMENTED, f"requirements without rules: {sorted(missing)}"
