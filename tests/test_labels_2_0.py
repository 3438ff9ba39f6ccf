"""Format 2.0 labels: the approved label and draft revisions in `labels`, each covering
indications; 1.0's one `label` is a 1.0 field, and the label warning topics added in 2.0 are 2.0
values, each refused in the other format at its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.base.errors import InputError
from checker.engine.facts import build_facts
from checker.load.dossier import load_dossier

HEAD = 'schema_version: "{v}"\nproduct: {{name: X, modality: car-t}}\n'
INDICATIONS = """indications:
  - {id: a, name: A, oncology: true, stage: approved, approval: {type: full, date: 2020-01-01}}
  - {id: b, name: B, oncology: true, stage: nda-under-review}
"""
LABELS = """labels:
  - id: approved
    status: approved
    indications: [a]
    warnings:
      - {topic: secondary-malignancy}
  - id: revision
    status: draft
    indications: [a, b]
    revises: approved
    warnings:
      - {topic: infusion-reactions}
"""
LABEL = """label:
  status: approved
  warnings:
    - {topic: hepatotoxicity}
"""


def _load(tmp_path: Path, text: str) -> object:
    f = tmp_path / "d.yaml"
    f.write_text(text, "utf-8")
    return load_dossier(str(f))


def _problems(tmp_path: Path, text: str) -> list[tuple[int, str, str, str]]:
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    return [(p.line, p.path, p.message, p.text("zh")) for p in info.value.problems]


def test_a_2_0_dossier_lists_labels_each_covering_indications(tmp_path: Path) -> None:
    loaded = _load(tmp_path, HEAD.format(v="2.0") + INDICATIONS + LABELS)
    labels = loaded.dossier.labels  # type: ignore[attr-defined]
    assert [(lb.id, lb.status, lb.indications, lb.revises) for lb in labels] == [
        ("approved", "approved", ["a"], None),
        ("revision", "draft", ["a", "b"], "approved"),
    ]
    facts = [f for f in build_facts(loaded.dossier) if f.type in ("label", "warning")]  # type: ignore[attr-defined]
    assert sorted((f.type, f.label, f.data.get("indication") is not None) for f in facts) == [
        ("label", "labels[approved]", True),
        ("label", "labels[revision]", True),
        ("label", "labels[revision]", True),  # one fact per indication the revision covers
        ("warning", "labels[approved].warnings[0]", False),
        ("warning", "labels[revision].warnings[0]", False),
    ]
    keys = {f.label: f.data["key"] for f in facts if f.type == "label"}
    revision = [f for f in facts if f.label == "labels[revision]"]
    assert revision[0].data["revises"] == keys["labels[approved]"]
    assert {f.data["label"] for f in facts if f.type == "warning"} == set(keys.values())


def test_a_1_0_dossier_cannot_list_labels(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEAD.format(v="1.0") + INDICATIONS + LABELS)
    assert [(line, path) for line, path, *_ in problems] == [(7, "labels")]
    assert 'needs schema_version: "2.0"' in problems[0][2]


def test_a_2_0_dossier_writes_labels_for_the_1_0_label_and_is_told_so_in_either_language(
    tmp_path: Path,
) -> None:
    problems = _problems(
        tmp_path, HEAD.format(v="2.0") + INDICATIONS + LABEL.replace("hepatotoxicity", "crs")
    )
    assert [(line, path) for line, path, *_ in problems] == [(7, "label")]
    assert "a format 2.0 dossier writes labels instead (`cgt-check migrate FILE`" in problems[0][2]
    assert "2.0 格式的申报资料应改写为 labels" in problems[0][3]


def test_the_warning_topics_of_2_0_are_refused_in_1_0_at_the_topic(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEAD.format(v="1.0") + INDICATIONS + LABEL)
    assert [(line, path) for line, path, *_ in problems] == [(9, "label.warnings[0].topic")]
    assert "topic 'hepatotoxicity' is a format 2.0 value" in problems[0][2]
    loaded = _load(
        tmp_path, HEAD.format(v="2.0") + INDICATIONS + LABELS.replace("infusion-reactions", "hepatotoxicity")
    )
    assert loaded.dossier.labels[1].warnings[0].topic == "hepatotoxicity"  # type: ignore[attr-defined]


def test_a_revision_of_an_unknown_label_is_a_located_reference_error(tmp_path: Path) -> None:
    problems = _problems(
        tmp_path, HEAD.format(v="2.0") + INDICATIONS + LABELS.replace("revises: approved", "revises: aproved")
    )
    assert [(line, path) for line, path, *_ in problems] == [(15, "labels[revision].revises")]
    assert "did you mean 'approved'" in problems[0][2]


RMP = """risk_management_plan:
  risks:
    - {risk: crs}
    - {risk: hepatotoxicity}
"""


def test_the_risks_of_2_0_are_refused_in_1_0_at_the_risk_and_read_in_2_0(tmp_path: Path) -> None:
    """A gene therapy's plan names hepatotoxicity (the label warning topics of 2.0) without
    writing `other`; a 1.0 dossier is told at the value, in either language."""
    problems = _problems(tmp_path, HEAD.format(v="1.0") + INDICATIONS + RMP)
    assert [(line, path) for line, path, *_ in problems] == [(9, "risk_management_plan.risks[1].risk")]
    assert "risk 'hepatotoxicity' is a format 2.0 value" in problems[0][2]
    assert "risk “hepatotoxicity”是 2.0 格式的取值" in problems[0][3]
    loaded = _load(tmp_path, HEAD.format(v="2.0") + INDICATIONS + RMP)
    risks = loaded.dossier.risk_management_plan.risks  # type: ignore[attr-defined]
    assert [r.risk for r in risks] == ["crs", "hepatotoxicity"]
