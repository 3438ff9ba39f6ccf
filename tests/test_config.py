"""Configuration files and rule selection, through the real command line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.base.errors import UsageError
from checker.rulepack.pack import load_pack
from checker.rulepack.selection import select, split_patterns

ROOT = Path(__file__).resolve().parents[1]
PIVOTAL = ROOT / "examples" / "dossiers" / "gaps" / "nda-pivotal.yaml"


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "dossiers").mkdir()
    shutil.copy(PIVOTAL, tmp_path / "dossiers" / "d.yaml")
    return tmp_path


def test_yaml_config_is_found_upward_and_flags_override_it(project: Path) -> None:
    (project / ".cgt-check.yaml").write_text(
        "fail-on: warning\nlang: zh\nas-of: 2026-06-01\nformat: json\n", "utf-8"
    )
    sub = project / "dossiers"
    report = json.loads(_cli(sub, "check", "d.yaml").stdout)
    assert report["language"] == "zh" and report["as_of"] == "2026-06-01"
    overridden = _cli(sub, "check", "d.yaml", "--lang", "en", "-f", "text", "--fail-on", "never")
    assert overridden.returncode == 0 and "1 dossier(s) checked" in overridden.stdout


def test_pyproject_section_and_show_config(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.cgt-check]\nfail-on = "never"\nselect = ["nda"]\n'
        'justifications = ["j.yaml"]\n',
        "utf-8",
    )
    shown = _cli(project / "dossiers", "check", "--show-config", "--lang", "zh")
    assert shown.returncode == 0, shown.stderr
    lines = {line.split()[0]: line for line in shown.stdout.splitlines()}
    assert lines["fail-on"].endswith(f"[{project / 'pyproject.toml'}]") and " never " in lines["fail-on"]
    assert lines["lang"].endswith("[命令行]") and lines["as-of"].endswith("（今天）  [默认值]")
    assert lines["output"].endswith("-（标准输出）  [默认值]")
    assert f" {project / 'j.yaml'} " in lines["justifications"]  # relative to the configuration file
    assert len(lines) == 12
    english = _cli(project / "dossiers", "check", "--show-config", "--lang", "en")
    lines = {line.split()[0]: line for line in english.stdout.splitlines()}
    assert lines["lang"].endswith("[command line]") and lines["as-of"].endswith("(today)  [default]")
    assert lines["fail-on"].endswith(f"[{project / 'pyproject.toml'}]")


def test_a_pyproject_without_the_section_is_passed_over(project: Path) -> None:
    (project / ".cgt-check.yaml").write_text("lang: zh\n", "utf-8")
    (project / "dossiers" / "pyproject.toml").write_text('[project]\nname = "x"\n', "utf-8")
    shown = _cli(project / "dossiers", "check", "--show-config")
    assert "lang               zh  [" in shown.stdout
    assert "baseline           （无）  [默认值]" in shown.stdout  # in the configuration's language


def test_a_broken_config_is_a_located_input_error(project: Path) -> None:
    (project / ".cgt-check.yaml").write_text("lang: en\nfail_on: warning\nformat: [sarf]\n", "utf-8")
    proc = _cli(project, "check", "dossiers")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert ".cgt-check.yaml:2:1: error: fail_on: unknown option (did you mean 'fail-on'?)" in proc.stderr
    assert ".cgt-check.yaml:3:9: error: format: unknown format 'sarf' (did you mean 'sarif'?)" in proc.stderr
    assert _cli(project, "check", "dossiers", "--no-config").returncode == 1


def test_select_and_ignore_by_id_requirement_glob_and_tag(project: Path) -> None:
    def rules(*args: str) -> set[str]:
        proc = _cli(project, "check", "dossiers", "-f", "json", "--as-of", "2026-06-01", *args)
        assert proc.returncode in (0, 1), proc.stderr
        doc = json.loads(proc.stdout)
        return {f["rule_id"] for f in doc["dossiers"][0]["findings"]}

    both = {"nda-external-control-missing", "nda-response-within"}
    assert rules() == both
    assert rules("--select", "CGT-NDA-DURABLE-RESPONSE") == {"nda-response-within"}
    assert rules("--ignore", "nda-response-*") == {"nda-external-control-missing"}
    assert rules("--select", "nda,ind", "--ignore", "single-arm") == {"nda-response-within"}
    assert rules("--select", "post-marketing") == set()


def test_selection_library() -> None:
    pack = load_pack()
    ind = select(pack, ["ind"])
    assert ind.rules and all("ind" in lr.rule.tags for lr in ind.rules.values())
    assert set(select(pack, ["CGT-PM-*"]).rules) == {
        rid for rid, lr in pack.rules.items() if lr.rule.requirement.startswith("CGT-PM-")
    }
    assert split_patterns(["a, b", "c"]) == ("a", "b", "c")
    with pytest.raises(UsageError, match="matches no rule id, requirement id or tag"):
        select(pack, ["CGT-IND-MAO"])
    with pytest.raises(UsageError, match="leave no rule"):
        select(pack, ["ind"], ["*"])


def test_selection_is_recorded_and_the_matrix_says_what_was_not_checked(project: Path) -> None:
    proc = _cli(project, "check", "dossiers", "-f", "json", "--select", "CGT-NDA-*", "--as-of", "2026-06-01")
    doc = json.loads(proc.stdout)
    assert doc["rule_pack"]["selection"] == "select=CGT-NDA-*"
    matrix = {r["id"]: r for r in doc["dossiers"][0]["requirements"]}
    assert matrix["CGT-IND-MOA"]["status"] == "not-applicable"
    assert matrix["CGT-IND-MOA"]["reason"].startswith("not checked: no rule of this run checks it")


def test_format_and_output_from_the_command_line_replace_the_configured_pair(project: Path) -> None:
    (project / ".cgt-check.yaml").write_text('format: [text, sarif]\noutput: ["-", out.sarif]\n', "utf-8")
    proc = _cli(project, "check", "dossiers", "-f", "json", "--as-of", "2026-06-01")
    assert (
        proc.returncode == 1 and json.loads(proc.stdout)["dossiers"] and not (project / "out.sarif").exists()
    )
    both = _cli(project, "check", "dossiers", "--as-of", "2026-06-01")
    assert (
        both.returncode == 1
        and both.stdout.startswith("dossiers/d.yaml:")
        and (project / "out.sarif").exists()
    )
    shown = _cli(project, "check", "--show-config", "--no-config")
    assert "format             text  [default]" in shown.stdout


def test_a_broken_pyproject_with_our_section_is_an_error(project: Path) -> None:
    (project / "pyproject.toml").write_text("[tool.cgt-check\nlang = 'zh'\n", "utf-8")
    proc = _cli(project, "check", "dossiers")
    assert proc.returncode == 2 and "pyproject.toml:1:16: error: invalid TOML" in proc.stderr
    (project / "pyproject.toml").write_text("[tool.cgt-check]\nlang = 'zh'\nfailon = 'x'\n", "utf-8")
    proc = _cli(project, "check", "dossiers")
    assert (
        "pyproject.toml:3:1: error: [tool.cgt-check] failon: unknown option (did you mean 'fail-on'?)"
        in proc.stderr
    )


def test_the_file_size_limit_comes_from_the_config_and_the_flag_overrides_it(project: Path) -> None:
    (project / ".cgt-check.yaml").write_text("max-file-size: 100\n", "utf-8")
    size = (project / "dossiers" / "d.yaml").stat().st_size
    limited = _cli(project, "check", "dossiers")
    assert limited.returncode == 2, limited.stderr
    assert "larger than the 100-byte limit" in limited.stderr and "Traceback" not in limited.stderr
    shown = {line.split()[0]: line for line in _cli(project, "check", "--show-config").stdout.splitlines()}
    assert " 100 " in shown["max-file-size"] and shown["max-file-size"].endswith(".cgt-check.yaml]")
    assert _cli(project, "check", "dossiers", "--max-file-size", str(size)).returncode == 1
    baseline = _cli(project, "baseline", "create", "dossiers", "-o", "b.json")
    assert baseline.returncode == 2 and "100-byte limit" in baseline.stderr


@pytest.mark.parametrize("value", ["0", "big", "1.5"])
def test_a_bad_file_size_limit_is_a_located_error(project: Path, value: str) -> None:
    (project / ".cgt-check.yaml").write_text(f"lang: en\nmax-file-size: {value}\n", "utf-8")
    proc = _cli(project, "check", "dossiers")
    assert proc.returncode == 2 and ".cgt-check.yaml:2:16: error: max-file-size: " in proc.stderr
