"""SARIF 2.1.0: valid against the official schema, and carrying what GitHub code scanning reads."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.report.formats import sarif
from checker.report.result import Report
from checker.run.api import CheckOptions, check_paths
from tests.formats.common import AS_OF, CLEAN, GAPS, HOSTILE, ROOT, report

SCHEMA = json.loads((ROOT / "tests" / "reference" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _sarif(r: Report, lang: str = "en") -> dict[str, Any]:
    doc: dict[str, Any] = json.loads(sarif.render(r, lang))
    return doc


@pytest.fixture(scope="module")
def many() -> Report:
    return report(
        [
            "examples/dossiers/clean",
            "examples/dossiers/gaps",
            HOSTILE,
            "tests/formats/data/broken.yaml",
        ]
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_valid_against_the_official_schema(many: Report, lang: str) -> None:
    errors = list(jsonschema.Draft4Validator(SCHEMA).iter_errors(_sarif(many, lang)))
    assert not errors, [e.message for e in errors[:5]]


def test_driver_lists_every_rule_with_what_github_shows(many: Report) -> None:
    run = _sarif(many)["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] == "cgt-check" and driver["version"] == many.provenance.version
    rules = driver["rules"]
    assert [r["id"] for r in rules] == [r.id for r in many.catalogue.rules] and len(rules) >= 100
    for rule in rules:
        assert rule["name"] and rule["shortDescription"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in {"error", "warning", "note"}
        help_text = rule["help"]["text"]
        info = many.catalogue.rule(rule["id"])
        assert info is not None
        assert info.remediation.en in help_text and f"[{info.citation.source}]" in help_text
        if info.citation.quote:
            assert " ".join(info.citation.quote.split()) in rule["help"]["markdown"]
        assert info.requirement in rule["properties"]["tags"]
    taxa = {t["id"] for t in run["taxonomies"][0]["taxa"]}
    assert {r["relationships"][0]["target"]["id"] for r in rules} <= taxa


def test_results_are_located_and_point_at_their_rule(many: Report) -> None:
    run = _sarif(many)["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert len(results) == len(many.findings()) > 20
    for result, finding in zip(results, many.findings(), strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"] == finding.rule_id
        where = result["locations"][0]["physicalLocation"]
        assert where["artifactLocation"] == {
            "uri": finding.file,
            "uriBaseId": "%SRCROOT%",
            "index": where["artifactLocation"]["index"],
        }
        artifact = run["artifacts"][where["artifactLocation"]["index"]]
        assert artifact["location"]["uri"] == finding.file
        assert where["region"] == {"startLine": finding.line, "startColumn": finding.column}
        assert result["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] == finding.path
        assert result["message"]["text"] == finding.message.en
        assert len(result["partialFingerprints"][sarif.FINGERPRINT]) == 64


def test_provenance_and_input_errors(many: Report) -> None:
    run = _sarif(many)["runs"][0]
    p = many.provenance
    assert run["tool"]["driver"]["properties"]["rulePack"] == {
        "name": p.rule_pack,
        "version": p.rule_pack_version,
        "sha256": p.rule_pack_sha256,
        "selection": "",
    }
    assert run["properties"]["asOf"] == AS_OF.isoformat()
    assert {a["location"]["uri"]: a["hashes"]["sha-256"] for a in run["artifacts"]} == {
        d.file: d.sha256 for d in many.dossiers
    }
    invocation = run["invocations"][0]
    assert invocation["executionSuccessful"] is False
    notes = invocation["toolExecutionNotifications"]
    assert [n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for n in notes] == [
        "tests/formats/data/broken.yaml"
    ]
    assert notes[0]["locations"][0]["physicalLocation"]["region"]["startLine"] == many.errors[0].line == 2


def test_language_follows_lang(many: Report) -> None:
    zh = _sarif(many, "zh")["runs"][0]
    assert zh["language"] == "zh-CN"
    first = many.findings()[0]
    assert zh["results"][0]["message"]["text"] == first.message.zh
    assert "（引文为英文原文）" in json.dumps(zh["tool"]["driver"]["rules"], ensure_ascii=False)


def test_fingerprints_survive_lines_moving(tmp_path: Path) -> None:
    target = tmp_path / "dossier.yaml"
    shutil.copy(ROOT / GAPS, target)
    cwd = os.getcwd()
    os.chdir(tmp_path)
    try:
        before = _sarif(check_paths(["dossier.yaml"], CheckOptions(as_of=AS_OF)))["runs"][0]["results"]
        target.write_text("# a new header\n# and another line\n\n" + target.read_text("utf-8"), "utf-8")
        after = _sarif(check_paths(["dossier.yaml"], CheckOptions(as_of=AS_OF)))["runs"][0]["results"]
    finally:
        os.chdir(cwd)

    def key(r: dict[str, Any]) -> tuple[str, str]:
        return r["ruleId"], r["partialFingerprints"][sarif.FINGERPRINT]

    assert before and sorted(map(key, before)) == sorted(map(key, after))
    lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in before]
    moved = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in after]
    assert moved == [line + 3 for line in lines]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("examples/a.yaml", {"uri": "examples/a.yaml", "uriBaseId": "%SRCROOT%"}),
        ("./examples/a.yaml", {"uri": "examples/a.yaml", "uriBaseId": "%SRCROOT%"}),
        (
            "dir with space/申报.yaml",
            {"uri": "dir%20with%20space/%E7%94%B3%E6%8A%A5.yaml", "uriBaseId": "%SRCROOT%"},
        ),
        ("/abs/path/a.yaml", {"uri": "file:///abs/path/a.yaml"}),
        ("C:\\work\\a.yaml", {"uri": "file:///C%3A/work/a.yaml"}),
    ],
)
def test_artifact_uris(given: str, expected: dict[str, str]) -> None:
    assert sarif.artifact_location(given) == expected


def test_a_clean_dossier_has_no_results() -> None:
    run = _sarif(report([CLEAN]))["runs"][0]
    assert run["results"] == [] and run["invocations"][0]["executionSuccessful"] is True


def test_suppressions_and_stale_justifications_are_valid_sarif() -> None:
    from tests.formats.common import JUSTIFICATIONS

    doc = _sarif(report([GAPS], justifications=[JUSTIFICATIONS]))
    assert not list(jsonschema.Draft4Validator(SCHEMA).iter_errors(doc))
    run = doc["runs"][0]
    [waived] = [r for r in run["results"] if "suppressions" in r]
    assert waived["ruleId"] == "materials-consent"
    assert waived["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Consent forms are filed in module 3.2.S.2.3; the dossier field follows "
            "in the next revision.",
            "properties": {
                "approvedBy": "Regulatory lead",
                "approvedOn": "2026-05-01",
                "expires": "2026-12-31",
                "source": "tests/formats/data/justifications.yaml:3:5",
            },
        }
    ]
    [stale] = run["invocations"][0]["toolExecutionNotifications"]
    assert stale["descriptor"]["id"] == "stale-justification" and stale["level"] == "warning"


def test_fingerprints_do_not_depend_on_how_the_path_is_spelled() -> None:
    prints = set()
    for spelling in (GAPS, "./" + GAPS, GAPS.replace("/gaps/", "//gaps/")):
        doc = _sarif(report([spelling]))
        prints.add(tuple(r["partialFingerprints"][sarif.FINGERPRINT] for r in doc["runs"][0]["results"]))
    assert len(prints) == 1
