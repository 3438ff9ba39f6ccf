"""Edits of plain dossier data for rule test cases: a case is a base dossier plus edits.

Paths are dossier paths as findings show them: `cmc.studies[cmc-stab]` (an item by id, or by
index), `product.mechanism_of_action.clarity`."""

from __future__ import annotations

import copy
import re
from typing import Any

from checker.base.errors import Invalid, shown
from checker.base.i18n import message, verbatim

_PART = re.compile(r"([^.\[\]]+)|\[([^\]]+)\]")


def parse_path(path: str) -> list[str]:
    return [m.group(1) or f"[{m.group(2)}]" for m in _PART.finditer(path)]


class EditError(Invalid):
    """An edit that does not fit the data, with what to say about it (`said`)."""


def _step(node: Any, part: str, create: bool = False) -> Any:
    if part.startswith("["):
        key = part[1:-1]
        if not isinstance(node, list):
            raise EditError(message("edit_not_a_list", part=part))
        for item in node:
            if isinstance(item, dict) and item.get("id") == key:
                return item
        if key.isdigit() and int(key) < len(node):
            return node[int(key)]
        raise EditError(message("edit_no_item", part=part))
    if not isinstance(node, dict):
        raise EditError(message("edit_not_a_mapping", part=part))
    if part not in node:
        if not create:
            raise EditError(message("edit_no_key", part=part))
        node[part] = {}
    return node[part]


def _parent(data: Any, path: str, create: bool = False) -> tuple[Any, str]:
    parts = parse_path(path)
    node = data
    for part in parts[:-1]:
        node = _step(node, part, create)
    return node, parts[-1]


def apply_edit(data: dict[str, Any], edit: Any) -> dict[str, Any]:
    """Apply one edit; any edit that does not fit the data raises EditError saying why."""
    if not isinstance(edit, dict) or len({"delete", "set", "append"} & set(edit)) != 1:
        raise EditError(message("edit_shape", edit=shown(edit)))
    op = next(k for k in ("delete", "set", "append") if k in edit)
    path = edit[op]
    if not isinstance(path, str) or not parse_path(path):
        raise EditError(message("edit_bad_path", op=op, path=shown(path)))
    if op != "delete" and "value" not in edit:
        raise EditError(message("edit_no_value", op=op, path=path))
    try:
        return _apply(data, edit)
    except (TypeError, AttributeError, IndexError) as exc:
        raise EditError(message("edit_does_not_fit", op=op, path=path, detail=verbatim(str(exc)))) from None


def _apply(data: dict[str, Any], edit: dict[str, Any]) -> dict[str, Any]:
    """edit: {delete: PATH} | {set: PATH, value: V} | {append: PATH, value: V}; a path that does
    not exist raises EditError."""
    out = copy.deepcopy(data)
    if "delete" in edit:
        parent, last = _parent(out, edit["delete"])
        if last.startswith("["):
            parent.remove(_step(parent, last))
        elif isinstance(parent, dict) and last in parent:
            del parent[last]
        else:
            raise EditError(message("edit_no_key", part=last))
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
            raise EditError(message("edit_append_not_list", path=edit["append"]))
        target.append(edit["value"])
    return out
