"""`cgt-check init`: a commented dossier template for a modality and a stage.

The template is schema-valid as written; what it leaves empty are gaps, so checking it lists
exactly what is still to be filled in."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from checker.base import i18n
from checker.base.errors import UsageError
from checker.model.vocab import MODALITIES, STAGES

CELL_MODALITIES = frozenset({"car-t", "car-nk", "tcr-t", "other-somatic-cell", "stem-cell"})
MODIFIED_MODALITIES = frozenset({"car-t", "car-nk", "tcr-t", "gene-therapy", "oncolytic-microorganism"})
ONCOLOGY_MODALITIES = frozenset(
    {"car-t", "car-nk", "tcr-t", "oncolytic-microorganism", "therapeutic-vaccine"}
)
LATE_STAGES = frozenset({"confirmatory-trial", "nda-under-review", "approved"})
CAR_T = frozenset({"car-t"})


@cache
def _template() -> Any:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("checker.run", "templates"),
        autoescape=False,  # YAML, not markup: every value below is a fixed token or a date
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template("dossier.yaml.j2")


def scaffold(modality: str, stage: str, as_of: dt.date, schema: str = "dossier.schema.json") -> str:
    """The template text for one modality and stage (`as_of` fills the approval date to check)."""
    if modality not in MODALITIES:
        raise UsageError(f"unknown modality '{modality}'; one of: {', '.join(MODALITIES)}")
    if stage not in STAGES:
        raise UsageError(f"unknown stage '{stage}'; one of: {', '.join(STAGES)}")
    if any(ch in schema for ch in "\n\r"):
        raise UsageError("--schema: one line")
    text: str = _template().render(
        schema=schema,
        modality=modality,
        modality_name=i18n.text(modality, "en"),
        stage=stage,
        stage_name=i18n.text(stage, "en"),
        cell=modality in CELL_MODALITIES,
        modified=modality in MODIFIED_MODALITIES,
        oncology=modality in ONCOLOGY_MODALITIES,
        late=stage in LATE_STAGES,
        car_t=modality in CAR_T,
        as_of=as_of.isoformat(),
    )
    return text
