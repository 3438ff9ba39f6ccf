"""Reports on standard output are UTF-8 bytes, the same bytes as --output writes, whatever the
console's encoding; messages on standard error never fail on a character it lacks."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from checker.report.formats import FORMATS, TEXT_FORMATS

ROOT = Path(__file__).resolve().parents[1]
# Chinese text, markup and a waived finding: every format writes characters no legacy code page has.
INPUTS = [
    "examples/dossiers/gaps/nda-pivotal.yaml",
    "tests/formats/data/hostile-text.yaml",
    "--justifications",
    "examples/justifications/nda-pivotal.yaml",
    "--as-of",
    "2026-06-01",
    "--no-config",
]
ENCODINGS = ["gbk", "cp1252", "ascii"]


def _run(*args: str, encoding: str | None = None, cwd: Path = ROOT) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ)
    env.pop("PYTHONIOENCODING", None)
    env.pop("PYTHONUTF8", None)
    if encoding is not None:
        env["PYTHONIOENCODING"] = encoding
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=cwd, capture_output=True, env=env, timeout=120
    )


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_a_report_on_standard_output_is_the_bytes_of_the_report_file(fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"report{FORMATS[fmt].suffix}"
    written = _run("check", *INPUTS, "--lang", "zh", "-f", fmt, "-o", str(out))
    assert written.returncode == 1 and written.stdout == b"", written.stderr
    expected = out.read_bytes()
    assert re.search("[\u4e00-\u9fff]", expected.decode("utf-8")), "no Chinese to encode"
    for encoding in ENCODINGS:
        shown = _run("check", *INPUTS, "--lang", "zh", "-f", fmt, encoding=encoding)
        assert b"Traceback" not in shown.stderr, (encoding, shown.stderr.decode("utf-8", "replace"))
        assert shown.returncode == written.returncode, encoding
        assert shown.stdout == expected, encoding


def test_input_errors_with_chinese_names_and_messages_on_an_ascii_console(tmp_path: Path) -> None:
    bad = tmp_path / "申报资料.yaml"
    bad.write_text('schema_version: "1.0"\nproduct: {name: X, modality: car-t, 申请人: Y}\n', "utf-8")
    for fmt in ("text", "json"):
        proc = _run("check", str(bad), "--no-config", "-f", fmt, encoding="ascii", cwd=tmp_path)
        assert proc.returncode == 2 and b"Traceback" not in proc.stderr, proc.stderr
        stderr = proc.stderr.decode("ascii")  # a character ascii lacks is an escape
        assert "\\u7533\\u62a5\\u8d44\\u6599.yaml:2:" in stderr and "\\u7533\\u8bf7\\u4eba" in stderr
        assert "1 input error" in proc.stdout.decode("utf-8") or fmt == "json"
    report = tmp_path / "r.txt"
    proc = _run("check", str(bad), "--no-config", "-o", str(report), encoding="ascii", cwd=tmp_path)
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert f"{bad}:2:" in report.read_text("utf-8")  # the report file has the name as it is


def test_usage_errors_and_interrupts_on_an_ascii_console(tmp_path: Path) -> None:
    proc = _run("check", str(tmp_path / "无此文件.yaml"), "--no-config", "-o", "-", encoding="ascii")
    assert proc.returncode == 2 and b"Traceback" not in proc.stderr
    assert b"\\u65e0\\u6b64\\u6587\\u4ef6.yaml:1:1: error: no such file or directory" in proc.stderr
    proc = _run("init", "--modality", "car-t", "-o", str(tmp_path), "--as-of", "2026-06-01", encoding="ascii")
    assert proc.returncode == 2 and b"exists: init never overwrites a file" in proc.stderr
