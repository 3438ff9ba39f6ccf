"""The library API: check dossiers against a rule pack. Never prints, never exits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from checker import __version__
from checker.base import cache
from checker.base.errors import InputError, Problem, UsageError
from checker.base.i18n import message
from checker.base.limits import Limits
from checker.load.discovery import STDIN, discover
from checker.model import validator
from checker.report.result import (
    BaselineSummary,
    Catalogue,
    Cover,
    DossierResult,
    I18n,
    Provenance,
    Report,
    RequirementInfo,
    RuleInfo,
    StaleJustification,
)
from checker.report.stream import ReportStream, Trailer
from checker.report.stream import collect as collect_stream
from checker.rulepack import selection
from checker.rulepack.pack import RulePack
from checker.rulepack.spec import Text
from checker.run import justify
from checker.run.evaluate import Context, citation
from checker.run.parallel import outcomes
from checker.run.resultcache import ResultCache
from checker.run.tally import Tally

__all__ = [
    "STDIN",
    "CheckOptions",
    "CheckRun",
    "catalogue",
    "check_context",
    "check_paths",
    "collect",
    "discover",
    "load_justifications",
    "provenance",
    "start_check",
]


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
    jobs: int = 1  # worker processes; 0: one per core (see checker.run.parallel)
    use_cache: bool = True  # the rule pack, dossier validator and unchanged files' outcomes from the cache
    title: str | None = None  # --title: the report's title on its cover (default: the report's own)
    client: str | None = None  # --client: whom the report is prepared for
    logo_file: str | None = None  # --logo: a PNG or JPEG file embedded on the cover


@dataclass
class CheckRun:
    """A check in progress: what it checks, and its results one at a time, in input order.
    `items` are a dossier's result or a problem (of discovery first, then of each file); the run
    folds its tally from the outcomes as they are consumed."""

    provenance: Provenance
    files: list[str]
    pack: RulePack = field(repr=False)
    context: Context = field(repr=False)
    as_of: dt.date
    discovery: list[Problem] = field(default_factory=list, repr=False)  # paths that gave no file
    jobs: int = 1
    stdin: BinaryIO | None = field(default=None, repr=False)
    cover: Cover = field(default_factory=Cover)
    results: ResultCache | None = field(default=None, repr=False)  # unchanged files' outcomes
    tally: Tally = field(default_factory=Tally, repr=False, init=False)
    items: Iterator[DossierResult | Problem] = field(repr=False, init=False)

    def __post_init__(self) -> None:
        self.items = self._items()
        self.tally.keep_checked = self.context.baseline is not None

    def _items(self) -> Iterator[DossierResult | Problem]:
        yield from self.discovery
        for outcome in outcomes(self.files, self.context, self.as_of, self.jobs, self.stdin, self.results):
            self.tally.add(outcome)
            if outcome.result is None:
                yield from outcome.problems
            else:
                yield outcome.result

    @property
    def done(self) -> int:
        """Files checked (or refused) so far."""
        return self.tally.files

    def stale_file_justifications(self) -> tuple[StaleJustification, ...]:
        """The --justifications entries that covered no finding (once every item is consumed)."""
        return self.tally.stale_file_justifications(self.context)

    def baseline_summary(self) -> BaselineSummary | None:
        """With a baseline: how this run compares with it (once every item is consumed)."""
        return self.tally.baseline_summary(self.context)

    def stream(self, items: Iterator[DossierResult | Problem] | None = None) -> ReportStream:
        """The run as a report stream, for a format to write as the results come; `items`: the
        run's own items as a caller passes them on (e.g. showing input errors as they come)."""
        return ReportStream(
            self.provenance,
            lambda: catalogue(self.pack),
            self.items if items is None else items,
            lambda: Trailer(self.stale_file_justifications(), self.baseline_summary()),
            self.cover,
        )


def start_check(
    paths: Sequence[str],
    options: CheckOptions,
    pack: RulePack | None = None,
    stdin: BinaryIO | None = None,
) -> CheckRun:
    """Find the files, load the pack, justifications, baseline and cover; the files are checked
    as the items are consumed."""
    from checker.run.cover import cover

    front = cover(options.title, options.client, options.logo_file)
    ctx = check_context(options, pack)
    files, problems = discover(paths)
    described = selection.describe(options.select, options.ignore)
    prov = provenance(ctx.pack, options.as_of, described)
    results = ResultCache(ctx, options.as_of) if options.use_cache and not cache.disabled() else None
    return CheckRun(prov, files, ctx.pack, ctx, options.as_of, problems, options.jobs, stdin, front, results)


def check_context(options: CheckOptions, pack: RulePack | None = None) -> Context:
    """What every dossier of a check is checked against: the pack (loaded unless given, then
    --select/--ignore applied), the --justifications entries and the baseline. A caller that
    checks dossiers as they change (the language server) keeps it, with an engine session for
    its pack, and gives each text to `checker.run.evaluate.check_text`."""
    if options.use_cache and not cache.disabled() and (chars := cache.key_too_short()) is not None:
        raise UsageError(
            message("cache_key_short", name=cache.CACHE_KEY_ENV, n=chars, least=cache.MIN_KEY_CHARS)
        )
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
    return Context(
        pack,
        tuple(shared),
        options.use_justifications,
        baseline,
        {rid: lr.rule.requirement for rid, lr in full.rules.items()},
        options.limits,
        custom_rules(pack, options.rule_dirs),
    )


def custom_rules(pack: RulePack, rule_dirs: Sequence[Path]) -> tuple[str, ...]:
    """The ids of the pack's rules that come from the --rules directories."""
    dirs = {Path(d) for d in rule_dirs}
    return tuple(rid for rid, lr in pack.rules.items() if Path(lr.file).parent in dirs)


def collect(run: CheckRun) -> Report:
    """The whole report of a check (every result held in memory)."""
    return collect_stream(run.stream())


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
            problems.extend(exc.problems or [Problem(file, 1, 1, exc.said)])
    rules = {rid: lr.rule.requirement for rid, lr in pack.rules.items()}
    problems.extend(justify.target_problems(out, rules, pack.requirements))
    if problems:
        raise InputError("invalid justifications", problems)
    return out


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
                citation=citation(pack, r),
            )
            for r in (lr.rule for lr in pack.rules.values())
        ),
    )
