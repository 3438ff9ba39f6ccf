"""`cgt-check rules test`: rule packs' own cases, the bundled pack's and a custom pack's."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.base.errors import RuleError
from checker.run import selftest as ruletest

ROOT = Path(__file__).resolve().parents[1]
HOUSE = ROOT / "examples" / "rules" / "house-rules"


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True, timeout=300
    )


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "house"
    shutil.copytree(HOUSE, target)
    return target


def test_the_worked_example_passes_and_its_rule_is_tested() -> None:
    report = ruletest.test_pack([HOUSE])
    assert report.passed and len(report.results) == 3 and report.untested == ()
    failing = [r for r in report.results if r.name.endswith("fails for an item without a reference")]
    assert failing and failing[0].passed


@pytest.mark.slow
def test_cli_bundled_pack_passes_its_own_cases() -> None:
    proc = _cli("rules", "test")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    last = proc.stdout.splitlines()[-1]
    assert last.endswith("0 failed; 0 rule(s) without a failing case") and int(last.split()[0]) > 200


def test_cli_a_wrong_expectation_fails_with_what_differs(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    case_file = pack / "cases" / "house-moa.yaml"
    case_file.write_text(
        case_file.read_text("utf-8").replace(
            "house-moa-evidence-reference passes when every item has a reference\n    expect: []",
            "house-moa-evidence-reference passes when every item has a reference\n"
            "    expect:\n      - {requirement: CGT-IND-MOA, rule: house-moa-evidence-reference, path: product}",
        ),
        "utf-8",
    )
    proc = _cli("rules", "test", str(pack))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"FAIL {case_file}:5 " in proc.stdout
    assert "missing finding: CGT-IND-MOA house-moa-evidence-reference at product" in proc.stdout


def test_a_rule_without_a_failing_case_is_named(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    (pack / "cases" / "house-moa.yaml").write_text(
        "base: car-t-ind\ncases:\n  - name: passes\n    expect: []\n", "utf-8"
    )
    report = ruletest.test_pack([pack])
    assert report.passed and report.untested == ("house-moa-evidence-reference",)
    assert "WARN rule house-moa-evidence-reference has no failing case" in ruletest.render(report)


def test_a_case_that_cannot_be_built_fails_with_the_reason(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    (pack / "cases" / "house-moa.yaml").write_text(
        "base: car-t-ind\ncases:\n  - name: bad edit\n    edit: {delete: product.no_such_field}\n",
        "utf-8",
    )
    [result] = ruletest.test_pack([pack]).results
    assert not result.passed and result.error and "no key no_such_field" in result.error.text()


def test_a_broken_case_file_is_a_located_error(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    (pack / "cases" / "house-moa.yaml").write_text(
        "base: car-t-ind\ncases:\n  - name: x\n    expct: []\n", "utf-8"
    )
    with pytest.raises(RuleError) as caught:
        ruletest.test_pack([pack])
    [problem] = caught.value.problems
    assert problem.line == 4 and "unknown key 'expct'" in problem.message and "expect" in problem.message
    proc = _cli("rules", "test", str(pack))
    assert proc.returncode == 2 and "house-moa.yaml:4:5" in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "edit",
    ['{delete: ""}', "{append: product, value: 1}", "{set: product.name.x, value: 1}", "{delete: 1}", "x"],
)
def test_edits_that_do_not_fit_fail_the_case_with_a_reason(tmp_path: Path, edit: str) -> None:
    pack = _copy(tmp_path)
    (pack / "cases" / "house-moa.yaml").write_text(
        f"base: car-t-ind\ncases:\n  - name: bad\n    edit: {edit}\n", "utf-8"
    )
    try:
        [result] = ruletest.test_pack([pack]).results
    except RuleError as exc:  # a malformed case file is refused as such
        assert exc.problems and exc.problems[0].line == 4
        return
    assert not result.passed and result.error and "cannot build the case's dossier" in result.error.text()


def test_case_files_are_read_as_yaml_1_2(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    case_file = pack / "cases" / "house-moa.yaml"
    case_file.write_text(
        "base: car-t-ind\ncases:\n  - name: a plain no stays text\n"
        "    edit: {set: product.sponsor, value: no}\n    expect: []\n"
        "  - name: text that YAML 1.2 reads as a number stays text\n"
        "    edit: [{set: product.sponsor, value: '0o17'}, {set: product.name, value: '1e5'}]\n"
        "    expect: []\n",
        "utf-8",
    )
    doc, lines = ruletest.load_case_file(case_file)
    assert doc.cases[0].edit == {"set": "product.sponsor", "value": "no"} and lines == [3, 6]
    report = ruletest.test_pack([pack])
    assert [(r.name, r.error) for r in report.results if not r.passed] == []


def test_a_duplicate_key_in_a_case_file_is_a_located_error(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    (pack / "cases" / "house-moa.yaml").write_text(
        "base: car-t-ind\ncases:\n  - name: x\n    expect: []\n    name: y\n", "utf-8"
    )
    with pytest.raises(RuleError) as caught:
        ruletest.test_pack([pack])
    [problem] = caught.value.problems
    assert (problem.line, problem.column) == (5, 5)
    assert problem.message == "duplicate key 'name' (first defined at line 3)"


def test_a_base_dossier_is_read_by_the_checkers_reader(tmp_path: Path) -> None:
    pack = _copy(tmp_path)
    bases = pack / "bases"  # a case reads only dossiers of its own pack
    bases.mkdir()
    base = (ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml").read_text("utf-8")
    sponsor, modality = "  sponsor: Example Immunotherapy Co., Ltd. (fictional)\n", "  modality: car-t\n"
    assert sponsor in base and modality in base
    (bases / "no.yaml").write_text(base.replace(sponsor, "  sponsor: no\n"), "utf-8")
    (bases / "twice.yaml").write_text(base.replace(modality, modality * 2), "utf-8")
    (pack / "cases" / "house-moa.yaml").write_text(
        "cases:\n  - {name: no stays text, base: ../bases/no.yaml, expect: []}\n"
        "  - {name: a duplicate key, base: ../bases/twice.yaml, expect: []}\n",
        "utf-8",
    )
    (plain, twice) = ruletest.test_pack([pack]).results
    assert plain.passed, plain.error
    line = base.splitlines().index(modality.rstrip("\n")) + 2
    assert (
        not twice.passed
        and twice.error
        and twice.error.text()
        == (
            f"cannot build the case's dossier: {bases.resolve() / 'twice.yaml'}:{line}:3: "
            f"error: duplicate key 'modality' (first defined at line {line - 1})"
        )
    )
