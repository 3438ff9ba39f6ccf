"""The dossier model: what a CGT product dossier says, as typed data.

A field whose absence is a regulatory gap is optional here: the rules report it as a finding.
Only what makes a file a dossier at all (schema version, product name and modality, each
indication's id, name, oncology flag and stage, ...) is required.

Two format versions are read. 2.0 is 1.0 with more fields, each marked in the model
(`x-since: "2.0"`) and in the JSON Schema (its description starts "(2.0)"): coded primary
endpoints (`measure_code`, `confirmed_response`, an assessment `window`), the post-marketing
follow-up of treated patients apart from the long-term follow-up of trial subjects, real-world
studies and mechanism evidence that name what they serve or come from, commitments with planned
and actual completion dates and a deadline after approval, starting materials with an origin kind
and a lineage (`derived_from`), more nonclinical study types, `labels` (the approved label and draft revisions, each with the
indications it covers) in place of 1.0's one `label` (marked `x-until: "2.0"`: a 2.0 dossier
cannot use it) and more label warning topics; foreign studies as studies and overseas approvals linked to
indications; approvals linked to the studies they rest on; safety events with grade, outcome,
relatedness and subjects affected; dosing regimens (docs/format-2.0.md). A 1.0 dossier that uses a 2.0 field is refused
with an input error located at that field, saying it needs `schema_version: "2.0"`: a 1.0
dossier means exactly what it meant, and is checked with the same findings.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import (
    ConfigDict,
    Field,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)

from checker.model.common import (
    SCHEMA_VERSIONS,
    Base,
    reading_version,
    since,
    since_extra,
    until,
    until_extra,
)
from checker.model.justification import Justification
from checker.model.post_approval import (
    Commitment,
    Label,
    LongTermFollowUp,
    MalignancySampleProtocol,
    PostMarketingFollowUp,
    ProductLabel,
    RealWorldStudy,
    RiskManagementPlan,
)
from checker.model.product import CmcPackage, Indication, NonclinicalPackage, Product, StartingMaterial
from checker.model.trials import (
    CdeCommunication,
    ClinicalTrial,
    CombinationPartner,
    ForeignStudy,
    InvestigatorInitiatedTrial,
    OverseasApproval,
)


class Dossier(Base):
    """A CGT product dossier for the CDE."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="CGT product dossier",
        json_schema_extra={"$id": "https://cgt-checker.invalid/schemas/dossier.schema.json"},
    )

    schema_version: Literal["1.0", "2.0"] = Field(
        description="The dossier format version: '1.0' or '2.0' (2.0 adds the fields whose "
        "description starts '(2.0)'; a 1.0 dossier cannot use them)."
    )
    product: Product
    indications: list[Indication] = Field(max_length=30, default_factory=list, description="The indications.")
    starting_materials: list[StartingMaterial] = Field(
        max_length=50, default_factory=list, description="起始原材料."
    )
    cmc: CmcPackage | None = Field(None, description="药学研究.")
    nonclinical: NonclinicalPackage | None = Field(None, description="非临床研究.")
    investigator_initiated_trials: list[InvestigatorInitiatedTrial] = Field(
        max_length=20, default_factory=list, description="研究者发起的临床研究."
    )
    combination_partners: list[CombinationPartner] = Field(
        max_length=20,
        default_factory=list,
        description="联合用药: approved products proposed in combination.",
    )
    clinical_trials: list[ClinicalTrial] = Field(
        max_length=100, default_factory=list, description="Clinical trials."
    )
    overseas_approvals: list[OverseasApproval] = Field(
        max_length=30, default_factory=list, description="Approvals outside China."
    )
    foreign_studies: list[ForeignStudy] = Field(
        max_length=30, default_factory=list, description="境外临床试验 relied on or supporting."
    )
    cde_communications: list[CdeCommunication] = Field(
        max_length=50, default_factory=list, description="沟通交流 with the CDE."
    )
    post_approval_commitments: list[Commitment] = Field(
        max_length=100, default_factory=list, description="Post-approval commitments."
    )
    long_term_follow_up: LongTermFollowUp | None = Field(
        None,
        description="长期随访 of trial subjects (in 1.0 also of patients treated after approval; in 2.0 "
        "that is post_marketing_follow_up).",
    )
    post_marketing_follow_up: PostMarketingFollowUp | None = Field(
        None,
        description="(2.0) 上市后随访: the follow-up of patients treated with the marketed product (section "
        "C of the catalogue), apart from long_term_follow_up, the follow-up of trial subjects (section D).",
        json_schema_extra=since_extra("2.0"),
    )
    real_world_studies: list[RealWorldStudy] = Field(
        max_length=30, default_factory=list, description="真实世界研究."
    )
    label: Label | None = Field(
        None,
        description="说明书 (draft at NDA). Format 1.0 only: format 2.0 lists labels (`cgt-check "
        "migrate` rewrites it).",
        json_schema_extra=until_extra("2.0"),
    )
    labels: list[ProductLabel] = Field(
        max_length=20,
        default_factory=list,
        description="(2.0) 说明书: the approved label and draft labels or revisions, each with the "
        "indications it covers.",
        json_schema_extra=since_extra("2.0"),
    )
    malignancy_sample_protocol: MalignancySampleProtocol | None = Field(
        None, description="Sample collection and analysis on a malignant event."
    )
    risk_management_plan: RiskManagementPlan | None = Field(None, description="风险管理计划.")
    justifications: list[Justification] = Field(
        max_length=500,
        default_factory=list,
        description="Justifications for findings accepted rather than fixed (waivers); see also "
        "`cgt-check check --justifications FILE`.",
    )

    @field_validator("post_marketing_follow_up", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)

    @field_validator("label", mode="before")
    @classmethod
    def _label_until_2_0(cls, value: object) -> object:
        return until("2.0", "label", value, "labels")

    @field_validator("labels", mode="before")
    @classmethod
    def _labels_since_2_0(cls, value: object) -> object:
        return since("2.0", "labels", value)

    @model_validator(mode="wrap")
    @classmethod
    def _versioned(cls, data: Any, handler: ModelWrapValidatorHandler[Dossier]) -> Dossier:
        """Validate with the fields of the dossier's own format version."""
        version = data.get("schema_version") if isinstance(data, dict) else None
        with reading_version(version if version in SCHEMA_VERSIONS else None):
            return handler(data)
