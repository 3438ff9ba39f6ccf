"""Facts a rule needs only to exist: each binds the first of its kind (the lowest key) instead of
every one, through a negation right after its pattern that no fact of its type passing the same
tests has a lower key; one compared only with facts matched before it binds the first that also
passes those comparisons (pinned). Every other binding would only repeat the same finding, and
their product can grow past any memory or the firing bound. The shapes follow what the engine
evaluates safely (docs/engine.md): plain tests first, then the comparisons with matched facts,
the always-true closing comparison, then `$or` groups."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker.model.introspect import ROOT
from checker.rulepack.conditions import ENGINE_OP, REVERSED
from checker.rulepack.spec import Join

CONTEXT = "context"

# A rule that both matches a fact type and requires one absent reads the absent one through a
# view: the adapter asserts every fact of that type a second time under `<type>__view`, before
# all the types it is matched with, so that the negation sees them first (docs/engine.md).
VIEW = "__view"


def type_pattern(fact: str, tests: list[dict[str, Any]]) -> dict[str, Any]:
    type_test = {"$ex": {f"{fact}.key": 1}}
    return {"$and": [type_test, *tests]} if tests else type_test


def closing_test(name: str, alias: str, fact: str) -> dict[str, Any]:
    """A comparison with a matched fact that always holds (a key is never negative), to follow
    the last real comparison of a negated pattern. The engine reads a negation's comparisons as
    one sequence; when the last one is false it skips one entry too many, past the sequence's
    end, and walks the memory that follows until it happens on an end marker or faults (a
    segfault on some packs and dossiers, not on every run). With this one last, a false
    comparison before it lands on the end marker. (A group would do too, but each adds a node
    to the engine's alpha network, whose tables fill up and make building a ruleset spin.)"""
    zero = {"$sub": {"$l": {alias: f"{fact}.key"}, "$r": {alias: f"{fact}.key"}}}
    return {"$gte": {f"{name}.key": zero}}


def join_aliases(join: Join) -> set[str]:
    """The matched facts' aliases a comparison reads."""
    return {ref.partition(".")[0] for ref in (join.left, join.right)} - {CONTEXT}


def renamed_tests(node: Any, fact: str, name: str) -> Any:
    """Tests written for one fact type, re-aimed at another name for it."""
    if fact == name:
        return node
    if isinstance(node, list):
        return [renamed_tests(v, fact, name) for v in node]
    if isinstance(node, dict):
        return {
            (f"{name}{k[len(fact) :]}" if k.startswith(f"{fact}.") else k): renamed_tests(v, fact, name)
            for k, v in node.items()
        }
    return node


def join_aliases_of(joins: list[Join]) -> set[str]:
    return {a for j in joins for a in join_aliases(j)}


def pinned_aliases(joins: list[Join], aliases: Mapping[str, str], read: set[str]) -> dict[str, list[Join]]:
    """The matched facts a rule needs only to exist given the others it is compared with (an
    overseas approval naming the indication): each alias that nothing in `read` refers to and
    whose every comparison is with one fact matched before it that is not itself pinned, with
    those comparisons. Such an alias can bind only the lowest key among the facts that pass its
    tests and its comparisons: every other binding repeats the same finding."""
    order = list(aliases)
    pinned: dict[str, list[Join]] = {}
    for alias in order:
        mine = [j for j in joins if alias in join_aliases(j)]
        if not mine or alias in read or aliases[alias] == ROOT:
            continue
        partners = [join_aliases(j) - {alias} for j in mine]
        if all(
            len(other) == 1
            and CONTEXT not in (j.left.partition(".")[0], j.right.partition(".")[0])
            and order.index(next(iter(other))) < order.index(alias)
            and next(iter(other)) not in pinned
            for j, other in zip(mine, partners, strict=True)
        ):
            pinned[alias] = mine
    return pinned


def _pinned_tests(
    alias: str, joins: list[Join], aliases: Mapping[str, str], view: str
) -> list[dict[str, Any]]:
    """A pinned alias's comparisons, read on its view: `view.field op other + offset`."""
    tests: list[dict[str, Any]] = []
    for j in joins:
        left_alias, _, left_field = j.left.partition(".")
        right_alias, _, right_field = j.right.partition(".")
        op: str = j.op
        if left_alias == alias:
            own, other_alias, other_field, offset = left_field, right_alias, right_field, j.offset_days
        else:  # other op alias + offset  <=>  alias (reversed op) other - offset
            own, other_alias, other_field, op = right_field, left_alias, left_field, REVERSED[j.op]
            offset = -j.offset_days
        rhs: Any = {other_alias: f"{aliases[other_alias]}.{other_field}"}
        if offset:
            rhs = {"$add": {"$l": rhs, "$r": offset}}
        path = f"{view}.{own}"
        tests.append({"$ex": {path: 1}})
        tests.append({path: rhs} if op == "eq" else {ENGINE_OP[op]: {path: rhs}})
    return tests


def first_only(
    patterns: list[dict[str, Any]],
    tests: Mapping[str, list[dict[str, Any]]],
    aliases: Mapping[str, str],
    used: set[str],
    pinned: Mapping[str, list[Join]] | None = None,
) -> set[str]:
    """For each alias that nothing else refers to, require that no fact of its type passing the
    same tests has a lower key, right after the alias's own pattern (so that the engine never
    builds the product of such facts); for each pinned alias, no such fact that also passes its
    comparisons with the facts matched before it. Returns the views these absences read."""
    views: set[str] = set()
    pinned = pinned or {}
    for n, (alias, local) in reversed(list(enumerate(tests.items(), start=1))):
        fact = aliases[alias]
        if alias in used or fact == ROOT:
            continue
        view = fact + VIEW
        lower = {"$lt": {f"{view}.key": {alias: f"{fact}.key"}}}
        renamed = renamed_tests(local, fact, view)
        groups = [t for t in renamed if set(t) <= {"$or", "$and"}]
        plain = [t for t in renamed if t not in groups]
        compared = _pinned_tests(alias, pinned[alias], aliases, view) if alias in pinned else []
        # Plain tests first (the engine's alpha stack holds 64 pending nodes, so a comparison
        # with a matched fact must not sit at the top for every rule), then the comparisons, then
        # `$or` / `$and` groups: a comparison after a group in a negation is never evaluated.
        at = next(i for i, p in enumerate(patterns) if alias in p) + 1
        closing = closing_test(view, alias, fact)
        mark = "w" if alias in pinned else "u"
        patterns.insert(
            at, {f"{mark}{n}$not": type_pattern(view, [*plain, *compared, lower, closing, *groups])}
        )
        views.add(view)
    return views
