"""Read one file as a dossier: YAML with locations, the model, and cross-item consistency."""

from __future__ import annotations

import hashlib
import re
import reprlib
import typing
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError

from checker.base.errors import InputError, NodePath, Problem, did_you_mean, path_label, short
from checker.base.limits import MAX_PROBLEMS_PER_FILE, Limits
from checker.load.yamlio import Located, load_yaml, read_limited
from checker.model import dossier as model
from checker.model import validator
from checker.model.common import ID_PATTERN
from checker.model.introspect import LISTS, ROOT, get_path, unwrap

DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class LoadedDossier:
    file: str  # the name the user gave
    sha256: str
    located: Located
    dossier: model.Dossier

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
        raise InputError(f"{path}: invalid dossier", _problems(path, located, exc)) from None
    problems = consistency(path, located, dossier)
    if problems:
        raise InputError(f"{path}: inconsistent dossier", problems)
    return LoadedDossier(path, hashlib.sha256(raw).hexdigest(), located, dossier)


# ---------------------------------------------------------------- model errors


def _model_at(loc: NodePath, root: type[BaseModel] = model.Dossier) -> type[BaseModel] | None:
    """The model class of the mapping at loc, if it is one."""
    cls: Any = root
    for part in loc:
        if isinstance(part, int):
            continue
        fields = cls.model_fields if isinstance(cls, type) and issubclass(cls, BaseModel) else None
        if fields is None or part not in fields:
            return None
        ann = unwrap(fields[part].annotation)
        if typing.get_origin(ann) is list:
            ann = unwrap(typing.get_args(ann)[0])
        cls = ann
    return cls if isinstance(cls, type) and issubclass(cls, BaseModel) else None


_REPR = reprlib.Repr()
_REPR.maxstring = 60
_REPR.maxother = 60
_REPR.maxlist = _REPR.maxdict = 4


def _show(value: Any) -> str:
    """A value as the YAML author wrote it."""
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    text = _REPR.repr(value)  # bounded work, whatever the size of the value
    return text if len(text) <= 60 else text[:57] + "..."


def _literal_hint(given: Any, expected: str) -> str:
    """'did you mean' for an enumeration value in the wrong case or misspelled."""
    options = re.findall(r"'([^']*)'", expected)
    text = str(given)
    if not isinstance(given, str) and text in options:
        return f"; write it as a string: '{text}'"
    for option in options:
        if option.casefold() == text.casefold().replace("_", "-").replace(" ", "-"):
            return f" (did you mean '{option}'?)"
    return did_you_mean(text, options)


def _problems(
    path: str, located: Located, exc: ValidationError, root: type[BaseModel] = model.Dossier
) -> list[Problem]:
    # Only the first problems of a file are worded (a "did you mean" costs time): a file with
    # 90,000 unknown keys is reported in bounded time, its problems in line order.
    errors = []
    for err in exc.errors(include_url=False):
        loc: NodePath = tuple(p for p in err["loc"] if isinstance(p, (str, int)))
        mark = located.mark_for(loc)
        if err["type"] == "extra_forbidden":
            mark = located.key_marks.get(loc) or mark
        errors.append((mark.line, mark.column, loc, err))
    errors.sort(key=lambda e: (e[0], e[1]))
    out = [
        Problem(path, line, col, _message(loc, err, root), path_label(loc))
        for line, col, loc, err in errors[:MAX_PROBLEMS_PER_FILE]
    ]
    return cap_problems(sorted(out, key=lambda p: (p.line, p.column, p.message)), len(errors))


def _message(loc: NodePath, err: Any, root: type[BaseModel]) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        parent = _model_at(loc[:-1], root)
        name = str(loc[-1])
        hint = ""
        if parent is not None:
            hint = did_you_mean(name, parent.model_fields)
            allowed = ", ".join(parent.model_fields)
            hint += f"; allowed here: {allowed}"
        lead = name[:1]
        if lead and (lead.isspace() or lead in "\u200b\ufeff") and lead not in " \t":  # e.g. a no-break space
            import unicodedata

            what = unicodedata.name(lead, "space character").lower()
            return (
                f"unknown key '{short(name.strip())}' written after a {what} (U+{ord(lead):04X}), which "
                "YAML does not take as indentation; indent with ordinary spaces"
            )
        return f"unknown key '{short(name)}'{hint}"
    if kind == "missing":
        return f"missing required field '{loc[-1]}'"
    if kind == "value_error":
        return str(err.get("ctx", {}).get("error", err["msg"]))
    if kind == "model_type":  # pydantic names the class: say what is expected instead
        cls = _model_at(loc, root)
        keys = f" with the keys {', '.join(cls.model_fields)}" if cls is not None else ""
        return f"expected a mapping{keys} (got {_show(err.get('input'))})"
    if kind == "string_pattern_mismatch" and err.get("ctx", {}).get("pattern") == ID_PATTERN:
        return (
            "not a valid id: ASCII letters (A-Z, a-z), digits, '.', '_' and '-', starting with a "
            f"letter or digit, at most 64 characters (got {_show(err.get('input'))})"
        )
    msg = "not a valid calendar date (YYYY-MM-DD)" if kind.startswith("date_") else err["msg"]
    if "input" in err and kind not in ("model_type",):
        msg += f" (got {_show(err['input'])})"
    if kind == "string_type" and isinstance(err.get("input"), (bool, int, float)):
        msg += "; put it in quotes to keep it as text"
    if kind == "literal_error":
        msg += _literal_hint(err["input"], str(err.get("ctx", {}).get("expected", "")))
    return msg


def cap_problems(problems: list[Problem], total: int | None = None) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems, then one line saying how many more there are."""
    total = len(problems) if total is None else total
    if total <= MAX_PROBLEMS_PER_FILE:
        return problems
    kept = problems[:MAX_PROBLEMS_PER_FILE]
    last = kept[-1]
    more = total - len(kept)
    message = f"{more} more problem(s) in this file not shown (at most {MAX_PROBLEMS_PER_FILE} are reported per file)"
    return [*kept, Problem(last.file, last.line, last.column, message)]


def validation_problems(
    path: str, located: Located, exc: ValidationError, root: type[BaseModel]
) -> list[Problem]:
    """A model's validation errors as located problems, for files that are not dossiers (e.g. a
    justification file)."""
    return _problems(path, located, exc, root)


# ---------------------------------------------------------------- consistency


def _unique_ids(
    owner: BaseModel, list_path: tuple[str, ...], at: NodePath, problem: Callable[[NodePath, str], None]
) -> set[str]:
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
    return set(seen)


def consistency(path: str, located: Located, dossier: model.Dossier) -> list[Problem]:
    """Ids unique per list, references resolve, approvals match stages."""
    out: list[Problem] = []

    def problem(loc: NodePath, msg: str) -> None:
        m = located.mark_for(loc)
        where = path_label(loc)
        out.append(Problem(path, m.line, m.column, msg, where))

    ids: dict[str, set[str]] = {}
    for spec in LISTS:
        if spec.owner == ROOT:
            ids[".".join(spec.path)] = _unique_ids(dossier, spec.path, (), problem)
    for owner_spec in LISTS:  # lists inside list items: ids unique within their owner
        for spec in LISTS:
            if spec.owner == owner_spec.fact and owner_spec.owner == ROOT:
                for i, owner in enumerate(get_path(dossier, owner_spec.path) or []):
                    _unique_ids(owner, spec.path, (*owner_spec.path, i), problem)

    def check_ref(loc: NodePath, target: str, value: str | None) -> None:
        if value is not None and value not in ids.get(target, set()):
            known = sorted(ids.get(target, set()))
            shown = ", ".join(known[:10]) + (f", ... ({len(known)} in all)" if len(known) > 10 else "")
            hint = did_you_mean(value, known) or (f"; known: {shown}" if known else "")
            problem(loc, f"'{value}' is not the id of an item in {target}{hint}")

    for i, trial in enumerate(dossier.clinical_trials):
        for j, target in enumerate(trial.indications):
            check_ref(("clinical_trials", i, "indications", j), "indications", target)
        check_ref(("clinical_trials", i, "bridges"), "foreign_studies", trial.bridges)
    approvals = {ind.id: ind.approval for ind in dossier.indications}
    for i, c in enumerate(dossier.post_approval_commitments):
        check_ref(("post_approval_commitments", i, "indication"), "indications", c.indication)
        check_ref(("post_approval_commitments", i, "trial"), "clinical_trials", c.trial)
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
