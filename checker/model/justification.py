"""Justifications (waivers): in a dossier's `justifications:` section or in a file of their own."""

from __future__ import annotations

from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, model_validator

from checker.base.errors import Invalid
from checker.base.i18n import message
from checker.model.common import Base, Date

PATH_PATTERN = r"^[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$"  # one line, not starting with a space

Statement = Annotated[
    str,
    StringConstraints(min_length=1, max_length=4_000, pattern=r"\S"),
    Field(description="Non-blank text."),
]


class Justification(Base):
    """Why a finding is accepted rather than fixed (a waiver). The finding is still reported, as
    waived; after `expires` it fails again; a justification that matches no finding is reported
    as stale."""

    rule: str | None = Field(
        None, max_length=200, description="The rule id it justifies (give rule or requirement, not both)."
    )
    requirement: str | None = Field(
        None, max_length=200, description="The requirement id it justifies, e.g. CGT-IND-PRE-IND."
    )
    path: str = Field(
        min_length=1,
        max_length=1_000,
        pattern=PATH_PATTERN,
        description="The dossier path it covers, with item ids as findings show them, e.g. "
        "indications[lbcl-3l] or product.mechanism_of_action; it covers that node and everything "
        "under it.",
    )
    reason: Statement = Field(description="Why the finding is justified (required).")
    approved_by: Statement = Field(description="Who approved the justification (required).")
    approved_on: Date | None = Field(None, description="When it was approved.")
    expires: Date | None = Field(
        None, description="The last day it applies; from the next day the finding fails again."
    )

    @model_validator(mode="after")
    def _one_target(self) -> Justification:
        if (self.rule is None) == (self.requirement is None):
            raise Invalid(message("rule_or_requirement"))
        return self


class FileJustification(Justification):
    """A justification kept outside the dossier (`--justifications FILE`)."""

    dossier: str | None = Field(
        None,
        max_length=1_000,
        description="Which dossier files it applies to: a path or a glob, matched against the path "
        "as the checker is given it and against the path relative to this file's directory (e.g. "
        "dossiers/*.yaml); default: every dossier checked.",
    )


class JustificationFile(Base):
    """A file of justifications for `--justifications FILE`."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="cgt-check justifications",
        json_schema_extra={"$id": "https://cgt-checker.invalid/schemas/justifications.schema.json"},
    )

    justifications: list[FileJustification] = Field(
        max_length=2_000, default_factory=list, description="The justifications."
    )
