"""Every input beside dossiers is hostile too (tests/test_hostile.py has the dossiers): special
files and unbounded reads as any input, huge numbers and shapes, outputs that would destroy an
input, and rule self-tests that would read outside their pack. Each through the real command
line: exit 2, one located line per problem, no traceback, under 5 s of CPU and 300 MB, and no
input changed."""

from __future__ import annotations

import os
import shutil
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from checker.base import limits
from tests.fixtures import GOOD_RULE
from tests.hostile import MAX_CPU_SECONDS, MAX_RSS_BYTES, PROBLEM_LINE, ROOT, Run, run_cli

CLEAN = ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"
AS_OF = ("--as-of", "2026-06-01")


def _located(run: Run, file: str, fragment: str) -> None:
    """Exit 2 with each line of standard error a located problem; the first names file and says fragment."""
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr[-2000:]
    assert run.returncode == 2, f"exit {run.returncode}: {run.stderr[-2000:]}"
    lines = run.stderr.splitlines()
    assert lines, "nothing said"
    first = PROBLEM_LINE.fullmatch(lines[0])
    assert first, lines[0][:300]
    assert Path(first.group("file")).parts[-len(Path(file).parts) :] == Path(file).parts, lines[0][:300]
    assert fragment in lines[0], lines[0][:300]
    assert run.cpu_seconds < MAX_CPU_SECONDS, f"{run.cpu_seconds:.2f} s of CPU"
    assert run.max_rss_bytes < MAX_RSS_BYTES, f"{run.max_rss_bytes / 2**20:.0f} MB peak"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A working directory with a dossier and a house rule pack."""
    shutil.copy(CLEAN, tmp_path / "d.yaml")
    (tmp_path / "house").mkdir()
    (tmp_path / "house" / "house.yaml").write_text(textwrap.dedent(GOOD_RULE), "utf-8")
    return tmp_path


# ------------------------------------------------------------------ special files, any input

# How each input is given, for a file named NAME in the project: (the file's name, the arguments).
INPUTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "dossier": ("x.yaml", ("x.yaml",)),
    "rule file": ("house/x.yaml", ("--rules", "house", "d.yaml")),
    "configuration": (".cgt-check.yaml", ("d.yaml",)),
    "explicit configuration": ("c.yaml", ("--config", "c.yaml", "d.yaml")),
    "pyproject.toml": ("pyproject.toml", ("--config", "pyproject.toml", "d.yaml")),
    "baseline": ("b.json", ("--baseline", "b.json", "d.yaml")),
    "justification file": ("j.yaml", ("--justifications", "j.yaml", "d.yaml")),
}
SPECIAL: dict[str, tuple[Callable[[Path], None], str]] = {
    "fifo": (lambda p: os.mkfifo(p), "named pipe"),
    "/dev/zero": (lambda p: p.symlink_to("/dev/zero"), "device"),
    "directory": (lambda p: p.mkdir(), "directory"),
}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
@pytest.mark.parametrize("special", sorted(SPECIAL))
@pytest.mark.parametrize("kind", sorted(INPUTS))
def test_a_special_file_as_any_input_is_refused_at_once(project: Path, kind: str, special: str) -> None:
    name, args = INPUTS[kind]
    if special == "directory" and kind == "dossier":
        pytest.skip("a directory named as a dossier is a directory of dossiers")
    make, said = SPECIAL[special]
    make(project / name)
    run = run_cli("check", *AS_OF, *args, cwd=project)
    _located(run, name, said)


@pytest.mark.parametrize("kind", ["rule file", "configuration", "baseline", "justification file"])
def test_a_file_over_its_size_limit_is_refused(project: Path, kind: str) -> None:
    name, args = INPUTS[kind]
    size = limits.MAX_RULE_FILE_BYTES if kind == "rule file" else limits.MAX_SIDE_FILE_BYTES
    (project / name).write_bytes(b"#" * (size + 1))
    _located(run_cli("check", *AS_OF, *args, cwd=project), name, "byte limit")


# ------------------------------------------------------------------ huge numbers and shapes

HEX = "0x" + "f" * 5000
OCTAL = "0o" + "7" * 5000


def _dossier_with(old: str, new: str) -> bytes:
    text = CLEAN.read_text("utf-8")
    assert old in text
    return text.replace(old, new, 1).encode()


NUMBERS: dict[str, tuple[str, bytes, tuple[str, ...], str]] = {
    # case: (file, its bytes, arguments, what the error says)
    "hex key": ("x.yaml", _dossier_with("product:\n", f"? {HEX}\n: 1\nproduct:\n"), ("x.yaml",), "too long"),
    "octal as text": ("x.yaml", _dossier_with("name: ", f"name: {OCTAL}\n  x: "), ("x.yaml",), "too long"),
    "big hex as text": (
        "x.yaml",
        _dossier_with("name: ", f"name: 0x{'f' * 3000}\n  x: "),
        ("x.yaml",),
        "text",
    ),
    "yaml max-file-size": (".cgt-check.yaml", f"max-file-size: {HEX}\n".encode(), ("d.yaml",), "too long"),
    "yaml max-file-size decimal": (
        ".cgt-check.yaml",
        b"max-file-size: 99999999999999999999999999\n",
        ("d.yaml",),
        "or less",
    ),
    "toml max-file-size": (
        "pyproject.toml",
        b"[tool.cgt-check]\nmax-file-size = 99999999999999999999999999\n",
        ("d.yaml",),
        "or less",
    ),
    "toml huge integer": (
        "pyproject.toml",
        b"[tool.cgt-check]\nmax-file-size = " + b"9" * 5000 + b"\n",
        ("d.yaml",),
        "TOML",
    ),
    "toml deep nesting": (
        "pyproject.toml",
        b"[tool.cgt-check]\nselect = " + b"[" * 5000 + b"\n",
        ("d.yaml",),
        "TOML",
    ),
    "baseline big integer": (
        "b.json",
        b'{"baseline_version": ' + b"9" * 5000 + b"}",
        ("--baseline", "b.json", "d.yaml"),
        "too long",
    ),
    "baseline deep nesting": (
        "b.json",
        b"[" * 100_000 + b"]" * 100_000,
        ("--baseline", "b.json", "d.yaml"),
        "deeper",
    ),
}


@pytest.mark.parametrize("case", sorted(NUMBERS))
def test_huge_numbers_and_shapes_are_located_errors(project: Path, case: str) -> None:
    name, raw, args, said = NUMBERS[case]
    (project / name).write_bytes(raw)
    _located(run_cli("check", *AS_OF, *args, cwd=project), name, said)


def test_a_huge_max_file_size_on_the_command_line_is_a_usage_error(project: Path) -> None:
    run = run_cli("check", "--max-file-size", "9" * 40, "d.yaml", cwd=project)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert "--max-file-size" in run.stderr


@pytest.mark.parametrize("offset", ["1e300", "100000000000000000000", "-1e18"])
def test_a_rule_offset_beyond_a_century_is_a_located_rule_error(project: Path, offset: str) -> None:
    rule = (project / "house" / "house.yaml").read_text("utf-8")
    rules = project / "far"
    rules.mkdir()
    joined = rule.replace(
        "    gap:\n",
        f"    applies_join:\n      - {{left: d.product.name, op: eq, right: d.product.name, offset_days: {offset}}}\n    gap:\n",
        1,
    )
    assert joined != rule
    (rules / "far.yaml").write_text(joined, "utf-8")
    _located(run_cli("check", *AS_OF, "--rules", "far", "d.yaml", cwd=project), "far/far.yaml", "offset_days")


# ------------------------------------------------------------------ outputs that destroy inputs


@pytest.mark.parametrize("name", ["config", "rule", "baseline", "justifications", "dossier"])
@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hard link"])
def test_an_output_that_is_an_input_is_refused(project: Path, name: str, how: str) -> None:
    (project / "j.yaml").write_text("justifications: []\n", "utf-8")
    created = run_cli("baseline", "create", "-o", "b.json", *AS_OF, "d.yaml", cwd=project)
    assert created.returncode == 0, created.stderr
    (project / ".cgt-check.yaml").write_text("rules: [house]\njustifications: [j.yaml]\n", "utf-8")
    target = {
        "config": ".cgt-check.yaml",
        "rule": "house/house.yaml",
        "baseline": "b.json",
        "justifications": "j.yaml",
        "dossier": "d.yaml",
    }[name]
    given = {"same": target, "relative": f"house/../{target}"}.get(how, "alias.out")
    if how == "symlink":
        (project / given).symlink_to(project / target)
    elif how == "hard link":
        os.link(project / target, project / given)
    before = {p: p.read_bytes() for p in project.rglob("*") if p.is_file()}
    run = run_cli("check", *AS_OF, "--baseline", "b.json", "-o", given, "d.yaml", cwd=project)
    assert run.returncode == 2 and "Traceback" not in run.stderr, run.stderr[-2000:]
    assert "one of the files this run reads" in run.stderr
    assert {p: p.read_bytes() for p in project.rglob("*") if p.is_file()} == before


def test_an_output_in_the_configuration_that_is_a_rule_file_is_refused(project: Path) -> None:
    (project / ".cgt-check.yaml").write_text("rules: [house]\noutput: [house/house.yaml]\n", "utf-8")
    before = (project / "house" / "house.yaml").read_bytes()
    run = run_cli("check", *AS_OF, "d.yaml", cwd=project)
    assert run.returncode == 2 and "one of the files this run reads" in run.stderr, run.stderr
    assert (project / "house" / "house.yaml").read_bytes() == before


def test_two_outputs_that_are_one_file_through_a_hard_link_are_refused(project: Path) -> None:
    (project / "a.out").write_text("old\n", "utf-8")
    os.link(project / "a.out", project / "b.out")
    run = run_cli(
        "check", *AS_OF, "-f", "text", "-o", "a.out", "-f", "json", "-o", "b.out", "d.yaml", cwd=project
    )
    assert run.returncode == 2 and "same file" in run.stderr, run.stderr
    assert (project / "a.out").read_text("utf-8") == "old\n"


# ------------------------------------------------------------------ rule self-tests


@pytest.mark.parametrize(
    ("base", "said"),
    [
        ("/dev/zero", "neither a bundled example"),
        ("/etc/passwd", "neither a bundled example"),
        ("../../outside.yaml", "outside the rule pack"),
        ("/etc/hosts.yaml", "outside the rule pack"),
        ("../bases/link.yaml", "outside the rule pack"),
    ],
)
def test_a_case_base_outside_its_pack_is_a_located_error(project: Path, base: str, said: str) -> None:
    shutil.copy(CLEAN, project / "outside.yaml")
    (project / "house" / "cases").mkdir()
    (project / "house" / "bases").mkdir()
    (project / "house" / "bases" / "link.yaml").symlink_to(project / "outside.yaml")
    case = f"cases:\n  - name: reads elsewhere\n    base: {base}\n    expect: []\n"
    (project / "house" / "cases" / "c.yaml").write_text(case, "utf-8")
    run = run_cli("rules", "test", "house", cwd=project)
    _located(run, "house/cases/c.yaml", said)
    line = PROBLEM_LINE.fullmatch(run.stderr.splitlines()[0])
    assert line and line.group("line") == "3"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")
@pytest.mark.parametrize("special", ["fifo", "/dev/zero"])
def test_a_special_file_named_like_a_case_file_is_refused(project: Path, special: str) -> None:
    (project / "house" / "cases").mkdir()
    make, said = SPECIAL[special]
    make(project / "house" / "cases" / "c.yaml")
    _located(run_cli("rules", "test", "house", cwd=project), "house/cases/c.yaml", said)
