"""A program spread over several engine rulesets gives what one ruleset gives, and a ruleset the
engine cannot hold (error 108 when created, 303 when a batch is asserted) is split in two."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker import engine
from checker.check import Checker
from checker.compiler import link
from checker.dossier import LoadedDossier, load_dossier
from checker.engine import Program, Session
from checker.result import DossierResult
from checker.rulepack import RulePack, load_pack
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
            yield checker.check(d, AS_OF), checker._session.rulesets


def _findings(result: DossierResult) -> list[tuple[str, str, int, int]]:
    return sorted((f.rule_id, f.path, f.line, f.column) for f in result.findings)


def test_the_bundled_pack_is_one_ruleset(bundled: RulePack) -> None:
    assert bundled.program.partition == (tuple(bundled.program.rules),)
    with Session(bundled.program) as session:
        assert session.rulesets == 1


@pytest.mark.parametrize("per_ruleset", [1, 7, 50])
def test_spread_over_rulesets_the_results_are_the_same(
    bundled: RulePack, dossiers: list[LoadedDossier], monkeypatch: pytest.MonkeyPatch, per_ruleset: int
) -> None:
    expected = [r for r, _ in _results(bundled, dossiers)]
    monkeypatch.setattr(engine, "RULES_PER_RULESET", per_ruleset)
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


@pytest.mark.parametrize(("copies", "refused"), [(2, "303"), (6, "108")])
def test_a_ruleset_the_engine_cannot_hold_is_split(
    bundled: RulePack,
    dossiers: list[LoadedDossier],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    copies: int,
    refused: str,
) -> None:
    """The bundled pack replicated under new ids, all in one ruleset at first: two copies fail
    every batch with error 303, six are refused by create_ruleset with error 108."""
    monkeypatch.setattr(engine, "RULES_PER_RULESET", 10_000)
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
            session.evaluate([engine.EngineFact("c", {"key": 1})], 5)
        assert session.rulesets == 1
        fired = session.evaluate([engine.EngineFact("c", {"key": 1, "due": 9})], 5)
        assert sorted(f.rule for f in fired) == ["any|gap", "late|gap"]
