"""A long-lived process that checks what property tests send it, so that a crash of the rule
engine's C code (a signal) fails the test instead of killing pytest.

Protocol: one JSON request per line on stdin, one JSON reply per line on stdout.

* ``{"op": "check", "text": ...}``: the text as a dossier, checked with the bundled pack in a
  long-lived session (twice: "batch" and "again") and in a fresh one ("alone").
* ``{"op": "pack", "dir": ..., "dossiers": [...]}``: the bundled pack plus the rule files in dir;
  if it loads, each dossier file is checked with it.

A reply has ``status``: ``ok``, ``input-error``, ``rule-error`` or ``crash`` (any other exception,
with its traceback); problems and findings come as [file, line, column, message] lists.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import traceback
from pathlib import Path
from typing import Any

from checker.base.errors import InputError, Problem, RuleError
from checker.load.dossier import load_dossier
from checker.report.result import DossierResult
from checker.rulepack.pack import RulePack, load_pack
from checker.run.evaluate import Checker

AS_OF = dt.date(2026, 6, 1)
NAME = "generated.yaml"


def _problems(problems: list[Problem]) -> list[list[Any]]:
    return [[p.file, p.line, p.column, p.render()] for p in problems]


def _findings(result: DossierResult) -> list[list[Any]]:
    return [[f.file, f.line, f.column, f.rule_id, f.path, f.message.en] for f in result.findings]


def _matrix(result: DossierResult) -> list[list[Any]]:
    return [[r.id, r.status] for r in result.requirements]


class Worker:
    def __init__(self) -> None:
        self.pack = load_pack()
        self.batch = Checker(self.pack)

    def check(self, text: str) -> dict[str, Any]:
        try:
            loaded = load_dossier(NAME, text.encode("utf-8", "surrogatepass"))
        except InputError as exc:
            return {"status": "input-error", "problems": _problems(exc.problems)}
        first = self.batch.check(loaded, AS_OF)
        again = self.batch.check(loaded, AS_OF)
        with Checker(self.pack) as fresh:
            alone = fresh.check(loaded, AS_OF)
        return {
            "status": "ok",
            "batch": _findings(first),
            "again": _findings(again),
            "alone": _findings(alone),
            "matrix": [_matrix(first), _matrix(again), _matrix(alone)],
        }

    def pack_check(self, directory: str, dossiers: list[str]) -> dict[str, Any]:
        try:
            pack: RulePack = load_pack([Path(directory)])
        except RuleError as exc:
            return {"status": "rule-error", "message": exc.message, "problems": _problems(exc.problems)}
        results = []
        with Checker(pack) as checker:
            for file in dossiers:
                results.append(_findings(checker.check(load_dossier(file), AS_OF)))
        return {"status": "ok", "results": results, "rules": len(pack.rules)}

    def handle(self, request: dict[str, Any]) -> dict[str, Any]:
        if request["op"] == "check":
            return self.check(request["text"])
        return self.pack_check(request["dir"], request["dossiers"])


def main() -> None:
    worker = Worker()
    for line in sys.stdin:
        try:
            reply = worker.handle(json.loads(line))
        except Exception:  # reported to the test, which fails on it
            reply = {"status": "crash", "traceback": traceback.format_exc()}
        sys.stdout.write(json.dumps(reply, ensure_ascii=True) + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
