"""The library API: check dossiers against a rule pack. Never prints, never exits."""

from __future__ import annotations

import datetime as dt
import errno
import os
import re
import stat
import sys
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from checker import __version__
from checker.base.errors import CheckerError, EngineError, InputError, Problem
from checker.base.limits import Limits
from checker.base.textutil import STDIN_NAME, one_line
from checker.engine import facts as F
from checker.engine.session import EngineFact, Firing, Session
from checker.load.dossier import LoadedDossier, load_dossier
from checker.load.yamlio import read_stream
from checker.model import validator
from checker.report.result import (
    SEVERITY_ORDER,
    BaselineSummary,
    Catalogue,
    CitationRef,
    DossierResult,
    Finding,
    I18n,
    Provenance,
    Report,
    RequirementInfo,
    RequirementResult,
    RuleInfo,
    RuleStatus,
    StaleJustification,
    Status,
)
from checker.rulepack import selection
from checker.rulepack.compiler import APPLIES, GAP, PLACEHOLDER
from checker.rulepack.pack import LoadedRule, RulePack
from checker.rulepack.spec import Rule, Text
from checker.run import justify

if TYPE_CHECKING:
    from checker.run.baseline import Baseline

YAML_SUFFIXES = (".yaml", ".yml")


# A path of "-" is standard input; reports name it "<stdin>" (STDIN_NAME).
STDIN = "-"


@dataclass(frozen=True)
class CheckOptions:
    as_of: dt.date
    rule_dirs: tuple[Path, ...] = ()
    justification_files: tuple[str, ...] = ()  # --justifications FILE, for every dossier checked
    use_justifications: bool = True  # False: the audit view, every finding as the engine found it
    baseline_file: str | None = None  # --baseline: only findings not in it fail the gate
    select: tuple[str, ...] = ()  # --select patterns: rule ids, requirement ids, globs, tags
    ignore: tuple[str, ...] = ()  # --ignore patterns
    limits: Limits = field(default_factory=Limits)
    jobs: int = 1  # worker processes; 0: one per core (see checker.batch)
    use_cache: bool = True  # the rule pack and dossier validator from the cache (checker.base.cache)


def discover(paths: Sequence[str]) -> tuple[list[str], list[Problem]]:
    """Files to check: files as given, directories searched for *.yaml / *.yml (sorted), "-" for
    standard input (a file named "-" is "./-")."""
    files: list[str] = []
    problems: list[Problem] = []
    for given in paths:
        if given == STDIN:
            files.append(STDIN)
            continue
        if not given:
            problems.append(Problem("''", 1, 1, "an empty path"))
            continue
        p = Path(given)
        try:
            if p.is_dir():
                found, unreadable = _walk(given)
                if not found and not unreadable:
                    problems.append(Problem(given, 1, 1, "no *.yaml or *.yml files in this directory"))
                files.extend(found)
                problems.extend(unreadable)
            elif p.exists():
                files.append(given)
            else:
                problems.append(Problem(given, 1, 1, "no such file or directory"))
        except (OSError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
            problems.append(Problem(given[:200], 1, 1, f"cannot read this path: {reason}"))
    return list(dict.fromkeys(files)), problems


# In a directory, what is never a dossier: hidden files and directories (.cgt-check.yaml, .github,
# .venv, .git, ...) and the dependencies of other tools. A file named on the command line is
# always checked.
SKIPPED_DIRS = frozenset({"node_modules", "__pycache__", "site-packages"})


def _skipped(name: str) -> bool:
    return name.startswith(".") or name in SKIPPED_DIRS


def _walk(top: str) -> tuple[list[str], list[Problem]]:
    """The *.yaml / *.yml files under a directory, sorted, leaving out hidden files and
    directories and SKIPPED_DIRS; symbolic links to directories are not followed (no loops). A directory that cannot be read, or a YAML name that is not a readable
    regular file (a broken link, a link loop, a pipe), is a problem, not skipped in silence."""
    files: list[str] = []
    problems: list[Problem] = []

    def unreadable(exc: OSError) -> None:
        where = str(exc.filename) if exc.filename else top
        problems.append(Problem(where, 1, 1, f"cannot read this directory: {exc.strerror or exc}"))

    for directory, dirs, names in os.walk(top, onerror=unreadable):
        dirs[:] = sorted(d for d in dirs if not _skipped(d))
        for name in names:
            if os.path.splitext(name)[1].lower() not in YAML_SUFFIXES or _skipped(name):
                continue
            path = os.path.join(directory, name)
            try:
                mode = os.stat(path).st_mode
            except OSError as exc:
                reason = "a symbolic link loop" if exc.errno == errno.ELOOP else exc.strerror or str(exc)
                if exc.errno == errno.ENOENT:
                    reason = "a broken symbolic link"
                problems.append(Problem(path, 1, 1, f"cannot read this file: {reason}"))
                continue
            if stat.S_ISREG(mode):
                files.append(path)
            elif not stat.S_ISDIR(mode):
                problems.append(Problem(path, 1, 1, "not a regular file"))
    return sorted(files), sorted(problems, key=lambda p: p.file)


class Checker:
    """A rule pack bound to one engine session; checks one dossier at a time."""

    def __init__(
        self,
        pack: RulePack,
        justifications: Sequence[justify.LocatedJustification] = (),
        use_justifications: bool = True,
        baseline: Baseline | None = None,
        known_rules: Mapping[str, str] | None = None,
    ) -> None:
        self.pack = pack
        self.baseline = baseline
        self._session = Session(pack.program)
        self.use_justifications = use_justifications
        self.justifications = list(justifications) if use_justifications else []
        self.used_justifications: set[int] = set()  # indices into self.justifications
        # every rule a justification may name (the whole pack, also rules not selected for this run)
        self._known_rules = dict(known_rules or {rid: lr.rule.requirement for rid, lr in pack.rules.items()})
        self._ran_rules = set(pack.rules)
        self._ran_requirements = {lr.rule.requirement for lr in pack.rules.values()}
        self.applied_justifications: set[int] = set()  # file justifications whose dossier: was checked
        self._by_requirement: dict[str, list[LoadedRule]] = {}
        for lr in pack.rules.values():
            self._by_requirement.setdefault(lr.rule.requirement, []).append(lr)
        self._statuses: dict[tuple[str, Status], RuleStatus] = {}  # shared by every result
        self._titles = {req.id: I18n(req.title.en, req.title.zh) for req in pack.requirements.values()}
        self._passed_reasons: dict[int, I18n] = {}
        self._not_applicable = {
            req.id: _not_applicable(self._by_requirement.get(req.id, []))
            for req in pack.requirements.values()
        }

    def close(self) -> None:
        self._session.close()

    def __enter__(self) -> Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def check(self, loaded: LoadedDossier, as_of: dt.date) -> DossierResult:
        facts = F.build_facts(loaded.dossier)
        firings = self._session.evaluate([EngineFact(f.type, f.data) for f in facts], F.day_number(as_of))
        applied: set[str] = set()
        findings: dict[tuple[str, str], Finding] = {}
        for firing in firings:
            rule_id, _, part = firing.rule.rpartition("|")
            loaded_rule = self.pack.rules[rule_id]
            if ("|" + part).startswith(APPLIES):
                applied.add(rule_id)
            elif ("|" + part).startswith(GAP):
                finding = self._finding(loaded, loaded_rule, firing, facts)
                findings.setdefault((rule_id, finding.path), finding)
        ordered = tuple(sorted(findings.values(), key=Finding.sort_key))
        stale: tuple[StaleJustification, ...] = ()
        if self.use_justifications:
            ordered, stale = self._justify(loaded, ordered, as_of)
        if self.baseline is not None:
            ordered = self.baseline.mark(ordered)
        d = loaded.dossier
        return DossierResult(
            file=loaded.file,
            sha256=loaded.sha256,
            product=d.product.name,
            product_zh=d.product.name_zh,
            modality=d.product.modality,
            stages=tuple(dict.fromkeys(i.stage for i in d.indications)),
            findings=ordered,
            requirements=self._matrix(applied, ordered),
            stale_justifications=stale,
        )

    def _justify(
        self, loaded: LoadedDossier, findings: tuple[Finding, ...], as_of: dt.date
    ) -> tuple[tuple[Finding, ...], tuple[StaleJustification, ...]]:
        own = justify.in_dossier(loaded)
        problems = justify.target_problems(own, self._known_rules, self.pack.requirements)
        if problems:
            raise InputError(f"{loaded.file}: invalid justifications", problems)
        shared = [(i, lj) for i, lj in enumerate(self.justifications) if lj.applies_to(loaded.file)]
        self.applied_justifications.update(i for i, _ in shared)
        findings, used = justify.apply(findings, own + [lj for _, lj in shared], as_of)
        self.used_justifications.update(shared[k - len(own)][0] for k in used if k >= len(own))
        return findings, justify.stale(own, used, self.ran)

    def ran(self, lj: justify.LocatedJustification) -> bool:
        """Whether this run could have found what a justification covers (its rule was selected)."""
        j = lj.justification
        return j.rule in self._ran_rules if j.rule else j.requirement in self._ran_requirements

    def stale_file_justifications(self) -> tuple[StaleJustification, ...]:
        """File justifications that applied to a checked dossier, whose rule ran, yet covered nothing."""
        pairs = [
            (i, lj)
            for i, lj in enumerate(self.justifications)
            if i in self.applied_justifications and self.ran(lj)
        ]
        used = {k for k, (i, _) in enumerate(pairs) if i in self.used_justifications}
        considered = [lj for _, lj in pairs]
        return justify.stale(considered, used)

    def _finding(self, loaded: LoadedDossier, lr: LoadedRule, firing: Firing, facts: list[F.Fact]) -> Finding:
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
            citation=_citation(self.pack, rule),
        )

    def _matrix(self, applied: set[str], findings: Iterable[Finding]) -> tuple[RequirementResult, ...]:
        failed: dict[str, list[Finding]] = {}  # findings that fail the gate
        waived: dict[str, list[Finding]] = {}  # findings justified (and not expired)
        baselined: dict[str, list[Finding]] = {}  # findings already in the --baseline
        for f in findings:
            bucket = failed if f.gating else waived if f.waived else baselined
            bucket.setdefault(f.requirement, []).append(f)
        failed_rules = {f.rule_id for fs in failed.values() for f in fs}
        out = []
        for req in self.pack.requirements.values():
            rules = self._by_requirement.get(req.id, [])
            statuses = []
            for lr in rules:
                rid = lr.rule.id
                if rid in failed_rules:
                    st: Status = "failed"
                elif any(f.rule_id == rid for f in baselined.get(req.id, [])):
                    st = "baselined"
                elif any(f.rule_id == rid for f in waived.get(req.id, [])):
                    st = "waived"
                elif rid in applied:
                    st = "passed"
                else:
                    st = "not-applicable"
                status = self._statuses.get((rid, st))
                if status is None:
                    status = self._statuses[rid, st] = RuleStatus(rid, lr.rule.severity, st)
                statuses.append(status)
            title = self._titles[req.id]
            if req.id in failed:
                worst = min((f.severity for f in failed[req.id]), key=SEVERITY_ORDER.__getitem__)
                ids = sorted({f.rule_id for f in failed[req.id]})
                reason = I18n(f"failed rules: {', '.join(ids)}", f"未通过的规则：{', '.join(ids)}")
                out.append(RequirementResult(req.id, title, worst, "failed", tuple(statuses), reason))
            elif req.id in baselined:
                worst = min((f.severity for f in baselined[req.id]), key=SEVERITY_ORDER.__getitem__)
                ids = sorted({f.rule_id for f in baselined[req.id]})
                reason = I18n(
                    f"baselined: findings of {', '.join(ids)} are in the baseline",
                    f"已纳入基线：{', '.join(ids)} 的问题已在基线中",
                )
                out.append(RequirementResult(req.id, title, worst, "baselined", tuple(statuses), reason))
            elif req.id in waived:
                worst = min((f.severity for f in waived[req.id]), key=SEVERITY_ORDER.__getitem__)
                ids = sorted({f.rule_id for f in waived[req.id]})
                who = sorted({f"{f.waiver.approved_by}" for f in waived[req.id] if f.waiver})
                reason = I18n(
                    f"waived: findings of {', '.join(ids)} justified (approved by {'; '.join(who)})",
                    f"已豁免：{', '.join(ids)} 的问题已说明理由（批准人：{'；'.join(who)}）",
                )
                out.append(RequirementResult(req.id, title, worst, "waived", tuple(statuses), reason))
            elif any(s.status == "passed" for s in statuses):
                n = sum(1 for s in statuses if s.status == "passed")
                if n not in self._passed_reasons:
                    self._passed_reasons[n] = I18n(
                        f"passed: {n} applicable rule(s) found no gap",
                        f"通过：{n} 条适用规则未发现缺陷" if n == 1 else f"通过：{n} 条适用规则均未发现缺陷",
                    )
                reason = self._passed_reasons[n]
                out.append(RequirementResult(req.id, title, None, "passed", tuple(statuses), reason))
            else:
                reason = self._not_applicable[req.id]
                out.append(RequirementResult(req.id, title, None, "not-applicable", tuple(statuses), reason))
        return tuple(out)


def _not_applicable(rules: Sequence[LoadedRule]) -> I18n:
    """Why a requirement none of whose rules applied is not applicable."""
    whens = list(dict.fromkeys(lr.rule.applies_when.en for lr in rules))
    whens_zh = list(dict.fromkeys(lr.rule.applies_when.zh for lr in rules))
    return I18n(
        f"not applicable: applies to {'; or '.join(whens)}, and the dossier has none"
        if whens
        else "not checked: no rule of this run checks it (see --select/--ignore)",
        f"不适用：仅适用于{'；或'.join(whens_zh)}，本申报资料不涉及"
        if whens_zh
        else "未检查：本次运行没有规则检查该要求（见 --select/--ignore）",
    )


# Time units as they read after a number.
_UNITS = {
    "en": {
        "day": ("day", "days"),
        "week": ("week", "weeks"),
        "month": ("month", "months"),
        "year": ("year", "years"),
    },
    "zh": {"day": ("天", "天"), "week": ("周", "周"), "month": ("个月", "个月"), "year": ("年", "年")},
}


def _quantity(value: Any, unit: str, lang: str) -> str:
    number = int(value) if isinstance(value, float) and value.is_integer() else value
    names = _UNITS["zh" if lang == "zh" else "en"].get(unit)
    if names is None:
        return f"{number} {unit}"
    name = names[0] if number == 1 else names[1]
    return f"{number}{name}" if lang == "zh" else f"{number} {name}"


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


def provenance(pack: RulePack, as_of: dt.date, rule_selection: str = "") -> Provenance:
    return Provenance("cgt-checker", __version__, pack.name, pack.version, pack.sha256, as_of, rule_selection)


def catalogue(pack: RulePack) -> Catalogue:
    """The pack's requirements and rules as the reports describe them."""

    def i18n(text: Text) -> I18n:
        return I18n(text.en, text.zh)

    return Catalogue(
        requirements=tuple(
            RequirementInfo(r.id, i18n(r.title), r.severity, I18n(r.statement("en"), r.statement("zh")))
            for r in pack.requirements.values()
        ),
        rules=tuple(
            RuleInfo(
                id=r.id,
                requirement=r.requirement,
                severity=r.severity,
                tags=tuple(r.tags),
                title=i18n(r.title),
                description=i18n(r.description),
                applies_when=i18n(r.applies_when),
                remediation=i18n(r.remediation),
                citation=_citation(pack, r),
            )
            for r in (lr.rule for lr in pack.rules.values())
        ),
    )


def _citation(pack: RulePack, rule: Rule) -> CitationRef:
    source = pack.sources[rule.citation.source]
    return CitationRef(
        rule.citation.source, " ".join(source.title.split()), rule.citation.section, rule.citation.quote
    )


def _load(file: str, limits: Limits, stdin: BinaryIO | None) -> LoadedDossier:
    if file == STDIN:
        data = read_stream(stdin or sys.stdin.buffer, STDIN_NAME, limits.max_file_bytes)
        return load_dossier(STDIN_NAME, data, limits)
    return load_dossier(file, limits=limits)


def check_file(
    checker: Checker, file: str, as_of: dt.date, limits: Limits, stdin: BinaryIO | None = None
) -> DossierResult | CheckerError:
    """One file's result, or the error that stopped it being checked."""
    try:
        return checker.check(_load(file, limits, stdin), as_of)
    except InputError as exc:
        return exc
    except EngineError as exc:
        name = STDIN_NAME if file == STDIN else file
        return InputError(exc.message, [Problem(name, 1, 1, exc.message)])


def iter_results(
    files: Sequence[str],
    pack: RulePack,
    as_of: dt.date,
    checker: Checker | None = None,
    limits: Limits | None = None,
    stdin: BinaryIO | None = None,
    jobs: int = 1,
) -> Iterator[DossierResult | CheckerError]:
    """Check each file in turn ("-" reads ``stdin``, by default standard input); a file that
    cannot be read or checked yields its error, and the other files are still checked. With jobs
    other than 1 the files are checked in worker processes (checker.run.parallel; not when one of them
    is standard input); the results come in the same order, and the checker ends in the same
    state (justifications applied and used, baseline entries seen), either way."""
    limits = limits or Limits()
    with checker or Checker(pack) as checker:
        if jobs != 1 and STDIN not in files:
            from checker.run.parallel import iter_results_parallel

            yield from iter_results_parallel(files, checker, as_of, jobs, limits)
            return
        for file in files:
            yield check_file(checker, file, as_of, limits, stdin)


@dataclass
class CheckRun:
    """A check in progress: what it checks, and its results one at a time, in input order.
    Items are a dossier's result or a problem (of discovery first, then of each file)."""

    provenance: Provenance
    files: list[str]
    pack: RulePack = field(repr=False)
    checker: Checker = field(repr=False)
    items: Iterator[DossierResult | Problem] = field(repr=False, default_factory=lambda: iter(()))
    done: int = 0  # files checked so far
    checked: list[str] = field(default_factory=list, repr=False)  # files with a result

    def stale_file_justifications(self) -> tuple[StaleJustification, ...]:
        """The --justifications entries that covered no finding (once every item is consumed)."""
        return self.checker.stale_file_justifications()

    def baseline_summary(self) -> BaselineSummary | None:
        """With a baseline: how this run compares with it (once every item is consumed)."""
        baseline = self.checker.baseline
        return baseline.summary(self.checked, set(self.pack.rules)) if baseline is not None else None


def start_check(
    paths: Sequence[str],
    options: CheckOptions,
    pack: RulePack | None = None,
    stdin: BinaryIO | None = None,
) -> CheckRun:
    """Find the files, load the pack, justifications and baseline; the files are checked as
    the items are consumed."""
    if pack is None:
        from checker.rulepack.cache import load_pack_cached

        pack = load_pack_cached(options.rule_dirs, options.use_cache)
    validator.codec(options.use_cache)  # built (or loaded) here, so --no-cache applies to it
    full = pack
    pack = selection.select(full, options.select, options.ignore)
    shared = load_justifications(options, full)  # a justification may name a rule not selected
    baseline = None
    if options.baseline_file:
        from checker.run.baseline import load as load_baseline  # its models are built only when used

        baseline = load_baseline(options.baseline_file)
    files, problems = discover(paths)
    known = {rid: lr.rule.requirement for rid, lr in full.rules.items()}
    checker = Checker(pack, shared, options.use_justifications, baseline, known)
    described = selection.describe(options.select, options.ignore)
    run = CheckRun(provenance(pack, options.as_of, described), files, pack, checker)

    def items() -> Iterator[DossierResult | Problem]:
        yield from problems
        results = iter_results(files, pack, options.as_of, checker, options.limits, stdin, options.jobs)
        for item in results:
            run.done += 1
            if isinstance(item, CheckerError):
                yield from item.problems or [Problem("", 1, 1, item.message)]
            else:
                run.checked.append(item.file)
                yield item

    run.items = items()
    return run


def collect(run: CheckRun) -> Report:
    """The whole report of a check (every result held in memory)."""
    results: list[DossierResult] = []
    problems: list[Problem] = []
    for item in run.items:
        if isinstance(item, Problem):
            problems.append(item)
        else:
            results.append(item)
    return Report(
        run.provenance,
        tuple(results),
        tuple(problems),
        catalogue(run.pack),
        run.stale_file_justifications(),
        run.baseline_summary(),
    )


def check_paths(
    paths: Sequence[str],
    options: CheckOptions,
    pack: RulePack | None = None,
    stdin: BinaryIO | None = None,
) -> Report:
    """Check files and directories ("-": ``stdin``, by default standard input); invalid files
    are reported as errors, the rest checked."""
    return collect(start_check(paths, options, pack, stdin))


def load_justifications(options: CheckOptions, pack: RulePack) -> list[justify.LocatedJustification]:
    """The --justifications files, validated against the pack: an unreadable file, a
    justification without a reason or naming an unknown rule is an input error."""
    if not options.use_justifications:
        return []
    out: list[justify.LocatedJustification] = []
    problems: list[Problem] = []
    for file in options.justification_files:
        try:
            out.extend(justify.load_file(file))
        except InputError as exc:
            problems.extend(exc.problems or [Problem(file, 1, 1, exc.message)])
    rules = {rid: lr.rule.requirement for rid, lr in pack.rules.items()}
    problems.extend(justify.target_problems(out, rules, pack.requirements))
    if problems:
        raise InputError("invalid justifications", problems)
    return out
