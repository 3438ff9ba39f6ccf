"""1.0 → 2.0, coded primary endpoints: each endpoint's `measure_code`, inferred from its `measure`
when the text names exactly one coded measure ("overall response rate", "ORR", or its Chinese name),
else left to the author with a comment."""

from __future__ import annotations

from typing import Any

from checker.base.errors import NodePath
from checker.base.i18n import message
from checker.model.dossier import Dossier
from checker.model.introspect import model_at
from checker.model.measures import measure_named
from checker.model.trials import Endpoint
from checker.run.migrate.steps import Chain, Edit


def _endpoints(node: Any, path: NodePath, chain: Chain) -> list[tuple[NodePath, Any, Chain]]:
    """Every mapping of the document read as an Endpoint, with its path and the chain to it."""
    out: list[tuple[NodePath, Any, Chain]] = []
    if isinstance(node, dict):
        if path and model_at(path, Dossier) is Endpoint:
            return [(path, node, chain)]
        for key, value in node.items():
            if isinstance(key, str) and isinstance(value, dict | list):
                out.extend(_endpoints(value, (*path, key), [*chain, (node, key)]))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.extend(_endpoints(value, (*path, index), chain))
    return out


def migrate(edit: Edit) -> None:
    for path, endpoint, chain in _endpoints(edit.root, (), []):
        measure = endpoint.get("measure")
        if "measure_code" in endpoint or not isinstance(measure, str):
            continue
        code = measure_named(measure)
        if code is None:
            edit.todo((*path, "measure"), [*chain, (endpoint, "measure")], message("migrate_measure_unknown"))
            continue
        endpoint.insert(list(endpoint).index("measure") + 1, "measure_code", code)
        edit.note((*path, "measure_code"), message("migrate_measure_inferred", code=code, measure=measure))
