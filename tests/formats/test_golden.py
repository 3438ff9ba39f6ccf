"""Every format, in both languages, against a committed golden file.

The golden report is checked against a small frozen rule pack of its own (tests/formats/pack, copies
of bundled rules), never the bundled pack, so that only a change in a renderer, not a change to the
rules, shows up as a diff of the golden files. To accept one on purpose:
`UPDATE_GOLDEN=1 python -m pytest tests/formats/test_golden.py`, then review the diff."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, NoReturn

import pytest
import yaml

from checker.base import resources
from checker.report.formats import FORMATS, TEXT_FORMATS
from checker.report.result import Report
from checker.rulepack.pack import load_pack, pack_digest
from tests.formats.common import (
    GOLDEN_BASELINE,
    GOLDEN_COMMITMENTS,
    GOLDEN_JUSTIFICATIONS,
    GOLDEN_PACK,
    GOLDEN_PACK_NAME,
    GOLDEN_SET,
    HOSTILE,
    report,
)

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
COMBINATION = "CGT-IND-COMBINATION-LABEL"  # the requirement no golden dossier is subject to


def _bundled_pack_read() -> NoReturn:
    raise AssertionError("the golden report read the bundled rule pack")


def build_golden_report() -> Report:
    """The golden report, from the golden test pack, with the bundled pack out of reach."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(resources, "rules_dir", _bundled_pack_read)
        pack = load_pack(base=GOLDEN_PACK)
        return report(GOLDEN_SET, [GOLDEN_JUSTIFICATIONS], GOLDEN_BASELINE, pack=pack)


@pytest.fixture(scope="module")
def golden_report() -> Report:
    return build_golden_report()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(TEXT_FORMATS))
def test_format_matches_its_golden_file(golden_report: Report, name: str, lang: str) -> None:
    fmt = FORMATS[name]
    rendered = fmt.render(golden_report, lang)
    path = GOLDEN / f"report.{lang}.{name}{fmt.suffix}"
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    assert rendered == path.read_text(encoding="utf-8"), f"{path.name} changed: review, then UPDATE_GOLDEN=1"


def test_the_golden_report_comes_from_the_golden_test_pack(golden_report: Report) -> None:
    p = golden_report.provenance
    assert p.rule_pack == GOLDEN_PACK_NAME
    assert p.rule_pack_sha256 == pack_digest(base=GOLDEN_PACK)
    assert p.rule_pack_sha256 != pack_digest()
    assert {r.id for r in golden_report.catalogue.rules} == set(load_pack(base=GOLDEN_PACK).rules)


def test_the_golden_report_shows_every_kind_of_result(golden_report: Report) -> None:
    """Errors, a warning and an info (by date rules too), a requirement no dossier is subject to,
    a waived, a baselined and a fixed finding, a stale justification, an input error, and
    markup in the dossier's text."""
    findings = golden_report.findings()
    assert {f.severity for f in findings} == {"error", "warning", "info"}
    assert {"pm-confirmatory-late", "pm-confirmatory-overdue", "pm-confirmatory-due-soon"} <= {
        f.rule_id for f in findings if f.file == GOLDEN_COMMITMENTS
    }
    combination = [r for d in golden_report.dossiers for r in d.requirements if r.id == COMBINATION]
    assert [r.status for r in combination] == ["not-applicable"] * len(golden_report.dossiers)
    assert [f.rule_id for f in findings if f.waived] == ["materials-consent"]
    assert [f.rule_id for f in findings if f.baseline == "unchanged"] == ["pm-confirmatory-late"]
    summary = golden_report.baseline
    assert summary is not None and [e.rule_id for e in summary.fixed] == ["materials-unlawful"]
    assert [s.target for s in golden_report.stale_justifications()] == ["pre-ind-meeting"]
    assert [p.file for p in golden_report.errors] == ["tests/formats/data/broken.yaml"]
    assert any("<img src=x" in f.message.en for f in findings if f.file == HOSTILE)


def test_a_rule_added_to_the_bundled_pack_leaves_the_golden_report_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A copy of the bundled rules with one more rule file, one that would find something in
    a golden dossier: the checker's bundled pack changes, the golden report does not."""
    bundled = tmp_path / "rules"
    shutil.copytree(resources.rules_dir(), bundled)
    rules: list[dict[str, Any]] = yaml.safe_load((bundled / "ind-materials.yaml").read_text("utf-8"))["rules"]
    new = {**next(r for r in rules if r["id"] == "materials-unlawful"), "id": "materials-unlawful-again"}
    (bundled / "new-rule.yaml").write_text(yaml.safe_dump({"rules": [new]}, allow_unicode=True), "utf-8")
    before = pack_digest()
    monkeypatch.setattr(resources, "rules_dir", lambda: bundled)
    assert "materials-unlawful-again" in load_pack().rules and pack_digest() != before

    again = build_golden_report()
    assert again.provenance.rule_pack_sha256 == pack_digest(base=GOLDEN_PACK)
    assert "materials-unlawful-again" not in {f.rule_id for f in again.findings()}
    for name in TEXT_FORMATS:
        fmt = FORMATS[name]
        path = GOLDEN / f"report.en.{name}{fmt.suffix}"
        assert fmt.render(again, "en") == path.read_text(encoding="utf-8"), path.name


def test_every_golden_file_belongs_to_a_format() -> None:
    """Every text format has its golden files (the workbook, a binary file, is held to its
    content by tests/formats/test_xlsx.py)."""
    expected = {f"report.{lang}.{n}{FORMATS[n].suffix}" for n in TEXT_FORMATS for lang in ("en", "zh")}
    assert {p.name for p in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("name", sorted(TEXT_FORMATS))
def test_every_format_records_the_provenance(golden_report: Report, name: str) -> None:
    p = golden_report.provenance
    for lang in ("en", "zh"):
        out = FORMATS[name].render(golden_report, lang)
        assert p.version in out and p.rule_pack_version in out and p.rule_pack_sha256 in out
        assert p.as_of.isoformat() in out
        for d in golden_report.dossiers:
            if name in ("text", "github"):
                continue  # line formats: the report's provenance only, the dossier hash is in the others
            assert d.sha256 in out, (name, d.file)


@pytest.mark.parametrize("name", sorted(TEXT_FORMATS))
def test_rendering_is_pure(golden_report: Report, name: str) -> None:
    """The same report renders to the same bytes, in any order of calls."""
    first = [FORMATS[name].render(golden_report, lang) for lang in ("en", "zh")]
    again = [FORMATS[name].render(golden_report, lang) for lang in ("zh", "en")][::-1]
    assert first == again
