"""Check many dossiers on several cores: worker processes, each with its own engine session,
results handed back in input order (so the findings and their order are those of one process).
Each worker checks with the same pack, shared justifications and baseline as the parent's
checker; the parent records which shared justifications the workers used and replays the
baseline's bookkeeping on each result, so it ends as if it had checked every file itself."""

from __future__ import annotations

import datetime as dt
import os
import signal
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING

from checker.base.errors import CheckerError, EngineError
from checker.base.limits import Limits
from checker.report.result import DossierResult
from checker.rulepack.pack import RulePack
from checker.run import justify
from checker.run.api import Checker, check_file

if TYPE_CHECKING:
    from checker.run.baseline import Baseline

# Below this many files per worker, starting the workers costs more than it saves.
MIN_FILES_PER_JOB = 4
MAX_CHUNK = 32

_worker: tuple[Checker, dt.date, Limits] | None = None


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


def _start_worker(
    pack: RulePack,
    justifications: list[justify.LocatedJustification],
    use_justifications: bool,
    baseline: Baseline | None,
    known_rules: dict[str, str],
    as_of: dt.date,
    limits: Limits,
) -> None:
    global _worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles ^C and stops the workers
    _worker = (Checker(pack, justifications, use_justifications, baseline, known_rules), as_of, limits)


def _check_in_worker(file: str) -> tuple[DossierResult | CheckerError, frozenset[int], frozenset[int]]:
    assert _worker is not None, "worker not started"
    checker, as_of, limits = _worker
    item = check_file(checker, file, as_of, limits)
    return item, frozenset(checker.used_justifications), frozenset(checker.applied_justifications)


def iter_results_parallel(
    files: Sequence[str], checker: Checker, as_of: dt.date, jobs: int = 0, limits: Limits | None = None
) -> Iterator[DossierResult | CheckerError]:
    """Check files with checker's pack, justifications and baseline in worker processes: the
    items of check.iter_results, in the same order; the checker's state is updated as they come."""
    limits = limits or Limits()
    n = effective_jobs(jobs, len(files))
    if n == 1:
        for file in files:
            yield check_file(checker, file, as_of, limits)
        return
    import multiprocessing  # not imported for a single file
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    from checker.model import validator

    validator.codec()  # the dossier validator is built once, before the workers are forked
    chunk = max(1, min(MAX_CHUNK, len(files) // (n * 8)))
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("fork" if "fork" in methods else None)
    with ProcessPoolExecutor(
        n,
        mp_context=context,
        initializer=_start_worker,
        initargs=(
            checker.pack,
            checker.justifications,
            checker.use_justifications,
            checker.baseline,
            checker._known_rules,  # every rule a justification may name, selected or not
            as_of,
            limits,
        ),
    ) as pool:
        try:
            for item, used, applied in pool.map(_check_in_worker, files, chunksize=chunk):
                checker.used_justifications.update(used)
                checker.applied_justifications.update(applied)
                if checker.baseline is not None and isinstance(item, DossierResult):
                    checker.baseline.mark(item.findings)  # the same bookkeeping as in one process
                yield item
        except BrokenProcessPool:
            raise EngineError(
                "a worker process stopped unexpectedly while checking; run with --jobs 1 to find the file"
            ) from None
        finally:
            pool.shutdown(wait=True, cancel_futures=True)


__all__ = ["default_jobs", "effective_jobs", "iter_results_parallel"]
