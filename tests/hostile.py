"""Running the real command line on hostile input, with its CPU time and peak memory measured."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
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


# A small process between the test and cgt-check: Linux carries the peak RSS of the process
# that calls exec into the child's rusage, so measuring cgt-check straight from pytest would
# report pytest's own peak. This one is small; it runs cgt-check and writes its rusage.
_MEASURE = """
import json, resource, subprocess, sys
argv, report, timeout = json.loads(sys.argv[1]), sys.argv[2], float(sys.argv[3])
child = subprocess.Popen(argv)
try:
    code = child.wait(timeout)
except subprocess.TimeoutExpired:
    child.kill()
    code = child.wait()
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(report, "w") as f:
    json.dump({"code": code, "cpu": usage.ru_utime + usage.ru_stime, "rss_kb": usage.ru_maxrss}, f)
"""


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path = ROOT) -> Run:
    """Run cgt-check to completion; its own CPU time and peak memory are measured."""
    with tempfile.TemporaryDirectory() as tmp:
        report = Path(tmp) / "usage.json"
        proc = subprocess.run(
            [
                sys.executable,
                "-c",
                _MEASURE,
                json.dumps([*entry_point(), *args]),
                str(report),
                str(HANG_SECONDS),
            ],
            input=stdin if stdin is not None else b"",
            capture_output=True,
            cwd=cwd,
            timeout=HANG_SECONDS + 30,
        )
        assert proc.returncode == 0, proc.stderr.decode("utf-8", "replace")[-2000:]
        usage = json.loads(report.read_text("utf-8"))
    return Run(
        returncode=usage["code"],
        stdout=proc.stdout.decode("utf-8", "replace"),
        stderr=proc.stderr.decode("utf-8", "replace"),
        cpu_seconds=usage["cpu"],
        max_rss_bytes=usage["rss_kb"] * 1024,  # kilobytes on Linux
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
