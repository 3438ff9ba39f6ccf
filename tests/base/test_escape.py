"""The report's escaping: every text made printable, records that need nothing returned as they
are, and the shared records it remembers never growing with the results it goes over."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

from checker.base import escape
from checker.base.escape import printable, printable_fields
from checker.report.result import DossierResult, RequirementResult
from checker.run.api import CheckOptions, check_paths

ROOT = Path(__file__).resolve().parents[2]


def _results() -> tuple[DossierResult, ...]:
    report = check_paths([str(ROOT / "examples" / "dossiers")], CheckOptions(as_of=dt.date(2026, 6, 1)))
    return tuple(report.dossiers)


def test_a_clean_result_is_returned_as_it_is_and_a_dirty_one_escaped() -> None:
    for r in _results():
        assert printable_fields(r) is r
    r = _results()[0]
    dirty = dataclasses.replace(r, file="a\nb\u202e.yaml", findings=r.findings[:1])
    cleaned = printable_fields(dirty)
    assert cleaned.file == "a\\nb\\u202e.yaml" == printable(dirty.file)
    assert cleaned.requirements is dirty.requirements  # what needed nothing is shared, not copied


def test_a_shared_record_made_dirty_is_escaped_again() -> None:
    r = _results()[0]
    printable_fields(r)  # its matrix is remembered as clean
    req = r.requirements[0]
    changed = dataclasses.replace(req, reason=dataclasses.replace(req.reason, en="x\x1by"))
    out = printable_fields(dataclasses.replace(r, requirements=(changed, *r.requirements[1:])))
    assert out.requirements[0].reason.en == "x\\x1by"


def test_what_is_remembered_does_not_grow_with_the_results() -> None:
    results = _results()
    for r in results:
        printable_fields(r)
    before = len(escape._CLEAN)
    for _ in range(20):  # the same results read again, as copies (as from a spill)
        for r in results:
            copy = dataclasses.replace(r, findings=tuple(dataclasses.replace(f) for f in r.findings))
            assert printable_fields(copy) is copy
    assert len(escape._CLEAN) == before
    kept = {type(v) for v in escape._CLEAN.values()}
    assert DossierResult not in kept
    assert kept <= {
        RequirementResult,
        tuple,
        *(type(s) for r in results for q in r.requirements for s in q.rules),
    } | {type(r.findings[0].citation) for r in results if r.findings}
