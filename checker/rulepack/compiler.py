"""Compile rules into durable-rules JSON, checking every reference against the fact catalogue.

Each rule becomes two engine rules: ``<id>|applies`` (the rule's applicability) and
``<id>|gap`` (applicability plus the gap condition), and one more such pair per applicability
alternative (``#2``, ...). The shapes emitted are only those the
engine evaluates safely (see checker.engine): positive patterns hold tests on their own fact
only; each cross-fact comparison of a positive join sits alone on a context slot fact;
absence patterns may compare with matched facts directly.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from checker.base.errors import suggestion
from checker.base.i18n import message
from checker.engine import facts as F
from checker.engine.program import Origin
from checker.model.introspect import unwrap
from checker.rulepack.bounds import check_shape, check_work
from checker.rulepack.conditions import (
    ENGINE_OP,
    PLACEHOLDER,
    REVERSED,
    CompileError,
    field_info,
    kind_said,
    local_tests,
)
from checker.rulepack.existence import (
    CONTEXT,
    VIEW,
    closing_test,
    first_only,
    join_aliases,
    join_aliases_of,
    pinned_aliases,
    renamed_tests,
    type_pattern,
)
from checker.rulepack.spec import Absent, AbsentJoin, Join, Pattern, Rule

APPLIES = "|applies"
GAP = "|gap"
_JOINABLE = {"key", "ref", "number", "date"}


def _operand(
    ref: str, aliases: Mapping[str, str], where: tuple[str | int, ...]
) -> tuple[str, str, F.FieldInfo]:
    alias, _, field = ref.partition(".")
    if not field:
        raise CompileError(message("rc_alias_field", ref=ref), where)
    if alias not in aliases:
        raise CompileError(
            message("rc_unknown_alias", alias=alias, hint=suggestion(alias, set(aliases))), where
        )
    fact = aliases[alias]
    info = field_info(fact, field, where)
    if info.kind not in _JOINABLE:
        raise CompileError(message("rc_not_joinable", ref=ref, kind=kind_said(info.kind)), where)
    return alias, f"{fact}.{field}", info


def _join(join: Join, slot: int, aliases: Mapping[str, str], where: tuple[str | int, ...]) -> dict[str, Any]:
    la, lpath, _ = _operand(join.left, aliases, (*where, "left"))
    left: Any = {la: lpath}
    ctx = f"ctx{slot}"
    rev = REVERSED[join.op]
    if join.right == f"{CONTEXT}.today":
        expr: Any = left if not join.offset_days else {"$sub": {"$l": left, "$r": join.offset_days}}
        lhs = f"{ctx}.today"
    else:
        ra, rpath, _ = _operand(join.right, aliases, (*where, "right"))
        expr = {"$sub": {"$l": left, "$r": {ra: rpath}}}
        if join.offset_days:
            expr = {"$sub": {"$l": expr, "$r": join.offset_days}}
        lhs = f"{ctx}.zero"
    test = {lhs: expr} if rev == "eq" else {ENGINE_OP[rev]: {lhs: expr}}
    return {f"cx{slot}": test}


def _place(patterns: list[dict[str, Any]], slot: dict[str, Any], joined: set[str]) -> None:
    """Put a comparison's context slot right after the last fact it compares (and the slots
    already there): the engine then keeps only the combinations of facts that pass it, instead
    of the product of every fact the rule matches before the comparisons."""
    at = 0
    for i, pattern in enumerate(patterns):
        ((alias, _),) = pattern.items()
        if alias in joined:
            at = i + 1
    while at < len(patterns) and next(iter(patterns[at])).startswith("cx"):
        at += 1  # after the slots already there, in their order
    patterns.insert(at, slot)


def _absent(
    absent: Absent, n: int, aliases: Mapping[str, str], where: tuple[str | int, ...], name: str
) -> dict[str, Any]:
    """The negated pattern; `name` is the fact type it reads: the type itself, or its negation
    view when the rule also matches that type (see VIEW)."""
    # The comparisons with matched facts come first: the engine indexes a negated pattern by the
    # equalities before its first `$or`; with an `$or` first (an `in` or `any` test) the pattern
    # never matched, so the absence always held.
    tests: list[dict[str, Any]] = []
    last = ""
    for i, j in enumerate(absent.join):
        here = (*where, "join", i)
        info = field_info(absent.fact, j.field, here)
        if info.kind not in _JOINABLE:
            said = message("rc_absent_not_joinable", field=j.field, kind=kind_said(info.kind))
            raise CompileError(said, here)
        ra, rpath, _ = _operand(j.right, aliases, (*here, "right"))
        rhs: Any = {ra: rpath}
        if j.offset_days:
            rhs = {"$add": {"$l": rhs, "$r": j.offset_days}}
        path = f"{name}.{j.field}"
        tests.append({path: rhs} if j.op == "eq" else {ENGINE_OP[j.op]: {path: rhs}})
        last = ra
    if last:
        tests.append(closing_test(name, last, aliases[last]))
    tests += renamed_tests(local_tests(absent.fact, absent.where, (*where, "where")), absent.fact, name)
    return {f"n{n}$not": type_pattern(name, tests)}


@dataclass(frozen=True)
class CompiledRule:
    rule: Rule
    engine: dict[str, Any]  # {"<id>|applies": {...}, "<id>|gap": {...}}, then "#2", ... per alternative
    positive: frozenset[str]  # fact types matched positively by the gap rule (+ "ctx")
    negated: frozenset[str]
    aliases: Mapping[str, str]  # alias -> fact type
    origins: Mapping[str, Origin]  # each engine rule's name -> this rule and its role


def compile_rule(rule: Rule) -> CompiledRule:
    """Two engine rules per applicability alternative: `<id>|applies[#k]` and `<id>|gap[#k]`;
    a rule past a bound of checker.rulepack.bounds is refused."""
    check_shape(rule)
    alternatives = rule.applies_any or [[]]
    # A type required absent and matched (in any alternative) is read through its view.
    matched = {p.fact for p in rule.applies} | {p.fact for p in rule.gap.match}
    matched |= {p.fact for alt in alternatives for p in alt}
    views = {a.fact: a.fact + VIEW if a.fact in matched else a.fact for a in rule.gap.absent}
    engine: dict[str, Any] = {}
    positive: set[str] = set()
    negated = set(views.values())
    aliases: dict[str, str] = {}
    origins: dict[str, Origin] = {}
    for k, alt in enumerate(alternatives):
        suffix = "" if k == 0 else f"#{k + 1}"
        applies, gap, aliases, pos, neg = _variant(rule, alt, k, views)
        engine[rule.id + APPLIES + suffix] = {"all": applies}
        engine[rule.id + GAP + suffix] = {"all": gap}
        origins[rule.id + APPLIES + suffix] = Origin(rule.id, "applies")
        origins[rule.id + GAP + suffix] = Origin(rule.id, "gap")
        positive |= pos
        negated |= neg
    check_work(engine)
    return CompiledRule(rule, engine, frozenset(positive), frozenset(negated), aliases, origins)


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
        applies.append({pat.alias: type_pattern(pat.fact, tests)})
        applies_tests[pat.alias] = tests
        extra = rule.gap.where.get(pat.alias, {})
        tests = tests + local_tests(pat.fact, extra, ("gap", "where", pat.alias))
        gap.append({pat.alias: type_pattern(pat.fact, tests)})
        gap_tests[pat.alias] = tests
    for alias in rule.gap.where:
        if alias not in aliases:
            raise CompileError(message("rc_gap_where_alias", alias=alias), ("gap", "where", alias))
    applied_aliases = dict(aliases)
    slots = [
        (_join(join, i + 1, applied_aliases, ("applies_join", i)), join_aliases(join))
        for i, join in enumerate(rule.applies_join)
    ]
    for slot, joined_aliases in slots:
        _place(applies, slot, joined_aliases)
    _require_joined_fields(rule.applies_join, [], applied_aliases, applies)
    for i, pat in enumerate(rule.gap.match):
        _bind(aliases, pat, ("gap", "match", i))
        gap_tests[pat.alias] = local_tests(pat.fact, pat.where, ("gap", "match", i, "where"))
        gap_tests[pat.alias] += _first_copy(pat, fanned)
        gap.append({pat.alias: type_pattern(pat.fact, gap_tests[pat.alias])})
    first = len(rule.applies_join) + 1
    slots += [
        (_join(join, first + i, aliases, ("gap", "join", i)), join_aliases(join))
        for i, join in enumerate(rule.gap.join)
    ]
    for slot, joined_aliases in slots:
        _place(gap, slot, joined_aliases)
    _require_joined_fields(
        [*rule.applies_join, *rule.gap.join], [j for a in rule.gap.absent for j in a.join], aliases, gap
    )
    positive = set(aliases.values()) | ({"ctx"} if rule.gap.join or rule.applies_join else set())
    for i, absent in enumerate(rule.gap.absent):
        gap.append(_absent(absent, i + 1, aliases, ("gap", "absent", i), views[absent.fact]))
    # Facts the rule only needs to exist bind the first one (lowest key) of their kind: every
    # other binding would only repeat the match, and their product can grow past any memory. A
    # fact compared only with facts matched before it binds the first one that passes those
    # comparisons too (`_pinned`), unless the gap rule reads it otherwise.
    joined = join_aliases_of(rule.applies_join)
    read = join_aliases_of(rule.gap.join) | {rule.report.at}
    read |= {j.right.partition(".")[0] for a in rule.gap.absent for j in a.join}
    read |= {m.group(1) for text in (rule.message.en, rule.message.zh) for m in PLACEHOLDER.finditer(text)}
    pinned = pinned_aliases(rule.applies_join, applied_aliases, set())
    negated = first_only(applies, applies_tests, aliases, joined - set(pinned), pinned)
    pinned = pinned_aliases(rule.applies_join, applied_aliases, read)
    negated |= first_only(gap, gap_tests, aliases, (joined | read) - set(pinned), pinned)
    if rule.report.at not in aliases:
        raise CompileError(message("rc_report_at_alias", alias=rule.report.at), ("report", "at"))
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
    if pat.alias in aliases or pat.alias == CONTEXT or re.fullmatch(r"(cx|n|u|w)\d+", pat.alias):
        raise CompileError(message("rc_alias_twice", alias=pat.alias), (*where, "as"))
    if pat.fact not in F.CATALOGUE:
        said = message("rc_unknown_fact", fact=pat.fact, hint=suggestion(pat.fact, F.CATALOGUE))
        raise CompileError(said, (*where, "fact"))
    aliases[pat.alias] = pat.fact


def _model_path(fact: str, field: str, where: tuple[str | int, ...]) -> None:
    """A report field may name any field of the item, lists included."""
    from pydantic import BaseModel

    cls: Any = F.FACT_MODELS[fact]
    for part in field.split("."):
        fields = cls.model_fields if isinstance(cls, type) and issubclass(cls, BaseModel) else {}
        if part not in fields:
            said = message("rc_no_model_field", fact=fact, field=field, hint=suggestion(part, set(fields)))
            raise CompileError(said, where)
        ann = unwrap(fields[part].annotation)
        args = getattr(ann, "__args__", ())
        cls = args[0] if getattr(ann, "__origin__", None) is list and args else ann


def _check_placeholders(text: str, aliases: Mapping[str, str], where: tuple[str | int, ...]) -> None:
    for m in PLACEHOLDER.finditer(text):
        alias, field = m.group(1), m.group(2)
        if alias not in aliases:
            raise CompileError(message("rc_placeholder_alias", placeholder=m.group(0), alias=alias), where)
        if field:
            _model_path(aliases[alias], field, where)
