"""Justifications (waivers): findings a sponsor accepts rather than fixes, each with a reason, an
approver and an optional expiry date.

They are applied to the engine's findings, never instead of them: a covered finding is still
reported, with status `waived`, and does not fail the gate; after its expiry date a justification
no longer applies, so the finding fails again and says which justification expired; a
justification that covers no finding is reported as stale, so justifications do not outlive the
gaps they were written for. Justifications come from the dossier's `justifications:` section and
from files given with `--justifications FILE`."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace

from pydantic import ValidationError

from checker.base.errors import InputError, Problem, suggestion
from checker.base.i18n import message
from checker.base.textutil import STDIN_NAME, path_glob_match
from checker.load.dossier import LoadedDossier
from checker.load.problems import validation_problems
from checker.load.yamlio import load_yaml, read_limited
from checker.model.justification import Justification, JustificationFile
from checker.report.result import Finding, StaleJustification, Waiver


@dataclass(frozen=True)
class LocatedJustification:
    justification: Justification
    file: str
    line: int
    column: int
    dossier: str | None = None  # from a justification file: which dossier files it applies to

    @property
    def source(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    @property
    def target(self) -> str:
        j = self.justification
        return j.rule or j.requirement or ""

    def applies_to(self, dossier_file: str) -> bool:
        """Whether it applies to this dossier: its `dossier:` glob matches the path as the checker
        was given it, or the path relative to the justification file's directory (so a file of
        justifications works from any working directory)."""
        if self.dossier is None:
            return True
        if path_glob_match(dossier_file, self.dossier):
            return True
        if dossier_file == STDIN_NAME or os.path.isabs(self.dossier):
            return False
        base = os.path.dirname(os.path.abspath(self.file))
        try:
            relative = os.path.relpath(os.path.abspath(dossier_file), base)
        except ValueError:  # another drive (Windows): no relative path
            return False
        return path_glob_match(relative, self.dossier)

    def covers(self, f: Finding) -> bool:
        j = self.justification
        if (j.rule is not None and j.rule != f.rule_id) or (
            j.requirement is not None and j.requirement != f.requirement
        ):
            return False
        return f.path == j.path or f.path.startswith((j.path + ".", j.path + "["))


def in_dossier(loaded: LoadedDossier) -> list[LocatedJustification]:
    out = []
    for i, j in enumerate(loaded.dossier.justifications):
        line, column = loaded.mark(("justifications", i))
        out.append(LocatedJustification(j, loaded.file, line, column))
    return out


def load_file(path: str) -> list[LocatedJustification]:
    """Read a justification file: a mapping with a `justifications:` list."""
    located = load_yaml(read_limited(path), path)
    if not isinstance(located.data, dict):
        raise InputError(
            f"{path}: not a justification file",
            [Problem(path, 1, 1, message("justification_file_shape"))],
        )
    try:
        doc = JustificationFile.model_validate(located.data)
    except ValidationError as exc:
        problems = validation_problems(path, located, exc, JustificationFile)
        raise InputError(f"{path}: invalid justification file", problems) from None
    out = []
    for i, j in enumerate(doc.justifications):
        m = located.mark_for(("justifications", i))
        out.append(LocatedJustification(j, path, m.line, m.column, j.dossier))
    return out


def target_problems(
    justifications: Iterable[LocatedJustification], rules: Mapping[str, str], requirements: Iterable[str]
) -> list[Problem]:
    """Justifications naming a rule or requirement the pack does not have (a typo would
    otherwise silently justify nothing). `rules` maps rule id to its requirement."""
    known_requirements = list(requirements)
    out = []
    for lj in justifications:
        j = lj.justification
        if j.rule is not None and j.rule not in rules:
            said = message("justified_unknown_rule", rule=j.rule, hint=suggestion(j.rule, list(rules)))
            out.append(Problem(lj.file, lj.line, lj.column, said))
        if j.requirement is not None and j.requirement not in known_requirements:
            hint = suggestion(j.requirement, known_requirements)
            said = message("justified_unknown_requirement", requirement=j.requirement, hint=hint)
            out.append(Problem(lj.file, lj.line, lj.column, said))
    return out


def _waiver(lj: LocatedJustification, as_of: dt.date) -> Waiver:
    j = lj.justification
    return Waiver(
        rule=j.rule,
        requirement=j.requirement,
        path=j.path,
        reason=" ".join(j.reason.split()),
        approved_by=" ".join(j.approved_by.split()),
        approved_on=j.approved_on,
        expires=j.expires,
        source=lj.source,
        expired=j.expires is not None and as_of > j.expires,
    )


def apply(
    findings: Sequence[Finding], justifications: Sequence[LocatedJustification], as_of: dt.date
) -> tuple[tuple[Finding, ...], set[int]]:
    """Attach to each finding the justification that covers it (an unexpired one first, then the
    first in order); return the findings and the indices of the justifications that covered one."""
    used: set[int] = set()
    out = []
    for f in findings:
        covering = [(i, lj) for i, lj in enumerate(justifications) if lj.covers(f)]
        used.update(i for i, _ in covering)
        if not covering:
            out.append(f)
            continue
        waivers = [_waiver(lj, as_of) for _, lj in covering]
        active = [w for w in waivers if not w.expired]
        out.append(replace(f, waiver=(active or waivers)[0]))
    return tuple(out), used


def stale(
    justifications: Sequence[LocatedJustification],
    used: set[int],
    ran: Callable[[LocatedJustification], bool] = lambda lj: True,
) -> tuple[StaleJustification, ...]:
    """The justifications that covered no finding, among those whose rule ran."""
    return tuple(
        StaleJustification(
            lj.file, lj.line, lj.column, lj.target, lj.justification.path, lj.justification.reason
        )
        for i, lj in enumerate(justifications)
        if i not in used and ran(lj)
    )
