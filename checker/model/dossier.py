"""The dossier model: what a CGT product dossier says, as typed data.

A field whose absence is a regulatory gap is optional here: the rules report it as a finding.
Only what makes a file a dossier at all (schema version, product name and modality, each
indication's id, name, oncology flag and stage, ...) is required.
"""

from __future__ import annotations

import datetime as dt
import re
import typing
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, model_validator

from checker.base import limits
from checker.model.vocab import MODALITIES as MODALITIES  # re-exported: the vocabularies live apart
from checker.model.vocab import STAGES as STAGES
from checker.model.vocab import Modality, Stage

SCHEMA_VERSION = "1.0"

TrialRole = Literal["exploratory", "pivotal", "bridging", "post-approval-confirmatory", "post-marketing"]
StudyStatus = Literal["planned", "ongoing", "ongoing-results-available", "completed"]
TimeUnit = Literal["day", "week", "month", "year"]

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(
        description="Stable identifier of this item, unique in its list (letters, digits, '.', "
        "'_', '-'). Findings refer to the item by it, e.g. indications[lbcl-3l], so they "
        "survive reordering."
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=limits.MAX_TEXT_CHARS)]
Amount = Annotated[float, Field(gt=0, le=1e15, allow_inf_nan=False)]


def _date_text(value: Any) -> Any:
    """Dates are written YYYY-MM-DD; a number is not a date."""
    if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise ValueError(f"expected a date written YYYY-MM-DD, got {value!r}")


Date = Annotated[
    dt.date, BeforeValidator(_date_text), Strict(False), Field(description="A calendar date, YYYY-MM-DD.")
]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        """Missing content is a gap, never an input error: a list written as null is an empty
        list, and an optional text left empty is absent."""
        if isinstance(data, dict):
            lists = _list_fields(cls)
            changed: dict[str, Any] = {name: [] for name in lists if name in data and data[name] is None}
            optional = _optional_fields(cls)
            for name, value in data.items():
                if isinstance(value, str) and name in optional and not value.strip():
                    changed[name] = None
            if changed:
                data = {**data, **changed}
        return data


def _list_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    cached = _LIST_FIELDS.get(cls)
    if cached is None:
        cached = tuple(
            name
            for name, info in cls.model_fields.items()
            if typing.get_origin(info.annotation) is list
            or (
                typing.get_origin(info.annotation) is Annotated
                and typing.get_origin(typing.get_args(info.annotation)[0]) is list
            )
        )
        _LIST_FIELDS[cls] = cached
    return cached


_LIST_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}


def _optional_fields(cls: type[BaseModel]) -> frozenset[str]:
    cached = _OPTIONAL_FIELDS.get(cls)
    if cached is None:
        cached = frozenset(name for name, info in cls.model_fields.items() if not info.is_required())
        _OPTIONAL_FIELDS[cls] = cached
    return cached


_OPTIONAL_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


class Entity(Base):
    id: Id


# ---------------------------------------------------------------- product


class GeneticModification(Base):
    """How the product is genetically modified, if at all."""

    modified: bool = Field(description="True if the product is, or contains, genetically modified material.")
    vector: (
        Literal[
            "lentivirus",
            "gamma-retrovirus",
            "aav",
            "adenovirus",
            "herpes-simplex-virus",
            "vaccinia",
            "other-viral",
            "transposon",
            "plasmid",
            "mrna",
            "none",
        ]
        | None
    ) = Field(None, description="The vector or delivery system used for the modification.")
    integrating: bool | None = Field(None, description="True if the vector integrates into the host genome.")
    genome_editing: bool | None = Field(
        None, description="True if the product edits the genome (CRISPR, TALEN, ZFN, base editing)."
    )


class MoaEvidence(Entity):
    """One piece of evidence supporting the mechanism of action."""

    kind: Literal["nonclinical", "clinical", "literature"] = Field(
        description="Where the evidence comes from."
    )
    summary: Text | None = Field(None, description="What the evidence shows.")
    reference: Text | None = Field(
        None, description="Where the evidence is in the dossier (module, report number)."
    )


class MechanismOfAction(Base):
    """作用机制: how the product works, and the evidence for it."""

    description: Text | None = Field(None, description="The mechanism of action, in prose.")
    clarity: Literal["established", "supported", "hypothesised", "unclear"] | None = Field(
        None,
        description="How well the mechanism is understood. 'unclear' is a reason for IND "
        "non-approval named by the CDE.",
    )
    evidence: list[MoaEvidence] = Field(
        max_length=50,
        default_factory=list,
        description="Nonclinical and/or clinical evidence for the mechanism.",
    )


class Product(Base):
    """The product's identity."""

    name: Text = Field(description="The product's name (generic or code name).")
    name_zh: Text | None = Field(None, description="The product's Chinese name.")
    sponsor: Text | None = Field(None, description="The applicant or marketing authorisation holder.")
    modality: Modality = Field(description="The CGT modality, as counted by the CDE.")
    targets: list[Text] = Field(
        max_length=20, default_factory=list, description="Molecular targets, e.g. CD19, BCMA."
    )
    cell_source: Literal["autologous", "allogeneic", "not-applicable"] | None = Field(
        None, description="Whose cells the product is made from."
    )
    genetic_modification: GeneticModification | None = Field(
        None, description="Genetic modification of the product."
    )
    mechanism_of_action: MechanismOfAction | None = Field(
        None, description="作用机制: the mechanism of action and its evidence."
    )


# ---------------------------------------------------------------- indications


class ExistingTherapy(Base):
    name: Text = Field(description="An existing therapy for the target population.")
    limitation: Text | None = Field(None, description="Why it falls short for this population.")


class ClinicalNeed(Base):
    """临床需求: why the target population needs this product."""

    statement: Text | None = Field(None, description="The unmet clinical need, in prose.")
    existing_therapies: list[ExistingTherapy] = Field(
        max_length=30, default_factory=list, description="The therapies the population has today."
    )
    no_existing_therapy: bool | None = Field(
        None, description="True if no therapy exists for the population (then none is listed)."
    )
    shortfall: Text | None = Field(None, description="Why the existing therapies fall short.")


class Approval(Base):
    """The marketing approval of one indication in China."""

    type: Literal["conditional", "full"] = Field(description="附条件批准 (conditional) or full approval.")
    date: Date = Field(description="The date of approval.")
    number: Text | None = Field(None, description="The approval number.")


class Indication(Entity):
    """One proposed or approved indication, with its own development stage."""

    name: Text = Field(
        description="The indication, e.g. 'r/r large B-cell lymphoma after two or more lines'."
    )
    name_zh: Text | None = Field(None, description="The indication in Chinese.")
    oncology: bool = Field(description="True for an oncology indication.")
    stage: Stage = Field(description="This indication's development stage.")
    target_population: Text | None = Field(None, description="目标人群: the target population.")
    clinical_need: ClinicalNeed | None = Field(None, description="临床需求: the clinical need.")
    requested_approval: Literal["conditional", "full"] | None = Field(
        None,
        description="At NDA review: the approval applied for, 附条件批准 (conditional) or full. A "
        "conditional application must plan its confirmatory trial.",
    )
    approval: Approval | None = Field(
        None, description="The approval, once the indication's stage is 'approved'."
    )


# ---------------------------------------------------------------- starting materials


class DonorConsent(Base):
    obtained: bool = Field(description="True if informed consent (知情同意) was obtained.")
    reference: Text | None = Field(None, description="Where the consent documentation is.")


class EthicsApproval(Base):
    committee: Text | None = Field(None, description="The ethics committee (伦理委员会).")
    reference: Text | None = Field(None, description="The approval's reference.")
    date: Date | None = Field(None, description="The date of the ethics approval.")


class LegalBasis(Base):
    hgr_approval: Text | None = Field(
        None, description="Human genetic resources (人类遗传资源) approval reference, where required."
    )
    statement: Text | None = Field(None, description="The legal basis for obtaining the material.")


class StartingMaterial(Entity):
    """起始原材料: cells, tissues, donors, vectors, cell banks."""

    name: Text = Field(description="The material's name.")
    kind: Literal[
        "autologous-cells",
        "allogeneic-cells",
        "tissue",
        "cell-bank",
        "cell-line",
        "viral-vector",
        "plasmid",
        "other",
    ] = Field(description="What kind of starting material it is.")
    human_origin: bool = Field(description="True if the material comes from human donors.")
    source: Text | None = Field(
        None, description="Where the material comes from (supplier, donor programme)."
    )
    donor_consent: DonorConsent | None = Field(None, description="Informed consent of human donors.")
    ethics_approval: EthicsApproval | None = Field(None, description="Ethics committee approval.")
    legal_basis: LegalBasis | None = Field(None, description="Compliance with applicable law.")
    origin_status: Literal["documented", "undocumented", "unlawful"] | None = Field(
        None, description="Whether the origin is documented; 'unlawful' records a known problem."
    )


# ---------------------------------------------------------------- CMC and nonclinical


class Study(Entity):
    status: StudyStatus = Field(description="Where the study stands.")
    evidence_ref: Text | None = Field(None, description="Where the results are in the dossier.")
    summary: Text | None = Field(None, description="What the study did and found.")


class CmcStudy(Study):
    type: Literal[
        "manufacturing-process",
        "quality-characterisation",
        "release-specification",
        "stability",
        "rcv-testing",
        "vector-quality",
        "other",
    ] = Field(description="药学研究 study type.")


class NonclinicalStudy(Study):
    type: Literal[
        "pharmacology",
        "toxicology",
        "biodistribution",
        "tumorigenicity",
        "integration-persistence",
        "other",
    ] = Field(description="非临床研究 study type.")


class CmcPackage(Base):
    """药学研究: the pharmaceutical (CMC) package."""

    studies: list[CmcStudy] = Field(max_length=100, default_factory=list, description="The CMC studies.")


class NonclinicalPackage(Base):
    """非临床研究: the nonclinical package."""

    studies: list[NonclinicalStudy] = Field(
        max_length=100, default_factory=list, description="The nonclinical studies."
    )


# ---------------------------------------------------------------- investigator-initiated trials


class SafetyEvent(Entity):
    description: Text = Field(description="The safety event or signal.")
    serious: bool = Field(description="True for a serious adverse event or signal.")
    analysis: Text | None = Field(None, description="The analysis of the event (cause, relatedness).")
    mitigation: Text | None = Field(None, description="The mitigation in the proposed trial.")
    status: Literal["open", "mitigated", "resolved"] | None = Field(
        None, description="Whether the concern is resolved."
    )


class InvestigatorInitiatedTrial(Entity):
    """研究者发起的临床研究 (IIT) whose data support the application."""

    title: Text = Field(description="The IIT's title.")
    registration: Text | None = Field(None, description="Registry number.")
    subjects: Annotated[int, Field(ge=0, le=1_000_000_000)] | None = Field(
        None, description="Subjects treated."
    )
    serious_safety_events: list[SafetyEvent] = Field(
        max_length=50, default_factory=list, description="Serious safety events or signals found in the IIT."
    )


# ---------------------------------------------------------------- combination therapy


class Dose(Base):
    value: Amount = Field(description="The amount.")
    unit: Literal[
        "mg", "g", "ug", "mg/kg", "ug/kg", "mg/m2", "cells", "cells/kg", "vg", "vg/kg", "iu", "iu/kg"
    ] = Field(description="The unit of the amount.")


class LabelUse(Base):
    indication: Text = Field(description="An approved indication of the partner product.")
    max_dose: Dose | None = Field(None, description="The highest approved dose for it.")


class CombinationPartner(Entity):
    """联合用药: an approved product proposed in combination with this one."""

    product: Text = Field(description="The partner product.")
    approved: bool = Field(description="True if the partner is an approved product.")
    approved_uses: list[LabelUse] = Field(
        max_length=20,
        default_factory=list,
        description="The partner's approved indications and doses (its label).",
    )
    proposed_indication: Text | None = Field(None, description="The indication proposed for the partner.")
    proposed_dose: Dose | None = Field(None, description="The dose proposed for the partner.")


# ---------------------------------------------------------------- clinical trials


class Assessment(Base):
    """When the primary endpoint is assessed, relative to infusion."""

    relation: Literal["at", "no-earlier-than", "within"] = Field(
        description="'at' or 'no-earlier-than' the time point, or 'within' it."
    )
    value: Amount = Field(description="The time point's amount.")
    unit: TimeUnit = Field(description="The time point's unit.")


class Endpoint(Base):
    """主要终点: the primary endpoint."""

    measure: Text = Field(description="The measure, e.g. 'objective response rate (IRC)'.")
    category: Literal["tumour-response", "survival", "clinical-response", "biomarker", "safety", "other"] = (
        Field(description="What kind of measure it is.")
    )
    assessment: Assessment | None = Field(None, description="Its assessment time point after infusion.")


class Comparator(Base):
    existing_therapies: list[Text] = Field(
        max_length=30,
        default_factory=list,
        description="Existing therapies the efficacy is compared against.",
    )
    description: Text | None = Field(
        None, description="How the comparison is made (external or historical control)."
    )


class MalignancyMonitoring(Base):
    included: bool = Field(
        description="True if the protocol monitors for secondary malignancy (继发恶性肿瘤)."
    )
    protocol_section: Text | None = Field(None, description="Where in the protocol.")


class ClinicalTrial(Entity):
    """One clinical trial of the product."""

    title: Text = Field(description="The trial's title.")
    registration: Text | None = Field(None, description="Registry number (e.g. CTR20210001).")
    role: TrialRole = Field(description="What the trial is for in the development programme.")
    indications: list[str] = Field(
        max_length=10,
        default_factory=list,
        description="Ids of the indications the trial serves.",
        json_schema_extra={"x-ref": "indications"},
    )
    design: Literal["single-arm", "randomised-controlled", "non-randomised-controlled"] | None = Field(
        None, description="The trial design."
    )
    region: Literal["china", "overseas", "multiregional"] | None = Field(
        None, description="Where the trial runs."
    )
    status: Literal["planned", "ongoing", "completed", "terminated"] | None = Field(
        None, description="Where the trial stands."
    )
    primary_endpoint: Endpoint | None = Field(None, description="主要终点.")
    comparator: Comparator | None = Field(None, description="What the efficacy is compared against.")
    malignancy_monitoring: MalignancyMonitoring | None = Field(
        None, description="Secondary-malignancy monitoring in the protocol."
    )
    bridges: str | None = Field(
        None,
        description="For a bridging trial: the id of the foreign study it bridges.",
        json_schema_extra={"x-ref": "foreign_studies"},
    )


# ---------------------------------------------------------------- foreign data and CDE communication


class OverseasApproval(Entity):
    agency: Text = Field(description="The approving authority (FDA, EMA, ...).")
    date: Date | None = Field(None, description="The date of the overseas approval.")
    indication: Text | None = Field(None, description="The indication approved overseas.")


class ForeignStudy(Entity):
    """A clinical study conducted outside China (境外临床试验)."""

    title: Text = Field(description="The study's title.")
    role: Literal["pivotal", "supportive"] = Field(description="Its role in the foreign application.")
    relied_on: bool = Field(description="True if this application relies on the study's data.")
    primary_endpoint: Endpoint | None = Field(None, description="The foreign study's primary endpoint.")


class CdeCommunication(Entity):
    """沟通交流: a communication meeting with the CDE."""

    type: Literal["pre-ind", "pre-nda", "end-of-phase-2", "foreign-data", "other"] = Field(
        description="The kind of meeting."
    )
    status: Literal["requested", "held"] = Field(description="Requested or held.")
    date: Date | None = Field(None, description="When it was held or requested.")
    minutes_ref: Text | None = Field(None, description="Where the minutes are.")


# ---------------------------------------------------------------- post-approval


class Commitment(Entity):
    """A post-approval commitment (e.g. a confirmatory trial under conditional approval)."""

    kind: Literal[
        "confirmatory-trial", "post-marketing-study", "long-term-follow-up", "real-world-study", "other"
    ] = Field(description="What is committed.")
    indication: str = Field(
        description="Id of the indication the commitment belongs to.",
        json_schema_extra={"x-ref": "indications"},
    )
    trial: str | None = Field(
        None,
        description="Id of the clinical trial that fulfils it, if listed.",
        json_schema_extra={"x-ref": "clinical_trials"},
    )
    due_date: Date | None = Field(None, description="When it must be completed (完成时限).")
    status: Literal["planned", "ongoing", "completed"] = Field(description="Where it stands.")
    description: Text | None = Field(None, description="What is committed, in prose.")


class Duration(Base):
    value: Amount = Field(description="The amount.")
    unit: TimeUnit = Field(description="The unit.")


class LongTermFollowUp(Base):
    """长期随访: the long-term follow-up plan for treated subjects."""

    protocol_ref: Text | None = Field(None, description="Where the LTFU protocol is.")
    duration: Duration | None = Field(None, description="How long each subject is followed.")
    delayed_adverse_reactions: bool | None = Field(
        None, description="True if the plan collects delayed adverse reactions."
    )
    persistence: bool | None = Field(None, description="True if the plan monitors persistence.")


class RealWorldStudy(Entity):
    """真实世界研究."""

    title: Text = Field(description="The study's title.")
    status: Literal["planned", "ongoing", "completed"] = Field(description="Where it stands.")
    protocol_ref: Text | None = Field(None, description="Where the study protocol is.")


class LabelWarning(Base):
    topic: Literal[
        "secondary-malignancy", "t-cell-lymphoma", "crs", "icans", "cytopenia", "infection", "other"
    ] = Field(description="What the warning is about.")
    text: Text | None = Field(None, description="The warning's wording.")


class FollowUpInstruction(Base):
    lifelong: bool = Field(description="True if the label requires lifelong patient follow-up.")
    text: Text | None = Field(None, description="The label's follow-up instruction, as worded.")


class Label(Base):
    """说明书: the product label (draft label at NDA)."""

    status: Literal["draft", "approved"] = Field(description="Draft or approved label.")
    warnings: list[LabelWarning] = Field(
        max_length=30, default_factory=list, description="Warnings in the label."
    )
    follow_up: FollowUpInstruction | None = Field(None, description="Follow-up instructions.")


class MalignancySampleProtocol(Base):
    """The protocol activated when a malignant event is detected."""

    reference: Text | None = Field(None, description="Where the protocol is.")
    triggered_on_malignancy: bool | None = Field(None, description="True if any malignant event triggers it.")
    pre_treatment_samples_retained: bool | None = Field(
        None, description="True if pre-treatment samples are retained for it."
    )
    post_treatment_samples: bool | None = Field(
        None, description="True if post-treatment samples are collected."
    )
    molecular_analysis: bool | None = Field(
        None, description="True if samples undergo molecular analysis (e.g. CAR transgene)."
    )


class RmpRisk(Base):
    risk: Literal[
        "crs", "icans", "cytopenia", "infection", "secondary-malignancy", "hypogammaglobulinaemia", "other"
    ] = Field(description="A risk in the safety specification.")
    description: Text | None = Field(None, description="How the plan addresses the risk.")


class RmpSection(Base):
    summary: Text | None = Field(None, description="What this part of the plan contains.")
    reference: Text | None = Field(None, description="Where it is in the dossier.")


class RiskManagementPlan(Base):
    """风险管理计划: the clinical risk management plan."""

    reference: Text | None = Field(None, description="Where the plan is.")
    safety_specification: RmpSection | None = Field(None, description="安全性说明.")
    pharmacovigilance: RmpSection | None = Field(None, description="药物警戒活动.")
    risk_minimisation: RmpSection | None = Field(None, description="风险最小化措施.")
    risks: list[RmpRisk] = Field(max_length=30, default_factory=list, description="Risks the plan covers.")


# ---------------------------------------------------------------- the dossier


# ---------------------------------------------------------------- justifications

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
        pattern=r"^[^\x00-\x1f\x7f\s][^\x00-\x1f\x7f]*$",
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
            raise ValueError("give exactly one of 'rule' or 'requirement'")
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


class Dossier(Base):
    """A CGT product dossier for the CDE."""

    model_config = ConfigDict(
        extra="forbid",
        strict=True,
        frozen=True,
        title="CGT product dossier",
        json_schema_extra={"$id": "https://cgt-checker.invalid/schemas/dossier.schema.json"},
    )

    schema_version: Literal["1.0"] = Field(description="The dossier format version: '1.0'.")
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
    long_term_follow_up: LongTermFollowUp | None = Field(None, description="长期随访.")
    real_world_studies: list[RealWorldStudy] = Field(
        max_length=30, default_factory=list, description="真实世界研究."
    )
    label: Label | None = Field(None, description="说明书 (draft at NDA).")
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
