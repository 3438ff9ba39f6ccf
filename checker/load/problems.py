"""A model's validation errors as located problems, for every file the checker reads (dossiers,
rule files, case files, justification files, configurations, baselines).

pydantic says where an error is as a path into the data it validated; the document that data
was read from (``Located``) says where that path is written. An unknown key is reported where
the key is written, anything else where its value is. Messages say what is expected in the
author's terms: the value as written, the keys allowed, and a "did you mean" for a near miss.
"""

from __future__ import annotations

import re
import reprlib
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from checker.base.errors import NodePath, Problem, did_you_mean, path_label, short
from checker.base.limits import MAX_PROBLEMS_PER_FILE
from checker.load.located import Located
from checker.model.common import ID_PATTERN
from checker.model.introspect import mapping_keys, model_at

__all__ = ["ModelError", "cap_problems", "model_errors", "validation_problems"]


@dataclass(frozen=True)
class ModelError:
    """One validation error, located in the document the validated data was read from."""

    path: NodePath  # where it is in the document
    line: int
    column: int
    kind: str  # pydantic's error type, e.g. 'missing', 'extra_forbidden', 'literal_error'
    details: ErrorDetails
    root: type[BaseModel]  # the model the data was validated as
    at: NodePath = ()  # where that data is in the document

    def message(self) -> str:
        """What is wrong, in the author's terms."""
        return _message(self.path[len(self.at) :], self.details, self.root)


def model_errors(
    located: Located, exc: ValidationError, root: type[BaseModel], at: NodePath = ()
) -> list[ModelError]:
    """The errors of validating data of ``located`` (the node at ``at``) as ``root``, in the order
    they are written."""
    out = []
    for err in exc.errors(include_url=False):
        path: NodePath = (*at, *(p for p in err["loc"] if isinstance(p, (str, int))))
        mark = located.mark_for(path)
        if err["type"] == "extra_forbidden":
            mark = located.key_marks.get(path) or mark
        out.append(ModelError(path, mark.line, mark.column, err["type"], err, root, at))
    out.sort(key=lambda e: (e.line, e.column))
    return out


def validation_problems(
    file: str,
    located: Located,
    exc: ValidationError,
    root: type[BaseModel],
    *,
    at: NodePath = (),
    lead: str = "",
) -> list[Problem]:
    """The located problems of a validation error, in line order, with the document path of each;
    ``lead`` comes before every message (e.g. what the file is not). Only the first problems of a
    file are worded (a "did you mean" costs time), so that a file with 90,000 unknown keys is
    reported in bounded time."""
    errors = model_errors(located, exc, root, at)
    out = [
        Problem(file, e.line, e.column, lead + e.message(), path_label(e.path))
        for e in errors[:MAX_PROBLEMS_PER_FILE]
    ]
    return cap_problems(sorted(out, key=lambda p: (p.line, p.column, p.message)), len(errors))


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


# ---------------------------------------------------------------- wording

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


def _unknown_key(loc: NodePath, root: type[BaseModel]) -> str:
    parent = model_at(loc[:-1], root)
    name = str(loc[-1]) if loc else ""
    hint = ""
    if parent is not None:
        keys = mapping_keys(parent)
        hint = did_you_mean(name, keys) + f"; allowed here: {', '.join(keys)}"
    lead = name[:1]
    if lead and (lead.isspace() or lead in "\u200b\ufeff") and lead not in " \t":  # e.g. a no-break space
        import unicodedata

        what = unicodedata.name(lead, "space character").lower()
        return (
            f"unknown key '{short(name.strip())}' written after a {what} (U+{ord(lead):04X}), which "
            "YAML does not take as indentation; indent with ordinary spaces"
        )
    return f"unknown key '{short(name)}'{hint}"


def _message(loc: NodePath, err: ErrorDetails, root: type[BaseModel]) -> str:
    """The message for one error at ``loc`` of data validated as ``root``."""
    kind = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    if kind == "extra_forbidden":
        return _unknown_key(loc, root)
    if kind == "missing":
        return f"missing required field '{loc[-1]}'" if loc else "missing required field"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"]))
    if kind == "model_type":  # pydantic names the class: say what is expected instead
        cls = model_at(loc, root)
        keys = f" with the keys {', '.join(mapping_keys(cls))}" if cls is not None else ""
        return f"expected a mapping{keys} (got {_show(err.get('input'))})"
    if kind == "string_pattern_mismatch" and ctx.get("pattern") == ID_PATTERN:
        return (
            "not a valid id: ASCII letters (A-Z, a-z), digits, '.', '_' and '-', starting with a "
            f"letter or digit, at most 64 characters (got {_show(err.get('input'))})"
        )
    msg = "not a valid calendar date (YYYY-MM-DD)" if kind.startswith("date_") else err["msg"]
    if "input" in err:
        msg += f" (got {_show(err['input'])})"
    if kind == "string_type" and isinstance(err.get("input"), (bool, int, float)):
        msg += "; put it in quotes to keep it as text"
    if kind == "literal_error":
        msg += _literal_hint(err.get("input"), str(ctx.get("expected", "")))
    return msg
