"""`cgt-check init`: a commented dossier template for a modality and a stage.

The template is a format 2.0 dossier, schema-valid as written; what it leaves empty are gaps, so
checking it lists exactly what is still to be filled in."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

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
# Gene therapy and gene-modified cells: an integration and persistence study is expected.
GENE_MODALITIES = frozenset({"gene-therapy", "car-t", "car-nk", "tcr-t"})
DEFAULT_SCHEMA = "dossier.schema.json"
_URL = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*://")


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


def scaffold(modality: str, stage: str, as_of: dt.date, schema: str = DEFAULT_SCHEMA) -> str:
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
        schema_is_url=is_url(schema),
        cmc_expected=_cmc_expected(modality),
        nonclinical_expected=_nonclinical_expected(modality),
    )
    return text


def _cmc_expected(modality: str) -> str:
    """The CMC study types the bundled pack expects of the modality, in words."""
    types = "manufacturing-process, quality-characterisation, release-specification, stability"
    return types if modality == "oncolytic-microorganism" else f"{types}; with a viral vector, rcv-testing"


def _nonclinical_expected(modality: str) -> str:
    """The nonclinical study types the bundled pack expects of the modality, in words."""
    types = "pharmacology, toxicology, biodistribution"
    if modality == "stem-cell":
        types += ", tumorigenicity"
    if modality in GENE_MODALITIES:
        return f"{types}, integration-persistence"
    return f"{types}; if genetically modified, integration-persistence"


def is_url(schema: str) -> bool:
    """Whether the schema reference is a URL (https://...) rather than a file path."""
    return _URL.match(schema) is not None


@dataclass(frozen=True)
class SchemaFile:
    """What became of the schema file a template written to a file points to."""

    path: Path  # where it is: the reference, relative to the template's directory
    state: Literal["written", "present", "no-directory"]


def write_schema_beside(template: Path, schema: str = DEFAULT_SCHEMA) -> SchemaFile | None:
    """Make the template's `yaml-language-server` comment resolve: write the dossier schema
    where it points (relative to the template's directory) unless a file is already there; it
    never overwrites one. None for a URL, which the checker cannot provide."""
    if is_url(schema):
        return None
    from checker.report.schemas import render
    from checker.run.outputs import write_new

    path = Path(schema)
    if not path.is_absolute():
        path = template.parent / path
    if not path.parent.is_dir():
        return SchemaFile(path, "no-directory")
    return SchemaFile(path, "written" if write_new(path, render("dossier")) else "present")
