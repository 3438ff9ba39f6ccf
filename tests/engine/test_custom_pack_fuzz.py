"""Random valid custom rule packs, run against the engine through the real command line in a
subprocess: whatever the pack, the command never dies of a signal and never prints a traceback;
it gives a report (exit 0 or 1), or exit 2 with each problem located (a refused rule at its line,
or a dossier the engine stopped on, naming the rule)."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.engine import facts as F
from tests.hostile import PROBLEM_LINE, ROOT, run_cli
from tests.rulepacks import rule, write_pack

CLEAN = ROOT / "examples" / "dossiers" / "clean"
DOSSIERS = [str(CLEAN / n) for n in ("car-t-ind.yaml", "car-t-approved.yaml", "car-t-bridging.yaml")]
FACTS = ["dossier", "indication", "trial", "commitment", "cmc_study", "foreign_study", "overseas_approval"]
# Fast runs stay within seconds; the larger run is behind the slow marker.
FAST = settings(max_examples=4, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
LARGE = settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))


def _fields(fact: str) -> list[tuple[str, F.FieldInfo]]:
    return [
        (name, info)
        for name, info in F.CATALOGUE[fact].items()
        if info.kind in ("enum", "bool", "number", "text", "object") and not name.endswith("_number")
    ]


@st.composite
def where_on(draw: st.DrawFn, fact: str, depth: int = 0) -> dict[str, Any]:
    """A `where` on one fact: a few tests on its fields, maybe an `any`."""
    out: dict[str, Any] = {}
    for name, info in draw(st.lists(st.sampled_from(_fields(fact)), max_size=3, unique_by=lambda f: f[0])):
        if info.kind == "object" or draw(st.booleans()):
            out[name] = draw(st.sampled_from(["present", "absent"]))
        elif info.kind == "enum":
            values = list(info.values)
            if info.ordered and draw(st.booleans()):
                out[name] = {draw(st.sampled_from(["lt", "gte"])): draw(st.sampled_from(values))}
            elif draw(st.booleans()):
                out[name] = {
                    draw(st.sampled_from(["in", "not_in"])): draw(
                        st.lists(st.sampled_from(values), min_size=1, max_size=4, unique=True)
                    )
                }
            else:
                out[name] = draw(st.sampled_from(values))
        elif info.kind == "bool":
            out[name] = draw(st.booleans())
        elif info.kind == "number":
            out[name] = {draw(st.sampled_from(["lt", "gte", "ne"])): draw(st.integers(0, 400))}
        else:
            out[name] = {draw(st.sampled_from(["eq", "ne"])): draw(st.sampled_from(["x", "China", "rrmm"]))}
    if depth == 0 and draw(st.booleans()):
        out["any"] = [draw(where_on(fact, 1).filter(bool)) for _ in range(2)]
    return out


@st.composite
def random_rule(draw: st.DrawFn, index: int) -> dict[str, Any]:
    facts = draw(st.lists(st.sampled_from(FACTS), min_size=1, max_size=3))
    applies = [{"as": f"a{i}", "fact": f, "where": draw(where_on(f))} for i, f in enumerate(facts)]
    alternatives = [
        [{"as": f"b{k}", "fact": f, "where": draw(where_on(f))}]
        for k, f in enumerate(draw(st.lists(st.sampled_from(FACTS), max_size=2)))
    ]
    gap: dict[str, Any] = {}
    if draw(st.booleans()):
        gap["where"] = {"a0": draw(where_on(facts[0]).filter(bool))}
    if draw(st.booleans()):
        absent = draw(st.sampled_from(FACTS[1:]))
        gap["absent"] = [{"fact": absent, "where": draw(where_on(absent))}]
    if draw(st.booleans()):
        extra = draw(st.sampled_from(FACTS))
        gap["match"] = [{"as": "m0", "fact": extra, "where": draw(where_on(extra))}]
    names: list[str] = [f"a{i}" for i in range(len(applies))]
    shown = draw(st.lists(st.sampled_from(names), min_size=1, max_size=3))
    text = " ".join("{" + a + "}" for a in shown)
    parts: dict[str, Any] = {
        "applies": applies,
        "applies_any": alternatives,
        "gap": gap,
        "report": {"at": "a0"},
        "message": {"en": text, "zh": text},
    }
    return rule(f"house-fuzz-{index}", **parts)


packs = st.integers(1, 4).flatmap(lambda n: st.tuples(*(random_rule(i) for i in range(n))))

JOIN_FACTS = [
    "dossier",
    "indication",
    "trial",
    "commitment",
    "overseas_approval",
    "foreign_study",
    "material",
]
OPS = ["eq", "ne", "lt", "lte", "gt", "gte"]


def _comparable(fact: str) -> list[tuple[str, str]]:
    """The fields of a fact a join compares: dates, numbers, references and its key."""
    return [(n, i.kind) for n, i in F.CATALOGUE[fact].items() if i.kind in ("date", "ref", "key", "number")]


@st.composite
def join(draw: st.DrawFn, aliases: list[tuple[str, str]]) -> dict[str, Any]:
    """A comparison of a matched fact's field with another's, or a date with the check date."""
    la, lf = draw(st.sampled_from(aliases))
    ln, lk = draw(st.sampled_from(_comparable(lf)))
    op = draw(st.sampled_from(OPS))
    if lk == "date" and draw(st.booleans()):
        return {
            "left": f"{la}.{ln}",
            "op": op,
            "right": "context.today",
            "offset_days": draw(st.integers(-400, 400)),
        }
    ra, rf = draw(st.sampled_from(aliases))
    rn, _ = draw(st.sampled_from(_comparable(rf)))
    out: dict[str, Any] = {"left": f"{la}.{ln}", "op": op, "right": f"{ra}.{rn}"}
    if draw(st.booleans()):
        out["offset_days"] = draw(st.integers(-100, 100))
    return out


@st.composite
def joined_rule(draw: st.DrawFn, index: int) -> dict[str, Any]:
    """A rule relating its facts: joins in `applies_join` and `gap.join`, a further match, an
    absence joined to a matched fact, alternatives; many are refused at load (a join of fields
    of different kinds, a bound), the others run."""
    facts = draw(st.lists(st.sampled_from(JOIN_FACTS), min_size=1, max_size=3))
    aliases = [(f"a{i}", f) for i, f in enumerate(facts)]
    applies = [{"as": a, "fact": f, "where": draw(where_on(f))} for a, f in aliases]
    parts: dict[str, Any] = {"applies": applies}
    if draw(st.booleans()):
        parts["applies_any"] = [
            [{"as": f"b{k}", "fact": f, "where": draw(where_on(f))}]
            for k, f in enumerate(draw(st.lists(st.sampled_from(JOIN_FACTS), min_size=1, max_size=2)))
        ]
    if len(aliases) > 1 and draw(st.booleans()):
        parts["applies_join"] = draw(st.lists(join(aliases), min_size=1, max_size=2))
    gap: dict[str, Any] = {}
    matched = list(aliases)
    if draw(st.booleans()):
        extra = draw(st.sampled_from(JOIN_FACTS))
        gap["match"] = [{"as": "m0", "fact": extra, "where": draw(where_on(extra))}]
        matched.append(("m0", extra))
    if draw(st.booleans()):
        gap["join"] = draw(st.lists(join(matched), min_size=1, max_size=3))
    if draw(st.booleans()):
        absent = draw(st.sampled_from(JOIN_FACTS[1:]))
        spec: dict[str, Any] = {"fact": absent, "where": draw(where_on(absent))}
        if draw(st.booleans()):
            field, _ = draw(st.sampled_from(_comparable(absent)))
            ra, rf = draw(st.sampled_from(matched))
            rn, _ = draw(st.sampled_from(_comparable(rf)))
            spec["join"] = [{"field": field, "op": draw(st.sampled_from(OPS)), "right": f"{ra}.{rn}"}]
        gap["absent"] = [spec]
    if draw(st.booleans()):
        gap["where"] = {"a0": draw(where_on(facts[0]).filter(bool))}
    text = " ".join("{" + a + "}" for a, _ in aliases)
    parts.update(gap=gap, report={"at": "a0"}, message={"en": text, "zh": text})
    return rule(f"house-fuzz-{index}", **parts)


joined_packs = st.integers(1, 3).flatmap(lambda n: st.tuples(*(joined_rule(i) for i in range(n))))


def _check(rules: tuple[dict[str, Any], ...]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        pack = write_pack(Path(tmp) / "pack", list(rules))
        run = run_cli("check", *DOSSIERS, "--rules", str(pack), "--as-of", "2026-06-01", "-f", "json")
    assert "Traceback" not in run.stderr and "Traceback" not in run.stdout, run.stderr[-3000:]
    assert run.returncode in (0, 1, 2), f"exit {run.returncode}: {run.stderr[-3000:]}"
    if not run.stdout:  # the pack was refused: every line is a located problem
        assert run.returncode == 2
        lines = run.stderr.splitlines()
        assert lines and all(PROBLEM_LINE.fullmatch(line) for line in lines), run.stderr[-3000:]
        return
    report = json.loads(run.stdout)
    assert len(report["dossiers"]) + len(report["errors"]) == len(DOSSIERS)
    for error in report["errors"]:
        assert "the rule engine stopped" in error["message"] and "house-fuzz-" in error["message"], error


@FAST
@given(packs)
def test_random_custom_packs_never_crash_the_command(rules: tuple[dict[str, Any], ...]) -> None:
    _check(rules)


@pytest.mark.slow
@LARGE
@given(packs)
def test_many_random_custom_packs_never_crash_the_command(rules: tuple[dict[str, Any], ...]) -> None:
    _check(rules)


@FAST
@given(joined_packs)
def test_random_packs_with_joins_never_crash_the_command(rules: tuple[dict[str, Any], ...]) -> None:
    _check(rules)


@pytest.mark.slow
@LARGE
@given(joined_packs)
def test_many_random_packs_with_joins_never_crash_the_command(rules: tuple[dict[str, Any], ...]) -> None:
    _check(rules)
