"""Code actions on every bundled example's findings: each edit keeps the file readable YAML with
its structure, and either fixes its finding or leaves only keys to fill in, reported where the
edit wrote them."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.load.yamlio import load_yaml
from checker.lsp import actions as A
from checker.lsp.project import Project, Projects
from checker.lsp.text import Text

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples" / "dossiers" / "gaps").glob("*.yaml"))


@pytest.fixture(scope="module")
def projects() -> Projects:
    return Projects({"as-of": "2026-06-01"})


def _applied(text: Text, edit: A.Edit) -> tuple[str, range]:
    offset = text.offset_at(edit.at)
    source = text.source[:offset] + edit.text + text.source[offset:]
    first = edit.at.line + 1  # the checker's line numbers of the inserted text
    return source, range(first, first + edit.text.count("\n") + 1)


def _check(project: Project, name: str, source: str) -> tuple[dict[tuple[str, str], int], list[int]]:
    """The findings not waived (by rule and path, with their lines), or the lines of the input
    problems."""
    outcome = project.check(name, source).outcome
    if outcome.result is None:
        return {}, [p.line for p in outcome.problems]
    return {(f.rule_id, f.path): f.line for f in outcome.result.findings if not f.waived}, []


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name)
def test_every_action_keeps_the_yaml_and_fixes_or_asks_for_what_is_left(
    projects: Projects, example: Path
) -> None:
    source = example.read_text("utf-8")
    project = projects.for_file(example)
    assert project.context is not None
    result = project.check(str(example), source).outcome.result
    assert result is not None
    located, text = load_yaml(source, str(example)), Text(source)
    seen = 0
    for f in result.findings:
        for action in A.actions([f], project.context.pack, located, text, "en"):
            seen += 1
            changed, inserted = _applied(text, action.edit)
            before = load_yaml(source, "").data
            after = load_yaml(changed, "").data
            assert set(before) <= set(after)  # nothing of the file's own is lost
            found, problems = _check(project, str(example), changed)
            if problems:  # keys left to fill in: reported at the lines the edit wrote
                assert all(line in inserted for line in problems), (action.title, problems, inserted)
            else:  # fixed, or still found at the key the edit wrote, to fill in
                assert found.get((f.rule_id, f.path), inserted.start) in inserted, action.title
    assert seen >= len(result.findings)  # at least a justification entry for each


def test_a_flow_style_list_gets_no_edit() -> None:
    source = 'schema_version: "1.0"\njustifications: []\n'
    located, text = load_yaml(source, ""), Text(source)
    assert A.add_to_list(text, located, ("justifications",), {"rule": "x"}) is None


def test_a_list_written_without_items_gets_its_first_below_its_key() -> None:
    source = 'schema_version: "1.0"\njustifications:\nproduct:\n  name: X\n'
    located, text = load_yaml(source, ""), Text(source)
    edit = A.add_to_list(text, located, ("justifications",), {"rule": "x", "reason": None})
    assert edit is not None
    changed, _ = _applied(text, edit)
    assert (
        changed == 'schema_version: "1.0"\njustifications:\n  - rule: x\n    reason:\nproduct:\n  name: X\n'
    )
    assert load_yaml(changed, "").data["justifications"] == [{"rule": "x", "reason": None}]


def test_an_item_goes_after_the_last_item_and_its_block_scalar() -> None:
    source = "items:\n  - id: a\n    text: >-\n      folded\n      text\n\n# a comment\nnext: 1\n"
    located, text = load_yaml(source, ""), Text(source)
    edit = A.add_to_list(text, located, ("items",), {"id": "b"})
    assert edit is not None
    changed, _ = _applied(text, edit)
    assert load_yaml(changed, "").data == {
        "items": [{"id": "a", "text": "folded text"}, {"id": "b"}],
        "next": 1,
    }


def test_a_file_without_a_final_line_break_gets_one_before_the_new_key() -> None:
    source = 'schema_version: "1.0"\nproduct:\n  name: X'
    located, text = load_yaml(source, ""), Text(source)
    edit = A.add_to_mapping(text, located, (), "justifications", [{"rule": "x"}])
    assert edit is not None
    changed, _ = _applied(text, edit)
    assert load_yaml(changed, "").data["justifications"] == [{"rule": "x"}]
