"""What the result cache stores of an outcome, and how it is read back (checker.run.resultcache).

A finding is stored as its rule, place, message (both languages), waiver and baseline state; its
title, severity, remediation and citation come back from the rule pack. A result's requirement
matrix is stored as its plan (`checker.run.matrix.Plan`) and made again as a check makes it. The
rest (the dossier's facts for the reports, its stale justifications, the run's justification
indices, the input errors of a file that could not be checked) is plain data decoded by its
types. Whatever does not decode into exactly that, naming only the pack's rules, raises
(PlainDataError, KeyError, TypeError or ValueError): the caller checks the file afresh.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from checker.base.errors import Problem
from checker.base.literals import BaselineState
from checker.base.plaindata import decoder, to_plain
from checker.report.result import CitationRef, DossierResult, Finding, I18n, StaleJustification, Waiver
from checker.run.evaluate import Context, Outcome, citation
from checker.run.matrix import plan_text

_BASELINE: Any = BaselineState | None
_INDICES = decoder(frozenset[int])
_PROBLEMS = decoder(tuple[Problem, ...])
_STALE = decoder(tuple[StaleJustification, ...])
_WAIVER = decoder(Waiver)
_BASELINE_STATE = decoder(_BASELINE)


@dataclass(frozen=True)
class _RuleParts:
    """What a finding of a rule takes from the rule itself."""

    requirement: str
    severity: Any
    title: I18n
    remediation: I18n
    citation: CitationRef


class StoredForm:
    """An outcome as plain data and back, for one run's context."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._parts: dict[str, _RuleParts] = {}

    def encode(self, outcome: Outcome) -> dict[str, Any]:
        out: dict[str, Any] = {
            "file": outcome.file,
            "used": sorted(outcome.used),
            "applied": sorted(outcome.applied),
        }
        r = outcome.result
        if r is None:
            out["problems"] = to_plain(outcome.problems)
            return out
        # the rules that applied and found nothing decide the matrix with the findings (a rule
        # with a finding has its status whether or not it applied)
        plan = outcome.plan
        if plan is None:
            passed = {s.rule_id for req in r.requirements for s in req.rules if s.status == "passed"}
            plan = self.ctx.matrix.plan(passed, r.findings)
        if self.ctx.matrix.results(plan) != r.requirements:
            raise ValueError("a matrix its plan does not give")  # never stored, never guessed
        findings = []
        for f in r.findings:
            parts = self._rule(f.rule_id)
            if (f.requirement, f.severity, f.title, f.remediation, f.citation, f.file) != (
                parts.requirement,
                parts.severity,
                parts.title,
                parts.remediation,
                parts.citation,
                r.file,
            ):
                raise ValueError("a finding that is not its rule's")  # never stored, never guessed
            waiver = None if f.waiver is None else to_plain(f.waiver)
            findings.append(
                [f.rule_id, f.path, f.line, f.column, f.message.en, f.message.zh, waiver, f.baseline]
            )
        out["result"] = [
            r.sha256,
            r.product,
            r.product_zh,
            r.modality,
            list(r.stages),
            r.schema_version,
            plan_text(plan),
            findings,
            to_plain(r.stale_justifications),
        ]
        return out

    def decode(self, file: str, stored: Any) -> Outcome:
        if type(stored) is not dict or stored.get("file") != file:
            raise ValueError("not this file's")
        used = _INDICES(stored["used"])
        applied = _INDICES(stored["applied"])
        if set(stored) == {"file", "used", "applied", "problems"}:
            problems = _PROBLEMS(stored["problems"])
            return Outcome(file, None, problems, used, applied, cacheable=True)
        if set(stored) != {"file", "used", "applied", "result"}:
            raise ValueError("not an outcome")
        sha, product, product_zh, modality, stages, version, plan, rows, stale = stored["result"]
        findings = tuple(self._finding(file, row) for row in _list(rows))
        result = DossierResult(
            file=file,
            sha256=_text(sha),
            product=_text(product),
            product_zh=None if product_zh is None else _text(product_zh),
            modality=_text(modality),
            stages=tuple(_text(s) for s in _list(stages)),
            findings=findings,
            requirements=self.ctx.matrix.results_of_text(_text(plan)),
            stale_justifications=() if stale == [] else _STALE(stale),
            schema_version=_text(version),
        )
        return Outcome(file, result, (), used, applied, cacheable=True)

    def _finding(self, file: str, row: Any) -> Finding:
        rule_id, path, line, column, en, zh, waiver, baseline = _list(row)
        parts = self._rule(rule_id)
        return Finding(
            rule_id=_text(rule_id),
            requirement=parts.requirement,
            severity=parts.severity,
            file=file,
            path=_text(path),
            line=_int(line),
            column=_int(column),
            title=parts.title,
            message=I18n(_text(en), _text(zh)),
            remediation=parts.remediation,
            citation=parts.citation,
            waiver=None if waiver is None else _WAIVER(waiver),
            baseline=None if baseline is None else _BASELINE_STATE(baseline),
        )

    def _rule(self, rule_id: str) -> _RuleParts:
        parts = self._parts.get(rule_id)
        if parts is None:
            rule = self.ctx.pack.rules[rule_id].rule  # KeyError: not a rule of this pack
            parts = self._parts[rule_id] = _RuleParts(
                rule.requirement,
                rule.severity,
                I18n(rule.title.en, rule.title.zh),
                I18n(rule.remediation.en, rule.remediation.zh),
                citation(self.ctx.pack, rule),
            )
        return parts


_list = decoder(list)  # each raises PlainDataError for a value of another type
_text = decoder(str)
_int = decoder(int)


__all__ = ["StoredForm"]
