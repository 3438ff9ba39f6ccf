"""The JSON Schemas the project publishes, generated from its models.

``python -m checker.schemas`` rewrites schemas/*.schema.json; a test fails when they drift.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from checker.model.dossier import Dossier
from checker.model.justification import JustificationFile
from checker.report.schema_versions import with_versions
from checker.rulepack.spec import RuleFile

DIALECT = "https://json-schema.org/draft/2020-12/schema"
BASE_ID = "https://cgt-checker.invalid/schemas/"


def _with_header(schema: dict[str, Any], name: str, title: str) -> dict[str, Any]:
    out = {"$schema": DIALECT, "$id": BASE_ID + name, "title": title}
    out.update({k: v for k, v in schema.items() if k not in ("$id", "title")})
    return out


def _nullable_lists(schema: dict[str, Any]) -> dict[str, Any]:
    """The model reads a null list as an empty one; say so in the schema."""
    for definition in [schema, *schema.get("$defs", {}).values()]:
        for name, prop in definition.get("properties", {}).items():
            if isinstance(prop, dict) and prop.get("type") == "array":
                keep = {k: prop.pop(k) for k in ("description", "default", "title") if k in prop}
                definition["properties"][name] = {"anyOf": [prop, {"type": "null"}], **keep}
    return schema


def _standard_keywords(node: Any) -> Any:
    """Drop the model's own annotations (x-ref): strict validators refuse unknown keywords."""
    if isinstance(node, dict):
        return {k: _standard_keywords(v) for k, v in node.items() if not k.startswith("x-")}
    if isinstance(node, list):
        return [_standard_keywords(v) for v in node]
    return node


def dossier_schema() -> dict[str, Any]:
    schema = _standard_keywords(_nullable_lists(with_versions(Dossier.model_json_schema())))
    return _with_header(schema, "dossier.schema.json", "CGT product dossier")


def justifications_schema() -> dict[str, Any]:
    schema = _standard_keywords(_nullable_lists(JustificationFile.model_json_schema()))
    return _with_header(schema, "justifications.schema.json", "cgt-check justifications file")


def rule_schema() -> dict[str, Any]:
    return _with_header(
        RuleFile.model_json_schema(by_alias=True), "rule.schema.json", "cgt-checker rule file"
    )


def report_schema() -> dict[str, Any]:
    from checker.report.formats.json_report import ReportDoc

    return _with_header(ReportDoc.model_json_schema(), "report.schema.json", "cgt-checker JSON report")


SCHEMAS: dict[str, Callable[[], dict[str, Any]]] = {
    "dossier": dossier_schema,
    "rule": rule_schema,
    "report": report_schema,
    "justifications": justifications_schema,
}


def render(kind: str) -> str:
    return json.dumps(SCHEMAS[kind](), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_all(directory: Path) -> list[Path]:
    written = []
    for kind in SCHEMAS:
        target = directory / f"{kind}.schema.json"
        target.write_text(render(kind), encoding="utf-8")
        written.append(target)
    return written


if __name__ == "__main__":
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "schemas"
    for path in write_all(root):
        print(f"wrote {path}")
