"""The streamed text report is the text report, result by result."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.check import CheckOptions, check_paths
from checker.formats.text import TextStream, render
from checker.result import Report, exit_code

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "dossiers"


def _streamed(report: Report, lang: str) -> str:
    stream = TextStream(lang)
    parts = [stream.feed(d) for d in report.dossiers]
    for _ in report.errors:
        stream.error()
    return "".join(parts) + stream.finish()


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize(
    "paths",
    [["clean"], ["gaps"], ["clean", "gaps"], ["gaps/nda-pivotal.yaml", "missing.yaml"], ["missing.yaml"]],
)
def test_stream_equals_render(paths: list[str], lang: str) -> None:
    report = check_paths([str(EXAMPLES / p) for p in paths], CheckOptions(as_of=dt.date(2026, 6, 1)))
    assert _streamed(report, lang) == render(report, lang)
    stream = TextStream(lang)
    for d in report.dossiers:
        stream.feed(d)
    for fail_on in ("error", "warning", "info", "never"):
        assert exit_code(bool(report.errors), stream.counts, fail_on) == report.exit_code(fail_on)
