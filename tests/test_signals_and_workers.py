"""SIGTERM and SIGHUP during a batch in worker processes, through the real command line: the
command exits 128 + the signal's number, says so on one line, and no worker outlives it; the
workers are bounded by the cores and the batch."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.hostile import HANG_SECONDS, ROOT, entry_point

CLEAN = ROOT / "examples" / "dossiers" / "clean"
HOUSE = ROOT / "examples" / "rules" / "house-rules"

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(p) for p in text.split()}


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _batch(directory: Path, count: int) -> Path:
    directory.mkdir()
    text = (CLEAN / "car-t-approved.yaml").read_bytes()
    for i in range(count):
        (directory / f"d{i:04d}.yaml").write_bytes(text)
    return directory


def _run_until_workers(args: list[str], want: int) -> tuple[subprocess.Popen[str], set[int]]:
    proc = subprocess.Popen(
        [*entry_point(), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    deadline = time.monotonic() + HANG_SECONDS
    workers: set[int] = set()
    while proc.poll() is None and time.monotonic() < deadline:
        workers = _children(proc.pid)
        if len(workers) >= want:
            break
        time.sleep(0.02)
    return proc, workers


@pytest.mark.parametrize(
    ("signum", "code", "name"), [(signal.SIGTERM, 143, "SIGTERM"), (signal.SIGHUP, 129, "SIGHUP")]
)
@pytest.mark.parametrize("custom", [False, True], ids=["bundled", "custom-rules"])
def test_a_signal_takes_the_workers_with_the_run(
    tmp_path: Path, signum: int, code: int, name: str, custom: bool
) -> None:
    batch = _batch(tmp_path / "batch", 400)
    args = ["check", str(batch), "--jobs", "2", "--as-of", "2026-06-01"]
    if custom:
        args += ["--rules", str(HOUSE)]
    want = min(2, os.cpu_count() or 1)
    proc, workers = _run_until_workers(args, want)
    assert proc.poll() is None and len(workers) >= want, "the batch ended before its workers started"
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=HANG_SECONDS)
    assert proc.returncode == code, stderr[-2000:]
    assert stderr.strip() == f"stopped by {name}" and "Traceback" not in stderr
    deadline = time.monotonic() + 10
    while any(_alive(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived the run"


def test_jobs_is_capped_by_the_cores(tmp_path: Path) -> None:
    batch = _batch(tmp_path / "batch", 300)
    proc, _ = _run_until_workers(["check", str(batch), "--jobs", "256"], 1)
    most = 0
    while proc.poll() is None:
        most = max(most, len(_children(proc.pid)))
        time.sleep(0.02)
    proc.communicate(timeout=HANG_SECONDS)
    assert proc.returncode == 0
    assert 1 <= most <= len(os.sched_getaffinity(0)) + 1  # + 1: the pool's manager, if any


@pytest.mark.skipif(not hasattr(signal, "SIGHUP"), reason="POSIX signals")
def test_a_signal_in_a_finaliser_is_neither_printed_nor_lost(capfd: pytest.CaptureFixture[str]) -> None:
    """Python drops an exception raised while a finaliser runs, printing "Exception ignored" and
    a traceback: a signal that lands there says nothing and still stops the run."""
    import gc

    from checker.base.errors import Terminated
    from checker.run.signals import raise_if_stopped, stopping_on_signals

    class Finalised:
        def __del__(self) -> None:
            os.kill(os.getpid(), signal.SIGHUP)
            for _ in range(1000):  # the handler runs here, inside the finaliser
                pass

    with stopping_on_signals():
        item = Finalised()
        del item
        gc.collect()
        with pytest.raises(Terminated):
            raise_if_stopped()
    assert capfd.readouterr().err == ""
