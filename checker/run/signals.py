"""Signals and worker processes: however a run ends, its workers end with it.

While workers run, SIGTERM and SIGHUP raise Terminated in the parent (the command exits 128 + the
signal's number, checker.cli.app), so that the workers are stopped on the way out; ^C is the
parent's alone; a worker dies with its parent (Linux) even when the parent is killed outright."""

from __future__ import annotations

import contextlib
import ctypes
import faulthandler
import signal
import sys
import threading
from collections.abc import Iterator
from types import FrameType
from typing import Any

from checker.base.errors import Terminated

_PR_SET_PDEATHSIG = 1
_HELD = {signal.SIGTERM, signal.SIGHUP}


def child_signals() -> None:
    """In a worker: ^C is the parent's to handle, SIGTERM and SIGHUP end it at once, it ends with
    its parent (Linux), whatever way the parent ends, and a crash in it prints nothing (the
    parent says what happened)."""
    faulthandler.disable()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, signal.SIG_DFL)
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


_stopped: list[int] = []  # the signals received while workers ran


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    _stopped.append(signum)
    raise Terminated(signum)


def raise_if_stopped() -> None:
    """Raise Terminated for a signal whose exception was lost: a handler's exception raised while
    Python runs code that ignores exceptions (after a fork, in a finaliser) is dropped."""
    if _stopped:
        raise Terminated(_stopped[0])


@contextlib.contextmanager
def stopping_on_signals() -> Iterator[None]:
    """While workers run: SIGTERM and SIGHUP raise Terminated in this process, so that the
    workers are stopped on the way out (only the main thread can set handlers; elsewhere the
    signals keep theirs)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    _stopped.clear()
    kept = {s: signal.signal(s, _raise_terminated) for s in (signal.SIGTERM, signal.SIGHUP)}
    hook = sys.unraisablehook
    ours = sys.unraisablehook = _unraisable_unless_stopped(hook)
    try:
        yield
    finally:
        if sys.unraisablehook is ours:
            sys.unraisablehook = hook
        for signum, handler in kept.items():
            signal.signal(signum, handler)


def _unraisable_unless_stopped(hook: Any) -> Any:
    """Python's hook for an exception it drops (one raised in a finaliser), quiet about
    Terminated: a signal that arrives while a finaliser runs is not lost (`raise_if_stopped`
    raises it again), and must not print "Exception ignored" and a traceback."""

    def unraisable(info: Any) -> None:
        if not isinstance(info.exc_value, Terminated):
            hook(info)

    return unraisable


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """SIGTERM and SIGHUP held back while processes are forked (and delivered right after):
    Python drops an exception raised by a handler in the code that runs around a fork."""
    held = hasattr(signal, "pthread_sigmask")
    if held:
        signal.pthread_sigmask(signal.SIG_BLOCK, _HELD)
    try:
        yield
    finally:
        if held:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _HELD)


__all__ = ["child_signals", "raise_if_stopped", "signals_held", "stopping_on_signals"]
