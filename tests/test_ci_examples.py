"""The CI examples in examples/ci run as written (against the bundled example dossiers)."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / "examples" / "ci"
GAPS = ROOT / "examples" / "dossiers" / "gaps"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "reference" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _commands(lines: list[str]) -> list[list[str]]:
    return [shlex.split(line) for line in lines if line.strip().startswith("cgt-check ")]


def _run(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    assert argv[0] == "cgt-check"
    return subprocess.run(
        [sys.executable, "-m", "checker", *argv[1:]], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "examples" / "dossiers" / "clean", tmp_path / "dossiers")
    return tmp_path


def test_github_actions_example(project: Path) -> None:
    workflow = yaml.safe_load((CI / "github-actions.yml").read_text("utf-8"))
    steps = workflow["jobs"]["dossiers"]["steps"]
    [command] = _commands([s["run"] for s in steps if "run" in s])
    proc = _run(command, project)
    assert proc.returncode == 0, proc.stderr
    clean = len(list((project / "dossiers").glob("*.yaml")))
    assert proc.stdout.startswith(f"::notice title=cgt-check::{clean} dossier(s) checked")
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    sarif = json.loads((project / upload["with"]["sarif_file"]).read_text("utf-8"))
    assert not list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif))
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert (project / artifact["with"]["path"]).read_text("utf-8").startswith("<!DOCTYPE html>")
    assert workflow["permissions"]["security-events"] == "write"


def _gitlab_script(project: Path, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """The GitLab job's script as GitLab runs it (one shell, stopping at the first failing line),
    with its variables, `cgt-check` being this checkout's; the line that installs it is left out."""
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text("utf-8"))["cgt-check"]
    lines = [line for line in job["script"] if not line.startswith("pip install ")]
    assert len(lines) == len(job["script"]) - 1
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir(exist_ok=True)
    shim = bin_dir / "cgt-check"
    shim.write_text(f'#!/bin/sh\nexec {shlex.quote(sys.executable)} -m checker "$@"\n', "utf-8")
    shim.chmod(0o755)
    env = {**os.environ, **job.get("variables", {}), "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "-e", "-o", "pipefail", "-c", "\n".join(lines)],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _dossiers(project: Path) -> int:
    """How many dossiers the project's job checks: one JUnit test suite each."""
    return len(list((project / "dossiers").glob("*.yaml")))


def _gitlab_job() -> dict[str, Any]:
    job: dict[str, Any] = yaml.safe_load((CI / "gitlab-ci.yml").read_text("utf-8"))["cgt-check"]
    return job


@pytest.mark.skipif(shutil.which("bash") is None, reason="the job's script runs in bash")
def test_gitlab_example_without_a_baseline(project: Path, tmp_path: Path) -> None:
    # A project's first run: no baseline yet, so every finding at --fail-on fails the job.
    job = _gitlab_job()
    assert not (project / job["variables"]["BASELINE"]).exists()
    proc = _gitlab_script(project, tmp_path)
    assert proc.returncode == 0, proc.stderr
    junit = project / job["artifacts"]["reports"]["junit"]
    assert junit.read_text("utf-8").count("<testsuite ") == _dossiers(project)
    assert all((project / p).exists() for p in job["artifacts"]["paths"])
    shutil.copy(GAPS / "nda-pivotal.yaml", project / "dossiers" / "nda-pivotal.yaml")
    proc = _gitlab_script(project, tmp_path)
    assert proc.returncode == 1 and "nda-response-within [CGT-NDA-DURABLE-RESPONSE]" in proc.stdout
    assert junit.read_text("utf-8").count("<testsuite ") == _dossiers(project)


@pytest.mark.skipif(shutil.which("bash") is None, reason="the job's script runs in bash")
def test_gitlab_example_with_a_baseline(project: Path, tmp_path: Path) -> None:
    # Once the baseline is committed, the findings it holds no longer fail the job; new ones do.
    job = _gitlab_job()
    shutil.copy(GAPS / "nda-pivotal.yaml", project / "dossiers" / "nda-pivotal.yaml")
    made = _run(["cgt-check", "baseline", "create", "dossiers/", "-o", job["variables"]["BASELINE"]], project)
    assert made.returncode == 0, made.stderr
    proc = _gitlab_script(project, tmp_path)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr
    assert "baselined" in proc.stdout
    junit = project / job["artifacts"]["reports"]["junit"]
    assert junit.read_text("utf-8").count("<testsuite ") == _dossiers(project)
    shutil.copy(GAPS / "nda-pivotal.yaml", project / "dossiers" / "nda-pivotal-2.yaml")
    assert _gitlab_script(project, tmp_path).returncode == 1
