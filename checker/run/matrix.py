"""The requirement matrix of one dossier: each requirement's status, its rules' statuses and why,
from the rules that applied and the findings (after justifications and the baseline)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import Any

from checker.base.i18n import text
from checker.base.literals import LANGS, SEVERITY_ORDER, STATUSES, Severity, Status
from checker.report.result import Finding, I18n, RequirementResult, RuleStatus
from checker.rulepack.explain import not_applicable_reason, passed_reason
from checker.rulepack.pack import LoadedRule, RulePack

# Matrices and requirement results kept to be shared (then the memo starts again): enough for
# the patterns that recur, and few enough that what is kept does not grow with a large batch.
_MAX_SHARED = 1 << 10
# Per requirement in catalogue order: its rules' statuses, and its kind of result with what the
# result says: (failed | baselined, worst severity, rule ids), (waived, worst, ids, approvers),
# (passed, None, rules passed) or (not-applicable, None).
Plan = tuple[tuple[tuple[Status, ...], tuple[Any, ...]], ...]
_STATUSES = frozenset(STATUSES)
# Each status and severity as the one string object the checker uses (text read back from JSON
# is a new object each time, and a matrix kept to be shared keeps what it is made of).
_CANONICAL: dict[str, str] = {s: s for s in (*STATUSES, *SEVERITY_ORDER)}


def plan_text(plan: Plan) -> str:
    """A plan as compact JSON text (what the result cache stores of a matrix)."""
    return json.dumps(plan, ensure_ascii=False, separators=(",", ":"))


_PASSED = _CANONICAL["passed"]
_NOT_APPLICABLE: tuple[Any, ...] = (_CANONICAL["not-applicable"], None)


def _key_of(data: list[Any], statuses: tuple[Status, ...]) -> tuple[Any, ...]:
    """A requirement's kind of result read back, checked against its rules' statuses."""
    kind = data[0] if data else None
    if kind in ("failed", "baselined", "waived"):
        size = 4 if kind == "waived" else 3
        if (
            len(data) != size
            or data[1] not in SEVERITY_ORDER
            or type(data[2]) is not str
            or kind not in statuses
        ):
            raise ValueError("not a requirement's findings")
        if kind != "waived":
            return (_CANONICAL[kind], _CANONICAL[data[1]], data[2])
        who = data[3]
        if type(who) is not list or not all(type(w) is str for w in who):
            raise ValueError("not approvers")
        return (_CANONICAL[kind], _CANONICAL[data[1]], data[2], tuple(who))
    if kind == "passed" and len(data) == 3 and data[1] is None and data[2] == statuses.count("passed") > 0:
        return (_PASSED, None, data[2])
    if kind == "not-applicable" and data == ["not-applicable", None] and "passed" not in statuses:
        return _NOT_APPLICABLE
    raise ValueError("not a requirement's kind of result")


class Matrix:
    """A pack's requirement matrix builder. What does not depend on the dossier is computed once;
    the statuses and reasons it hands out are shared by every result (immutable records)."""

    def __init__(self, pack: RulePack) -> None:
        self.pack = pack
        self._by_requirement: dict[str, list[LoadedRule]] = {}
        for lr in pack.rules.values():
            self._by_requirement.setdefault(lr.rule.requirement, []).append(lr)
        self._rule_ids = {req: tuple(lr.rule.id for lr in lrs) for req, lrs in self._by_requirement.items()}
        self._statuses: dict[tuple[str, Status], RuleStatus] = {}
        self._results: dict[tuple[object, ...], RequirementResult] = {}
        self._matrices: dict[Plan, tuple[RequirementResult, ...]] = {}
        self._texts: dict[bytes, tuple[RequirementResult, ...]] = {}  # by a digest of the text
        self._status_tuples: dict[tuple[str, tuple[Any, ...]], tuple[Status, ...]] = {}
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
        return self.results(self.plan(applied, findings))

    def plan(self, applied: set[str], findings: Iterable[Finding]) -> Plan:
        """What decides each requirement's result (its rules' statuses and its kind of result),
        as plain values: `results` makes the matrix of it."""
        failed: dict[str, list[Finding]] = {}  # findings that fail the gate
        waived: dict[str, list[Finding]] = {}  # findings justified (and not expired)
        baselined: dict[str, list[Finding]] = {}  # findings already in the --baseline
        for f in findings:
            bucket = failed if f.gating else waived if f.waived else baselined
            bucket.setdefault(f.requirement, []).append(f)
        # a rule's findings are all of its own requirement, so its status is known by its id
        failed_rules = {f.rule_id for fs in failed.values() for f in fs}
        baselined_rules = {f.rule_id for fs in baselined.values() for f in fs}
        waived_rules = {f.rule_id for fs in waived.values() for f in fs}

        def status(rid: str) -> Status:
            if rid in failed_rules:
                return "failed"
            if rid in baselined_rules:
                return "baselined"
            if rid in waived_rules:
                return "waived"
            return "passed" if rid in applied else "not-applicable"

        out = []
        for req in self.pack.requirements:
            statuses = tuple(status(rid) for rid in self._rule_ids.get(req, ()))
            key: tuple[Any, ...]
            if req in failed:
                key = ("failed", _worst(failed[req]), _ids(failed[req]))
            elif req in baselined:
                key = ("baselined", _worst(baselined[req]), _ids(baselined[req]))
            elif req in waived:
                fs = waived[req]
                who = tuple(sorted({f"{f.waiver.approved_by}" for f in fs if f.waiver}))
                key = ("waived", _worst(fs), _ids(fs), who)
            elif "passed" in statuses:
                key = ("passed", None, statuses.count("passed"))
            else:
                key = ("not-applicable", None)
            out.append((statuses, key))
        return tuple(out)

    def results(self, plan: Plan) -> tuple[RequirementResult, ...]:
        """The requirement matrix of a plan; the same records (and the same tuple) for every
        dossier with the same plan."""
        shared = self._matrices.get(plan)
        if shared is None:
            if len(self._matrices) >= _MAX_SHARED:
                self._matrices.clear()
            shared = self._matrices[plan] = tuple(
                self._requirement(req, statuses, key)
                for req, (statuses, key) in zip(self.pack.requirements, plan, strict=True)
            )
        return shared

    def results_of_text(self, text: str) -> tuple[RequirementResult, ...]:
        """The requirement matrix of a plan written as `plan_text` wrote it; ValueError for text
        that is not a plan of this pack's requirements."""
        digest = hashlib.blake2b(text.encode("utf-8"), digest_size=16).digest()
        shared = self._texts.get(digest)
        if shared is None:
            if len(self._texts) >= _MAX_SHARED:
                self._texts.clear()
            shared = self._texts[digest] = self.results(self._plan_of(json.loads(text)))
        return shared

    def _plan_of(self, data: Any) -> Plan:
        if type(data) is not list or len(data) != len(self.pack.requirements):
            raise ValueError("not a plan of these requirements")
        out = []
        for req, item in zip(self.pack.requirements, data, strict=True):
            if (
                type(item) is not list
                or len(item) != 2
                or type(item[0]) is not list
                or type(item[1]) is not list
            ):
                raise ValueError("not a requirement's plan")
            statuses = self._statuses_of(req, item[0])
            out.append((statuses, _key_of(item[1], statuses)))
        return tuple(out)

    def _statuses_of(self, requirement: str, data: list[Any]) -> tuple[Status, ...]:
        """A requirement's rules' statuses read back: the tuple kept for them if there is one
        (a requirement has few), made of the checker's own strings."""
        read = tuple(data)
        kept = self._status_tuples.get((requirement, read))
        if kept is not None:
            return kept
        if len(read) != len(self._rule_ids.get(requirement, ())) or not set(read) <= _STATUSES:
            raise ValueError("not the statuses of its rules")
        if len(self._status_tuples) >= _MAX_SHARED:
            self._status_tuples.clear()
        kept = self._status_tuples[requirement, read] = tuple(_CANONICAL[s] for s in read)  # type: ignore[misc]
        return kept

    def _requirement(
        self, requirement: str, statuses: tuple[Status, ...], key: tuple[Any, ...]
    ) -> RequirementResult:
        memo = (requirement, statuses, key)
        result = self._results.get(memo)
        if result is None:
            if len(self._results) >= _MAX_SHARED:
                self._results.clear()
            result = self._results[memo] = self._make(requirement, statuses, key)
        return result

    def _make(
        self, requirement: str, statuses: tuple[Status, ...], key: tuple[Any, ...]
    ) -> RequirementResult:
        lrs = self._by_requirement.get(requirement, [])
        rules = tuple(self._status(lr, st) for lr, st in zip(lrs, statuses, strict=True))
        title = self._titles[requirement]
        status: Status = key[0]
        if status in ("failed", "baselined"):
            reason = _both(f"matrix_{status}", ids=key[2])
        elif status == "waived":
            reason = I18n(
                *(
                    text("matrix_waived", lang, ids=key[2], who=_joined(key[3], "matrix_approver_sep", lang))
                    for lang in LANGS
                )
            )
        elif status == "passed":
            reason = self._passed(requirement, key[2])
        else:
            reason = self._not_applicable[requirement]
        return RequirementResult(requirement, title, key[1], status, rules, reason)


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
