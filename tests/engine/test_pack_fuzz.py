"""The real rule pack on random dossiers, in a subprocess: no signal, no engine error, and the
same findings whether a dossier is checked alone, in a batch, or twice."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import datetime as dt, sys, yaml
sys.path.insert(0, {root!r})
from pydantic import ValidationError
from checker.model import dossier as model
from checker.run.evaluate import Checker
from checker.load.dossier import LoadedDossier, consistency
from checker.base.errors import InputError
from checker.rulepack.pack import load_pack
from checker.load.yamlio import load_yaml
from tests.fuzz import random_dossiers

pack = load_pack()
checked = 0
results = []
with Checker(pack) as checker:
    for i, data in enumerate(random_dossiers({seed}, {count})):
        text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
        located = load_yaml(text, "fuzz.yaml")
        try:
            dossier = model.Dossier.model_validate(located.data)
        except ValidationError:
            continue
        if consistency("fuzz.yaml", located, dossier):
            continue
        loaded = LoadedDossier("fuzz.yaml", "0", located, dossier)
        first = checker.check(loaded, dt.date(2026, 6, 1))
        again = checker.check(loaded, dt.date(2026, 6, 1))
        assert first == again, "not deterministic"
        results.append((loaded, first))
        checked += 1
with Checker(pack) as fresh:
    for loaded, expected in reversed(results[-50:]):
        assert fresh.check(loaded, dt.date(2026, 6, 1)) == expected, "batch order changed findings"
print("checked", checked)
"""


@pytest.mark.slow
@pytest.mark.parametrize("seed", [1, 2])
def test_random_dossiers_never_crash_the_engine(seed: int) -> None:
    code = textwrap.dedent(SCRIPT.format(root=str(ROOT), seed=seed, count=400))
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, f"exit {proc.returncode}\\n{proc.stderr[-3000:]}"
    checked = int(proc.stdout.split()[-1])
    assert checked >= 100, proc.stdout
