"""The pre-commit hooks, run by pre-commit itself on a scratch repository: from this checkout
(`pre-commit try-repo`), and as the README configures them, at the release tag."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
import yaml

import checker

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


def _readme_configuration() -> dict[str, Any]:
    """The .pre-commit-config.yaml the README shows."""
    readme = (ROOT / "README.md").read_text("utf-8")
    found = re.search(r"\n  ```yaml\n(  repos:\n.*?)\n  ```\n", readme, re.DOTALL)
    assert found, "the README shows no pre-commit configuration"
    config: dict[str, Any] = yaml.safe_load(textwrap.dedent(found.group(1)))
    return config


@pytest.mark.slow
def test_the_readme_configuration_at_the_release_tag(tmp_path: Path) -> None:
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("needs git and a git checkout")
    config = _readme_configuration()
    [entry] = config["repos"]
    assert entry["rev"] == f"v{checker.__version__}"
    assert [hook["id"] for hook in entry["hooks"]] == ["cgt-check", "cgt-check-rules"]
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"),
        "GIT_AUTHOR_NAME": "t",
        "GIT_AUTHOR_EMAIL": "t@example.invalid",
        "GIT_COMMITTER_NAME": "t",
        "GIT_COMMITTER_EMAIL": "t@example.invalid",
    }
    # The hook repository as it is released: this checkout's files, committed and tagged.
    hooks = tmp_path / "cgt-checker"
    listed = _run(ROOT, env, "git", "ls-files", "-z")
    assert listed.returncode == 0, listed.stderr
    for name in filter(None, listed.stdout.split("\0")):
        if (ROOT / name).is_file():
            (hooks / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, hooks / name)
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "release"]):
        assert _run(hooks, env, *cmd).returncode == 0
    assert _run(hooks, env, "git", "tag", entry["rev"]).returncode == 0
    entry["repo"] = str(hooks)
    # A project with a dossier and a house rule pack where the README's patterns expect them.
    project = tmp_path / "project"
    (project / "dossiers").mkdir(parents=True)
    shutil.copy(EXAMPLES / "clean" / "car-t-ind.yaml", project / "dossiers" / "car-t-ind.yaml")
    shutil.copytree(ROOT / "examples" / "rules" / "house-rules", project / "rules" / "house")
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    for cmd in (["git", "init", "-q"], ["git", "add", "."], ["git", "commit", "-qm", "project"]):
        assert _run(project, env, *cmd).returncode == 0
    ran = _run(project, env, sys.executable, "-m", "pre_commit", "run", "--all-files")
    assert ran.returncode == 0, ran.stdout[-3000:] + ran.stderr[-3000:]
    assert "cgt-check (CGT dossiers)" in ran.stdout and "cgt-check rules test" in ran.stdout
    assert ran.stdout.count("Passed") == 2, ran.stdout
