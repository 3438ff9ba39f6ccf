"""Generate a reproducible corpus of realistic, varied dossiers for the benchmarks.

Every dossier starts from one of the example dossiers (clean or with gaps) and is varied by a
random generator seeded with (seed, index), so the same seed gives the same files on any machine
and any number of processes:

* modality and each indication's stage cycle through all values (an approval is added or removed
  to match the stage);
* size: list items (indications, trials, studies, materials, commitments, ...) are dropped or
  copied with new ids, from about a third of the example to several times it;
* gaps: about half the dossiers lose a few optional fields, so rules find gaps in them;
* names, sponsors and references carry the index, so no two files are identical.

Every generated dossier is loaded with the checker (YAML, model, consistency) before it is
written: a variation that makes it invalid is retried with other draws. Files go into
sub-directories of 1,000 (``d000/``, ``d001/``, ...) so that the first one is a 1,000-dossier
batch and the whole directory a larger one.

    python benchmarks/generate.py --count 10000 --seed 1 --out benchmarks/.corpus/10000
"""

from __future__ import annotations

import argparse
import copy
import datetime as dt
import json
import random
import sys
import typing
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from pydantic import BaseModel  # noqa: E402

from checker.base.errors import CheckerError  # noqa: E402
from checker.load.dossier import load_dossier  # noqa: E402
from checker.model.dossier import Dossier  # noqa: E402
from checker.model.introspect import unwrap  # noqa: E402
from checker.model.vocab import MODALITIES, STAGES  # noqa: E402

GENERATOR_VERSION = "3"
PER_DIR = 1000
EXAMPLES = sorted((ROOT / "examples" / "dossiers").rglob("*.yaml"))
# Size classes: how many times each list of items is taken (0.35: about a third of the items).
SIZES = (0.35, 0.7, 1.0, 1.0, 1.5, 2.0, 3.0, 5.0)
REQUIRED = {"schema_version", "product", "name", "modality", "id", "stage", "oncology", "type", "date"}


def _examples() -> list[dict[str, Any]]:
    return [yaml.safe_load(p.read_text("utf-8")) for p in EXAMPLES]


def _item_lists(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], list[Any]]]:
    """Every list of mappings with ids, deepest first."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _item_lists(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _item_lists(v, (*path, i))
        if data and all(isinstance(v, dict) and "id" in v for v in data):
            yield path, data


def _max_items(path: tuple[Any, ...]) -> int:
    """The model's bound on the length of the list at path."""
    cls: Any = Dossier
    info = None
    for part in path:
        if isinstance(part, int):
            continue
        info = cls.model_fields.get(part) if isinstance(cls, type) and issubclass(cls, BaseModel) else None
        if info is None:
            return 10
        ann = unwrap(info.annotation)
        if typing.get_origin(ann) is list:
            ann = unwrap(typing.get_args(ann)[0])
        cls = ann
    bounds = [m.max_length for m in (info.metadata if info else []) if hasattr(m, "max_length")]
    return int(bounds[0]) if bounds else 10


def _resize(rng: random.Random, data: dict[str, Any], factor: float) -> None:
    """Drop list items (factor < 1) or copy them with new ids, within the model's bounds."""
    for path, items in list(_item_lists(data)):
        if path == ("indications",) and factor < 1:
            continue  # trials and commitments refer to them
        if factor < 1:
            keep = max(1, round(len(items) * factor))
            if path[-1] in ("indications", "clinical_trials", "foreign_studies"):
                continue
            del items[keep:]
            continue
        extra = round(len(items) * (factor - 1) + rng.random() - 0.5)
        extra = min(extra, _max_items(path) - len(items))
        originals = len(items)
        for n in range(max(0, extra)):
            item = copy.deepcopy(items[n % originals])
            item["id"] = f"{item['id']}-c{n + 1}"
            items.append(item)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(data, dict):
        for k, v in data.items():
            yield (*path, k)
            yield from _nodes(v, (*path, k))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _nodes(v, (*path, i))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _gaps(rng: random.Random, data: dict[str, Any], count: int) -> None:
    """Remove a few optional fields (never one the model requires)."""
    for _ in range(count):
        paths = [p for p in _nodes(data) if isinstance(p[-1], str) and p[-1] not in REQUIRED]
        if not paths:
            return
        path = rng.choice(paths)
        del _get(data, path[:-1])[path[-1]]


def _stages(rng: random.Random, data: dict[str, Any], index: int) -> None:
    for j, ind in enumerate(data.get("indications") or []):
        stage = STAGES[(index + j) % len(STAGES)] if rng.random() < 0.5 else ind["stage"]
        ind["stage"] = stage
        if stage == "approved" and not ind.get("approval"):
            ind["approval"] = {"type": rng.choice(["conditional", "full"]), "date": dt.date(2018, 1, 1)}
        elif stage != "approved":
            ind.pop("approval", None)


def _label(data: dict[str, Any], index: int) -> None:
    product = data["product"]
    product["name"] = f"{product['name']} #{index}"
    if "sponsor" in product:
        product["sponsor"] = f"{product['sponsor']} / portfolio {index % 97}"


def _valid(text: str, index: int) -> bool:
    try:
        load_dossier(f"gen-{index}.yaml", text.encode("utf-8"))
    except CheckerError:
        return False
    return True


def dossier(seed: int, index: int, examples: list[dict[str, Any]]) -> tuple[str, dict[str, Any]]:
    """The index-th dossier of a corpus, as YAML text, and what was varied."""
    rng = random.Random(f"{seed}:{index}")
    base = examples[index % len(examples)]
    for attempt in range(20):
        data = copy.deepcopy(base)
        modality = MODALITIES[index % len(MODALITIES)]
        data["product"]["modality"] = modality
        _stages(rng, data, index)
        size = rng.choice(SIZES) if attempt < 10 else 1.0
        _resize(rng, data, size)
        gaps = rng.choice([0, 0, 0, 1, 2, 4, 8]) if attempt < 15 else 0
        _gaps(rng, data, gaps)
        _label(data, index)
        text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
        if _valid(text, index):
            info = {"example": EXAMPLES[index % len(EXAMPLES)].name, "modality": modality, "size": size}
            return text, info | {"gaps_removed": gaps, "bytes": len(text.encode("utf-8"))}
    text = yaml.safe_dump(base, sort_keys=False, allow_unicode=True, width=100)
    return text, {"example": EXAMPLES[index % len(EXAMPLES)].name, "fallback": True}


def path_for(out: Path, index: int) -> Path:
    return out / f"d{index // PER_DIR:03d}" / f"dossier-{index:05d}.yaml"


_EXAMPLES: list[dict[str, Any]] = []


def _write_range(args: tuple[int, int, int, str]) -> list[dict[str, Any]]:
    seed, start, stop, out = args
    if not _EXAMPLES:
        _EXAMPLES.extend(_examples())
    infos = []
    for i in range(start, stop):
        text, info = dossier(seed, i, _EXAMPLES)
        target = path_for(Path(out), i)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, "utf-8")
        infos.append(info)
    return infos


def generate(out: Path, count: int, seed: int, jobs: int = 2) -> dict[str, Any]:
    """Write the corpus (or reuse it if its manifest says it is this one); its manifest."""
    manifest_path = out / "manifest.json"
    wanted = {"generator": GENERATOR_VERSION, "seed": seed, "count": count}
    if manifest_path.exists():
        manifest: dict[str, Any] = json.loads(manifest_path.read_text("utf-8"))
        if {k: manifest.get(k) for k in wanted} == wanted:
            return manifest
    out.mkdir(parents=True, exist_ok=True)
    step = 250
    ranges = [(seed, a, min(a + step, count), str(out)) for a in range(0, count, step)]
    infos: list[dict[str, Any]] = []
    with ProcessPoolExecutor(max(1, jobs)) as pool:
        for part in pool.map(_write_range, ranges):
            infos.extend(part)
    sizes = sorted(i.get("bytes", 0) for i in infos)
    manifest = wanted | {
        "bytes_total": sum(sizes),
        "bytes_min": sizes[0],
        "bytes_median": sizes[len(sizes) // 2],
        "bytes_max": sizes[-1],
        "with_gaps_removed": sum(1 for i in infos if i.get("gaps_removed")),
        "fallbacks": sum(1 for i in infos if i.get("fallback")),
        "modalities": sorted({i["modality"] for i in infos if "modality" in i}),
    }
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n", "utf-8")
    return manifest


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    print(json.dumps(generate(args.out, args.count, args.seed, args.jobs), indent=2))


if __name__ == "__main__":
    main()
