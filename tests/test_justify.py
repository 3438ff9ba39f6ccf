"""Justifications (waivers): waived not dropped, expiry, stale ones, bad ones, every format."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.base.errors import InputError
from checker.report.formats import FORMATS
from checker.report.result import Report
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[1]
PIVOTAL = ROOT / "examples" / "dossiers" / "gaps" / "nda-pivotal.yaml"
EXAMPLE = ROOT / "examples" / "justifications" / "nda-pivotal.yaml"
AS_OF = dt.date(2026, 6, 1)
RULE = "nda-external-control-missing"

JUSTIFY = """
justifications:
  - rule: {rule}
    path: {path}
    reason: {reason}
    approved_by: Regulatory lead
    expires: 2026-12-31
"""


def _file(
    tmp_path: Path,
    rule: str = RULE,
    path: str = "clinical_trials[ct-pivotal]",
    reason: str = "Covered in 2.5.",
) -> str:
    target = tmp_path / "justifications.yaml"
    target.write_text(JUSTIFY.format(rule=rule, path=path, reason=reason), "utf-8")
    return str(target)


def _check(
    *files: str, as_of: dt.date = AS_OF, use: bool = True, paths: tuple[str, ...] = (str(PIVOTAL),)
) -> Report:
    return check_paths(
        list(paths), CheckOptions(as_of=as_of, justification_files=files, use_justifications=use)
    )


def test_a_justified_finding_is_waived_not_dropped(tmp_path: Path) -> None:
    report = _check(_file(tmp_path))
    by_rule = {f.rule_id: f for f in report.findings()}
    waiver = by_rule[RULE].waiver
    assert by_rule[RULE].waived and waiver is not None
    assert waiver.approved_by == "Regulatory lead"
    assert not by_rule["nda-response-within"].waived
    matrix = {r.id: r for r in report.dossiers[0].requirements}
    assert matrix["CGT-NDA-EXTERNAL-CONTROL"].status == "waived"
    assert "Regulatory lead" in matrix["CGT-NDA-EXTERNAL-CONTROL"].reason.en
    assert matrix["CGT-NDA-DURABLE-RESPONSE"].status == "failed"
    assert report.counts() == {"error": 1, "warning": 0, "info": 0, "waived": 1}
    assert report.exit_code("warning") == 1  # the error still fails the gate


def test_waived_alone_passes_the_gate(tmp_path: Path) -> None:
    target = tmp_path / "j.yaml"
    target.write_text(
        JUSTIFY.format(rule=RULE, path="clinical_trials[ct-pivotal]", reason="In 2.5.")
        + "  - requirement: CGT-NDA-DURABLE-RESPONSE\n    path: clinical_trials\n"
        "    reason: Response at 3 months is in the CSR.\n    approved_by: QA\n",
        "utf-8",
    )
    report = _check(str(target))
    assert all(f.waived for f in report.findings()) and report.exit_code("info") == 0


def test_on_its_expiry_date_it_still_applies_and_the_day_after_it_fails_again(tmp_path: Path) -> None:
    file = _file(tmp_path)
    on_the_day = _check(file, as_of=dt.date(2026, 12, 31))
    after = _check(file, as_of=dt.date(2027, 1, 1))
    assert {f.rule_id for f in on_the_day.findings() if f.waived} == {RULE}
    expired = next(f for f in after.findings() if f.rule_id == RULE)
    assert not expired.waived and expired.waiver is not None and expired.waiver.expired
    assert {r.id: r.status for r in after.dossiers[0].requirements}["CGT-NDA-EXTERNAL-CONTROL"] == "failed"
    text = FORMATS["text"].render(after, "en")
    assert "justification expired on 2026-12-31" in text


def test_no_justifications_is_the_audit_view(tmp_path: Path) -> None:
    report = _check(_file(tmp_path), use=False)
    assert not any(f.waiver for f in report.findings())
    assert not report.stale_justifications()


def test_a_justification_that_covers_nothing_is_stale(tmp_path: Path) -> None:
    report = _check(_file(tmp_path, path="clinical_trials[ct-other]"))
    assert not any(f.waived for f in report.findings())
    [stale] = report.stale_justifications()
    assert (stale.target, stale.path, stale.line) == (RULE, "clinical_trials[ct-other]", 3)
    assert "1 stale justification(s)" in FORMATS["text"].render(report, "en")
    doc = json.loads(FORMATS["json"].render(report, "en"))
    assert doc["summary"]["stale_justifications"] == 1 and doc["stale_justifications"][0]["target"] == RULE


def test_paths_cover_the_node_and_what_is_under_it(tmp_path: Path) -> None:
    for path, covered in [
        ("clinical_trials[ct-pivotal]", True),
        ("clinical_trials[ct-pivotal].comparator", True),
        ("clinical_trials", True),
        ("clinical_trials[ct-piv]", False),  # not a prefix at a segment boundary
        ("clinical_trials[ct-pivotal].comparator.description", False),
    ]:
        report = _check(_file(tmp_path, path=path))
        assert any(f.waived for f in report.findings()) is covered, path


def test_justifications_in_the_dossier_itself(tmp_path: Path) -> None:
    dossier = tmp_path / "d.yaml"
    dossier.write_text(
        PIVOTAL.read_text("utf-8")
        + JUSTIFY.format(rule=RULE, path="clinical_trials[ct-pivotal]", reason="See 2.5.")
        + "  - rule: moa-missing\n    path: product\n    reason: Old.\n    approved_by: QA\n",
        "utf-8",
    )
    report = _check(paths=(str(dossier),))
    assert {f.rule_id for f in report.findings() if f.waived} == {RULE}
    [stale] = report.dossiers[0].stale_justifications
    assert stale.file == str(dossier) and stale.target == "moa-missing"
    sarif = json.loads(FORMATS["sarif"].render(report, "en"))
    [suppressed] = [r for r in sarif["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["suppressions"][0]["kind"] == "inSource"


def test_the_dossier_key_limits_a_file_justification(tmp_path: Path) -> None:
    other = tmp_path / "copy.yaml"
    shutil.copy(PIVOTAL, other)
    report = _check(str(EXAMPLE), paths=(str(PIVOTAL.relative_to(ROOT)), str(other)))
    waived = {(d.file, f.rule_id) for d in report.dossiers for f in d.findings if f.waived}
    assert waived == {("examples/dossiers/gaps/nda-pivotal.yaml", RULE)}
    assert not report.stale_justifications()


@pytest.mark.parametrize(
    ("rule", "reason", "message"),
    [
        (RULE, '""', "expected text, got an empty value"),
        (RULE, '"   "', "expected text, got only spaces"),
        (
            "nda-external-control-mising",
            "ok",
            "unknown rule 'nda-external-control-mising' (did you mean 'nda-external-control-missing'?)",
        ),
    ],
)
def test_bad_justifications_are_input_errors(tmp_path: Path, rule: str, reason: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        _check(_file(tmp_path, rule=rule, reason=reason))
    [problem] = caught.value.problems
    assert problem.file.endswith("justifications.yaml") and problem.line >= 2 and message in problem.message


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_cli_waived_in_every_format_then_expired(tmp_path: Path) -> None:
    file = _file(tmp_path)
    args = ["check", str(PIVOTAL), "--justifications", file, "--fail-on", "warning"]
    outs = []
    for name, fmt in FORMATS.items():
        args += ["-f", name, "-o", str(tmp_path / f"r.{name}{fmt.suffix}")]
        outs.append(tmp_path / f"r.{name}{fmt.suffix}")
    ok = _cli(*args, "--as-of", "2026-06-01")
    assert ok.returncode == 1 and "Traceback" not in ok.stderr  # the unjustified error still fails
    sarif = json.loads((tmp_path / "r.sarif.sarif").read_text("utf-8"))
    [result] = [r for r in sarif["runs"][0]["results"] if r["ruleId"] == RULE]
    assert result["suppressions"][0]["status"] == "accepted"
    assert result["suppressions"][0]["justification"] == "Covered in 2.5."
    html = (tmp_path / "r.html.html").read_text("utf-8")
    assert f'data-rule="{RULE}" data-status="waived"' in html and 'data-status="waived"><th' in html
    junit = (tmp_path / "r.junit.xml").read_text("utf-8")
    assert 'skipped message="waived: findings of nda-external-control-missing' in junit
    report = json.loads((tmp_path / "r.json.json").read_text("utf-8"))
    [finding] = [f for f in report["dossiers"][0]["findings"] if f["rule_id"] == RULE]
    assert finding["status"] == "waived" and finding["waiver"]["expires"] == "2026-12-31"
    assert "(waived)" in (tmp_path / "r.github.txt").read_text("utf-8")
    assert "☑️ waived" in (tmp_path / "r.markdown.md").read_text("utf-8")

    late = _cli("check", str(PIVOTAL), "--justifications", file, "--as-of", "2027-01-01", "-f", "sarif")
    [result] = [r for r in json.loads(late.stdout)["runs"][0]["results"] if r["ruleId"] == RULE]
    assert (
        "suppressions" not in result
        and result["properties"]["expiredJustification"]["expires"] == "2026-12-31"
    )


def test_cli_a_justification_without_a_reason_exits_2(tmp_path: Path) -> None:
    file = tmp_path / "j.yaml"
    file.write_text(
        f"justifications:\n  - rule: {RULE}\n    path: clinical_trials\n    approved_by: QA\n", "utf-8"
    )
    proc = _cli("check", str(PIVOTAL), "--justifications", str(file))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{file}:2:5: error at justifications[0].reason: missing required field 'reason'" in proc.stderr


def test_a_justification_for_a_rule_not_selected_is_valid_and_not_stale(tmp_path: Path) -> None:
    file = _file(tmp_path)
    report = check_paths(
        [str(PIVOTAL)],
        CheckOptions(as_of=AS_OF, justification_files=(file,), select=("nda-response-within",)),
    )
    assert [f.rule_id for f in report.findings()] == ["nda-response-within"]
    assert not report.stale_justifications()


def test_a_file_justification_for_a_dossier_not_checked_is_not_stale(tmp_path: Path) -> None:
    other = ROOT / "examples" / "dossiers" / "gaps" / "nda-bridging.yaml"
    report = _check(str(EXAMPLE), paths=(str(other.relative_to(ROOT)),))
    assert not report.stale_justifications()


def test_dossier_globs_stay_within_a_directory() -> None:
    from checker.base.textutil import path_glob_match

    assert path_glob_match("dossiers/a.yaml", "dossiers/*.yaml")
    assert not path_glob_match("dossiers/gaps/a.yaml", "dossiers/*.yaml")
    assert path_glob_match("dossiers/gaps/a.yaml", "dossiers/**/*.yaml")
    assert path_glob_match("./dossiers/a.yaml", "dossiers/a.yaml")


def test_justification_text_cannot_forge_report_lines(tmp_path: Path) -> None:
    target = tmp_path / "j.yaml"
    target.write_text(
        JUSTIFY.format(rule=RULE, path="clinical_trials", reason='"ok \\e[31mRED\\n::error::x"'), "utf-8"
    )
    text = FORMATS["text"].render(_check(str(target)), "en")
    # shown as its escapes (checker.base.escape), never raw
    assert "\x1b" not in text and "\n::error" not in text and "\\x1b[31mRED ::error::x" in text
    bad = tmp_path / "bad.yaml"
    bad.write_text(JUSTIFY.format(rule=RULE, path='"a\\nb.yaml:1:1 error fake"', reason="r"), "utf-8")
    with pytest.raises(InputError) as caught:
        _check(str(bad))
    assert "expected a dossier path on one line" in caught.value.problems[0].message


def test_expired_wording_in_chinese(tmp_path: Path) -> None:
    text = FORMATS["text"].render(_check(_file(tmp_path), as_of=dt.date(2027, 1, 1)), "zh")
    assert "豁免说明已于2026-12-31过期" in text


def test_a_file_justification_matches_relative_to_its_own_directory(tmp_path: Path) -> None:
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    dossier = root / "examples" / "dossiers" / "gaps" / "nda-pivotal.yaml"
    justifications = root / "examples" / "justifications" / "nda-pivotal.yaml"
    for cwd, given, file in (
        (root, "examples/dossiers/gaps/nda-pivotal.yaml", "examples/justifications/nda-pivotal.yaml"),
        (justifications.parent, "../dossiers/gaps/nda-pivotal.yaml", "nda-pivotal.yaml"),
        (tmp_path, str(dossier), str(justifications)),
    ):
        proc = subprocess.run(
            [
                sys.executable,
                "-m",
                "checker",
                "check",
                given,
                "--justifications",
                file,
                "--as-of",
                "2026-06-01",
            ],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert "[waived (approved by" in proc.stdout, (cwd, proc.stdout, proc.stderr)
