"""`cgt-check migrate`: every 1.0 dossier the project ships becomes a 2.0 dossier that keeps every
comment and every value, reads as 2.0 with no input error, and is written only with --write."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from checker.base.errors import InputError
from checker.cli.app import main
from checker.load.dossier import load_dossier
from checker.load.yamlio import load_yaml
from checker.model.measures import measure_named
from checker.run.migrate import STEPS, migrate_bytes, migrate_file
from checker.run.selftest import case_files, load_case_file

ROOT = Path(__file__).resolve().parents[1]
COMMENT = re.compile(r"(?:^|\s)(#.*)$")
OURS = re.compile(r"  # cgt-check migrate: .*$")  # a to-do at the end of the author's line


def _shipped_1_0() -> list[Path]:
    """Every 1.0 dossier the project ships: the examples, the rule cases' bases, the fixtures."""
    files = {*ROOT.glob("examples/dossiers/**/*.yaml"), ROOT / "tests" / "data" / "skeleton.yaml"}
    for case_file in case_files(ROOT / "rules"):
        doc, _ = load_case_file(case_file)
        for base in {doc.base, *(c.base for c in doc.cases)} - {None}:
            assert base is not None
            files.add(ROOT / "examples" / "dossiers" / "clean" / f"{base}.yaml")
    return sorted(f for f in files if b'schema_version: "1.0"' in f.read_bytes())


def _comments(text: str) -> list[str]:
    return [m.group(1).rstrip() for line in text.splitlines() if (m := COMMENT.search(line))]


def _scalars(node: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], Any]:
    if isinstance(node, dict):
        return {k: v for key, value in node.items() for k, v in _scalars(value, (*path, key)).items()}
    if isinstance(node, list):
        return {k: v for i, value in enumerate(node) for k, v in _scalars(value, (*path, i)).items()}
    return {path: node}


def _moved(path: tuple[Any, ...]) -> tuple[Any, ...]:
    """Where the migration puts a 1.0 value: the label is the first of the labels."""
    if path == ("label",):  # no label (null): no labels
        return ("labels",)
    return ("labels", 0, *path[1:]) if path[:1] == ("label",) else path


def _assert_kept(before: bytes, after: bytes) -> None:
    old = _scalars(load_yaml(before, "before").data)
    new = _scalars(load_yaml(after, "after").data)
    for path, value in old.items():
        expected = "2.0" if path == ("schema_version",) else value
        assert _moved(path) in new and new[_moved(path)] == expected, path
    comments = _comments(after.decode("utf-8-sig"))
    for comment in _comments(before.decode("utf-8-sig")):
        assert comment in comments, comment


@pytest.mark.parametrize("path", _shipped_1_0(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_shipped_1_0_dossier_migrates_keeping_comments_and_values(path: Path) -> None:
    before = path.read_bytes()
    done = migrate_file(str(path))
    assert done.status == "migrated" and (done.old, done.new) == ("1.0", "2.0")
    assert path.read_bytes() == before  # no --write: the file is not touched
    _assert_kept(before, done.data)
    loaded = load_dossier(str(path), done.data)  # reads as 2.0, no input error
    assert loaded.dossier.schema_version == "2.0"
    assert _removed_lines(before, done.data) <= _label_section(before) | {'schema_version: "1.0"'}


def _removed_lines(before: bytes, after: bytes) -> set[str]:
    """The lines of `before` that `after` no longer has as they were."""
    old = before.decode("utf-8").splitlines()
    new = [OURS.sub("", line) for line in after.decode("utf-8").splitlines()]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return {line for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for line in old[i1:i2]}


def _label_section(raw: bytes) -> set[str]:
    """The lines of the 1.0 label: the migration moves them into labels, one level deeper."""
    lines = raw.decode("utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("label:")), len(lines))
    end = next(
        (i for i in range(start + 1, len(lines)) if lines[i][:1] not in ("", " ", "#")),
        len(lines),
    )
    return set(lines[start:end])


def test_the_shipped_examples_are_1_0_or_2_0_and_there_are_both() -> None:
    assert len(_shipped_1_0()) >= 10


HEAD = 'schema_version: "1.0"  # the format\nproduct: {name: X, modality: car-t}  # product\n'
TRIALS = """indications:
  - id: a
    name: A
    oncology: true
    stage: approved
    approval: {type: conditional, date: 2021-01-01}
  - id: b
    name: B  # the second
    oncology: true
    stage: nda-under-review
clinical_trials:
  - id: t1
    title: T1
    role: pivotal
    primary_endpoint:
      # how it is measured
      measure: {measure}  # as the protocol says
      category: tumour-response
  - id: t2
    title: T2
    role: exploratory
    primary_endpoint: {measure: incidence of dose-limiting toxicities, category: safety}  # phase 1
label:  # the label
  status: approved
  warnings:
    - topic: crs  # CRS
"""


def _dossier(tmp_path: Path, measure: str = "overall response rate at day 28", name: str = "d.yaml") -> Path:
    f = tmp_path / name
    f.write_text(HEAD + TRIALS.replace("{measure}", measure), "utf-8")
    return f


def test_what_cannot_be_inferred_is_marked_for_the_author(tmp_path: Path) -> None:
    done = migrate_file(str(_dossier(tmp_path)))
    text = done.data.decode("utf-8")
    assert "      measure_code: objective-response-rate\n" in text
    assert (
        "primary_endpoint: {measure: incidence of dose-limiting toxicities, category: safety}  # phase 1"
        in text
    )
    assert "# cgt-check migrate: add measure_code" in text  # the flow endpoint, above its key
    assert "indications: [a]" in text and "# cgt-check migrate: indications b (nda-under-review)" in text
    assert "no draft label" in text
    assert [(c.kind, c.path) for c in done.changes if c.kind == "todo"] == [
        ("todo", "clinical_trials[t2].primary_endpoint.measure"),
        ("todo", "labels[approved-label].indications"),
    ]
    todo = next(c for c in done.changes if c.kind == "todo")
    assert text.splitlines()[todo.line - 1].lstrip().startswith("primary_endpoint:")
    _assert_kept(_dossier(tmp_path).read_bytes(), done.data)
    load_dossier("d.yaml", done.data)


def test_the_comments_are_written_in_the_language_asked(tmp_path: Path) -> None:
    text = migrate_file(str(_dossier(tmp_path)), lang="zh").data.decode("utf-8")
    assert "# cgt-check migrate: 请补充 measure_code" in text


@pytest.mark.parametrize(
    ("measure", "code"),
    [
        ("overall response rate (complete plus partial response) at day 28", "objective-response-rate"),
        ("ORR per IRC", "objective-response-rate"),
        ("主要终点：客观缓解率（IRC评估）", "objective-response-rate"),
        ("complete response rate from 3 to 6 months", "complete-response-rate"),
        ("progression-free survival", "progression-free-survival"),
        ("annualized bleeding rate", "annualised-bleeding-rate"),
        ("ORR and CR rate", None),  # two measures: not inferred
        ("incidence of dose-limiting toxicities", None),
        ("cost of treatment", None),  # "os" inside a word is not OS
    ],
)
def test_a_measure_code_is_inferred_only_when_unambiguous(measure: str, code: str | None) -> None:
    assert measure_named(measure) == code


def test_write_rewrites_in_place_keeping_bom_and_line_breaks(tmp_path: Path) -> None:
    f = tmp_path / "d.yaml"
    original = b"\xef\xbb\xbf" + (HEAD + TRIALS.replace("{measure}", "ORR")).replace("\n", "\r\n").encode(
        "utf-8"
    )
    f.write_bytes(original)
    f.chmod(0o640)
    printed = migrate_file(str(f))
    assert f.read_bytes() == original
    written = migrate_file(str(f), write=True)
    data = f.read_bytes()
    assert data == printed.data == written.data
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data and b"\n" not in data.replace(b"\r\n", b"")
    assert f.stat().st_mode & 0o777 == 0o640
    assert migrate_file(str(f), write=True).status == "current" and f.read_bytes() == data


def test_a_2_0_dossier_is_left_as_it_is() -> None:
    path = ROOT / "examples" / "dossiers" / "clean" / "car-t-bridging-coded.yaml"
    done = migrate_file(str(path), write=False)
    assert done.status == "current" and done.data == path.read_bytes() and not done.changes


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b"- a\n- b\n", "a dossier is a mapping"),
        (b"name: x\nmodality: car-t\n", "not a dossier: it has no schema_version"),
        (b'schema_version: "1.0"\nproduct: {name: X}\n', "modality"),
        (b'schema_version: "9.9"\nproduct: {name: X, modality: car-t}\n', "schema_version"),
        ('schema_version: "1.0"\nproduct: {name: 示例, modality: car-t}\n'.encode("gbk"), "GBK"),
        (b"a: [1, 2\n", "YAML syntax error"),
        (b'schema_version: "1.0"\nx: !!python/object:os.system {}\n', "tag"),
    ],
)
def test_what_is_not_a_valid_dossier_is_refused_at_its_place(
    tmp_path: Path, content: bytes, said: str
) -> None:
    f = tmp_path / "d.yaml"
    f.write_bytes(content)
    with pytest.raises(InputError) as info:
        migrate_file(str(f), write=True)
    assert any(said in p.message or said in p.path for p in info.value.problems), info.value.problems
    assert f.read_bytes() == content


def test_the_registry_has_one_step_per_change() -> None:
    assert [(s.source, s.name) for s in STEPS] == [
        ("1.0", "coded primary endpoints"),
        ("1.0", "labels with revisions"),
    ]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    measure=st.text(
        alphabet=st.characters(codec="utf-8", categories=["L", "N", "Zs"]) | st.sampled_from("-()"),
        min_size=1,
        max_size=40,
    ).filter(lambda s: s.strip() and not s[0].isspace() and not s[-1].isspace()),
    topics=st.lists(st.sampled_from(["crs", "icans", "secondary-malignancy", "other"]), max_size=4),
    stage=st.sampled_from(["approved", "nda-under-review", "ind-under-review"]),
)
def test_no_scalar_value_is_lost(measure: str, topics: list[str], stage: str) -> None:
    from checker.load.yamlio import dump_yaml

    data: dict[str, Any] = {
        "schema_version": "1.0",
        "product": {"name": "X", "modality": "car-t"},
        "indications": [{"id": "a", "name": "A", "oncology": True, "stage": stage}],
        "clinical_trials": [
            {
                "id": "t",
                "title": "T",
                "role": "pivotal",
                "primary_endpoint": {"measure": measure, "category": "other"},
            }
        ],
        "label": {
            "status": "draft",
            "warnings": [{"topic": t, "text": f"w{i}"} for i, t in enumerate(topics)],
        },
    }
    if stage == "approved":
        data["indications"][0]["approval"] = {"type": "full", "date": "2020-01-01"}
    raw = dump_yaml(data).encode("utf-8")
    done = migrate_bytes(raw, "d.yaml")
    _assert_kept(raw, done.data)
    load_dossier("d.yaml", done.data)


# ---------------------------------------------------------------- the command line


def _run(*args: str) -> Any:
    return CliRunner().invoke(main, ["migrate", *args])


def test_the_command_prints_by_default_and_writes_with_write(tmp_path: Path) -> None:
    f = _dossier(tmp_path)
    before = f.read_bytes()
    result = _run(str(f))
    assert result.exit_code == 0, result.output
    assert result.stdout_bytes == migrate_file(str(f)).data and f.read_bytes() == before
    assert "migrated from format 1.0 to 2.0" in result.stderr
    assert f"{f}:" in result.stderr and "to do: clinical_trials[t2].primary_endpoint.measure" in result.stderr
    assert "1 migrated, 0 already current, 0 not migrated; 2 place(s) marked" in result.stderr
    result = _run("--write", str(f))
    assert result.exit_code == 0 and result.stdout == "" and f.read_bytes() != before
    result = _run("--write", str(f), "--lang", "zh")
    assert result.exit_code == 0 and "已是 2.0 格式，未作修改" in result.stderr


def test_the_command_exits_2_for_what_it_cannot_migrate_and_migrates_the_rest(tmp_path: Path) -> None:
    good = _dossier(tmp_path)
    bad = tmp_path / "gbk.yaml"
    bad.write_bytes('schema_version: "1.0"\nproduct: {name: 示例, modality: car-t}\n'.encode("gbk"))
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "rules.yaml").write_text("rules: []\n", "utf-8")
    result = _run("--write", str(bad), str(tmp_path / "sub"), str(good), str(tmp_path / "missing.yaml"))
    assert result.exit_code == 2
    assert "GBK" in result.stderr and "not a dossier" in result.stderr and "no such file" in result.stderr
    assert "4 file(s): 1 migrated, 0 already current, 3 not migrated" in result.stderr
    assert b'schema_version: "2.0"' in good.read_bytes()
    assert "Traceback" not in result.output


@pytest.mark.parametrize("args", [[], ["-"]])
def test_the_command_needs_files(args: list[str]) -> None:
    result = _run(*args)
    assert result.exit_code == 2 and "migrate" in result.stderr


def test_the_command_reads_within_the_size_limit(tmp_path: Path) -> None:
    f = _dossier(tmp_path)
    result = _run("--max-file-size", "100", str(f))
    assert result.exit_code == 2 and "100-byte limit" in result.stderr


EDGES = """schema_version: '1.0'
product: {name: X, modality: car-t}
clinical_trials:
  - id: t
    title: T
    role: exploratory
    primary_endpoint:
      measure: >-
        a long measure written over
        two lines
      category: safety
label:   # none yet
# the next section
real_world_studies: []
"""


def test_quoting_block_scalars_and_an_empty_label_are_written_as_they_were(tmp_path: Path) -> None:
    f = tmp_path / "d.yaml"
    f.write_text(EDGES, "utf-8")
    done = migrate_file(str(f))
    text = done.data.decode("utf-8")
    assert text.startswith("schema_version: '2.0'\n")  # the author's quotes
    assert "      # cgt-check migrate: add measure_code" in text  # above a block scalar, not inside it
    assert "      measure: >-\n        a long measure written over\n        two lines\n" in text
    assert "labels:  # none yet\n# the next section\nreal_world_studies: []\n" in text
    _assert_kept(EDGES.encode("utf-8"), done.data)
    assert load_dossier("d.yaml", done.data).dossier.labels == []
