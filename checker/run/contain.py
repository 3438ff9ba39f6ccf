"""The engine in child processes, for a run with custom rules: whatever a custom pack makes the
engine's C code do (crash, spin), the run goes on and says which rule did it.

- Before any dossier, the pack's rulesets are built once in a child (`probe`): a rule the engine
  refuses is a rule error at its file, line and column; a build that crashes or does not end in
  MAX_BUILD_SECONDS is a rule error naming the rule found to cause it.
- Dossiers are checked by long-lived workers (`contained_outcomes`), each with its own engine
  session, one dossier at a time, so the parent always knows which dossier a worker was on. A
  worker that dies gives that dossier an error naming the rule (found by checking it again with
  halves of the custom rules), and a fresh worker takes the next dossier; one that is still on a
  dossier after MAX_CHECK_SECONDS is stopped the same way.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from multiprocessing.connection import Connection, wait
from typing import Any, BinaryIO

from checker.base import limits
from checker.base.errors import CheckerError, EngineError, InputError, Problem, RuleError
from checker.base.i18n import Message, message
from checker.base.textutil import STDIN_NAME
from checker.engine.program import Program
from checker.engine.session import Session
from checker.load.discovery import STDIN
from checker.load.files import read_stream
from checker.run.evaluate import Context, Outcome, check_file
from checker.run.signals import child_signals, raise_if_stopped, signals_held
from checker.run.workers import Worker, fork_context, receive, send

_MAX_NAMED = 5  # rules named when the one at fault is not found


def _child(conn: Connection, fn: Callable[..., Any], args: tuple[Any, ...]) -> None:
    child_signals()
    try:
        send(conn, ("ok", fn(*args)))
    except CheckerError as exc:
        send(conn, ("error", exc))
    conn.close()
    os._exit(0)


def in_child(fn: Callable[..., Any], args: tuple[Any, ...], timeout: float) -> tuple[str, Any]:
    """fn(*args) in a forked child: ("ok", value), ("error", CheckerError), ("signal", n),
    ("exit", code) or ("slow", seconds)."""
    mp = fork_context()
    receiving, sending = mp.Pipe(duplex=False)
    proc = mp.Process(target=_child, args=(sending, fn, args), daemon=True)
    with signals_held():
        proc.start()
    sending.close()
    try:
        if not receiving.poll(timeout):
            return "slow", timeout
        try:
            kind, value = receive(receiving)
            return kind, value
        except EOFError:
            proc.join()
            code = proc.exitcode or 0
            return ("signal", -code) if code < 0 else ("exit", code)
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receiving.close()


def _without(program: Program, dropped: set[str]) -> Program:
    """The program without the engine rules of the dropped source rules."""
    rules = {n: r for n, r in program.rules.items() if _source(program, n) not in dropped}
    return replace(program, rules=rules)


def _source(program: Program, name: str) -> str:
    origin = program.origins.get(name)
    return origin.rule if origin is not None else name


def _where(ctx: Context, rule: str) -> str:
    lr = ctx.pack.rules[rule]
    return f"{lr.file}:{lr.line}"


def _culprit(ctx: Context, fails: Callable[[Program], bool]) -> Message:
    """The custom rule found to make `fails` hold, by halves (or the rules it is among)."""
    suspects = [r for r in ctx.custom if r in ctx.pack.rules]
    program = ctx.pack.program
    while len(suspects) > 1:
        half = suspects[: len(suspects) // 2]
        rest = suspects[len(half) :]
        if fails(_without(program, set(rest))):
            suspects = half
        elif fails(_without(program, set(half))):
            suspects = rest
        else:
            break
    if len(suspects) == 1:
        return message("engine_culprit_rule", rule=suspects[0], where=_where(ctx, suspects[0]))
    named = ", ".join(suspects[:_MAX_NAMED]) + (", ..." if len(suspects) > _MAX_NAMED else "")
    return message("engine_culprit_rules", rules=named)


# ------------------------------------------------------------------ building the rulesets


def _build(program: Program, custom: Sequence[str]) -> tuple[str, Message] | None:
    """In the child: build every ruleset; on a refusal, the custom rule the engine refuses (on
    its own, or else the first one with which the rules before it are refused; "" when none is)
    and what the engine said."""
    try:
        Session(program).close()
        return None
    except EngineError as exc:
        said = exc.said

    def refused(rules: Sequence[str], keep_others: bool) -> Message | None:
        kept = set(rules)
        names = [
            n
            for n in program.rules
            if (_source(program, n) in kept) or (keep_others and _source(program, n) not in custom)
        ]
        try:
            Session(replace(program, rules={n: program.rules[n] for n in names})).close()
        except EngineError as exc:
            return exc.said
        return None

    for rule in custom:
        alone = refused([rule], keep_others=False)
        if alone is not None:
            return rule, alone
    low, high = 0, len(custom)  # the smallest prefix of the custom rules that is refused
    if not custom or refused(custom, keep_others=True) is None:
        return "", said
    while low + 1 < high:
        middle = (low + high) // 2
        if refused(custom[:middle], keep_others=True) is None:
            low = middle
        else:
            high = middle
    return custom[high - 1], refused(custom[:high], keep_others=True) or said


def _rule_problem(ctx: Context, rule: str, said: Message) -> Problem:
    lr = ctx.pack.rules[rule]
    return Problem(lr.file, lr.line, lr.column, said)


def probe(ctx: Context) -> None:
    """Build the pack's rulesets once in a child; a refusal, a crash or a build that does not end
    is a RuleError naming the rule."""
    custom = [r for r in ctx.custom if r in ctx.pack.rules]
    seconds = limits.MAX_BUILD_SECONDS
    kind, value = in_child(_build, (ctx.pack.program, custom), seconds)
    if kind == "ok" and value is None:
        return
    if kind == "ok":
        rule, detail = value
        said = message("engine_build_refused", rule=rule or "?", detail=detail)
        if rule:
            raise RuleError(said, [_rule_problem(ctx, rule, said)])
        raise EngineError(said)
    if kind == "error":
        raise value

    def fails(program: Program) -> bool:
        return in_child(_build, (program, ()), seconds)[0] != "ok"

    culprit = _culprit(ctx, fails)
    if kind == "slow":
        said = message("engine_build_slow", seconds=int(seconds), culprit=culprit)
    else:
        said = message("engine_build_crashed", signal=value, culprit=culprit)
    suspect = next((r for r in custom if f"'{r}'" in culprit.text()), None)
    raise RuleError(said, [_rule_problem(ctx, suspect, said)] if suspect else [])


# ------------------------------------------------------------------ checking dossiers


def _stdin_data(stdin: BinaryIO | None, ctx: Context) -> bytes:
    return read_stream(stdin or sys.stdin.buffer, STDIN_NAME, ctx.limits.max_file_bytes)


def _check_one(ctx: Context, program: Program, file: str, data: bytes | None, as_of: dt.date) -> str:
    """In a child: check one dossier with the program; only whether it ends matters."""
    with Session(program) as session:
        stdin = io.BytesIO(data) if data is not None else None
        if file == STDIN:
            check_file(session, ctx, file, as_of, stdin)
        else:
            check_file(session, ctx, file, as_of)
    return "done"


def _lost(
    ctx: Context,
    as_of: dt.date,
    task: tuple[str, bytes | None],
    said: Callable[[Message], Message],
    search: bool = True,
) -> Outcome:
    """The outcome of a dossier whose worker died or hung: an error naming the rule at fault
    (searched for by checking the dossier again with halves of the custom rules, each bounded
    in time, unless `search` is False)."""
    file, data = task
    name = STDIN_NAME if file == STDIN else file

    def fails(program: Program) -> bool:
        if not search:
            return False
        kind, _ = in_child(_check_one, (ctx, program, file, data, as_of), limits.MAX_SEARCH_SECONDS)
        return kind not in ("ok", "error")

    return Outcome(name, None, (Problem(name, 1, 1, said(_culprit(ctx, fails))),))


def contained_outcomes(
    files: Sequence[str], ctx: Context, as_of: dt.date, n: int, stdin: BinaryIO | None = None
) -> Iterator[Outcome]:
    """Each file's outcome, in input order, checked by n workers in child processes."""
    probe(ctx)
    data: dict[int, bytes] = {}
    results: dict[int, Outcome] = {}
    for i, file in enumerate(files):
        if file == STDIN:
            try:
                data[i] = _stdin_data(stdin, ctx)
            except InputError as exc:
                results[i] = Outcome(STDIN_NAME, None, tuple(exc.problems or [Problem("", 1, 1, exc.said)]))
    todo = [i for i in range(len(files)) if i not in results]
    workers = [Worker(ctx, as_of) for _ in range(max(1, min(n, len(todo))))]
    pos = 0
    try:
        for nxt in range(len(files)):
            while nxt not in results:
                for k, w in enumerate(workers):
                    if w.task is None and pos < len(todo):
                        i = todo[pos]
                        pos += 1
                        try:
                            w.give(i, [(files[i], data.get(i))])
                        except OSError:  # died between two dossiers: a fresh one takes it
                            w.stop(kill=True)
                            workers[k] = Worker(ctx, as_of)
                            workers[k].give(i, [(files[i], data.get(i))])
                _collect(workers, results, ctx, as_of)
                raise_if_stopped()
            yield results.pop(nxt)
    finally:
        for w in workers:
            w.stop(kill=True)


def _collect(workers: list[Worker], results: dict[int, Outcome], ctx: Context, as_of: dt.date) -> None:
    """Wait (a second at most) for the busy workers; record what they give, and replace a worker
    that died or is past the time bound."""
    busy = {w.conn: w for w in workers if w.task is not None}
    for ready in wait(list(busy), timeout=1.0):
        w = busy[ready]  # wait() gives back the connections it was given
        assert w.task is not None
        index, [(file, data)] = w.task
        try:
            results[index] = w.take()[1][0]
            continue
        except (EOFError, OSError):
            w.proc.join(1.0)
            code = w.proc.exitcode
        signum = -code if code is not None and code < 0 else None

        def said(culprit: Message, signum: int | None = signum, code: int | None = code) -> Message:
            if signum is not None:
                return message("engine_crashed", signal=signum, culprit=culprit)
            return message("engine_worker_lost", code=code if code is not None else "?")

        _replace(workers, w, ctx, as_of)
        results[index] = _lost(ctx, as_of, (file, data), said)
    now = time.monotonic()
    for w in list(workers):
        if w.task is not None and now - w.since > limits.MAX_CHECK_SECONDS:
            index, [(file, data)] = w.task
            _replace(workers, w, ctx, as_of)
            results[index] = _lost(
                ctx,
                as_of,
                (file, data),
                _slow,
                search=False,
            )


def _slow(culprit: Message) -> Message:
    return message("engine_slow", seconds=int(limits.MAX_CHECK_SECONDS), culprit=culprit)


def _replace(workers: list[Worker], w: Worker, ctx: Context, as_of: dt.date) -> None:
    w.stop(kill=True)
    workers[workers.index(w)] = Worker(ctx, as_of)


__all__ = ["contained_outcomes", "fork_context", "in_child", "probe"]
