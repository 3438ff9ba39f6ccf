"""Format 2.0 after approval and before it: the post-marketing follow-up apart from the long-term
follow-up, real-world studies and mechanism evidence that name what they serve or come from,
commitments with dates that happen, starting materials with origin and lineage, and more
nonclinical study types. Each is read in a 2.0 dossier and refused, at its place and in both
languages, in a 1.0 one; a lineage that goes round is an input error."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from checker.base.errors import InputError
from checker.engine import facts as F
from checker.load.dossier import load_dossier
from checker.model.common import SINCE_MARK
from checker.model.dossier import Dossier
from checker.model.post_approval import Commitment, RealWorldStudy
from checker.model.product import MoaEvidence, NonclinicalStudy, StartingMaterial

ROOT = Path(__file__).resolve().parents[1]
HEAD = """schema_version: "{v}"
product:
  name: X
  modality: car-t
  mechanism_of_action:
    evidence:
      - id: e1
        kind: nonclinical
        nonclinical_study: nc1
indications:
  - {{id: a, name: A, oncology: true, stage: approved, approval: {{type: conditional, date: 2024-01-02}}}}
  - {{id: b, name: B, oncology: true, stage: approved, approval: {{type: conditional, date: 2024-01-02}}}}
starting_materials:
  - {{id: donor, name: D, kind: tissue, human_origin: true, origin_kind: cord-blood}}
  - {{id: mcb, name: M, kind: cell-bank, human_origin: true, derived_from: donor}}
nonclinical:
  studies:
    - {{id: nc1, type: tcr-cross-reactivity, status: completed}}
post_approval_commitments:
  - id: c1
    kind: confirmatory-trial
    indication: a
    status: completed
    due_after_approval: {{value: 3, unit: year}}
    planned_completion: 2026-01-01
    actual_completion: 2026-02-01
post_marketing_follow_up:
  protocol_ref: P
real_world_studies:
  - {{id: r1, title: R, status: ongoing, indications: [a, b]}}
"""
NEW_FIELDS = [
    (9, "product.mechanism_of_action.evidence[e1].nonclinical_study"),
    (14, "starting_materials[donor].origin_kind"),
    (15, "starting_materials[mcb].derived_from"),
    (18, "nonclinical.studies[nc1].type"),
    (24, "post_approval_commitments[c1].due_after_approval"),
    (25, "post_approval_commitments[c1].planned_completion"),
    (26, "post_approval_commitments[c1].actual_completion"),
    (28, "post_marketing_follow_up"),
    (30, "real_world_studies[r1].indications"),
]


def _write(tmp_path: Path, text: str) -> str:
    f = tmp_path / "d.yaml"
    f.write_text(text, "utf-8")
    return str(f)


def test_a_2_0_dossier_reads_every_new_field(tmp_path: Path) -> None:
    d = load_dossier(_write(tmp_path, HEAD.format(v="2.0"))).dossier
    assert d.product.mechanism_of_action is not None
    assert d.product.mechanism_of_action.evidence[0].nonclinical_study == "nc1"
    assert [(m.origin_kind, m.derived_from) for m in d.starting_materials] == [
        ("cord-blood", None),
        (None, "donor"),
    ]
    assert d.nonclinical is not None and d.nonclinical.studies[0].type == "tcr-cross-reactivity"
    c = d.post_approval_commitments[0]
    assert c.due_after_approval is not None and (c.due_after_approval.value, c.due_after_approval.unit) == (
        3,
        "year",
    )
    assert (str(c.planned_completion), str(c.actual_completion)) == ("2026-01-01", "2026-02-01")
    assert d.post_marketing_follow_up is not None and d.post_marketing_follow_up.protocol_ref == "P"
    assert d.real_world_studies[0].indications == ["a", "b"]


def test_a_1_0_dossier_is_refused_each_new_field_at_its_place_in_both_languages(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_dossier(_write(tmp_path, HEAD.format(v="1.0")))
    problems = info.value.problems
    assert [(p.line, p.path) for p in problems] == NEW_FIELDS
    for p in problems:
        assert 'needs schema_version: "2.0" (this dossier is 1.0' in p.message
        assert '需要 schema_version: "2.0"（本申报资料为 1.0 格式' in p.render("zh")
    value = next(p for p in problems if p.path.endswith(".type"))
    assert "'tcr-cross-reactivity' is a format 2.0 value of type" in value.message
    assert "write other" in value.message


def test_a_1_0_dossier_keeps_the_1_0_study_types(tmp_path: Path) -> None:
    text = HEAD.format(v="2.0").replace("tcr-cross-reactivity", "tumorigenicity").replace('"2.0"', '"1.0"')
    with pytest.raises(InputError) as info:
        load_dossier(_write(tmp_path, text))
    assert "nonclinical.studies[nc1].type" not in [p.path for p in info.value.problems]


@pytest.mark.parametrize(
    ("lineage", "where", "chain"),
    [
        ({"donor": "donor"}, "starting_materials[donor].derived_from", "donor -> donor"),
        ({"donor": "mcb", "mcb": "donor"}, "starting_materials[donor].derived_from", "donor -> mcb -> donor"),
        (
            {"mcb": "wcb", "wcb": "donor", "donor": "mcb"},
            "starting_materials[donor].derived_from",
            "donor -> mcb -> wcb -> donor",
        ),
    ],
)
def test_a_lineage_that_goes_round_is_one_located_input_error(
    tmp_path: Path, lineage: dict[str, str], where: str, chain: str
) -> None:
    lines = ['schema_version: "2.0"', "product: {name: X, modality: stem-cell}", "starting_materials:"]
    for material in ("donor", "mcb", "wcb"):
        parent = f", derived_from: {lineage[material]}" if material in lineage else ""
        lines.append(f"  - {{id: {material}, name: N, kind: cell-bank, human_origin: true{parent}}}")
    with pytest.raises(InputError) as info:
        load_dossier(_write(tmp_path, "\n".join(lines) + "\n"))
    [problem] = info.value.problems
    assert (problem.path, problem.line) == (where, 4)
    assert f"derived_from goes round: {chain}" in problem.message
    assert f"derived_from 形成循环：{chain}" in problem.render("zh")


def test_a_lineage_without_a_cycle_is_read(tmp_path: Path) -> None:
    text = (
        'schema_version: "2.0"\nproduct: {name: X, modality: stem-cell}\nstarting_materials:\n'
        "  - {id: wcb, name: W, kind: cell-bank, human_origin: true, derived_from: mcb}\n"
        "  - {id: mcb, name: M, kind: cell-bank, human_origin: true, derived_from: donor}\n"
        "  - {id: donor, name: D, kind: tissue, human_origin: true}\n"
    )
    assert [m.derived_from for m in load_dossier(_write(tmp_path, text)).dossier.starting_materials] == [
        "mcb",
        "donor",
        None,
    ]


def test_facts_give_the_format_version_and_one_real_world_study_per_indication(tmp_path: Path) -> None:
    facts = F.build_facts(load_dossier(_write(tmp_path, HEAD.format(v="2.0"))).dossier)
    root = facts[0]
    assert (root.data["schema_version"], root.data["schema_version_rank"]) == ("2.0", 2)
    keys = {f.data["key"]: f for f in facts if f.type == "indication"}
    rws = [f for f in facts if f.type == "rws"]
    assert [keys[f.data["indication"]].label for f in rws] == ["indications[a]", "indications[b]"]
    assert [f.data[F.FANOUT_FIRST] for f in rws] == [True, False]
    [commitment] = [f for f in facts if f.type == "commitment"]
    assert commitment.data["due_after_approval"]["days"] == 3 * 365.25


def test_the_schema_says_which_fields_are_2_0() -> None:
    schema = json.loads((ROOT / "schemas" / "dossier.schema.json").read_text("utf-8"))
    checked: list[tuple[type[BaseModel], set[str]]] = [
        (Commitment, {"due_after_approval", "planned_completion", "actual_completion"}),
        (RealWorldStudy, {"indications"}),
        (StartingMaterial, {"origin_kind", "derived_from"}),
        (MoaEvidence, {"nonclinical_study", "trial"}),
        (Dossier, {"post_marketing_follow_up", "labels"}),
    ]
    for cls, names in checked:
        marked = {
            n
            for n, info in cls.model_fields.items()
            if isinstance(info.json_schema_extra, dict) and SINCE_MARK in info.json_schema_extra
        }
        assert marked == names, cls.__name__
        props = schema["properties"] if cls is Dossier else schema["$defs"][cls.__name__]["properties"]
        assert {n for n, p in props.items() if p.get("description", "").startswith("(2.0)")} == names
    types = schema["$defs"]["NonclinicalStudy"]["properties"]["type"]
    assert {"tcr-cross-reactivity", "off-target"} <= set(types["enum"]) and "(2.0) adds" in types[
        "description"
    ]
    assert NonclinicalStudy.model_fields["type"].is_required()
