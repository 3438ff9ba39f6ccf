"""The release: `python -m build` makes an sdist and a wheel that `twine check` accepts, the sdist
holds what building and testing need, the wheel the bundled data; the wheel installs into a fresh
virtual environment on every supported Python present and gives a working `cgt-check` from any
directory; so does a plain, non-editable `pip install .` of a checkout.

Each Python is looked for on PATH, under pyenv and in /usr/bin; one that is absent is skipped,
unless it is listed in CGT_REQUIRE_PYTHONS (e.g. `3.11,3.13`, as CI sets it): then its absence
fails."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import venv
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest

import checker

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "examples" / "dossiers" / "clean"
SUPPORTED = ("3.11", "3.12", "3.13")
REQUIRE_ENV = "CGT_REQUIRE_PYTHONS"
# Tracked files that only the repository needs: the CI entry point and git's own file.
REPOSITORY_ONLY = {".ci/run", ".gitignore"}
COPY_IGNORE = shutil.ignore_patterns(
    ".venv*", ".git", "__pycache__", "*.egg-info", "_data", "build", "dist", ".*_cache", ".hypothesis"
)

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Dist:
    sdist: Path
    wheel: Path


def _run(argv: list[str], timeout: float, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout)


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Dist:
    """The sdist, and the wheel built from it, by the Python running the tests."""
    tmp = tmp_path_factory.mktemp("dist")
    src = tmp / "src"
    shutil.copytree(ROOT, src, ignore=COPY_IGNORE)
    out = tmp / "out"
    proc = _run([sys.executable, "-m", "build", "--outdir", str(out), str(src)], timeout=900)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    [sdist] = out.glob("*.tar.gz")
    [wheel] = out.glob("*.whl")
    return Dist(sdist, wheel)


def test_twine_accepts_the_sdist_and_the_wheel(dist: Dist) -> None:
    proc = _run([sys.executable, "-m", "twine", "check", "--strict", str(dist.sdist), str(dist.wheel)], 300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert dist.sdist.name == f"cgt_checker-{checker.__version__}.tar.gz"
    assert dist.wheel.name == f"cgt_checker-{checker.__version__}-py3-none-any.whl"
    with zipfile.ZipFile(dist.wheel) as wheel:
        meta = Parser().parsestr(
            wheel.read(f"cgt_checker-{checker.__version__}.dist-info/METADATA").decode("utf-8")
        )
        entry_points = wheel.read(f"cgt_checker-{checker.__version__}.dist-info/entry_points.txt")
    assert set(meta["Requires-Python"].split(",")) == {">=3.11", "<3.14"}
    classifiers = meta.get_all("Classifier") or []
    assert all(f"Programming Language :: Python :: {v}" in classifiers for v in SUPPORTED)
    assert b"cgt-check = checker.cli.app:run" in entry_points


def _tracked() -> set[str] | None:
    """The files git tracks in this checkout, or None outside one."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        return None
    proc = _run(["git", "ls-files", "-z"], 60, cwd=ROOT)
    if proc.returncode != 0:
        return None
    return {name for name in proc.stdout.split("\0") if name and (ROOT / name).is_file()}


def test_the_sdist_holds_what_building_and_testing_need(dist: Dist) -> None:
    with tarfile.open(dist.sdist) as sdist:
        prefix = f"cgt_checker-{checker.__version__}/"
        names = {m.name.removeprefix(prefix) for m in sdist.getmembers() if m.isfile()}
    tracked = _tracked()
    if tracked is not None:
        assert sorted(tracked - REPOSITORY_ONLY - names) == []
    for needed in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        ".pre-commit-hooks.yaml",
        "rules/requirements.yaml",
        "rules/cases/nda.yaml",
        "schemas/dossier.schema.json",
        "examples/dossiers/clean/car-t-ind.yaml",
        "examples/ci/gitlab-ci.yml",
        "docs/engine.md",
        "tests/conftest.py",
        "tests/formats/golden/report.en.text.txt",
        "benchmarks/run.py",
        "checker/run/templates/dossier.yaml.j2",
    ):
        assert needed in names, needed
    assert not any(n.startswith((".venv", ".git/", "checker/_data/")) or "__pycache__" in n for n in names)


def test_the_wheel_holds_the_bundled_data(dist: Dist) -> None:
    with zipfile.ZipFile(dist.wheel) as wheel:
        names = set(wheel.namelist())
    data = "checker/_data/"
    expected = {
        *(f"{data}{p.relative_to(ROOT).as_posix()}" for p in (ROOT / "rules").rglob("*.yaml")),
        *(f"{data}{p.relative_to(ROOT).as_posix()}" for p in (ROOT / "schemas").glob("*.json")),
        *(
            f"{data}{p.relative_to(ROOT).as_posix()}"
            for p in (ROOT / "examples" / "dossiers").rglob("*.yaml")
        ),
        "checker/run/templates/dossier.yaml.j2",
        "checker/report/formats/templates/report.html.j2",
    }
    assert sorted(expected - names) == []
    assert not any(n.startswith(("tests/", "docs/", "benchmarks/")) for n in names)


def _version_of(python: str) -> str | None:
    try:
        proc = _run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"], 60)
    except OSError:
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def find_python(version: str) -> str | None:
    """An interpreter of this version: the one running the tests, else one on PATH, under pyenv
    ($PYENV_ROOT or ~/.pyenv) or in /usr/bin or /usr/local/bin, that runs."""
    if f"{sys.version_info[0]}.{sys.version_info[1]}" == version:
        return sys.executable
    pyenv = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv")
    candidates = [shutil.which(f"python{version}")]
    candidates += [
        str(p) for p in sorted(pyenv.glob(f"versions/{version}.*/bin/python{version}"), reverse=True)
    ]
    candidates += [f"/usr/bin/python{version}", f"/usr/local/bin/python{version}"]
    for candidate in candidates:
        if candidate and Path(candidate).exists() and _version_of(candidate) == version:
            return candidate
    return None


def _required() -> set[str]:
    return {v.strip() for v in os.environ.get(REQUIRE_ENV, "").split(",") if v.strip()}


def _new_env(python: str, where: Path) -> Path:
    """A fresh virtual environment of that interpreter; its bin directory."""
    if python == sys.executable:
        venv.create(where, with_pip=True)
    else:
        made = _run([python, "-m", "venv", str(where)], 300)
        assert made.returncode == 0, made.stderr[-3000:]
    return where / "bin"


def _works_from_anywhere(bin_dir: Path, elsewhere: Path) -> None:
    """The installed command checks, renders HTML, runs the bundled rule cases and prints schemas,
    from a directory that is not the checkout."""
    cgt_check = str(bin_dir / "cgt-check")
    proc = _run([cgt_check, "check", str(CLEAN), "--as-of", "2026-06-01"], 120, cwd=elsewhere)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"cgt-checker {checker.__version__}; rule pack" in proc.stdout
    proc = _run(  # the HTML template ships inside the package
        [cgt_check, "check", str(CLEAN), "--as-of", "2026-06-01", "-f", "html", "-o", "r.html"],
        120,
        elsewhere,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (elsewhere / "r.html").read_text("utf-8").count('class="finding') == 0
    assert (elsewhere / "r.html").read_text("utf-8").count('class="req"') == len(
        list(CLEAN.glob("*.yaml"))
    ) * 21
    proc = _run([cgt_check, "rules", "test"], 300, cwd=elsewhere)  # the rule cases and their dossiers
    assert proc.returncode == 0 and " 0 failed;" in proc.stdout, proc.stdout[-2000:] + proc.stderr
    proc = _run([cgt_check, "schema", "--kind", "rule"], 120, cwd=elsewhere)
    assert proc.returncode == 0 and '"$schema"' in proc.stdout
    proc = _run([str(bin_dir / "python"), "-m", "checker", "rules", "list"], 120, cwd=elsewhere)
    assert proc.returncode == 0 and "CGT-IND-MOA" in proc.stdout


@pytest.mark.parametrize("version", SUPPORTED)
def test_the_wheel_installs_and_runs(dist: Dist, tmp_path: Path, version: str) -> None:
    python = find_python(version)
    if python is None:
        if version in _required():
            pytest.fail(f"Python {version} is required ({REQUIRE_ENV}) but was not found")
        pytest.skip(f"Python {version} is not installed")
    bin_dir = _new_env(python, tmp_path / "venv")
    install = _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(dist.wheel)], 900)
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _works_from_anywhere(bin_dir, elsewhere)


def test_a_checkout_installs_and_runs(tmp_path: Path) -> None:
    # The README's first command, `pip install .`, with the Python running the tests.
    src = tmp_path / "src"
    shutil.copytree(ROOT, src, ignore=COPY_IGNORE)
    bin_dir = _new_env(sys.executable, tmp_path / "venv")
    install = _run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(src)], 900)
    assert install.returncode == 0, install.stderr[-3000:]
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    _works_from_anywhere(bin_dir, elsewhere)
