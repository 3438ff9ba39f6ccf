"""Shared inputs for the format tests: a fixed as-of date, a clean dossier, a dossier with gaps,
one with markup in its free text, and a file that is not a dossier."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path

from checker.report.result import Report
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]
AS_OF = dt.date(2026, 6, 1)
CLEAN = "examples/dossiers/clean/car-t-approved.yaml"
GAPS = "examples/dossiers/gaps/ind-materials.yaml"
HOSTILE = "tests/formats/data/hostile-text.yaml"
BROKEN = "tests/formats/data/broken.yaml"
JUSTIFICATIONS = "tests/formats/data/justifications.yaml"  # one waives a GAPS finding, one is stale
GOLDEN_SET = (CLEAN, GAPS, BROKEN)


def report(paths: Sequence[str] = GOLDEN_SET, justifications: Sequence[str] = ()) -> Report:
    """Check repo-relative paths from the repository root, as a CI job would."""
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return check_paths(list(paths), CheckOptions(as_of=AS_OF, justification_files=tuple(justifications)))
    finally:
        os.chdir(cwd)
