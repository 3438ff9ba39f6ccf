"""Paths, directories, standard input, report files and Ctrl-C, through the real command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from checker.load.discovery import discover
from checker.run import outputs as output
from tests.hostile import HANG_SECONDS, ROOT, assert_located_errors, entry_point, run_cli

CLEAN = ROOT / "examples" / "dossiers" / "clean"
AS_OF = "2026-06-01"
MINIMAL = 'schema_version: "1.0"\nproduct: {{name: P{0}, modality: car-t}}\n'
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _batch(directory: Path, count: int) -> Path:
    directory.mkdir()
    for i in range(count):
        (directory / f"d{i:05d}.yaml").write_text(MINIMAL.format(i), "utf-8")
    return directory


def test_dossier_is_byte_identical_and_its_mtime_unchanged(tmp_path: Path) -> None:
    for name in ("car-t-approved.yaml", "car-t-ind.yaml"):
        f = tmp_path / name
        f.write_bytes((CLEAN / name).read_bytes())
        os.utime(f, ns=(1_000_000_000, 1_000_000_000))
        before = f.read_bytes()
        run = run_cli("check", str(f), "--as-of", AS_OF, "-f", "json", "-o", str(tmp_path / "r.json"))
        assert run.returncode == 0, run.stderr
        assert f.read_bytes() == before and f.stat().st_mtime_ns == 1_000_000_000
    assert sorted(p.name for p in tmp_path.iterdir()) == ["car-t-approved.yaml", "car-t-ind.yaml", "r.json"]


@pytest.mark.slow
def test_a_directory_of_thousands_of_files(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "batch", 2000)
    run = run_cli("check", str(batch), "--as-of", AS_OF, "-f", "json")
    assert run.returncode == 1, run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert [d["file"] for d in report["dossiers"]] == sorted(str(p) for p in batch.iterdir())


def test_links_loops_and_pipes_in_a_directory_are_located_errors(tmp_path: Path) -> None:
    d = tmp_path / "d"
    d.mkdir()
    (d / "good.yaml").write_text(MINIMAL.format(1), "utf-8")
    (d / "sub").mkdir()
    (d / "sub" / "up").symlink_to("..", target_is_directory=True)  # a directory loop: not followed
    (d / "self.yaml").symlink_to("self.yaml")
    (d / "dangling.yaml").symlink_to("missing.yaml")
    os.mkfifo(d / "pipe.yaml")
    files, problems = discover([str(d)])
    assert files == [str(d / "good.yaml")]
    assert [(p.file, p.message) for p in problems] == [
        (str(d / "dangling.yaml"), "cannot read this file: a broken symbolic link"),
        (str(d / "pipe.yaml"), "not a regular file"),
        (str(d / "self.yaml"), "cannot read this file: a symbolic link loop"),
    ]
    run = run_cli("check", str(d), "--as-of", AS_OF)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert len(run.stderr.splitlines()) == 3 and "1 dossier(s) checked" in run.stdout


@pytest.mark.skipif(IS_ROOT, reason="running as root: chmod 000 does not stop root from reading")
def test_unreadable_files_and_directories(tmp_path: Path) -> None:
    d = tmp_path / "d"
    (d / "locked").mkdir(parents=True)
    (d / "locked" / "x.yaml").write_text(MINIMAL.format(1), "utf-8")
    (d / "secret.yaml").write_text(MINIMAL.format(2), "utf-8")
    (d / "good.yaml").write_text(MINIMAL.format(3), "utf-8")
    (d / "secret.yaml").chmod(0)
    (d / "locked").chmod(0)
    try:
        run = run_cli("check", str(d), "--as-of", AS_OF)
    finally:
        (d / "locked").chmod(0o755)
        (d / "secret.yaml").chmod(0o644)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert f"{d / 'locked'}:1:1: error: cannot read this directory" in run.stderr
    assert f"{d / 'secret.yaml'}:1:1: error: cannot read file" in run.stderr
    assert "1 dossier(s) checked" in run.stdout


def test_a_path_that_does_not_exist() -> None:
    run = run_cli("check", "no/such/dossier.yaml")
    assert_located_errors(run, "no/such/dossier.yaml", [(1, 1, "no such file or directory")])
    assert_located_errors(run_cli("check", ""), "''", [(1, 1, "an empty path")])  # not the current directory


def test_standard_input_alongside_files() -> None:
    text = (CLEAN / "car-t-ind.yaml").read_bytes()
    run = run_cli("check", str(CLEAN / "car-t-ind.yaml"), "-", "--as-of", AS_OF, "-f", "json", stdin=text)
    assert run.returncode == 0, run.stderr
    dossiers = json.loads(run.stdout)["dossiers"]
    assert [d["file"] for d in dossiers] == [str(CLEAN / "car-t-ind.yaml"), "<stdin>"]
    assert dossiers[0]["findings"] == dossiers[1]["findings"] == []
    assert dossiers[0]["sha256"] == dossiers[1]["sha256"]


def _cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc to see the child's CPU time")
def test_ctrl_c_exits_130_and_never_leaves_a_half_written_report(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "batch", 3000)  # about 6 s of CPU to check
    report = tmp_path / "report.json"
    report.write_text("the previous, complete report\n", "utf-8")
    proc = subprocess.Popen(
        [*entry_point(), "check", str(batch), "-f", "json", "-o", str(report), "--as-of", AS_OF],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Interrupt once the child has worked 1 s of CPU (imports take a third of that): in the
    # middle of the batch however fast or loaded the machine is.
    deadline = time.monotonic() + HANG_SECONDS
    while proc.poll() is None and _cpu_seconds(proc.pid) < 1.0 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, "the batch finished before it could be interrupted"
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=HANG_SECONDS)
    assert proc.returncode == 130, stderr[-2000:]
    assert stderr.strip() == "interrupted" and stdout == ""
    assert report.read_text("utf-8") == "the previous, complete report\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["batch", "report.json"]


def test_an_interrupted_write_keeps_the_previous_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = tmp_path / "report.txt"
    report.write_text("old\n", "utf-8")

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(output.os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        output.write_atomic(report, "new\n" * 1000)
    assert report.read_text("utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["report.txt"]
