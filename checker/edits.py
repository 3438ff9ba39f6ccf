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


def apply_edit(data: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
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
        parent.setdefault(last, []).append(edit["value"])
    else:
        raise ValueError(f"unknown edit {edit}")
    return out
