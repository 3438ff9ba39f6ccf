"""After approval: commitments, the follow-up of trial subjects and of treated patients, real-world
studies, the label and the risk management plan."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, ValidationInfo, field_validator

from checker.base.errors import Invalid
from checker.base.i18n import message
from checker.model.common import Amount, Base, Date, Entity, Text, TimeUnit, since, since_extra

# ---------------------------------------------------------------- post-approval


class Duration(Base):
    value: Amount = Field(description="The amount.")
    unit: TimeUnit = Field(description="The unit.")


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
    due_after_approval: Duration | None = Field(
        None,
        description="(2.0) For a plan made before approval, when the approval date is not known: the "
        "completion deadline as a period after approval (批准后完成时限), e.g. {value: 3, unit: year} "
        "for 'within 3 years of approval'. A confirmatory trial's may be at most four years. Once "
        "approved, due_date gives the deadline as a date (the approval date plus this period).",
        json_schema_extra=since_extra("2.0"),
    )
    planned_completion: Date | None = Field(
        None,
        description="(2.0) When the sponsor plans to complete it (计划完成日期); not later than due_date.",
        json_schema_extra=since_extra("2.0"),
    )
    actual_completion: Date | None = Field(
        None,
        description="(2.0) When it was completed (实际完成日期), once status is 'completed'.",
        json_schema_extra=since_extra("2.0"),
    )

    @field_validator("due_after_approval", "planned_completion", "actual_completion", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


class LongTermFollowUp(Base):
    """长期随访: the long-term follow-up plan for trial subjects (受试者长期随访). In format 1.0 it
    also stands for the follow-up of patients treated after approval; in 2.0 that is
    post_marketing_follow_up."""

    protocol_ref: Text | None = Field(None, description="Where the LTFU protocol is.")
    duration: Duration | None = Field(None, description="How long each subject is followed.")
    delayed_adverse_reactions: bool | None = Field(
        None, description="True if the plan collects delayed adverse reactions."
    )
    persistence: bool | None = Field(None, description="True if the plan monitors persistence.")


class PostMarketingFollowUp(Base):
    """上市后随访: the follow-up of patients treated with the marketed product (format 2.0), apart
    from the long-term follow-up of trial subjects (long_term_follow_up)."""

    protocol_ref: Text | None = Field(None, description="Where the follow-up protocol or plan is.")
    duration: Duration | None = Field(None, description="How long each treated patient is followed.")
    lifelong: bool | None = Field(None, description="True if treated patients are followed for life.")
    secondary_malignancy: bool | None = Field(
        None, description="True if the follow-up watches for secondary malignancy (继发恶性肿瘤)."
    )
    description: Text | None = Field(None, description="How patients are followed, in prose.")


class RealWorldStudy(Entity):
    """真实世界研究."""

    title: Text = Field(description="The study's title.")
    status: Literal["planned", "ongoing", "completed"] = Field(description="Where it stands.")
    protocol_ref: Text | None = Field(None, description="Where the study protocol is.")
    indications: list[str] = Field(
        max_length=10,
        default_factory=list,
        description="(2.0) Ids of the indications whose treated patients the study follows; the "
        "CGT-PM-LTFU-RWS rules look for one for each CAR-T indication under NDA review or approved.",
        json_schema_extra={"x-ref": "indications", **since_extra("2.0")},
    )

    @field_validator("indications", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


def _value_of_2_0(value: object, values: tuple[str, ...], key: str, field: str) -> object:
    """A value only format 2.0 has, refused in a 1.0 dossier with the message `key`."""
    if value in values:
        try:
            since("2.0", field, value)
        except ValueError:
            raise Invalid(message(key, **{field: str(value)})) from None
    return value


# Label warning topics of format 2.0 (a 1.0 dossier cannot use them).
LABEL_TOPICS_2_0 = (
    "tumorigenicity",
    "ectopic-tissue-formation",
    "infusion-reactions",
    "hypersensitivity",
    "hepatotoxicity",
    "inhibitor-development",
    "thromboembolic-events",
    "hlh-mas",
    "hypogammaglobulinaemia",
)
LabelTopic = Literal[
    "secondary-malignancy",
    "t-cell-lymphoma",
    "crs",
    "icans",
    "cytopenia",
    "infection",
    "tumorigenicity",
    "ectopic-tissue-formation",
    "infusion-reactions",
    "hypersensitivity",
    "hepatotoxicity",
    "inhibitor-development",
    "thromboembolic-events",
    "hlh-mas",
    "hypogammaglobulinaemia",
    "other",
]


class LabelWarning(Base):
    topic: LabelTopic = Field(
        description="What the warning is about: secondary-malignancy (继发恶性肿瘤), t-cell-lymphoma "
        "(T细胞淋巴瘤), crs (细胞因子释放综合征), icans (免疫效应细胞相关神经毒性综合征), cytopenia "
        "(血细胞减少), infection (感染), other; from format 2.0 also tumorigenicity (致瘤性), "
        "ectopic-tissue-formation (异位组织形成), infusion-reactions (输注反应), hypersensitivity "
        "(超敏反应), hepatotoxicity (肝毒性), inhibitor-development (抑制物产生), "
        "thromboembolic-events (血栓栓塞事件), hlh-mas (噬血细胞性淋巴组织细胞增多症/巨噬细胞活化综合征), "
        "hypogammaglobulinaemia (低丙种球蛋白血症).",
        json_schema_extra={"x-values-since": {"2.0": list(LABEL_TOPICS_2_0)}},
    )
    text: Text | None = Field(None, description="The warning's wording.")

    @field_validator("topic", mode="before")
    @classmethod
    def _topic_of_its_version(cls, value: object) -> object:
        return _value_of_2_0(value, LABEL_TOPICS_2_0, "topic_needs_2_0", "topic")


class FollowUpInstruction(Base):
    lifelong: bool = Field(description="True if the label requires lifelong patient follow-up.")
    text: Text | None = Field(None, description="The label's follow-up instruction, as worded.")


class Label(Base):
    """说明书: the product label (draft label at NDA), in format 1.0; format 2.0 lists labels."""

    status: Literal["draft", "approved"] = Field(description="Draft or approved label.")
    warnings: list[LabelWarning] = Field(
        max_length=30, default_factory=list, description="Warnings in the label."
    )
    follow_up: FollowUpInstruction | None = Field(None, description="Follow-up instructions.")


class ProductLabel(Entity):
    """说明书 (format 2.0): the approved label or a draft (the draft label of a marketing
    application, or a draft revision for a new indication beside the approved label), with the
    indications it covers. The label rules check, for each indication, the label that covers it
    at its stage: a draft label for an indication under marketing review, the approved label
    for an approved one."""

    status: Literal["draft", "approved"] = Field(description="Draft (草案) or approved (已批准) label.")
    indications: list[str] = Field(
        max_length=30,
        default_factory=list,
        description="Ids of the indications this label covers (适用的适应症).",
        json_schema_extra={"x-ref": "indications"},
    )
    revises: str | None = Field(
        None,
        description="For a draft revision: the id of the label it revises (修订的说明书).",
        json_schema_extra={"x-ref": "labels"},
    )
    warnings: list[LabelWarning] = Field(
        max_length=30, default_factory=list, description="Warnings in the label (警示语)."
    )
    follow_up: FollowUpInstruction | None = Field(None, description="Follow-up instructions (随访要求).")


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


# Risks a risk management plan names from format 2.0 on (the label warning topics of 2.0): a
# gene therapy's plan covers hepatotoxicity and inhibitor development, a stem-cell product's
# tumorigenicity, without writing `other`.
RMP_RISKS_2_0 = tuple(t for t in LABEL_TOPICS_2_0 if t != "hypogammaglobulinaemia")


class RmpRisk(Base):
    risk: Literal[
        "crs",
        "icans",
        "cytopenia",
        "infection",
        "secondary-malignancy",
        "hypogammaglobulinaemia",
        "tumorigenicity",
        "ectopic-tissue-formation",
        "infusion-reactions",
        "hypersensitivity",
        "hepatotoxicity",
        "inhibitor-development",
        "thromboembolic-events",
        "hlh-mas",
        "other",
    ] = Field(
        description="A risk in the safety specification: crs (细胞因子释放综合征), icans "
        "(免疫效应细胞相关神经毒性综合征), cytopenia (血细胞减少), infection (感染), "
        "secondary-malignancy (继发恶性肿瘤), hypogammaglobulinaemia (低丙种球蛋白血症), other; from "
        "format 2.0 also the label warning topics tumorigenicity (致瘤性), ectopic-tissue-formation "
        "(异位组织形成), infusion-reactions (输注反应), hypersensitivity (超敏反应), hepatotoxicity "
        "(肝毒性), inhibitor-development (抑制物产生), thromboembolic-events (血栓栓塞事件), hlh-mas "
        "(噬血细胞性淋巴组织细胞增多症/巨噬细胞活化综合征).",
        json_schema_extra={"x-values-since": {"2.0": list(RMP_RISKS_2_0)}},
    )
    description: Text | None = Field(None, description="How the plan addresses the risk.")

    @field_validator("risk", mode="before")
    @classmethod
    def _risk_of_its_version(cls, value: object) -> object:
        return _value_of_2_0(value, RMP_RISKS_2_0, "risk_needs_2_0", "risk")


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
