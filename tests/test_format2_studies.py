"""Format 2.0 for studies, approvals, safety events and regimens: the fields a 1.0 dossier cannot
use (refused at the field), the checks on their values, and the facts the rules read from them."""

from __future__ import annotations

from typing import Any

import pytest

from checker.base.errors import InputError
from checker.engine import facts as F
from checker.load.dossier import LoadedDossier, load_dossier
from checker.model.common import SINCE_MARK
from checker.model.product import Approval
from checker.model.trials import CombinationPartner, ForeignStudy, LabelUse, OverseasApproval, SafetyEvent

HEAD = 'schema_version: "{v}"\nproduct: {{name: X, modality: car-t}}\n'
INDICATIONS = """indications:
  - id: lbcl
    name: L
    oncology: true
    stage: approved
    approval:
      type: conditional
      date: 2024-01-01
      rests_on: [{foreign_study: fs}, {trial: ct}]
  - {id: fl, name: F, oncology: true, stage: confirmatory-trial}
"""
STUDIES = """clinical_trials:
  - {id: ct, title: T, role: pivotal, indications: [lbcl], design: single-arm}
overseas_approvals:
  - {id: fda, agency: FDA, indication: LBCL in words, type: accelerated, indications: [lbcl, fl]}
foreign_studies:
  - id: fs
    title: F
    role: pivotal
    relied_on: true
    registration: NCT-X
    design: single-arm
    region: overseas
    countries: [United States]
    indications: [lbcl, fl]
    comparator: {existing_therapies: [salvage chemotherapy]}
"""
IIT = """investigator_initiated_trials:
  - id: iit
    title: I
    serious_safety_events:
      - {id: e1, description: two deaths from CRS, serious: true, ctcae_grade: 5, outcome: fatal, relatedness: related, subjects_affected: 2}
"""
PARTNER = """combination_partners:
  - id: p
    product: P
    approved: true
    approved_uses:
      - indication: L
        approved_regimen: {amount: 1, unit: g, basis: per-m2, interval: {value: 1, unit: week}, doses: 4, route: intravenous}
    proposed_indication: L
    proposed_regimen: {amount: 375, unit: mg, basis: per-m2, interval: {value: 7, unit: day}, doses: 4, route: intravenous}
"""
ALL = INDICATIONS + STUDIES + IIT + PARTNER


def _load(text: str) -> LoadedDossier:
    return load_dossier("d.yaml", text.encode("utf-8"))


def _problems(text: str) -> list[tuple[int, str, str]]:
    with pytest.raises(InputError) as info:
        _load(text)
    return [(p.line, p.path, p.message) for p in info.value.problems]


def _facts(loaded: LoadedDossier, fact: str) -> list[dict[str, Any]]:
    return [f.data for f in F.build_facts(loaded.dossier) if f.type == fact]


def test_a_1_0_dossier_is_refused_every_2_0_field_at_its_place() -> None:
    problems = _problems(HEAD.format(v="1.0") + ALL)
    assert sorted(path for _, path, _ in problems) == sorted(
        [
            "indications[lbcl].approval.rests_on",
            "investigator_initiated_trials[iit].serious_safety_events[e1].ctcae_grade",
            "investigator_initiated_trials[iit].serious_safety_events[e1].outcome",
            "investigator_initiated_trials[iit].serious_safety_events[e1].relatedness",
            "investigator_initiated_trials[iit].serious_safety_events[e1].subjects_affected",
            "combination_partners[p].approved_uses[0].approved_regimen",
            "combination_partners[p].proposed_regimen",
            "overseas_approvals[fda].type",
            "overseas_approvals[fda].indications",
            "foreign_studies[fs].registration",
            "foreign_studies[fs].design",
            "foreign_studies[fs].region",
            "foreign_studies[fs].countries",
            "foreign_studies[fs].indications",
            "foreign_studies[fs].comparator",
        ]
    )
    assert all('needs schema_version: "2.0" (this dossier is 1.0)' in m for *_, m in problems)


def test_a_2_0_dossier_reads_them_and_the_facts_carry_them() -> None:
    loaded = _load(HEAD.format(v="2.0") + ALL)
    keys = {f.label: f.data["key"] for f in F.build_facts(loaded.dossier) if "[" in f.label}
    # one foreign study fact and one overseas approval fact per indication they serve
    assert sorted(d["indication"] for d in _facts(loaded, "foreign_study")) == [
        keys["indications[lbcl]"],
        keys["indications[fl]"],
    ]
    assert [d["fanout_first"] for d in _facts(loaded, "foreign_study")] == [True, False]
    assert sorted(d["dossier_indication"] for d in _facts(loaded, "overseas_approval")) == sorted(
        [keys["indications[lbcl]"], keys["indications[fl]"]]
    )
    # one approval basis fact per study the approval rests on, keyed to its indication
    bases = _facts(loaded, "approval_basis")
    assert [(b["indication"], b.get("foreign_study"), b.get("trial")) for b in bases] == [
        (keys["indications[lbcl]"], keys["foreign_studies[fs]"], None),
        (keys["indications[lbcl]"], None, keys["clinical_trials[ct]"]),
    ]
    [event] = _facts(loaded, "iit_event")
    assert (event["ctcae_grade"], event["outcome"], event["subjects_affected"]) == (5, "fatal", 2)
    # regimens: one unit on one basis compares (1 g/m2 = 1000 mg/m2), intervals in days
    [partner] = _facts(loaded, "partner")
    [use] = _facts(loaded, "partner_use")
    proposed, approved = partner["proposed_regimen"], use["approved_regimen"]
    assert proposed["family"] == approved["family"] == 13
    assert (proposed["base_value"], approved["base_value"]) == (375.0, 1000.0)
    assert proposed["interval"]["days"] == approved["interval"]["days"] == 7.0
    assert proposed["route_number"] == approved["route_number"]


@pytest.mark.parametrize(
    ("basis", "unit", "family"),
    [
        ("flat", "mg", 11),
        ("per-kg", "ug", 12),
        ("per-kg", "cells", 22),
        ("per-m2", "iu", 43),
        ("flat", "vg", 31),
    ],
)
def test_a_regimen_family_is_its_unit_and_its_basis(basis: str, unit: str, family: int) -> None:
    text = HEAD.format(v="2.0") + (
        f"combination_partners:\n  - {{id: p, product: P, approved: true, "
        f"proposed_regimen: {{amount: 2, unit: {unit}, basis: {basis}}}}}\n"
    )
    [partner] = _facts(_load(text), "partner")
    assert partner["proposed_regimen"]["family"] == family


def test_grade_5_is_death() -> None:
    text = HEAD.format(v="2.0") + IIT.replace("outcome: fatal", "outcome: resolved")
    [(line, path, said)] = _problems(text)
    assert (line, path) == (7, "investigator_initiated_trials[iit].serious_safety_events[e1]")
    assert "CTCAE grade 5 is death" in said and "'resolved'" in said
    assert _load(HEAD.format(v="2.0") + IIT.replace("outcome: fatal", "outcome: unknown"))


@pytest.mark.parametrize("basis", ["{}", "{trial: ct, foreign_study: fs}"])
def test_an_approval_basis_names_one_study(basis: str) -> None:
    text = (
        HEAD.format(v="2.0")
        + INDICATIONS.replace("[{foreign_study: fs}, {trial: ct}]", f"[{basis}]")
        + STUDIES
    )
    [(_, path, said)] = _problems(text)
    assert path == "indications[lbcl].approval.rests_on[0]"
    assert "either trial" in said


def test_an_approval_basis_must_name_a_known_study() -> None:
    text = HEAD.format(v="2.0") + INDICATIONS.replace("{trial: ct}", "{trial: nope}") + STUDIES
    [(_, path, said)] = _problems(text)
    assert path == "indications[lbcl].approval.rests_on[1].trial"
    assert said.startswith("'nope' is not the id of an item in clinical_trials")


@pytest.mark.parametrize(
    ("cls", "fields"),
    [
        (ForeignStudy, {"registration", "design", "region", "countries", "indications", "comparator"}),
        (OverseasApproval, {"type", "indications"}),
        (Approval, {"rests_on"}),
        (SafetyEvent, {"ctcae_grade", "outcome", "relatedness", "subjects_affected"}),
        (CombinationPartner, {"proposed_regimen"}),
        (LabelUse, {"approved_regimen"}),
    ],
)
def test_the_2_0_fields_are_marked(cls: Any, fields: set[str]) -> None:
    marked = {
        name
        for name, info in cls.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and SINCE_MARK in info.json_schema_extra
    }
    assert marked == fields
    assert all(cls.model_fields[name].description.startswith("(2.0)") for name in fields)


def test_1_0_text_fields_stay_beside_the_2_0_links() -> None:
    """2.0 is additive: the overseas approval's indication in words is kept beside its links."""
    approvals = _facts(_load(HEAD.format(v="2.0") + INDICATIONS + STUDIES), "overseas_approval")
    assert [(a["indication"], a["type"]) for a in approvals] == [("LBCL in words", "accelerated")] * 2
