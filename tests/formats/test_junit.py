"""JUnit XML: valid against the Ant JUnit XSD, one case per (dossier, requirement)."""

from __future__ import annotations

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from checker.base import i18n
from checker.base.literals import FAIL_ON
from checker.report.formats import Options, junit, markdown, text
from checker.report.formats.labels import fixed_text
from checker.report.result import Report
from tests.formats.common import AS_OF, HOSTILE, ROOT, report
from tests.formats.test_golden import build_golden_report

XSD = xmlschema.XMLSchema(str(ROOT / "tests" / "reference" / "junit.xsd"))


@pytest.fixture(scope="module")
def many() -> Report:
    return report(["examples/dossiers", HOSTILE, "tests/formats/data/broken.yaml"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_valid_against_the_xsd(many: Report, lang: str) -> None:
    XSD.validate(junit.render(many, lang))


def test_one_case_per_dossier_and_requirement(many: Report) -> None:
    root = ET.fromstring(junit.render(many, "en"))
    suites = root.findall("testsuite")
    assert len(suites) == len(many.dossiers) + 1  # and one for the file that is not a dossier
    keys = [(c.get("classname"), c.get("name")) for c in root.iter("testcase")]
    assert len(keys) == len(set(keys))
    for suite, d in zip(suites[:-1], many.dossiers, strict=True):
        cases = suite.findall("testcase")
        assert len(cases) == len(d.requirements) == int(suite.get("tests", "-1"))
        # a failure: a requirement with a finding at the default gate (--fail-on error)
        failed = [
            r for r in d.requirements if any(f.requirement == r.id and f.fails("error") for f in d.findings)
        ]
        skipped = [r for r in d.requirements if r.status == "not-applicable"]
        assert int(suite.get("failures", "-1")) == len(failed) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped", "-1")) == len(skipped) == len(suite.findall("testcase/skipped"))
        for case, req in zip(cases, d.requirements, strict=True):
            assert case.get("classname") == d.file and case.get("name", "").startswith(req.id + " ")
            failure = case.find("failure")
            if req in failed:
                assert failure is not None and failure.get("type") == req.severity
                mine = [f for f in d.findings if f.requirement == req.id]
                body = failure.text or ""
                for f in mine:  # every finding of the requirement merged into its one failure
                    assert f"{f.file}:{f.line}:{f.column}" in body and f.message.en in body
                    assert f.remediation.en in body and f"[{f.citation.source}]" in body
            elif req.status == "not-applicable":
                skipped_el = case.find("skipped")
                assert skipped_el is not None and skipped_el.get("message") == req.reason.en


def test_deterministic_attributes_and_provenance(many: Report) -> None:
    root = ET.fromstring(junit.render(many, "en"))
    for i, suite in enumerate(root.findall("testsuite")):
        assert suite.get("timestamp") == f"{AS_OF.isoformat()}T00:00:00"
        assert suite.get("hostname") == "localhost" and suite.get("time") == "0" and suite.get("id") == str(i)
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["rule_pack_sha256"] == many.provenance.rule_pack_sha256
        assert props["as_of"] == AS_OF.isoformat()
    for suite, d in zip(root.findall("testsuite"), many.dossiers, strict=False):
        assert {p.get("name"): p.get("value") for p in suite.iter("property")}["dossier_sha256"] == d.sha256


def test_an_unreadable_file_is_an_error_case(many: Report) -> None:
    root = ET.fromstring(junit.render(many, "zh"))
    suite = root.findall("testsuite")[-1]
    assert suite.get("name") == "tests/formats/data/broken.yaml" and suite.get("errors") == "1"
    error = suite.find("testcase/error")
    assert error is not None and error.get("type") == "input-error" and "YAML" in (error.get("message") or "")


def test_text_xml_cannot_carry_is_escaped() -> None:
    assert junit._clean("a\x00b\x1bc\ufffe") == "a\\u0000b\\u001bc\\ufffe"


def test_markup_in_the_dossier_stays_text(tmp_path: Path) -> None:
    out = junit.render(report([HOSTILE]), "en")
    XSD.validate(out)
    assert "<img" not in out and "&lt;img src=x onerror=alert(1)&gt;" in out


@pytest.mark.parametrize("fail_on", FAIL_ON)
def test_a_failure_is_what_fails_the_gate(fail_on: str) -> None:
    """A requirement is a <failure> only when one of its findings is at or above --fail-on (and
    neither justified nor baselined); the findings below it are reported in <system-out>."""
    checked = report(["examples/dossiers"])
    out = junit.render(checked, "en", Options(fail_on=fail_on))
    XSD.validate(out)
    root = ET.fromstring(out)
    failures = 0
    for suite, d in zip(root.findall("testsuite"), checked.dossiers, strict=True):
        props = {p.get("name"): p.get("value") for p in suite.iter("property")}
        assert props["fail_on"] == fail_on
        below = []
        for case, req in zip(suite.findall("testcase"), d.requirements, strict=True):
            mine = [f for f in d.findings if f.requirement == req.id]
            fails = any(f.fails(fail_on) for f in mine)
            assert (case.find("failure") is not None) == fails, (d.file, req.id, fail_on)
            failures += fails
            if req.status == "failed" and not fails:
                below += mine
        assert int(suite.get("failures", "-1")) == len(suite.findall("testcase/failure"))
        said = suite.findtext("system-out") or ""
        assert (i18n.text("below_gate", "en", fail_on=fail_on) in said) == bool(below)
        for f in below:
            assert f"{f.file}:{f.line}:{f.column} {f.severity} {f.rule_id}" in said
    assert (failures == 0) == (checked.exit_code(fail_on) == 0)
    if fail_on == "error":  # the bundled examples' warnings are reported, not failed
        assert (
            failures
            and checked.counts()["warning"]
            and "warning" not in {el.get("type") for el in root.iter("failure")}
        )


def test_a_baseline_run_names_the_findings_it_counts_as_fixed() -> None:
    golden = build_golden_report()
    assert golden.baseline is not None and golden.baseline.fixed
    junit_out = junit.render(golden, "zh")
    text_out = text.render(golden, "zh")
    markdown_out = markdown.render(golden, "en")
    for e in golden.baseline.fixed:
        line = i18n.text(
            "fixed_line", "zh", file=e.file, rule=e.rule_id, requirement=e.requirement, path=e.path
        )
        assert line in text_out and line in junit_out
        assert markdown.esc(fixed_text(e, "en")) in markdown_out
    assert f"## Fixed since the baseline ({len(golden.baseline.fixed)})" in markdown_out


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True, text=True, timeout=180
    )


def test_cli_junit_failures_match_the_exit_code() -> None:
    """Only a warning is found: at the default gate the run passes and JUnit has no failure;
    at --fail-on warning both fail."""
    args = ["check", "examples/dossiers/gaps/nda-bridging.yaml", "--as-of", AS_OF.isoformat()]
    args += ["--select", "nda-foreign-data-communication", "-f", "junit"]
    passing, failing = _cli(*args), _cli(*args, "--fail-on", "warning")
    assert passing.returncode == 0 and failing.returncode == 1, passing.stderr
    for proc in (passing, failing):
        XSD.validate(proc.stdout)
    assert "<failure" not in passing.stdout and "below --fail-on error" in passing.stdout
    root = ET.fromstring(failing.stdout)
    assert [c.get("name", "").split()[0] for c in root.iter("testcase") if c.find("failure") is not None] == [
        "CGT-NDA-FOREIGN-DATA-COMMUNICATION"
    ]
