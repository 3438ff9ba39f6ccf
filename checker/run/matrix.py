"""The requirement matrix of one dossier: each requirement's status, its rules' statuses and why,
from the rules that applied and the findings (after justifications and the baseline)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from checker.base.i18n import text
from checker.base.literals import LANGS, SEVERITY_ORDER, Severity, Status
from checker.report.result import Finding, I18n, RequirementResult, RuleStatus
from checker.rulepack.explain import not_applicable_reason, passed_reason
from checker.rulepack.pack import LoadedRule, RulePack


class Matrix:
    """A pack's requirement matrix builder. What does not depend on the dossier is computed once;
    the statuses and reasons it hands out are shared by every result (immutable records)."""

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self._by_requirement: dict[str, list[LoadedRule]] = {}
        for lr in pack.rules.values():
            self._by_requirement.setdefault(lr.rule.requirement, []).append(lr)
        self._statuses: dict[tuple[str, Status], RuleStatus] = {}
        self._titles = {req.id: I18n(req.title.en, req.title.zh) for req in pack.requirements.values()}
        self._passed_reasons: dict[tuple[str, int], I18n] = {}
        self._not_applicable = {
            req.id: I18n(
                *not_applicable_reason(req, self._by_requirement.get(req.id, []), req.id in pack.partial)
            )
            for req in pack.requirements.values()
        }

    def _status(self, lr: LoadedRule, st: Status) -> RuleStatus:
        status = self._statuses.get((lr.rule.id, st))
        if status is None:
            status = self._statuses[lr.rule.id, st] = RuleStatus(lr.rule.id, lr.rule.severity, st)
        return status

    def _passed(self, requirement: str, n: int) -> I18n:
        reason = self._passed_reasons.get((requirement, n))
        if reason is None:
            req = self.pack.requirements[requirement]
            reason = I18n(*passed_reason(req, n, requirement in self.pack.partial))
            self._passed_reasons[requirement, n] = reason
        return reason

    def build(self, applied: set[str], findings: Iterable[Finding]) -> tuple[RequirementResult, ...]:
        """Each requirement's result: failed (a gating finding), baselined, waived, passed (a rule
        applied and found nothing) or not applicable, in catalogue order."""
        failed: dict[str, list[Finding]] = {}  # findings that fail the gate
        waived: dict[str, list[Finding]] = {}  # findings justified (and not expired)
        baselined: dict[str, list[Finding]] = {}  # findings already in the --baseline
        for f in findings:
            bucket = failed if f.gating else waived if f.waived else baselined
            bucket.setdefault(f.requirement, []).append(f)
        failed_rules = {f.rule_id for fs in failed.values() for f in fs}
        out = []
        for req in self.pack.requirements.values():
            statuses = tuple(
                self._status(lr, _rule_status(lr.rule.id, req.id, failed_rules, baselined, waived, applied))
                for lr in self._by_requirement.get(req.id, [])
            )
            title = self._titles[req.id]
            if req.id in failed:
                ids = _ids(failed[req.id])
                reason = _both("matrix_failed", ids=ids)
                out.append(
                    RequirementResult(req.id, title, _worst(failed[req.id]), "failed", statuses, reason)
                )
            elif req.id in baselined:
                ids = _ids(baselined[req.id])
                reason = _both("matrix_baselined", ids=ids)
                worst = _worst(baselined[req.id])
                out.append(RequirementResult(req.id, title, worst, "baselined", statuses, reason))
            elif req.id in waived:
                ids = _ids(waived[req.id])
                who = sorted({f"{f.waiver.approved_by}" for f in waived[req.id] if f.waiver})
                reason = I18n(
                    *(
                        text("matrix_waived", lang, ids=ids, who=_joined(who, "matrix_approver_sep", lang))
                        for lang in LANGS
                    )
                )
                out.append(
                    RequirementResult(req.id, title, _worst(waived[req.id]), "waived", statuses, reason)
                )
            elif any(s.status == "passed" for s in statuses):
                reason = self._passed(req.id, sum(1 for s in statuses if s.status == "passed"))
                out.append(RequirementResult(req.id, title, None, "passed", statuses, reason))
            else:
                reason = self._not_applicable[req.id]
                out.append(RequirementResult(req.id, title, None, "not-applicable", statuses, reason))
        return tuple(out)


def _rule_status(
    rid: str,
    requirement: str,
    failed_rules: set[str],
    baselined: dict[str, list[Finding]],
    waived: dict[str, list[Finding]],
    applied: set[str],
) -> Status:
    if rid in failed_rules:
        return "failed"
    if any(f.rule_id == rid for f in baselined.get(requirement, [])):
        return "baselined"
    if any(f.rule_id == rid for f in waived.get(requirement, [])):
        return "waived"
    return "passed" if rid in applied else "not-applicable"


def _worst(findings: Sequence[Finding]) -> Severity:
    return min((f.severity for f in findings), key=SEVERITY_ORDER.__getitem__)


def _ids(findings: Sequence[Finding]) -> str:
    return ", ".join(sorted({f.rule_id for f in findings}))


def _joined(items: Sequence[str], separator: str, lang: str) -> str:
    """The distinct items, in order, joined by the separator's text in lang."""
    return text(separator, lang).join(dict.fromkeys(items))


def _both(key: str, **fields: object) -> I18n:
    """A text of the table in both languages."""
    en, zh = (text(key, lang, **fields) for lang in LANGS)
    return I18n(en, zh)
