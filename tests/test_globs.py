"""Globs (a justification's `dossier:`, and every path pattern) are matched in linear time: the
classic catastrophic patterns end within a small CPU budget, and the matcher gives the answers
of the documented glob semantics."""

from __future__ import annotations

import random
import re
import shutil
import time
from pathlib import Path

import pytest

from checker.base.textutil import glob_match, norm_file, path_glob_match
from tests.hostile import ROOT, run_cli

CLEAN = ROOT / "examples" / "dossiers" / "clean"

# (pattern, text): each would take a backtracking regular expression minutes or more.
CATASTROPHIC = [
    ("*a" * 40 + "b", "a" * 5000),
    ("**/" * 60 + "x", "a/" * 2000 + "y"),
    ("*" + "?" * 100 + "*b", "a" * 5000),
    ("**a**a**a**a**a**a**a**a**a**a**a**a**c", "a" * 4000),
    ("*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/*/z", "a/" * 3000),
]


@pytest.mark.parametrize(("pattern", "text"), CATASTROPHIC)
def test_a_crafted_glob_cannot_hang(pattern: str, text: str) -> None:
    started = time.process_time()
    assert not path_glob_match(text, pattern)
    assert not glob_match(text, pattern)
    assert time.process_time() - started < 1.0


def _reference(pattern: str) -> re.Pattern[str]:
    """The documented semantics as a regular expression (fine on short texts)."""
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def test_the_matcher_agrees_with_the_documented_semantics() -> None:
    rnd = random.Random(17)
    parts = ["a", "b", "/", "*", "?", "**", "**/", ".yaml"]
    for _ in range(20_000):
        pattern = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 7)))
        text = "".join(rnd.choice(["a", "b", "/", ".yaml"]) for _ in range(rnd.randint(0, 8)))
        expected = _reference(norm_file(pattern)).fullmatch(norm_file(text)) is not None
        assert path_glob_match(text, pattern) == expected, (pattern, text)


def test_examples_of_the_documented_globs() -> None:
    assert path_glob_match("dossiers/x.yaml", "dossiers/*.yaml")
    assert not path_glob_match("dossiers/gaps/x.yaml", "dossiers/*.yaml")
    assert path_glob_match("dossiers/gaps/x.yaml", "dossiers/**/*.yaml")
    assert path_glob_match("dossiers/x.yaml", "dossiers/**/*.yaml")
    assert path_glob_match("./a//b.yaml", "a/b.yaml")
    assert glob_match("cmc-missing-stability", "cmc-*-stability")


def test_a_catastrophic_dossier_glob_in_a_justification_file(tmp_path: Path) -> None:
    deep = tmp_path / ("a" * 60) / ("a" * 60)
    deep.mkdir(parents=True)
    dossier = deep / ("a" * 100 + ".yaml")
    shutil.copy(CLEAN / "car-t-ind.yaml", dossier)
    justifications = tmp_path / "j.yaml"
    justifications.write_text(
        "justifications:\n"
        "  - rule: pre-ind-meeting\n"
        "    path: cde_communications\n"
        "    reason: agreed with the CDE\n"
        "    approved_by: QA\n"
        f'    dossier: "{"*a" * 200}b"\n',
        "utf-8",
    )
    run = run_cli("check", str(dossier), "--justifications", str(justifications), "--as-of", "2026-06-01")
    assert "Traceback" not in run.stderr
    assert run.returncode in (0, 1, 2), run.stderr[-2000:]
    assert run.cpu_seconds < 5.0
