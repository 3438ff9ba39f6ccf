"""The tests a rule's `where` makes on one fact's fields, as engine conditions: each field
checked against the fact catalogue, each value against the field's kind."""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from typing import Any

from checker.base import limits
from checker.base.errors import RuleError, shown, suggestion
from checker.base.i18n import Message, message
from checker.engine import facts as F

MAX_RULE_NUMBER = limits.MAX_RULE_NUMBER
REVERSED = {"eq": "eq", "ne": "ne", "lt": "gt", "lte": "gte", "gt": "lt", "gte": "lte"}
ENGINE_OP = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte", "ne": "$neq"}
# {alias} or {alias.field} in a rule message
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z0-9_.]+))?\}")


class CompileError(RuleError):
    """A rule cannot be compiled; the message says why (the loader adds file and line)."""

    def __init__(self, message: str | Message, where: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.where = where

    def __str__(self) -> str:
        return self.message


def kind_said(kind: str) -> Message:
    """A field's kind (text, list, ...) inside a compile error, in the error's language."""
    return message(f"field_kind_{kind}")


def field_info(fact: str, field: str, where: tuple[str | int, ...]) -> F.FieldInfo:
    fields = F.CATALOGUE.get(fact)
    if fields is None:
        raise CompileError(message("rc_unknown_fact", fact=fact, hint=suggestion(fact, F.CATALOGUE)), where)
    info = fields.get(field)
    if info is None:
        said = message("rc_no_field", fact=fact, field=field, hint=suggestion(field, fields))
        raise CompileError(said, where)
    return info


def _value(info: F.FieldInfo, value: Any, where: tuple[str | int, ...]) -> Any:
    """A rule's literal value as the engine sees it."""
    if info.kind == "date":
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise CompileError(message("rc_not_a_date", value=value), where) from None
        if not isinstance(value, dt.date):
            raise CompileError(message("rc_expected_date", got=shown(value)), where)
        return F.day_number(value)
    if info.kind == "enum":
        if value not in info.values:
            hint = suggestion(str(value), set(info.values))
            said = message("rc_not_one_of", value=str(value), values=", ".join(info.values), hint=hint)
            raise CompileError(said, where)
        return value
    if info.kind == "bool":
        if not isinstance(value, bool):
            raise CompileError(message("rc_expected_bool", got=shown(value)), where)
        return value
    if info.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CompileError(message("rc_expected_number", got=shown(value)), where)
        if not math.isfinite(value) or abs(value) > MAX_RULE_NUMBER:
            raise CompileError(message("rc_number_bound", most=f"{MAX_RULE_NUMBER:.0e}"), where)
        return value
    if info.kind == "text":
        if not isinstance(value, str):
            raise CompileError(message("rc_expected_string", got=shown(value)), where)
        if len(value) > limits.MAX_RULE_TEXT:
            raise CompileError(message("rc_text_bound", most=limits.MAX_RULE_TEXT), where)
        return value
    raise CompileError(message("rc_no_literal", kind=kind_said(info.kind)), where)


def _test(fact: str, field: str, spec: Any, where: tuple[str | int, ...]) -> dict[str, Any]:
    """One test on one field of a fact."""
    info = field_info(fact, field, where)
    path = f"{fact}.{field}"
    if spec == "present":
        return {"$ex": {path: 1}}
    if spec == "absent":
        return {"$nex": {path: 1}}
    if info.kind in ("list", "object"):
        key = "rc_list_presence" if info.kind == "list" else "rc_section_presence"
        raise CompileError(message(key, field=field), where)
    if not isinstance(spec, dict):
        spec = {"eq": spec}
    if len(spec) != 1:
        raise CompileError(message("rc_one_operator", field=field), where)
    ((op, operand),) = spec.items()
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            raise CompileError(message("rc_nonempty_list", op=str(op)), where)
        values = [_value(info, v, where) for v in operand]
        if op == "in":
            return {"$or": [{path: v} for v in values]} if len(values) > 1 else {path: values[0]}
        return (
            {"$and": [{"$neq": {path: v}} for v in values]}
            if len(values) > 1
            else {"$neq": {path: values[0]}}
        )
    if op not in REVERSED:
        hint = suggestion(str(op), set(REVERSED) | {"in", "not_in"})
        raise CompileError(message("rc_unknown_operator", op=str(op), hint=hint), where)
    if op in ("lt", "lte", "gt", "gte"):
        if info.kind == "enum" and info.ordered:
            path = f"{fact}.{info.rank_field}"
            value: Any = F.RANKED[field.rpartition(".")[2]][_value(info, operand, where)]
        elif info.kind in ("number", "date"):
            value = _value(info, operand, where)
        else:
            said = message("rc_ordered_operator", op=str(op), field=field, kind=kind_said(info.kind))
            raise CompileError(said, where)
        return {ENGINE_OP[op]: {path: value}}
    value = _value(info, operand, where)
    return {path: value} if op == "eq" else {"$neq": {path: value}}


def local_tests(fact: str, where: Mapping[str, Any], at: tuple[str | int, ...]) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for field, spec in where.items():
        here = (*at, field)
        if field == "any":
            if not isinstance(spec, list) or len(spec) < 2:
                raise CompileError(message("rc_any_groups"), here)
            branches = []
            for i, group in enumerate(spec):
                if not isinstance(group, dict) or not group:
                    raise CompileError(message("rc_any_branch"), (*here, i))
                inner = local_tests(fact, group, (*here, i))
                branches.append(inner[0] if len(inner) == 1 else {"$and": inner})
            tests.append({"$or": branches})
        else:
            tests.append(_test(fact, field, spec, here))
    return tests
