"""The committed JSON Schemas are generated from the models and never drift."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from checker.report import schemas

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("kind", sorted(schemas.SCHEMAS))
def test_committed_schema_matches_model(kind: str) -> None:
    committed = (ROOT / "schemas" / f"{kind}.schema.json").read_text("utf-8")
    assert committed == schemas.render(kind), (
        f"schemas/{kind}.schema.json drifted: run python -m checker.report.schemas"
    )


@pytest.mark.parametrize("kind", sorted(schemas.SCHEMAS))
def test_schema_is_valid_draft_2020_12(kind: str) -> None:
    jsonschema.Draft202012Validator.check_schema(json.loads(schemas.render(kind)))


def test_every_dossier_field_is_described() -> None:
    schema = schemas.dossier_schema()
    undocumented = []
    for name, definition in schema["$defs"].items():
        if "@" in name:  # a format version's restriction: the fields it refuses are described
            continue
        for field, spec in definition.get("properties", {}).items():
            if "description" not in spec:
                undocumented.append(f"{name}.{field}")
    assert undocumented == []


def test_examples_validate_against_the_published_schema() -> None:
    validator = jsonschema.Draft202012Validator(
        schemas.dossier_schema(), format_checker=jsonschema.FormatChecker()
    )
    files = sorted((ROOT / "examples" / "dossiers").rglob("*.yaml"))
    assert files
    for f in files:
        data = json.loads(json.dumps(yaml.safe_load(f.read_text("utf-8")), default=str))
        errors = list(validator.iter_errors(data))
        assert not errors, f"{f.name}: {errors[0].message} at {list(errors[0].absolute_path)}"


def test_a_field_or_value_of_another_format_version_is_refused_by_the_schema() -> None:
    validator = jsonschema.Draft202012Validator(schemas.dossier_schema())
    v1 = yaml.safe_load((ROOT / "rules" / "cases" / "format-1.0" / "car-t-approved.yaml").read_text("utf-8"))
    v1 = json.loads(json.dumps(v1, default=str))
    assert validator.is_valid(v1)
    v1["label"]["warnings"].append({"topic": "hepatotoxicity"})
    assert not validator.is_valid(v1)
    v1["label"]["warnings"].pop()
    v1["clinical_trials"][0]["primary_endpoint"]["measure_code"] = "objective-response-rate"
    errors = list(validator.iter_errors(v1))
    assert len(errors) == 1  # the version's restriction, at the trial that uses the field
    v1["schema_version"] = "2.0"
    assert not validator.is_valid(v1)  # the 1.0 label
    v1["labels"] = [
        {"id": "l", "status": "approved", **{k: v for k, v in v1.pop("label").items() if k != "status"}}
    ]
    assert validator.is_valid(v1)


def test_rule_reference_is_generated_from_the_rules() -> None:
    from checker.rulepack.pack import load_pack
    from checker.rulepack.ruledocs import render

    committed = (ROOT / "docs" / "rules.md").read_text("utf-8")
    assert committed == render(load_pack()), "docs/rules.md drifted: run python -m checker.rulepack.ruledocs"
