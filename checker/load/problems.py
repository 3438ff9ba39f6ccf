"""A model's validation errors as located problems, for every file the checker reads (dossiers,
rule files, case files, justification files, configurations, baselines).

pydantic says where an error is as a path into the data it validated; the document that data
was read from (``Located``) says where that path is written. An unknown key is reported where
the key is written, anything else where its value is. Messages say what is expected in the
author's terms: the value as written, the keys allowed, and a "did you mean" for a near miss.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from checker.base.errors import Invalid, NodePath, Problem, short, shown, suggestion
from checker.base.i18n import Field, Message, message, verbatim
from checker.base.limits import MAX_PROBLEMS_PER_FILE
from checker.load.fullwidth import half_width, space_name, value_hint
from checker.load.located import Located
from checker.model.common import ID_PATTERN
from checker.model.introspect import mapping_keys, model_at
from checker.model.justification import PATH_PATTERN

__all__ = ["ModelError", "cap_problems", "given_value", "model_errors", "validation_problems"]


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

    def said(self) -> Message:
        """What is wrong, in the author's terms."""
        return _said(self.path[len(self.at) :], self.details, self.root)

    def message(self) -> str:
        """What is wrong, in English."""
        return self.said().text()


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
    lead: str | None = None,
) -> list[Problem]:
    """The located problems of a validation error, in line order, with the document path of each
    (list items by id, as in findings); ``lead`` is a key of the table whose text holds each
    message as its field ``message`` (e.g. what the file is not). Only the first problems of a
    file are worded (a "did you mean" costs time), so that a file with 90,000 unknown keys is
    reported in bounded time."""
    errors = model_errors(located, exc, root, at)
    out = []
    for e in errors[:MAX_PROBLEMS_PER_FILE]:
        said = e.said() if lead is None else message(lead, message=e.said())
        out.append(Problem(file, e.line, e.column, said, located.label(e.path)))
    return cap_problems(sorted(out, key=lambda p: (p.line, p.column, p.message)), len(errors))


def cap_problems(problems: list[Problem], total: int | None = None) -> list[Problem]:
    """At most MAX_PROBLEMS_PER_FILE problems, then one line saying how many more there are."""
    total = len(problems) if total is None else total
    if total <= MAX_PROBLEMS_PER_FILE:
        return problems
    kept = problems[:MAX_PROBLEMS_PER_FILE]
    last = kept[-1]
    said = message("more_problems", more=total - len(kept), limit=MAX_PROBLEMS_PER_FILE)
    return [*kept, Problem(last.file, last.line, last.column, said)]


# ---------------------------------------------------------------- wording


def given_value(value: Any) -> Field:
    """A value given where another was expected, as a message shows it: a list or a mapping by
    its kind, any other value as written."""
    if isinstance(value, list):
        return message("got_list")
    if isinstance(value, dict):
        return message("got_mapping")
    return shown(value)


def _options(expected: str) -> list[str]:
    """The values of pydantic's "'a', 'b' or 'c'"."""
    return re.findall(r"'([^']*)'", expected)


def _literal_hint(given: Any, options: list[str]) -> Message | str:
    """'did you mean' for an enumeration value in the wrong case or misspelled."""
    text = str(given)
    if not isinstance(given, str) and text in options:
        return message("write_as_string", text=text)
    for option in options:
        if option.casefold() == text.casefold().replace("_", "-").replace(" ", "-"):
            return message("did_you_mean", name=option)
    return suggestion(text, options)


def _unknown_key(loc: NodePath, root: type[BaseModel]) -> Message:
    parent = model_at(loc[:-1], root)
    name = str(loc[-1]) if loc else ""
    lead = name[:1]
    if lead and (lead.isspace() or lead in "\u200b\ufeff") and lead not in " \t":  # e.g. a no-break space
        return message("unknown_key_odd_space", key=short(name.strip()), what=space_name(lead))
    if parent is None:
        return message("unknown_key_bare", key=short(name), hint="")
    keys = mapping_keys(parent)
    return message("unknown_key", key=short(name), hint=suggestion(name, keys), keys=", ".join(keys))


def _list(loc: NodePath, given: Any, root: type[BaseModel]) -> Message:
    """A value that is not a list, with the list it could have been written as."""
    if model_at(loc, root) is not None:  # a list of mappings
        return message("expected_items", got=given_value(given))
    if isinstance(given, (str, int, float)) and not isinstance(given, bool) and len(str(given)) <= 40:
        written = half_width(str(given))  # '［BCMA］' meant [BCMA]
        example = written if written.startswith("[") and written.endswith("]") else f"[{written}]"
    else:
        example = "[a, b]"
    return message("expected_list", example=example, got=given_value(given))


def _mapping(loc: NodePath, given: Any, root: type[BaseModel]) -> Message:
    cls = model_at(loc, root)
    if cls is None:
        return message("expected_mapping_plain", got=given_value(given))
    return message("expected_mapping", keys=", ".join(mapping_keys(cls)), got=given_value(given))


def _literal(given: Any, expected: str) -> Message:
    options = _options(expected)
    hint = _literal_hint(given, options)
    if len(options) == 1:
        return message("expected_value", option=f"'{options[0]}'", got=given_value(given), hint=hint)
    return message("expected_one_of", options=", ".join(options), got=given_value(given), hint=hint)


def _text(kind: str, given: Any, ctx: dict[str, Any]) -> Message:
    """A text of the wrong length, or not matching its pattern."""
    length = len(given) if isinstance(given, str) else 0
    if kind == "string_too_long":
        return message("text_too_long", limit=ctx.get("max_length", "?"), n=length)
    if kind == "string_too_short":
        if ctx.get("min_length") == 1:
            return message("text_empty")
        return message("text_too_short", limit=ctx.get("min_length", "?"), n=length)
    if ctx.get("pattern") == ID_PATTERN:
        return message("expected_id", got=given_value(given))
    if ctx.get("pattern") == PATH_PATTERN:
        return message("expected_dossier_path", got=given_value(given))
    if ctx.get("pattern") == r"\S":
        return message("text_blank")
    return message("expected_pattern", pattern=str(ctx.get("pattern", "")), got=given_value(given))


def _date(given: Any) -> Message:
    if isinstance(given, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", given):
        return message("not_a_date", got=given_value(given))
    return message("expected_date", got=given_value(given))


# pydantic's error types and the key that words them with the value given ("got").
_GIVEN = {
    "bool_type": "expected_bool",
    "bool_parsing": "expected_bool",
    "string_type": "expected_text",
    "string_unicode": "expected_text",
    "int_type": "expected_integer",
    "int_parsing": "expected_integer",
    "int_from_float": "expected_integer",
    "int_parsing_size": "expected_integer",
    "float_type": "expected_number",
    "float_parsing": "expected_number",
    "finite_number": "expected_finite",
}
# ... and those with a bound (its field in pydantic's context).
_BOUNDS = {"greater_than": "gt", "greater_than_equal": "ge", "less_than": "lt", "less_than_equal": "le"}

_Wording = Callable[[NodePath, Any, dict[str, Any], type[BaseModel]], Message]
_WORDINGS: dict[str, _Wording] = {
    "extra_forbidden": lambda loc, given, ctx, root: _unknown_key(loc, root),
    "missing": lambda loc, given, ctx, root: (
        message("missing_field", field=str(loc[-1])) if loc else message("missing_value")
    ),
    "list_type": lambda loc, given, ctx, root: _list(loc, given, root),
    "tuple_type": lambda loc, given, ctx, root: _list(loc, given, root),
    "set_type": lambda loc, given, ctx, root: _list(loc, given, root),
    "model_type": lambda loc, given, ctx, root: _mapping(loc, given, root),
    "model_attributes_type": lambda loc, given, ctx, root: _mapping(loc, given, root),
    "dict_type": lambda loc, given, ctx, root: _mapping(loc, given, root),
    "literal_error": lambda loc, given, ctx, root: _literal(given, str(ctx.get("expected", ""))),
    "enum": lambda loc, given, ctx, root: _literal(given, str(ctx.get("expected", ""))),
    "too_short": lambda loc, given, ctx, root: message(
        "list_too_short", limit=ctx.get("min_length", "?"), n=ctx.get("actual_length", "?")
    ),
    "too_long": lambda loc, given, ctx, root: message(
        "list_too_long", limit=ctx.get("max_length", "?"), n=ctx.get("actual_length", "?")
    ),
}


def _said(loc: NodePath, err: ErrorDetails, root: type[BaseModel]) -> Message:
    """The message for one error at ``loc`` of data validated as ``root``: what was expected and
    what was given, in the dossier's terms, with what to write instead where that is clear."""
    kind = err["type"]
    ctx: dict[str, Any] = err.get("ctx") or {}
    given = err.get("input")
    if kind in ("value_error", "assertion_error"):
        error = ctx.get("error")
        return error.said if isinstance(error, Invalid) else verbatim(str(error or err["msg"]))
    said: Message
    if kind in _WORDINGS:
        said = _WORDINGS[kind](loc, given, ctx, root)
    elif kind in _GIVEN:
        said = message(_GIVEN[kind], got=given_value(given))
        if kind == "string_type" and isinstance(given, (bool, int, float)):
            said = message("quote_to_keep_text", message=said)
    elif kind in _BOUNDS:
        bound = ctx.get(_BOUNDS[kind])
        bound = int(bound) if isinstance(bound, float) and bound.is_integer() else bound
        said = message(kind, limit=shown(bound), got=given_value(given))
    elif kind.startswith("string_"):
        said = _text(kind, given, ctx)
    elif kind.startswith(("date_", "datetime_")):
        said = _date(given)
    else:  # a type no input file is known to give: pydantic's own words, with the value
        said = message("invalid_value", detail=verbatim(err["msg"]), got=given_value(given))
    hint = value_hint(given) if kind not in ("extra_forbidden", "missing") else None
    return message("with_hint", message=said, hint=hint) if hint is not None else said
