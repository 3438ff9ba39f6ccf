"""Compile rules into durable-rules JSON, checking every reference against the fact catalogue.

Each rule becomes two engine rules: ``<id>|applies`` (the rule's applicability) and
``<id>|gap`` (applicability plus the gap condition), and one more such pair per applicability
alternative (``#2``, ...). The shapes emitted are only those the
engine evaluates safely (see checker.engine): positive patterns hold tests on their own fact
only; each cross-fact comparison of a positive join sits alone on a context slot fact;
absence patterns may compare with matched facts directly.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checker.base import limits
from checker.base.errors import RuleError, did_you_mean
from checker.engine import facts as F
from checker.engine.session import Program
from checker.model.introspect import ROOT, unwrap
from checker.rulepack.spec import Absent, AbsentJoin, Join, Pattern, Rule

APPLIES = "|applies"
GAP = "|gap"
CONTEXT = "context"
MAX_RULES = limits.MAX_RULES
MAX_TESTS_PER_TYPE = limits.MAX_TESTS_PER_TYPE
MAX_RULE_NUMBER = limits.MAX_RULE_NUMBER
_REV = {"eq": "eq", "ne": "ne", "lt": "gt", "lte": "gte", "gt": "lt", "gte": "lte"}
_DR_OP = {"lt": "$lt", "lte": "$lte", "gt": "$gt", "gte": "$gte", "ne": "$neq"}
_JOINABLE = {"key", "ref", "number", "date"}
# A rule that both matches a fact type and requires one absent reads the absent one through a
# view: the adapter asserts every fact of that type a second time under `<type>__view`, before
# all the types it is matched with, so that the negation sees them first (docs/engine.md).
VIEW = "__view"
# {alias} or {alias.field} in a rule message
PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)(?:\.([a-z0-9_.]+))?\}")


class CompileError(RuleError):
    """A rule cannot be compiled; the message says why (the loader adds file and line)."""

    def __init__(self, message: str, where: tuple[str | int, ...] = ()) -> None:
        super().__init__(message)
        self.where = where

    def __str__(self) -> str:
        return self.message


def field_info(fact: str, field: str, where: tuple[str | int, ...]) -> F.FieldInfo:
    fields = F.CATALOGUE.get(fact)
    if fields is None:
        raise CompileError(f"unknown fact type '{fact}'{did_you_mean(fact, F.CATALOGUE)}", where)
    info = fields.get(field)
    if info is None:
        raise CompileError(f"fact type '{fact}' has no field '{field}'{did_you_mean(field, fields)}", where)
    return info


def _value(info: F.FieldInfo, value: Any, where: tuple[str | int, ...]) -> Any:
    """A rule's literal value as the engine sees it."""
    if info.kind == "date":
        if isinstance(value, str):
            try:
                value = dt.date.fromisoformat(value)
            except ValueError:
                raise CompileError(f"'{value}' is not a date (YYYY-MM-DD)", where) from None
        if not isinstance(value, dt.date):
            raise CompileError(f"expected a date, got {value!r}", where)
        return F.day_number(value)
    if info.kind == "enum":
        if value not in info.values:
            raise CompileError(
                f"'{value}' is not one of {', '.join(info.values)}{did_you_mean(str(value), set(info.values))}",
                where,
            )
        return value
    if info.kind == "bool":
        if not isinstance(value, bool):
            raise CompileError(f"expected true or false, got {value!r}", where)
        return value
    if info.kind == "number":
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise CompileError(f"expected a number, got {value!r}", where)
        if not math.isfinite(value) or abs(value) > MAX_RULE_NUMBER:
            raise CompileError(f"a number in a rule must be finite and at most {MAX_RULE_NUMBER:.0e}", where)
        return value
    if info.kind == "text":
        if not isinstance(value, str):
            raise CompileError(f"expected a string, got {value!r}", where)
        if len(value) > limits.MAX_RULE_TEXT:
            raise CompileError(
                f"a text value in a rule may have at most {limits.MAX_RULE_TEXT} characters", where
            )
        return value
    raise CompileError(f"a {info.kind} field cannot be compared with a literal value", where)


def _test(fact: str, field: str, spec: Any, where: tuple[str | int, ...]) -> dict[str, Any]:
    """One test on one field of a fact."""
    info = field_info(fact, field, where)
    path = f"{fact}.{field}"
    if spec == "present":
        return {"$ex": {path: 1}}
    if spec == "absent":
        return {"$nex": {path: 1}}
    if info.kind in ("list", "object"):
        raise CompileError(
            f"'{field}' is {'a list' if info.kind == 'list' else 'a section'}: test it with present or absent",
            where,
        )
    if not isinstance(spec, dict):
        spec = {"eq": spec}
    if len(spec) != 1:
        raise CompileError(f"a test on '{field}' must have exactly one operator", where)
    ((op, operand),) = spec.items()
    if op in ("in", "not_in"):
        if not isinstance(operand, list) or not operand:
            raise CompileError(f"'{op}' takes a non-empty list", where)
        values = [_value(info, v, where) for v in operand]
        if op == "in":
            return {"$or": [{path: v} for v in values]} if len(values) > 1 else {path: values[0]}
        return (
            {"$and": [{"$neq": {path: v}} for v in values]}
            if len(values) > 1
            else {"$neq": {path: values[0]}}
        )
    if op not in _REV:
        raise CompileError(f"unknown operator '{op}'{did_you_mean(op, set(_REV) | {'in', 'not_in'})}", where)
    if op in ("lt", "lte", "gt", "gte"):
        if info.kind == "enum" and info.ordered:
            path = f"{fact}.{info.rank_field}"
            value: Any = F.RANKED[field.rpartition(".")[2]][_value(info, operand, where)]
        elif info.kind in ("number", "date"):
            value = _value(info, operand, where)
        else:
            raise CompileError(f"'{op}' needs a number, a date or a stage; '{field}' is {info.kind}", where)
        return {_DR_OP[op]: {path: value}}
    value = _value(info, operand, where)
    return {path: value} if op == "eq" else {"$neq": {path: value}}


def local_tests(fact: str, where: Mapping[str, Any], at: tuple[str | int, ...]) -> list[dict[str, Any]]:
    tests: list[dict[str, Any]] = []
    for field, spec in where.items():
        here = (*at, field)
        if field == "any":
            if not isinstance(spec, list) or len(spec) < 2:
                raise CompileError("'any' takes a list of two or more groups of tests", here)
            branches = []
            for i, group in enumerate(spec):
                if not isinstance(group, dict) or not group:
                    raise CompileError("each 'any' branch is a mapping of tests", (*here, i))
                inner = local_tests(fact, group, (*here, i))
                branches.append(inner[0] if len(inner) == 1 else {"$and": inner})
            tests.append({"$or": branches})
        else:
            tests.append(_test(fact, field, spec, here))
    return tests


def _pattern(fact: str, tests: list[dict[str, Any]]) -> dict[str, Any]:
    type_test = {"$ex": {f"{fact}.key": 1}}
    return {"$and": [type_test, *tests]} if tests else type_test


def _operand(
    ref: str, aliases: Mapping[str, str], where: tuple[str | int, ...]
) -> tuple[str, str, F.FieldInfo]:
    alias, _, field = ref.partition(".")
    if not field:
        raise CompileError(f"'{ref}' must be alias.field", where)
    if alias not in aliases:
        raise CompileError(f"unknown alias '{alias}'{did_you_mean(alias, set(aliases))}", where)
    fact = aliases[alias]
    info = field_info(fact, field, where)
    if info.kind not in _JOINABLE:
        raise CompileError(
            f"'{ref}' is a {info.kind} field; joins compare ids, references, numbers and dates", where
        )
    return alias, f"{fact}.{field}", info


def _join(join: Join, slot: int, aliases: Mapping[str, str], where: tuple[str | int, ...]) -> dict[str, Any]:
    la, lpath, _ = _operand(join.left, aliases, (*where, "left"))
    left: Any = {la: lpath}
    ctx = f"ctx{slot}"
    rev = _REV[join.op]
    if join.right == f"{CONTEXT}.today":
        expr: Any = left if not join.offset_days else {"$sub": {"$l": left, "$r": join.offset_days}}
        lhs = f"{ctx}.today"
    else:
        ra, rpath, _ = _operand(join.right, aliases, (*where, "right"))
        expr = {"$sub": {"$l": left, "$r": {ra: rpath}}}
        if join.offset_days:
            expr = {"$sub": {"$l": expr, "$r": join.offset_days}}
        lhs = f"{ctx}.zero"
    test = {lhs: expr} if rev == "eq" else {_DR_OP[rev]: {lhs: expr}}
    return {f"cx{slot}": test}


def _absent(
    absent: Absent, n: int, aliases: Mapping[str, str], where: tuple[str | int, ...], name: str
) -> dict[str, Any]:
    """The negated pattern; `name` is the fact type it reads: the type itself, or its negation
    view when the rule also matches that type (see VIEW)."""
    # The comparisons with matched facts come first: the engine indexes a negated pattern by the
    # equalities before its first `$or`; with an `$or` first (an `in` or `any` test) the pattern
    # never matched, so the absence always held.
    tests: list[dict[str, Any]] = []
    for i, j in enumerate(absent.join):
        here = (*where, "join", i)
        info = field_info(absent.fact, j.field, here)
        if info.kind not in _JOINABLE:
            raise CompileError(f"'{j.field}' is a {info.kind} field and cannot be joined on", here)
        ra, rpath, _ = _operand(j.right, aliases, (*here, "right"))
        rhs: Any = {ra: rpath}
        if j.offset_days:
            rhs = {"$add": {"$l": rhs, "$r": j.offset_days}}
        path = f"{name}.{j.field}"
        tests.append({path: rhs} if j.op == "eq" else {_DR_OP[j.op]: {path: rhs}})
    tests += _renamed(local_tests(absent.fact, absent.where, (*where, "where")), absent.fact, name)
    return {f"n{n}$not": _pattern(name, tests)}


def _renamed(node: Any, fact: str, name: str) -> Any:
    """Tests written for one fact type, re-aimed at another name for it."""
    if fact == name:
        return node
    if isinstance(node, list):
        return [_renamed(v, fact, name) for v in node]
    if isinstance(node, dict):
        return {
            (f"{name}{k[len(fact) :]}" if k.startswith(f"{fact}.") else k): _renamed(v, fact, name)
            for k, v in node.items()
        }
    return node


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    engine: dict[str, Any]  # {"<id>|applies": {...}, "<id>|gap": {...}}, then "#2", ... per alternative
    positive: frozenset[str]  # fact types matched positively by the gap rule (+ "ctx")
    negated: frozenset[str]
    aliases: Mapping[str, str]  # alias -> fact type


def compile_rule(rule: Rule) -> CompiledRule:
    """Two engine rules per applicability alternative: `<id>|applies[#k]` and `<id>|gap[#k]`."""
    alternatives = rule.applies_any or [[]]
    # A type required absent and matched (in any alternative) is read through its view.
    matched = {p.fact for p in rule.applies} | {p.fact for p in rule.gap.match}
    matched |= {p.fact for alt in alternatives for p in alt}
    views = {a.fact: a.fact + VIEW if a.fact in matched else a.fact for a in rule.gap.absent}
    engine: dict[str, Any] = {}
    positive: set[str] = set()
    negated = set(views.values())
    aliases: dict[str, str] = {}
    for k, alt in enumerate(alternatives):
        suffix = "" if k == 0 else f"#{k + 1}"
        applies, gap, aliases, pos, neg = _variant(rule, alt, k, views)
        engine[rule.id + APPLIES + suffix] = {"all": applies}
        engine[rule.id + GAP + suffix] = {"all": gap}
        positive |= pos
        negated |= neg
    return CompiledRule(rule, engine, frozenset(positive), frozenset(negated), aliases)


def _variant(
    rule: Rule, alt: list[Pattern], k: int, views: Mapping[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, str], set[str], set[str]]:
    aliases: dict[str, str] = {}
    applies_tests: dict[str, list[dict[str, Any]]] = {}
    gap_tests: dict[str, list[dict[str, Any]]] = {}
    applies: list[dict[str, Any]] = []
    gap: list[dict[str, Any]] = []
    located: list[tuple[Pattern, tuple[str | int, ...]]] = [
        (p, ("applies", i)) for i, p in enumerate(rule.applies)
    ]
    located += [(p, ("applies_any", k, i)) for i, p in enumerate(alt)]
    fanned = _fanout_readers(rule)
    for pat, at in located:
        _bind(aliases, pat, at)
        tests = local_tests(pat.fact, pat.where, (*at, "where")) + _first_copy(pat, fanned)
        applies.append({pat.alias: _pattern(pat.fact, tests)})
        applies_tests[pat.alias] = tests
        extra = rule.gap.where.get(pat.alias, {})
        tests = tests + local_tests(pat.fact, extra, ("gap", "where", pat.alias))
        gap.append({pat.alias: _pattern(pat.fact, tests)})
        gap_tests[pat.alias] = tests
    for alias in rule.gap.where:
        if alias not in aliases:
            raise CompileError(f"gap.where names unknown alias '{alias}'", ("gap", "where", alias))
    applied_aliases = dict(aliases)
    for i, join in enumerate(rule.applies_join):
        slot = _join(join, i + 1, applied_aliases, ("applies_join", i))
        applies.append(slot)
        gap.append(slot)
    _require_joined_fields(rule.applies_join, [], applied_aliases, applies)
    for i, pat in enumerate(rule.gap.match):
        _bind(aliases, pat, ("gap", "match", i))
        gap_tests[pat.alias] = local_tests(pat.fact, pat.where, ("gap", "match", i, "where"))
        gap_tests[pat.alias] += _first_copy(pat, fanned)
        gap.append({pat.alias: _pattern(pat.fact, gap_tests[pat.alias])})
    first = len(rule.applies_join) + 1
    for i, join in enumerate(rule.gap.join):
        gap.append(_join(join, first + i, aliases, ("gap", "join", i)))
    _require_joined_fields(
        [*rule.applies_join, *rule.gap.join], [j for a in rule.gap.absent for j in a.join], aliases, gap
    )
    positive = set(aliases.values()) | ({"ctx"} if rule.gap.join or rule.applies_join else set())
    for i, absent in enumerate(rule.gap.absent):
        gap.append(_absent(absent, i + 1, aliases, ("gap", "absent", i), views[absent.fact]))
    # Facts the rule only needs to exist bind the first one (lowest key) of their kind: every
    # other binding would only repeat the match, and their product can grow past any memory.
    joined = {ref.partition(".")[0] for j in rule.applies_join for ref in (j.left, j.right)}
    used = joined | {ref.partition(".")[0] for j in rule.gap.join for ref in (j.left, j.right)}
    used |= {j.right.partition(".")[0] for a in rule.gap.absent for j in a.join} | {rule.report.at}
    used |= {m.group(1) for text in (rule.message.en, rule.message.zh) for m in PLACEHOLDER.finditer(text)}
    negated = _first_only(applies, applies_tests, aliases, joined)
    negated |= _first_only(gap, gap_tests, aliases, used)
    if rule.report.at not in aliases:
        raise CompileError(f"report.at names unknown alias '{rule.report.at}'", ("report", "at"))
    if rule.report.field:
        _model_path(aliases[rule.report.at], rule.report.field, ("report", "field"))
    for lang in ("en", "zh"):
        _check_placeholders(getattr(rule.message, lang), aliases, ("message", lang))
    return applies, gap, aliases, positive, negated


def _where_fields(where: Any) -> set[str]:
    """The field names a `where` mapping tests, inside `any` groups too."""
    if not isinstance(where, Mapping):
        return set()
    out = set()
    for field, spec in where.items():
        if field == "any" and isinstance(spec, list):
            for group in spec:
                out |= _where_fields(group)
        else:
            out.add(str(field))
    return out


def _fanout_readers(rule: Rule) -> set[str]:
    """The aliases whose fan-out field (a trial's `indication`) the rule reads anywhere."""
    patterns = [*rule.applies, *(p for alt in rule.applies_any for p in alt), *rule.gap.match]
    fanout_of = {p.alias: F.FANOUT[p.fact][1] for p in patterns if p.fact in F.FANOUT}
    refs = [r for j in (*rule.applies_join, *rule.gap.join) for r in (j.left, j.right)]
    refs += [j.right for a in rule.gap.absent for j in a.join]
    refs += [
        m.group(0)[1:-1] for text in (rule.message.en, rule.message.zh) for m in PLACEHOLDER.finditer(text)
    ]
    if rule.report.field:
        refs.append(f"{rule.report.at}.{rule.report.field}")
    readers = set()
    for alias, field in fanout_of.items():
        tested = {f for p in patterns if p.alias == alias for f in _where_fields(p.where)}
        tested |= _where_fields(rule.gap.where.get(alias, {}))
        read = any(r == f"{alias}.{field}" or r.startswith(f"{alias}.{field}.") for r in refs)
        if read or any(f == field or f.startswith(f"{field}.") for f in tested):
            readers.add(alias)
    return readers


def _first_copy(pat: Pattern, readers: set[str]) -> list[dict[str, Any]]:
    """A fanned-out fact (one trial per indication it serves) that the rule reads only for what
    is the same in every copy matches its first copy only: the same findings, without one
    binding (and one engine comparison with every other matched fact) per indication."""
    if pat.fact not in F.FANOUT or pat.alias in readers:
        return []
    return [{f"{pat.fact}.{F.FANOUT_FIRST}": True}]


def _first_only(
    patterns: list[dict[str, Any]],
    tests: Mapping[str, list[dict[str, Any]]],
    aliases: Mapping[str, str],
    used: set[str],
) -> set[str]:
    """For each alias that nothing else refers to, require that no fact of its type passing the
    same tests has a lower key, right after the alias's own pattern (so that the engine never
    builds the product of such facts); returns the views these absences read."""
    views: set[str] = set()
    for n, (alias, local) in reversed(list(enumerate(tests.items(), start=1))):
        fact = aliases[alias]
        if alias in used or fact == ROOT:
            continue
        view = fact + VIEW
        lower = {"$lt": {f"{view}.key": {alias: f"{fact}.key"}}}
        renamed = _renamed(local, fact, view)
        groups = [t for t in renamed if set(t) <= {"$or", "$and"}]
        plain = [t for t in renamed if t not in groups]
        # Plain tests first (the engine's alpha stack holds 64 pending nodes, so a comparison
        # with a matched fact must not sit at the top for every rule), then the comparison, then
        # `$or` / `$and` groups: a comparison after a group in a negation is never evaluated.
        at = next(i for i, p in enumerate(patterns) if alias in p) + 1
        patterns.insert(at, {f"u{n}$not": _pattern(view, [*plain, lower, *groups])})
        views.add(view)
    return views


def _require_joined_fields(
    joins: list[Join],
    absent_joins: list[AbsentJoin],
    aliases: Mapping[str, str],
    patterns: list[dict[str, Any]],
) -> None:
    """A comparison that reads a missing field of a matched fact makes the engine fail the whole
    batch (error 311), so each field a comparison reads from a matched fact must be present."""
    refs = [j.left for j in joins] + [j.right for j in joins] + [j.right for j in absent_joins]
    needed: dict[str, list[str]] = {}
    for ref in refs:
        alias, _, field = ref.partition(".")
        if alias in aliases and field and field != "key":
            needed.setdefault(alias, []).append(f"{aliases[alias]}.{field}")
    for i, pattern in enumerate(patterns):
        ((alias, test),) = pattern.items()
        if alias in needed:
            tests = test.get("$and", [test])
            extra = [{"$ex": {path: 1}} for path in dict.fromkeys(needed[alias])]
            patterns[i] = {alias: {"$and": [*tests, *extra]}}


def _bind(aliases: dict[str, str], pat: Pattern, where: tuple[str | int, ...]) -> None:
    if pat.alias in aliases or pat.alias == CONTEXT or re.fullmatch(r"(cx|n|u)\d+", pat.alias):
        raise CompileError(f"alias '{pat.alias}' is used twice or reserved", (*where, "as"))
    if pat.fact not in F.CATALOGUE:
        raise CompileError(
            f"unknown fact type '{pat.fact}'{did_you_mean(pat.fact, F.CATALOGUE)}", (*where, "fact")
        )
    aliases[pat.alias] = pat.fact


def _model_path(fact: str, field: str, where: tuple[str | int, ...]) -> None:
    """A report field may name any field of the item, lists included."""
    from pydantic import BaseModel

    cls: Any = F.FACT_MODELS[fact]
    for part in field.split("."):
        fields = cls.model_fields if isinstance(cls, type) and issubclass(cls, BaseModel) else {}
        if part not in fields:
            raise CompileError(f"'{fact}' has no field '{field}'{did_you_mean(part, set(fields))}", where)
        ann = unwrap(fields[part].annotation)
        args = getattr(ann, "__args__", ())
        cls = args[0] if getattr(ann, "__origin__", None) is list and args else ann


def _check_placeholders(text: str, aliases: Mapping[str, str], where: tuple[str | int, ...]) -> None:
    for m in PLACEHOLDER.finditer(text):
        alias, field = m.group(1), m.group(2)
        if alias not in aliases:
            raise CompileError(f"placeholder '{m.group(0)}' names unknown alias '{alias}'", where)
        if field:
            _model_path(aliases[alias], field, where)


def fact_order(compiled: list[CompiledRule]) -> tuple[str, ...]:
    """Assert order: every negated fact type before the positive types of its rules."""
    views = sorted({t for c in compiled for t in c.negated if t.endswith(VIEW)})
    types = [*F.FACT_MODELS, *views, "ctx"]
    before: dict[str, set[str]] = {t: set() for t in types}  # t -> types that must precede t
    for c in compiled:
        for pos in c.positive:
            before[pos] |= c.negated
    order: list[str] = []
    placed: set[str] = set()
    while len(order) < len(types):
        ready = [t for t in types if t not in placed and before[t] <= placed]
        if not ready:
            stuck = sorted(t for t in types if t not in placed)
            culprits = sorted(
                c.rule.id for c in compiled if c.negated & set(stuck) and c.positive & set(stuck)
            )
            raise CompileError(
                "the rules' absence conditions cannot be ordered for the engine (a cycle among "
                f"fact types {', '.join(stuck)}; rules {', '.join(culprits)})"
            )
        order.append(ready[0])
        placed.add(ready[0])
    return tuple(order)


def distinct_tests(compiled: list[CompiledRule]) -> dict[str, int]:
    """How many distinct tests the rules make on each fact type."""
    tests: dict[str, set[str]] = {}
    for c in compiled:
        for rule in c.engine.values():
            for pattern in rule["all"]:
                (body,) = pattern.values()
                for test in body.get("$and", [body]):
                    fact = _tested_type(test)
                    if fact:
                        tests.setdefault(fact, set()).add(json.dumps(test, sort_keys=True))
    return {fact: len(texts) for fact, texts in tests.items()}


def _tested_type(test: Any) -> str | None:
    """The fact type a compiled test reads (the first `type.field` key in it)."""
    if isinstance(test, dict):
        for key, value in test.items():
            if "." in key:
                return str(key.partition(".")[0])
            found = _tested_type(value)
            if found:
                return found
    if isinstance(test, list):
        for item in test:
            found = _tested_type(item)
            if found:
                return found
    return None


def link(compiled: list[CompiledRule]) -> Program:
    if len(compiled) > MAX_RULES:
        raise CompileError(f"a rule pack may hold at most {MAX_RULES} rules; this one has {len(compiled)}")
    for fact, count in sorted(distinct_tests(compiled).items()):
        if count > MAX_TESTS_PER_TYPE:
            raise CompileError(
                f"the rules make {count} distinct tests on '{fact}' facts; the engine handles at most "
                f"{MAX_TESTS_PER_TYPE} (merge rules that differ only in a value into one 'in' test)"
            )
    rules: dict[str, Any] = {}
    for c in compiled:
        rules.update(c.engine)
    slots = max((len(c.rule.applies_join) + len(c.rule.gap.join) for c in compiled), default=0)
    order = fact_order(compiled)
    views = {t: t[: -len(VIEW)] for t in order if t.endswith(VIEW)}
    return Program(rules=rules, fact_order=order, slots=slots, views=views)
