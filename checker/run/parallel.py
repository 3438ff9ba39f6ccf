"""Files to outcomes, in input order: in this process, or on several cores in worker processes
each with its own engine session. A worker is given the run's context once and maps files to
outcomes; nothing flows back but the outcomes, so the results and their order are those of one
process."""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Iterator, Sequence
from typing import BinaryIO

from checker.base.errors import EngineError
from checker.engine.session import Session
from checker.load.discovery import STDIN
from checker.run.evaluate import Context, Outcome, check_file

# Below this many files per worker, starting the workers costs more than it saves.
MIN_FILES_PER_JOB = 4
MAX_CHUNK = 32

_worker: tuple[Session, Context, dt.date] | None = None


def default_jobs() -> int:
    """The number of cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not on Linux
        return max(1, os.cpu_count() or 1)


def effective_jobs(jobs: int, files: int) -> int:
    """How many processes to use: jobs (0: one per core), fewer for a small batch."""
    wanted = default_jobs() if jobs <= 0 else jobs
    return max(1, min(wanted, files // MIN_FILES_PER_JOB))


def outcomes(
    files: Sequence[str], ctx: Context, as_of: dt.date, jobs: int = 1, stdin: BinaryIO | None = None
) -> Iterator[Outcome]:
    """Each file's outcome, in input order ("-" reads ``stdin``, by default standard input). With
    jobs other than 1 the files are checked in worker processes (never when one of them is
    standard input, which only this process can read)."""
    n = 1 if STDIN in files else effective_jobs(jobs, len(files))
    if n == 1:
        with Session(ctx.pack.program) as session:
            for file in files:
                yield check_file(session, ctx, file, as_of, stdin)
        return
    yield from _in_workers(files, ctx, as_of, n)


def _start_worker(ctx: Context, as_of: dt.date) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and stops the workers
    _worker = (Session(ctx.pack.program), ctx, as_of)


def _check_in_worker(file: str) -> Outcome:
    assert _worker is not None, "worker not started"
    session, ctx, as_of = _worker
    return check_file(session, ctx, file, as_of)


def _in_workers(files: Sequence[str], ctx: Context, as_of: dt.date, n: int) -> Iterator[Outcome]:
    import multiprocessing  # not imported for a single file
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from checker.model import validator

    validator.codec()  # the dossier validator is built once, before the workers are forked
    ctx.matrix  # noqa: B018 - built once, before the workers are forked
    Session(ctx.pack.program).close()  # an engine that cannot take the rules fails here, once
    chunk = max(1, min(MAX_CHUNK, len(files) // (n * 8)))
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(n, mp_context=context, initializer=_start_worker, initargs=(ctx, as_of)) as pool:
        try:
            yield from pool.map(_check_in_worker, files, chunksize=chunk)
        except BrokenProcessPool:
            raise EngineError(
                "a worker process stopped unexpectedly while checking; run with --jobs 1 to find the file"
            ) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["default_jobs", "effective_jobs", "outcomes"]
