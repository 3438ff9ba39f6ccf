"""The engine adapter: isolation, order independence, and every sharp edge of durable-rules.

Crash cases run in a subprocess so that a segfault fails the test instead of the run.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import textwrap
from collections import Counter
from pathlib import Path

import pytest

from checker.base.errors import EngineError
from checker.base.limits import MAX_RULE_TEXT
from checker.engine.encode import count_properties, engine_json, engine_text, fact_json
from checker.engine.program import EngineFact, Program, read_part
from checker.engine.session import Session

ROOT = Path(__file__).resolve().parents[2]


def _run_python(
    code: str, timeout: float = 60, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=None if env is None else {**os.environ, **env},
    )


def program(rules: dict[str, object], order: tuple[str, ...] = ("a", "b", "ctx"), slots: int = 0) -> Program:
    return Program(rules=rules, fact_order=order, slots=slots)


def fired(
    session: Session, facts: list[EngineFact], today: int = 0
) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    return sorted((f.rule, f.bindings) for f in session.evaluate(facts, today))


# ------------------------------------------------------------------ basics


def test_single_pattern_rule_fires_per_matching_fact() -> None:
    with Session(program({"r": {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"a.v": 1}]}}]}})) as s:
        got = fired(s, [EngineFact("a", {"key": 1, "v": 1}), EngineFact("a", {"key": 2, "v": 2})])
    assert got == [("r", (("x", 0),))]


def test_a_batch_that_fires_nothing_is_safe_and_repeatable() -> None:
    # durable-rules crashes deleting a state in which no action started; the sentinel prevents it.
    with Session(program({"r": {"all": [{"x": {"$ex": {"a.never": 1}}}]}})) as s:
        for _ in range(50):
            assert s.evaluate([], 0) == []
            assert s.evaluate([EngineFact("a", {"key": 1})], 0) == []


def test_more_states_than_the_engine_keeps_alive() -> None:
    # At most 1,024 live states per ruleset: every evaluation deletes its own.
    with Session(program({"r": {"all": [{"x": {"$ex": {"a.key": 1}}}]}})) as s:
        for i in range(3000):
            assert len(s.evaluate([EngineFact("a", {"key": i})], 0)) == 1


def test_facts_of_types_no_rule_reads_are_not_asserted() -> None:
    with Session(program({"r": {"all": [{"x": {"$ex": {"a.key": 1}}}]}})) as s:
        assert fired(s, [EngineFact("zzz", {"key": 1}), EngineFact("a", {"key": 2})]) == [("r", (("x", 1),))]


def test_or_that_holds_twice_fires_once() -> None:
    rule = {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"$or": [{"a.p": 1}, {"a.q": 1}]}]}}]}
    with Session(program({"r": rule})) as s:
        assert fired(s, [EngineFact("a", {"key": 1, "p": 1, "q": 1})]) == [("r", (("x", 0),))]


def test_identical_entries_are_two_facts() -> None:
    # The engine refuses a fact it has already observed; the adapter gives each its own id.
    with Session(program({"r": {"all": [{"x": {"$ex": {"a.key": 1}}}]}})) as s:
        got = fired(s, [EngineFact("a", {"key": 1}), EngineFact("a", {"key": 1})])
    assert got == [("r", (("x", 0),)), ("r", (("x", 1),))]


def test_user_data_cannot_supply_engine_identity() -> None:
    # sid and id belong to the engine; dossier data sits one level down under its fact type.
    with Session(program({"r": {"all": [{"x": {"$ex": {"a.key": 1}}}]}})) as s:
        got = fired(s, [EngineFact("a", {"key": 1, "sid": "other", "id": "end"})])
    assert got == [("r", (("x", 0),))]


def test_chinese_text_matches() -> None:
    rule = {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"a.name": "伊基奥仑赛注射液"}]}}]}
    with Session(program({"r": rule})) as s:
        assert len(s.evaluate([EngineFact("a", {"key": 1, "name": "伊基奥仑赛注射液"})], 0)) == 1


def test_characters_special_to_json_are_data() -> None:
    text = 'quote " backslash \\ brace } newline \n tab \t'
    rule = {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"a.t": text}]}}]}
    with Session(program({"r": rule})) as s:
        assert len(s.evaluate([EngineFact("a", {"key": 1, "t": text})], 0)) == 1


def test_long_texts_reach_the_engine_bounded_with_the_same_answers() -> None:
    # The engine takes ~40 bytes per character: a 4 MB dossier of prose took 250 MB. Long texts
    # go in as their start and a digest; presence and equality with a rule's literal (at most
    # MAX_RULE_TEXT characters) answer as before.
    literal = "甲" * MAX_RULE_TEXT
    rules = {
        "present": {"all": [{"x": {"$ex": {"a.t": 1}}}]},
        "literal": {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"a.t": literal}]}}]},
    }
    with Session(program(rules)) as s:
        assert fired(s, [EngineFact("a", {"key": 1, "t": literal})]) == [
            ("literal", (("x", 0),)),
            ("present", (("x", 0),)),
        ]
        assert fired(s, [EngineFact("a", {"key": 1, "t": literal + "乙"})]) == [("present", (("x", 0),))]
        assert fired(s, [EngineFact("a", {"key": 1, "t": "甲" * 70_000})]) == [("present", (("x", 0),))]
    long_a = "甲" * 70_000
    long_b = "甲" * 69_999 + "乙"  # the same start, another text
    bounded = engine_text({"t": long_a, "l": [long_b, "short"], "n": 3})
    assert len(bounded["t"]) < 300 and bounded["l"][1] == "short" and bounded["n"] == 3
    assert bounded["t"] != bounded["l"][0] and bounded["t"] == engine_text(long_a)
    assert len(bounded["t"]) > MAX_RULE_TEXT  # so it can never equal a rule's literal


def test_too_many_properties_is_refused_cleanly() -> None:
    data = {"wide": {f"f{i}": i for i in range(300)}, "key": 1}
    assert count_properties(data) == 302
    with (
        Session(program({"r": {"all": [{"x": {"$ex": {"a.wide": 1}}}]}})) as s,
        pytest.raises(EngineError, match="more than"),
    ):
        s.evaluate([EngineFact("a", data)], 0)


def test_the_engine_is_given_only_the_fields_the_rules_read() -> None:
    """A fact's other fields never reach the engine (a fact as wide as its bound on them is
    checked), and a field read whole is given whole, whatever its parts."""
    rules = {
        "r": {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"a.obj.inner": 1}]}}]},
        "w": {"all": [{"y": {"$and": [{"$ex": {"b__view.whole": 1}}, {"b__view.whole.n": 2}]}}]},
    }
    prog = Program(rules=rules, fact_order=("b__view", "a", "b", "ctx"), slots=0, views={"b__view": "b"})
    assert prog.read_fields == {
        "a": {"key": None, "obj": {"inner": None}},
        "b": {"key": None, "whole": None},
    }
    wide = {f"f{i}": i for i in range(300)}
    facts = [
        EngineFact("a", {"key": 1, "obj": {"inner": 1, **wide}, **wide}),
        EngineFact("b", {"key": 2, "whole": {"n": 2, "m": 3}, **wide}),
    ]
    with Session(prog) as s:
        assert fired(s, facts) == [("r", (("x", 0),)), ("w", ())]
    assert read_part(facts[1].data, prog.read_fields["b"]) == {"key": 2, "whole": {"n": 2, "m": 3}}


@pytest.mark.parametrize(
    ("paths", "tree"),
    [
        (["a.b", "a"], {"a": None}),
        (["a", "a.b"], {"a": None}),
        (["a.b.c", "a.d"], {"a": {"b": {"c": None}, "d": None}}),
        (["a.b.c", "a.b"], {"a": {"b": None}}),
        (["key"], {"key": None}),
    ],
)
def test_a_read_tree_reads_a_path_named_whole_whole(paths: list[str], tree: dict[str, object]) -> None:
    from checker.engine.program import _tree

    assert _tree(paths) == tree


def test_rules_the_engine_rejects_raise_engine_error() -> None:
    with pytest.raises(EngineError, match="refused"):
        Session(program({"r": {"all": [{"x": {"$bogus": {"a.key": 1}}}]}}))


def test_closed_session_refuses_work() -> None:
    s = Session(program({"r": {"all": [{"x": {"$ex": {"a.key": 1}}}]}}))
    s.close()
    with pytest.raises(EngineError, match="closed"):
        s.evaluate([], 0)


# ------------------------------------------------------------------ negation order


NEG_RULE = {
    "all": [{"x": {"$ex": {"b.key": 1}}}, {"n$not": {"$and": [{"$ex": {"a.key": 1}}, {"a.k": {"x": "b.k"}}]}}]
}


def test_negation_is_ordered_by_the_adapter() -> None:
    # The negated type 'a' is asserted first whatever the input order.
    facts = [
        EngineFact("b", {"key": 1, "k": 5}),
        EngineFact("a", {"key": 2, "k": 5}),
        EngineFact("b", {"key": 3, "k": 6}),
    ]
    with Session(program({"r": NEG_RULE}, order=("a", "b", "ctx"))) as s:
        assert fired(s, facts) == [("r", (("x", 2),))]
        assert fired(s, list(reversed(facts))) == [("r", (("x", 0),))]


def test_raw_engine_negation_depends_on_assert_order() -> None:
    # Pins the engine behaviour the ordering exists for: asserted after, the negated fact is ignored.
    with Session(program({"r": NEG_RULE}, order=("b", "a", "ctx"))) as s:
        facts = [EngineFact("b", {"key": 1, "k": 5}), EngineFact("a", {"key": 2, "k": 5})]
        assert fired(s, facts) == [("r", (("x", 0),))]


def _negated_in_and_join(join_first: bool) -> dict[str, object]:
    """b with no a that refers to it and has k in (p, q); the join before or after the $or."""
    join = {"a.ref": {"x": "b.key"}}
    either = {"$or": [{"a.k": "p"}, {"a.k": "q"}]}
    tests = [join, either] if join_first else [either, join]
    return {"all": [{"x": {"$ex": {"b.key": 1}}}, {"n$not": {"$and": [{"$ex": {"a.key": 1}}, *tests]}}]}


def test_absence_with_a_join_and_an_in_test() -> None:
    # Compiled shape: the join comparison before the `$or`.
    with Session(program({"r": _negated_in_and_join(join_first=True)})) as s:
        fires = [("r", (("x", 1),))]
        assert (
            fired(s, [EngineFact("a", {"key": 5, "ref": 99, "k": "p"}), EngineFact("b", {"key": 1})]) == fires
        )
        assert (
            fired(s, [EngineFact("a", {"key": 5, "ref": 1, "k": "z"}), EngineFact("b", {"key": 1})]) == fires
        )
        assert fired(s, [EngineFact("a", {"key": 5, "ref": 1, "k": "q"}), EngineFact("b", {"key": 1})]) == []


def test_raw_engine_ignores_a_join_after_an_or_in_a_negation() -> None:
    # Pins why the compiler puts join comparisons first in an absence pattern: with the `$or`
    # first, the unrelated a (ref 99) suppresses the match.
    with Session(program({"r": _negated_in_and_join(join_first=False)})) as s:
        assert fired(s, [EngineFact("a", {"key": 5, "ref": 99, "k": "p"}), EngineFact("b", {"key": 1})]) == []


def test_first_of_its_kind_binds_exactly_the_lowest_key() -> None:
    # Compiled shape for a fact the rule only needs to exist: no fact of the same type passing
    # the same tests has a lower key (the comparison before any `$or`: after one, the engine
    # never evaluates it). Checked against brute force on random facts.
    tests = [{"$or": [{"a__view.k": "p"}, {"a__view.k": "q"}]}]
    rule = {
        "all": [
            {"x": {"$and": [{"$ex": {"a.key": 1}}, {"$or": [{"a.k": "p"}, {"a.k": "q"}]}]}},
            {
                "u1$not": {
                    "$and": [{"$ex": {"a__view.key": 1}}, {"$lt": {"a__view.key": {"x": "a.key"}}}, *tests]
                }
            },
        ]
    }
    prog = Program({"r": rule}, ("a__view", "a", "ctx"), 0, views={"a__view": "a"})
    rng = random.Random(3)
    with Session(prog) as s:
        for _ in range(300):
            facts = [
                EngineFact("a", {"key": k, "k": rng.choice("pqz")})
                for k in rng.sample(range(1, 50), rng.randint(0, 6))
            ]
            matching = [i for i, f in enumerate(facts) if f.data["k"] in "pq"]
            want = [("r", (("x", min(matching, key=lambda i: facts[i].data["key"])),))] if matching else []
            assert fired(s, facts) == want


# ------------------------------------------------------------------ isolation


def test_isolation_and_order_independence() -> None:
    rule = {"all": [{"x": {"$ex": {"b.key": 1}}}, {"n$not": {"$ex": {"a.key": 1}}}]}
    docs = [[EngineFact("b", {"key": 1})], [EngineFact("a", {"key": 1}), EngineFact("b", {"key": 2})]]
    with Session(program({"r": rule})) as s:
        forward = [fired(s, d) for d in docs]
        backward = [fired(s, d) for d in reversed(docs)][::-1]
    assert forward == backward == [[("r", (("x", 0),))], []]


# ------------------------------------------------------------------ context slots (joins)


def _join_program() -> Program:
    # indication (conditional) x confirmatory commitment for it, due more than 1461 days after approval
    ind = {"$and": [{"$ex": {"i.key": 1}}, {"i.type": "conditional"}]}
    cm = {"$and": [{"$ex": {"c.key": 1}}, {"c.kind": "conf"}, {"$ex": {"c.due": 1}}]}
    key = {"cx1": {"ctx1.zero": {"$sub": {"$l": {"m": "c.ind"}, "$r": {"a": "i.key"}}}}}
    late = {
        "cx2": {
            "$lt": {
                "ctx2.zero": {
                    "$sub": {"$l": {"$sub": {"$l": {"m": "c.due"}, "$r": {"a": "i.day"}}}, "$r": 1461}
                }
            }
        }
    }
    soon = {
        "all": [
            {"m": cm},
            {"cx1": {"$lte": {"ctx1.today": {"m": "c.due"}}}},
            {"cx2": {"$gt": {"ctx2.today": {"$sub": {"$l": {"m": "c.due"}, "$r": 365}}}}},
        ]
    }
    return Program({"late": {"all": [{"a": ind}, {"m": cm}, key, late]}, "soon": soon}, ("i", "c", "ctx"), 2)


def _random_doc(rng: random.Random) -> tuple[list[EngineFact], int]:
    facts = []
    for k in range(rng.randint(0, 3)):
        facts.append(
            EngineFact(
                "i", {"key": k + 1, "type": rng.choice(["conditional", "full"]), "day": rng.randint(0, 3000)}
            )
        )
    for k in range(rng.randint(0, 4)):
        data = {
            "key": 10 + k,
            "ind": rng.randint(1, 4),
            "kind": rng.choice(["conf", "pm"]),
            "due": rng.randint(0, 6000),
        }
        if rng.random() < 0.2:
            del data["due"]
        facts.append(EngineFact("c", data))
    rng.shuffle(facts)
    return facts, rng.randint(0, 6000)


def _expected(facts: list[EngineFact], today: int) -> list[tuple[str, tuple[tuple[str, int], ...]]]:
    out: list[tuple[str, tuple[tuple[str, int], ...]]] = []
    for ci, c in enumerate(facts):
        if c.type != "c" or c.data["kind"] != "conf" or "due" not in c.data:
            continue
        if today <= c.data["due"] < today + 365:
            out.append(("soon", (("m", ci),)))
        for ii, i in enumerate(facts):
            if (
                i.type == "i"
                and i.data["type"] == "conditional"
                and c.data["ind"] == i.data["key"]
                and c.data["due"] - i.data["day"] > 1461
            ):
                out.append(("late", (("a", ii), ("m", ci))))
    return sorted(out)


def test_joins_on_context_slots_match_brute_force() -> None:
    rng = random.Random(7)
    with Session(_join_program()) as s:
        for _ in range(400):
            facts, today = _random_doc(rng)
            assert fired(s, facts, today) == _expected(facts, today)


@pytest.mark.slow
def test_joins_on_context_slots_never_crash() -> None:
    code = f"""
        import random, sys
        sys.path.insert(0, {str(__import__("pathlib").Path(__file__).resolve().parents[2])!r})
        from tests.engine.test_engine import _join_program, _random_doc, _expected, fired
        from checker.engine.session import Session
        rng = random.Random(11)
        with Session(_join_program()) as s:
            for _ in range(5000):
                facts, today = _random_doc(rng)
                assert fired(s, facts, today) == _expected(facts, today)
        print("ok")
    """
    proc = _run_python(code, timeout=300)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


@pytest.mark.slow
def test_raw_engine_crashes_on_a_cross_fact_comparison_inside_and() -> None:
    # Pins why the compiler never emits this shape (upstream jruizgit/rules#381).
    code = """
        import json, random
        from checker.engine.session import native
        e = native()
        ind = {"$and": [{"i.type": "conditional"}, {"$ex": {"i.day": 1}}]}
        rs = {"r1": {"all": [{"m": {"$and": [{"i.type": "conditional"}, {"$nex": {"i.need": 1}}]}}]},
              "r": {"all": [{"a": ind}, {"b": {"$and": [{"c.kind": "conf"}, {"$gt": {"c.due": {"$add": {"$l": {"a": "i.day"}, "$r": 1461}}}}]}}]},
              "s": {"all": [{"m": {"$ex": {"end.k": 1}}}]}}
        h = e.create_ruleset("x", json.dumps(rs))
        rng = random.Random(SEED)
        for n in range(6000):
            sid = str(n)
            facts = [{"ctx": {"today": 1}}]
            facts += [{"c": {"kind": rng.choice(["conf", "pm"]), "due": rng.randint(0, 6000)}} for _ in range(rng.randint(0, 3))]
            facts += [{"i": {"type": rng.choice(["conditional", "full"]), "day": rng.randint(0, 3000)}} for _ in range(rng.randint(0, 3))]
            facts.append({"end": {"k": 1}})
            for i, f in enumerate(facts):
                f["sid"], f["id"] = sid, f"f{i}"
            code, state = e.assert_facts(h, json.dumps(facts))
            e.start_action_for_state(h, state)
            while e.complete_and_start_action(h, state):
                pass
            e.delete_state(h, sid)
        print("survived")
    """
    codes = []
    for seed in range(1, 5):  # the crash depends on memory layout: try a few inputs
        proc = _run_python(code.replace("SEED", str(seed)), timeout=300)
        codes.append(proc.returncode)
        if proc.returncode != 0:
            break
    if codes[-1] == 0:
        pytest.xfail("this engine build survived the known crash shape; the adapter avoids it regardless")
    assert codes[-1] < 0 or codes[-1] == 139, codes


# The engine's JSON parser reads an exponent only after a decimal point, and integers in 64 bits.
_RAW_NUMBER = """
    import sys
    from checker.engine.session import native
    e = native()
    number, op, literal = sys.argv[1:4]
    rules = ('{"r": {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"%s": {"a.n": %s}}]}}]}, '
             '"s": {"all": [{"m": {"$ex": {"end.k": 1}}}]}}' % (op, literal))
    h = e.create_ruleset("t", rules)
    code, state = e.assert_facts(h, '[{"sid": "1", "id": "f1", "a": {"key": 1, "n": %s}}, '
                                    '{"sid": "1", "id": "e", "end": {"k": 1}}]' % number)
    first = e.start_action_for_state(h, state)  # None: not even the sentinel fired
    out = [first[1]] if first else []
    while first:
        nxt = e.complete_and_start_action(h, state)
        if not nxt:
            break
        out.append(nxt)
    print('"r"' in "".join(out), '"s"' in "".join(out))
"""


@pytest.mark.parametrize(
    ("number", "op", "literal", "answer"),
    [
        ("1e+20", "$gt", "0", "dropped"),  # wrong: the batch is silently dropped
        ("1.0e+20", "$gt", "0", "True True"),
        ("1e-05", "$gt", "0", "dropped"),  # wrong
        ("1.0e-05", "$gt", "0", "True True"),
        ("100000000000000000000", "$gt", "99999999999999999999", "False True"),  # wrong: past 64 bits
        ("5", "$lt", "1e+20", "error"),  # the rule is refused (code 204)
        ("5", "$lt", "1.0e+20", "True True"),
    ],
)
def test_raw_engine_misreads_numbers_in_exponent_form(
    number: str, op: str, literal: str, answer: str
) -> None:
    # Pins why the adapter writes its own JSON numbers (checker.engine.encode._number).
    proc = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(_RAW_NUMBER), number, op, literal],
        capture_output=True,
        text=True,
        timeout=60,
    )
    got = "error" if "error code: 204" in proc.stderr else proc.stdout.strip()
    if answer == "dropped":
        # A dropped batch still reports success, with a state that is not one: reading it
        # finds nothing (not even the sentinel fired), or crashes, as it does on Python 3.13.
        assert got == "False False" or proc.returncode < 0, (proc.returncode, got, proc.stderr[-2000:])
        return
    assert got == answer, proc.stderr[-2000:]


def test_numbers_of_any_size_are_compared_right_and_never_crash() -> None:
    # Through the adapter, in a subprocess: "1e+300" in a fact crashed the raw engine.
    code = """
        from checker.engine.program import EngineFact, Program
        from checker.engine.session import Session
        values = [0, 1e-05, -1.5e-05, 5e-324, 1e+16, 1e+20, -1e+20, 1e+300, 1.7976931348623157e308,
                  10**30, -(10**30), 2**63, 2**63 - 1, -(2**63), 12.5]
        literals = [0, 1e-05, 1e+20, 10**30, 2**62]
        rules = {f"gt{i}": {"all": [{"x": {"$and": [{"$ex": {"a.key": 1}}, {"$gt": {"a.n": lit}}]}}]}
                 for i, lit in enumerate(literals)}
        with Session(Program(rules=rules, fact_order=("a", "ctx"), slots=0)) as s:
            for v in values:
                got = sorted(f.rule for f in s.evaluate([EngineFact("a", {"key": 1, "n": v})], 0))
                want = sorted(f"gt{i}" for i, lit in enumerate(literals) if float(v) > float(lit))
                assert got == want, (v, got, want)
        print("ok")
    """
    proc = _run_python(code)
    assert proc.returncode == 0 and proc.stdout.strip() == "ok", proc.stderr[-2000:]


def test_engine_json_is_json() -> None:
    data = {"t": '引号 " \\ }', "n": [1e-05, 1e20, 10**30, True, None, 3], "k": {"a": -0.5}}
    expected = json.loads(json.dumps(data))
    expected["n"][2] = float(10**30)  # past 64 bits, integers go as floats
    assert json.loads(engine_json(data)) == expected
    with pytest.raises(EngineError):
        engine_json({"n": float("nan")})
    with pytest.raises(EngineError):
        engine_json({"n": 10**400})


TRICKY_VALUES: list[object] = [
    0,
    -1,
    2**63 - 1,
    -(2**63),
    2**63,
    -(2**63) - 1,
    10**30,
    0.0,
    -0.0,
    1.5,
    1e-4,
    9.9e-5,
    1e-05,
    1e15,
    9999999999999998.0,
    1e16,
    -1e16,
    1e300,
    5e-324,
    True,
    False,
    None,
    "",
    '引号 " \\ }\u2028\x00',
    "甲" * 70_000,
    [1e-05, {"nested": 1}, [2]],
    {"a": {"b": {"c": 1}}, "l": [{"x": 1, "y": 2}]},
]


class _Text(str):
    pass


class _Map(dict[str, object]):
    pass


class _List(list[object]):
    pass


TRICKY_VALUES += [
    _Text("x" * 70_000),
    _Map({f"k{i}": i for i in range(300)}),
    _List(["y" * 70_000, _Map({"a": 1})]),
    {True: 1, None: 2, 3: "three", 1.5: "x"},
    {"a": _Map({"b": {"c": _Text("z")}})},
]


@pytest.mark.parametrize("value", TRICKY_VALUES, ids=lambda v: repr(v)[:30])
def test_fact_json_writes_what_engine_json_writes(value: object) -> None:
    data = {"key": 1, "v": value, "w": [value, {"inner": value}]}
    assert fact_json(data) == (engine_json(engine_text(data)), count_properties(data))


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), 10**400])
def test_fact_json_refuses_what_engine_json_refuses(value: object) -> None:
    with pytest.raises(EngineError):
        fact_json({"key": 1, "v": value})


def test_fact_json_matches_engine_json_on_every_example_fact() -> None:
    from checker.engine import facts as F
    from checker.load.dossier import load_dossier

    examples = sorted((ROOT / "examples" / "dossiers").rglob("*.yaml"))
    assert examples
    for path in examples:
        for fact in F.build_facts(load_dossier(str(path)).dossier):
            assert fact_json(fact.data) == (engine_json(engine_text(fact.data)), count_properties(fact.data))


def _full_parse(message: str) -> list[tuple[str, list[tuple[str, str]]]]:
    return [
        (rule, [(alias, str(fact.get("id", ""))) for alias, fact in bound.items()])
        for rule, bound in json.loads(message).items()
    ]


def test_action_messages_are_read_where_they_stand_as_a_full_parse_reads_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from checker.engine import session as engine
    from checker.load.dossier import load_dossier
    from checker.rulepack.pack import load_pack
    from checker.run.evaluate import Checker

    messages: list[tuple[Session, str, str]] = []
    real = Session._firings

    def spy(self: Session, batch: list[str], sid: str) -> list[object]:
        messages.extend((self, m, sid) for m in batch)
        return real(self, batch, sid)  # type: ignore[return-value]

    monkeypatch.setattr(Session, "_firings", spy)
    import datetime as dt

    with Checker(load_pack()) as checker:
        for path in sorted((ROOT / "examples" / "dossiers").rglob("*.yaml")):
            checker.check(load_dossier(str(path)), dt.date(2026, 6, 1))
    assert len(messages) > 500
    full = [_full_parse(m) for _, m, _ in messages]
    monkeypatch.setattr(engine.json, "loads", None)  # the quick reading needs no full parse
    assert [s._bound(m, sid) for s, m, sid in messages] == full


def test_an_action_message_that_reads_ambiguously_is_parsed_in_full() -> None:
    with Session(program({"r": {"all": [{"x": {"$ex": {"a.key": 1}}}, {"n$not": {"b.key": 1}}]}})) as s:
        plain = '{"r":{"x":{"sid":"1","id":"f0","a":{"key":1}}}}'
        assert s._bound(plain, "1") == [("r", [("x", "f0")])]
        nested = '{"r":{"x":{"sid":"1","id":"f0","a":{"key":1,"x":{"sid":"1","id":"f7"}}}}}'
        assert s._bound(nested, "1") == _full_parse(nested) == [("r", [("x", "f0")])]
        other_batch = '{"r":{"x":{"sid":"2","id":"f0","a":{"key":1}}}}'
        assert s._bound(other_batch, "1") == _full_parse(other_batch)
        unknown = '{"q":{"y":{"sid":"1","id":"f3"}}}'
        assert s._bound(unknown, "1") == [("q", [("y", "f3")])]


def test_raw_engine_matches_its_state_object_with_a_negative_only_pattern() -> None:
    # Pins why every compiled pattern starts with its fact type's presence test.
    proc = _run_python(
        """
        import json
        from checker.engine.session import native
        e = native()
        h = e.create_ruleset("x", json.dumps({"r": {"all": [{"m": {"$nex": {"a.x": 1}}}]}}))
        code, state = e.assert_facts(h, json.dumps([{"sid": "1", "id": "1", "b": {"k": 1}}]))
        print(json.loads(e.start_action_for_state(h, state)[1])["r"]["m"]["id"])
        """
    )
    assert proc.stdout.strip() == "sid-1", proc.stderr


def test_the_adapter_never_asserts_an_empty_batch(monkeypatch: pytest.MonkeyPatch) -> None:
    # The engine answers an empty batch with a garbage state offset; the marker fact prevents it.
    import checker.engine.session as engine_module

    real = engine_module.native()
    batches: list[list[dict[str, object]]] = []

    class Recorder:
        error = real.error

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def assert_facts(self, handle: object, text: str) -> object:
            batches.append(json.loads(text))
            return real.assert_facts(handle, text)

    with Session(program({"r": {"all": [{"x": {"$ex": {"a.key": 1}}}]}})) as s:
        monkeypatch.setattr(engine_module, "_native_module", Recorder())
        s.evaluate([], 0)
    assert batches and all(batch for batch in batches)
    assert batches[0][-1]["end_marker"] == {"k": 1}


@pytest.mark.slow
def test_memory_stays_flat_over_many_dossiers() -> None:
    # glibc raises its mmap threshold the first time a large block is freed, after which blocks of
    # that size stay on the heap: a one-time step of about 8 MB in the resident size, which lands
    # before or inside the measured window depending on the hash seed (seen on Python 3.13). A
    # fixed threshold takes that step out, so what is left is growth per dossier: a leak.
    proc = _run_python(
        f"""
        import datetime as dt, sys
        sys.path.insert(0, {str(ROOT)!r})
        from checker.run.evaluate import Checker
        from checker.load.dossier import load_dossier
        from checker.rulepack.pack import load_pack
        def rss():
            return int(open("/proc/self/statm").read().split()[1]) * 4096
        loaded = [load_dossier(str(p)) for p in sorted((ROOT / "examples" / "dossiers").rglob("*.yaml"))]
        with Checker(load_pack()) as c:
            for d in loaded * 30:
                c.check(d, dt.date(2026, 6, 1))
            before = rss()
            for d in loaded * 300:
                c.check(d, dt.date(2026, 6, 1))
            after = rss()
        print(before, after)
        """.replace("ROOT /", f"__import__('pathlib').Path({str(ROOT)!r}) /"),
        timeout=600,
        env={"MALLOC_MMAP_THRESHOLD_": "131072"},
    )
    before, after = map(int, proc.stdout.split())
    assert after - before < 8 * 1024 * 1024, (before, after)


def _firings_at_scale(scale: int) -> tuple[int, int]:
    import yaml

    from checker.engine import facts as F
    from checker.load.dossier import load_dossier
    from checker.rulepack.pack import load_pack

    d = yaml.safe_load((ROOT / "rules" / "cases" / "format-1.0" / "car-t-bridging.yaml").read_text("utf-8"))
    ind, trial, study = d["indications"][0], d["clinical_trials"][0], d["foreign_studies"][0]
    n_ind, n_trials = 3 * scale, 10 * scale
    d["indications"] = [dict(ind, id=f"i{k}") for k in range(n_ind)]
    d["clinical_trials"] = [
        dict(
            trial,
            id=f"t{k}",
            role=["pivotal", "bridging", "exploratory"][k % 3],
            indications=[f"i{k % n_ind}"],
        )
        for k in range(n_trials)
    ]
    d["overseas_approvals"] = [{"id": f"oa{k}", "agency": "FDA"} for k in range(3 * scale)]
    d["foreign_studies"] = [dict(study, id=f"fs{k}") for k in range(3 * scale)]
    d["post_approval_commitments"] = []
    for t in d["clinical_trials"]:
        t["bridges"] = "fs0"
    path = ROOT / f".pytest-scale-{scale}.yaml"
    try:
        path.write_text(yaml.safe_dump(d, allow_unicode=True), "utf-8")
        loaded = load_dossier(str(path))
    finally:
        path.unlink(missing_ok=True)
    facts = F.build_facts(loaded.dossier)
    with Session(load_pack().program) as s:
        return len(facts), len(s.evaluate([EngineFact(f.type, f.data) for f in facts], 740000))


def test_engine_work_grows_linearly_with_the_dossier() -> None:
    """Facts a rule only needs to exist bind the first of their kind, so unrelated lists never
    multiply: doubling every list roughly doubles the rule firings (a product would quadruple
    them)."""
    facts_1, firings_1 = _firings_at_scale(5)
    facts_2, firings_2 = _firings_at_scale(10)
    assert facts_2 < 2.2 * facts_1
    assert firings_2 < 2.5 * firings_1, (firings_1, firings_2)


def test_high_level_host_is_never_imported() -> None:
    proc = _run_python(
        """
        import sys, datetime
        from checker.run.api import check_paths, CheckOptions
        check_paths(["examples/dossiers/clean"], CheckOptions(datetime.date(2026, 6, 1)))
        print("durable.lang" in sys.modules, "durable.engine" in sys.modules)
        """
    )
    assert proc.stdout.split() == ["False", "False"], proc.stderr[-2000:]


def test_a_join_reading_a_missing_field_fails_the_batch_and_the_session_recovers() -> None:
    # Engine error 311: the compiler therefore requires every joined field to be present.
    rules = {"r": {"all": [{"m": {"$ex": {"c.key": 1}}}, {"cx1": {"$lte": {"ctx1.today": {"m": "c.due"}}}}]}}
    with Session(Program(rules, ("c", "ctx"), 1)) as s:
        with pytest.raises(EngineError, match="311"):
            s.evaluate([EngineFact("c", {"key": 1})], 5)
        assert fired(s, [EngineFact("c", {"key": 1, "due": 9})], 5) == [("r", (("m", 0),))]


def test_program_json_is_plain() -> None:
    json.dumps(_join_program().rules)


def _bridging_firings(
    pin: bool, monkeypatch: pytest.MonkeyPatch
) -> tuple[Counter[str], set[tuple[str, str]]]:
    """Firings of nda-bridging-missing-for-indication's engine rules on car-t-bridging-coded
    with a second indication that three overseas approvals and three relied-on foreign studies
    name, and the findings of the whole pack."""
    import yaml

    from checker.engine import facts as F
    from checker.load.dossier import load_dossier
    from checker.rulepack import compiler
    from checker.rulepack.pack import load_pack
    from checker.run.evaluate import Checker

    if not pin:
        monkeypatch.setattr(compiler, "pinned_aliases", lambda *args: {})
    d = yaml.safe_load(
        (ROOT / "examples" / "dossiers" / "clean" / "car-t-bridging-coded.yaml").read_text("utf-8")
    )
    d["indications"].append(dict(d["indications"][0], id="lbcl-2l", stage="confirmatory-trial"))
    d["indications"][-1].pop("approval", None)
    d["overseas_approvals"] = [
        dict(d["overseas_approvals"][0], id=f"oa{k}", indications=["lbcl-3l", "lbcl-2l"]) for k in range(3)
    ]
    d["foreign_studies"] += [
        dict(d["foreign_studies"][0], id=f"fs{k}", indications=["lbcl-3l", "lbcl-2l"]) for k in range(3)
    ]
    path = ROOT / f".pytest-pinned-{pin}.yaml"
    try:
        path.write_text(yaml.safe_dump(d, allow_unicode=True, sort_keys=False), "utf-8")
        loaded = load_dossier(str(path))
    finally:
        path.unlink(missing_ok=True)
    pack = load_pack()
    facts = F.build_facts(loaded.dossier)
    with Session(pack.program) as s:
        firings = Counter(
            f.rule
            for f in s.evaluate([EngineFact(f.type, f.data) for f in facts], 740000)
            if f.rule.startswith("nda-bridging-missing-for-indication|")
        )
    with Checker(pack) as checker:
        result = checker.check(loaded, dt.date(2026, 6, 1))
    return firings, {(f.rule_id, f.path) for f in result.findings}


def test_a_fact_compared_only_with_facts_before_it_binds_the_first_that_passes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """An overseas approval and a foreign study the rule needs only to exist for an indication
    (it compares them with the indication and names neither) bind the first of those that serve
    it: one firing per indication instead of one per approval x study, the same findings."""
    pinned, findings = _bridging_firings(True, monkeypatch)
    assert pinned == {
        "nda-bridging-missing-for-indication|applies": 2,  # lbcl-3l and lbcl-2l
        "nda-bridging-missing-for-indication|gap": 1,  # lbcl-2l has no bridging study
    }
    assert ("nda-bridging-missing-for-indication", "indications[lbcl-2l]") in findings
    unpinned, same = _bridging_firings(False, monkeypatch)
    assert (
        unpinned["nda-bridging-missing-for-indication|gap"] == 3 * 3
    )  # 3 approvals x the 3 studies serving lbcl-2l
    assert same == findings
