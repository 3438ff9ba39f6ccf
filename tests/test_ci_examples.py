"""The CI examples in examples/ci run as written (against the bundled example dossiers)."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CI = ROOT / "examples" / "ci"
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
    assert proc.stdout.startswith("::notice title=cgt-check::6 dossier(s) checked")
    upload = next(s for s in steps if s.get("uses", "").startswith("github/codeql-action/upload-sarif"))
    sarif = json.loads((project / upload["with"]["sarif_file"]).read_text("utf-8"))
    assert not list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif))
    artifact = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert (project / artifact["with"]["path"]).read_text("utf-8").startswith("<!DOCTYPE html>")
    assert workflow["permissions"]["security-events"] == "write"


def test_gitlab_example(project: Path) -> None:
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text("utf-8"))["cgt-check"]
    [command] = _commands(job["script"])
    baseline = command[command.index("--baseline") + 1]
    made = _run(["cgt-check", "baseline", "create", "dossiers/", "-o", baseline], project)
    assert made.returncode == 0, made.stderr
    proc = _run(command, project)
    assert proc.returncode == 0, proc.stderr
    junit = project / job["artifacts"]["reports"]["junit"]
    assert junit.read_text("utf-8").count("<testsuite ") == 6
    assert all((project / p).exists() for p in job["artifacts"]["paths"])
