"""Every rule has fail fixtures (a clean dossier plus edits) with their exact expected findings,
and pass fixtures at its boundaries. The cases are the bundled pack's own (rules/cases/*.yaml),
run here one by one through the same library code as `cgt-check rules test`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.base import resources
from checker.rulepack.pack import RulePack, load_pack
from checker.run import selftest as ruletest
from checker.run.evaluate import Checker

CASE_FILES = ruletest.case_files(resources.rules_dir())
CASES = [
    (path, doc, case, line)
    for path in CASE_FILES
    for doc, lines in [ruletest.load_case_file(path)]
    for case, line in zip(doc.cases, lines, strict=True)
]


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack()


@pytest.fixture(scope="module")
def checker(pack: RulePack) -> Iterator[Checker]:
    with Checker(pack, use_justifications=False) as c:
        yield c


@pytest.mark.parametrize(
    ("path", "doc", "case", "line"), CASES, ids=[f"{p.stem}::{c.name}" for p, _, c, _ in CASES]
)
def test_case(path: Path, doc: ruletest.CaseFile, case: ruletest.Case, line: int, checker: Checker) -> None:
    result = ruletest.run_case(checker, case=case, doc=doc, file=path, line=line)
    assert result.error is None, result.error
    assert result.passed, f"missing {list(result.missing)}, unexpected {list(result.unexpected)}"


def test_every_rule_has_a_failing_case(pack: RulePack) -> None:
    failing = {e.rule for _, _, case, _ in CASES for e in case.expect}
    missing = sorted(set(pack.rules) - failing)
    assert not missing, f"rules without a failing fixture: {missing}"


def test_cases_name_real_rules(pack: RulePack) -> None:
    for _, _, case, _ in CASES:
        for e in case.expect:
            assert e.rule in pack.rules, f"{case.name}: unknown rule {e.rule}"
            assert pack.rules[e.rule].rule.requirement == e.requirement, case.name


# Requirements of the catalogue that no rule implements yet. This list may only shrink.
NOT_YET_IMPLEMENTED: set[str] = set()


def test_requirement_coverage(pack: RulePack) -> None:
    implemented = {lr.rule.requirement for lr in pack.rules.values()}
    missing = set(pack.requirements) - implemented
    assert missing == NOT_YET_IMPLEMENTED, f"requirements without rules: {sorted(missing)}"
