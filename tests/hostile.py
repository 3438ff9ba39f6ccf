"""Running the real command line on hostile input, with its CPU time and peak memory measured."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus" / "hostile"

# What every hostile file must stay within (the CPU time of the whole process, imports included).
MAX_CPU_SECONDS = 5.0
MAX_RSS_BYTES = 300 * 1024 * 1024
# Only catches a hang; never decides a pass on speed.
HANG_SECONDS = 120

# One problem: file:line:col: error[ at path]: message
PROBLEM_LINE = re.compile(r"(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): error(?: at .+?)?: (?P<message>.+)")
EXPECT = re.compile(r"(?P<line>\d+):(?P<col>\d+) (?P<fragment>.+)")


@dataclass(frozen=True)
class Run:
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float
    max_rss_bytes: int


def entry_point() -> list[str]:
    """The installed console script when there is one, else the module."""
    script = Path(sys.executable).parent / "cgt-check"
    return [str(script)] if script.exists() else [sys.executable, "-m", "checker"]


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> Run:
    """Run cgt-check to completion and measure that one child with wait4 (its own rusage)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as inp:
        if stdin is not None:
            inp.write(stdin)
            inp.seek(0)
        proc = subprocess.Popen(
            [*entry_point(), *args],
            stdin=inp if stdin is not None else subprocess.DEVNULL,
            stdout=out,
            stderr=err,
            cwd=cwd,
        )
        watchdog = threading.Timer(HANG_SECONDS, os.kill, (proc.pid, signal.SIGKILL))
        watchdog.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            watchdog.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)  # reaped here, not by Popen
        out.seek(0)
        err.seek(0)
        return Run(
            returncode=proc.returncode,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
            cpu_seconds=usage.ru_utime + usage.ru_stime,
            max_rss_bytes=usage.ru_maxrss * 1024,  # kilobytes on Linux
        )


def expectations(raw: bytes) -> list[tuple[int, int, str]]:
    """The '# expect: LINE:COL fragment' lines at the top of a corpus file."""
    text = raw.removeprefix(b"\xef\xbb\xbf").decode("utf-8", "replace")
    out = []
    for line in text.splitlines():
        if not line.startswith("# expect: "):
            break
        m = EXPECT.fullmatch(line[len("# expect: ") :])
        assert m, line
        out.append((int(m.group("line")), int(m.group("col")), m.group("fragment")))
    return out


def assert_located_errors(run: Run, file: str, expected: list[tuple[int, int, str]]) -> None:
    """Exit 2, no traceback, exactly one located line per expected problem, within the budgets."""
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr[-2000:]
    assert run.returncode == 2, f"exit {run.returncode}: {run.stderr[-2000:]}"
    lines = run.stderr.splitlines()
    found = []
    for text in lines:
        m = PROBLEM_LINE.fullmatch(text)
        assert m, f"not a located one-line error: {text[:300]!r}"
        assert m.group("file") == file, text[:300]
        found.append((int(m.group("line")), int(m.group("col")), m.group("message")))
    assert len(found) == len(expected), "\n".join(lines)[:3000]
    for (line, col, message), (e_line, e_col, fragment) in zip(found, expected, strict=True):
        assert (line, col) == (e_line, e_col) and fragment in message, (
            f"got {line}:{col} {message[:300]!r}, expected {e_line}:{e_col} {fragment!r}"
        )
    assert run.cpu_seconds < MAX_CPU_SECONDS, f"{run.cpu_seconds:.2f} s of CPU"
    assert run.max_rss_bytes < MAX_RSS_BYTES, f"{run.max_rss_bytes / 2**20:.0f} MB peak"
