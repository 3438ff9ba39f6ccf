"""What one rule may ask of the engine, checked when it is loaded: the size of its tests, the
number of facts it matches, and the work its matches can take on a dossier at its list limits.
A rule past a bound is refused with its location (the bounds are in checker.base.limits and
docs/rule-format.md); a compiled rule inside them never makes the engine spin, overflow or
exhaust the machine."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import Any

from annotated_types import MaxLen
from pydantic import BaseModel

from checker.base import limits
from checker.base.i18n import message
from checker.engine import facts as F
from checker.model.dossier import Dossier
from checker.model.introspect import LISTS, ROOT, field_model
from checker.rulepack.conditions import PLACEHOLDER, CompileError
from checker.rulepack.spec import Rule

NodePath = tuple[str | int, ...]


def _max_len(cls: type[BaseModel], path: tuple[str, ...]) -> int:
    """The most items the list at `path` of a `cls` item can hold (its schema's maxItems)."""
    current: type[BaseModel] | None = cls
    most = limits.MAX_NODES
    for part in path:
        info = current.model_fields[part] if current is not None else None
        if info is None:
            return most
        most = next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), most)
        current, _ = field_model(info.annotation)
    return most


@cache
def max_facts() -> Mapping[str, int]:
    """The most facts of each type a valid dossier can give (its lists at their limits)."""
    models: dict[str, type[BaseModel]] = {ROOT: Dossier}
    counts: dict[str, int] = {ROOT: 1}
    for spec in LISTS:
        models[spec.fact] = spec.item
        counts[spec.fact] = counts[spec.owner] * _max_len(models[spec.owner], spec.path)
    for fact, (field, _) in F.FANOUT.items():  # one fact per indication it serves
        counts[f"{fact}*"] = counts[fact] * _max_len(models[fact], (field,))
    return counts


def _positive_count(fact: str, body: Any) -> int:
    """How many facts one positive pattern can match: every copy of a fanned-out fact unless
    the pattern takes the first copy only."""
    if fact in F.FANOUT and f'"{fact}.{F.FANOUT_FIRST}"' not in repr(body).replace("'", '"'):
        return max_facts()[f"{fact}*"]
    return max_facts().get(fact, 1)


def _type_of(body: Any) -> str:
    test = body.get("$and", [body])[0] if isinstance(body, dict) else {}
    key = next(iter(test.get("$ex", {})), "") if isinstance(test, dict) else ""
    return str(key).partition(".")[0]


def engine_work(patterns: list[dict[str, Any]]) -> int:
    """The partial matches the engine can hold for one compiled engine rule on a dossier at its
    list limits: at each positive pattern, the product of what the patterns so far can match
    (a first-of-its-kind negation brings its pattern back to one, a pinned one (`w`) the matches
    back to what they were before its pattern; a context slot that compares a
    matched item's key brings that item back to one, or to its copies; other slots and absences
    only filter), summed over the patterns."""
    running, total = 1, 0
    counts: dict[str, int] = {}
    copies: dict[str, int] = {}  # a fanned-out item's copies (one per indication it serves)
    before: dict[str, int] = {}  # the matches held before each positive pattern
    pinned: set[str] = set()
    last = ""
    for pattern in patterns:
        ((alias, body),) = pattern.items()
        if alias.endswith("$not"):
            if alias.startswith("u") and last:
                running //= max(counts[last], 1)
                counts[last] = 1
            elif alias.startswith("w") and last:  # one per combination of the facts before it
                running = min(running, before[last])
                counts[last] = 1
                pinned.add(last)
            continue
        if alias.startswith("cx"):
            keyed = _keyed_alias(body)
            if (
                keyed in counts and not _slot_aliases(body) & pinned
            ):  # one item of that kind per combination of the others
                per_key = copies.get(keyed, 1)
                running = running // max(counts[keyed], 1) * per_key
                counts[keyed] = per_key
            continue
        last = alias
        before[alias] = running
        fact = _type_of(body)
        counts[alias] = _positive_count(fact, body)
        if counts[alias] != max_facts().get(fact, 1):  # every copy of a fanned-out item
            copies[alias] = counts[alias] // max(max_facts().get(fact, 1), 1)
        running *= counts[alias]
        total += running
    return total


def _slot_aliases(node: Any) -> set[str]:
    """The matched facts' aliases a context slot reads (`{alias: "fact.field"}` operands)."""
    if isinstance(node, list):
        return {a for v in node for a in _slot_aliases(v)}
    if not isinstance(node, dict):
        return set()
    out = {k for k, v in node.items() if isinstance(v, str) and not k.startswith("$")}
    return out | {a for v in node.values() for a in _slot_aliases(v)}


def _keyed_alias(slot: Any) -> str:
    """The alias whose key a context slot's equality compares with another matched fact's field
    (`b.indication == a.key`: at most one `a` per `b`), or ""."""
    ((lhs, expr),) = slot.items() if isinstance(slot, dict) and len(slot) == 1 else ((None, None),)
    if not (isinstance(lhs, str) and lhs.endswith(".zero") and isinstance(expr, dict)):
        return ""
    sub = expr.get("$sub")
    if not isinstance(sub, dict) or set(sub) != {"$l", "$r"}:
        return ""
    sides = [sub["$l"], sub["$r"]]
    if not all(isinstance(side, dict) and len(side) == 1 for side in sides):
        return ""
    refs = [next(iter(side.items())) for side in sides]
    if not all(isinstance(path, str) and not alias.startswith("$") for alias, path in refs):
        return ""
    keyed = [alias for alias, path in refs if path.endswith(".key")]
    return keyed[0] if len(keyed) == 1 and refs[0][0] != refs[1][0] else ""


def _count_tests(where: Any, depth: int, at: NodePath) -> int:
    """The tests a `where` makes (each `in` value and each `any` branch counted), checking the
    size of each `in` list and `any` on the way."""
    if not isinstance(where, Mapping):
        return 1
    total = 0
    for field, spec in where.items():
        here = (*at, field)
        if field == "any":
            groups = spec if isinstance(spec, list) else []
            if len(groups) > limits.MAX_ANY_BRANCHES:
                raise CompileError(
                    message("bound_any_branches", n=len(groups), most=limits.MAX_ANY_BRANCHES), here
                )
            if depth >= limits.MAX_ANY_DEPTH:
                raise CompileError(message("bound_any_depth", most=limits.MAX_ANY_DEPTH), here)
            total += sum(_count_tests(g, depth + 1, (*here, i)) for i, g in enumerate(groups))
        elif isinstance(spec, Mapping) and len(spec) == 1:
            ((op, operand),) = spec.items()
            if op in ("in", "not_in") and isinstance(operand, list):
                if len(operand) > limits.MAX_IN_VALUES:
                    raise CompileError(
                        message("bound_in_values", op=str(op), n=len(operand), most=limits.MAX_IN_VALUES),
                        (*here, op),
                    )
                total += len(operand)
            else:
                total += 1
        else:
            total += 1
    return total


def _check_where(where: Any, at: NodePath) -> None:
    n = _count_tests(where, 0, at)
    if n > limits.MAX_PATTERN_TESTS:
        raise CompileError(message("bound_pattern_tests", n=n, most=limits.MAX_PATTERN_TESTS), at)


def check_shape(rule: Rule) -> None:
    """The bounds a rule's own text can break, before it is compiled (each refusal located)."""
    groups = rule.applies_any
    if len(groups) > limits.MAX_ALTERNATIVES:
        raise CompileError(
            message("bound_alternatives", n=len(groups), most=limits.MAX_ALTERNATIVES), ("applies_any",)
        )
    widest = max((len(g) for g in groups), default=0)
    patterns = len(rule.applies) + widest + len(rule.gap.match)
    if patterns > limits.MAX_RULE_PATTERNS:
        raise CompileError(message("bound_patterns", n=patterns, most=limits.MAX_RULE_PATTERNS), ("applies",))
    joins = len(rule.applies_join) + len(rule.gap.join)
    if joins > limits.MAX_JOINS:
        where = ("gap", "join") if rule.gap.join else ("applies_join",)
        raise CompileError(message("bound_joins", n=joins, most=limits.MAX_JOINS), where)
    if len(rule.gap.absent) > limits.MAX_ABSENT:
        raise CompileError(
            message("bound_absent", n=len(rule.gap.absent), most=limits.MAX_ABSENT), ("gap", "absent")
        )
    located: list[tuple[Any, NodePath]] = [
        (p.where, ("applies", i, "where")) for i, p in enumerate(rule.applies)
    ]
    located += [
        (p.where, ("applies_any", k, i, "where")) for k, g in enumerate(groups) for i, p in enumerate(g)
    ]
    located += [(p.where, ("gap", "match", i, "where")) for i, p in enumerate(rule.gap.match)]
    located += [(w, ("gap", "where", alias)) for alias, w in rule.gap.where.items()]
    for i, absent in enumerate(rule.gap.absent):
        located.append((absent.where, ("gap", "absent", i, "where")))
        if len(absent.join) > limits.MAX_ABSENT_JOINS:
            raise CompileError(
                message("bound_absent_joins", n=len(absent.join), most=limits.MAX_ABSENT_JOINS),
                ("gap", "absent", i, "join"),
            )
    for where, at in located:
        _check_where(where, at)
    for lang in ("en", "zh"):
        _check_message(getattr(rule.message, lang), ("message", lang))


def _check_message(text: str, at: NodePath) -> None:
    """A message is filled in once per finding: its length once every placeholder holds a value
    of the longest kind is bounded."""
    holes = len(PLACEHOLDER.findall(text))
    if holes > limits.MAX_MESSAGE_PLACEHOLDERS:
        raise CompileError(message("bound_placeholders", n=holes, most=limits.MAX_MESSAGE_PLACEHOLDERS), at)
    longest = len(text) + holes * limits.MAX_PLACEHOLDER_CHARS
    if longest > limits.MAX_MESSAGE_CHARS:
        raise CompileError(message("bound_message", n=longest, most=limits.MAX_MESSAGE_CHARS), at)


def _expressions(test: Any) -> int:
    if isinstance(test, dict) and len(test) == 1:
        ((op, value),) = test.items()
        if op in ("$and", "$or") and isinstance(value, list):
            return 1 + sum(_expressions(v) for v in value)
    return 1


def grouped_expressions(body: Any) -> int:
    """The expressions the engine holds for a pattern's `$or` tests that group several tests
    (an `any` branch with two tests or more): it holds at most 40 in one node (error 113)."""
    tests = body.get("$and", [body]) if isinstance(body, dict) else []
    total = 0
    for test in tests:
        groups = test.get("$or") if isinstance(test, dict) else None
        if isinstance(groups, list) and any(
            isinstance(t, dict) and ({"$and", "$or"} & set(t)) for t in groups
        ):
            total += _expressions(test)
    return total


def check_work(engine: Mapping[str, Any], where: NodePath = ("applies",)) -> None:
    """A compiled rule's engine rules, each within the work bound on a dossier at its limits and
    within what the engine holds in one node."""
    for name, rule in engine.items():
        for pattern in rule["all"]:
            ((_, body),) = pattern.items()
            n = grouped_expressions(body)
            if n > limits.MAX_GROUPED_EXPRESSIONS:
                raise CompileError(
                    message("bound_grouped", rule=name, n=n, most=limits.MAX_GROUPED_EXPRESSIONS), where
                )
        work = engine_work(rule["all"])
        if work > limits.MAX_RULE_MATCHES:
            raise CompileError(
                message(
                    "bound_matches",
                    rule=name,
                    n=f"{work:,}" if work < 10**15 else f"{work:.1e}",
                    most=f"{limits.MAX_RULE_MATCHES:,}",
                ),
                where,
            )


__all__ = ["check_shape", "check_work", "engine_work", "max_facts"]
