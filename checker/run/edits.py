"""Edits of plain dossier data for rule test cases: a case is a base dossier plus edits.

Paths are dossier paths as findings show them: `cmc.studies[cmc-stab]` (an item by id, or by
index), `product.mechanism_of_action.clarity`."""

from __future__ import annotations

import copy
import re
from typing import Any

_PART = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def parse_path(path: str) -> list[str]:
    return [m.group(1) or f"[{m.group(2)}]" for m in _PART.finditer(path)]


def _step(node: Any, part: str, create: bool = False) -> Any:
    if part.startswith("["):
        key = part[1:-1]
        if not isinstance(node, list):
            raise KeyError(f"{part}: not a list")
        for item in node:
            if isinstance(item, dict) and item.get("id") == key:
                return item
        if key.isdigit() and int(key) < len(node):
            return node[int(key)]
        raise KeyError(f"no item {part}")
    if not isinstance(node, dict):
        raise KeyError(f"{part}: not a mapping")
    if part not in node:
        if not create:
            raise KeyError(f"no key {part}")
        node[part] = {}
    return node[part]


def _parent(data: Any, path: str, create: bool = False) -> tuple[Any, str]:
    parts = parse_path(path)
    node = data
    for part in parts[:-1]:
        node = _step(node, part, create)
    return node, parts[-1]


def apply_edit(data: dict[str, Any], edit: Any) -> dict[str, Any]:
    """Apply one edit; any edit that does not fit the data raises ValueError or KeyError saying why."""
    if not isinstance(edit, dict) or len({"delete", "set", "append"} & set(edit)) != 1:
        raise ValueError(
            f"an edit is one of {{delete: PATH}}, {{set: PATH, value: V}}, {{append: PATH, value: V}}: {edit!r}"
        )
    op = next(k for k in ("delete", "set", "append") if k in edit)
    path = edit[op]
    if not isinstance(path, str) or not parse_path(path):
        raise ValueError(f"{op}: the path must be a dossier path such as cmc.studies[cmc-stab], not {path!r}")
    if op != "delete" and "value" not in edit:
        raise ValueError(f"{op} {path}: give a value")
    try:
        return _apply(data, edit)
    except (TypeError, AttributeError, IndexError) as exc:
        raise ValueError(f"{op} {path}: does not fit the dossier ({exc})") from None


def _apply(data: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
    """edit: {delete: PATH} | {set: PATH, value: V} | {append: PATH, value: V}; a path that does
    not exist raises KeyError."""
    out = copy.deepcopy(data)
    if "delete" in edit:
        parent, last = _parent(out, edit["delete"])
        if last.startswith("["):
            parent.remove(_step(parent, last))
        elif isinstance(parent, dict) and last in parent:
            del parent[last]
        else:
            raise KeyError(f"no key {last}")
    elif "set" in edit:
        parent, last = _parent(out, edit["set"], create=True)
        if last.startswith("["):
            target = _step(parent, last)
            parent[parent.index(target)] = edit["value"]
        else:
            parent[last] = edit["value"]
    elif "append" in edit:
        parent, last = _parent(out, edit["append"], create=True)
        target = _step(parent, last) if last.startswith("[") else parent.setdefault(last, [])
        if not isinstance(target, list):
            raise ValueError(f"append {edit['append']}: not a list")
        target.append(edit["value"])
    else:
        raise ValueError(f"unknown edit {edit}")
    return out
