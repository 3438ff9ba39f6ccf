"""The bundled examples say what they show: clean files have no finding; each gap file fails
exactly the requirements its `# GAP: <requirement>:` comments name."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from checker.load.dossier import load_dossier
from checker.rulepack.pack import RulePack, load_pack
from checker.run.evaluate import Checker

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "dossiers"
AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack()


@pytest.mark.parametrize("name", sorted(p.name for p in (EXAMPLES / "clean").glob("*.yaml")))
def test_clean_example_has_no_finding(name: str, pack: RulePack) -> None:
    with Checker(pack) as checker:
        result = checker.check(load_dossier(str(EXAMPLES / "clean" / name)), AS_OF)
    assert result.findings == ()


@pytest.mark.parametrize("name", sorted(p.name for p in (EXAMPLES / "gaps").glob("*.yaml")))
def test_gap_example_fails_what_it_says(name: str, pack: RulePack) -> None:
    path = EXAMPLES / "gaps" / name
    declared = set(re.findall(r"# GAP: (CGT-[A-Z-]+):", path.read_text("utf-8")))
    with Checker(pack) as checker:
        result = checker.check(load_dossier(str(path)), AS_OF)
    failed = {r.id for r in result.requirements if r.status == "failed"}
    assert declared and failed == declared
