"""A custom pack's test cases in child processes (checker.run.casework): a case on which the
engine crashes or hangs fails saying so, and the cases after it still run."""

from __future__ import annotations

import os
import signal
import time
from typing import Any

import pytest

from checker.base import limits
from checker.base.i18n import Message
from checker.run import selftest
from checker.run.casework import Job, contained_results
from checker.run.selftest import CaseResult
from tests.hostile import ROOT

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="the cases run in a forked child")


class _Checker:
    def __enter__(self) -> _Checker:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def _job(k: int, action: str = "") -> Job:
    def run(_: Any) -> CaseResult:
        if action == "crash":
            os.kill(os.getpid(), signal.SIGSEGV)
        if action == "hang":
            time.sleep(60)
        return CaseResult("c.yaml", k, f"case {k}", (), ())

    return (run, "c.yaml", k, f"case {k}")


def _failed(file: str, line: int, name: str, why: Message) -> CaseResult:
    return CaseResult(file, line, name, (), (), why)


def test_a_case_that_crashes_the_engine_fails_and_the_next_ones_run() -> None:
    jobs = [_job(1), _job(2, "crash"), _job(3), _job(4, "crash"), _job(5)]
    results = contained_results(_Checker, jobs, _failed)
    assert [r.line for r in results] == [1, 2, 3, 4, 5]
    assert [r.passed for r in results] == [True, False, True, False, True]
    assert results[1].error is not None
    assert (
        results[1].error.text()
        == f"the rule engine stopped (signal {int(signal.SIGSEGV)}) on this case; nothing was checked"
    )


def test_a_case_that_does_not_end_is_stopped(monkeypatch: Any) -> None:
    monkeypatch.setattr(limits, "MAX_CHECK_SECONDS", 0.5)
    monkeypatch.setattr(limits, "MAX_BUILD_SECONDS", 0.5)
    started = time.monotonic()
    results = contained_results(_Checker, [_job(1, "hang"), _job(2)], _failed)
    assert time.monotonic() - started < 20
    assert (
        results[0].error is not None
        and results[0].error.text() == "the rule engine did not finish this case in 0 s; it was stopped"
    )
    assert results[1].passed


def test_a_custom_packs_cases_run_contained_with_their_results() -> None:
    report = selftest.test_pack([ROOT / "examples" / "rules" / "house-rules"])
    assert [r.passed for r in report.results] == [True] * len(report.results) and report.results
    assert not report.untested
