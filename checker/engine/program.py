"""A compiled rule pack as the engine takes it: its rules, the order facts are asserted in,
and where each engine rule comes from; spread over rulesets of bounded size."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

from checker.base import limits
from checker.engine.encode import engine_json

SENTINEL_RULE = "__batch_complete"
MARKER = "end_marker"
SENTINEL = {"all": [{"m": {"$ex": {f"{MARKER}.k": 1}}}]}  # fires once the end marker is in
RULES_PER_RULESET = limits.RULES_PER_RULESET

# What an engine rule does for its source rule: decide that the rule applies, or find its gap.
Role = Literal["applies", "gap"]


@dataclass(frozen=True)
class Origin:
    """The source rule an engine rule was compiled from, and its role."""

    rule: str
    role: Role


@dataclass(frozen=True)
class EngineFact:
    """One fact for the engine: its type and its plain JSON data."""

    type: str
    data: dict[str, Any]


@dataclass(frozen=True)
class Firing:
    """A rule that fired, and which input fact each of its aliases matched."""

    rule: str  # the engine rule's name: Program.origins says what it is
    bindings: tuple[tuple[str, int], ...]  # (alias, index into the evaluated facts), sorted


# What a condition names: "<fact type>.<field>[.<field>...]", as a key or a value.
_FIELD_PATH = re.compile(r'"([a-z_][a-z0-9_]*)\.([^"\\]+)"')

ReadTree = dict[str, "ReadTree | None"]


def _tree(paths: Iterable[str]) -> ReadTree:
    """Dotted paths as a tree of names; a path that is whole is read whole (None), whatever
    longer paths also name in it."""
    tree: ReadTree = {}
    for path in sorted(paths, key=lambda p: p.count(".")):
        node: ReadTree | None = tree
        *parents, last = path.split(".")
        for name in parents:
            if node is None:
                break
            child = node.setdefault(name, {})
            node = child
        if node is not None and node.get(last, {}) is not None:
            node[last] = None
    return tree


def read_part(data: dict[str, Any], tree: ReadTree) -> dict[str, Any]:
    """The part of a fact's data that a read tree names, in the data's own order."""
    out: dict[str, Any] = {}
    for name, value in data.items():
        if name in tree:
            sub = tree[name]
            out[name] = value if sub is None or type(value) is not dict else read_part(value, sub)
    return out


@dataclass(frozen=True)
class Program:
    """A compiled ruleset, ready for the engine."""

    rules: dict[str, Any]  # durable-rules JSON ruleset: {rule_name: {"all": [...]}}
    fact_order: tuple[str, ...]  # fact types in assert order; "ctx" marks the context slots
    slots: int  # how many context slot facts the rules use
    views: Mapping[str, str] = field(default_factory=dict)  # negation view type -> its fact type
    # engine rule name -> its source rule and role (a name without one is a source rule of its own)
    origins: Mapping[str, Origin] = field(default_factory=dict)

    @cached_property
    def read_fields(self) -> Mapping[str, ReadTree]:
        """For each fact type, the parts of its data the rules read (a view's are its fact's):
        the fields named in their conditions, as a tree of names (None: the whole value). The
        engine is given only these; the rest of a fact is the checker's, read from its own
        facts when a finding is written."""
        found: dict[str, set[str]] = {}
        for m in _FIELD_PATH.finditer(json.dumps(self.rules)):
            found.setdefault(self.views.get(m[1], m[1]), set()).add(m[2])
        return {fact_type: _tree({"key", *paths}) for fact_type, paths in found.items()}

    @cached_property
    def partition(self) -> tuple[tuple[str, ...], ...]:
        """The engine rule names of each engine ruleset: as few rulesets as hold up to
        RULES_PER_RULESET source rules each (a source rule's engine rules stay together, in pack
        order). The rules with negations go first, each to the ruleset where the negations on the
        fact types it negates stay fewest: every fact of a type walks the negations on its type,
        and the engine walks at most 64 pending nodes per fact (error 303), so rules about one
        subject (the bridging rules all ask for an overseas approval) are spread, not stacked."""
        groups = self.by_source_rule(tuple(self.rules))
        if not groups:
            return ((),)
        count = -(-len(groups) // RULES_PER_RULESET)
        members: list[list[int]] = [[] for _ in range(count)]
        load: list[dict[str, int]] = [{} for _ in range(count)]
        negations = [_negations(self.rules[name] for name in group) for group in groups]
        # Rules with negations first, each where it adds least to the sum of the squared loads
        # (per fact type: the fullest weighs most); then the others in the room left, in order.
        for i in [i for i, n in enumerate(negations) if n] + [i for i, n in enumerate(negations) if not n]:
            negated = negations[i]
            open_ = [k for k in range(count) if len(members[k]) < RULES_PER_RULESET]

            def added(k: int, negated: dict[str, int] = negated) -> tuple[int, int]:
                # what the squares of the loads grow by: the fullest type weighs most
                return sum(n * (2 * load[k].get(t, 0) + n) for t, n in negated.items()), k

            k = min(open_, key=added)
            members[k].append(i)
            for t, n in negated.items():
                load[k][t] = load[k].get(t, 0) + n
        for m in members:
            m.sort()
        return tuple(_flat([groups[i] for i in m]) for m in members)

    @cached_property
    def ruleset_texts(self) -> tuple[str, ...]:
        """Each ruleset of the partition as the engine takes it: computed once per program, and
        kept with it in the rule-pack cache."""
        return tuple(self.ruleset_text(names) for names in self.partition)

    def ruleset_text(self, names: Sequence[str]) -> str:
        """An engine ruleset of the named rules, with the batch sentinel."""
        rules = {name: self.rules[name] for name in names}
        rules[SENTINEL_RULE] = SENTINEL
        return engine_json(rules)

    def by_source_rule(self, names: Sequence[str]) -> list[tuple[str, ...]]:
        """Engine rule names grouped by the source rule they were compiled from, in order."""
        groups: dict[str, list[str]] = {}
        for name in names:
            origin = self.origins.get(name)
            groups.setdefault(origin.rule if origin is not None else name, []).append(name)
        return [tuple(g) for g in groups.values()]

    def halves(self, names: Sequence[str]) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
        """names split in two between source rules; None for one source rule's engine rules."""
        groups = self.by_source_rule(names)
        if len(groups) < 2:
            return None
        middle = len(groups) // 2
        return _flat(groups[:middle]), _flat(groups[middle:])


def _negations(rules: Iterable[Any]) -> dict[str, int]:
    """The negated patterns of some engine rules, by the fact type they read."""
    out: dict[str, int] = {}
    for rule in rules:
        for pattern in rule["all"]:
            ((alias, body),) = pattern.items()
            if not alias.endswith("$not"):
                continue
            first = body.get("$and", [body])[0] if isinstance(body, dict) else {}
            key = next(iter(first.get("$ex", {})), "") if isinstance(first, dict) else ""
            fact = str(key).partition(".")[0]
            out[fact] = out.get(fact, 0) + 1
    return out


def _flat(groups: Sequence[tuple[str, ...]]) -> tuple[str, ...]:
    return tuple(name for group in groups for name in group)
