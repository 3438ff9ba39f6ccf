"""Every format, in both languages, against a committed golden file.

A change in a renderer shows up as a diff of the golden file. To accept one on purpose:
`UPDATE_GOLDEN=1 python -m pytest tests/formats/test_golden.py`, then review the diff."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from checker.report.formats import FORMATS
from checker.report.result import Report
from tests.formats.common import JUSTIFICATIONS, report

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"


@pytest.fixture(scope="module")
def golden_report() -> Report:
    return report(justifications=[JUSTIFICATIONS])


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", sorted(FORMATS))
def test_format_matches_its_golden_file(golden_report: Report, name: str, lang: str) -> None:
    fmt = FORMATS[name]
    rendered = fmt.render(golden_report, lang)
    path = GOLDEN / f"report.{lang}.{name}{fmt.suffix}"
    if UPDATE:
        path.write_text(rendered, encoding="utf-8")
    assert path.exists(), f"no golden file {path.name}: run with UPDATE_GOLDEN=1 and review it"
    assert rendered == path.read_text(encoding="utf-8"), f"{path.name} changed: review, then UPDATE_GOLDEN=1"


def test_the_golden_report_has_a_waived_finding_and_a_stale_justification(golden_report: Report) -> None:
    assert [f.rule_id for f in golden_report.findings() if f.waived] == ["materials-consent"]
    assert [s.target for s in golden_report.stale_justifications()] == ["CGT-IND-PRE-IND"]


def test_every_golden_file_belongs_to_a_format() -> None:
    expected = {f"report.{lang}.{n}{f.suffix}" for n, f in FORMATS.items() for lang in ("en", "zh")}
    assert {p.name for p in GOLDEN.iterdir()} == expected


@pytest.mark.parametrize("name", sorted(FORMATS))
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


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_rendering_is_pure(golden_report: Report, name: str) -> None:
    """The same report renders to the same bytes, in any order of calls."""
    first = [FORMATS[name].render(golden_report, lang) for lang in ("en", "zh")]
    again = [FORMATS[name].render(golden_report, lang) for lang in ("zh", "en")][::-1]
    assert first == again
