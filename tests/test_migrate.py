"""`cgt-check migrate`: every 1.0 dossier the project ships becomes a 2.0 dossier that keeps every
comment and every value, reads as 2.0 with no input error, and is written only with --write."""

from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import example, given, settings
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
    files = {
        *ROOT.glob("examples/dossiers/**/*.yaml"),
        *(f for f in ROOT.glob("tests/**/*.yaml") if _valid(f)),
    }
    for case_file in case_files(ROOT / "rules"):
        doc, _ = load_case_file(case_file)
        for base in {doc.base, *(c.base for c in doc.cases)} - {None}:
            assert base is not None
            files.add(
                case_file.parent / base
                if base.endswith((".yaml", ".yml"))
                else ROOT / "examples" / "dossiers" / "clean" / f"{base}.yaml"
            )
    return sorted(f for f in files if b'schema_version: "1.0"' in f.read_bytes())


def _valid(path: Path) -> bool:
    """Whether a test file is a valid dossier (the fixtures), not a broken or hostile one."""
    if "hostile" in path.parts:
        return False
    try:
        load_dossier(str(path))
    except InputError:
        return False
    return True


def _comments(text: str) -> list[str]:
    """The comments of text, each without a `cgt-check migrate:` marker added after it (the
    pattern also takes a '#' inside a quoted value for a comment, the same before and after)."""
    found = (m.group(1).rstrip() for line in text.splitlines() if (m := COMMENT.search(line)))
    return [c for c in (_MARKER.sub("", c).rstrip() for c in found) if c]


_MARKER = re.compile(r"\s*# cgt-check migrate:.*$")


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
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    done = migrate_file(str(path))
    assert done.status == "migrated" and (done.old, done.new) == ("1.0", "2.0")
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime  # no --write: untouched
    _assert_kept(before, done.data)
    loaded = load_dossier(str(path), done.data)  # reads as 2.0, no input error
    assert loaded.dossier.schema_version == "2.0"
    # The label moves into labels, a study written as a flow mapping gets its indications in it.
    flow_studies = {line for line in _section(before, "real_world_studies") if "{" in line}
    assert _removed_lines(before, done.data) <= _section(before, "label") | flow_studies | {
        'schema_version: "1.0"'
    }


@pytest.fixture(scope="module")
def checker() -> Any:
    from checker.rulepack.pack import load_pack
    from checker.run.evaluate import Checker

    with Checker(load_pack()) as c:
        yield c


@pytest.mark.parametrize("path", _shipped_1_0(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_a_migrated_dossier_fails_the_same_requirements(path: Path, checker: Any) -> None:
    """What 1.0 meant is kept: the same requirements fail at the same severities (through the
    2.0 rules where 2.0 says more: per indication, per label)."""
    import datetime as dt

    def failed(data: bytes | None) -> set[tuple[str, str]]:
        result = checker.check(load_dossier(str(path), data), dt.date(2026, 6, 1))
        return {(f.requirement, f.severity) for f in result.findings}

    assert failed(migrate_file(str(path)).data) == failed(None)


def _approved_car_t(tmp_path: Path, ltfu: str, rws: str) -> Path:
    base = (ROOT / "rules" / "cases" / "format-1.0" / "car-t-approved.yaml").read_text("utf-8")
    data = load_yaml(base.encode(), "base").data
    assert isinstance(data, dict)
    from checker.load.yamlio import dump_yaml

    data.pop("long_term_follow_up", None)
    data.pop("real_world_studies", None)
    path = tmp_path / "d.yaml"
    path.write_text(dump_yaml(data) + ltfu + rws, encoding="utf-8")
    return path


def test_the_one_follow_up_of_1_0_becomes_both_and_each_study_names_the_indications(tmp_path: Path) -> None:
    path = _approved_car_t(
        tmp_path,
        "long_term_follow_up:\n  protocol_ref: LTFU-9  # the sponsor's plan\n"
        "  duration: {value: 15, unit: year}\n  persistence: true\n",
        "real_world_studies:\n  - id: rws-a\n    title: Registry\n    status: planned\n"
        "  - id: rws-b\n    title: Second registry\n    status: ongoing\n",
    )
    done = migrate_file(str(path))
    migrated = load_dossier(str(path), done.data).dossier
    assert migrated.long_term_follow_up is not None and migrated.long_term_follow_up.persistence is True
    follow_up = migrated.post_marketing_follow_up
    assert follow_up is not None and follow_up.protocol_ref == "LTFU-9"
    assert follow_up.duration is not None and follow_up.lifelong is None  # for the author to say
    assert [s.indications for s in migrated.real_world_studies] == [["lbcl-3l", "fl-3l"]] * 2
    todos = [c for c in done.changes if c.kind == "todo"]
    assert {c.path for c in todos} >= {
        "post_marketing_follow_up",
        "real_world_studies[rws-a].indications",
        "real_world_studies[rws-b].indications",
    }
    text = done.data.decode("utf-8")
    assert "protocol_ref: LTFU-9  # the sponsor's plan" in text  # the author's comment, once
    assert text.count("# the sponsor's plan") == 1
    assert text.count("# cgt-check migrate: format 1.0's long_term_follow_up also stood") == 1


def test_no_follow_up_is_added_before_marketing_and_what_2_0_says_is_kept(tmp_path: Path) -> None:
    ind = (ROOT / "rules" / "cases" / "format-1.0" / "car-t-ind.yaml").read_bytes()
    assert b"long_term_follow_up" in ind
    done = migrate_bytes(ind, "ind.yaml")
    assert b"post_marketing_follow_up" not in done.data  # no indication at NDA or approved
    # A study that names nothing (null) stays null; none gets a follow-up it did not state.
    path = _approved_car_t(tmp_path, "", "real_world_studies: []\n")
    migrated = load_dossier(str(path), migrate_file(str(path)).data).dossier
    assert migrated.post_marketing_follow_up is None and migrated.real_world_studies == []


def _removed_lines(before: bytes, after: bytes) -> set[str]:
    """The lines of `before` that `after` no longer has as they were."""
    old = before.decode("utf-8").splitlines()
    new = [OURS.sub("", line) for line in after.decode("utf-8").splitlines()]
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return {line for tag, i1, i2, _, _ in matcher.get_opcodes() if tag != "equal" for line in old[i1:i2]}


def _section(raw: bytes, key: str) -> set[str]:
    """The lines of a top-level key (the 1.0 label: the migration moves them into labels)."""
    lines = raw.decode("utf-8").splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(f"{key}:")), len(lines))
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


@pytest.mark.parametrize(
    "path", sorted((ROOT / "tests" / "corpus" / "hostile").glob("*.yaml")), ids=lambda p: p.name
)
def test_a_hostile_file_is_refused_at_its_place_and_never_written(tmp_path: Path, path: Path) -> None:
    f = tmp_path / path.name
    f.write_bytes(path.read_bytes())
    with pytest.raises(InputError) as info:
        migrate_file(str(f), write=True)
    assert info.value.problems and all(p.file == str(f) and p.line >= 1 for p in info.value.problems)
    assert f.read_bytes() == path.read_bytes()


def test_the_registry_has_one_step_per_change() -> None:
    assert [(s.source, s.name) for s in STEPS] == [
        ("1.0", "coded primary endpoints"),
        ("1.0", "labels with revisions"),
        ("1.0", "two follow-ups, studies that name their indications"),
    ]


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", categories=["L", "N", "P", "S", "Zs"]),
    min_size=1,
    max_size=30,
).filter(lambda s: s.strip() == s and s != "")


@settings(max_examples=60, deadline=None)
@given(
    measure=_TEXT,
    names=st.lists(_TEXT, min_size=1, max_size=3),
    topics=st.lists(
        st.sampled_from(["crs", "icans", "secondary-malignancy", "t-cell-lymphoma", "other"]), max_size=4
    ),
    warning_text=_TEXT,
    stage=st.sampled_from(["approved", "nda-under-review", "ind-under-review"]),
    status=st.sampled_from(["draft", "approved"]),
    lifelong=st.booleans(),
    comment_lines=st.lists(st.integers(min_value=1, max_value=60), max_size=6),
)
@example(  # a '#' in a quoted value, on a line the migration marks
    measure="0 #",
    names=["0"],
    topics=[],
    warning_text="0",
    stage="approved",
    status="draft",
    lifelong=False,
    comment_lines=[],
)
def test_no_scalar_value_or_comment_is_lost(
    measure: str,
    names: list[str],
    topics: list[str],
    warning_text: str,
    stage: str,
    status: str,
    lifelong: bool,
    comment_lines: list[int],
) -> None:
    from checker.load.yamlio import dump_yaml

    indications: list[dict[str, Any]] = [
        {"id": f"i{n}", "name": name, "oncology": n % 2 == 0, "stage": stage} for n, name in enumerate(names)
    ]
    for ind in indications:
        if stage == "approved":
            ind["approval"] = {"type": "full", "date": "2020-01-01"}
    data: dict[str, Any] = {
        "schema_version": "1.0",
        "product": {"name": names[0], "modality": "car-t", "targets": names},
        "indications": indications,
        "clinical_trials": [
            {
                "id": "t",
                "title": warning_text,
                "role": "pivotal",
                "indications": [ind["id"] for ind in indications],
                "primary_endpoint": {"measure": measure, "category": "other"},
            }
        ],
        "label": {
            "status": status,
            "warnings": [{"topic": t, "text": f"{warning_text} {i}"} for i, t in enumerate(topics)],
            "follow_up": {"lifelong": lifelong, "text": warning_text},
        },
    }
    lines = dump_yaml(data).splitlines(keepends=True)
    for n, at in enumerate(sorted(set(comment_lines), reverse=True)):  # full-line comments anywhere
        lines.insert(min(at, len(lines)), f"# comment {n}: {warning_text}\n")
    raw = "".join(lines).encode("utf-8")
    done = migrate_bytes(raw, "d.yaml")
    _assert_kept(raw, done.data)
    assert load_dossier("d.yaml", done.data).dossier.schema_version == "2.0"


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


def test_the_real_entry_point_migrates_and_documents_its_exit_codes(tmp_path: Path) -> None:
    import subprocess
    import sys

    f = _dossier(tmp_path)
    run = subprocess.run(
        [sys.executable, "-m", "checker", "migrate", str(f)], capture_output=True, timeout=120, cwd=ROOT
    )
    assert run.returncode == 0 and run.stdout == migrate_file(str(f)).data
    assert b"migrated from format 1.0 to 2.0" in run.stderr
    helped = subprocess.run(
        [sys.executable, "-m", "checker", "migrate", "--help"], capture_output=True, text=True, timeout=120
    )
    assert helped.returncode == 0 and "--write" in helped.stdout and "Exit codes: 0" in helped.stdout
    broken = tmp_path / "broken.yaml"
    broken.write_text('schema_version: "1.0"\nproduct: {name: X, modality: cart}\n', "utf-8")
    refused = subprocess.run(
        [sys.executable, "-m", "checker", "migrate", "--write", str(broken), "--lang", "zh"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert refused.returncode == 2 and f"{broken}:2:" in refused.stderr and "car-t" in refused.stderr
    assert "Traceback" not in refused.stderr
