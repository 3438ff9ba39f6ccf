"""Format 1.0 keeps its meaning: every 1.0 example dossier the project shipped and every dossier the
bundled rule cases build is checked with exactly the findings recorded before format 2.0 existed
(tests/data/findings-1.0.json). A 2.0 rule applies only to 2.0 fields, so none of these may change.
The examples now in format 2.0 are held in their 1.0 versions, kept as they were shipped: the clean
ones as the bases of the rule cases of 1.0 behaviour (rules/cases/format-1.0/), the gap ones under
tests/data/dossiers-1.0/gaps/; each is recorded under the name it was shipped as.

Recorded again (only when a change of findings is intended) with
`UPDATE_COMPAT=1 python -m pytest tests/test_compat_v1.py`, then review the diff."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any

from checker.base import resources
from checker.load.dossier import load_dossier
from checker.load.yamlio import dump_yaml, load_yaml, read_limited
from checker.rulepack.pack import load_pack
from checker.run.edits import apply_edit
from checker.run.evaluate import Checker
from checker.run.selftest import DEFAULT_AS_OF, case_files, load_case_file

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "dossiers"
KEPT_1_0 = {  # where the 1.0 version of an example now in 2.0 is kept, by the example's directory
    "clean": ROOT / "rules" / "cases" / "format-1.0",
    "gaps": ROOT / "tests" / "data" / "dossiers-1.0" / "gaps",
}
RECORD = ROOT / "tests" / "data" / "findings-1.0.json"
AS_OF = dt.date(2026, 6, 1)
UPDATE = os.environ.get("UPDATE_COMPAT") == "1"


def _is_v1(data: Any) -> bool:
    return isinstance(data, dict) and data.get("schema_version") == "1.0"


def _findings(checker: Checker, name: str, data: dict[str, Any], as_of: dt.date) -> list[list[Any]]:
    loaded = load_dossier(name, dump_yaml(data).encode("utf-8"))
    result = checker.check(loaded, as_of)
    return sorted(
        [f.rule_id, f.requirement, f.severity, f.path, f.message.en, f.message.zh] for f in result.findings
    )


def _v1_examples() -> dict[str, Path]:
    """Every 1.0 example by the name it was shipped under: the examples still in 1.0, and the kept
    1.0 versions of those now in 2.0 (a kept copy whose example is gone is kept all the same)."""
    found = {path.relative_to(ROOT).as_posix(): path for path in sorted(EXAMPLES.glob("**/*.yaml"))}
    for kind, kept in KEPT_1_0.items():
        for path in sorted(kept.glob("*.yaml")):
            found[(EXAMPLES / kind / path.name).relative_to(ROOT).as_posix()] = path
    return found


def _current() -> dict[str, list[list[Any]]]:
    """The findings of every 1.0 example and every 1.0 case dossier, by name."""
    out: dict[str, list[list[Any]]] = {}
    with Checker(load_pack()) as checker:
        for name, path in _v1_examples().items():
            data = load_yaml(read_limited(str(path)), name).data
            if _is_v1(data):
                out[name] = _findings(checker, name, data, AS_OF)
        for file in case_files(resources.rules_dir()):
            doc, _ = load_case_file(file)
            for case in doc.cases:
                base = case.base or doc.base
                assert base is not None
                base_file = (
                    file.parent / base
                    if base.endswith((".yaml", ".yml"))
                    else resources.examples_dir() / "dossiers" / "clean" / f"{base}.yaml"
                )
                data = load_yaml(read_limited(str(base_file)), str(base_file)).data
                for edit in case.edit if isinstance(case.edit, list) else [case.edit]:
                    data = apply_edit(data, edit)
                if _is_v1(data):
                    name = f"rules/cases/{file.name}: {case.name}"
                    out[name] = _findings(checker, name, data, case.as_of or doc.as_of or DEFAULT_AS_OF)
    return out


def test_the_examples_now_in_2_0_keep_their_1_0_versions() -> None:
    for kind, kept in KEPT_1_0.items():
        for path in sorted(kept.glob("*.yaml")):
            data = load_yaml(read_limited(str(path)), str(path)).data
            assert _is_v1(data), path
            example = EXAMPLES / kind / path.name
            assert load_yaml(read_limited(str(example)), str(example)).data["schema_version"] == "2.0"


def test_format_1_0_dossiers_keep_their_findings() -> None:
    current = _current()
    if UPDATE:
        RECORD.write_text(json.dumps(current, ensure_ascii=False, indent=1) + "\n", "utf-8")
    recorded = json.loads(RECORD.read_text("utf-8"))
    assert set(current) >= set(recorded), "a recorded 1.0 dossier is no longer checked"
    changed = sorted(name for name in recorded if current[name] != recorded[name])
    assert not changed, f"1.0 findings changed for {changed}"
