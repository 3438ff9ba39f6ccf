"""Baselines: adopt the checker on a dossier without fixing everything at once.

`cgt-check baseline create` records the current findings; `check --baseline FILE` then fails only
on findings that are not in it, and counts new, baselined (unchanged) and fixed ones. Findings are
matched by rule, file and dossier path (with item ids), never by line, so editing the file, even
inserting lines at the top, does not break the baseline."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.base.errors import InputError, Problem
from checker.base.i18n import message
from checker.base.literals import Severity
from checker.base.textutil import norm_file
from checker.load.jsonio import load_json
from checker.load.problems import validation_problems
from checker.load.yamlio import read_limited
from checker.report.result import BaselineEntry, BaselineSummary, Finding, Report

BASELINE_VERSION = "1.0"


class _Doc(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)


class EntryDoc(_Doc):
    rule_id: str
    requirement: str
    file: str
    path: str
    severity: Severity
    message: str = Field(description="The message when the baseline was made, for people reading it.")


class BaselineDoc(_Doc):
    baseline_version: str
    tool: dict[str, str]
    rule_pack: dict[str, str]
    as_of: str
    findings: list[EntryDoc]


def _key(rule_id: str, file: str, path: str) -> tuple[str, str, str]:
    return (rule_id, norm_file(file), path)


def render(report: Report) -> str:
    """The baseline file for a report's findings (waived ones included: a justification may expire)."""
    p = report.provenance
    entries = sorted(
        {
            _key(f.rule_id, f.file, f.path): {
                "rule_id": f.rule_id,
                "requirement": f.requirement,
                "file": norm_file(f.file),
                "path": f.path,
                "severity": f.severity,
                "message": f.message.en,
            }
            for f in report.findings()
        }.items()
    )
    doc = {
        "baseline_version": BASELINE_VERSION,
        "tool": {"name": p.tool, "version": p.version},
        "rule_pack": {"name": p.rule_pack, "version": p.rule_pack_version, "sha256": p.rule_pack_sha256},
        "as_of": p.as_of.isoformat(),
        "findings": [entry for _, entry in entries],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def finding_key(f: Finding) -> tuple[str, str, str]:
    """How a finding is matched with a baseline entry: rule, file and dossier path."""
    return _key(f.rule_id, f.file, f.path)


@dataclass(frozen=True)
class Baseline:
    """A loaded baseline."""

    file: str
    entries: Mapping[tuple[str, str, str], BaselineEntry]

    def mark(self, findings: Iterable[Finding]) -> tuple[Finding, ...]:
        """The findings, each marked as in the baseline ("unchanged") or not ("new")."""
        return tuple(
            replace(f, baseline="unchanged" if finding_key(f) in self.entries else "new") for f in findings
        )

    def summary(
        self, checked_files: Iterable[str], rules_run: set[str], seen: set[tuple[str, str, str]], new: int
    ) -> BaselineSummary:
        """The run against the baseline, from the entries it found again (`seen`) and its `new`
        findings; fixed: entries of the files and rules checked that were not found again."""
        checked = {norm_file(f) for f in checked_files}
        fixed = tuple(
            e
            for k, e in sorted(self.entries.items())
            if k[1] in checked and k[0] in rules_run and k not in seen
        )
        return BaselineSummary(self.file, new, len(seen), fixed)


def load(path: str) -> Baseline:
    """Read a baseline file; a problem in it is reported where it is written."""
    located = load_json(read_limited(path), path)
    try:
        doc = BaselineDoc.model_validate(located.data)
    except ValidationError as exc:
        problems = validation_problems(path, located, exc, BaselineDoc, lead="not_a_baseline")
        raise InputError(f"{path}: not a baseline", problems) from None
    if doc.baseline_version != BASELINE_VERSION:
        m = located.mark_for(("baseline_version",))
        said = message("baseline_version", version=repr(doc.baseline_version), supported=BASELINE_VERSION)
        raise InputError(f"{path}: baseline version", [Problem(path, m.line, m.column, said)])
    entries = {
        _key(e.rule_id, e.file, e.path): BaselineEntry(
            e.rule_id,
            e.requirement,
            norm_file(e.file),
            e.path,
            e.severity,
            e.message,
        )
        for e in doc.findings
    }
    return Baseline(path, entries)
