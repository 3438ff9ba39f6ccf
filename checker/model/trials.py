"""Clinical evidence: investigator-initiated trials, combination partners, clinical trials,
foreign data and communication with the CDE."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, ValidationInfo, field_validator, model_validator

from checker.base.errors import Invalid
from checker.base.i18n import message
from checker.model.common import DAYS_PER_UNIT, Amount, Base, Date, Entity, Text, TimeUnit, since, since_extra

TrialRole = Literal["exploratory", "pivotal", "bridging", "post-approval-confirmatory", "post-marketing"]


# ---------------------------------------------------------------- investigator-initiated trials


class SafetyEvent(Entity):
    description: Text = Field(description="The safety event or signal.")
    serious: bool = Field(description="True for a serious adverse event or signal.")
    analysis: Text | None = Field(None, description="The analysis of the event (cause, relatedness).")
    mitigation: Text | None = Field(None, description="The mitigation in the proposed trial.")
    status: Literal["open", "mitigated", "resolved"] | None = Field(
        None, description="Whether the concern is resolved."
    )
    ctcae_grade: Annotated[int, Field(ge=1, le=5)] | None = Field(
        None,
        description="(2.0) Its CTCAE grade, 1 to 5 (5 is death related to the event).",
        json_schema_extra=since_extra("2.0"),
    )
    outcome: Literal["fatal", "resolved", "resolved-with-sequelae", "ongoing", "unknown"] | None = Field(
        None,
        description="(2.0) The outcome for the subjects affected: fatal (死亡), resolved (痊愈), "
        "resolved-with-sequelae (痊愈伴后遗症), ongoing (持续), unknown.",
        json_schema_extra=since_extra("2.0"),
    )
    relatedness: (
        Literal["related", "probably-related", "possibly-related", "unlikely-related", "unrelated", "unknown"]
        | None
    ) = Field(
        None,
        description="(2.0) Its relatedness to the product (与产品的相关性), as the investigator assessed it.",
        json_schema_extra=since_extra("2.0"),
    )
    subjects_affected: Annotated[int, Field(ge=1, le=1_000_000_000)] | None = Field(
        None,
        description="(2.0) How many subjects had the event: two deaths from one cause are one event "
        "with subjects_affected 2, not two copies.",
        json_schema_extra=since_extra("2.0"),
    )

    @field_validator("ctcae_grade", "outcome", "relatedness", "subjects_affected", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)

    @model_validator(mode="after")
    def _grade_5_is_death(self) -> SafetyEvent:
        if self.ctcae_grade == 5 and self.outcome not in (None, "fatal", "unknown"):
            raise Invalid(message("ctcae_grade_5_not_fatal", outcome=str(self.outcome)))
        return self


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


class TimePoint(Base):
    """A time: after infusion, or from one dose to the next."""

    value: Amount = Field(description="The amount.")
    unit: TimeUnit = Field(description="The unit.")


class Dose(Base):
    value: Amount = Field(description="The amount.")
    unit: Literal[
        "mg", "g", "ug", "mg/kg", "ug/kg", "mg/m2", "cells", "cells/kg", "vg", "vg/kg", "iu", "iu/kg"
    ] = Field(description="The unit of the amount.")


class Regimen(Base):
    """给药方案 (format 2.0): how much of the partner is given, on what basis, how often, how many
    times and by which route, e.g. 375 mg per m2 intravenously once a week for 4 doses."""

    amount: Amount = Field(description="The amount of one dose, e.g. 375.")
    unit: Literal["mg", "g", "ug", "cells", "vg", "iu"] = Field(description="The unit of the amount.")
    basis: Literal["flat", "per-kg", "per-m2"] = Field(
        description="What the amount is per: flat (a fixed dose), per-kg (per kg body weight, e.g. "
        "cells per kg), per-m2 (per m2 body surface area)."
    )
    interval: TimePoint | None = Field(
        None, description="The time from one dose to the next (给药间隔), e.g. 1 week; none for one dose."
    )
    doses: Annotated[int, Field(ge=1, le=100_000)] | None = Field(
        None, description="The number of doses (给药次数); 1 for a single dose."
    )
    route: (
        Literal[
            "intravenous", "subcutaneous", "intramuscular", "oral", "intrathecal", "intratumoural", "other"
        ]
        | None
    ) = Field(None, description="The route of administration (给药途径).")


class LabelUse(Base):
    indication: Text = Field(description="An approved indication of the partner product.")
    max_dose: Dose | None = Field(None, description="The highest approved dose for it.")
    approved_regimen: Regimen | None = Field(
        None,
        description="(2.0) The regimen the label approves for this indication; the combination rules "
        "compare the proposed regimen with it.",
        json_schema_extra=since_extra("2.0"),
    )

    @field_validator("approved_regimen", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


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
    proposed_regimen: Regimen | None = Field(
        None,
        description="(2.0) The regimen proposed for the partner: off-label if it gives more per dose, "
        "more often, more doses or by another route than the approved regimen for the indication.",
        json_schema_extra=since_extra("2.0"),
    )

    @field_validator("proposed_regimen", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


# ---------------------------------------------------------------- clinical trials


class Assessment(Base):
    """When the primary endpoint is assessed, relative to infusion."""

    relation: Literal["at", "no-earlier-than", "within"] = Field(
        description="'at' or 'no-earlier-than' the time point, or 'within' it."
    )
    value: Amount = Field(description="The time point's amount.")
    unit: TimeUnit = Field(description="The time point's unit.")


class AssessmentWindow(Base):
    """评估窗: the primary endpoint is assessed from one time point after infusion to another,
    e.g. weeks 7 to 52 (format 2.0)."""

    start: TimePoint = Field(description="The window's first time point, e.g. week 7.")
    end: TimePoint = Field(description="The window's last time point, e.g. week 52 (not before start).")

    @model_validator(mode="after")
    def _start_not_after_end(self) -> AssessmentWindow:
        if _days(self.start) > _days(self.end):
            raise ValueError("the window's start is after its end")
        return self


def _days(point: TimePoint) -> float:
    return point.value * DAYS_PER_UNIT[point.unit]


MeasureCode = Literal[
    "objective-response-rate",
    "complete-response-rate",
    "best-overall-response",
    "progression-free-survival",
    "overall-survival",
    "event-free-survival",
    "duration-of-response",
    "mrd-negativity",
    "annualised-bleeding-rate",
    "sri-4",
    "mg-adl",
    "other",
]


class Endpoint(Base):
    """主要终点: the primary endpoint.

    Format 2.0 codes it: `measure_code` names the measure from a closed vocabulary,
    `confirmed_response` says whether a response must be confirmed, and `window` gives an
    assessment window where `assessment` gives one time point. A 1.0 dossier that uses them is
    refused, located at the field, so that a 1.0 endpoint means what it always meant."""

    measure: Text = Field(
        description="The measure in words, e.g. 'objective response rate (IRC)'; with measure_code "
        "'other', what the measure is."
    )
    category: Literal["tumour-response", "survival", "clinical-response", "biomarker", "safety", "other"] = (
        Field(description="What kind of measure it is.")
    )
    assessment: Assessment | None = Field(None, description="Its assessment time point after infusion.")
    measure_code: MeasureCode | None = Field(
        None,
        description="(2.0) The coded measure: objective-response-rate (客观缓解率, ORR), "
        "complete-response-rate (完全缓解率, CR rate), best-overall-response (最佳总体缓解), "
        "progression-free-survival (无进展生存期, PFS), overall-survival (总生存期, OS), "
        "event-free-survival (无事件生存期, EFS), duration-of-response (缓解持续时间, DOR), "
        "mrd-negativity (微小残留病阴性), annualised-bleeding-rate (年化出血率, ABR), sri-4 (SLE "
        "responder index 4), mg-adl (重症肌无力日常活动评分), or other (then measure says what it is). "
        "The bridging rules compare it with the foreign pivotal study's.",
        json_schema_extra=since_extra("2.0"),
    )
    confirmed_response: bool | None = Field(
        None,
        description="(2.0) True if a response counts only when a later assessment confirms it (需确认的缓解).",
        json_schema_extra=since_extra("2.0"),
    )
    window: AssessmentWindow | None = Field(
        None,
        description="(2.0) Its assessment window after infusion (评估窗), e.g. weeks 7 to 52; give "
        "either assessment (one time point) or window.",
        json_schema_extra=since_extra("2.0"),
    )

    @field_validator("measure_code", "confirmed_response", "window", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)

    @model_validator(mode="after")
    def _one_time_form(self) -> Endpoint:
        if self.assessment is not None and self.window is not None:
            raise ValueError("give either assessment (one time point) or window, not both")
        return self


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
    indication: Text | None = Field(None, description="The indication approved overseas, in words.")
    type: Literal["full", "conditional", "accelerated", "emergency", "other"] | None = Field(
        None,
        description="(2.0) The kind of approval: full, conditional (e.g. the EMA's conditional "
        "marketing authorisation), accelerated (e.g. the FDA's accelerated approval), emergency, other.",
        json_schema_extra=since_extra("2.0"),
    )
    indications: list[str] = Field(
        max_length=10,
        default_factory=list,
        description="(2.0) Ids of the dossier's indications this approval corresponds to: what makes "
        "'approved overseas for this indication' a fact.",
        json_schema_extra={"x-ref": "indications", **since_extra("2.0")},
    )

    @field_validator("type", "indications", mode="before")
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


class ForeignStudy(Entity):
    """A clinical study conducted outside China (境外临床试验).

    In format 2.0 it is a study as a clinical trial is: its design, where it ran, the dossier's
    indications it serves, its comparator and its registration. A relied-on single-arm foreign
    pivotal study is then held to the rules of a single-arm pivotal trial."""

    title: Text = Field(description="The study's title.")
    role: Literal["pivotal", "supportive"] = Field(description="Its role in the foreign application.")
    relied_on: bool = Field(description="True if this application relies on the study's data.")
    primary_endpoint: Endpoint | None = Field(None, description="The foreign study's primary endpoint.")
    registration: Text | None = Field(
        None,
        description="(2.0) Registry number (e.g. NCT02348216).",
        json_schema_extra=since_extra("2.0"),
    )
    design: Literal["single-arm", "randomised-controlled", "non-randomised-controlled"] | None = Field(
        None, description="(2.0) The study design.", json_schema_extra=since_extra("2.0")
    )
    region: Literal["overseas", "multiregional"] | None = Field(
        None,
        description="(2.0) overseas (no site in China) or multiregional (国际多中心, with sites in China).",
        json_schema_extra=since_extra("2.0"),
    )
    countries: list[Text] = Field(
        max_length=60,
        default_factory=list,
        description="(2.0) The countries or regions where the study ran.",
        json_schema_extra=since_extra("2.0"),
    )
    indications: list[str] = Field(
        max_length=5,
        default_factory=list,
        description="(2.0) Ids of the dossier's indications the study serves.",
        json_schema_extra={"x-ref": "indications", **since_extra("2.0")},
    )
    comparator: Comparator | None = Field(
        None,
        description="(2.0) What the efficacy is compared against.",
        json_schema_extra=since_extra("2.0"),
    )

    @field_validator(
        "registration", "design", "region", "countries", "indications", "comparator", mode="before"
    )
    @classmethod
    def _format_2_0(cls, value: object, info: ValidationInfo) -> object:
        return since("2.0", str(info.field_name), value)


class CdeCommunication(Entity):
    """沟通交流: a communication meeting with the CDE."""

    type: Literal["pre-ind", "pre-nda", "end-of-phase-2", "foreign-data", "other"] = Field(
        description="The kind of meeting."
    )
    status: Literal["requested", "held"] = Field(description="Requested or held.")
    date: Date | None = Field(None, description="When it was held or requested.")
    minutes_ref: Text | None = Field(None, description="Where the minutes are.")
