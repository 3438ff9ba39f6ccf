"""A spill: results written to a temporary file and read back, as often as needed, equal to what
was written, sharing the requirement matrices they shared."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from checker.report.result import DossierResult
from checker.report.spill import Mapped, Spill
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def results() -> tuple[DossierResult, ...]:
    report = check_paths([str(ROOT / "examples" / "dossiers")], CheckOptions(as_of=dt.date(2026, 6, 1)))
    return tuple(report.dossiers)


def test_a_spill_reads_back_what_was_written(results: tuple[DossierResult, ...]) -> None:
    spill = Spill(results)
    try:
        assert len(spill) == len(results)
        assert list(spill) == list(results)
        assert list(spill) == list(results)  # every pass reads it again
        assert [spill[i] for i in range(len(spill))] == list(results)
        assert spill[-1] == results[-1] and list(spill[1:3]) == list(results[1:3])
        with pytest.raises(IndexError):
            spill[len(results)]
    finally:
        spill.close()


def test_items_read_in_the_middle_of_a_pass_leave_the_pass_alone(results: tuple[DossierResult, ...]) -> None:
    spill = Spill(results)
    seen = []
    for i, r in enumerate(spill):
        assert spill[len(results) - 1 - i] == results[len(results) - 1 - i]
        seen.append(r)
    assert seen == list(results)
    spill.append(results[0])  # appending after reading goes at the end
    assert spill[-1] == results[0] and len(spill) == len(results) + 1
    spill.close()


def test_matrices_stay_shared(results: tuple[DossierResult, ...]) -> None:
    shared = results[0].requirements
    spill = Spill(
        r if i % 2 else DossierResult(**{**r.__dict__, "requirements": shared}) for i, r in enumerate(results)
    )
    read = list(spill)
    assert all(read[i].requirements is shared for i in range(0, len(read), 2))
    spill.close()


def test_a_mapped_spill_applies_its_function_as_each_result_is_read(
    results: tuple[DossierResult, ...],
) -> None:
    spill = Spill(results)
    files = Mapped(spill, lambda r: DossierResult(**{**r.__dict__, "file": r.file.upper()}))
    assert len(files) == len(results)
    assert [r.file for r in files] == [r.file.upper() for r in results]
    assert files[0].file == results[0].file.upper()
    spill.close()


def test_large_results_span_reads(results: tuple[DossierResult, ...]) -> None:
    many = results * 40  # more than one piece of the file at a time
    spill = Spill(many)
    assert list(spill) == list(many)
    spill.close()
