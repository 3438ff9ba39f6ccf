"""`cgt-check init`: for every modality and stage, a schema-valid template whose findings point
only at what it leaves to fill in."""

from __future__ import annotations

import datetime as dt
import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from checker.base.errors import UsageError
from checker.load.dossier import load_dossier
from checker.load.yamlio import load_yaml
from checker.model.vocab import MODALITIES, STAGES
from checker.rulepack.pack import RulePack, load_pack
from checker.run.evaluate import Checker
from checker.run.scaffold import scaffold

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 6, 1)
SCHEMA = json.loads((ROOT / "schemas" / "dossier.schema.json").read_text("utf-8"))


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack()


def _to_fill(line: str) -> bool:
    """A template line that still has something to fill in: an empty value, an empty list, or TODO."""
    if "TODO" in line:
        return True
    value = line.split("#", 1)[0].rstrip()
    return bool(re.search(r":$|: \[\]$", value))


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("modality", MODALITIES)
def test_template_is_valid_and_its_findings_are_what_is_left_to_fill(
    tmp_path: Path, pack: RulePack, modality: str, stage: str
) -> None:
    text = scaffold(modality, stage, AS_OF)
    assert text.startswith("# yaml-language-server: $schema=dossier.schema.json\n")
    jsonschema.Draft202012Validator(SCHEMA).validate(load_yaml(text.encode(), "dossier.yaml").data)
    target = tmp_path / "dossier.yaml"
    target.write_text(text, "utf-8")
    loaded = load_dossier(str(target))  # the checker's own validation, consistency included
    assert loaded.dossier.product.modality == modality
    assert [i.stage for i in loaded.dossier.indications] == [stage]
    with Checker(pack) as checker:
        result = checker.check(loaded, AS_OF)
    assert result.findings, "an empty template has gaps to report"
    lines = text.splitlines()
    for f in result.findings:
        assert _to_fill(lines[f.line - 1]), f"{f.rule_id} at line {f.line}: {lines[f.line - 1]!r}"


def test_unknown_modality_or_stage() -> None:
    with pytest.raises(UsageError):
        scaffold("car-x", "approved", AS_OF)
    with pytest.raises(UsageError):
        scaffold("car-t", "marketed", AS_OF)


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def test_cli_init_then_check(tmp_path: Path) -> None:
    made = _cli("init", "--modality", "car-t", "--stage", "nda-under-review")
    assert made.returncode == 0 and made.stderr == ""
    (tmp_path / "dossier.yaml").write_text(made.stdout, "utf-8")
    checked = _cli("check", "dossier.yaml", "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr and checked.stderr == ""
    assert "[CGT-IND-MOA]" in checked.stdout


def test_cli_init_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "dossier.yaml"
    target.write_text("mine", "utf-8")
    proc = _cli("init", "--modality", "stem-cell", "-o", str(target))
    assert proc.returncode == 2 and "never overwrites" in proc.stderr and target.read_text("utf-8") == "mine"
    fresh = tmp_path / "new.yaml"
    assert _cli("init", "--modality", "stem-cell", "-o", str(fresh)).returncode == 0
    assert "modality: stem-cell" in fresh.read_text("utf-8")
