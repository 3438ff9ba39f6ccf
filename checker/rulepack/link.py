"""Link compiled rules into one engine program: the order facts are asserted in (every negated
fact type before the types it is matched with), the bounds on what the engine can hold, and
where each engine rule comes from."""

from __future__ import annotations

import json
import re
from typing import Any

from checker.base import limits
from checker.base.i18n import message
from checker.engine import facts as F
from checker.engine.program import Origin, Program
from checker.rulepack.bounds import engine_work
from checker.rulepack.compiler import VIEW, CompiledRule
from checker.rulepack.conditions import CompileError

MAX_RULES = limits.MAX_RULES
MAX_TESTS_PER_TYPE = limits.MAX_TESTS_PER_TYPE
# Rules with joins are dealt round-robin into this many lanes of context slots: a slot fact
# passes the alpha test of every join that sits on it at once, and the engine walks at most 64
# pending alpha nodes per fact (error 303), so one slot shared by every rule's first join would
# bound the whole pack's joins; in lanes, each slot fact feeds a quarter of them.
SLOT_LANES = 4
_SLOT_ALIAS = re.compile(r"cx(\d+)")
_SLOT_FIELD = re.compile(r"ctx(\d+)\.(zero|today)")


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
            raise CompileError(message("rc_cycle", types=", ".join(stuck), rules=", ".join(culprits)))
        order.append(ready[0])
        placed.add(ready[0])
    return tuple(order)


def distinct_tests(compiled: list[CompiledRule]) -> dict[str, int]:
    """How many distinct tests the rules make on each fact type: each alternative of an `$or`
    (an `in` value, an `any` group's test) is a test of its own, since each is a node of the
    engine's network."""
    tests: dict[str, set[str]] = {}
    for c in compiled:
        for rule in c.engine.values():
            for pattern in rule["all"]:
                (body,) = pattern.values()
                for test in _leaves(body):
                    fact = _tested_type(test)
                    if fact:
                        tests.setdefault(fact, set()).add(json.dumps(test, sort_keys=True))
    return {fact: len(texts) for fact, texts in tests.items()}


def _leaves(test: Any) -> list[Any]:
    """The plain tests inside `$and` and `$or` groups."""
    if isinstance(test, dict) and len(test) == 1:
        ((op, value),) = test.items()
        if op in ("$and", "$or") and isinstance(value, list):
            return [leaf for item in value for leaf in _leaves(item)]
    return [test]


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
        raise CompileError(message("rc_too_many_rules", most=MAX_RULES, n=len(compiled)))
    for fact, count in sorted(distinct_tests(compiled).items()):
        if count > MAX_TESTS_PER_TYPE:
            raise CompileError(message("rc_too_many_tests", n=count, fact=fact, most=MAX_TESTS_PER_TYPE))
    work = sum(engine_work(rule["all"]) for c in compiled for rule in c.engine.values())
    if work > limits.MAX_PACK_MATCHES:
        raise CompileError(message("bound_pack_matches", n=f"{work:,}", most=f"{limits.MAX_PACK_MATCHES:,}"))
    rules: dict[str, Any] = {}
    origins: dict[str, Origin] = {}
    width = max((_joins(c) for c in compiled), default=0)
    lane = 0
    for c in compiled:
        if _joins(c):
            offset = (lane % SLOT_LANES) * width
            rules.update({name: _shifted(rule, offset) for name, rule in c.engine.items()})
            lane += 1
        else:
            rules.update(c.engine)
        origins.update(c.origins)
    slots = width * min(lane, SLOT_LANES)
    order = fact_order(compiled)
    views = {t: t[: -len(VIEW)] for t in order if t.endswith(VIEW)}
    return Program(rules=rules, fact_order=order, slots=slots, views=views, origins=origins)


def _joins(c: CompiledRule) -> int:
    return len(c.rule.applies_join) + len(c.rule.gap.join)


def _shifted(rule: dict[str, Any], offset: int) -> dict[str, Any]:
    """An engine rule with its context slots moved `offset` slots on: the alias `cxK` of each
    join pattern and the slot field `ctxK.zero` / `ctxK.today` its test reads (the one key of
    the test, or of the operator's operand). Nothing else in the rule is touched."""
    if not offset:
        return rule
    out = []
    for pattern in rule["all"]:
        ((alias, body),) = pattern.items()
        m = _SLOT_ALIAS.fullmatch(alias)
        if m is None:
            out.append(pattern)
            continue
        out.append({f"cx{int(m[1]) + offset}": _shifted_test(body, offset)})
    return {**rule, "all": out}


def _shifted_test(test: dict[str, Any], offset: int) -> dict[str, Any]:
    ((key, value),) = test.items()
    m = _SLOT_FIELD.fullmatch(key)
    if m is not None:
        return {f"ctx{int(m[1]) + offset}.{m[2]}": value}
    return {key: _shifted_test(value, offset)}
