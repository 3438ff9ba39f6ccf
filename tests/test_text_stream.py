"""The streamed text report is the text report, result by result."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from checker.report.formats.text import render, write
from checker.report.result import Report
from checker.report.stream import ReportStream, Trailer
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "dossiers"
JUSTIFICATIONS = ROOT / "examples" / "justifications" / "nda-pivotal.yaml"


def _stream(report: Report) -> ReportStream:
    """The report's items as a check gives them, one at a time."""
    return ReportStream(
        report.provenance,
        lambda: report.catalogue,
        iter((*report.dossiers, *report.errors)),
        lambda: Trailer(report.stale_file_justifications, report.baseline),
    )


def _streamed(report: Report, lang: str) -> tuple[str, ReportStream]:
    """The text written as the results come (to a file: the input errors listed too)."""
    out = io.BytesIO()
    stream = _stream(report)
    write(stream, lang, out)
    listed = "".join(p.render(lang) + "\n" for p in report.errors)
    text = out.getvalue().decode("utf-8")
    assert listed in text
    return text.replace(listed, "", 1), stream


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
    text, stream = _streamed(report, lang)
    assert text == render(report, lang)
    for fail_on in ("error", "warning", "info", "never"):
        assert stream.exit_code(fail_on) == report.exit_code(fail_on)


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
    text, stream = _streamed(report, lang)
    assert text == render(report, lang)
    for fail_on in ("error", "warning", "info", "never"):
        assert stream.exit_code(fail_on) == report.exit_code(fail_on)
