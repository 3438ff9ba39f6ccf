"""JUnit XML: valid against the Ant JUnit XSD, one case per (dossier, requirement)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xmlschema

from checker.report.formats import junit
from checker.report.result import Report
from tests.formats.common import AS_OF, HOSTILE, ROOT, report

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
        failed = [r for r in d.requirements if r.status == "failed"]
        skipped = [r for r in d.requirements if r.status == "not-applicable"]
        assert int(suite.get("failures", "-1")) == len(failed) == len(suite.findall("testcase/failure"))
        assert int(suite.get("skipped", "-1")) == len(skipped) == len(suite.findall("testcase/skipped"))
        for case, req in zip(cases, d.requirements, strict=True):
            assert case.get("classname") == d.file and case.get("name", "").startswith(req.id + " ")
            failure = case.find("failure")
            if req.status == "failed":
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
