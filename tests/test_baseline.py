"""Baselines: created from a check, matched by rule + file + dossier path, never by line."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema

ROOT = Path(__file__).resolve().parents[1]
PIVOTAL = ROOT / "examples" / "dossiers" / "gaps" / "nda-pivotal.yaml"
AS_OF = "2026-06-01"
SARIF_SCHEMA = json.loads((ROOT / "tests" / "reference" / "sarif-schema-2.1.0.json").read_text("utf-8"))


def _cli(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, text=True, timeout=120
    )


def _setup(tmp_path: Path) -> Path:
    shutil.copy(PIVOTAL, tmp_path / "dossier.yaml")
    made = _cli(tmp_path, "baseline", "create", "dossier.yaml", "-o", "baseline.json", "--as-of", AS_OF)
    assert made.returncode == 0, made.stderr
    assert made.stderr == "baseline.json: 2 finding(s) of 1 dossier(s)\n"
    return tmp_path / "dossier.yaml"


def test_the_baseline_file(tmp_path: Path) -> None:
    _setup(tmp_path)
    doc = json.loads((tmp_path / "baseline.json").read_text("utf-8"))
    assert doc["baseline_version"] == "1.0" and doc["as_of"] == AS_OF
    keys = [(f["rule_id"], f["file"], f["path"]) for f in doc["findings"]]
    assert keys == sorted(keys) and {k[1] for k in keys} == {"dossier.yaml"}
    assert "line" not in doc["findings"][0]  # never keyed by line


def test_a_baseline_made_before_inserting_lines_still_matches(tmp_path: Path) -> None:
    dossier = _setup(tmp_path)
    dossier.write_text("# inserted\n# at the top\n\n" + dossier.read_text("utf-8"), "utf-8")
    proc = _cli(tmp_path, "check", "dossier.yaml", "--baseline", "baseline.json", "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "baseline baseline.json: 0 new, 2 baselined, 0 fixed" in proc.stdout
    assert proc.stdout.count("[baselined]") == 2


def _json(tmp_path: Path, fmt: str = "json") -> tuple[int, dict[str, Any]]:
    proc = _cli(tmp_path, "check", "dossier.yaml", "--baseline", "baseline.json", "--as-of", AS_OF, "-f", fmt)
    assert "Traceback" not in proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def test_only_new_findings_fail_and_fixed_ones_are_counted(tmp_path: Path) -> None:
    dossier = _setup(tmp_path)
    text = dossier.read_text("utf-8")
    fix = ("{relation: within, value: 28, unit: day}", "{relation: at, value: 3, unit: month}")
    assert fix[0] in text and "    clarity: established\n" in text
    dossier.write_text(text.replace(*fix), "utf-8")  # a fix
    code, report = _json(tmp_path)
    b = report["baseline"]
    assert (b["new"], b["unchanged"], [f["rule_id"] for f in b["fixed"]]) == (0, 1, ["nda-response-within"])
    assert code == 0

    dossier.write_text(  # and a new gap: the mechanism of action now stated as unclear
        dossier.read_text("utf-8").replace("    clarity: established\n", "    clarity: unclear\n"),
        "utf-8",
    )
    code, report = _json(tmp_path)
    states = {f["rule_id"]: f["baseline"] for f in report["dossiers"][0]["findings"]}
    assert states == {"nda-external-control-missing": "unchanged", "moa-unclear": "new"}
    assert code == 1 and report["baseline"]["new"] == 1
    code, sarif = _json(tmp_path, "sarif")
    assert not list(jsonschema.Draft4Validator(SARIF_SCHEMA).iter_errors(sarif))
    assert {r["ruleId"]: r["baselineState"] for r in sarif["runs"][0]["results"]} == states
    assert sarif["runs"][0]["properties"]["baseline"]["unchanged"] == 1


def test_a_broken_baseline_is_an_input_error(tmp_path: Path) -> None:
    _setup(tmp_path)
    (tmp_path / "baseline.json").write_text('{"baseline_version": "1.0",\n  "findings": [}', "utf-8")
    proc = _cli(tmp_path, "check", "dossier.yaml", "--baseline", "baseline.json")
    assert (
        proc.returncode == 2 and proc.stderr.startswith("baseline.json:2:") and "Traceback" not in proc.stderr
    )
    (tmp_path / "baseline.json").write_text('{"findings": []}', "utf-8")
    proc = _cli(tmp_path, "check", "dossier.yaml", "--baseline", "baseline.json")
    assert proc.returncode == 2 and "not a cgt-check baseline" in proc.stderr


def test_no_baseline_is_written_from_invalid_input(tmp_path: Path) -> None:
    (tmp_path / "bad.yaml").write_text("schema_version: '1.0'\nproduct: [\n", "utf-8")
    proc = _cli(tmp_path, "baseline", "create", "bad.yaml", "-o", "baseline.json")
    assert proc.returncode == 2 and not (tmp_path / "baseline.json").exists()


def test_baselined_requirements_are_skipped_in_junit_and_fixed_counts_only_rules_that_ran(
    tmp_path: Path,
) -> None:
    _setup(tmp_path)
    proc = _cli(
        tmp_path, "check", "dossier.yaml", "--baseline", "baseline.json", "--as-of", AS_OF, "-f", "junit"
    )
    assert proc.returncode == 0 and 'failures="0"' in proc.stdout
    assert 'skipped message="baselined: findings of nda-response-within are in the baseline"' in proc.stdout
    code, report = _json_args(tmp_path, "--select", "nda-response-within")
    assert code == 0
    assert report["baseline"]["fixed"] == [] and report["baseline"]["unchanged"] == 1
    statuses = {r["id"]: r["status"] for r in report["dossiers"][0]["requirements"]}
    assert statuses["CGT-NDA-DURABLE-RESPONSE"] == "baselined"


def _json_args(tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    proc = _cli(
        tmp_path,
        "check",
        "dossier.yaml",
        "--baseline",
        "baseline.json",
        "--as-of",
        AS_OF,
        "-f",
        "json",
        *args,
    )
    return proc.returncode, json.loads(proc.stdout)


def test_baseline_create_reads_the_configuration(tmp_path: Path) -> None:
    shutil.copy(PIVOTAL, tmp_path / "dossier.yaml")
    (tmp_path / ".cgt-check.yaml").write_text("select: [nda-response-within]\nas-of: 2026-06-01\n", "utf-8")
    made = _cli(tmp_path, "baseline", "create", "dossier.yaml", "-o", "baseline.json")
    assert made.returncode == 0 and made.stderr == "baseline.json: 1 finding(s) of 1 dossier(s)\n"
