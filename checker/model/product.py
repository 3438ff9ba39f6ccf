"""The product and its indications, starting materials, CMC and nonclinical packages."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from checker.base.errors import Invalid
from checker.base.i18n import message
from checker.model.common import Base, Date, Entity, StudyStatus, Text, since, since_extra, since_value
from checker.model.vocab import Modality, Stage

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
    nonclinical_study: str | None = Field(
        None,
        description="(2.0) Id of the nonclinical study (nonclinical.studies) the evidence comes from.",
        json_schema_extra={"x-ref": "nonclinical.studies", **since_extra("2.0")},
    )
    trial: str | None = Field(
        None,
        description="(2.0) Id of the clinical trial (clinical_trials) the evidence comes from.",
        json_schema_extra={"x-ref": "clinical_trials", **since_extra("2.0")},
    )

    @field_validator("nonclinical_study", "trial", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


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


class ApprovalBasis(Base):
    """(2.0) A study an approval rests on: a clinical trial or a foreign study (one of them)."""

    trial: str | None = Field(
        None, description="The id of a clinical trial.", json_schema_extra={"x-ref": "clinical_trials"}
    )
    foreign_study: str | None = Field(
        None, description="The id of a foreign study.", json_schema_extra={"x-ref": "foreign_studies"}
    )

    @model_validator(mode="after")
    def _one_study(self) -> ApprovalBasis:
        if (self.trial is None) == (self.foreign_study is None):
            raise Invalid(message("approval_basis_one_study"))
        return self


class Approval(Base):
    """The marketing approval of one indication in China."""

    type: Literal["conditional", "full"] = Field(description="附条件批准 (conditional) or full approval.")
    date: Date = Field(description="The date of approval.")
    number: Text | None = Field(None, description="The approval number.")
    rests_on: list[ApprovalBasis] = Field(
        max_length=20,
        default_factory=list,
        description="(2.0) The studies the approval rests on, e.g. [{trial: ct-pivotal}] or "
        "[{foreign_study: fs-pivotal}]: what makes 'approved on a single-arm trial' known per indication.",
        json_schema_extra=since_extra("2.0"),
    )

    @field_validator("rests_on", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


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


OriginKind = Literal[
    "patient",
    "adult-donor",
    "cord-blood",
    "perinatal-tissue",
    "fetal-tissue",
    "embryo",
    "established-cell-line",
    "animal",
    "microbial",
    "synthetic",
    "other",
]


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
    origin_kind: OriginKind | None = Field(
        None,
        description="(2.0) Where the material comes from: patient (the patient treated, 患者自体), "
        "adult-donor (成人供者), cord-blood (脐带血), perinatal-tissue (umbilical cord, placenta: 围产期组织), "
        "fetal-tissue (胎儿组织), embryo (胚胎), established-cell-line (an established, banked cell line "
        "with a documented history, e.g. a producer cell line: 已建立的细胞系), animal, microbial, "
        "synthetic (chemically or enzymatically made, e.g. a plasmid or mRNA), other. The first six "
        "come from a person: human_origin must be true.",
        json_schema_extra=since_extra("2.0"),
    )
    derived_from: str | None = Field(
        None,
        description="(2.0) Id of the starting material this one is made from (e.g. a master cell bank's "
        "donor cells, a working bank's master bank). A material derived from another takes its "
        "donor consent and ethics approval from it unless it shows its own (the lineage may not "
        "go round).",
        json_schema_extra={"x-ref": "starting_materials", **since_extra("2.0")},
    )

    @field_validator("origin_kind", "derived_from", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


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


# Nonclinical study types of format 2.0 (a 1.0 dossier writes them as 'other').
NONCLINICAL_TYPES_2_0: tuple[str, ...] = (
    "tcr-cross-reactivity",
    "off-target",
    "cytokine-release",
    "safety-pharmacology",
    "pharmacokinetics",
    "immunogenicity",
    "genotoxicity",
    "germline-transmission",
    "shedding",
    "reproductive-toxicity",
)


class NonclinicalStudy(Study):
    type: Literal[
        "pharmacology",
        "toxicology",
        "biodistribution",
        "tumorigenicity",
        "integration-persistence",
        "tcr-cross-reactivity",
        "off-target",
        "cytokine-release",
        "safety-pharmacology",
        "pharmacokinetics",
        "immunogenicity",
        "genotoxicity",
        "germline-transmission",
        "shedding",
        "reproductive-toxicity",
        "other",
    ] = Field(
        description="非临床研究 study type: pharmacology (药理学, proof of concept), toxicology (毒理学), "
        "biodistribution (生物分布), tumorigenicity (致瘤性), integration-persistence (载体整合及存续). "
        "(2.0) adds: tcr-cross-reactivity (TCR交叉反应性), off-target (脱靶, e.g. of genome editing), "
        "cytokine-release (细胞因子释放), safety-pharmacology (安全药理学), pharmacokinetics (药代动力学, "
        "cell kinetics), immunogenicity (免疫原性), genotoxicity (遗传毒性), germline-transmission "
        "(生殖系传递), shedding (脱落), reproductive-toxicity (生殖毒性); a 1.0 dossier writes them as other."
    )

    @field_validator("type", mode="before")
    @classmethod
    def _type_2_0(cls, value: object) -> object:
        return since_value("2.0", "type", value) if value in NONCLINICAL_TYPES_2_0 else value


class CmcPackage(Base):
    """药学研究: the pharmaceutical (CMC) package."""

    studies: list[CmcStudy] = Field(max_length=100, default_factory=list, description="The CMC studies.")


class NonclinicalPackage(Base):
    """非临床研究: the nonclinical package."""

    studies: list[NonclinicalStudy] = Field(
        max_length=100, default_factory=list, description="The nonclinical studies."
    )
