"""The dossier schema's format versions: what a dossier of each `schema_version` may not use.

The model marks a field that exists from a version on (`x-since`), a field that a version no
longer has (`x-until`) and enumeration values added in a version (`x-values-since`). The
published schema says the same to any JSON Schema validator: for each version, an `if` on
`schema_version` whose `then` refers to a restriction of the dossier, `Dossier@1.0`, under
which each field that version lacks is `false` and each value it lacks is refused. The
restrictions follow only the properties that lead to such a field; editors keep completing from
the dossier's own properties."""

from __future__ import annotations

import copy
from typing import Any

from checker.model.common import SCHEMA_VERSIONS, SINCE_MARK, UNTIL_MARK

VALUES_MARK = "x-values-since"
ROOT = "Dossier"


def _later(version: str, than: str) -> bool:
    return SCHEMA_VERSIONS.index(version) > SCHEMA_VERSIONS.index(than)


def _missing(prop: dict[str, Any], version: str) -> bool:
    """Whether a dossier of `version` lacks the field."""
    since, until = prop.get(SINCE_MARK), prop.get(UNTIL_MARK)
    return (since is not None and _later(since, version)) or (
        until is not None and not _later(until, version)
    )


def _values_missing(prop: dict[str, Any], version: str) -> list[str]:
    marks = prop.get(VALUES_MARK) or {}
    return sorted(v for since, values in marks.items() if _later(since, version) for v in values)


def _refs(node: Any) -> set[str]:
    """The definitions a property's schema refers to."""
    if isinstance(node, dict):
        found = {node["$ref"].rsplit("/", 1)[-1]} if isinstance(node.get("$ref"), str) else set()
        return found.union(*(_refs(v) for v in node.values()))
    if isinstance(node, list):
        return set().union(*(_refs(v) for v in node))
    return set()


def _shape(node: Any, renamed: dict[str, str]) -> Any:
    """A property's schema reduced to its types and references, each reference to a definition
    in `renamed` pointing to its restriction."""
    if isinstance(node, dict):
        if isinstance(node.get("$ref"), str):
            name = node["$ref"].rsplit("/", 1)[-1]
            return {"$ref": f"#/$defs/{renamed[name]}"} if name in renamed else {}
        out: dict[str, Any] = {}
        for key in ("type", "items", "anyOf"):
            if key in node:
                out[key] = _shape(node[key], renamed)
        return out
    if isinstance(node, list):
        return [_shape(v, renamed) for v in node]
    return node


def _restrictions(schema: dict[str, Any], version: str) -> dict[str, dict[str, Any]]:
    """The restriction of every definition (the dossier's own too) that leads to a field or a
    value `version` lacks, by its new name."""
    defs = {ROOT: schema, **schema.get("$defs", {})}
    direct = {
        name: {
            p
            for p, prop in d.get("properties", {}).items()
            if _missing(prop, version) or _values_missing(prop, version)
        }
        for name, d in defs.items()
    }
    leads = {name for name, props in direct.items() if props}
    changed = True
    while changed:  # the definitions that refer, at any depth, to one that leads to a field
        changed = False
        for name, d in defs.items():
            if name not in leads and any(_refs(p) & leads for p in d.get("properties", {}).values()):
                leads.add(name)
                changed = True
    renamed = {name: f"{name}@{version}" for name in sorted(leads)}
    out: dict[str, dict[str, Any]] = {}
    for name in sorted(leads):
        properties: dict[str, Any] = {}
        for p, prop in defs[name].get("properties", {}).items():
            if _missing(prop, version):
                properties[p] = False
            elif values := _values_missing(prop, version):
                properties[p] = {"not": {"enum": values}}
            elif _refs(prop) & leads:
                properties[p] = _shape(prop, renamed)
        out[renamed[name]] = {"type": "object", "properties": properties}
    return out


def with_versions(schema: dict[str, Any]) -> dict[str, Any]:
    """The dossier schema (with the model's marks) with each version's restriction applied to
    the dossiers of that version."""
    schema = copy.deepcopy(schema)
    conditions = []
    by_version = {version: _restrictions(schema, version) for version in SCHEMA_VERSIONS}
    defs = schema.setdefault("$defs", {})
    for version, restrictions in by_version.items():
        if not restrictions:
            continue
        defs.update(restrictions)
        conditions.append(
            {
                "if": {"properties": {"schema_version": {"const": version}}, "required": ["schema_version"]},
                "then": {"$ref": f"#/$defs/{ROOT}@{version}"},
            }
        )
    if conditions:
        schema["allOf"] = conditions
    return schema
