"""A plain, non-editable `pip install .` into a fresh virtual environment gives a working
`cgt-check` that finds its bundled rules and schemas from any directory."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_install_in_fresh_venv(tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(
        ROOT,
        src,
        ignore=shutil.ignore_patterns(".venv", ".git", "__pycache__", "*.egg-info", "_data", "build", "dist"),
    )
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / "bin"
    install = subprocess.run(
        [str(bin_dir / "python"), "-m", "pip", "install", "-q", str(src)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    clean = ROOT / "examples" / "dossiers" / "clean"
    proc = subprocess.run(
        [str(bin_dir / "cgt-check"), "check", str(clean), "--as-of", "2026-06-01"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    proc = subprocess.run(  # the HTML template ships inside the package
        [
            str(bin_dir / "cgt-check"),
            "check",
            str(clean),
            "--as-of",
            "2026-06-01",
            "-f",
            "html",
            "-o",
            "r.html",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (elsewhere / "r.html").read_text("utf-8").count('class="finding') == 0
    assert (elsewhere / "r.html").read_text("utf-8").count('class="req"') == 6 * 21
    proc = subprocess.run(  # the bundled rule test cases and their base dossiers ship too
        [str(bin_dir / "cgt-check"), "rules", "test"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0 and " 0 failed;" in proc.stdout, proc.stdout[-2000:] + proc.stderr
    proc = subprocess.run(
        [str(bin_dir / "cgt-check"), "schema", "--kind", "rule"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and '"$schema"' in proc.stdout
    proc = subprocess.run(
        [str(bin_dir / "python"), "-m", "checker", "rules", "list"],
        cwd=elsewhere,
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0 and "CGT-IND-MOA" in proc.stdout
    assert sys.version_info >= (3, 11)
