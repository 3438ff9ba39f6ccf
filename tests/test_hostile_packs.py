"""Custom rule packs as an attacker writes them, through the real command line: a pack that
would crash, freeze or exhaust the engine is refused at load with the rule's file, line and
column, or its crash is contained (exit 2 naming the rule, the other dossiers still reported),
within the hostile budgets."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.base import limits
from tests.hostile import ROOT, assert_located_errors, run_cli
from tests.rulepacks import rule, write_pack
from tests.test_hostile import MAX_LIST_LIMIT_RSS_BYTES

CLEAN = ROOT / "examples" / "dossiers" / "clean"
AS_OF = "2026-06-01"


def _mark(pack: Path, path: tuple[str | int, ...]) -> tuple[int, int]:
    """Where the node at `path` of the rule file starts (read with PyYAML, not the checker)."""
    node: Any = yaml.compose((pack / "r.yaml").read_text("utf-8"))
    for part in path:
        if isinstance(part, int):
            node = node.value[part]
        else:
            node = next(v for k, v in node.value if k.value == part)
    return node.start_mark.line + 1, node.start_mark.column + 1


# Each: the rule's parts, the node of the rule the refusal points at, and a fragment of it.
REFUSED: dict[str, tuple[dict[str, Any], tuple[str | int, ...], str]] = {
    "an in list of 510 values": (
        {
            "applies": [
                {"as": "t", "fact": "trial", "where": {"registration": {"in": [f"R{i}" for i in range(510)]}}}
            ]
        },
        ("applies", 0, "where", "registration", "in"),
        "'in' lists 510 values; a test may list at most 100",
    ),
    "an any of 1,000 branches": (
        {
            "applies": [
                {
                    "as": "t",
                    "fact": "trial",
                    "where": {"any": [{"registration": f"R{i}"} for i in range(1000)]},
                }
            ]
        },
        ("applies", 0, "where", "any"),
        "'any' has 1000 groups",
    ),
    "an offset of 10^30 days": (
        {
            "applies": [{"as": "t", "fact": "trial"}, {"as": "i", "fact": "indication"}],
            "applies_join": [{"left": "t.indication", "op": "eq", "right": "i.key", "offset_days": 10**30}],
            "message": {"en": "{t} {i}", "zh": "{t} {i}"},
        },
        ("applies_join", 0, "offset_days"),
        "expected 36525 or less, got 1000000000000000000000000000000",
    ),
    "a product of three lists at their limits": (
        {
            "applies": [
                {"as": "t", "fact": "trial"},
                {"as": "e", "fact": "existing_therapy"},
                {"as": "c", "fact": "commitment"},
            ],
            "message": {"en": "{t} {e} {c}", "zh": "{t} {e} {c}"},
        },
        ("applies",),
        "combinations of facts on a dossier with every list at its limit",
    ),
    "a message that repeats a large field": (
        {"message": {"en": "{t.title} " * 30, "zh": "{t}"}},
        ("message", "en"),
        "the message has 30 placeholders",
    ),
    "an absence with many comparisons": (
        {
            "gap": {
                "absent": [
                    {"fact": "commitment", "join": [{"field": "indication", "right": "t.indication"}] * 40}
                ]
            }
        },
        ("gap", "absent", 0, "join"),
        "this absence makes 40 comparisons",
    ),
    "an any of 14 groups of two tests (engine error 113)": (
        {
            "applies": [
                {
                    "as": "t",
                    "fact": "trial",
                    "where": {"any": [{"registration": f"R{i}", "role": "pivotal"} for i in range(14)]},
                }
            ]
        },
        ("applies",),
        "43 expressions in 'any' groups",
    ),
    "too many facts in one rule": (
        {
            "applies": [{"as": f"a{i}", "fact": "dossier"} for i in range(12)],
            "report": {"at": "a0"},
            "message": {"en": "{a0}", "zh": "{a0}"},
        },
        ("applies",),
        "the rule matches 12 facts",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_a_pack_past_a_bound_is_refused_at_its_line(tmp_path: Path, case: str) -> None:
    parts, at, fragment = REFUSED[case]
    pack = write_pack(tmp_path / "pack", [rule("house-hostile", **parts)])
    run = run_cli("check", str(CLEAN / "car-t-ind.yaml"), "--rules", str(pack), "--as-of", AS_OF)
    expected = [(*_mark(pack, ("rules", 0, *at)), fragment)]
    assert_located_errors(run, str(pack / "r.yaml"), expected)


def test_a_refusal_is_said_in_chinese_with_lang_zh(tmp_path: Path) -> None:
    parts, _, _ = REFUSED["an in list of 510 values"]
    pack = write_pack(tmp_path / "pack", [rule("house-hostile", **parts)])
    run = run_cli("check", str(CLEAN / "car-t-ind.yaml"), "--rules", str(pack), "--lang", "zh")
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "列出了 510 个值" in run.stderr, run.stderr


def test_the_bundled_pack_is_within_every_bound() -> None:
    from checker.rulepack.bounds import engine_work
    from checker.rulepack.pack import load_pack

    pack = load_pack()
    works = [engine_work(r["all"]) for r in pack.program.rules.values()]
    assert max(works) <= limits.MAX_RULE_MATCHES and sum(works) <= limits.MAX_PACK_MATCHES / 10


# Shapes that crashed the engine (exit 139, no output) on every dossier.
CRASHING: dict[str, dict[str, Any]] = {
    "an alternative on another fact and an empty gap": {
        "applies_any": [[{"as": "i", "fact": "indication"}]],
    },
    "two patterns in applies": {
        "applies": [{"as": "t", "fact": "trial"}, {"as": "i", "fact": "indication"}],
    },
}


@pytest.mark.parametrize("case", sorted(CRASHING))
def test_an_engine_crash_is_contained_and_names_the_rule(tmp_path: Path, case: str) -> None:
    pack = write_pack(tmp_path / "pack", [rule("house-crash", **CRASHING[case])])
    files = [str(CLEAN / "car-t-ind.yaml"), str(CLEAN / "car-t-approved.yaml")]
    run = run_cli("check", *files, "--rules", str(pack), "--as-of", AS_OF, "-f", "json")
    assert "Traceback" not in run.stderr and run.returncode in (0, 1, 2), run.stderr[-2000:]
    report = json.loads(run.stdout)
    reported = {d["file"] for d in report["dossiers"]} | {e["file"] for e in report["errors"]}
    assert reported == set(files)  # every dossier has its result or its error
    for error in report["errors"]:
        assert "the rule engine stopped (signal" in error["message"]
        assert f"rule 'house-crash' ({pack / 'r.yaml'}:2)" in error["message"], error
    if report["errors"]:
        assert run.returncode == 2


def test_a_crash_in_a_batch_leaves_the_other_dossiers_checked(tmp_path: Path) -> None:
    """A rule that crashes the engine only where a dossier has trials: the dossier without one
    is checked as usual, with --jobs 2 as with one worker."""
    pack = write_pack(tmp_path / "pack", [rule("house-crash", **CRASHING["two patterns in applies"])])
    batch = tmp_path / "batch"
    batch.mkdir()
    for i in range(4):
        shutil.copy(CLEAN / "car-t-ind.yaml", batch / f"a{i}.yaml")
    (batch / "z-no-trials.yaml").write_text(
        'schema_version: "1.0"\nproduct: {name: P, modality: car-t}\n', "utf-8"
    )
    for jobs in ("1", "2"):
        run = run_cli(
            "check", str(batch), "--rules", str(pack), "--jobs", jobs, "-f", "json", "--as-of", AS_OF
        )
        assert "Traceback" not in run.stderr, run.stderr[-2000:]
        report = json.loads(run.stdout)
        checked = [d["file"] for d in report["dossiers"]]
        assert str(batch / "z-no-trials.yaml") in checked
        assert len(checked) + len(report["errors"]) == 5


def _full_dossier(tmp_path: Path) -> Path:
    from checker.load.yamlio import load_yaml
    from tests.test_hostile import _every_list_at_its_maximum

    data = _every_list_at_its_maximum(load_yaml((CLEAN / "car-t-approved.yaml").read_bytes(), "x").data)
    dossier = tmp_path / "full.yaml"
    dossier.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    return dossier


def _product(*facts: str) -> dict[str, Any]:
    """A rule matching one fact of each kind with nothing relating them."""
    names = [f"a{i}" for i in range(len(facts))]
    text = " ".join("{" + n + "}" for n in names)
    return {
        "applies": [{"as": n, "fact": f} for n, f in zip(names, facts, strict=True)],
        "report": {"at": "a0"},
        "message": {"en": text, "zh": text},
    }


def test_a_rule_within_the_bounds_on_a_dossier_at_its_limits_ends_within_the_budget(tmp_path: Path) -> None:
    """90,000 combinations of facts (within the load bound) with nothing relating them, on a
    dossier with every list at its limit: the rule fires once per combination, past what the
    adapter reads, so the check stops in bounded time and memory with an error naming the rule
    (or the engine gives up on it, a crash, contained, also naming it)."""
    assert limits.MAX_RULE_MATCHES >= 30 * 100 * 30
    dossier = _full_dossier(tmp_path)
    pack = write_pack(
        tmp_path / "pack", [rule("house-wide", **_product("indication", "cmc_study", "rmp_risk"))]
    )
    run = run_cli("check", str(dossier), "--rules", str(pack), "--as-of", AS_OF)
    assert "Traceback" not in run.stderr and run.returncode == 2, run.stderr[-2000:]
    assert f"rule 'house-wide' ({pack / 'r.yaml'}:2)" in run.stderr, run.stderr[-2000:]
    # the bundled rules alone take about 300 MB on this dossier (tests/test_hostile.py)
    assert run.cpu_seconds < 5.0 and run.max_rss_bytes < MAX_LIST_LIMIT_RSS_BYTES


def test_firings_past_the_bound_stop_the_check_naming_the_rule(tmp_path: Path) -> None:
    """A rule that fires more than MAX_FIRINGS times on one dossier (here 30 x 100 x 6 = 18,000
    combinations of a dossier's lists, within the load bound): that dossier is an input
    error naming the rule and where it is defined, in both languages; a dossier on which it
    fires less is checked as usual in the same run."""
    from checker.load.yamlio import load_yaml

    data = load_yaml((CLEAN / "car-t-approved.yaml").read_bytes(), "x").data
    first = data["indications"][0]
    data["indications"] += [{**first, "id": f"ind-{i}"} for i in range(30 - len(data["indications"]))]
    study = data["cmc"]["studies"][0]
    data["cmc"]["studies"] = [{**study, "id": f"cmc-{i}"} for i in range(100)]
    wide = tmp_path / "wide.yaml"
    wide.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    parts = _product("indication", "cmc_study", "rmp_risk")
    pack = write_pack(tmp_path / "pack", [rule("house-wide", **parts)])
    files = [str(wide), str(CLEAN / "car-t-ind.yaml")]
    run = run_cli("check", *files, "--rules", str(pack), "--as-of", AS_OF, "-f", "json")
    report = json.loads(run.stdout)
    assert run.returncode == 2 and [e["file"] for e in report["errors"]] == [str(wide)], run.stderr
    said = report["errors"][0]["message"]
    assert f"more than {limits.MAX_FIRINGS} times" in said, said
    assert f"rule 'house-wide' ({pack / 'r.yaml'}:2)" in said, said
    assert [d["file"] for d in report["dossiers"]] == [str(CLEAN / "car-t-ind.yaml")]
    zh = run_cli("check", str(wide), "--rules", str(pack), "--as-of", AS_OF, "--lang", "zh")
    assert zh.returncode == 2 and f"触发超过 {limits.MAX_FIRINGS} 次" in zh.stderr, zh.stderr


def test_standard_input_is_checked_with_custom_rules() -> None:
    """With custom rules the engine runs in workers; standard input is read by the command and
    checked there like a file."""
    house = ROOT / "examples" / "rules" / "house-rules"
    text = (CLEAN / "car-t-ind.yaml").read_bytes()
    run = run_cli(
        "check", "-", str(CLEAN / "car-t-ind.yaml"), "--rules", str(house), "-f", "json", stdin=text
    )
    assert run.returncode == 0, run.stderr[-2000:]
    dossiers = json.loads(run.stdout)["dossiers"]
    assert [d["file"] for d in dossiers] == ["<stdin>", str(CLEAN / "car-t-ind.yaml")]
    assert dossiers[0]["findings"] == dossiers[1]["findings"]
