"""Property-based tests: generated dossiers (valid and mutated) and generated custom rules, checked
by the real rule engine in a separate process (a crash there fails the test, not the run).

Invariants: no traceback; the outcome is a check (exit 0/1) or located input errors (exit 2);
every location exists in the file; checking is deterministic, and a dossier checked alone gives
the same findings as in a batch; a generated rule pack loads, or is refused with errors naming
its rule file and a line in it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import re
import select
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from checker.engine import facts as F
from checker.load.yamlio import load_yaml
from tests.fuzz import ENUMS, get, nodes
from tests.hostile import HANG_SECONDS, ROOT, run_cli

CLEAN = sorted((ROOT / "examples" / "dossiers" / "clean").glob("*.yaml"))
GAPS = sorted((ROOT / "examples" / "dossiers" / "gaps").glob("*.yaml"))
BASES = [load_yaml(p.read_bytes(), p.name).data for p in CLEAN]
NAME = "generated.yaml"
IDENTITY = {"schema_version", "product", "name", "modality", "id"}
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")

SETTINGS = settings(
    max_examples=120,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


# --------------------------------------------------------------------------- the worker


class EngineWorker:
    """tests/engine_worker.py in a subprocess; restarted after it dies."""

    def __init__(self) -> None:
        self._proc: subprocess.Popen[str] | None = None
        self._stderr = tempfile.TemporaryFile(mode="w+")  # noqa: SIM115 - closed in close()

    def _start(self) -> subprocess.Popen[str]:
        if self._proc is None or self._proc.poll() is not None:
            self._stderr.seek(0)
            self._stderr.truncate()
            self._proc = subprocess.Popen(
                [sys.executable, "-m", "tests.engine_worker"],
                cwd=ROOT,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=self._stderr,
                text=True,
                encoding="utf-8",
            )
        return self._proc

    def ask(self, request: dict[str, Any]) -> dict[str, Any]:
        proc = self._start()
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write(json.dumps(request) + "\n")
        proc.stdin.flush()
        ready, _, _ = select.select([proc.stdout], [], [], HANG_SECONDS)
        line = proc.stdout.readline() if ready else ""
        if not line:
            if not ready:
                proc.kill()
            code = proc.wait()
            proc.stdin.close()
            proc.stdout.close()
            self._stderr.seek(0)
            detail = self._stderr.read()[-3000:]
            raise AssertionError(f"engine worker died (exit {code}; a negative exit is a signal):\n{detail}")
        reply: dict[str, Any] = json.loads(line)
        assert reply["status"] != "crash", reply.get("traceback")
        return reply

    def close(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            assert self._proc.stdin is not None
            self._proc.stdin.close()
            self._proc.wait(timeout=HANG_SECONDS)
        if self._proc is not None and self._proc.stdout is not None:
            self._proc.stdout.close()
        self._stderr.close()


@pytest.fixture(scope="module")
def worker() -> Iterator[EngineWorker]:
    w = EngineWorker()
    yield w
    w.close()


# ------------------------------------------------------------------------- strategies

# Text with what is special to YAML, to the engine's JSON and to messages.
_ALPHABET = st.one_of(
    st.characters(codec="utf-8", exclude_categories=["Cs"]),
    st.sampled_from(list("\"\\{}[]$:#&*!|>%@`,'\t\n\r\x00\x07\u2028中文引号")),
)
_SHORT_TEXT = st.text(_ALPHABET, max_size=40)
_LONG_TEXT = st.builds(lambda s, n: s * n, st.text(_ALPHABET, min_size=1, max_size=4), st.integers(1, 70_000))
_DATES = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))
# Numbers the engine's parser misread or crashed on when written with an exponent.
_EDGE_NUMBERS = [1e-5, 1.5e-5, 1e-300, 5e-324, 1e15, 1e16, 1e20, 1e300, 2**63, 10**30]
_NUMBERS = st.one_of(
    st.sampled_from(_EDGE_NUMBERS), st.integers(-10, 10**6), st.floats(allow_nan=False, allow_infinity=False)
)


def _like(value: Any, key: Any, valid: bool) -> st.SearchStrategy[Any]:
    """A new value where ``value`` was: of the same kind when ``valid``, else sometimes anything."""
    if isinstance(key, str) and key in ENUMS and isinstance(value, str):
        same: st.SearchStrategy[Any] = st.sampled_from(ENUMS[key])
    elif isinstance(value, bool):
        same = st.booleans()
    elif isinstance(value, (dt.date, str)) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value)):
        same = _DATES
    elif isinstance(value, (int, float)):
        same = st.one_of(st.floats(min_value=1e-300, max_value=1e15), st.sampled_from(_EDGE_NUMBERS))
        same = same if valid else st.one_of(same, _NUMBERS)
    elif isinstance(value, str):
        same = st.one_of(_SHORT_TEXT, _LONG_TEXT)
        if valid:
            same = same.filter(lambda t: 0 < len(t) <= 65_535)
    else:
        same = st.one_of(st.none(), st.just([])) if valid else st.one_of(st.none(), st.just([]), st.just({}))
    if valid:
        return same
    anything = st.one_of(
        st.none(), st.booleans(), _NUMBERS, _SHORT_TEXT, _DATES, st.lists(_SHORT_TEXT, max_size=3)
    )
    return st.one_of(same, same, same, anything)


@st.composite
def dossiers(draw: st.DrawFn, valid: bool = False) -> dict[str, Any]:
    """A clean example with a few edits: values changed, keys deleted, list items repeated (an
    item without an id identically; with ``valid``, an item with an id under a new id)."""
    data: dict[str, Any] = copy.deepcopy(draw(st.sampled_from(BASES)))
    for n in range(draw(st.integers(0, 8))):
        path = draw(st.sampled_from([p for p in nodes(data) if p]))
        parent = get(data, path[:-1])
        key = path[-1]
        action = draw(st.sampled_from(["change", "change", "delete", "repeat"]))
        if action == "delete" and key not in IDENTITY:
            del parent[key]
        elif action == "repeat" and isinstance(parent, list):
            item = copy.deepcopy(parent[key])
            if valid and isinstance(item, dict) and "id" in item:
                item["id"] = f"{item['id']}-copy{n}"
            parent.append(item)
        elif key not in IDENTITY or not valid:
            parent[key] = draw(_like(parent[key], key, valid))
    return data


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


_SNIPPETS = st.sampled_from(
    [
        "\t", "  ", "\n", ": ", "- ", '"', "'", "&a ", "*a", "!!python/object:os.system ", "!x ",
        "<<: ", "---\n", "...\n", "? ", "{", "[", "}", "]", "#", "|", ">", "%YAML 1.1\n", "\x00",
        "\ufeff", "no", "1e3", "0o17", "12:30", "2024-13-45", "~", "null", ".nan", "中",
        "product:\n", "schema_version: 1\n", "name: x\n",
    ]
)  # fmt: skip


@st.composite
def mutated_texts(draw: st.DrawFn) -> str:
    """A dossier's YAML text with a few edits to the characters: anything may break."""
    text = _dump(draw(dossiers()))
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, len(text)))
        edit = draw(st.sampled_from(["insert", "delete", "line"]))
        if edit == "insert":
            text = text[:at] + draw(st.one_of(_SNIPPETS, _SHORT_TEXT)) + text[at:]
        elif edit == "delete":
            text = text[:at] + text[at + draw(st.integers(1, 80)) :]
        else:
            lines = text.splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                lines.insert(draw(st.integers(0, len(lines))), lines[i])
                text = "".join(lines)
    if draw(st.booleans()):
        text = text.rstrip("\n")  # no final line break: errors at the very end stay in the file
    return text


# --------------------------------------------------------------------------- invariants


def _exists(text: str, line: int, column: int) -> bool:
    """Is line:column a position in text (YAML line breaks; one past the end is allowed)?"""
    lines = LINE_BREAK.split(text.removeprefix("\ufeff"))
    return 1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1]) + 1


def _check_reply(text: str, reply: dict[str, Any]) -> None:
    event(reply["status"])
    if reply["status"] == "input-error":
        assert reply["problems"]
        for file, line, column, rendered in reply["problems"]:
            assert file == NAME and _exists(text, line, column), (line, column, rendered)
            assert rendered.startswith(f"{NAME}:{line}:{column}: error") and "\n" not in rendered
        return
    assert reply["status"] == "ok"
    assert reply["batch"] == reply["again"] == reply["alone"], "findings differ: batch, again, alone"
    assert reply["matrix"][0] == reply["matrix"][1] == reply["matrix"][2]
    for file, line, column, rule_id, _path, message in reply["batch"]:
        assert file == NAME and _exists(text, line, column), (rule_id, line, column)
        assert "\n" not in message


@SETTINGS
@given(data=dossiers(valid=True))
def test_generated_valid_dossiers(worker: EngineWorker, data: dict[str, Any]) -> None:
    text = _dump(data)
    _check_reply(text, worker.ask({"op": "check", "text": text}))


@SETTINGS
@given(data=dossiers())
def test_generated_dossiers(worker: EngineWorker, data: dict[str, Any]) -> None:
    text = _dump(data)
    _check_reply(text, worker.ask({"op": "check", "text": text}))


@SETTINGS
@given(text=mutated_texts())
def test_mutated_texts(worker: EngineWorker, text: str) -> None:
    _check_reply(text, worker.ask({"op": "check", "text": text}))


@pytest.mark.slow
@settings(SETTINGS, max_examples=12)
@given(text=mutated_texts())
def test_mutated_texts_through_the_command_line(text: str) -> None:
    run = run_cli("check", "-", "--as-of", "2026-06-01", stdin=text.encode("utf-8", "surrogatepass"))
    assert run.returncode in (0, 1, 2), run.stderr[-2000:]
    assert "Traceback" not in run.stderr + run.stdout
    for line in run.stderr.splitlines():
        assert re.match(r"<stdin>:\d+:\d+: error", line), line


# ------------------------------------------------------------------------ generated rules

_FACTS = sorted(F.CATALOGUE)
_OPS = ["eq", "ne", "lt", "lte", "gt", "gte", "in", "not_in"]


def _literal(info: F.FieldInfo) -> st.SearchStrategy[Any]:
    if info.kind == "enum":
        return st.sampled_from(info.values)
    if info.kind == "bool":
        return st.booleans()
    if info.kind in ("number", "key", "ref"):
        return st.integers(-5, 5000)
    if info.kind == "date":
        return _DATES.map(str)
    return _SHORT_TEXT


@st.composite
def _test(draw: st.DrawFn, fact: str) -> tuple[str, Any]:
    fields = F.CATALOGUE[fact]
    name = draw(st.sampled_from(sorted(fields)))
    info = fields[name]
    if draw(st.integers(0, 9)) == 0:  # a mistake: a misspelt field or a value of another kind
        return draw(st.sampled_from([name + "x", name])), draw(st.one_of(_SHORT_TEXT, _NUMBERS))
    form = draw(st.sampled_from(["absent", "present", "value", "op"]))
    if form in ("absent", "present"):
        return name, form
    if form == "value":
        return name, draw(_literal(info))
    op = draw(st.sampled_from(_OPS))
    if op in ("in", "not_in"):
        return name, {op: draw(st.lists(_literal(info), min_size=1, max_size=4))}
    return name, {op: draw(_literal(info))}


@st.composite
def _pattern(draw: st.DrawFn, alias: str) -> dict[str, Any]:
    fact = draw(st.sampled_from(_FACTS))
    where = dict(draw(st.lists(_test(fact), max_size=3)))
    return {"as": alias, "fact": fact, **({"where": where} if where else {})}


@st.composite
def rule_files(draw: st.DrawFn) -> dict[str, Any]:
    rules = []
    for i in range(draw(st.integers(1, 3))):
        applies = [draw(_pattern("a"))]
        gap: dict[str, Any] = {}
        if draw(st.booleans()):
            gap["where"] = {"a": dict(draw(st.lists(_test(applies[0]["fact"]), min_size=1, max_size=2)))}
        if draw(st.booleans()):
            gap["match"] = [draw(_pattern("b"))]
            joinable = [
                f for f, info in F.CATALOGUE[gap["match"][0]["fact"]].items() if info.kind in ("key", "ref")
            ]
            if joinable and draw(st.booleans()) is True:
                gap["join"] = [{"left": f"b.{draw(st.sampled_from(joinable))}", "op": "eq", "right": "a.key"}]
        if draw(st.booleans()):
            absent = draw(_pattern("c"))
            gap["absent"] = [{k: v for k, v in absent.items() if k != "as"}]
        if not gap:
            gap["where"] = {"a": {"key": "present"}}
        rules.append(
            {
                "id": f"gen-{i}",
                "requirement": "CGT-IND-MOA",
                "severity": draw(st.sampled_from(["error", "warning", "info"])),
                "title": {"en": "Generated", "zh": "生成"},
                "description": {"en": "Generated.", "zh": "生成。"},
                "applies": applies,
                "applies_when": {"en": "generated", "zh": "生成"},
                "gap": gap,
                "report": {"at": "a"},
                "message": {"en": "generated {a}", "zh": "生成 {a}"},
                "remediation": {"en": "None.", "zh": "无。"},
                "citation": {"source": "A"},
            }
        )
    return {"rules": rules}


@pytest.mark.slow
@settings(SETTINGS, max_examples=60)
@given(rules=rule_files())
def test_generated_rule_files(worker: EngineWorker, rules: dict[str, Any]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "generated.yaml"
        text = _dump(rules)
        path.write_text(text, "utf-8")
        dossier_files = [str(p) for p in (*CLEAN, *GAPS)]
        reply = worker.ask({"op": "pack", "dir": tmp, "dossiers": dossier_files})
    event(reply["status"])
    if reply["status"] == "rule-error":
        assert reply["problems"], reply["message"]
        for file, line, column, rendered in reply["problems"]:
            assert file == str(path) and _exists(text, line, column), rendered
        return
    assert reply["status"] == "ok" and reply["rules"] > 0
    assert len(reply["results"]) == len(dossier_files)
