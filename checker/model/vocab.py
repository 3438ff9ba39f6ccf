"""Vocabularies the command line needs without loading the dossier model (and pydantic)."""

from __future__ import annotations

from typing import Literal, get_args

Modality = Literal[
    "car-t",
    "car-nk",
    "tcr-t",
    "other-somatic-cell",
    "stem-cell",
    "gene-therapy",
    "oncolytic-microorganism",
    "therapeutic-vaccine",
]
MODALITIES: tuple[str, ...] = get_args(Modality)

Stage = Literal[
    "ind-under-review",
    "ind-approved",
    "exploratory-trial",
    "confirmatory-trial",
    "nda-under-review",
    "approved",
]
STAGES: tuple[str, ...] = get_args(Stage)
