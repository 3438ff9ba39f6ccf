"""Read one file as a dossier: YAML with locations, the model, and cross-item consistency."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from checker.base.errors import InputError, NodePath, Problem, suggestion
from checker.base.i18n import Message, message
from checker.base.limits import Limits
from checker.load.problems import validation_problems
from checker.load.yamlio import Located, load_yaml, read_limited
from checker.model import validator
from checker.model.dossier import Dossier
from checker.model.introspect import LISTS, ROOT, get_path, references, target_ids

DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class LoadedDossier:
    file: str  # the name the user gave
    sha256: str
    located: Located
    dossier: Dossier

    def mark(self, path: NodePath) -> tuple[int, int]:
        m = self.located.mark_for(path)
        return m.line, m.column


def load_dossier(path: str, data: bytes | None = None, limits: Limits = DEFAULT_LIMITS) -> LoadedDossier:
    """Load and validate one dossier; every problem in the file is reported at once.

    ``data``, when given, is the file's content (e.g. standard input); ``path`` names it."""
    raw = read_limited(path, limits.max_file_bytes) if data is None else data
    located = load_yaml(
        raw,
        path,
        max_bytes=limits.max_file_bytes,
        max_depth=limits.max_depth,
        max_nodes=limits.max_nodes,
        max_chars=limits.text_chars,
    )
    doc = located.data
    root = located.mark_for(())
    if doc is None:
        raise InputError(f"{path}: empty", [Problem(path, 1, 1, message("dossier_empty"))])
    if not isinstance(doc, dict):
        kind = message("got_list" if isinstance(doc, list) else "got_scalar")
        said = message("dossier_not_mapping", kind=kind)
        raise InputError(f"{path}: not a mapping", [Problem(path, root.line, root.column, said)])
    try:
        dossier = validator.codec().validate(doc)
    except ValidationError as exc:
        raise InputError(
            f"{path}: invalid dossier", validation_problems(path, located, exc, Dossier)
        ) from None
    problems = consistency(path, located, dossier)
    if problems:
        raise InputError(f"{path}: inconsistent dossier", problems)
    return LoadedDossier(path, hashlib.sha256(raw).hexdigest(), located, dossier)


# ---------------------------------------------------------------- consistency


def _unique_ids(
    owner: BaseModel,
    list_path: tuple[str, ...],
    at: NodePath,
    problem: Callable[[NodePath, Message], None],
    located: Located,
) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(get_path(owner, list_path) or []):
        item_id = getattr(item, "id", None)
        if item_id is None:
            continue
        if item_id in seen:
            first = located.label((*at, *list_path, seen[item_id]))
            problem((*at, *list_path, i, "id"), message("duplicate_id", id=item_id, first=first))
        seen.setdefault(item_id, i)


def reference_problems(path: str, located: Located, root: BaseModel) -> list[Problem]:
    """Every id written in a reference field (a field the model marks ``x-ref``) of ``root`` or
    of anything it holds that is not the id of an item of the list the field refers into."""
    known: dict[str, list[str]] = {}
    out = []
    for ref in references(root):
        ids = known.get(ref.target)
        if ids is None:
            ids = known[ref.target] = sorted(target_ids(root, ref.target))
        if ref.value in ids:
            continue
        hint = suggestion(ref.value, ids)
        if not hint and ids:
            more = message("ids_in_all", n=len(ids)) if len(ids) > 10 else ""
            hint = message("known_ids", ids=", ".join(ids[:10]), more=more)
        m = located.mark_for(ref.path)
        said = message("unknown_reference", value=ref.value, target=ref.target, hint=hint)
        out.append(Problem(path, m.line, m.column, said, located.label(ref.path)))
    return out


def consistency(path: str, located: Located, dossier: Dossier) -> list[Problem]:
    """Ids unique per list, references resolve, approvals match stages."""
    out: list[Problem] = []

    def problem(loc: NodePath, said: Message) -> None:
        m = located.mark_for(loc)
        out.append(Problem(path, m.line, m.column, said, located.label(loc)))

    for spec in LISTS:
        if spec.owner == ROOT:
            _unique_ids(dossier, spec.path, (), problem, located)
    for owner_spec in LISTS:  # lists inside list items: ids unique within their owner
        for spec in LISTS:
            if spec.owner == owner_spec.fact and owner_spec.owner == ROOT:
                for i, owner in enumerate(get_path(dossier, owner_spec.path) or []):
                    _unique_ids(owner, spec.path, (*owner_spec.path, i), problem, located)
    out.extend(reference_problems(path, located, dossier))
    for i, chain in _lineage_cycles(dossier):
        problem(("starting_materials", i, "derived_from"), message("lineage_cycle", chain=" -> ".join(chain)))
    approvals = {ind.id: ind.approval for ind in dossier.indications}
    for i, c in enumerate(dossier.post_approval_commitments):
        approval = approvals.get(c.indication)
        if approval is not None and c.due_date is not None and c.due_date < approval.date:
            problem(
                ("post_approval_commitments", i, "due_date"),
                message("due_before_approval", due=str(c.due_date), approved=str(approval.date)),
            )
    for i, ind in enumerate(dossier.indications):
        if ind.stage == "approved" and ind.approval is None:
            problem(
                ("indications", i, "stage"),
                message("approved_without_approval"),
            )
        if ind.stage != "approved" and ind.approval is not None:
            problem(
                ("indications", i, "approval"),
                message("approval_not_approved", stage=ind.stage),
            )
    return sorted(out, key=lambda p: (p.line, p.column, p.message))


def _lineage_cycles(dossier: Dossier) -> list[tuple[int, list[str]]]:
    """Each cycle of starting materials made from one another (derived_from), once, at the first
    of its materials in the file: (its index, the ids round the cycle back to it)."""
    parent = {m.id: m.derived_from for m in dossier.starting_materials if m.derived_from is not None}
    index = {m.id: i for i, m in reversed(list(enumerate(dossier.starting_materials)))}
    seen: set[str] = set()
    out: list[tuple[int, list[str]]] = []
    for start in parent:
        path: list[str] = []
        at: str | None = start
        while at is not None and at not in seen and at not in path:
            path.append(at)
            at = parent.get(at)
        if at is not None and at in path:
            cycle = path[path.index(at) :]
            first = min(cycle, key=lambda m: index[m])
            turned = cycle[cycle.index(first) :] + cycle[: cycle.index(first)]
            out.append((index[first], [*turned, first]))
        seen.update(path)
    return out
