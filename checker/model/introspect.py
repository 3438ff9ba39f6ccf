"""What the dossier model says about itself, for the stages that read it: which lists hold items
of their own, which fields refer to items of another list (the fields marked ``x-ref``), and the
model class found at a path of a document.

The reader uses it to check ids and references and to word errors; the engine's facts use it to
turn items into facts and references into keys. Nothing here depends on a particular dossier
model beyond ``LISTS``: the functions take the model class (or instance) they look into.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from checker.base.errors import NodePath
from checker.model import post_approval as post
from checker.model import product, trials

REF_MARK = "x-ref"  # json_schema_extra key: the dotted path of the root list a field refers into


@dataclass(frozen=True)
class ListSpec:
    """A list in the dossier whose items are facts of their own."""

    owner: str  # the fact type that holds the list
    path: tuple[str, ...]  # where the list is, relative to the owner
    fact: str  # the fact type of its items
    item: type[BaseModel]


ROOT = "dossier"

# The registry of lists whose items become facts. Items of a list not named here are not
# facts; scalar lists are not passed to the engine.
LISTS: tuple[ListSpec, ...] = (
    ListSpec("dossier", ("product", "mechanism_of_action", "evidence"), "moa_evidence", product.MoaEvidence),
    ListSpec("dossier", ("indications",), "indication", product.Indication),
    ListSpec(
        "indication", ("clinical_need", "existing_therapies"), "existing_therapy", product.ExistingTherapy
    ),
    ListSpec("indication", ("approval", "rests_on"), "approval_basis", product.ApprovalBasis),
    ListSpec("dossier", ("starting_materials",), "material", product.StartingMaterial),
    ListSpec("dossier", ("cmc", "studies"), "cmc_study", product.CmcStudy),
    ListSpec("dossier", ("nonclinical", "studies"), "nonclinical_study", product.NonclinicalStudy),
    ListSpec("dossier", ("investigator_initiated_trials",), "iit", trials.InvestigatorInitiatedTrial),
    ListSpec("iit", ("serious_safety_events",), "iit_event", trials.SafetyEvent),
    ListSpec("dossier", ("combination_partners",), "partner", trials.CombinationPartner),
    ListSpec("partner", ("approved_uses",), "partner_use", trials.LabelUse),
    ListSpec("dossier", ("clinical_trials",), "trial", trials.ClinicalTrial),
    ListSpec("dossier", ("overseas_approvals",), "overseas_approval", trials.OverseasApproval),
    ListSpec("dossier", ("foreign_studies",), "foreign_study", trials.ForeignStudy),
    ListSpec("dossier", ("cde_communications",), "cde_communication", trials.CdeCommunication),
    ListSpec("dossier", ("post_approval_commitments",), "commitment", post.Commitment),
    ListSpec("dossier", ("real_world_studies",), "rws", post.RealWorldStudy),
    ListSpec("dossier", ("label", "warnings"), "label_warning", post.LabelWarning),
    ListSpec("dossier", ("labels",), "label", post.ProductLabel),
    ListSpec("label", ("warnings",), "warning", post.LabelWarning),
    ListSpec("dossier", ("risk_management_plan", "risks"), "rmp_risk", post.RmpRisk),
)

# The lists of the dossier's root, by their dotted path: what an x-ref mark can name.
ROOT_LISTS: dict[str, ListSpec] = {".".join(s.path): s for s in LISTS if s.owner == ROOT}


def unwrap(annotation: Any) -> Any:
    """Strip Optional and Annotated."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(args) != 1:
                return annotation
            annotation = args[0]
        else:
            return annotation


def _model(annotation: Any) -> type[BaseModel] | None:
    return annotation if isinstance(annotation, type) and issubclass(annotation, BaseModel) else None


def field_model(annotation: Any) -> tuple[type[BaseModel] | None, bool]:
    """The model class a field holds (or holds a list of), and whether it is a list."""
    ann = unwrap(annotation)
    if typing.get_origin(ann) is list:
        args = typing.get_args(ann)
        return (_model(unwrap(args[0])) if args else None), True
    return _model(ann), False


def model_at(loc: NodePath, root: type[BaseModel]) -> type[BaseModel] | None:
    """The model class of the mapping at ``loc`` of a document read as ``root``, if it is one."""
    cls: type[BaseModel] | None = root
    for part in loc:
        if isinstance(part, int):
            continue
        fields = cls.model_fields if cls is not None else {}
        if part not in fields:
            return None
        cls, _ = field_model(fields[part].annotation)
    return cls


def mapping_keys(cls: type[BaseModel]) -> list[str]:
    """The keys a mapping read as ``cls`` may have, as they are written (aliases where given)."""
    return [info.alias or name for name, info in cls.model_fields.items()]


def get_path(obj: BaseModel, path: tuple[str, ...]) -> Any:
    """The value at ``path`` (attribute names) of a model instance; None past an absent part."""
    cur: Any = obj
    for part in path:
        if cur is None:
            return None
        cur = getattr(cur, part)
    return cur


# ---------------------------------------------------------------- references


@functools.cache
def ref_fields(cls: type[BaseModel]) -> tuple[tuple[str, str], ...]:
    """(field, target list) for each field of cls that refers to items of another list: the
    fields whose ``json_schema_extra`` carries an ``x-ref`` mark naming the target's dotted path."""
    out = []
    for name, info in cls.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        target = extra.get(REF_MARK)
        if isinstance(target, str):
            out.append((name, target))
    return tuple(out)


# How a field takes part in the references of a model: it is one (or a list of them), or it holds
# a model (or a list of models) that has some.
_REF, _OBJECT, _ITEMS = "ref", "object", "items"


@functools.cache
def _plan(cls: type[BaseModel]) -> tuple[tuple[str, str, str], ...]:
    """(field, how, target) for each field of cls on the way to a reference; the others are
    never looked at."""
    targets = dict(ref_fields(cls))
    out = []
    for name, info in cls.model_fields.items():
        if name in targets:
            out.append((name, _REF, targets[name]))
            continue
        held, many = field_model(info.annotation)
        if held is not None and _holds_references(held, frozenset({cls})):
            out.append((name, _ITEMS if many else _OBJECT, ""))
    return tuple(out)


def _holds_references(cls: type[BaseModel], seen: frozenset[type[BaseModel]]) -> bool:
    if ref_fields(cls):
        return True
    for info in cls.model_fields.values():
        held, _ = field_model(info.annotation)
        if held is not None and held not in seen and _holds_references(held, seen | {cls}):
            return True
    return False


@dataclass(frozen=True)
class Reference:
    """One id written in a reference field."""

    path: NodePath  # where the id is, from the root of the document
    target: str  # the dotted path of the list it must be the id of an item of
    value: str


def references(obj: BaseModel, at: NodePath = ()) -> Iterator[Reference]:
    """Every id written in a reference field of ``obj`` or of anything it holds, in field order."""
    for name, how, target in _plan(type(obj)):
        value = getattr(obj, name, None)
        if how == _REF:
            if isinstance(value, str):
                yield Reference((*at, name), target, value)
            elif isinstance(value, list):
                for j, item in enumerate(value):
                    if isinstance(item, str):
                        yield Reference((*at, name, j), target, item)
        elif how == _OBJECT and isinstance(value, BaseModel):
            yield from references(value, (*at, name))
        elif how == _ITEMS and isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, BaseModel):
                    yield from references(item, (*at, name, i))


@dataclass(frozen=True)
class RefField:
    """A reference field of a model, where a document first has it: one item in each list on the way."""

    path: NodePath  # e.g. ('clinical_trials', 0, 'bridges')
    target: str
    many: bool  # a list of ids


def reference_fields(root: type[BaseModel]) -> tuple[RefField, ...]:
    """Every reference field reachable from ``root``, in field order."""
    out: list[RefField] = []

    def walk(cls: type[BaseModel], at: NodePath, seen: frozenset[type[BaseModel]]) -> None:
        for name, how, target in _plan(cls):
            info = cls.model_fields[name]
            held, many = field_model(info.annotation)
            if how == _REF:
                out.append(RefField((*at, name), target, typing.get_origin(unwrap(info.annotation)) is list))
            elif held is not None and held not in seen:
                walk(held, (*at, name, 0) if many else (*at, name), seen | {held})

    walk(root, (), frozenset({root}))
    return tuple(out)


def target_ids(root: BaseModel, target: str) -> set[str]:
    """The ids of the items of the list at the dotted path ``target`` of ``root`` (none if there
    is no such list)."""
    cur: Any = root
    for part in target.split("."):
        cur = getattr(cur, part, None) if isinstance(cur, BaseModel) else None
    if not isinstance(cur, list):
        return set()
    return {item_id for item in cur if isinstance(item_id := getattr(item, "id", None), str)}
