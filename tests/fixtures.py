"""Shared test inputs."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def cli(*args: str, cwd: Path = ROOT, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """`cgt-check ARGS` run through its real entry point (python -m checker), its output read as
    UTF-8; never a traceback."""
    proc = subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )
    assert "Traceback" not in proc.stderr, proc.stderr[-3000:]
    return proc


# A minimal valid custom rule (one house rule): tests derive broken variants from it.
GOOD_RULE = """\
rules:
  - id: house-sponsor
    requirement: CGT-IND-MOA
    severity: info
    title: {en: Sponsor named, zh: 申请人}
    description: {en: The sponsor is named., zh: 写明申请人。}
    applies: [{as: d, fact: dossier}]
    applies_when: {en: every dossier, zh: 所有申报资料}
    gap:
      where: {d: {product.sponsor: absent}}
    report: {at: d, field: product.sponsor}
    message: {en: product.sponsor is missing, zh: 缺少 product.sponsor}
    remediation: {en: Name the sponsor., zh: 写明申请人。}
    citation: {source: A}
"""


_RULE_ID = re.compile(r"^(\s*(?:-\s+)?id:\s*)(['\"]?)([^'\"\s#]+)\2(\s*)$", re.MULTILINE)


def replicated_pack(target: Path, copies: int) -> Path:
    """The bundled rule files copied copies-1 more times into target, every rule id suffixed
    -rK (K = 2..copies): with the bundled pack, copies times the rules, each condition shared by
    copies rules."""
    from checker.base.resources import rules_dir
    from checker.rulepack.pack import rule_files

    target.mkdir(parents=True, exist_ok=True)
    for k in range(2, copies + 1):
        suffix = f"-r{k}"

        def renamed(m: re.Match[str], suffix: str = suffix) -> str:
            return f"{m[1]}{m[2]}{m[3]}{suffix}{m[2]}{m[4]}"

        for path in rule_files(rules_dir()):
            text = _RULE_ID.sub(renamed, path.read_text("utf-8"))
            (target / f"{path.stem}-r{k}.yaml").write_text(text, "utf-8")
    return target


# What pydantic says, which no message may say (its error phrases, and its names for types).
LIBRARY_PHRASES = (
    "Input should",
    "Field required",
    "Extra inputs",
    "String should",
    "List should",
    "Value error",
    "Assertion failed",
    "valid dictionary",
    "instance of",
    "unable to interpret",
    "unable to parse",
)
