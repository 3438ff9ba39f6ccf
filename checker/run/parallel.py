"""Files to outcomes, in input order: in this process, or on several cores in worker processes
each with its own engine session. A worker is given the run's context once and maps files to
outcomes; nothing flows back but the outcomes, so the results and their order are those of one
process. With custom rules, the engine always runs in workers (checker.run.contain).

Workers never outlive the run: ^C, SIGTERM and SIGHUP in the parent stop them (the signals
become KeyboardInterrupt and Terminated there), and on Linux each worker is killed by the
kernel when its parent dies, however it dies. There are never more workers than cores, nor
than the batch needs (a worker per MIN_FILES_PER_JOB files)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
from collections.abc import Iterator, Sequence
from typing import Any, BinaryIO

from checker.base.errors import EngineError
from checker.base.i18n import message
from checker.engine.session import Session
from checker.load.discovery import STDIN
from checker.run.contain import contained_outcomes
from checker.run.evaluate import Context, Outcome, check_file
from checker.run.signals import (
    child_signals,
    interrupted,
    raise_if_stopped,
    signals_held,
    stopping_on_signals,
)

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
    """How many processes to use: jobs (0: one per core), never more than the cores, and fewer
    for a small batch."""
    cores = default_jobs()
    wanted = cores if jobs <= 0 else min(jobs, cores)
    return max(1, min(wanted, files // MIN_FILES_PER_JOB))


def outcomes(
    files: Sequence[str], ctx: Context, as_of: dt.date, jobs: int = 1, stdin: BinaryIO | None = None
) -> Iterator[Outcome]:
    """Each file's outcome, in input order ("-" reads ``stdin``, by default standard input). With
    jobs other than 1 the files are checked in worker processes (never when one of them is
    standard input, which only this process can read)."""
    if ctx.custom:
        with stopping_on_signals():
            yield from contained_outcomes(files, ctx, as_of, effective_jobs(jobs, len(files)), stdin)
        return
    n = 1 if STDIN in files else effective_jobs(jobs, len(files))
    if n == 1:
        with Session(ctx.pack.program) as session:
            for file in files:
                yield check_file(session, ctx, file, as_of, stdin)
        return
    with stopping_on_signals():
        yield from _in_workers(files, ctx, as_of, n)


def _start_worker(ctx: Context, as_of: dt.date) -> None:
    global _worker
    child_signals()  # the parent handles ^C and stops the workers; they die with it
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
            with signals_held():  # the workers are forked here
                results = pool.map(_check_in_worker, files, chunksize=chunk)
            for outcome in results:
                raise_if_stopped()
                yield outcome
            raise_if_stopped()
        except BrokenProcessPool:
            raise EngineError(message("engine_worker_stopped")) from None
        except GeneratorExit:  # the caller closed the run: on its way out of ^C or a signal the
            if interrupted():  # workers are stopped; for a closed pipe they finish what they
                _kill(pool)  # are on, so that no result is cut off in the pipe the pool reads
            raise
        except BaseException:  # stopped (^C, a signal): so are they
            _kill(pool)
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


def _kill(pool: Any) -> None:
    """Kill a pool's worker processes now, rather than wait for what they are on."""
    for proc in list(getattr(pool, "_processes", {}).values()):
        with contextlib.suppress(OSError, AttributeError):
            proc.kill()


__all__ = ["default_jobs", "effective_jobs", "outcomes"]
