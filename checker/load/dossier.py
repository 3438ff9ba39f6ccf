"""Read one file as a dossier: YAML with locations, the model, and cross-item consistency."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from checker.base.errors import InputError, NodePath, Problem, did_you_mean, path_label
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
        raise InputError(
            f"{path}: empty",
            [
                Problem(
                    path, 1, 1, "the file is empty: a dossier is a mapping with schema_version and product"
                )
            ],
        )
    if not isinstance(doc, dict):
        kind = "a list" if isinstance(doc, list) else "a single value"
        raise InputError(
            f"{path}: not a mapping",
            [
                Problem(
                    path,
                    root.line,
                    root.column,
                    f"the top level is {kind}: a dossier is a mapping with schema_version and product",
                )
            ],
        )
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
    owner: BaseModel, list_path: tuple[str, ...], at: NodePath, problem: Callable[[NodePath, str], None]
) -> None:
    seen: dict[str, int] = {}
    for i, item in enumerate(get_path(owner, list_path) or []):
        item_id = getattr(item, "id", None)
        if item_id is None:
            continue
        if item_id in seen:
            problem(
                (*at, *list_path, i, "id"),
                f"duplicate id '{item_id}' (also item {seen[item_id] + 1} of this list)",
            )
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
        shown = ", ".join(ids[:10]) + (f", ... ({len(ids)} in all)" if len(ids) > 10 else "")
        hint = did_you_mean(ref.value, ids) or (f"; known: {shown}" if ids else "")
        m = located.mark_for(ref.path)
        message = f"'{ref.value}' is not the id of an item in {ref.target}{hint}"
        out.append(Problem(path, m.line, m.column, message, path_label(ref.path)))
    return out


def consistency(path: str, located: Located, dossier: Dossier) -> list[Problem]:
    """Ids unique per list, references resolve, approvals match stages."""
    out: list[Problem] = []

    def problem(loc: NodePath, msg: str) -> None:
        m = located.mark_for(loc)
        where = path_label(loc)
        out.append(Problem(path, m.line, m.column, msg, where))

    for spec in LISTS:
        if spec.owner == ROOT:
            _unique_ids(dossier, spec.path, (), problem)
    for owner_spec in LISTS:  # lists inside list items: ids unique within their owner
        for spec in LISTS:
            if spec.owner == owner_spec.fact and owner_spec.owner == ROOT:
                for i, owner in enumerate(get_path(dossier, owner_spec.path) or []):
                    _unique_ids(owner, spec.path, (*owner_spec.path, i), problem)
    out.extend(reference_problems(path, located, dossier))
    approvals = {ind.id: ind.approval for ind in dossier.indications}
    for i, c in enumerate(dossier.post_approval_commitments):
        approval = approvals.get(c.indication)
        if approval is not None and c.due_date is not None and c.due_date < approval.date:
            problem(
                ("post_approval_commitments", i, "due_date"),
                f"due date {c.due_date} is before the indication's approval date {approval.date}",
            )
    for i, ind in enumerate(dossier.indications):
        if ind.stage == "approved" and ind.approval is None:
            problem(
                ("indications", i, "stage"),
                "an indication at stage 'approved' needs its 'approval' (type and date)",
            )
        if ind.stage != "approved" and ind.approval is not None:
            problem(
                ("indications", i, "approval"),
                f"'approval' is given but the stage is '{ind.stage}', not 'approved'",
            )
    return sorted(out, key=lambda p: (p.line, p.column, p.message))
