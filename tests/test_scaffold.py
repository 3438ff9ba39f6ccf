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
from checker.rulepack.spec import Rule
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
    assert made.returncode == 0
    # On standard output the schema comment points to a file the user writes: the note says how.
    assert made.stderr.splitlines() == [
        "init: the template's schema comment points to dossier.schema.json: write it next to the "
        "dossier with `cgt-check schema > dossier.schema.json`, or give --schema URL"
    ]
    (tmp_path / "dossier.yaml").write_text(made.stdout, "utf-8")
    checked = _cli("check", "dossier.yaml", "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert checked.returncode == 1 and "Traceback" not in checked.stderr and checked.stderr == ""
    assert "[CGT-IND-MOA]" in checked.stdout


def test_cli_init_to_a_file_writes_the_schema_its_comment_names(tmp_path: Path) -> None:
    made = _cli("init", "--modality", "car-t", "--stage", "nda-under-review", "-o", "d.yaml", cwd=tmp_path)
    assert made.returncode == 0 and made.stdout == ""
    schema = tmp_path / "dossier.schema.json"
    assert made.stderr.splitlines() == [
        f"init: wrote {schema.relative_to(tmp_path)}, the dossier schema the template's schema comment points to"
    ]
    assert (
        (tmp_path / "d.yaml")
        .read_text("utf-8")
        .startswith("# yaml-language-server: $schema=dossier.schema.json\n")
    )
    assert schema.read_text("utf-8") == _cli("schema").stdout
    # The template checks as what is left to fill in; its blank sections by what they lack.
    checked = _cli("check", "d.yaml", "--as-of", AS_OF.isoformat(), cwd=tmp_path)
    assert checked.returncode == 1 and checked.stderr == ""
    for missing in (
        "clinical_need is missing",
        "malignancy_sample_protocol is missing",
        "risk_management_plan is missing",
    ):
        assert missing not in checked.stdout
    for inside in (
        "clinical_need.shortfall is missing",
        "long_term_follow_up.protocol_ref is missing",
        "malignancy_sample_protocol.triggered_on_malignancy is missing",
        "risk_management_plan.safety_specification is missing",
    ):
        assert inside in checked.stdout
    assert "ct-ltfu-missing" not in checked.stdout
    # A schema already there is never overwritten, and nothing is said about it.
    schema.write_text("mine", "utf-8")
    again = _cli("init", "--modality", "stem-cell", "-o", "e.yaml", cwd=tmp_path)
    assert again.returncode == 0 and again.stderr == "" and schema.read_text("utf-8") == "mine"


def test_cli_init_schema_elsewhere(tmp_path: Path) -> None:
    url = "https://example.invalid/schemas/dossier.schema.json"
    made = _cli("init", "--modality", "gene-therapy", "--schema", url, "-o", "d.yaml", cwd=tmp_path)
    assert made.returncode == 0 and made.stderr == ""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d.yaml"]
    assert (tmp_path / "d.yaml").read_text("utf-8").startswith(f"# yaml-language-server: $schema={url}\n")
    assert _cli("init", "--modality", "gene-therapy", "--schema", url).stderr == ""
    (tmp_path / "sub").mkdir()
    made = _cli(
        "init", "--modality", "gene-therapy", "--schema", "../s.json", "-o", "sub/d.yaml", cwd=tmp_path
    )
    assert made.returncode == 0 and (tmp_path / "s.json").read_text("utf-8") == _cli("schema").stdout
    made = _cli("init", "--modality", "gene-therapy", "--schema", "no/s.json", "-o", "e.yaml", cwd=tmp_path)
    assert made.returncode == 0 and "whose directory does not exist" in made.stderr
    assert "cgt-check schema > no/s.json" in made.stderr and not (tmp_path / "no").exists()


def test_cli_init_never_overwrites(tmp_path: Path) -> None:
    target = tmp_path / "dossier.yaml"
    target.write_text("mine", "utf-8")
    proc = _cli("init", "--modality", "stem-cell", "-o", str(target))
    assert proc.returncode == 2 and "never overwrites" in proc.stderr and target.read_text("utf-8") == "mine"
    assert not (tmp_path / "dossier.schema.json").exists()
    fresh = tmp_path / "new.yaml"
    assert _cli("init", "--modality", "stem-cell", "-o", str(fresh)).returncode == 0
    assert "modality: stem-cell" in fresh.read_text("utf-8")


def _values(node: object) -> set[str]:
    """The values conditions compare fields with (`field: value`, `{in: [...]}`, ...)."""
    if isinstance(node, dict):  # the format version a rule applies to is not a template's value
        return {v for key, value in node.items() if key != "schema_version" for v in _values(value)}
    if isinstance(node, list):
        return {v for value in node for v in _values(value)}
    return {node} if isinstance(node, str) and node not in ("present", "absent") else set()


def _required(rule: Rule) -> set[str]:
    """What an item the rule's gap requires must hold (`absent: [{fact, where: ...}]`): a finding
    of the rule is fixed by an item with these values."""
    return {v for absent in rule.gap.absent for v in _values(absent.where)}


def _looked_for(rule: Rule) -> set[str]:
    """Every value the rule's conditions test, where it applies and what its gap is."""
    return _required(rule) | _values(rule.gap.where) | {v for a in rule.applies for v in _values(a.where)}


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("modality", MODALITIES)
def test_template_comments_name_the_values_its_findings_look_for(
    pack: RulePack, tmp_path: Path, modality: str, stage: str
) -> None:
    # e.g. a CAR-T label needs warnings with topic secondary-malignancy and t-cell-lymphoma
    text = scaffold(modality, stage, AS_OF)
    target = tmp_path / "dossier.yaml"
    target.write_text(text, "utf-8")
    with Checker(pack) as checker:
        result = checker.check(load_dossier(str(target)), AS_OF)
    words = set(re.findall(r"[a-z0-9][a-z0-9-]*", text))
    for f in result.findings:
        assert _required(pack.rules[f.rule_id].rule) <= words, f.rule_id


def test_every_value_a_rule_looks_for_is_named_by_a_template(pack: RulePack) -> None:
    text = " ".join(scaffold(m, s, AS_OF) for m in MODALITIES for s in STAGES)
    words = set(re.findall(r"[a-z0-9][a-z0-9-]*", text))
    missing = {v: rid for rid, lr in pack.rules.items() for v in _looked_for(lr.rule) if v not in words}
    assert missing == {}
