"""What a run learns across its dossiers, folded from their outcomes one at a time: which files
were checked, which --justifications entries applied and were used (for the stale ones), and
which baseline entries were seen (for the fixed ones). What a report counts (findings, input
errors, the exit code) is counted by the report as its items pass (checker.report.stream)."""

from __future__ import annotations

from dataclasses import dataclass, field

from checker.report.result import BaselineSummary, StaleJustification
from checker.run import justify
from checker.run.baseline import finding_key
from checker.run.evaluate import Context, Outcome


@dataclass
class Tally:
    """The fold over a run's outcomes (add them in input order)."""

    files: int = 0  # outcomes added: files checked or refused
    checked: list[str] = field(default_factory=list)  # files with a result, in order (with a baseline)
    keep_checked: bool = True  # False: no baseline needs them, and a large batch need not hold them
    used: set[int] = field(default_factory=set)  # --justifications entries that covered a finding
    applied: set[int] = field(default_factory=set)  # --justifications entries whose dossier: matched
    baseline_seen: set[tuple[str, str, str]] = field(default_factory=set)
    baseline_new: int = 0

    def add(self, outcome: Outcome) -> None:
        self.files += 1
        self.used |= outcome.used
        self.applied |= outcome.applied
        result = outcome.result
        if result is None:
            return
        if self.keep_checked:
            self.checked.append(result.file)
        for f in result.findings:
            if f.baseline == "unchanged":
                self.baseline_seen.add(finding_key(f))
            elif f.baseline == "new":
                self.baseline_new += 1

    def stale_file_justifications(self, ctx: Context) -> tuple[StaleJustification, ...]:
        """--justifications entries that applied to a checked dossier, whose rule ran, yet
        covered nothing."""
        pairs = [(i, lj) for i, lj in enumerate(ctx.justifications) if i in self.applied and ctx.ran(lj)]
        used = {k for k, (i, _) in enumerate(pairs) if i in self.used}
        return justify.stale([lj for _, lj in pairs], used)

    def baseline_summary(self, ctx: Context) -> BaselineSummary | None:
        """With a baseline: how this run compares with it."""
        if ctx.baseline is None:
            return None
        return ctx.baseline.summary(self.checked, set(ctx.pack.rules), self.baseline_seen, self.baseline_new)
