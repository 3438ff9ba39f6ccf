"""Shared inputs for the format tests: a fixed as-of date, a clean dossier, a dossier with gaps,
one with markup in its free text, and a file that is not a dossier; and the inputs of the golden
report, checked against the golden test pack instead of the bundled one."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from checker.report.result import Report
from checker.rulepack.pack import RulePack
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 6, 1)
CLEAN = "examples/dossiers/clean/car-t-approved.yaml"
GAPS = "examples/dossiers/gaps/ind-materials.yaml"
HOSTILE = "tests/formats/data/hostile-text.yaml"
BROKEN = "tests/formats/data/broken.yaml"
JUSTIFICATIONS = "tests/formats/data/justifications.yaml"  # one waives a GAPS finding, one is stale

# The golden report: a small frozen rule pack of copies of bundled rules, and its own dossiers,
# so that a rule added to the bundled pack does not rewrite the golden files.
GOLDEN_PACK = ROOT / "tests" / "formats" / "pack"
GOLDEN_PACK_NAME = "cgt-checker-golden-test"
GOLDEN_CLEAN = "tests/formats/data/golden/clean.yaml"
GOLDEN_COMMITMENTS = "tests/formats/data/golden/commitments.yaml"  # errors, a warning and an info, by date
GOLDEN_SET = (GOLDEN_CLEAN, GOLDEN_COMMITMENTS, HOSTILE, BROKEN)
GOLDEN_JUSTIFICATIONS = "tests/formats/data/golden/justifications.yaml"  # waives a HOSTILE finding; one stale
GOLDEN_BASELINE = "tests/formats/data/golden/baseline.json"  # one GOLDEN_COMMITMENTS finding, one fixed


def report(
    paths: Sequence[str],
    justifications: Sequence[str] = (),
    baseline: str | None = None,
    pack: RulePack | None = None,
) -> Report:
    """Check repo-relative paths from the repository root, as a CI job would (against the bundled
    pack unless another is given)."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        options = CheckOptions(as_of=AS_OF, justification_files=tuple(justifications), baseline_file=baseline)
        return check_paths(list(paths), options, pack=pack)
    finally:
        os.chdir(cwd)
