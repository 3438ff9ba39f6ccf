"""Random dossiers for fuzz tests: clean examples with random valid-looking mutations."""

from __future__ import annotations

import copy
import datetime as dt
import random
import typing
from pathlib import Path
from typing import Any

import yaml

from checker.model.introspect import unwrap
from checker.model.vocab import MODALITIES, STAGES

ROOT = Path(__file__).resolve().parents[1]
CLEAN = sorted((ROOT / "examples" / "dossiers" / "clean").glob("*.yaml"))


def _enum_values(cls: type, name: str) -> tuple[str, ...]:
    ann = unwrap(cls.model_fields[name].annotation)  # type: ignore[attr-defined]
    return tuple(typing.get_args(ann)) if typing.get_origin(ann) is typing.Literal else ()


def nodes(data: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every node path of plain data, the root first."""
    out = [path]
    if isinstance(data, dict):
        for k, v in data.items():
            out.extend(nodes(v, (*path, k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            out.extend(nodes(v, (*path, i)))
    return out


def get(data: Any, path: tuple[Any, ...]) -> Any:
    """The node of plain data at a path."""
    for p in path:
        data = data[p]
    return data


ENUMS: dict[str, tuple[str, ...]] = {
    "modality": MODALITIES,
    "stage": STAGES,
    "role": ("exploratory", "pivotal", "bridging", "post-approval-confirmatory", "post-marketing"),
    "status": ("planned", "ongoing", "completed"),
    "kind": ("confirmatory-trial", "post-marketing-study", "real-world-study"),
    "category": ("tumour-response", "survival", "clinical-response"),
    "relation": ("at", "no-earlier-than", "within"),
    "unit": ("day", "week", "month", "year"),
    "topic": ("secondary-malignancy", "t-cell-lymphoma", "crs", "other"),
    "risk": ("crs", "icans", "cytopenia", "infection", "other"),
    "design": ("single-arm", "randomised-controlled"),
    "type": ("conditional", "full"),
}


def mutate(rng: random.Random, data: dict[str, Any], steps: int) -> dict[str, Any]:
    data = copy.deepcopy(data)
    for _ in range(steps):
        candidates = [p for p in nodes(data) if p]
        path = rng.choice(candidates)
        parent = get(data, path[:-1])
        key = path[-1]
        value = parent[key]
        action = rng.random()
        if action < 0.35 and key not in ("schema_version", "product", "name", "modality", "id"):
            del parent[key]
        elif isinstance(value, bool):
            parent[key] = not value
        elif isinstance(key, str) and key in ENUMS and isinstance(value, str):
            parent[key] = rng.choice(ENUMS[key])
        elif isinstance(value, (dt.date, int, float)) and not isinstance(value, bool):
            if isinstance(value, dt.date):
                parent[key] = value + dt.timedelta(days=rng.randint(-2000, 2000))
            else:
                parent[key] = max(1, value * rng.choice([0.1, 0.5, 2, 10]))
        elif isinstance(value, list) and value and isinstance(value[0], dict):
            item = copy.deepcopy(rng.choice(value))
            if "id" in item:
                item["id"] = f"{item['id']}-x{rng.randint(0, 999)}"
            value.append(item)
        elif isinstance(value, str):
            parent[key] = rng.choice([value, '引号 " } \\ ' + value, value * 3])
    return data


def random_dossiers(seed: int, count: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    bases = [yaml.safe_load(p.read_text("utf-8")) for p in CLEAN]
    return [mutate(rng, rng.choice(bases), rng.randint(1, 12)) for _ in range(count)]
