"""A program spread over several engine rulesets gives what one ruleset gives, and a ruleset the
engine cannot hold (error 108 when created, 303 when a batch is asserted) is split in two."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.engine import program
from checker.engine import session as engine
from checker.engine.program import EngineFact, Program
from checker.engine.session import Session
from checker.load.dossier import LoadedDossier, load_dossier
from checker.report.result import DossierResult
from checker.rulepack import link as link_module
from checker.rulepack.link import link
from checker.rulepack.pack import RulePack, load_pack
from checker.run.evaluate import Checker
from tests.fixtures import replicated_pack

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "dossiers").rglob("*.yaml"))
AS_OF = dt.date(2026, 6, 1)


@pytest.fixture(scope="module")
def dossiers() -> list[LoadedDossier]:
    return [load_dossier(str(p)) for p in EXAMPLES]


@pytest.fixture(scope="module")
def bundled() -> RulePack:
    return load_pack()


def _relinked(pack: RulePack) -> RulePack:
    """The pack with a program linked afresh (its partition follows RULES_PER_RULESET now)."""
    return dataclasses.replace(pack, program=link([lr.compiled for lr in pack.rules.values()]))


def _results(pack: RulePack, dossiers: list[LoadedDossier]) -> Iterator[tuple[DossierResult, int]]:
    with Checker(pack) as checker:
        for d in dossiers:
            yield checker.check(d, AS_OF), checker.session.rulesets


def _findings(result: DossierResult) -> list[tuple[str, str, int, int]]:
    return sorted((f.rule_id, f.path, f.line, f.column) for f in result.findings)


def test_the_bundled_pack_runs_in_the_rulesets_its_size_needs(bundled: RulePack) -> None:
    """Up to RULES_PER_RULESET source rules a ruleset, in pack order, every engine rule in one."""
    needed = -(-len(bundled.rules) // program.RULES_PER_RULESET)
    assert needed > 1  # the pack has outgrown one ruleset: what follows checks several
    partition = bundled.program.partition
    assert len(partition) == needed
    assert sorted(n for names in partition for n in names) == sorted(bundled.program.rules)
    with Session(bundled.program) as session:
        assert session.rulesets == needed


def test_the_bundled_pack_checks_every_example_without_splitting_a_ruleset(
    bundled: RulePack, dossiers: list[LoadedDossier]
) -> None:
    """No example overflows the engine's alpha walk (which would split a ruleset); that the pack
    spread over its rulesets gives what its rules give each alone is the test below."""
    assert {rulesets for _, rulesets in _results(bundled, dossiers)} == {len(bundled.program.partition)}


@pytest.mark.parametrize("per_ruleset", [1, 7, 50])
def test_spread_over_rulesets_the_results_are_the_same(
    bundled: RulePack, dossiers: list[LoadedDossier], monkeypatch: pytest.MonkeyPatch, per_ruleset: int
) -> None:
    expected = [r for r, _ in _results(bundled, dossiers)]
    monkeypatch.setattr(program, "RULES_PER_RULESET", per_ruleset)
    spread = _relinked(bundled)
    partition = spread.program.partition
    assert len(partition) == -(-len(bundled.rules) // per_ruleset)
    assert sorted(n for names in partition for n in names) == sorted(bundled.program.rules)
    for names in partition:  # a source rule's engine rules stay together
        sources = {n.rpartition("|")[0] for n in names}
        assert all(
            not (sources & {m.rpartition("|")[0] for m in other}) for other in partition if other != names
        )
    got = list(_results(spread, dossiers))
    assert [r for r, _ in got] == expected  # findings, their order and the whole matrix
    assert {n for _, n in got} == {len(partition)}


def _replicated_findings(base: DossierResult, copies: int) -> list[tuple[str, str, int, int]]:
    own = _findings(base)
    return sorted(
        own + [(f"{rid}-r{k}", p, ln, col) for k in range(2, copies + 1) for rid, p, ln, col in own]
    )


@pytest.mark.parametrize(("copies", "refused"), [(2, "303")])
def test_a_ruleset_the_engine_cannot_hold_is_split(
    bundled: RulePack,
    dossiers: list[LoadedDossier],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    copies: int,
    refused: str,
) -> None:
    """The bundled pack replicated under new ids, all in one ruleset at first and with every
    rule's joins on the same context slots (one lane, as before the linker dealt them into
    lanes): two copies fail every batch with error 303. (Six copies were refused by
    create_ruleset with error 108; since every negation that compares with a matched fact has a
    closing comparison, four copies make it spin instead, which only a pack 4.5 times the largest
    ruleset the partition builds could reach; the split on a refusal is the one of error 107,
    tested below.)"""
    monkeypatch.setattr(program, "RULES_PER_RULESET", 10_000)
    monkeypatch.setattr(link_module, "SLOT_LANES", 1)
    pack = load_pack([replicated_pack(tmp_path / "rules", copies)])
    assert len(pack.rules) == copies * len(bundled.rules) and len(pack.program.partition) == 1
    created: list[str] = []
    real = Session._new_handle

    def spy(text: str) -> object:
        try:
            handle = real(text)
        except engine.EngineError as exc:
            created.append(exc.message)
            raise
        return handle

    monkeypatch.setattr(Session, "_new_handle", staticmethod(spy))
    base = [r for r, _ in _results(bundled, dossiers)]
    got = list(_results(pack, dossiers))
    for (result, _), want in zip(got, base, strict=True):
        assert _findings(result) == _replicated_findings(want, copies)
        assert [(r.id, r.status) for r in result.requirements] == [
            (r.id, r.status) for r in want.requirements
        ]
    assert got[-1][1] > 1
    if refused == "108":
        assert created and all("error code: 108" in m for m in created)
    else:
        assert not created  # created whole, then split when a batch overflowed it


def test_another_engine_failure_is_not_split_and_the_ruleset_recovers() -> None:
    # Engine error 311 (a join reads a field the fact lacks) is the dossier's, not the size's.
    late = {"all": [{"m": {"$ex": {"c.key": 1}}}, {"cx1": {"$lte": {"ctx1.today": {"m": "c.due"}}}}]}
    rules = {"late|gap": late, "any|gap": {"all": [{"n": {"$ex": {"c.key": 1}}}]}}
    with Session(Program(rules, ("c", "ctx"), 1)) as session:
        with pytest.raises(engine.EngineError, match="311"):
            session.evaluate([EngineFact("c", {"key": 1})], 5)
        assert session.rulesets == 1
        fired = session.evaluate([EngineFact("c", {"key": 1, "due": 9})], 5)
        assert sorted(f.rule for f in fired) == ["any|gap", "late|gap"]


class _Handles:
    """The engine module with its ruleset handles counted: created, deleted, and abandoned (a
    batch failed in it: it is never deleted)."""

    def __init__(self, real: object) -> None:
        self._real = real
        self.created: list[object] = []
        self.deleted: list[object] = []
        self.abandoned: list[object] = []
        self.create_calls = 0

    def __getattr__(self, name: str) -> object:
        return getattr(self._real, name)

    def create_ruleset(self, name: str, text: str) -> object:
        self.create_calls += 1
        handle = self._real.create_ruleset(name, text)  # type: ignore[attr-defined]
        self.created.append(handle)
        return handle

    def delete_ruleset(self, handle: object) -> None:
        self.deleted.append(handle)
        self._real.delete_ruleset(handle)  # type: ignore[attr-defined]

    def assert_facts(self, handle: object, text: str) -> object:
        try:
            return self._real.assert_facts(handle, text)  # type: ignore[attr-defined]
        except Exception:
            self.abandoned.append(handle)
            raise

    def live(self) -> set[object]:
        return set(self.created) - set(self.deleted) - set(self.abandoned)


@pytest.fixture
def handles(monkeypatch: pytest.MonkeyPatch) -> _Handles:
    counted = _Handles(engine.native())
    monkeypatch.setattr(engine, "native", lambda: counted)
    return counted


def _matching(n: int, extra: dict[str, object] | None = None) -> Program:
    """n rules that all match a fact {"key": 1, "w": 1000}: more than 64 overflow one ruleset."""
    rules: dict[str, object] = {
        f"s{j}|gap": {"all": [{"m": {"$and": [{"$ex": {"t.key": 1}}, {"$gte": {"t.w": j}}]}}]}
        for j in range(n)
    }
    rules.update(extra or {})
    return Program(rules=rules, fact_order=("t",), slots=0)


FACT = [EngineFact("t", {"key": 1, "w": 1000})]


def test_a_split_that_helps_is_kept(handles: _Handles) -> None:
    with Session(_matching(65)) as session:
        assert session.rulesets == 1
        assert len(session.evaluate(FACT, 0)) == 65
        assert session.rulesets == 2
        assert len(session.evaluate(FACT, 0)) == 65 and session.rulesets == 2
        assert len(handles.abandoned) == 1
    assert handles.live() == set()


def test_an_overflow_no_split_mends_fails_and_leaves_the_session_as_it_was(handles: _Handles) -> None:
    # One rule whose 70 alternatives all hold overflows any ruleset it is in.
    big = {
        "all": [{"m": {"$and": [{"$ex": {"t.key": 1}}, {"$or": [{"$gte": {"t.w": i}} for i in range(70)]}]}}]
    }
    with Session(_matching(30, {"big|gap": big})) as session:
        with pytest.raises(engine.EngineError, match="303"):
            session.evaluate(FACT, 0)
        assert session.rulesets == 1  # not left in pieces
        fired = session.evaluate([EngineFact("t", {"key": 1, "w": 5})], 0)
        assert sorted(f.rule for f in fired) == ["big|gap", *sorted(f"s{j}|gap" for j in range(6))]
        assert session.rulesets == 1
    assert handles.live() == set()  # every healthy ruleset made on the way was deleted


def test_a_refusal_that_is_not_about_size_is_not_split(handles: _Handles) -> None:
    bad = {"all": [{"m": {"$and": [{"$ex": {"t.key": 1}}, {"$mt": {"t.v": "(("}}]}}]}
    with pytest.raises(engine.EngineError, match="508"):
        Session(_matching(30, {"bad|gap": bad}))
    assert handles.create_calls == 1 and handles.live() == set()


def test_a_ruleset_that_cannot_be_made_again_is_tried_on_its_next_use(
    handles: _Handles, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Session(_matching(65)) as session:
        real = Session._new_handle

        def refuse(text: str) -> object:
            raise engine.EngineError("the rule engine refused the compiled rules: out of memory")

        monkeypatch.setattr(Session, "_new_handle", staticmethod(refuse))
        with pytest.raises(engine.EngineError, match="out of memory"):
            session.evaluate(FACT, 0)  # 303, then the halves cannot be made
        assert session.rulesets == 1
        monkeypatch.setattr(Session, "_new_handle", staticmethod(real))
        assert len(session.evaluate(FACT, 0)) == 65  # made again, split, and checked
    assert handles.live() == set()


def test_close_waits_for_the_batch_in_progress(handles: _Handles, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading
    import time

    session = Session(_matching(65))
    real_run = Session._run
    started = threading.Event()

    def slow(ruleset: object, text: str, sid: str) -> list[str]:
        started.set()
        time.sleep(0.2)
        return real_run(ruleset, text, sid)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "_run", staticmethod(slow))
    results: list[object] = []
    worker = threading.Thread(target=lambda: results.append(len(session.evaluate(FACT, 0))))
    worker.start()
    assert started.wait(60)  # only stops a hang
    session.close()  # waits for the batch, splits included
    worker.join(60)
    assert results == [65] and session.rulesets == 0
    with pytest.raises(engine.EngineError, match="closed"):
        session.evaluate(FACT, 0)
    assert handles.live() == set()


def test_a_ruleset_with_more_tests_after_one_condition_than_the_engine_links_is_split(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A condition followed by more than 128 tests (error 107 from create_ruleset, here from 128
    rules with wide `any` tests, all in one ruleset with the bundled rules) is split like one that
    feeds too many joins."""
    from tests.rulepacks import rule, write_pack

    rules = []
    for r in range(128):
        on_trial = [{"primary_endpoint.assessment.days": {"gte": k}} for k in range(10)]
        on_indication = [{"stage_rank": {"gte": k % 9}, "oncology": bool(k % 2)} for k in range(10)]
        applies = [
            {"as": "t", "fact": "trial", "where": {"any": on_trial}},
            {"as": "i", "fact": "indication", "where": {"any": on_indication}},
        ]
        rules.append(rule(f"house-wide-{r}", applies=applies, message={"en": "{t} {i}", "zh": "{t} {i}"}))
    monkeypatch.setattr(program, "RULES_PER_RULESET", 1000)
    pack = _relinked(load_pack([write_pack(tmp_path / "pack", rules)]))
    texts = pack.program.ruleset_texts
    assert len(texts) == 1
    widest = max(texts, key=lambda text: text.count("house-wide-"))  # the bundled rules come first
    with pytest.raises(engine.native().error, match="error code: 107"):
        engine.native().create_ruleset("whole-107", widest)
    with Checker(pack) as checker:
        assert checker.session.rulesets > len(texts)
        result = checker.check(
            load_dossier(str(ROOT / "examples" / "dossiers" / "clean" / "car-t-approved.yaml")), AS_OF
        )
    assert {f.rule_id for f in result.findings} >= {"house-wide-0", "house-wide-127"}


@pytest.mark.parametrize("per_ruleset", [50, program.RULES_PER_RULESET])
def test_negations_on_one_fact_type_are_spread_over_the_rulesets(
    bundled: RulePack, monkeypatch: pytest.MonkeyPatch, per_ruleset: int
) -> None:
    """Every fact walks the negations on its type, and the engine walks at most 64 pending nodes
    per fact (error 303): the rules that all negate one type (the bridging rules' overseas
    approval) are dealt over the rulesets: no ruleset holds more of a heavily negated type's
    negations than its share and one source rule's."""
    monkeypatch.setattr(program, "RULES_PER_RULESET", per_ruleset)
    spread = _relinked(bundled).program
    loads = [program._negations(spread.rules[n] for n in names) for names in spread.partition]
    widest = program._negations(spread.rules.values())
    assert widest["overseas_approval__view"] > 64  # more than one ruleset could walk
    for fact in [f for f, n in widest.items() if n > 32]:
        per_rule = max(
            program._negations(spread.rules[n] for n in group).get(fact, 0)
            for group in spread.by_source_rule(tuple(spread.rules))
        )
        counts = [load.get(fact, 0) for load in loads]
        assert max(counts) <= -(-widest[fact] // len(counts)) + per_rule, (fact, counts)
        assert sum(counts) == widest[fact]
