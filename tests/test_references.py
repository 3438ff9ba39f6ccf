"""References between dossier items come from the model's x-ref marks: every marked field is
checked, and turned into a fact key, without code written for it."""

from __future__ import annotations

import datetime as dt
import itertools
import typing
from typing import Any, Literal

import pytest
from pydantic import BaseModel, Field

from checker.base.errors import InputError, NodePath, path_label
from checker.engine import facts as F
from checker.load.dossier import consistency, load_dossier, reference_problems
from checker.load.yamlio import dump_yaml, load_yaml
from checker.model.common import LATEST_SCHEMA_VERSION, Base, Entity
from checker.model.dossier import Dossier
from checker.model.introspect import ROOT_LISTS, RefField, field_model, reference_fields, unwrap
from checker.model.post_approval import RealWorldStudy

UNKNOWN = "no-such-id"
KNOWN = "x"
REF_FIELDS = reference_fields(Dossier)


def _value(annotation: Any) -> Any:
    """A valid value of a required field."""
    ann = unwrap(annotation)
    origin = typing.get_origin(ann)
    if origin is Literal:
        return typing.get_args(ann)[0]
    if origin is list:
        return []
    if ann is bool:
        return False
    if ann in (int, float):
        return 1
    if ann is dt.date:
        return "2024-01-01"
    if ann is str:
        return KNOWN
    if isinstance(ann, type) and issubclass(ann, BaseModel):
        return _minimal(ann)
    raise TypeError(f"no value for {ann!r}")


def _minimal(cls: type[BaseModel]) -> dict[str, Any]:
    """The required fields of cls, each with a valid value (an id is 'x', so is a reference)."""
    return {name: _value(info.annotation) for name, info in cls.model_fields.items() if info.is_required()}


def _put(doc: dict[str, Any], path: NodePath, value: Any, root: type[BaseModel] = Dossier) -> None:
    """Set the node at path, making each mapping and list on the way (one minimal item per list)."""
    node: Any = doc
    cls: type[BaseModel] | None = root
    for step, following in itertools.pairwise(path):
        if isinstance(step, int):
            while len(node) <= step:
                node.append(_minimal(typing.cast(type[BaseModel], cls)))
            node = node[step]
            continue
        assert cls is not None
        held, many = field_model(cls.model_fields[step].annotation)
        if node.get(step) is None:
            node[step] = [] if many else _minimal(typing.cast(type[BaseModel], held))
        node, cls = node[step], held
        assert isinstance(following, int) == many
    node[path[-1]] = value


def _at(ref: RefField) -> NodePath:
    """Where the generated dossier writes the reference: in the first item of its list, or in a
    second one when the list refers into itself (a material derived from another), so that an
    item never refers to itself."""
    if ".".join(str(p) for p in ref.path[:-2]) == ref.target and ref.path[-2] == 0:
        return (*ref.path[:-2], 1, ref.path[-1])
    return ref.path


def _dossier(ref: RefField, value: str) -> dict[str, Any]:
    """A minimal dossier with one item, of id 'x', in every list a reference can point into, and
    `value` written in the reference field `ref`, in the newest format (which has every field)."""
    doc = _minimal(Dossier)
    doc["schema_version"] = LATEST_SCHEMA_VERSION
    for target in sorted({r.target for r in REF_FIELDS}):
        _put(doc, (*target.split("."), 0, "id"), KNOWN)
    at = _at(ref)
    if at != ref.path:
        _put(doc, (*at[:-1], "id"), "y")
    _put(doc, at, [value] if ref.many else value)
    for indication in doc.get("indications", []):
        if "approval" in indication:
            indication["stage"] = "approved"  # an approval is consistent only with this stage
    return doc


def test_the_model_has_reference_fields_and_each_names_a_list_of_the_dossier() -> None:
    assert {(path_label(r.path), r.target) for r in REF_FIELDS} >= {
        ("clinical_trials[0].indications", "indications"),
        ("clinical_trials[0].bridges", "foreign_studies"),
        ("post_approval_commitments[0].indication", "indications"),
        ("post_approval_commitments[0].trial", "clinical_trials"),
    }
    for ref in REF_FIELDS:
        assert ref.target in ROOT_LISTS, f"{path_label(ref.path)}: x-ref names no list of the dossier"
        assert "id" in ROOT_LISTS[ref.target].item.model_fields, f"{ref.target}: its items have no id"
        assert ref.target in F.REF_TARGETS


@pytest.mark.parametrize("ref", REF_FIELDS, ids=lambda r: path_label(r.path))
def test_an_unknown_id_in_any_reference_field_is_a_located_input_error(ref: RefField) -> None:
    text = dump_yaml(_dossier(ref, UNKNOWN))
    where = (*_at(ref), 0) if ref.many else _at(ref)
    located = load_yaml(text, "gen.yaml")
    expected = located.mark_for(where)
    with pytest.raises(InputError) as caught:
        load_dossier("gen.yaml", text.encode("utf-8"))
    [problem] = [p for p in caught.value.problems if p.path == located.label(where)]
    assert f"[{KNOWN}]." in problem.path or "[y]." in problem.path  # the item by its id
    assert problem.message.startswith(f"'{UNKNOWN}' is not the id of an item in {ref.target}")
    assert (problem.line, problem.column) == (expected.line, expected.column) != (1, 1)


@pytest.mark.parametrize("ref", REF_FIELDS, ids=lambda r: path_label(r.path))
def test_a_known_id_in_any_reference_field_becomes_the_items_key(ref: RefField) -> None:
    loaded = load_dossier("gen.yaml", dump_yaml(_dossier(ref, KNOWN)).encode("utf-8"))
    facts = F.build_facts(loaded.dossier)
    target = next(f for f in facts if f.type == F.REF_TARGETS[ref.target])
    owner = next(f for f in facts if f.path == _at(ref)[:-1])
    fanout = F.FANOUT.get(owner.type)
    field = fanout[1] if ref.many and fanout and fanout[0] == ref.path[-1] else str(ref.path[-1])
    assert owner.data[field] == target.data["key"]


# ---------------------------------------------------------------- a field added to the model


class _Study(RealWorldStudy):
    indication: str | None = Field(None, json_schema_extra={"x-ref": "indications"})


class _Dossier(Dossier):
    real_world_studies: list[_Study] = Field(default_factory=list)  # type: ignore[assignment]


ADDED = (
    'schema_version: "1.0"\nproduct: {name: X, modality: car-t}\n'
    "indications:\n  - {id: lbcl, name: L, oncology: true, stage: ind-under-review}\n"
    "real_world_studies:\n  - {id: rws-1, title: T, status: planned, indication: %s}\n"
)


def test_a_reference_field_added_to_the_model_is_checked_and_keyed_without_code_for_it() -> None:
    text = ADDED % "lbcl-3l"
    located = load_yaml(text, "d.yaml")
    dossier = _Dossier.model_validate(located.data)
    [problem] = consistency("d.yaml", located, dossier)
    assert (problem.line, problem.column, problem.path) == (6, 56, "real_world_studies[rws-1].indication")
    assert problem.message == "'lbcl-3l' is not the id of an item in indications (did you mean 'lbcl'?)"

    located = load_yaml(ADDED % "lbcl", "d.yaml")
    dossier = _Dossier.model_validate(located.data)
    assert consistency("d.yaml", located, dossier) == []
    facts = F.build_facts(dossier)  # a KeyError once, when each reference had its own check
    study = next(f for f in facts if f.type == "rws")
    assert study.data["indication"] == next(f for f in facts if f.type == "indication").data["key"]


# ---------------------------------------------------------------- any model


class _Part(Entity):
    name: str


class _Link(Base):
    to: str = Field(json_schema_extra={"x-ref": "parts"})
    also: list[str] = Field(default_factory=list, json_schema_extra={"x-ref": "parts"})


class _Group(Base):
    links: list[_Link] = Field(default_factory=list)


class _Root(Base):
    parts: list[_Part] = Field(default_factory=list)
    group: _Group | None = None
    note: str | None = None


SMALL = """\
parts:
  - {id: wheel, name: Wheel}
  - {id: axle, name: Axle}
group:
  links:
    - to: wheel
      also: [axle, whele]
    - to: frame
"""


def test_the_references_of_any_model_are_found_from_its_marks() -> None:
    assert [(path_label(r.path), r.target, r.many) for r in reference_fields(_Root)] == [
        ("group.links[0].to", "parts", False),
        ("group.links[0].also", "parts", True),
    ]
    located = load_yaml(SMALL, "small.yaml")
    problems = reference_problems("small.yaml", located, _Root.model_validate(located.data))
    assert [(p.line, p.column, p.path, p.message) for p in problems] == [
        (
            7,
            20,
            "group.links[0].also[1]",
            "'whele' is not the id of an item in parts (did you mean 'wheel'?)",
        ),
        (8, 11, "group.links[1].to", "'frame' is not the id of an item in parts; known: axle, wheel"),
    ]


def test_a_reference_into_a_list_that_is_not_there_is_refused_not_a_crash() -> None:
    class Lost(Base):
        to: str = Field(json_schema_extra={"x-ref": "no.such.list"})

    located = load_yaml("to: a\n", "lost.yaml")
    [problem] = reference_problems("lost.yaml", located, Lost.model_validate(located.data))
    assert (problem.line, problem.column, problem.message) == (
        1,
        5,
        "'a' is not the id of an item in no.such.list",
    )
