"""Worker processes that check dossiers with their own engine session, read by the parent in
its main thread: the parent sends a worker a list of files (and standard input's bytes) and
receives their outcomes, a list at a time. Nothing but the parent's own reads waits on a
worker, so a worker killed in the middle of sending (^C, a signal, a crash) never leaves
anything waiting for the rest of its message."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import multiprocessing
import os
import pickle
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from typing import Any

from checker.engine.session import Session
from checker.run.evaluate import Context, Outcome, check_file, restored, slim
from checker.run.signals import child_signals, signals_held

Task = tuple[str, "bytes | None"]  # a file, and standard input's bytes when the file is "-"


def send(conn: Connection, value: Any) -> None:
    """Send a value to the other end of a pipe, pickled here (see `receive`)."""
    conn.send_bytes(pickle.dumps(value, pickle.HIGHEST_PROTOCOL))


def receive(conn: Connection) -> Any:
    """A value from the other end of a pipe (EOFError or OSError: the other end is gone).
    Sent and read as bytes: Connection.send and recv lend a buffer to the pickler, and ^C in the
    middle of a read leaves "Exception ignored ... BufferError" on standard error at exit."""
    return pickle.loads(conn.recv_bytes())


def fork_context() -> Any:
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else None)


def _serve(conn: Connection, ctx: Context, as_of: dt.date) -> None:
    """A worker: check the lists of dossiers the parent sends until it sends None."""
    child_signals()
    session = Session(ctx.pack.program)
    while True:
        try:
            tasks = receive(conn)
        except EOFError:
            break
        if tasks is None:
            break
        done: list[Outcome] = []
        for file, data in tasks:
            stdin = io.BytesIO(data) if data is not None else None
            done.append(slim(check_file(session, ctx, file, as_of, stdin)))
        send(conn, done)
    os._exit(0)


class Worker:
    """A worker process and the tasks it is on (`task`: their first index and the tasks)."""

    def __init__(self, ctx: Context, as_of: dt.date) -> None:
        mp = fork_context()
        self.conn, child = mp.Pipe()
        self.proc = mp.Process(target=_serve, args=(child, ctx, as_of), daemon=True)
        with signals_held():
            self.proc.start()
        child.close()
        self.task: tuple[int, Sequence[Task]] | None = None
        self.since = 0.0
        self._matrix = ctx.matrix

    def give(self, index: int, tasks: Sequence[Task]) -> None:
        send(self.conn, list(tasks))
        self.task = (index, tasks)
        self.since = time.monotonic()

    def take(self) -> tuple[int, list[Outcome]]:
        """The outcomes of the tasks given (EOFError or OSError: the worker is gone)."""
        assert self.task is not None
        done: list[Outcome] = receive(self.conn)
        index = self.task[0]
        self.task = None
        return index, [restored(o, self._matrix) for o in done]

    def stop(self, kill: bool = False) -> None:
        if self.proc.is_alive():
            if kill:
                self.proc.kill()
            else:
                with contextlib.suppress(OSError):
                    send(self.conn, None)
        self.proc.join(1.0)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join()
        self.conn.close()


__all__ = ["Task", "Worker", "fork_context", "receive", "send"]
