"""Rule self-tests: `cgt-check rules test [DIR...]`.

A rule pack carries its own cases in a `cases/` directory beside its rule files. A case file names
a base dossier and lists cases; each case edits the base (delete, set or append at a dossier
path) and states exactly which findings the check must give: (requirement, rule, path) triples,
none for a pass case. The bundled pack's cases run in CI the same way a custom pack's do.

    base: car-t-ind             # a bundled example, or a path relative to this file
    as_of: 2026-06-01           # optional, for date rules
    cases:
      - name: sponsor-missing fails when the sponsor is removed
        edit: {delete: product.sponsor}
        expect:
          - {requirement: CGT-IND-MOA, rule: sponsor-missing, path: product.sponsor}
      - name: passes on the clean base
        expect: []
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from checker.base import i18n, limits, resources
from checker.base.errors import CheckerError, InputError, Problem, RuleError, one_line, path_label
from checker.base.i18n import Message, message, verbatim
from checker.load.dossier import load_dossier
from checker.load.problems import validation_problems
from checker.load.yamlio import dump_yaml, load_yaml, read_limited
from checker.model.common import Date
from checker.rulepack.pack import RulePack
from checker.run.casework import Job, contained_results
from checker.run.edits import EditError, apply_edit
from checker.run.evaluate import Checker

CASES_DIR = "cases"
DEFAULT_AS_OF = dt.date(2026, 6, 1)


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class Expected(_Strict):
    requirement: str
    rule: str
    path: str = Field(description="The finding's dossier path, e.g. cmc.studies.")


class Case(_Strict):
    name: str = Field(min_length=1)
    base: str | None = None
    as_of: Date | None = None
    edit: dict[str, Any] | list[dict[str, Any]] = Field(default_factory=list)
    expect: list[Expected] = Field(default_factory=list)


class CaseFile(_Strict):
    base: str | None = Field(None, description="A bundled example name or a dossier path.")
    as_of: Date | None = None
    cases: list[Case] = Field(min_length=1)


@dataclass(frozen=True)
class CaseResult:
    file: str
    line: int
    name: str
    missing: tuple[tuple[str, str, str], ...]  # expected, not found
    unexpected: tuple[tuple[str, str, str], ...]  # found, not expected
    error: Message | None = None  # the case could not be run (a bad edit or base)

    @property
    def passed(self) -> bool:
        return self.error is None and not self.missing and not self.unexpected


@dataclass(frozen=True)
class RuleTestReport:
    results: tuple[CaseResult, ...]
    untested: tuple[str, ...]  # rules of the tested directories that no case expects to fail

    @property
    def passed(self) -> bool:
        return all(r.passed for r in self.results)


def case_files(directory: Path) -> list[Path]:
    cases = directory / CASES_DIR
    if not cases.is_dir():
        return []
    # a FIFO or a device named like a case file is read, and refused, as every input is
    return sorted(p for p in cases.iterdir() if p.suffix in (".yaml", ".yml") and not p.is_dir())


def _display(path: Path) -> str:
    """Bundled case files by their place in the pack (rules/cases/...), others as given."""
    bundled = resources.rules_dir()
    return f"rules/{path.relative_to(bundled).as_posix()}" if path.is_relative_to(bundled) else str(path)


def load_case_file(path: Path) -> tuple[CaseFile, list[int]]:
    """A case file and the line of each case; a broken file (a base dossier outside the pack
    included) is a rule error naming file and line."""
    display = _display(path)
    located = load_yaml(read_limited(str(path), limits.MAX_SIDE_FILE_BYTES), display)
    try:
        doc = CaseFile.model_validate(located.data)
    except ValidationError as exc:
        problems = validation_problems(display, located, exc, CaseFile)
        raise RuleError(message("rules_invalid_case_file", file=display), problems) from None
    bases: list[tuple[str | None, tuple[str | int, ...]]] = [(doc.base, ("base",))]
    bases += [(case.base, ("cases", i, "base")) for i, case in enumerate(doc.cases)]
    problems = []
    for name, at in bases:
        said = None if name is None else _base_problem(name, path)
        if said is not None:
            mark = located.mark_for(at)
            problems.append(Problem(display, mark.line, mark.column, said, path_label(at)))
    if problems:
        raise RuleError(message("rules_invalid_case_file", file=display), problems)
    lines = [located.mark_for(("cases", i)).line for i in range(len(doc.cases))]
    return doc, lines


_EXAMPLE_NAME = re.compile(r"[a-z0-9][a-z0-9-]{0,80}")


def _base_file(name: str, case_file: Path) -> Path:
    if name.endswith((".yaml", ".yml")):
        return (case_file.parent / name).resolve()
    return resources.examples_dir() / "dossiers" / "clean" / f"{name}.yaml"


def _base_problem(name: str, case_file: Path) -> Message | None:
    """Why a case may not use this base dossier: a case reads only a dossier of its own pack
    (the directory its cases/ is in, links resolved) or a bundled example, by its name."""
    if not name.endswith((".yaml", ".yml")):
        if _EXAMPLE_NAME.fullmatch(name) and _base_file(name, case_file).is_file():
            return None
        return message("case_base_unknown", name=name)
    pack_dir = case_file.resolve().parent.parent
    target = _base_file(name, case_file)
    if any(target.is_relative_to(root) for root in (pack_dir, resources.examples_dir().resolve())):
        return None
    return message("case_base_outside", name=name, pack=str(pack_dir))


def run_case(checker: Checker, *, case: Case, doc: CaseFile, file: Path, line: int) -> CaseResult:
    def result(error: Message | None = None, got: set[Any] | None = None) -> CaseResult:
        want = {(e.requirement, e.rule, e.path) for e in case.expect}
        got = got or set()
        return CaseResult(
            _display(file), line, case.name, tuple(sorted(want - got)), tuple(sorted(got - want)), error
        )

    base = case.base or doc.base
    if base is None:
        return result(message("selftest_no_base"))
    try:
        base_file = str(_base_file(base, file))
        data = load_yaml(read_limited(base_file, limits.MAX_FILE_BYTES), base_file).data
        for edit in case.edit if isinstance(case.edit, list) else [case.edit]:
            data = apply_edit(data, edit)
    except InputError as exc:  # the base cannot be read
        where = _problem_said(exc.problems[0]) if exc.problems else exc.said
        return result(message("selftest_cannot_build", reason=where))
    except EditError as exc:  # an edit that does not fit
        return result(message("selftest_cannot_build", reason=exc.said))
    except (OSError, KeyError, ValueError) as exc:  # what else went wrong, in its own words
        reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        return result(message("selftest_cannot_build", reason=verbatim(str(reason))))
    try:
        loaded = load_dossier(f"{_display(file)}:{line}", dump_yaml(data).encode("utf-8"))
    except InputError as exc:
        first = exc.problems[0] if exc.problems else Problem("", 1, 1, exc.said)
        path = first.path or message("selftest_the_top")
        return result(message("selftest_invalid_dossier", message=first.said, path=path))
    as_of = case.as_of or doc.as_of or DEFAULT_AS_OF
    found = checker.check(loaded, as_of)
    return result(got={(f.requirement, f.rule_id, f.path) for f in found.findings})


def run(
    pack: RulePack, directories: Sequence[Path], owned: Sequence[str], contained: bool = False
) -> RuleTestReport:
    """Run the cases of each directory's `cases/` against the pack; `owned` are the rules those
    directories define (each should have a failing case). Contained, the engine runs in child
    processes (see checker.run.casework), as for a custom pack."""
    problems: list[Problem] = []
    loaded = []
    for directory in directories:
        files = case_files(directory)
        if not files:
            problems.append(Problem(str(directory), 1, 1, message("no_test_cases")))
        for path in files:
            try:
                loaded.append((path, *load_case_file(path)))
            except CheckerError as exc:
                problems.extend(exc.problems or [Problem(str(path), 1, 1, exc.said)])
    if problems:
        raise RuleError(message("rules_invalid_cases"), problems)
    jobs: list[Job] = [
        (partial(run_case, case=case, doc=doc, file=path, line=line), _display(path), line, case.name)
        for path, doc, lines in loaded
        for case, line in zip(doc.cases, lines, strict=True)
    ]

    def checker() -> Checker:
        return Checker(pack, use_justifications=False)

    results: list[CaseResult]
    if contained:
        results = contained_results(checker, jobs, _failed)
    else:
        with checker() as one:
            results = [job(one) for job, *_ in jobs]
    expected_to_fail = {e.rule for _, doc, _ in loaded for c in doc.cases for e in c.expect}
    untested = tuple(rid for rid in owned if rid not in expected_to_fail)
    return RuleTestReport(tuple(results), untested)


def _failed(file: str, line: int, name: str, why: Message) -> CaseResult:
    return CaseResult(file, line, name, (), (), why)


def test_pack(directories: Sequence[Path] = ()) -> RuleTestReport:
    """The bundled pack's cases, or (given directories) those of the custom packs in them, run
    against the bundled pack plus those packs."""
    from checker.rulepack.pack import load_pack

    if not directories:
        pack = load_pack()
        owned = [rid for rid, lr in pack.rules.items() if lr.file.startswith("rules/")]
        return run(pack, [resources.rules_dir()], owned)
    pack = load_pack(tuple(directories))
    dirs = {Path(d) for d in directories}
    owned = [rid for rid, lr in pack.rules.items() if Path(lr.file).parent in dirs]
    return run(pack, directories, owned, contained=True)


def _problem_said(problem: Problem) -> Message:
    """A located problem as a message, written in the language of the line that holds it."""
    where = f"{problem.file}:{problem.line}:{problem.column}"
    if problem.path:
        return message("problem_at", where=where, path=problem.path, message=problem.said)
    return message("problem", where=where, message=problem.said)


def render(report: RuleTestReport, lang: str = "en") -> str:
    """The cases' results for a person, in `lang`: a PASS or FAIL line per case (with what it
    missed or found too), a warning per rule without a failing case, and the counts."""
    lines = []
    for r in report.results:
        where = f"{r.file}:{r.line}"
        if r.passed:
            lines.append(i18n.text("selftest_pass", lang, where=where, name=r.name))
            continue
        lines.append(i18n.text("selftest_fail", lang, where=where, name=r.name))
        if r.error:
            lines.append(f"  {one_line(r.error.text(lang))}")
        for key, found in (("selftest_missing", r.missing), ("selftest_unexpected", r.unexpected)):
            lines += [
                i18n.text(key, lang, requirement=req, rule=rule, path=path) for req, rule, path in found
            ]
    for rid in report.untested:
        lines.append(i18n.text("selftest_untested", lang, rule=rid))
    failed = sum(not r.passed for r in report.results)
    counts = {"cases": len(report.results), "passed": len(report.results) - failed, "failed": failed}
    lines.append(i18n.text("selftest_summary", lang, **counts, untested=len(report.untested)))
    return "\n".join(lines) + "\n"
