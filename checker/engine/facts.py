"""Turn a validated dossier into the engine's facts, and describe what fields facts have.

Python adds only plain normalised values the engine cannot compute itself: dates as day
numbers, durations in days, doses in a base unit with a unit-family code, a development
stage's rank, integer keys for ids and references, and integer codes for free-text values and
enumerations that rules join on. It never adds a verdict or a value that combines two fields.
"""

from __future__ import annotations

import datetime as dt
import functools
import typing
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from checker.base.errors import NodePath
from checker.model import validator
from checker.model.common import DAYS_PER_UNIT, SCHEMA_VERSIONS
from checker.model.dossier import Dossier
from checker.model.introspect import LISTS, REF_MARK, ROOT, ROOT_LISTS, get_path, ref_fields, unwrap
from checker.model.post_approval import Duration
from checker.model.trials import Assessment, Dose, Regimen, TimePoint
from checker.model.vocab import STAGES

FACT_MODELS: dict[str, type[BaseModel]] = {ROOT: Dossier} | {s.fact: s.item for s in LISTS}
PARENT: dict[str, str] = {s.fact: s.owner for s in LISTS}

# Lists of references that fan a fact out: one trial (real-world study, label, foreign study) fact
# per indication it serves (the label covers), each with the indication's key in the field named
# here; an overseas approval (2.0) per dossier indication it corresponds to, in
# `dossier_indication`, since its `indication` is the approved indication in words.
FANOUT: dict[str, tuple[str, str]] = {
    "trial": ("indications", "indication"),
    "rws": ("indications", "indication"),
    "label": ("indications", "indication"),
    "foreign_study": ("indications", "indication"),
    "overseas_approval": ("indications", "dossier_indication"),
}
# True on the first fact of each fanned-out item (and on an item that is not fanned out): a rule
# that never reads the fan-out field matches only that one, instead of one per indication.
FANOUT_FIRST = "fanout_first"

# The fact type of the items of each list a reference field can point into (x-ref marks).
REF_TARGETS: dict[str, str] = {path: spec.fact for path, spec in ROOT_LISTS.items()}

# Free-text fields that rules join on: each gets an integer code, equal for equal text after
# case folding and white-space folding.
TEXT_CODES: dict[str, tuple[str, ...]] = {
    "partner": ("proposed_indication",),
    "partner_use": ("indication",),
}


# Dose units: (family code, factor to the family's base unit).
DOSE_UNITS: dict[str, tuple[int, float]] = {
    "mg": (1, 1.0),
    "g": (1, 1000.0),
    "ug": (1, 0.001),
    "mg/kg": (2, 1.0),
    "ug/kg": (2, 0.001),
    "mg/m2": (3, 1.0),
    "cells": (4, 1.0),
    "cells/kg": (5, 1.0),
    "vg": (6, 1.0),
    "vg/kg": (7, 1.0),
    "iu": (8, 1.0),
    "iu/kg": (9, 1.0),
}

# Regimens (format 2.0): (unit family, factor to the family's base unit) and the basis of the
# amount; a regimen's `family` is unit family x 10 + basis, so that only amounts of one unit
# on one basis compare (mg per m2 with g per m2, never with mg per kg).
REGIMEN_UNITS: dict[str, tuple[int, float]] = {
    "mg": (1, 1.0),
    "g": (1, 1000.0),
    "ug": (1, 0.001),
    "cells": (2, 1.0),
    "vg": (3, 1.0),
    "iu": (4, 1.0),
}
REGIMEN_BASES: dict[str, int] = {"flat": 1, "per-kg": 2, "per-m2": 3}

# Enumerations that rules join on (an enum string cannot be joined): the field gets a
# `<name>_number`, the value's place in its vocabulary (from 1), equal for equal values.
ENUM_NUMBERS: frozenset[str] = frozenset({"measure_code", "relation", "route"})

STAGE_RANK: dict[str, int] = {s: i + 1 for i, s in enumerate(STAGES)}
# Ordered enumerations: the field gets a `<name>_rank` number that rules compare. The dossier's
# format version is one, so that a rule can apply from a version on (`schema_version: {gte: "2.0"}`)
# where a newer format says apart what an older one said together.
RANKED: dict[str, dict[str, int]] = {
    "stage": STAGE_RANK,
    "schema_version": {v: i + 1 for i, v in enumerate(SCHEMA_VERSIONS)},
}


def day_number(value: dt.date) -> int:
    """Days since 0001-01-01 (proleptic Gregorian), the engine's representation of a date."""
    return value.toordinal()


def fold_text(text: str) -> str:
    return " ".join(text.casefold().split())


# ---------------------------------------------------------------- field catalogue

Kind = Literal["key", "ref", "text", "enum", "bool", "number", "date", "object", "list"]


@dataclass(frozen=True)
class FieldInfo:
    kind: Kind
    values: tuple[str, ...] = ()  # enum values
    ordered: bool = False  # an enum whose values are ordered (compared by rank)
    rank_field: str = ""  # the numeric field holding the rank


def _model_fields(cls: type[BaseModel], prefix: str, out: dict[str, FieldInfo]) -> None:
    for name, info in cls.model_fields.items():
        path = f"{prefix}{name}"
        ann = unwrap(info.annotation)
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        origin = typing.get_origin(ann)
        if origin is list:
            item = unwrap(typing.get_args(ann)[0])
            if item in (str, int, float, bool) and REF_MARK not in extra:
                out[path] = FieldInfo("list")  # present when it has items
            continue
        if name == "id" and prefix == "":
            continue  # the item's id is its integer `key` in the engine
        if REF_MARK in extra:
            out[path] = FieldInfo("ref")
        elif origin is Literal:
            values = tuple(str(v) for v in typing.get_args(ann))
            if name in RANKED:
                out[path] = FieldInfo("enum", values, ordered=True, rank_field=f"{path}_rank")
                out[f"{path}_rank"] = FieldInfo("number")
            else:
                out[path] = FieldInfo("enum", values)
            if name in ENUM_NUMBERS:
                out[f"{path}_number"] = FieldInfo("number")
        elif ann is bool:
            out[path] = FieldInfo("bool")
        elif ann in (int, float):
            out[path] = FieldInfo("number")
        elif ann is dt.date:
            out[path] = FieldInfo("date")
        elif ann is str:
            out[path] = FieldInfo("text")
        elif isinstance(ann, type) and issubclass(ann, BaseModel):
            out[path] = FieldInfo("object")
            _model_fields(ann, f"{path}.", out)
            if ann in (Duration, Assessment, TimePoint):
                out[f"{path}.days"] = FieldInfo("number")
            if ann in (Dose, Regimen):
                out[f"{path}.base_value"] = FieldInfo("number")
                out[f"{path}.family"] = FieldInfo("number")
        else:  # pragma: no cover - the model uses only the types above
            raise TypeError(f"unsupported field type at {path}: {ann!r}")


def _catalogue() -> dict[str, dict[str, FieldInfo]]:
    cat: dict[str, dict[str, FieldInfo]] = {}
    for fact, cls in FACT_MODELS.items():
        fields: dict[str, FieldInfo] = {}
        _model_fields(cls, "", fields)
        if PARENT.get(fact, ROOT) != ROOT:
            fields[PARENT[fact]] = FieldInfo("ref")
        if fact in FANOUT:
            fields[FANOUT[fact][1]] = FieldInfo("ref")
        for text_field in TEXT_CODES.get(fact, ()):
            fields[f"{text_field}_code"] = FieldInfo("number")
        fields["key"] = FieldInfo("key")
        cat[fact] = fields
    return cat


CATALOGUE: dict[str, dict[str, FieldInfo]] = _catalogue()


# ---------------------------------------------------------------- facts


@dataclass
class Fact:
    """One fact for the engine, and where it came from in the dossier."""

    type: str
    data: dict[str, Any]  # normalised fields (nested objects as dicts)
    path: NodePath  # where the item is in the YAML document
    label: str  # the item's dossier path with ids, e.g. indications[lbcl-3l]
    source: dict[str, Any] = field(default_factory=dict)  # the item as the sponsor wrote it
    # its blank sections: written with keys, none with a value (dotted paths within the item)
    blank: tuple[str, ...] = ()


@dataclass
class _Keys:
    by_id: dict[tuple[str, str], int] = field(default_factory=dict)  # (fact type, id) -> key
    texts: dict[str, int] = field(default_factory=dict)
    next_key: int = 1

    def new(self) -> int:
        self.next_key += 1
        return self.next_key - 1

    def text(self, value: str) -> int:
        return self.texts.setdefault(fold_text(value), len(self.texts) + 1)


def _times(value: float, factor: float) -> float:
    """value x factor in decimal, so that 9 ug/kg and 0.009 mg/kg are the same number."""
    return float(Decimal(repr(value)) * Decimal(repr(factor)))


@functools.cache
def _field_names(cls: type[BaseModel]) -> tuple[str, ...]:
    return tuple(cls.model_fields)


def _has_content(obj: BaseModel) -> bool:
    return any(getattr(obj, name) not in (None, []) for name in _field_names(type(obj)))


def _normalise(
    obj: BaseModel, skip: set[str], blank: list[str], keep_blank: bool, prefix: str = ""
) -> dict[str, Any]:
    """A model as plain engine data: None and empty lists dropped; lists of items are facts of
    their own (LISTS), lists of plain values stay in place. A section with nothing in it is
    dropped too: it is absent. The path of each blank one (written with keys, none with a value)
    is added to `blank`; with `keep_blank` a blank section stays, empty, and so is present."""
    out: dict[str, Any] = {}
    refs = None
    for name in _field_names(type(obj)):
        if name in skip:
            continue
        value = getattr(obj, name)
        if value is None or value == []:
            continue
        if isinstance(value, list):
            if refs is None:
                refs = {n for n, _ in ref_fields(type(obj))}
            if name not in refs and not isinstance(value[0], BaseModel):
                out[name] = list(value)  # a list of plain values, e.g. comparator.existing_therapies
            continue
        if isinstance(value, BaseModel):
            nested = _normalise(value, set(), blank, keep_blank, f"{prefix}{name}.")
            if not nested and not _has_content(value):
                if not value.model_fields_set:
                    continue  # an empty section is an absent one
                blank.append(f"{prefix}{name}")
                if not keep_blank:
                    continue  # so is a blank one, unless kept
            if isinstance(value, (Duration, Assessment, TimePoint)):
                nested["days"] = _times(value.value, DAYS_PER_UNIT[value.unit])
            if isinstance(value, Dose):
                family, factor = DOSE_UNITS[value.unit]
                nested["family"] = family
                nested["base_value"] = _times(value.value, factor)
            if isinstance(value, Regimen):
                family, factor = REGIMEN_UNITS[value.unit]
                nested["family"] = family * 10 + REGIMEN_BASES[value.basis]
                nested["base_value"] = _times(value.amount, factor)
            out[name] = nested
        elif isinstance(value, dt.date):
            out[name] = day_number(value)
        else:
            out[name] = value
            if name in RANKED:
                out[f"{name}_rank"] = RANKED[name][value]
            elif name in ENUM_NUMBERS:
                out[f"{name}_number"] = _enum_values(type(obj), name).index(value) + 1
    return out


@functools.cache
def _enum_values(cls: type[BaseModel], name: str) -> tuple[str, ...]:
    return tuple(str(v) for v in typing.get_args(unwrap(cls.model_fields[name].annotation)))


def build_facts(dossier: Dossier, keep_blank: bool = False) -> list[Fact]:
    """Every fact of one dossier, in document order (the engine adapter orders them by type).

    A blank section (written with keys, none with a value, as `cgt-check init` writes them) is
    absent, as an empty one is, and named in its fact's `blank`; with `keep_blank` it is present
    (and empty), so that rules on what it holds can say what is missing in it."""
    keys = _Keys()
    # Keys for every id first, so references resolve whatever the list order.
    for spec in LISTS:
        if spec.owner != ROOT:
            continue
        for item in get_path(dossier, spec.path) or []:
            item_id = getattr(item, "id", None)
            if item_id is not None:
                keys.by_id.setdefault((spec.fact, item_id), keys.new())
    facts: list[Fact] = []
    blank: list[str] = []
    root_data = _normalise(dossier, set(), blank, keep_blank)
    root_data["key"] = 0
    source = validator.codec().dump(dossier)  # each item's source is its part of this
    facts.append(Fact(ROOT, root_data, (), "", source, tuple(blank)))
    _children(dossier, ROOT, (), "", 0, keys, facts, source, keep_blank)
    return facts


def _part(source: Any, path: NodePath) -> dict[str, Any]:
    for step in path:
        source = source[step]
    return typing.cast(dict[str, Any], source)


def _children(
    owner: BaseModel,
    owner_type: str,
    owner_path: NodePath,
    owner_label: str,
    owner_key: int,
    keys: _Keys,
    facts: list[Fact],
    root_source: dict[str, Any],
    keep_blank: bool,
) -> None:
    for spec in LISTS:
        if spec.owner != owner_type:
            continue
        items = get_path(owner, spec.path) or []
        dotted = ".".join(spec.path)
        for index, item in enumerate(items):
            item_id = getattr(item, "id", None)
            path: NodePath = (*owner_path, *spec.path, index)
            label = f"{owner_label}.{dotted}" if owner_label else dotted
            label += f"[{item_id}]" if item_id is not None else f"[{index}]"
            key = keys.by_id.get((spec.fact, item_id)) if item_id is not None else None
            if key is None:
                key = keys.new()
            blank: list[str] = []
            data = _item_data(item, spec.fact, keys, blank, keep_blank)
            data["key"] = key
            if owner_type != ROOT:
                data[owner_type] = owner_key
            source = _part(root_source, path)
            fanout = FANOUT.get(spec.fact)
            if fanout and getattr(item, fanout[0]):
                fact_type = REF_TARGETS[dict(ref_fields(spec.item))[fanout[0]]]
                for n, target in enumerate(getattr(item, fanout[0])):
                    copy = dict(data)
                    copy[fanout[1]] = keys.by_id[(fact_type, target)]
                    copy[FANOUT_FIRST] = n == 0
                    facts.append(Fact(spec.fact, copy, path, label, source, tuple(blank)))
            else:
                if fanout:
                    data[FANOUT_FIRST] = True
                facts.append(Fact(spec.fact, data, path, label, source, tuple(blank)))
            _children(item, spec.fact, path, label, key, keys, facts, root_source, keep_blank)


def _item_data(item: BaseModel, fact: str, keys: _Keys, blank: list[str], keep_blank: bool) -> dict[str, Any]:
    data = _normalise(item, {"id"}, blank, keep_blank)
    for name, target in ref_fields(type(item)):
        value = getattr(item, name)
        if isinstance(value, str):
            data[name] = keys.by_id[(REF_TARGETS[target], value)]
    for text_field in TEXT_CODES.get(fact, ()):
        value = getattr(item, text_field)
        if isinstance(value, str):
            data[f"{text_field}_code"] = keys.text(value)
    return data
