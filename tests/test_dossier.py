"""Reading a file as a dossier: every problem at once, located, with 'did you mean'."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.base.errors import InputError
from checker.load.dossier import load_dossier

MINIMAL = 'schema_version: "1.0"\nproduct:\n  name: X\n  modality: car-t\n'


def _load(tmp_path: Path, text: str) -> object:
    f = tmp_path / "d.yaml"
    f.write_text(text, "utf-8")
    return load_dossier(str(f))


def _errors(tmp_path: Path, text: str) -> list[tuple[int, int, str]]:
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    return [(p.line, p.column, p.message) for p in info.value.problems]


def test_minimal_dossier_loads(tmp_path: Path) -> None:
    loaded = _load(tmp_path, MINIMAL)
    assert loaded.dossier.product.modality == "car-t"  # type: ignore[attr-defined]
    assert len(loaded.sha256) == 64  # type: ignore[attr-defined]


def test_unknown_key_with_did_you_mean(tmp_path: Path) -> None:
    errs = _errors(tmp_path, MINIMAL + "indicatons: []\n")
    assert errs[0][:2] == (5, 1)
    assert "unknown key 'indicatons'" in errs[0][2] and "did you mean 'indications'" in errs[0][2]


def test_every_problem_reported_at_once(tmp_path: Path) -> None:
    text = 'schema_version: "1.0"\nproduct:\n  name: X\n  modality: car_t\n  sponser: Y\nindications:\n  - id: a\n    name: A\n    oncology: yes\n    stage: approved\n'
    errs = _errors(tmp_path, text)
    messages = " | ".join(e[2] for e in errs)
    assert len(errs) == 3, errs
    assert "car_t" in messages and "sponser" in messages and "'yes'" in messages
    assert [e[0] for e in errs] == [4, 5, 9]


def test_missing_identity_is_an_input_error(tmp_path: Path) -> None:
    errs = _errors(tmp_path, 'schema_version: "1.0"\nproduct:\n  modality: car-t\n')
    assert errs == [(2, 1, "missing required field 'name'")] or errs[0][2] == "missing required field 'name'"


def test_missing_content_is_not_an_input_error(tmp_path: Path) -> None:
    # No mechanism, no indications, no studies: gaps for the rules, not input errors.
    _load(tmp_path, MINIMAL + "cmc: null\nindications: []\n")


def test_dates_must_be_real_dates(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "indications:\n  - id: a\n    name: A\n    oncology: true\n    stage: approved\n    approval: {type: full, date: 2024-13-45}\n"
    )
    errs = _errors(tmp_path, text)
    assert errs[0][0] == 10 and "date" in errs[0][2]


def test_negative_durations_are_refused(tmp_path: Path) -> None:
    errs = _errors(tmp_path, MINIMAL + "long_term_follow_up:\n  duration: {value: -3, unit: year}\n")
    assert errs[0][0] == 6 and "greater than 0" in errs[0][2]


def test_duplicate_ids_and_dangling_references(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "indications:\n  - {id: a, name: A, oncology: true, stage: exploratory-trial}\n"
        + "  - {id: a, name: B, oncology: true, stage: exploratory-trial}\n"
        + "clinical_trials:\n  - {id: t, title: T, role: exploratory, indications: [b]}\n"
    )
    errs = _errors(tmp_path, text)
    assert any("duplicate id 'a'" in e[2] for e in errs)
    assert any("'b' is not the id of an item in indications" in e[2] and "known: a" in e[2] for e in errs)


def test_approval_must_match_stage(tmp_path: Path) -> None:
    text = MINIMAL + "indications:\n  - {id: a, name: A, oncology: true, stage: approved}\n"
    assert "needs its 'approval'" in _errors(tmp_path, text)[0][2]


def test_due_date_before_approval_is_refused(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "indications:\n  - {id: a, name: A, oncology: true, stage: approved, approval: {type: conditional, date: 2024-01-01}}\n"
        + "post_approval_commitments:\n  - {id: c, kind: confirmatory-trial, indication: a, due_date: 2023-01-01, status: ongoing}\n"
    )
    assert "before the indication's approval date" in _errors(tmp_path, text)[0][2]


@pytest.mark.parametrize(
    ("text", "fragment"),
    [("", "empty"), ("- a\n- b\n", "top level is a list"), ("hello\n", "single value"), ("a: [\n", "")],
)
def test_not_a_dossier(tmp_path: Path, text: str, fragment: str) -> None:
    errs = _errors(tmp_path, text)
    assert fragment in errs[0][2]


def test_unreadable_path(tmp_path: Path) -> None:
    with pytest.raises(InputError) as info:
        load_dossier(str(tmp_path / "missing.yaml"))
    assert "cannot read" in info.value.problems[0].message


def test_duplicate_ids_inside_an_item_are_refused(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "investigator_initiated_trials:\n  - id: iit-1\n    title: T\n    serious_safety_events:\n"
        + "      - {id: e1, description: CRS grade 4, serious: true}\n"
        + "      - {id: e1, description: ICANS grade 3, serious: true}\n"
    )
    errs = _errors(tmp_path, text)
    assert errs[0][0] == 10 and "duplicate id 'e1'" in errs[0][2]


def test_numbers_are_not_dates(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "indications:\n  - {id: a, name: A, oncology: true, stage: approved, approval: {type: full, date: 86400}}\n"
    )
    assert "expected a date YYYY-MM-DD, got 86400" in _errors(tmp_path, text)[0][2]


def test_empty_optional_text_is_a_gap_not_an_error(tmp_path: Path) -> None:
    loaded = _load(
        tmp_path, 'schema_version: "1.0"\nproduct: {name: X, modality: car-t, sponsor: "", name_zh: "  "}\n'
    )
    assert loaded.dossier.product.sponsor is None  # type: ignore[attr-defined]
    assert (
        "expected text, got an empty value"
        in _errors(tmp_path, 'schema_version: "1.0"\nproduct: {name: "", modality: car-t}\n')[0][2]
    )


def test_null_lists_are_empty_lists(tmp_path: Path) -> None:
    loaded = _load(tmp_path, MINIMAL + "starting_materials: null\ncde_communications:\n")
    assert loaded.dossier.starting_materials == []  # type: ignore[attr-defined]


@pytest.mark.parametrize("subjects", ["1000000001", "100000000000000000000000000000", "-1"])
def test_subject_counts_are_bounded(tmp_path: Path, subjects: str) -> None:
    # The only integer field: bounded, so no integer past 64 bits ever reaches the engine.
    text = (
        MINIMAL + f"investigator_initiated_trials:\n  - id: iit-1\n    title: T\n    subjects: {subjects}\n"
    )
    errs = _errors(tmp_path, text)
    assert len(errs) == 1 and errs[0][0] == 8
    assert "expected 1000000000 or less, got" in errs[0][2] or "expected 0 or more, got -1" in errs[0][2]
    _load(tmp_path, text.replace(subjects, "1000000000"))


def test_a_scalar_where_a_mapping_belongs_says_which_keys(tmp_path: Path) -> None:
    errs = _errors(tmp_path, MINIMAL + "long_term_follow_up:\n  duration: 15 years\n")
    assert errs == [
        (6, 13, "expected a mapping of keys and values (allowed keys: value, unit), got '15 years'")
    ]


def test_a_bad_id_says_what_an_id_is(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + 'indications:\n  - id: "a b"\n    name: A\n    oncology: true\n    stage: ind-under-review\n'
    )
    (line, _, message), *_ = _errors(tmp_path, text)
    assert (
        line == 6
        and message.startswith("expected an id (ASCII letters A-Z and a-z, digits")
        and message.endswith("got 'a b'")
    )


def test_a_no_break_space_used_as_indentation_is_named_where_it_is(tmp_path: Path) -> None:
    broken = MINIMAL + "indications:\n  - id: a\n\u00a0   name: A\n    oncology: true\n"
    assert _errors(tmp_path, broken) == [
        (
            7,
            1,
            "YAML syntax error: line 7 is indented with a no-break space (U+00A0), which YAML does "
            "not take as indentation; indent with ordinary spaces",
        )
    ]
    as_key = 'schema_version: "1.0"\nproduct:\n  name: X\n\u00a0 modality: car-t\n'
    messages = [m for _, _, m in _errors(tmp_path, as_key)]
    assert any(
        m.startswith("unknown key 'modality' written after a no-break space (U+00A0)") for m in messages
    )


def test_a_value_with_a_colon_is_told_to_be_quoted(tmp_path: Path) -> None:
    (line, _, message), *_ = _errors(tmp_path, 'schema_version: "1.0"\nproduct:\n  name: X: the best\n')
    assert line == 3 and message.endswith(
        "; check the indentation, and put a value that contains ': ' in quotes"
    )


def test_text_that_starts_with_a_look_alike_space_is_not_blamed_for_a_later_error(tmp_path: Path) -> None:
    # A Chinese paragraph indented with U+3000 is valid YAML; the error is the later unquoted colon.
    text = (
        'schema_version: "1.0"\nproduct:\n  name: X\n  modality: car-t\n  mechanism_of_action:\n'
        "    description: >-\n      \u3000\u3000本品为自体CAR-T细胞。\n      second line\n"
        + "".join(f"  # comment {i}\n" for i in range(6))
        + "  sponsor: A: B\n"
    )
    (line, _, message), *_ = _errors(tmp_path, text)
    assert line == 15 and "mapping values are not allowed" in message
    _load(tmp_path, text.replace("A: B", "A B"))  # and without the colon it is a valid dossier
