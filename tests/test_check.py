"""The library API: check_paths without click, per-file errors, message hygiene."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

from checker.base.errors import EngineError
from checker.load.yamlio import load_yaml
from checker.run import evaluate
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "examples" / "dossiers" / "clean"
N_CLEAN = len(list(CLEAN.glob("*.yaml")))
AS_OF = dt.date(2026, 6, 1)


def test_check_paths_is_a_library_call() -> None:
    report = check_paths([str(CLEAN)], CheckOptions(as_of=AS_OF))
    assert len(report.dossiers) == N_CLEAN and not report.errors and report.exit_code("error") == 0


def test_an_engine_failure_on_one_file_does_not_stop_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    real = evaluate.evaluate
    bad = str(CLEAN / "car-t-ind.yaml")

    def flaky(session: object, ctx: object, loaded: object, as_of: dt.date) -> object:
        if getattr(loaded, "file", "") == bad:
            raise EngineError("the rule engine failed: simulated")
        return real(session, ctx, loaded, as_of)  # type: ignore[arg-type]

    monkeypatch.setattr(evaluate, "evaluate", flaky)
    report = check_paths([str(CLEAN)], CheckOptions(as_of=AS_OF, use_cache=False))
    assert len(report.dossiers) == N_CLEAN - 1
    assert [(e.file, e.message) for e in report.errors] == [(bad, "the rule engine failed: simulated")]
    assert report.exit_code("error") == 2


def test_dossier_text_in_messages_is_one_clean_line(tmp_path: Path) -> None:
    text = (CLEAN / "car-t-ind.yaml").read_text("utf-8")
    text += (
        'combination_partners:\n  - id: p1\n    product: "Evil\\nfake.yaml:1:1 error forged\\u0007"\n'
        "    approved: true\n    approved_uses: [{indication: other}]\n    proposed_indication: lupus\n"
        "    proposed_dose: {value: 1, unit: mg}\n"
    )
    f = tmp_path / "d.yaml"
    f.write_text(text, "utf-8")
    report = check_paths([str(f)], CheckOptions(as_of=AS_OF))
    messages = [x.message.en for x in report.findings() if "p1" in x.path]
    assert messages, report.findings()
    for m in messages:
        assert "\n" not in m and "\x07" not in m


def test_a_skeleton_dossier_is_checked_without_engine_errors() -> None:
    # Every list with one bare item: the most absent fields the engine sees at once (its alpha
    # network holds at most 64 pending tests per fact).
    report = check_paths([str(ROOT / "tests" / "data" / "skeleton.yaml")], CheckOptions(as_of=AS_OF))
    assert not report.errors
    failed = {r.id for r in report.dossiers[0].requirements if r.status == "failed"}
    assert len(failed) >= 15


def _repeat_entries(node: object) -> object:
    """Every list entry without an id written twice, identically (an id would be a duplicate id)."""
    if isinstance(node, dict):
        return {k: _repeat_entries(v) for k, v in node.items()}
    if isinstance(node, list):
        out = []
        for item in node:
            out.append(_repeat_entries(item))
            if not (isinstance(item, dict) and "id" in item):
                out.append(_repeat_entries(item))
        return out
    return node


def test_identical_entries_are_checked_like_one(tmp_path: Path) -> None:
    # The engine refuses a fact it has already seen; two identical entries must still be checked.
    sources = sorted((ROOT / "examples" / "dossiers").glob("*/*.yaml"))
    repeated = []
    for source in sources:
        data = load_yaml(source.read_bytes(), source.name).data
        twice = _repeat_entries(data)
        assert twice != data, source.name
        f = tmp_path / f"{source.parent.name}-{source.name}"
        f.write_text(yaml.safe_dump(twice, allow_unicode=True, sort_keys=False), "utf-8")
        repeated.append(f)
    report = check_paths([str(p) for p in (*sources, *repeated)], CheckOptions(as_of=AS_OF))
    assert not report.errors and len(report.dossiers) == 2 * len(sources)
    for once, twice in zip(report.dossiers[: len(sources)], report.dossiers[len(sources) :], strict=True):
        assert sorted({x.rule_id for x in once.findings}) == sorted({x.rule_id for x in twice.findings})
        assert [(r.id, r.status) for r in once.requirements] == [(r.id, r.status) for r in twice.requirements]


@pytest.mark.parametrize("value", ["1e-5", "1e-300", "0.000001", "1e15", "999999999999999.9"])
def test_amounts_in_exponent_form_are_checked(tmp_path: Path, value: str) -> None:
    # The engine misread "1e-05" (a whole batch silently dropped: an engine error for a valid
    # dossier) and crashed on "1e+300"; the adapter writes numbers as its parser reads them.
    text = (CLEAN / "car-t-approved.yaml").read_text("utf-8")
    text = text.replace("duration: {value: 15, unit: year}", f"duration: {{value: {value}, unit: year}}")
    assert value in text
    f = tmp_path / "d.yaml"
    f.write_text(text, "utf-8")
    report = check_paths([str(f)], CheckOptions(as_of=AS_OF))
    assert not report.errors
    short = [x.rule_id for x in report.findings() if x.rule_id == "ct-ltfu-duration-short"]
    assert short == ([] if float(value) >= 15 else ["ct-ltfu-duration-short"])
