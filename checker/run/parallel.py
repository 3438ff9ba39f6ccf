"""Files to outcomes, in input order: in this process, or on several cores in worker processes
each with its own engine session. A worker is given the run's context once and maps files to
outcomes; nothing flows back but the outcomes, so the results and their order are those of one
process. With custom rules, the engine always runs in workers (checker.run.contain).

Workers never outlive the run: ^C, SIGTERM and SIGHUP in the parent stop them (the signals
become KeyboardInterrupt and Terminated there), and on Linux each worker is killed by the
kernel when its parent dies, however it dies. There are never more workers than cores, nor
than the batch needs (a worker per MIN_FILES_PER_JOB files)."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Generator, Iterator, Sequence
from typing import BinaryIO

from checker.base.errors import EngineError
from checker.base.i18n import message
from checker.engine.session import Session
from checker.load.discovery import STDIN
from checker.run.evaluate import Context, Outcome, check_file
from checker.run.resultcache import ResultCache
from checker.run.signals import raise_if_stopped, stopping_on_signals

# Below this many files per worker, starting the workers costs more than it saves.
MIN_FILES_PER_JOB = 4
MAX_CHUNK = 32


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
    files: Sequence[str],
    ctx: Context,
    as_of: dt.date,
    jobs: int = 1,
    stdin: BinaryIO | None = None,
    results: ResultCache | None = None,
) -> Iterator[Outcome]:
    """Each file's outcome, in input order ("-" reads ``stdin``, by default standard input). With
    jobs other than 1 the files are checked in worker processes (never when one of them is
    standard input, which only this process can read). With a result cache, a file whose
    outcome it holds is read from it, and only the others are checked (and stored)."""
    if results is None or not results.usable:
        yield from _checked(files, ctx, as_of, jobs, stdin)
        return
    probes: list[tuple[str, str] | None] = [None if f == STDIN else results.probe(f) for f in files]
    hit = [p is not None and results.has(p[0]) for p in probes]
    fresh = _checked([f for f, h in zip(files, hit, strict=True) if not h], ctx, as_of, jobs, stdin)
    try:
        for i, file in enumerate(files):
            probe, cached = probes[i], hit[i]
            probes[i] = None  # each file's key is let go of once it is used
            outcome = results.get(probe[0], file) if cached and probe is not None else None
            if outcome is None:
                # a miss; or an entry gone or broken since it was seen: checked here, alone
                outcome = next(fresh) if not cached else next(_checked([file], ctx, as_of, 1, stdin))
                if probe is not None and _same_bytes(results, file, probe, outcome):
                    results.put(probe[0], outcome)
            yield outcome
    finally:
        fresh.close()
        results.close()


def _same_bytes(results: ResultCache, file: str, probe: tuple[str, str], outcome: Outcome) -> bool:
    """Whether the outcome was checked from the bytes the file's key was made from."""
    if outcome.result is not None:
        return outcome.result.sha256 == probe[1]
    return results.probe(file) == probe  # input errors carry no digest: read the file again


def _checked(
    files: Sequence[str], ctx: Context, as_of: dt.date, jobs: int, stdin: BinaryIO | None
) -> Generator[Outcome, None, None]:
    """Each file's outcome, checked (see `outcomes`)."""
    if ctx.custom:
        with stopping_on_signals():
            from checker.run.contain import contained_outcomes  # multiprocessing: only when needed

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


def _in_workers(files: Sequence[str], ctx: Context, as_of: dt.date, n: int) -> Iterator[Outcome]:
    from multiprocessing.connection import wait

    from checker.model import validator
    from checker.run.workers import Worker

    validator.codec()  # the dossier validator is built once, before the workers are forked
    ctx.matrix  # noqa: B018 - built once, before the workers are forked
    Session(ctx.pack.program).close()  # an engine that cannot take the rules fails here, once
    size = max(1, min(MAX_CHUNK, len(files) // (n * 8)))
    chunks = [[(f, None) for f in files[i : i + size]] for i in range(0, len(files), size)]
    done: dict[int, list[Outcome]] = {}
    given = 0
    workers: list[Worker] = []
    try:
        workers.extend(Worker(ctx, as_of) for _ in range(n))
        for nxt in range(len(chunks)):
            while nxt not in done:
                for w in workers:
                    if w.task is None and given < len(chunks):
                        w.give(given, chunks[given])
                        given += 1
                busy = {w.conn: w for w in workers if w.task is not None}
                for ready in wait(list(busy)):
                    try:
                        index, outcomes_ = busy[ready].take()
                    except (EOFError, OSError):
                        raise EngineError(message("engine_worker_stopped")) from None
                    done[index] = outcomes_
                raise_if_stopped()
            yield from done.pop(nxt)
        raise_if_stopped()
    finally:  # however the run ends (^C, a signal, a closed pipe), the workers end with it
        for w in workers:
            w.stop(kill=True)


__all__ = ["default_jobs", "effective_jobs", "outcomes"]
