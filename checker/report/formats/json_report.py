"""The JSON report: the stable machine interface (schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import BinaryIO, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.base.literals import BaselineState, Lang, Severity, Status
from checker.report.formats.jsonstream import Slots, Spliced, dumps
from checker.report.result import (
    DossierResult,
    Finding,
    Report,
    RequirementResult,
    StaleJustification,
    Waiver,
)

REPORT_VERSION: Literal["1.0"] = "1.0"


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class ToolDoc(_Doc):
    name: str
    version: str


class RulePackDoc(_Doc):
    name: str
    version: str
    sha256: str = Field(description="SHA-256 of the rule files used, in load order.")
    selection: str = Field(
        description="The rule selection of the run ('select=...; ignore=...'), '' when every rule ran."
    )


class CitationDoc(_Doc):
    source: str = Field(description="Source key, e.g. 'A' for the CDE's 2025 article.")
    title: str
    section: str | None
    quote: str | None = Field(description="The quoted passage (English sources are quoted in English).")


class WaiverDoc(_Doc):
    rule: str | None
    requirement: str | None
    path: str = Field(description="The dossier path the justification covers.")
    reason: str
    approved_by: str
    approved_on: str | None
    expires: str | None = Field(description="Last day it applies (YYYY-MM-DD), or null.")
    expired: bool = Field(description="True if the as-of date is after `expires`: the finding fails again.")
    source: str = Field(description="Where the justification is written (file:line:column).")


class StaleDoc(_Doc):
    file: str
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    target: str = Field(description="The rule or requirement it names.")
    path: str
    reason: str


class BaselineEntryDoc(_Doc):
    rule_id: str
    requirement: str
    file: str
    path: str
    severity: Severity
    message: str


class BaselineDoc(_Doc):
    file: str
    new: int
    unchanged: int
    fixed: list[BaselineEntryDoc] = Field(description="In the baseline, not found again.")


class FindingDoc(_Doc):
    rule_id: str
    requirement: str
    severity: Severity
    file: str
    path: str = Field(description="Dossier path with item ids, e.g. indications[lbcl-3l].clinical_need.")
    line: int = Field(ge=1)
    column: int = Field(ge=1)
    title: str
    message: str
    remediation: str
    citation: CitationDoc
    status: Literal["failed", "waived"] = Field(
        description="'waived' if a justification covers it and has not expired; waived findings do "
        "not fail the gate."
    )
    waiver: WaiverDoc | None = Field(description="The justification that covers it, if any (maybe expired).")
    baseline: BaselineState | None = Field(
        description="With --baseline: 'unchanged' if the baseline has it (it does not fail the gate), "
        "'new' if not; null without a baseline."
    )


class RuleStatusDoc(_Doc):
    rule_id: str
    severity: Severity
    status: Status


class RequirementDoc(_Doc):
    id: str
    title: str
    status: Status
    severity: Severity | None = Field(description="Worst severity of its findings.")
    reason: str
    rules: list[RuleStatusDoc]


class DossierDoc(_Doc):
    file: str
    sha256: str
    product: str
    product_zh: str | None = Field(description="The product's Chinese name, if the dossier gives it.")
    modality: str
    stages: list[str]
    findings: list[FindingDoc]
    requirements: list[RequirementDoc]
    stale_justifications: list[StaleDoc] = Field(
        description="This dossier's justifications that cover no finding."
    )


class ErrorDoc(_Doc):
    file: str
    line: int
    column: int
    path: str
    message: str


class SummaryDoc(_Doc):
    dossiers: int
    invalid_files: int
    error: int
    warning: int
    info: int
    waived: int = Field(description="Findings justified and not expired (not counted by severity).")
    stale_justifications: int


class ReportDoc(_Doc):
    report_version: Literal["1.0"]
    tool: ToolDoc
    rule_pack: RulePackDoc
    as_of: str = Field(description="The check date (YYYY-MM-DD) that date rules used.")
    language: Lang
    summary: SummaryDoc
    dossiers: list[DossierDoc]
    stale_justifications: list[StaleDoc] = Field(
        description="Justifications from --justifications files that cover no finding in any dossier."
    )
    baseline: BaselineDoc | None = Field(description="With --baseline: new, baselined and fixed findings.")
    errors: list[ErrorDoc]


def _finding(f: Finding, lang: str) -> FindingDoc:
    return FindingDoc(
        rule_id=f.rule_id,
        requirement=f.requirement,
        severity=f.severity,
        file=f.file,
        path=f.path,
        line=f.line,
        column=f.column,
        title=f.title.get(lang),
        message=f.message.get(lang),
        remediation=f.remediation.get(lang),
        citation=CitationDoc(
            source=f.citation.source,
            title=f.citation.source_title,
            section=f.citation.section,
            quote=f.citation.quote,
        ),
        status="waived" if f.waived else "failed",
        waiver=_waiver(f.waiver) if f.waiver else None,
        baseline=f.baseline,
    )


def _waiver(w: Waiver) -> WaiverDoc:
    return WaiverDoc(
        rule=w.rule,
        requirement=w.requirement,
        path=w.path,
        reason=w.reason,
        approved_by=w.approved_by,
        approved_on=w.approved_on.isoformat() if w.approved_on else None,
        expires=w.expires.isoformat() if w.expires else None,
        expired=w.expired,
        source=w.source,
    )


def _baseline(report: Report) -> BaselineDoc | None:
    b = report.baseline
    if b is None:
        return None
    return BaselineDoc(
        file=b.file,
        new=b.new,
        unchanged=b.unchanged,
        fixed=[
            BaselineEntryDoc(
                rule_id=e.rule_id,
                requirement=e.requirement,
                file=e.file,
                path=e.path,
                severity=e.severity,
                message=e.message,
            )
            for e in b.fixed
        ],
    )


def _stale(s: StaleJustification) -> StaleDoc:
    return StaleDoc(file=s.file, line=s.line, column=s.column, target=s.target, path=s.path, reason=s.reason)


def _requirements(requirements: Sequence[RequirementResult], lang: str) -> list[RequirementDoc]:
    return [
        RequirementDoc(
            id=r.id,
            title=r.title.get(lang),
            status=r.status,
            severity=r.severity,
            reason=r.reason.get(lang),
            rules=[RuleStatusDoc(rule_id=s.rule_id, severity=s.severity, status=s.status) for s in r.rules],
        )
        for r in requirements
    ]


def _dossier(d: DossierResult, lang: str, with_requirements: bool = True) -> DossierDoc:
    return DossierDoc(
        file=d.file,
        sha256=d.sha256,
        product=d.product,
        product_zh=d.product_zh,
        modality=d.modality,
        stages=list(d.stages),
        findings=[_finding(f, lang) for f in d.findings],
        requirements=_requirements(d.requirements, lang) if with_requirements else [],
        stale_justifications=[_stale(s) for s in d.stale_justifications],
    )


class _Matrices:
    """Each requirement matrix's JSON text, made once for the dossiers that share it (a check
    hands out one tuple per distinct matrix; kept alive here, so its id stays its own)."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._texts: dict[int, tuple[Sequence[RequirementResult], str]] = {}

    def text(self, requirements: Sequence[RequirementResult]) -> str:
        kept = self._texts.get(id(requirements))
        if kept is not None and kept[0] is requirements:
            return kept[1]
        made = dumps([r.model_dump(mode="json") for r in _requirements(requirements, self.lang)])
        if len(self._texts) >= _MAX_MATRICES:
            self._texts.clear()
        self._texts[id(requirements)] = (requirements, made)
        return made


_MAX_MATRICES = 256


def _item(d: DossierResult, lang: str, slots: Slots, matrices: _Matrices) -> Spliced:
    """A dossier's entry, its requirement matrix spliced in as text made once per matrix."""
    value = _dossier(d, lang, with_requirements=False).model_dump(mode="json")
    marker = value["requirements"] = slots.part()
    return Spliced(value, {marker: matrices.text(d.requirements)})


def build(report: Report, lang: str, with_dossiers: bool = True) -> ReportDoc:
    """The report's document; with_dossiers False: its dossiers left out (`write` adds them)."""
    p = report.provenance
    counts = report.counts()
    return ReportDoc(
        report_version=REPORT_VERSION,
        tool=ToolDoc(name=p.tool, version=p.version),
        rule_pack=RulePackDoc(
            name=p.rule_pack,
            version=p.rule_pack_version,
            sha256=p.rule_pack_sha256,
            selection=p.rule_selection,
        ),
        as_of=p.as_of.isoformat(),
        language="zh" if lang == "zh" else "en",
        summary=SummaryDoc(
            dossiers=len(report.dossiers),
            invalid_files=len({e.file for e in report.errors}),
            stale_justifications=len(report.stale_justifications()),
            **counts,
        ),
        dossiers=[_dossier(d, lang) for d in report.dossiers] if with_dossiers else [],
        stale_justifications=[_stale(s) for s in report.stale_file_justifications],
        baseline=_baseline(report),
        errors=[
            ErrorDoc(file=e.file, line=e.line, column=e.column, path=e.path, message=e.text(lang))
            for e in report.errors
        ],
    )


def render(report: Report, lang: str) -> str:
    return json.dumps(build(report, lang).model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, lang: str, out: BinaryIO) -> None:
    """The report to out, its dossiers written one at a time (what `render` gives, never held)."""
    slots = Slots()
    doc = build(report, lang, with_dossiers=False).model_dump(mode="json")
    matrices = _Matrices(lang)
    doc["dossiers"] = slots.slot(_item(d, lang, slots, matrices) for d in report.dossiers)
    slots.write(doc, out)
