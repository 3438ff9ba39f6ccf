"""The result of a check: small immutable records every output format renders from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from checker.base.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, Problem
from checker.base.escape import shared
from checker.base.literals import FAIL_ON, SEVERITY_ORDER, BaselineState, Severity, Status

__all__ = ["FAIL_ON", "SEVERITY_ORDER", "BaselineState", "Severity", "Status"]


def at_or_above(severity: str, fail_on: str) -> bool:
    """Whether `severity` is at or above the --fail-on level (never: nothing is)."""
    return fail_on != "never" and SEVERITY_ORDER[severity] <= SEVERITY_ORDER[fail_on]


@dataclass(frozen=True)
class I18n:
    en: str
    zh: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


@dataclass(frozen=True)
class CitationRef:
    source: str
    source_title: str
    section: str | None
    quote: str | None


@dataclass(frozen=True)
class Waiver:
    """The justification that covers a finding, and whether it still applies on the as-of date."""

    rule: str | None
    requirement: str | None
    path: str
    reason: str
    approved_by: str
    approved_on: dt.date | None
    expires: dt.date | None
    source: str  # where it is written: file:line:column
    expired: bool


@dataclass(frozen=True)
class StaleJustification:
    """A justification that matches no finding: the gap it justified is gone, or it is mistyped."""

    file: str
    line: int
    column: int
    target: str  # the rule or requirement id it names
    path: str
    reason: str


@dataclass(frozen=True)
class Finding:
    rule_id: str
    requirement: str
    severity: Severity
    file: str
    path: str  # dossier path with ids, e.g. indications[lbcl-3l].clinical_need
    line: int
    column: int
    title: I18n
    message: I18n
    remediation: I18n
    citation: CitationRef
    waiver: Waiver | None = None  # the justification that covers it, if any (possibly expired)
    baseline: BaselineState | None = None  # with --baseline: in the baseline or new

    @property
    def waived(self) -> bool:
        """Justified and not expired: reported, but it does not fail the gate."""
        return self.waiver is not None and not self.waiver.expired

    @property
    def gating(self) -> bool:
        """Whether it can fail the gate: neither waived nor already in the baseline."""
        return not self.waived and self.baseline != "unchanged"

    def fails(self, fail_on: str) -> bool:
        """Whether it fails the gate of `fail_on`: it can (see `gating`) and its severity is at or
        above it. Every format marks as failures exactly the findings the exit code counts."""
        return self.gating and at_or_above(self.severity, fail_on)

    def key(self) -> tuple[str, str, str]:
        """Its identity across runs and edits: rule, file and dossier path, never the line."""
        return (self.rule_id, self.file, self.path)

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line, self.column, self.rule_id, self.path)


@dataclass(frozen=True)
class RuleStatus:
    rule_id: str
    severity: Severity
    status: Status


@dataclass(frozen=True)
class RequirementResult:
    id: str
    title: I18n
    severity: Severity | None  # the worst severity among its findings; None unless failed
    status: Status
    rules: tuple[RuleStatus, ...]
    reason: I18n  # why it failed, passed or does not apply


@dataclass(frozen=True)
class DossierResult:
    file: str
    sha256: str
    product: str
    modality: str
    stages: tuple[str, ...]
    findings: tuple[Finding, ...]
    requirements: tuple[RequirementResult, ...]
    stale_justifications: tuple[StaleJustification, ...] = ()
    product_zh: str | None = None  # the product's Chinese name, if the dossier gives it
    schema_version: str = "1.0"  # the dossier's format version (not written in reports)


@dataclass(frozen=True)
class Provenance:
    tool: str
    version: str
    rule_pack: str
    rule_pack_version: str
    rule_pack_sha256: str
    as_of: dt.date
    rule_selection: str = ""  # --select/--ignore as given; '' when every rule ran


@dataclass(frozen=True)
class RuleInfo:
    """A rule as the reports describe it, whether or not it found anything."""

    id: str
    requirement: str
    severity: Severity
    tags: tuple[str, ...]
    title: I18n
    description: I18n
    applies_when: I18n
    remediation: I18n
    citation: CitationRef


@dataclass(frozen=True)
class RequirementInfo:
    id: str
    title: I18n
    severity: Severity
    text: I18n  # the catalogue's statement of the requirement


@dataclass(frozen=True)
class Catalogue:
    """The rule pack's requirements and rules, in catalogue order, for formats that list them."""

    requirements: tuple[RequirementInfo, ...] = ()
    rules: tuple[RuleInfo, ...] = ()

    def rule(self, rule_id: str) -> RuleInfo | None:
        return next((r for r in self.rules if r.id == rule_id), None)


@dataclass(frozen=True)
class BaselineEntry:
    rule_id: str
    requirement: str
    file: str
    path: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class BaselineSummary:
    """With --baseline: how this run compares with it (for the files checked in this run)."""

    file: str
    new: int
    unchanged: int
    fixed: tuple[BaselineEntry, ...]  # in the baseline, no longer found


@dataclass(frozen=True)
class Cover:
    """What a report's cover says besides the check (--title, --client, --logo): text as given,
    on one line, and the logo as a data URI of a checked PNG or JPEG image ('' for none)."""

    title: str = ""
    client: str = ""
    logo: str = ""


@dataclass(frozen=True)
class Report:
    provenance: Provenance
    # the results in input order: a tuple, or for a report written by a format from a check as
    # its results came a `checker.report.spill.Spill` (read back from a temporary file; iterate
    # it, take its length or an item, never hold it whole)
    dossiers: Sequence[DossierResult]
    errors: tuple[Problem, ...] = field(default_factory=tuple)
    catalogue: Catalogue = field(default_factory=Catalogue)
    stale_file_justifications: tuple[StaleJustification, ...] = ()  # from --justifications files
    baseline: BaselineSummary | None = None
    cover: Cover = field(default_factory=Cover)

    def findings(self) -> list[Finding]:
        return [f for d in self.dossiers for f in d.findings]

    def counts(self) -> dict[str, int]:
        """Findings by severity, not counting waived ones (they are counted as 'waived')."""
        return Counts.of(self).by_severity

    def stale_justifications(self) -> list[StaleJustification]:
        """Justifications that covered no finding: the dossiers' own, then the files'."""
        return [s for d in self.dossiers for s in d.stale_justifications] + list(
            self.stale_file_justifications
        )

    def exit_code(self, fail_on: str) -> int:
        """2 if any input was invalid, 1 if a finding is at or above fail_on, else 0."""
        return Counts.of(self).exit_code(fail_on)


@dataclass
class Counts:
    """What a report counts, folded one item at a time (a dossier's result or an input problem),
    so that a report written as its results come needs none of them held: the summaries'
    numbers and the exit code."""

    dossiers: int = 0
    invalid: int = 0  # input problems
    by_severity: dict[str, int] = field(default_factory=lambda: dict.fromkeys((*SEVERITY_ORDER, "waived"), 0))
    gating: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITY_ORDER, 0))

    @classmethod
    def of(cls, report: Report) -> Counts:
        counts = cls()
        for dossier in report.dossiers:
            counts.add(dossier)
        for problem in report.errors:
            counts.add(problem)
        return counts

    @classmethod
    def of_dossier(cls, dossier: DossierResult) -> Counts:
        counts = cls()
        counts.add(dossier)
        return counts

    def add(self, item: DossierResult | Problem) -> None:
        if isinstance(item, Problem):
            self.invalid += 1
            return
        self.dossiers += 1
        for f in item.findings:
            self.by_severity["waived" if f.waived else f.severity] += 1
            self.gating[f.severity] += f.gating

    def exit_code(self, fail_on: str) -> int:
        """2 if any input was invalid, 1 if a finding that can fail the gate (neither waived nor
        baselined) is at or above fail_on, else 0."""
        if self.invalid:
            return EXIT_ERROR
        failing = any(self.gating[sev] and at_or_above(sev, fail_on) for sev in SEVERITY_ORDER)
        return EXIT_FINDINGS if failing else EXIT_OK


# What results share (checker.run.matrix hands out the same records, and a spilled report keeps
# them in memory): the report's escaping looks at each once (checker.base.escape). Records read
# back from a spill are copies, so no kind a finding holds is registered.
shared(RequirementResult, RuleStatus)
