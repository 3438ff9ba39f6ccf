"""A report stream: counted as its items pass, collected into the whole report, written by every
format as the report it stands for."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest

from checker.report.formats import FORMATS
from checker.report.formats.text import render
from checker.report.stream import ReportStream, StandardOutput, Trailer, collect
from checker.run.api import CheckOptions, catalogue, check_paths, start_check

ROOT = Path(__file__).resolve().parents[1]
AS_OF = dt.date(2026, 6, 1)
# A finding waived, a justification stale, an unreadable path and a broken file between dossiers.
PATHS = [
    "missing.yaml",
    "examples/dossiers/gaps/ind-materials.yaml",
    "tests/formats/data/broken.yaml",
    "examples/dossiers/gaps/ind-rationale.yaml",
    "examples/dossiers/clean",
]
OPTIONS = CheckOptions(as_of=AS_OF, justification_files=("tests/formats/data/justifications.yaml",))


@pytest.fixture(autouse=True)
def _at_the_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)  # the justification file names its dossier relative to the root


def _stream() -> ReportStream:
    run = start_check(PATHS, OPTIONS)
    return ReportStream(
        run.provenance,
        lambda: catalogue(run.pack),
        run.items,
        lambda: Trailer(run.stale_file_justifications(), run.baseline_summary()),
    )


def test_collect_is_the_report_and_the_stream_counts_the_exit_code() -> None:
    report = check_paths(PATHS, OPTIONS)
    assert report.errors and report.counts()["waived"] and report.stale_justifications()
    stream = _stream()
    with pytest.raises(ValueError, match="once its items are consumed"):
        stream.exit_code("error")
    assert collect(stream) == report
    for fail_on in ("error", "warning", "info", "never"):
        assert stream.exit_code(fail_on) == report.exit_code(fail_on)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name", [name for name, fmt in FORMATS.items() if not fmt.streams])
def test_a_format_given_a_stream_writes_it_from_a_spill_as_the_whole_report(name: str, lang: str) -> None:
    """The results of a stream go to a temporary file (checker.report.spill) and are read back
    as the format goes over them: the bytes are those of the report held in memory."""
    out = io.BytesIO()
    FORMATS[name].write(_stream(), lang, out)
    assert out.getvalue().decode("utf-8") == FORMATS[name].render(check_paths(PATHS, OPTIONS), lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_streamed_text_report_lists_the_input_errors_in_order_except_on_standard_output(
    lang: str,
) -> None:
    report = check_paths(PATHS, OPTIONS)
    errors = [p.render(lang) for p in report.errors]
    to_file = io.BytesIO()
    FORMATS["text"].write(_stream(), lang, to_file)
    lines = to_file.getvalue().decode("utf-8").splitlines()
    assert [line for line in lines if line in errors] == errors
    broken = next(i for i, line in enumerate(lines) if line.startswith("tests/formats/data/broken.yaml:"))
    first = {line.split(":")[0]: i for i, line in reversed(list(enumerate(lines)))}
    assert lines.index(errors[0]) == 0 and errors[0].startswith("missing.yaml:")  # discovery first
    assert first["examples/dossiers/gaps/ind-materials.yaml"] < broken
    assert broken < first["examples/dossiers/gaps/ind-rationale.yaml"]  # then each file's in input order
    assert [line for line in lines if line not in errors] == render(report, lang).splitlines()
    on_stdout = io.BytesIO()
    FORMATS["text"].write(_stream(), lang, StandardOutput(on_stdout))
    assert (
        on_stdout.getvalue().decode("utf-8") == render(report, lang) == FORMATS["text"].render(report, lang)
    )


def test_standard_output_writes_through_after_its_hook() -> None:
    seen: list[bytes] = []
    raw = io.BytesIO()
    out = StandardOutput(raw, lambda: seen.append(raw.getvalue()))
    out.write(b"a")
    out.write(b"b")
    assert seen == [b"", b"a"] and raw.getvalue() == b"ab"


def test_a_matrix_that_needs_escaping_is_escaped_once_and_still_shared() -> None:
    """The formats that keep the results escape each before it is kept: a requirement matrix
    many dossiers share (one with a bidi override in a title) stays one object, escaped."""
    from dataclasses import replace

    from checker.report.formats import _printable_stream
    from checker.report.result import DossierResult

    report = check_paths(
        [str(ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml")],
        CheckOptions(as_of=dt.date(2026, 6, 1)),
    )
    base = report.dossiers[0]
    first = base.requirements[0]
    matrix = (replace(first, title=replace(first.title, en="Title \u202e reversed")), *base.requirements[1:])
    results = [replace(base, file=f"d{i}.yaml", requirements=matrix) for i in range(5)]
    stream = ReportStream(report.provenance, lambda: report.catalogue, iter(results), Trailer)
    got = [r for r in _printable_stream(stream).items if isinstance(r, DossierResult)]
    assert len(got) == 5
    assert all(r.requirements is got[0].requirements for r in got)
    assert got[0].requirements is not matrix
    assert got[0].requirements[0].title.en == "Title \\u202e reversed"
    assert [r.file for r in got] == [f"d{i}.yaml" for i in range(5)]
