"""A custom pack's test cases (`cgt-check rules test DIR`) run in a child process, as `check`
runs a custom pack: a case on which the engine's C code crashes or spins is a failed case that
says so, and the cases after it still run.

One long-lived child checks the cases in order and sends each result back as it is done, so the
parent always knows which case it was on; a child that dies or is still on one case after
MAX_CHECK_SECONDS (plus the ruleset build for its first) is stopped, that case fails, and a
fresh child goes on from the next one.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Any

from checker.base import limits
from checker.base.i18n import Message, message
from checker.run.signals import child_signals, raise_if_stopped, signals_held
from checker.run.workers import fork_context, receive, send

# One case: (the function that runs it with a checker, its file, line and name).
Job = tuple[Callable[[Any], Any], str, int, str]


def _serve(conn: Connection, make_checker: Callable[[], Any], jobs: Sequence[Job], start: int) -> None:
    child_signals()
    with make_checker() as checker:
        for run, *_ in jobs[start:]:
            send(conn, run(checker))
    conn.close()
    os._exit(0)


def contained_results(
    make_checker: Callable[[], Any],
    jobs: Sequence[Job],
    failed: Callable[[str, int, str, Message], Any],
) -> list[Any]:
    """Each job's result, run in child processes; a job on which the child died or hung gives
    failed(file, line, name, why) instead."""
    results: list[Any] = []
    mp = fork_context()
    while len(results) < len(jobs):
        receiving, sending = mp.Pipe(duplex=False)
        proc = mp.Process(target=_serve, args=(sending, make_checker, jobs, len(results)), daemon=True)
        with signals_held():
            proc.start()
        sending.close()
        seconds = limits.MAX_BUILD_SECONDS + limits.MAX_CHECK_SECONDS
        try:
            while len(results) < len(jobs):
                if not receiving.poll(seconds):
                    why = message("case_engine_slow", seconds=int(limits.MAX_CHECK_SECONDS))
                    break
                try:
                    results.append(receive(receiving))
                except EOFError:
                    proc.join()
                    code = proc.exitcode or 0
                    why = (
                        message("case_engine_crashed", signal=-code)
                        if code < 0
                        else message("engine_worker_lost", code=code)
                    )
                    break
                seconds = limits.MAX_CHECK_SECONDS
            else:
                break
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join()
            receiving.close()
        raise_if_stopped()
        _, file, line, name = jobs[len(results)]
        results.append(failed(file, line, name, why))
    return results


__all__ = ["Job", "contained_results"]
