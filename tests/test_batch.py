"""Checking in worker processes: the same results, in the same order, as one process."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from checker.report.formats import json_report, text
from checker.run import parallel as batch
from checker.run.api import CheckOptions, check_paths
from tests.fuzz import random_dossiers

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Random dossiers (some invalid) and the examples, in nested directories."""
    root = tmp_path_factory.mktemp("batch")
    for i, data in enumerate(random_dossiers(seed=20261125, count=48)):
        target = root / f"part{i % 3}" / f"dossier-{i:03d}.yaml"
        target.parent.mkdir(exist_ok=True)
        target.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    (root / "part0" / "broken.yaml").write_text("product: [unclosed\n", "utf-8")
    for example in sorted((ROOT / "examples" / "dossiers").rglob("*.yaml")):
        (root / "examples").mkdir(exist_ok=True)
        (root / "examples" / example.name).write_bytes(example.read_bytes())
    return root


def test_effective_jobs() -> None:
    assert batch.effective_jobs(1, 1000) == 1
    assert batch.effective_jobs(2, 1000) == 2
    assert batch.effective_jobs(8, 10) == 2  # a small batch does not start idle workers
    assert batch.effective_jobs(2, 1) == 1
    assert batch.effective_jobs(0, 1000) == min(batch.default_jobs(), 250)


def test_jobs_1_and_2_give_identical_reports(generated: Path) -> None:
    one = check_paths([str(generated)], CheckOptions(as_of=AS_OF, jobs=1))
    two = check_paths([str(generated)], CheckOptions(as_of=AS_OF, jobs=2))
    assert one.errors, "the batch should have invalid files too"
    assert sum(len(d.findings) for d in one.dossiers) > 0
    assert one == two
    assert json_report.render(one, "en") == json_report.render(two, "en")
    assert text.render(one, "zh") == text.render(two, "zh")


def test_cli_jobs_1_and_2_same_output(generated: Path) -> None:
    def run(jobs: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [
                sys.executable,
                "-m",
                "checker",
                "check",
                "-q",
                "-j",
                jobs,
                "--as-of",
                "2026-06-01",
                str(generated),
            ],
            capture_output=True,
            text=True,
            timeout=300,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )

    one, two = run("1"), run("2")
    assert one.returncode == two.returncode == 2  # invalid files are in the batch
    assert one.stdout == two.stdout and one.stdout.count("\n") > 10
    assert one.stderr == two.stderr and "broken.yaml" in one.stderr
    assert "Traceback" not in one.stderr + two.stderr


def test_parallel_results_stream_in_input_order(generated: Path) -> None:
    from checker.load.discovery import discover
    from checker.rulepack.pack import load_pack
    from checker.run.evaluate import Context

    files, _ = discover([str(generated)])
    ctx = Context(load_pack())
    names = [outcome.file for outcome in batch.outcomes(files, ctx, AS_OF, jobs=2)]
    assert names == files
    two = list(batch.outcomes(files[:9], ctx, AS_OF, jobs=2))
    assert two == list(batch.outcomes(files[:9], ctx, AS_OF, jobs=1))
    assert [o.result.sha256 if o.result else None for o in two] == [
        o.result.sha256 if o.result else None for o in batch.outcomes(files[:9], ctx, AS_OF, jobs=1)
    ]


def test_workers_report_the_shared_justifications_they_used(monkeypatch: pytest.MonkeyPatch) -> None:
    """A --justifications entry used only in a worker is not reported stale by the parent."""
    monkeypatch.chdir(ROOT)  # the justification file names its dossier relative to the root
    paths = ["examples/dossiers/gaps", "examples/dossiers/clean"]
    justified = ("examples/justifications/nda-pivotal.yaml",)
    reports = [
        check_paths(paths, CheckOptions(as_of=AS_OF, jobs=jobs, justification_files=justified))
        for jobs in (1, 2)
    ]
    assert reports[0].counts()["waived"] > 0
    assert reports[0] == reports[1]
    assert reports[0].stale_file_justifications == reports[1].stale_file_justifications


def test_workers_keep_the_baseline_bookkeeping(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """New, baselined and fixed counts are those of one process."""
    from checker.run.baseline import render as render_baseline

    monkeypatch.chdir(ROOT)
    before = check_paths(["examples/dossiers/gaps/nda-pivotal.yaml"], CheckOptions(as_of=AS_OF))
    baseline = tmp_path / "baseline.json"
    baseline.write_text(render_baseline(before), "utf-8")
    reports = [
        check_paths(["examples/dossiers"], CheckOptions(as_of=AS_OF, jobs=jobs, baseline_file=str(baseline)))
        for jobs in (1, 2)
    ]
    assert reports[0].baseline is not None and reports[0].baseline.unchanged > 0
    assert reports[0] == reports[1]


def test_workers_report_which_shared_justifications_applied(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file justification for a checked dossier that covers nothing is stale with any --jobs."""
    monkeypatch.chdir(ROOT)
    source = (ROOT / "examples" / "justifications" / "nda-pivotal.yaml").read_text("utf-8")
    stale = source.replace("path: clinical_trials[ct-pivotal]", "path: clinical_trials[no-such-trial]")
    stale = stale.replace("dossier: ../dossiers/", "dossier: examples/dossiers/")  # as given, from ROOT
    assert stale != source
    justified = tmp_path / "stale.yaml"
    justified.write_text(stale, "utf-8")
    reports = [
        check_paths(
            ["examples/dossiers"], CheckOptions(as_of=AS_OF, jobs=jobs, justification_files=(str(justified),))
        )
        for jobs in (1, 2)
    ]
    assert len(reports[0].stale_file_justifications) == 1
    assert reports[0] == reports[1]


def test_an_engine_that_cannot_start_fails_once_in_the_parent(
    generated: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With workers, an engine that cannot be loaded is one clean error, not a worker crash."""
    from checker.base.errors import EngineError
    from checker.engine import session

    def broken() -> object:
        raise EngineError("the rule engine cannot be loaded: simulated")

    monkeypatch.setattr(session, "native", broken)
    with pytest.raises(EngineError, match="cannot be loaded: simulated"):
        check_paths([str(generated)], CheckOptions(as_of=AS_OF, jobs=2, use_cache=False))
