"""Dossier format 2.0 beside 1.0: its fields are read only in a 2.0 dossier, a 1.0 dossier that
uses one is refused at that field, and the JSON Schema says which fields are 2.0."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.base.errors import InputError
from checker.load.dossier import load_dossier
from checker.model.common import SINCE_MARK
from checker.model.trials import Endpoint

ROOT = Path(__file__).resolve().parents[1]
HEAD = 'schema_version: "{v}"\nproduct:\n  name: X\n  modality: car-t\n'
FOREIGN = """foreign_studies:
  - id: fs
    title: foreign pivotal
    role: pivotal
    relied_on: true
    primary_endpoint:
      measure: complete response rate
      category: tumour-response
"""


def _load(tmp_path: Path, text: str) -> object:
    f = tmp_path / "d.yaml"
    f.write_text(text, "utf-8")
    return load_dossier(str(f))


def _problems(tmp_path: Path, text: str) -> list[tuple[int, int, str, str]]:
    with pytest.raises(InputError) as info:
        _load(tmp_path, text)
    return [(p.line, p.column, p.path, p.message) for p in info.value.problems]


CODED = "      measure_code: complete-response-rate\n      confirmed_response: true\n"
WINDOW = "      window: {start: {value: 7, unit: week}, end: {value: 52, unit: week}}\n"


def test_a_2_0_dossier_reads_coded_endpoints(tmp_path: Path) -> None:
    loaded = _load(tmp_path, HEAD.format(v="2.0") + FOREIGN + CODED + WINDOW)
    endpoint = loaded.dossier.foreign_studies[0].primary_endpoint  # type: ignore[attr-defined]
    assert endpoint.measure_code == "complete-response-rate" and endpoint.confirmed_response is True
    assert (endpoint.window.start.value, endpoint.window.end.unit) == (7, "week")


def test_a_1_0_dossier_is_refused_each_2_0_field_at_its_place(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEAD.format(v="1.0") + FOREIGN + CODED + WINDOW)
    assert [(line, path) for line, _, path, _ in problems] == [
        (13, "foreign_studies[fs].primary_endpoint.measure_code"),
        (14, "foreign_studies[fs].primary_endpoint.confirmed_response"),
        (15, "foreign_studies[fs].primary_endpoint.window"),
    ]
    assert all('needs schema_version: "2.0" (this dossier is 1.0)' in message for *_, message in problems)


def test_a_1_0_dossier_without_2_0_fields_reads_as_before(tmp_path: Path) -> None:
    loaded = _load(tmp_path, HEAD.format(v="1.0") + FOREIGN)
    assert loaded.dossier.foreign_studies[0].primary_endpoint.measure_code is None  # type: ignore[attr-defined]


def test_an_unknown_version_is_refused_once(tmp_path: Path) -> None:
    problems = _problems(tmp_path, HEAD.format(v="3.0") + FOREIGN + CODED)
    assert [path for _, _, path, _ in problems] == ["schema_version"]


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (
            "      window: {start: {value: 2, unit: month}, end: {value: 7, unit: week}}\n",
            "start is after its end",
        ),
        (
            WINDOW + "      assessment: {relation: at, value: 3, unit: month}\n",
            "either assessment (one time point) or window",
        ),
        ("      measure_code: cr-rate\n", "complete-response-rate"),
    ],
)
def test_2_0_endpoints_are_checked(tmp_path: Path, extra: str, message: str) -> None:
    problems = _problems(tmp_path, HEAD.format(v="2.0") + FOREIGN + extra)
    assert len(problems) == 1 and problems[0][2].startswith("foreign_studies[fs].primary_endpoint")
    assert message in problems[0][3]


def test_endpoint_items_alone_validate_without_a_version() -> None:
    endpoint = Endpoint.model_validate(
        {"measure": "ORR", "category": "tumour-response", "measure_code": "objective-response-rate"}
    )
    assert endpoint.measure_code == "objective-response-rate"


def test_the_schema_says_which_fields_are_2_0() -> None:
    marked = {
        name
        for name, info in Endpoint.model_fields.items()
        if isinstance(info.json_schema_extra, dict) and SINCE_MARK in info.json_schema_extra
    }
    assert marked == {"measure_code", "confirmed_response", "window"}
    schema = json.loads((ROOT / "schemas" / "dossier.schema.json").read_text("utf-8"))
    props = schema["$defs"]["Endpoint"]["properties"]
    assert {n for n, p in props.items() if p.get("description", "").startswith("(2.0)")} == marked
    assert schema["properties"]["schema_version"]["enum"] == ["1.0", "2.0"]


CLEAN = ROOT / "examples" / "dossiers" / "clean"
V1 = ROOT / "rules" / "cases" / "format-1.0"  # the 1.0 examples as they were shipped
ARGS = ["--as-of", "2026-06-01", "--no-config", "--no-cache"]


def _check(monkeypatch: pytest.MonkeyPatch, terminal: bool, *args: str) -> tuple[str, str]:
    from click.testing import CliRunner

    from checker.cli import check
    from checker.cli.app import main

    monkeypatch.setattr(check, "_notice_wanted", lambda quiet: terminal and not quiet)
    result = CliRunner().invoke(main, ["check", *args, *ARGS])
    assert result.exit_code == 0, result.output
    return result.stdout, result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_run_with_1_0_dossiers_says_once_that_2_0_exists(
    monkeypatch: pytest.MonkeyPatch, lang: str
) -> None:
    files = [
        str(V1 / "car-t-bridging.yaml"),
        str(V1 / "car-t-ind.yaml"),
        str(CLEAN / "car-t-bridging-coded.yaml"),
    ]
    out, err = _check(monkeypatch, True, *files, "--lang", lang)
    assert err.count("2.0") == 1 and len(err.strip().splitlines()) == 1
    assert ("2 dossier(s) checked in format 1.0" if lang == "en" else "2 份 1.0 格式") in err
    assert "format 2.0" not in out and "2.0 格式" not in out  # the report itself does not change


def test_the_notice_is_not_shown_quiet_off_a_terminal_or_for_2_0_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    old, new = str(V1 / "car-t-bridging.yaml"), str(CLEAN / "car-t-bridging-coded.yaml")
    assert _check(monkeypatch, True, old, "-q")[1] == ""
    assert _check(monkeypatch, False, old)[1] == ""
    assert _check(monkeypatch, True, new)[1] == ""
