"""Checking one dossier: a pure function of the engine session, the run's context, the loaded
dossier and the as-of date, giving an outcome. Nothing here keeps state between dossiers: what a
run learns across them (counts, justifications used, the baseline seen) is folded from the
outcomes by checker.run.tally."""

from __future__ import annotations

import datetime as dt
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any, BinaryIO

from checker.base.errors import EngineError, InputError, Problem, TooManyFirings
from checker.base.i18n import TABLE, Message, message, text
from checker.base.limits import MAX_FIRINGS, Limits
from checker.base.textutil import STDIN_NAME, one_line
from checker.engine import facts as F
from checker.engine.program import EngineFact, Firing
from checker.engine.session import Session
from checker.load.discovery import STDIN
from checker.load.dossier import LoadedDossier, load_dossier
from checker.load.files import READING_FAILED
from checker.load.yamlio import read_stream
from checker.report.result import CitationRef, DossierResult, Finding, I18n, StaleJustification
from checker.rulepack.compiler import PLACEHOLDER
from checker.rulepack.pack import LoadedRule, RulePack
from checker.rulepack.spec import Rule
from checker.run import justify
from checker.run.baseline import Baseline
from checker.run.matrix import Matrix, Plan


@dataclass(frozen=True)
class Context:
    """What every dossier of a run is checked against; never changed while the run goes on, and
    handed as it is to worker processes."""

    pack: RulePack  # the rules selected for this run
    justifications: tuple[justify.LocatedJustification, ...] = ()  # --justifications entries
    use_justifications: bool = True  # False: the audit view, every finding as the engine found it
    baseline: Baseline | None = None
    # every rule a justification may name (the whole pack, also rules not selected for this run)
    known_rules: Mapping[str, str] = field(default_factory=dict)
    limits: Limits = field(default_factory=Limits)
    # the ids of the rules from --rules directories: with any, the engine runs in child processes
    # (checker.run.contain), so that nothing such a rule does to it can stop the run
    custom: tuple[str, ...] = ()

    @cached_property
    def matrix(self) -> Matrix:
        return Matrix(self.pack)

    @cached_property
    def _ran_requirements(self) -> frozenset[str]:
        return frozenset(lr.rule.requirement for lr in self.pack.rules.values())

    def ran(self, lj: justify.LocatedJustification) -> bool:
        """Whether this run could have found what a justification covers (its rule was selected)."""
        j = lj.justification
        return j.rule in self.pack.rules if j.rule else j.requirement in self._ran_requirements

    def rules_known(self) -> Mapping[str, str]:
        return self.known_rules or {rid: lr.rule.requirement for rid, lr in self.pack.rules.items()}


@dataclass(frozen=True)
class Outcome:
    """What checking one file gave: its result, or the problems that stopped it being checked."""

    file: str
    result: DossierResult | None
    problems: tuple[Problem, ...] = ()
    used: frozenset[int] = frozenset()  # --justifications entries that covered a finding here
    applied: frozenset[int] = frozenset()  # --justifications entries whose dossier: matched it
    # what a fresh check of the same bytes would give again (a result, or the input errors of a
    # file that was read): the result cache stores only these (checker.run.resultcache)
    cacheable: bool = False
    # what decides the result's requirement matrix (checker.run.matrix.Plan): with it, a worker
    # sends the result without its matrix and the parent makes it again (see `slim`)
    plan: Plan | None = field(default=None, compare=False, repr=False)


def slim(outcome: Outcome) -> Outcome:
    """The outcome without its requirement matrix, which its plan gives again (`restored`): what
    a worker process sends, so that its parent holds one matrix for every dossier with the same
    plan instead of a copy for each."""
    if outcome.result is None or outcome.plan is None:
        return outcome
    return replace(outcome, result=replace(outcome.result, requirements=()))


def restored(outcome: Outcome, matrix: Matrix) -> Outcome:
    """A slimmed outcome with its requirement matrix made again from its plan."""
    if outcome.result is None or outcome.plan is None or outcome.result.requirements:
        return outcome
    return replace(outcome, result=replace(outcome.result, requirements=matrix.results(outcome.plan)))


def evaluate(session: Session, ctx: Context, loaded: LoadedDossier, as_of: dt.date) -> Outcome:
    """One dossier's outcome: the engine's findings, justified and marked against the baseline,
    and its requirement matrix."""
    facts = F.build_facts(loaded.dossier)
    applied, found = _engine_findings(session, ctx, loaded, facts, as_of)
    blank = {f"{f.label}.{path}" if f.label else path for f in facts for path in f.blank}
    if blank:
        kept = F.build_facts(loaded.dossier, keep_blank=True)
        applied_kept, found_kept = _engine_findings(session, ctx, loaded, kept, as_of)
        applied |= applied_kept
        found = _as_written(found, found_kept, blank)
    findings = tuple(sorted(found.values(), key=Finding.sort_key))
    stale: tuple[StaleJustification, ...] = ()
    used: frozenset[int] = frozenset()
    matched: frozenset[int] = frozenset()
    if ctx.use_justifications:
        findings, stale, used, matched = _justify(ctx, loaded, findings, as_of)
    if ctx.baseline is not None:
        findings = ctx.baseline.mark(findings)
    d = loaded.dossier
    plan = ctx.matrix.plan(applied, findings)
    result = DossierResult(
        file=loaded.file,
        sha256=loaded.sha256,
        product=d.product.name,
        product_zh=d.product.name_zh,
        modality=d.product.modality,
        stages=tuple(dict.fromkeys(i.stage for i in d.indications)),
        findings=findings,
        requirements=ctx.matrix.results(plan),
        stale_justifications=stale,
        schema_version=d.schema_version,
    )
    return Outcome(loaded.file, result, used=used, applied=matched, cacheable=True, plan=plan)


_Found = dict[tuple[str, str], Finding]  # (rule id, dossier path) -> its finding


def _engine_findings(
    session: Session, ctx: Context, loaded: LoadedDossier, facts: list[F.Fact], as_of: dt.date
) -> tuple[set[str], _Found]:
    """The rules that applied to these facts, and the findings of those whose gap held."""
    firings = session.evaluate([EngineFact(f.type, f.data) for f in facts], F.day_number(as_of))
    origins = ctx.pack.program.origins
    applied: set[str] = set()
    found: _Found = {}
    for firing in firings:
        origin = origins[firing.rule]
        if origin.role == "applies":
            applied.add(origin.rule)
        else:
            finding = _finding(ctx.pack, loaded, ctx.pack.rules[origin.rule], firing, facts)
            found.setdefault((origin.rule, finding.path), finding)
    return applied, found


def _as_written(absent: _Found, kept: _Found, blank: set[str]) -> _Found:
    """The findings of a dossier with blank sections (written with keys, none with a value): those
    with the blank sections absent and those with them present, except that a blank section is
    not reported missing where findings of the same requirement inside it say what is missing
    there. Where none do, it still is: a blank section never meets a requirement its absence
    fails."""
    inside = {(f.requirement, s) for f in kept.values() for s in blank if f.path.startswith(f"{s}.")}
    out = {k: f for k, f in absent.items() if f.path not in blank or (f.requirement, f.path) not in inside}
    for key, finding in kept.items():
        out.setdefault(key, finding)
    return out


def _justify(
    ctx: Context, loaded: LoadedDossier, findings: tuple[Finding, ...], as_of: dt.date
) -> tuple[tuple[Finding, ...], tuple[StaleJustification, ...], frozenset[int], frozenset[int]]:
    """The findings with their justifications, the dossier's own stale ones, and which of the
    run's --justifications entries applied to this dossier and which covered a finding."""
    own = justify.in_dossier(loaded)
    problems = justify.target_problems(own, ctx.rules_known(), ctx.pack.requirements)
    if problems:
        raise InputError(f"{loaded.file}: invalid justifications", problems)
    shared = [(i, lj) for i, lj in enumerate(ctx.justifications) if lj.applies_to(loaded.file)]
    findings, used = justify.apply(findings, own + [lj for _, lj in shared], as_of)
    used_shared = frozenset(shared[k - len(own)][0] for k in used if k >= len(own))
    stale = justify.stale(own, used, ctx.ran)
    return findings, stale, used_shared, frozenset(i for i, _ in shared)


def _finding(
    pack: RulePack, loaded: LoadedDossier, lr: LoadedRule, firing: Firing, facts: list[F.Fact]
) -> Finding:
    rule = lr.rule
    bound = {alias: facts[i] for alias, i in firing.bindings}
    subject = bound[rule.report.at]
    parts: tuple[str | int, ...] = tuple(rule.report.field.split(".")) if rule.report.field else ()
    path = (*subject.path, *parts)
    label = ".".join(p for p in (subject.label, rule.report.field or "") if p) or "(dossier)"
    line, column = loaded.mark(path)
    return Finding(
        rule_id=rule.id,
        requirement=rule.requirement,
        severity=rule.severity,
        file=loaded.file,
        path=label,
        line=line,
        column=column,
        title=I18n(rule.title.en, rule.title.zh),
        message=I18n(_fill(rule.message.en, bound, "en"), _fill(rule.message.zh, bound, "zh")),
        remediation=I18n(rule.remediation.en, rule.remediation.zh),
        citation=citation(pack, rule),
    )


def citation(pack: RulePack, rule: Rule) -> CitationRef:
    source = pack.sources[rule.citation.source]
    return CitationRef(
        rule.citation.source, " ".join(source.title.split()), rule.citation.section, rule.citation.quote
    )


def _quantity(value: Any, unit: str, lang: str) -> str:
    """A duration as it reads in a message ('3 months'), in lang."""
    number = int(value) if isinstance(value, float) and value.is_integer() else value
    key = f"unit_{unit}_{'one' if number == 1 else 'other'}"
    return text(key, lang, n=number) if key in TABLE else f"{number} {unit}"


def _fill(text: str, bound: dict[str, F.Fact], lang: str = "en") -> str:
    def value(m: re.Match[str]) -> str:
        fact = bound.get(m.group(1))
        if fact is None:
            return m.group(0)
        if not m.group(2):
            return str(fact.source.get("id", fact.label))
        cur: Any = fact.source
        for part in m.group(2).split("."):
            cur = cur.get(part) if isinstance(cur, dict) else None
        if cur is None:
            return "(none)"
        if isinstance(cur, dict) and {"value", "unit"} <= set(cur):
            return _quantity(cur["value"], str(cur["unit"]), lang)
        if isinstance(cur, float) and cur.is_integer():
            return str(int(cur))
        return one_line(str(cur))

    return PLACEHOLDER.sub(value, text)


def _load(file: str, limits: Limits, stdin: BinaryIO | None) -> LoadedDossier:
    if file == STDIN:
        data = read_stream(stdin or sys.stdin.buffer, STDIN_NAME, limits.max_file_bytes)
        return load_dossier(STDIN_NAME, data, limits)
    return load_dossier(file, limits=limits)


def check_file(
    session: Session, ctx: Context, file: str, as_of: dt.date, stdin: BinaryIO | None = None
) -> Outcome:
    """One file's outcome: read, validated and evaluated, or the problems that stopped it."""
    name = STDIN_NAME if file == STDIN else file
    return _checked(session, ctx, name, lambda: _load(file, ctx.limits, stdin), as_of)


def check_text(session: Session, ctx: Context, name: str, data: bytes, as_of: dt.date) -> Outcome:
    """The outcome of a dossier's text as it is now (an editor's buffer, saved or not), checked
    as the file `name` would be."""
    return _checked(session, ctx, name, lambda: load_dossier(name, data, ctx.limits), as_of)


def _checked(
    session: Session, ctx: Context, name: str, load: Callable[[], LoadedDossier], as_of: dt.date
) -> Outcome:
    try:
        return evaluate(session, ctx, load(), as_of)
    except InputError as exc:
        problems = tuple(exc.problems or [Problem("", 1, 1, exc.said)])
        read = not any(p.said.key in READING_FAILED for p in problems)  # a failed read may not fail again
        return Outcome(name, None, problems, cacheable=read)
    except TooManyFirings as exc:
        return Outcome(name, None, (Problem(name, 1, 1, _too_many(ctx, exc)),))
    except EngineError as exc:
        return Outcome(name, None, (Problem(name, 1, 1, exc.said),))


def _too_many(ctx: Context, exc: TooManyFirings) -> Message:
    """The error of a dossier on which the rules fired past the bound, naming the rule (and
    where it is defined) that fired most."""
    origin = ctx.pack.program.origins.get(exc.rule)
    rule = origin.rule if origin is not None else exc.rule
    loaded = ctx.pack.rules.get(rule)
    where = f"{loaded.file}:{loaded.line}" if loaded is not None else "?"
    return message("engine_too_many_firings", most=MAX_FIRINGS, rule=rule, where=where)


class Checker:
    """An engine session for a context: checks one dossier at a time (for callers that hold
    loaded dossiers, such as the rule test cases)."""

    def __init__(self, pack: RulePack, use_justifications: bool = True) -> None:
        self.context = Context(pack, use_justifications=use_justifications)
        self.session = Session(pack.program)

    def outcome(self, loaded: LoadedDossier, as_of: dt.date) -> Outcome:
        return evaluate(self.session, self.context, loaded, as_of)

    def check(self, loaded: LoadedDossier, as_of: dt.date) -> DossierResult:
        result = self.outcome(loaded, as_of).result
        assert result is not None  # evaluate always gives a result or raises
        return result

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
