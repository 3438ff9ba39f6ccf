"""Loading durable-rules' C extension: lazily bound where the platform allows it (so that it
imports on Python 3.13 as pip builds it), and a failure that says how to rebuild it."""

from __future__ import annotations

import shlex
import subprocess
import sys
import textwrap
from types import ModuleType

import pytest

import checker.engine.session as session_module
from checker.base.errors import EngineError
from checker.engine.program import EngineFact, Program
from checker.engine.session import Session, native, rebuild_command


def test_the_extension_imports_and_runs_a_batch() -> None:
    module = native()
    assert module.__name__ == "durable_rules_engine" and native() is module
    rules = {"r": {"all": [{"m": {"$and": [{"$ex": {"a.key": 1}}, {"a.n": 2}]}}]}}
    with Session(Program(rules, ("a", "ctx"), 0)) as s:
        fired = s.evaluate([EngineFact("a", {"key": 1, "n": 2}), EngineFact("a", {"key": 2, "n": 3})], 0)
    assert [(f.rule, f.bindings) for f in fired] == [("r", (("m", 0),))]


@pytest.mark.skipif(not hasattr(sys, "setdlopenflags"), reason="the platform has no dlopen flags")
def test_the_extension_is_bound_lazily_and_the_flags_are_restored() -> None:
    # In a fresh interpreter: the extension is not imported yet there.
    code = """
        import importlib, os, sys
        import checker.engine.session as s
        before = sys.getdlopenflags()
        seen = []
        real = importlib.import_module
        def spy(name):
            seen.append(sys.getdlopenflags())
            return real(name)
        importlib.import_module = spy
        s.native()
        print(before == sys.getdlopenflags(), bool(seen[0] & os.RTLD_LAZY), not seen[0] & os.RTLD_NOW)
    """
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=60
    )
    assert proc.stdout.split() == ["True", "True", "True"], proc.stderr[-2000:]


def test_a_failed_import_names_the_rebuild_command(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(name: str) -> ModuleType:
        raise ImportError(f"{name}.so: undefined symbol: PyEval_CallObject")

    flags = sys.getdlopenflags() if hasattr(sys, "getdlopenflags") else None
    monkeypatch.setattr(session_module, "_native_module", None)
    monkeypatch.setattr(session_module.importlib, "import_module", fail)
    with pytest.raises(EngineError) as caught:
        native()
    message = caught.value.message
    assert "undefined symbol: PyEval_CallObject" in message
    assert rebuild_command(shlex.quote(sys.executable)) in message
    assert (
        'CPPFLAGS="-DPyEval_CallObject=PyObject_CallObject" ' in message
        and " -m pip install --no-cache-dir --force-reinstall --no-binary durable-rules durable-rules==2.0.28"
        in message
    )
    if flags is not None:
        assert sys.getdlopenflags() == flags  # restored after the failure too
