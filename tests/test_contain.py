"""The engine in child processes (checker.run.contain): a worker that dies or hangs on a dossier
gives that dossier an error naming the rule and the run goes on; a ruleset the engine refuses,
crashes on or never finishes building is a rule error at the rule's line."""

from __future__ import annotations

import datetime as dt
import os
import signal
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from checker.base import limits
from checker.base.errors import RuleError
from checker.engine.program import Origin
from checker.rulepack.pack import load_pack
from checker.run import contain, workers
from checker.run.evaluate import Context, check_file
from checker.run.parallel import default_jobs, effective_jobs
from tests.hostile import ROOT

CLEAN = ROOT / "examples" / "dossiers" / "clean"
HOUSE = ROOT / "examples" / "rules" / "house-rules"
RULE = "house-moa-evidence-reference"
AS_OF = dt.date(2026, 6, 1)

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the workers are forked")


def _context() -> Context:
    return Context(load_pack([HOUSE]), custom=(RULE,))


def test_a_worker_that_dies_gives_its_dossier_an_error_naming_the_rule(monkeypatch: Any) -> None:
    doomed = str(CLEAN / "car-t-ind.yaml")

    def crashing(session: Any, ctx: Context, file: str, *args: Any) -> Any:
        if file == doomed:
            os.kill(os.getpid(), signal.SIGSEGV)
        return check_file(session, ctx, file, *args)

    monkeypatch.setattr(workers, "check_file", crashing)  # the forked workers inherit it
    monkeypatch.setattr(contain, "check_file", crashing)  # and the search for the rule at fault
    files = [str(CLEAN / "car-t-approved.yaml"), doomed, str(CLEAN / "gene-therapy-approved.yaml")]
    for jobs in (1, 2):
        out = list(contain.contained_outcomes(files, _context(), AS_OF, jobs))
        assert [o.file for o in out] == files
        assert out[0].result is not None and out[2].result is not None
        assert out[1].result is None
        (problem,) = out[1].problems
        assert f"the rule engine stopped (signal {int(signal.SIGSEGV)})" in problem.message
        assert f"rule '{RULE}' ({HOUSE / 'house-moa.yaml'}:8)" in problem.message
        assert "规则引擎" in problem.text("zh")


def test_a_dossier_past_the_time_bound_is_stopped(monkeypatch: Any) -> None:
    slow = str(CLEAN / "car-t-ind.yaml")

    def hanging(session: Any, ctx: Context, file: str, *args: Any) -> Any:
        if file == slow:
            time.sleep(3600)
        return check_file(session, ctx, file, *args)

    monkeypatch.setattr(workers, "check_file", hanging)
    monkeypatch.setattr(contain, "check_file", hanging)
    monkeypatch.setattr(limits, "MAX_CHECK_SECONDS", 1.0)
    files = [slow, str(CLEAN / "car-t-approved.yaml")]
    started = time.monotonic()
    out = list(contain.contained_outcomes(files, _context(), AS_OF, 1))
    assert time.monotonic() - started < 20
    assert out[1].result is not None
    assert "did not finish checking this dossier in 1 s" in out[0].problems[0].message


def test_a_rule_the_engine_refuses_is_located_at_the_rule() -> None:
    ctx = _context()
    program = ctx.pack.program
    bad = {"all": [{"x": {"$nosuchop": {"moa_evidence.key": 1}}}]}
    broken = replace(
        program,
        rules={**program.rules, f"{RULE}|broken": bad},
        origins={**program.origins, f"{RULE}|broken": Origin(RULE, "gap")},
    )
    ctx = replace(ctx, pack=replace(ctx.pack, program=broken))
    with pytest.raises(RuleError) as caught:
        contain.probe(ctx)
    (problem,) = caught.value.problems
    assert (problem.file, problem.line) == (str(HOUSE / "house-moa.yaml"), 8)
    assert f"the rule engine refuses rule '{RULE}'" in problem.message


def test_a_build_that_crashes_names_the_rule(monkeypatch: Any) -> None:
    def crash(*args: Any) -> None:
        os.kill(os.getpid(), signal.SIGSEGV)

    monkeypatch.setattr(contain, "_build", crash)
    with pytest.raises(RuleError) as caught:
        contain.probe(_context())
    (problem,) = caught.value.problems
    assert "stopped (signal 11) while building the rules" in problem.message and RULE in problem.message


def test_workers_are_bounded_by_the_cores_and_the_batch() -> None:
    cores = default_jobs()
    assert effective_jobs(256, 256) == min(cores, 256 // 4)
    assert effective_jobs(256, 2) == 1
    assert effective_jobs(0, 10_000) == cores
    assert effective_jobs(1, 10_000) == 1


def test_in_child_reports_each_way_a_child_ends() -> None:
    assert contain.in_child(sum, ([1, 2],), 10) == ("ok", 3)
    assert contain.in_child(time.sleep, (60,), 0.5) == ("slow", 0.5)
    kind, value = contain.in_child(os._exit, (3,), 10)
    assert (kind, value) == ("exit", 3)


def test_custom_rules_are_those_of_the_rules_directories(tmp_path: Path) -> None:
    from checker.run.api import custom_rules

    pack = load_pack([HOUSE])
    assert custom_rules(pack, [HOUSE]) == (RULE,)
    assert custom_rules(pack, []) == ()
