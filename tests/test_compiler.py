"""Rule compilation: every reference checked against the fact catalogue; only safe shapes emitted."""

from __future__ import annotations

import json
from typing import Any

import pytest

from checker.rulepack.compiler import CompileError, compile_rule
from checker.rulepack.link import SLOT_LANES, fact_order, link
from checker.rulepack.spec import Rule

TEXT = {"en": "x", "zh": "x"}


def closing(name: str, alias: str, fact: str) -> dict[str, Any]:
    """The always-true comparison that closes a negation comparing with matched facts."""
    zero = {"$sub": {"$l": {alias: f"{fact}.key"}, "$r": {alias: f"{fact}.key"}}}
    return {"$gte": {f"{name}.key": zero}}


def rule(**overrides: Any) -> Rule:
    base: dict[str, Any] = {
        "id": "test-rule",
        "requirement": "CGT-IND-NEED",
        "severity": "error",
        "title": TEXT,
        "description": TEXT,
        "applies": [{"as": "ind", "fact": "indication"}],
        "applies_when": TEXT,
        "gap": {"where": {"ind": {"target_population": "absent"}}},
        "report": {"at": "ind", "field": "target_population"},
        "message": {"en": "indications[{ind}]", "zh": "适应症 {ind}"},
        "remediation": TEXT,
        "citation": {"source": "A"},
    }
    base.update(overrides)
    return Rule.model_validate(base)


def test_compiles_to_applies_and_gap_rules() -> None:
    c = compile_rule(rule())
    assert set(c.engine) == {"test-rule|applies", "test-rule|gap"}
    # applicability only needs one indication to exist: it binds the first (lowest key) one
    first_only = {
        "u1$not": {
            "$and": [
                {"$ex": {"indication__view.key": 1}},
                {"$lt": {"indication__view.key": {"ind": "indication.key"}}},
                closing("indication__view", "ind", "indication"),
            ]
        }
    }
    assert c.engine["test-rule|applies"] == {"all": [{"ind": {"$ex": {"indication.key": 1}}}, first_only]}
    assert c.engine["test-rule|gap"] == {
        "all": [
            {"ind": {"$and": [{"$ex": {"indication.key": 1}}, {"$nex": {"indication.target_population": 1}}]}}
        ]
    }


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"gap": {"where": {"ind": {"target_populaton": "absent"}}}}, "did you mean 'target_population'"),
        ({"applies": [{"as": "ind", "fact": "indicaton"}]}, "did you mean 'indication'"),
        ({"gap": {"where": {"ind": {"stage": "aproved"}}}}, "did you mean 'approved'"),
        ({"gap": {"where": {"ind": {"name": {"lt": "x"}}}}}, "needs a number"),
        ({"gap": {"where": {"ind": {"oncology": {"like": True}}}}}, "unknown operator"),
        ({"gap": {"where": {"xx": {"oncology": True}}}}, "unknown alias 'xx'"),
        ({"report": {"at": "ind", "field": "target_pop"}}, "has no field"),
        ({"message": {"en": "{other}", "zh": "x"}}, "unknown alias 'other'"),
        ({"gap": {"join": [{"left": "ind.name", "op": "eq", "right": "context.today"}]}}, "joins compare"),
        ({"gap": {"where": {"ind": {"approval.date": {"gt": "2024-02-30"}}}}}, "is not a date"),
    ],
)
def test_bad_rules_are_refused_with_a_reason(overrides: dict[str, Any], fragment: str) -> None:
    with pytest.raises(CompileError, match=fragment.replace("(", r"\(").replace(")", r"\)")):
        compile_rule(rule(**overrides))


def test_stage_comparisons_use_the_rank() -> None:
    c = compile_rule(rule(gap={"where": {"ind": {"stage": {"gte": "confirmatory-trial"}}}}))
    tests = c.engine["test-rule|gap"]["all"][0]["ind"]["$and"]
    assert {"$gte": {"indication.stage_rank": 4}} in tests


def test_dates_compile_to_day_numbers() -> None:
    c = compile_rule(rule(gap={"where": {"ind": {"approval.date": {"lt": "2024-01-01"}}}}))
    assert {"$lt": {"indication.approval.date": 738886}} in c.engine["test-rule|gap"]["all"][0]["ind"]["$and"]


def test_positive_joins_sit_alone_on_context_slots() -> None:
    c = compile_rule(
        rule(
            gap={
                "match": [{"as": "cm", "fact": "commitment", "where": {"kind": "confirmatory-trial"}}],
                "join": [
                    {"left": "cm.indication", "op": "eq", "right": "ind.key"},
                    {"left": "cm.due_date", "op": "gt", "right": "ind.approval.date", "offset_days": 1461},
                    {"left": "cm.due_date", "op": "lt", "right": "context.today"},
                ],
            },
            report={"at": "cm", "field": "due_date"},
        )
    )
    patterns = c.engine["test-rule|gap"]["all"]
    aliases = [next(iter(p)) for p in patterns]
    assert aliases == ["ind", "cm", "cx1", "cx2", "cx3"]
    assert patterns[2] == {
        "cx1": {
            "ctx1.zero": {"$sub": {"$l": {"cm": "commitment.indication"}, "$r": {"ind": "indication.key"}}}
        }
    }
    assert patterns[3] == {
        "cx2": {
            "$lt": {
                "ctx2.zero": {
                    "$sub": {
                        "$l": {
                            "$sub": {
                                "$l": {"cm": "commitment.due_date"},
                                "$r": {"ind": "indication.approval.date"},
                            }
                        },
                        "$r": 1461,
                    }
                }
            }
        }
    }
    assert patterns[4] == {"cx3": {"$gt": {"ctx3.today": {"cm": "commitment.due_date"}}}}
    # every field a join reads must be present on the matched fact (engine error 311 otherwise)
    assert {"$ex": {"commitment.due_date": 1}} in patterns[1]["cm"]["$and"]
    assert {"$ex": {"indication.approval.date": 1}} in patterns[0]["ind"]["$and"]
    # no cross-fact reference inside the matched facts' own patterns
    assert not _alias_refs(patterns[0]["ind"], {"ind", "cm"})
    assert not _alias_refs(patterns[1]["cm"], {"ind", "cm"})


def _alias_refs(node: Any, aliases: set[str]) -> list[Any]:
    if isinstance(node, dict):
        if len(node) == 1 and next(iter(node)) in aliases and isinstance(next(iter(node.values())), str):
            return [node]
        return [r for v in node.values() for r in _alias_refs(v, aliases)]
    if isinstance(node, list):
        return [r for v in node for r in _alias_refs(v, aliases)]
    return []


def test_absence_compiles_to_a_negated_pattern() -> None:
    c = compile_rule(
        rule(
            gap={
                "absent": [
                    {
                        "fact": "commitment",
                        "where": {"kind": "confirmatory-trial"},
                        "join": [{"field": "indication", "right": "ind.key"}],
                    }
                ]
            }
        )
    )
    assert c.engine["test-rule|gap"]["all"][-1] == {
        "n1$not": {
            "$and": [
                {"$ex": {"commitment.key": 1}},
                {"commitment.indication": {"ind": "indication.key"}},
                closing("commitment", "ind", "indication"),
                {"commitment.kind": "confirmatory-trial"},
            ]
        }
    }
    assert c.negated == {"commitment", "indication__view"} and "indication" in c.positive


def test_fact_order_puts_negated_types_first_and_refuses_cycles() -> None:
    a = compile_rule(rule(gap={"absent": [{"fact": "commitment"}]}))
    order = fact_order([a])
    assert order.index("commitment") < order.index("indication")
    b = compile_rule(
        rule(
            id="other-rule",
            applies=[{"as": "cm", "fact": "commitment"}],
            gap={"absent": [{"fact": "indication"}]},
            report={"at": "cm"},
            message=TEXT,
        )
    )
    with pytest.raises(CompileError, match="cannot be ordered"):
        fact_order([a, b])


def test_applies_join_is_part_of_applicability() -> None:
    c = compile_rule(
        rule(
            applies=[
                {"as": "ind", "fact": "indication"},
                {"as": "t", "fact": "trial", "where": {"role": "pivotal"}},
            ],
            applies_join=[{"left": "t.indication", "op": "eq", "right": "ind.key"}],
            gap={"where": {"t": {"primary_endpoint": "absent"}}},
            report={"at": "t", "field": "primary_endpoint"},
        )
    )
    slot = {
        "cx1": {"ctx1.zero": {"$sub": {"$l": {"t": "trial.indication"}, "$r": {"ind": "indication.key"}}}}
    }
    # The applicability needs one pivotal trial per indication: the trial is pinned to the first
    # that serves it (w2), then compared; the gap reports the trial, so it binds every one.
    applies = c.engine["test-rule|applies"]["all"]
    assert [next(iter(p)) for p in applies] == ["ind", "t", "w2$not", "cx1"]
    assert applies[3] == slot
    assert c.engine["test-rule|gap"]["all"][2] == slot
    assert "ctx" in c.positive


def test_lists_of_plain_values_take_presence_tests_only() -> None:
    compile_rule(
        rule(
            applies=[{"as": "t", "fact": "trial"}],
            gap={"where": {"t": {"comparator.existing_therapies": "absent"}}},
            report={"at": "t"},
            message=TEXT,
        )
    )
    with pytest.raises(CompileError, match="a list"):
        compile_rule(
            rule(
                applies=[{"as": "t", "fact": "trial"}],
                gap={"where": {"t": {"comparator.existing_therapies": "CAR-T"}}},
                report={"at": "t"},
                message=TEXT,
            )
        )


def test_absence_of_a_matched_type_reads_its_view() -> None:
    c = compile_rule(
        rule(
            applies=[{"as": "t", "fact": "trial", "where": {"role": "pivotal"}}],
            gap={
                "absent": [
                    {
                        "fact": "trial",
                        "where": {"role": "post-marketing"},
                        "join": [{"field": "indication", "right": "t.indication"}],
                    }
                ]
            },
            report={"at": "t"},
            message=TEXT,
        )
    )
    assert c.negated == {"trial__view"}
    assert c.engine["test-rule|gap"]["all"][-1] == {
        "n1$not": {
            "$and": [
                {"$ex": {"trial__view.key": 1}},
                {"trial__view.indication": {"t": "trial.indication"}},
                closing("trial__view", "t", "trial"),
                {"trial__view.role": "post-marketing"},
            ]
        }
    }
    order = fact_order([c])
    assert order.index("trial__view") < order.index("trial")


def test_applicability_alternatives_compile_to_one_rule_pair_each() -> None:
    c = compile_rule(
        rule(
            applies=[{"as": "d", "fact": "dossier"}],
            applies_any=[
                [{"as": "ind", "fact": "indication", "where": {"stage": {"gte": "confirmatory-trial"}}}],
                [{"as": "pt", "fact": "trial", "where": {"role": "pivotal"}}],
            ],
            gap={"absent": [{"fact": "trial", "where": {"role": "bridging"}}]},
            report={"at": "d", "field": "clinical_trials"},
            message=TEXT,
        )
    )
    assert set(c.engine) == {"test-rule|applies", "test-rule|gap", "test-rule|applies#2", "test-rule|gap#2"}
    # the second alternative matches trials, so every alternative reads the absent trial through its view
    assert c.negated == {"trial__view", "indication__view"}
    assert "trial__view" in str(c.engine["test-rule|gap"]) and "trial__view" in str(
        c.engine["test-rule|gap#2"]
    )


def test_facts_needed_only_to_exist_bind_the_first_of_their_kind() -> None:
    """An alias nothing refers to binds the lowest-key fact passing its tests, so unrelated
    lists do not multiply into a product of matches."""
    c = compile_rule(
        rule(
            applies=[
                {"as": "d", "fact": "dossier", "where": {"product.modality": "car-t"}},
                {
                    "as": "ind",
                    "fact": "indication",
                    "where": {"stage": {"in": ["nda-under-review", "approved"]}},
                },
            ],
            gap={"where": {"d": {"label": "absent"}}},
            report={"at": "d", "field": "label"},
            message=TEXT,
        )
    )
    gap = c.engine["test-rule|gap"]["all"]
    assert gap[-1] == {
        "u2$not": {
            "$and": [
                {"$ex": {"indication__view.key": 1}},
                {"$lt": {"indication__view.key": {"ind": "indication.key"}}},
                closing("indication__view", "ind", "indication"),
                {
                    "$or": [
                        {"indication__view.stage": "nda-under-review"},
                        {"indication__view.stage": "approved"},
                    ]
                },
            ]
        }
    }
    assert len(gap) == 3  # the dossier is one fact: no restriction needed


@pytest.mark.parametrize(
    ("overrides", "first_copy"),
    [
        # reads only what every copy of the trial shares: its first copy is enough
        ({"gap": {"where": {"t": {"design": "absent"}}}}, True),
        # the indication is read: a test or a join (a message or report names the item's own
        # fields, the same in every copy)
        ({"gap": {"where": {"t": {"indication": "present"}}}}, False),
        ({"gap": {"where": {"t": {"any": [{"indication": "absent"}, {"design": "absent"}]}}}}, False),
        ({"applies_join": [{"left": "t.indication", "op": "eq", "right": "ind.key"}]}, False),
    ],
)
def test_a_trial_is_matched_once_unless_its_indication_is_read(
    overrides: dict[str, Any], first_copy: bool
) -> None:
    # A trial is one fact per indication it serves: matching every copy multiplied the engine's
    # work (and memory) by the number of indications for nothing.
    base: dict[str, Any] = {
        "applies": [{"as": "t", "fact": "trial"}, {"as": "ind", "fact": "indication"}],
        "gap": {"where": {"t": {"design": "absent"}}},
        "report": {"at": "t", "field": "design"},
        "message": {"en": "{t}", "zh": "{t}"},
    }
    compiled = compile_rule(rule(**{**base, **overrides}))
    assert ('"trial.fanout_first": true' in json.dumps(compiled.engine)) is first_copy


def test_rules_with_joins_are_dealt_into_lanes_of_context_slots() -> None:
    """A slot fact passes the alpha test of every join on it at once and the engine walks at most
    64 pending alpha nodes per fact, so the linker deals the rules with joins round-robin into
    SLOT_LANES lanes of slots: rule k's joins move (k mod lanes) x the widest rule's joins on."""
    joined = {
        "match": [{"as": "cm", "fact": "commitment"}],
        "join": [
            {"left": "cm.indication", "op": "eq", "right": "ind.key"},
            {"left": "cm.due_date", "op": "lt", "right": "context.today"},
        ],
    }
    rules = [
        compile_rule(rule(id=f"rule-{n}", gap=joined, report={"at": "cm", "field": "due_date"}))
        for n in range(SLOT_LANES + 1)
    ]
    plain = compile_rule(rule(id="plain-rule"))
    program = link([rules[0], plain, *rules[1:]])
    assert program.slots == 2 * SLOT_LANES

    def slots(name: str) -> list[tuple[str, str]]:
        out = []
        for pattern in program.rules[f"{name}|gap"]["all"]:
            ((alias, body),) = pattern.items()
            if alias.startswith("cx"):
                out.append((alias, json.dumps(body).split('"')[1]))
        return out

    assert slots("rule-0") == [("cx1", "ctx1.zero"), ("cx2", "$gt")]
    assert slots("rule-1") == [("cx3", "ctx3.zero"), ("cx4", "$gt")]
    assert slots(f"rule-{SLOT_LANES}") == slots("rule-0")  # the lanes come round again
    assert program.rules["plain-rule|gap"] == plain.engine["plain-rule|gap"]
    lt = next(p for p in program.rules["rule-1|gap"]["all"] if "cx4" in p)
    assert lt == {"cx4": {"$gt": {"ctx4.today": {"cm": "commitment.due_date"}}}}


def test_a_context_slot_follows_the_facts_it_compares() -> None:
    """Each comparison's slot sits right after the last fact it reads, so the engine keeps only
    the combinations that pass it before matching the next fact."""
    c = compile_rule(
        rule(
            applies=[
                {"as": "ind", "fact": "indication"},
                {"as": "t", "fact": "foreign_study"},
                {"as": "cm", "fact": "commitment"},
            ],
            applies_join=[
                {"left": "cm.indication", "op": "eq", "right": "ind.key"},
                {"left": "t.indication", "op": "eq", "right": "ind.key"},
                {"left": "t.key", "op": "lt", "right": "context.today"},
            ],
            gap={},
            report={"at": "ind"},
            message={"en": "{ind} {t} {cm}", "zh": "{ind} {t} {cm}"},
        )
    )
    aliases = [next(iter(p)) for p in c.engine["test-rule|gap"]["all"]]
    assert aliases == ["ind", "t", "cx2", "cx3", "cm", "cx1"]
    # The applicability needs only one commitment per indication: pinned (w3) before its slot.
    aliases = [next(iter(p)) for p in c.engine["test-rule|applies"]["all"]]
    assert aliases == ["ind", "t", "cx2", "cx3", "cm", "w3$not", "cx1"]


def test_a_pinned_fact_is_credited_in_the_work_bound() -> None:
    """A fact pinned to the first that passes its comparisons leaves the matches where they were
    before it: one approval per indication, not one per approval copy, before the next fact."""
    from checker.rulepack.bounds import engine_work, max_facts

    c = compile_rule(
        rule(
            applies=[
                {"as": "ind", "fact": "indication"},
                {"as": "oa", "fact": "overseas_approval"},
                {"as": "t", "fact": "commitment"},
            ],
            applies_join=[{"left": "oa.dossier_indication", "op": "eq", "right": "ind.key"}],
            gap={"where": {"ind": {"target_population": "absent"}}},
        )
    )
    applies = c.engine["test-rule|applies"]["all"]
    assert [next(iter(p)) for p in applies] == ["ind", "oa", "w2$not", "cx1", "t", "u3$not"]
    m = max_facts()
    ind, oa, t = m["indication"], m["overseas_approval*"], m["commitment"]
    assert engine_work(applies) == ind + ind * oa + ind * t
    unpinned = [p for p in applies if "w2$not" not in p]
    assert engine_work(unpinned) == ind + ind * oa + oa * t  # one indication per approval copy


def test_a_key_comparison_is_credited_in_the_work_bound() -> None:
    """A comparison of an item's key with another fact's field leaves one such item per
    combination of the others; a comparison of two plain fields only filters."""
    from checker.rulepack.bounds import engine_work, max_facts

    m = max_facts()
    patterns = [{"ind": {"$ex": {"indication.key": 1}}}, {"cm": {"$ex": {"commitment.key": 1}}}]
    product = m["indication"] + m["indication"] * m["commitment"]
    keyed = {
        "cx1": {
            "ctx1.zero": {"$sub": {"$l": {"cm": "commitment.indication"}, "$r": {"ind": "indication.key"}}}
        }
    }
    plain = {
        "cx1": {
            "ctx1.zero": {"$sub": {"$l": {"cm": "commitment.due_date"}, "$r": {"ind": "indication.name"}}}
        }
    }
    third = {"t": {"$ex": {"nonclinical_study.key": 1}}}
    assert engine_work(patterns) == product
    assert engine_work([*patterns, keyed, third]) == product + m["commitment"] * m["nonclinical_study"]
    assert engine_work([*patterns, plain, third]) == (
        product + m["indication"] * m["commitment"] * m["nonclinical_study"]
    )


def test_a_negation_that_compares_with_matched_facts_ends_with_a_group() -> None:
    """The engine skips one entry too many after a false comparison at the end of a negation's
    sequence and walks off its end (a segfault on some packs and dossiers): every negation with a
    comparison has one that always holds after its last; one without a comparison is left as it
    is."""
    c = compile_rule(
        rule(
            gap={
                "absent": [
                    {"fact": "commitment", "join": [{"field": "indication", "right": "ind.key"}]},
                    {"fact": "trial", "where": {"role": "bridging"}},
                ]
            }
        )
    )
    negations = {k: v for p in c.engine["test-rule|gap"]["all"] for k, v in p.items() if k.endswith("$not")}
    assert negations["n1$not"]["$and"][2] == closing("commitment", "ind", "indication")
    assert not _alias_refs(negations["n2$not"], {"ind"})  # nothing compared: nothing to close
    first_only = [v for p in c.engine["test-rule|applies"]["all"] for k, v in p.items() if k.startswith("u")]
    assert first_only
    assert all(v["$and"][-1] == closing("indication__view", "ind", "indication") for v in first_only)


def test_no_negation_of_the_bundled_pack_ends_with_a_comparison() -> None:
    from checker.rulepack.pack import load_pack

    def compares(node: Any) -> bool:
        return bool(_alias_refs(node, aliases))

    program = load_pack().program
    for name, engine_rule in program.rules.items():
        patterns = engine_rule["all"]
        aliases = {next(iter(p)) for p in patterns if not next(iter(p)).endswith("$not")}
        for pattern in patterns:
            ((alias, body),) = pattern.items()
            if alias.endswith("$not") and compares(body):
                tests = body["$and"]
                last = max(i for i, t in enumerate(tests) if _alias_refs(t, aliases))
                assert set(tests[last]) == {"$gte"} and "$sub" in str(tests[last]), (name, alias)
