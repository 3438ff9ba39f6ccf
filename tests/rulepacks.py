"""Custom rule packs for the hostile-pack tests: a valid rule with parts replaced, written as a
pack directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

HEAD: dict[str, Any] = {
    "requirement": "CGT-IND-MOA",
    "severity": "warning",
    "title": {"en": "A house rule", "zh": "内部规则"},
    "description": {"en": "A house rule.", "zh": "内部规则。"},
    "applies_when": {"en": "always", "zh": "总是"},
    "remediation": {"en": "Fix it.", "zh": "请修正。"},
    "citation": {"source": "A"},
}


def rule(rule_id: str, **parts: Any) -> dict[str, Any]:
    """A rule with the given parts; by default it applies to each trial and reports it."""
    out: dict[str, Any] = {"id": rule_id, **HEAD}
    out.update({"applies": [{"as": "t", "fact": "trial"}], "gap": {}, "report": {"at": "t"}})
    out["message"] = {"en": "{t} house finding", "zh": "{t} 内部规则问题"}
    out.update(parts)
    return out


def write_pack(directory: Path, rules: list[dict[str, Any]]) -> Path:
    """The rules as one rule file (r.yaml) in a new directory."""
    directory.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump({"rules": rules}, allow_unicode=True, sort_keys=False, width=10_000)
    (directory / "r.yaml").write_text(text, "utf-8")
    return directory
