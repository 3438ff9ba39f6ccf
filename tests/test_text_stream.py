"""The streamed text report is the text report, result by result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.report.formats.text import TextStream, render
from checker.report.result import Report, exit_code
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "dossiers"
JUSTIFICATIONS = ROOT / "examples" / "justifications" / "nda-pivotal.yaml"


def _streamed(report: Report, lang: str) -> str:
    stream = TextStream(lang)
    parts = [stream.feed(d) for d in report.dossiers]
    for _ in report.errors:
        stream.error()
    return "".join(parts) + stream.finish(
        report.provenance, report.stale_file_justifications, report.baseline
    )


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    ("paths", "justified"),
    [
        (["clean"], False),
        (["gaps"], False),
        (["clean", "gaps"], True),
        (["clean"], True),  # every justification in the file is stale
        (["gaps/nda-pivotal.yaml", "missing.yaml"], True),
        (["missing.yaml"], False),
    ],
)
def test_stream_equals_render(
    paths: list[str], justified: bool, lang: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)  # the justification file names its dossier relative to the root
    options = CheckOptions(
        as_of=dt.date(2026, 6, 1), justification_files=(str(JUSTIFICATIONS),) if justified else ()
    )
    report = check_paths([f"examples/dossiers/{p}" for p in paths], options)
    if justified and "gaps" in paths:
        assert report.counts()["waived"] > 0
    assert _streamed(report, lang) == render(report, lang)
    stream = TextStream(lang)
    for d in report.dossiers:
        stream.feed(d)
    for fail_on in ("error", "warning", "info", "never"):
        assert exit_code(bool(report.errors), stream.gating, fail_on) == report.exit_code(fail_on)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_stream_equals_render_with_a_baseline(
    lang: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from checker.run.baseline import render as render_baseline

    monkeypatch.chdir(ROOT)
    as_of = dt.date(2026, 6, 1)
    before = check_paths(["examples/dossiers/gaps/nda-pivotal.yaml"], CheckOptions(as_of=as_of))
    baseline = tmp_path / "baseline.json"
    baseline.write_text(render_baseline(before), "utf-8")
    report = check_paths(["examples/dossiers/gaps"], CheckOptions(as_of=as_of, baseline_file=str(baseline)))
    assert report.baseline is not None and report.baseline.unchanged > 0 and report.baseline.new > 0
    assert _streamed(report, lang) == render(report, lang)
    stream = TextStream(lang)
    for d in report.dossiers:
        stream.feed(d)
    for fail_on in ("error", "warning", "info", "never"):
        assert exit_code(False, stream.gating, fail_on) == report.exit_code(fail_on)
