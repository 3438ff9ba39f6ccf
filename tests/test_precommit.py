"""The pre-commit hooks, run by pre-commit itself (`pre-commit try-repo`) on a scratch repository."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "dossiers"


def _run(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200, check=False)


@pytest.mark.slow
def test_hooks_with_pre_commit_try_repo(tmp_path: Path) -> None:
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    repo = tmp_path / "project"
    (repo / "dossiers").mkdir(parents=True)
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    shutil.copy(EXAMPLES / "clean" / "car-t-ind.yaml", repo / "dossiers" / "car-t-ind.yaml")
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "dossier"]):
        assert _run(repo, env, *cmd).returncode == 0

    clean = _run(repo, env, *pre_commit, "try-repo", str(ROOT), "cgt-check", "--all-files")
    assert clean.returncode == 0, clean.stdout[-3000:] + clean.stderr[-3000:]
    assert "cgt-check (CGT dossiers)" in clean.stdout and "Passed" in clean.stdout

    shutil.copy(EXAMPLES / "gaps" / "nda-pivotal.yaml", repo / "dossiers" / "nda-pivotal.yaml")
    assert _run(repo, env, "git", "add", ".").returncode == 0
    gaps = _run(repo, env, *pre_commit, "try-repo", str(ROOT), "cgt-check", "--all-files")
    assert gaps.returncode == 1, gaps.stdout[-3000:]
    assert "Failed" in gaps.stdout and "nda-response-within [CGT-NDA-DURABLE-RESPONSE]" in gaps.stdout

    rules = _run(repo, env, *pre_commit, "try-repo", str(ROOT), "cgt-check-rules", "--all-files")
    assert rules.returncode == 0, rules.stdout[-3000:] + rules.stderr[-3000:]
    assert "cgt-check rules test" in rules.stdout and "Passed" in rules.stdout
