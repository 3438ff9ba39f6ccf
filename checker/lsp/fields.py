"""The dossier model seen from a place in a document: which field a key is, what the model says
about it (its description, its values), and what a new item or section of it holds at least."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from checker.base.errors import NodePath
from checker.model.common import SINCE_MARK
from checker.model.dossier import Dossier
from checker.model.introspect import field_model, unwrap


@dataclass(frozen=True)
class Field:
    key: str  # as it is written
    info: FieldInfo
    owner: type[BaseModel]

    @property
    def description(self) -> str:
        return " ".join((self.info.description or "").split())

    @property
    def required(self) -> bool:
        return self.info.is_required()

    def values(self) -> tuple[str, ...]:
        """The values of a field that takes one of a fixed set (a list's items too)."""
        ann = unwrap(self.info.annotation)
        if typing.get_origin(ann) is list:
            ann = unwrap(typing.get_args(ann)[0])
        if typing.get_origin(ann) is typing.Literal:
            return tuple(str(v) for v in typing.get_args(ann))
        return ()

    def model(self) -> tuple[type[BaseModel] | None, bool]:
        """The model the field holds (or a list of), and whether it is a list."""
        return field_model(self.info.annotation)


def fields_of(cls: type[BaseModel]) -> dict[str, Field]:
    """A model's fields by the key they are written as."""
    return {
        (info.alias or name): Field(info.alias or name, info, cls) for name, info in cls.model_fields.items()
    }


def field_at(path: NodePath, root: type[BaseModel] = Dossier) -> Field | None:
    """The field the last key of `path` is (list indices are passed over)."""
    cls: type[BaseModel] | None = root
    found: Field | None = None
    for step in path:
        if isinstance(step, int):
            continue
        if cls is None:
            return None
        found = fields_of(cls).get(step)
        if found is None:
            return None
        cls, _ = found.model()
    return found


def model_at(path: NodePath, root: type[BaseModel] = Dossier) -> type[BaseModel] | None:
    """The model of the mapping at `path` (for a list, of its items)."""
    if not [s for s in path if isinstance(s, str)]:
        return root
    found = field_at(path, root)
    return found.model()[0] if found is not None else None


def _since(f: Field) -> str | None:
    extra = f.info.json_schema_extra
    value = extra.get(SINCE_MARK) if isinstance(extra, dict) else None
    return value if isinstance(value, str) else None


def skeleton(cls: type[BaseModel], given: dict[str, Any], version: str = "1.0") -> dict[str, Any]:
    """A new mapping of `cls`, as a template to fill in: the values `given` (by key) first, then
    every other field of the dossier's format `version` in the model's order. A required field
    gets a value where one is mechanical (a section's own skeleton, a list with one item, the
    first of a fixed set of values); any other field is a key without a value, which reads as
    absent (and a required one is reported missing until it is filled in)."""
    out: dict[str, Any] = {}
    known = fields_of(cls)
    for key, value in given.items():
        if key in known:
            out[key] = value
    for key, f in known.items():
        since = _since(f)
        if key in out or (since is not None and since > version):
            continue
        model, is_list = f.model()
        values = f.values()
        if f.required and model is not None:
            out[key] = [skeleton(model, {}, version)] if is_list else skeleton(model, {}, version)
        elif f.required and values:
            out[key] = [values[0]] if is_list else values[0]
        else:
            out[key] = None
    return out
