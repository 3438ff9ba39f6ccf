"""Several formats from one run, through the real entry point, byte-identical run after run."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.report.formats import FORMATS
from tests.formats.common import AS_OF, ROOT


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True, timeout=180
    )


def _all_formats(out_dir: Path, lang: str) -> subprocess.CompletedProcess[str]:
    args = ["check", "examples/dossiers", "tests/formats/data/broken.yaml", "--as-of", AS_OF.isoformat()]
    for name, fmt in FORMATS.items():
        args += ["-f", name, "-o", str(out_dir / f"report{fmt.suffix}.{name}")]
    return cli(*args, "--lang", lang)


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_one_run_writes_every_format_and_the_next_run_the_same_bytes(tmp_path: Path, lang: str) -> None:
    first, second = tmp_path / "1", tmp_path / "2"
    first.mkdir()
    second.mkdir()
    a = _all_formats(first, lang)
    b = _all_formats(second, lang)
    assert a.returncode == b.returncode == 2, a.stderr  # a broken file among the inputs
    assert a.stdout == "" and a.stderr == b.stderr and "broken.yaml:2:10" in a.stderr
    files = sorted(p.name for p in first.iterdir())
    assert len(files) == len(FORMATS) and files == sorted(p.name for p in second.iterdir())
    for name in files:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    report = json.loads((first / "report.json.json").read_text("utf-8"))
    examples = len(list((ROOT / "examples" / "dossiers").glob("**/*.yaml")))
    assert report["language"] == lang and len(report["dossiers"]) == examples


def test_one_of_several_formats_may_go_to_standard_output(tmp_path: Path) -> None:
    sarif = tmp_path / "r.sarif"
    proc = cli(
        "check", "examples/dossiers/clean/car-t-ind.yaml", "--as-of", AS_OF.isoformat(),
        "-f", "sarif", "-o", str(sarif), "-f", "text", "-o", "-",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("1 dossier(s) checked") and json.loads(sarif.read_text("utf-8"))["runs"]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-f", "json", "-f", "sarif"], "2 formats need 2 --output files"),
        (["-f", "json", "-o", "a.json", "-o", "b.json"], "1 --format and 2 --output"),
        (["-f", "json", "-o", "-", "-f", "text", "-o", "-"], "only one format can go to standard output"),
        (["-f", "json", "-o", "same", "-f", "sarif", "-o", "same"], "two formats would write the same file"),
        (["-f", "pdf"], "'pdf' is not one of"),
    ],
)
def test_output_usage_errors(tmp_path: Path, args: list[str], message: str) -> None:
    proc = cli("check", str(ROOT / "examples/dossiers/clean/car-t-ind.yaml"), *args, cwd=tmp_path)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_help_lists_every_format() -> None:
    out = cli("check", "--help").stdout
    for name in FORMATS:
        assert name in out


def test_rules_list_markdown_is_the_committed_reference() -> None:
    proc = cli("rules", "list", "--format", "markdown")
    assert proc.returncode == 0
    assert proc.stdout == (ROOT / "docs" / "rules.md").read_text("utf-8")
    zh = cli("rules", "list", "--format", "markdown", "--lang", "zh").stdout
    assert zh.startswith("# 规则参考") and "整改建议" in zh
