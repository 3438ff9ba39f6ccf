"""Property-based fuzz of the inputs beside dossiers (tests/fuzz.py and test_properties.py fuzz
dossiers and rule packs): any bytes as a configuration file (.cgt-check.yaml, pyproject.toml), a
baseline or a justification file are read or refused with located problems, never anything else,
in bounded time; a few through the real command line, for exit 0/1/2 and no traceback."""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.base.errors import CheckerError
from checker.run import baseline, config, justify
from tests.hostile import ROOT, run_cli

EXAMPLE = ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"
SETTINGS = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
MAX_SECONDS = 5.0

# Seeds the fuzz starts from: each input kind as it is usually written, and its keys.
CONFIG_YAML = b"fail-on: warning\nlang: zh\nas-of: 2026-06-01\nmax-file-size: 10000000\nformat: [text]\n"
CONFIG_TOML = b'[tool.cgt-check]\nfail-on = "warning"\nmax-file-size = 10000000\nselect = ["ind"]\n'
BASELINE = json.dumps(
    {
        "baseline_version": "1.0",
        "tool": {"name": "cgt-checker", "version": "0.2.0"},
        "rule_pack": {"name": "cgt-checker-core", "version": "1.2.0", "sha256": "0" * 64},
        "as_of": "2026-06-01",
        "findings": [
            {
                "rule_id": "ind-x",
                "requirement": "CGT-X",
                "file": "a.yaml",
                "path": "product",
                "severity": "error",
                "message": "m",
            }
        ],
    }
).encode()
JUSTIFICATIONS = (
    b"justifications:\n  - rule: ind-moa-evidence\n    dossier: '**/*.yaml'\n    path: product\n"
    b"    reason: Agreed at the pre-IND meeting.\n    approved_by: QA\n    approved_on: 2026-01-01\n"
)
# Pieces that have broken readers before: huge and odd numbers, deep nesting, special characters.
PIECES = [
    b"0x" + b"f" * 5000,
    b"0o" + b"7" * 5000,
    b"9" * 5000,
    b"1e300",
    b"-1",
    b"[" * 2000,
    b"{" * 2000,
    b'"' * 3,
    b"\x00",
    b"\xff\xfe",
    b"\xe2\x80\xae",
    b"\x1b[31m",
    b"&a [*a, *a]",
    b"!!python/object:os.system",
    b"max-file-size",
    b"\n",
    b": ",
    b"= ",
]


def _mutated(seed: bytes) -> st.SearchStrategy[bytes]:
    """seed with pieces inserted, bytes replaced and cut: near-valid input, and any bytes."""

    @st.composite
    def build(draw: Any) -> bytes:
        data = bytearray(seed)
        for _ in range(draw(st.integers(0, 4))):
            at = draw(st.integers(0, len(data)))
            choice = draw(st.integers(0, 2))
            if choice == 0:
                data[at:at] = draw(st.sampled_from(PIECES))
            elif choice == 1:
                data[at : at + draw(st.integers(0, 8))] = draw(st.binary(max_size=8))
            else:
                del data[at:]
        return bytes(data)

    return st.one_of(build(), st.binary(max_size=300))


def _read_or_refuse(name: str, raw: bytes, reader: Callable[[Path], Any]) -> None:
    """reader(file) returns, or raises CheckerError with each problem in that file, in bounded time."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_bytes(raw)
        start = time.process_time()
        try:
            reader(path)
        except CheckerError as exc:
            assert exc.lines("en") and exc.lines("zh")
            for problem in exc.problems:
                assert problem.file == str(path) and problem.line >= 1 and problem.column >= 1
                assert "\n" not in problem.render("en")
        assert time.process_time() - start < MAX_SECONDS
        assert path.read_bytes() == raw  # never changed


@settings(SETTINGS)
@given(raw=_mutated(CONFIG_YAML))
def test_any_configuration_yaml(raw: bytes) -> None:
    _read_or_refuse(".cgt-check.yaml", raw, config.load)


@settings(SETTINGS)
@given(raw=_mutated(CONFIG_TOML))
def test_any_pyproject_toml(raw: bytes) -> None:
    _read_or_refuse("pyproject.toml", raw, config.load)


@settings(SETTINGS)
@given(raw=_mutated(BASELINE))
def test_any_baseline(raw: bytes) -> None:
    _read_or_refuse("baseline.json", raw, lambda p: baseline.load(str(p)))


@settings(SETTINGS)
@given(raw=_mutated(JUSTIFICATIONS))
def test_any_justification_file(raw: bytes) -> None:
    _read_or_refuse("justifications.yaml", raw, lambda p: justify.load_file(str(p)))


KINDS: dict[str, tuple[str, bytes, tuple[str, ...]]] = {
    "config": (".cgt-check.yaml", CONFIG_YAML, ()),
    "pyproject": ("pyproject.toml", CONFIG_TOML, ()),
    "baseline": ("baseline.json", BASELINE, ("--baseline", "baseline.json")),
    "justifications": ("j.yaml", JUSTIFICATIONS, ("--justifications", "j.yaml")),
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(KINDS))
@settings(SETTINGS, max_examples=6)
@given(data=st.data())
def test_any_input_through_the_command_line(kind: str, data: st.DataObject) -> None:
    name, seed, args = KINDS[kind]
    raw = data.draw(_mutated(seed))
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / name).write_bytes(raw)
        run = run_cli("check", "--as-of", "2026-06-01", *args, str(EXAMPLE), cwd=Path(tmp))
    assert run.returncode in (0, 1, 2), run.stderr[-2000:]
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr[-2000:]
    assert run.cpu_seconds < MAX_SECONDS
