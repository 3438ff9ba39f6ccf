"""The executive summary's pieces: a dossier's verdict in one sentence, its gaps that matter most,
and the portfolio's requirement × dossier statuses."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checker.report.formats.overview import SYMBOLS, Tally, overall, portfolio, top_gaps, verdict
from checker.report.result import Report
from tests.formats.common import CLEAN, GAPS, report
from tests.formats.test_golden import build_golden_report


@pytest.fixture(scope="module")
def golden() -> Report:
    return build_golden_report()


@pytest.fixture(scope="module")
def checked() -> Report:
    return report([GAPS, CLEAN])


def test_a_verdict_counts_what_can_fail_the_gate(golden: Report) -> None:
    commitments = next(d for d in golden.dossiers if d.file.endswith("commitments.yaml"))
    t = Tally.of(commitments)
    assert t.gating["error"] and t.baselined == 1  # the golden baseline holds one of its findings
    sentence = verdict(commitments, "en")
    errors = t.gating["error"]
    noun = "gap would be a reason" if errors == 1 else "gaps would be reasons"
    assert sentence.startswith(f"{errors} {noun} for non-approval")
    assert "1 gap is in the baseline" in sentence and sentence.endswith(".")
    zh = verdict(commitments, "zh")
    assert zh.startswith(f"{errors} 项缺陷可能成为不予批准的理由") and "；" in zh and zh.endswith("。")


def test_a_waived_gap_is_said_apart(golden: Report) -> None:
    hostile = next(d for d in golden.dossiers if d.file.endswith("hostile-text.yaml"))
    assert Tally.of(hostile).waived == 1
    assert "1 gap is waived" in verdict(hostile, "en")
    assert "1 项缺陷已豁免" in verdict(hostile, "zh")


def test_a_clean_dossier_says_what_it_met(checked: Report) -> None:
    clean = checked.dossiers[1]
    passed = sum(1 for r in clean.requirements if r.status == "passed")
    na = len(clean.requirements) - passed
    assert verdict(clean, "en") == f"No gap found: {passed} requirement(s) met, {na} not applicable."
    assert verdict(clean, "zh") == f"未发现缺陷：{passed} 项要求符合，{na} 项不适用。"


def test_the_gaps_that_matter_most_are_the_most_severe_first(checked: Report) -> None:
    gaps = checked.dossiers[0]
    top, more = top_gaps(gaps, 1)
    gating = [f for f in gaps.findings if f.gating]
    assert len(top) == 1 and more == len(gating) - 1
    assert top[0].severity == "error"
    few = replace(gaps, findings=tuple(f for f in gaps.findings if f.severity != "error"))
    assert all(f.severity != "error" for f in top_gaps(few)[0])


def test_the_portfolio_has_a_status_per_requirement_and_dossier(checked: Report) -> None:
    rows = portfolio(checked, "en")
    assert [r.id for r in rows] == [r.id for r in checked.dossiers[0].requirements]
    for i, row in enumerate(rows):
        assert row.statuses == tuple(d.requirements[i].status for d in checked.dossiers)
        assert row.failing == row.statuses.count("failed")
        assert all(s in SYMBOLS for s in row.statuses)
    assert (
        overall(checked, "en") == "2 dossier(s) checked; 1 with gaps that would be reasons for non-approval."
    )
    assert len(set(SYMBOLS.values())) == len(SYMBOLS)  # each status its own symbol
