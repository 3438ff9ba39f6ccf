"""The progress bar: drawn on a terminal only, never with --quiet, never into a pipe."""

from __future__ import annotations

import io
import os
import pty
import select
import subprocess
import sys
from pathlib import Path

from checker.cli.progress import Progress

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "dossiers"


def test_not_a_terminal_is_silent() -> None:
    stream = io.StringIO()
    assert not Progress.wanted(stream, quiet=False)
    bar = Progress(10, stream, Progress.wanted(stream, quiet=False))
    for _ in range(10):
        bar.advance()
    bar.clear()
    assert stream.getvalue() == ""


class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_quiet_wins_over_a_terminal() -> None:
    assert Progress.wanted(_Tty(), quiet=False)
    assert not Progress.wanted(_Tty(), quiet=True)


def test_bar_is_drawn_and_erased() -> None:
    stream = _Tty()
    bar = Progress(4, stream, enabled=True)
    for _ in range(4):
        bar.advance()
    assert "[" + "#" * 30 + "] 4/4 files" in stream.getvalue()
    bar.clear()
    assert stream.getvalue().endswith("\r\x1b[K")


def test_one_file_has_no_bar() -> None:
    stream = _Tty()
    bar = Progress(1, stream, enabled=True)
    bar.advance()
    assert stream.getvalue() == ""


def _run_with_tty_stderr(*args: str) -> tuple[int, str, str]:
    """Run the CLI with stderr on a pseudo-terminal; its stdout, and what the terminal got."""
    controller, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "checker", "check", "--as-of", "2026-06-01", *args],
        stdout=subprocess.PIPE,
        stderr=terminal,
        cwd=ROOT,
    )
    os.close(terminal)
    seen = b""
    while True:
        ready, _, _ = select.select([controller], [], [], 120)
        if not ready:
            break
        try:
            chunk = os.read(controller, 65536)
        except OSError:  # the terminal closed
            break
        if not chunk:
            break
        seen += chunk
    out, _ = proc.communicate(timeout=120)
    os.close(controller)
    return proc.returncode, out.decode("utf-8"), seen.decode("utf-8", "replace")


def test_cli_draws_a_bar_on_a_terminal_only() -> None:
    code, out, terminal = _run_with_tty_stderr("-j", "1", str(EXAMPLES))
    assert code == 1
    assert "files" in terminal and "#" in terminal
    assert "files" not in out and "\r" not in out
    code, _, quiet = _run_with_tty_stderr("-q", "-j", "1", str(EXAMPLES))
    assert code == 1 and "files" not in quiet
    piped = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker",
            "check",
            "--as-of",
            "2026-06-01",
            "-j",
            "1",
            str(EXAMPLES / "clean"),
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert piped.returncode == 0 and piped.stderr == ""
