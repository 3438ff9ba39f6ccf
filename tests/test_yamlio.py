"""Tests for checker.load.yamlio, the single YAML reader (and its writer, dump_yaml)."""

from __future__ import annotations

import math
import pathlib
import time
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from checker.base.errors import InputError, Problem
from checker.load import yamlio
from checker.load.yamlio import Located, Mark, dump_yaml, load_yaml, load_yaml_file

# What refusing a hostile document may cost, in CPU seconds of this process (a bound on work,
# which a loaded machine does not change, unlike the time on the clock).
MAX_CPU_SECONDS = 2.0

_BACKENDS: list[type[Any]] = [yaml.SafeLoader]
if getattr(yaml, "CSafeLoader", None) is not None:
    _BACKENDS.insert(0, yaml.CSafeLoader)


@pytest.fixture(autouse=True, params=_BACKENDS, ids=lambda cls: cls.__name__)
def backend(request: pytest.FixtureRequest) -> Iterator[type[Any]]:
    """Run every test with libyaml's parser and with the pure-Python one."""
    saved = yamlio._EVENT_LOADER
    yamlio._EVENT_LOADER = request.param
    try:
        yield request.param
    finally:
        yamlio._EVENT_LOADER = saved


def load(text: str | bytes, **kwargs: int) -> Located:
    return load_yaml(text, "dossier.yaml", **kwargs)


def problem(text: str | bytes, **kwargs: int) -> Problem:
    with pytest.raises(InputError) as info:
        load(text, **kwargs)
    assert len(info.value.problems) == 1
    found = info.value.problems[0]
    assert found.file == "dossier.yaml"
    assert "\n" not in found.message
    assert found.message in info.value.message
    return found


def where(found: Problem) -> tuple[int, int]:
    return found.line, found.column


# ----------------------------------------------------------------- data and marks


def test_plain_data_and_marks() -> None:
    text = "name: Demo\nindications:\n  - clinical_need: high\n    score: 3\n  - clinical_need: low\n"
    located = load(text)
    assert located.data == {
        "name": "Demo",
        "indications": [
            {"clinical_need": "high", "score": 3},
            {"clinical_need": "low"},
        ],
    }
    assert located.marks[()] == Mark(1, 1)
    assert located.marks[("name",)] == Mark(1, 7)
    assert located.marks[("indications",)] == Mark(3, 3)
    assert located.marks[("indications", 0)] == Mark(3, 5)
    assert located.marks[("indications", 0, "clinical_need")] == Mark(3, 20)
    assert located.marks[("indications", 0, "score")] == Mark(4, 12)
    assert located.marks[("indications", 1, "clinical_need")] == Mark(5, 20)
    assert located.key_marks[("name",)] == Mark(1, 1)
    assert located.key_marks[("indications",)] == Mark(2, 1)
    assert located.key_marks[("indications", 0, "score")] == Mark(4, 5)
    assert ("indications", 0) not in located.key_marks


def test_flow_collections_marks() -> None:
    located = load("a: {b: [10, 20]}\n")
    assert located.data == {"a": {"b": [10, 20]}}
    assert located.marks[("a",)] == Mark(1, 4)
    assert located.marks[("a", "b")] == Mark(1, 8)
    assert located.marks[("a", "b", 1)] == Mark(1, 13)
    assert located.key_marks[("a", "b")] == Mark(1, 5)


def test_mark_for_missing_child_returns_parent_mark() -> None:
    located = load("outer:\n  inner:\n    x: 1\n")
    assert located.mark_for(("outer", "inner")) == Mark(3, 5)
    assert located.mark_for(("outer", "inner", "missing")) == Mark(3, 5)
    assert located.mark_for(("outer", "inner", "missing", 3, "deeper")) == Mark(3, 5)
    assert located.mark_for(("nope",)) == Mark(1, 1)
    assert located.mark_for(()) == Mark(1, 1)


def test_mark_for_on_empty_document_is_start() -> None:
    located = load("")
    assert located.data is None
    assert located.mark_for(("anything",)) == Mark(1, 1)


def test_columns_count_characters_not_bytes() -> None:
    located = load("ééé: x\n")
    assert located.marks[("ééé",)] == Mark(1, 6)


def test_line_breaks_crlf() -> None:
    located = load("a: 1\r\nb: 2\r\n")
    assert located.data == {"a": 1, "b": 2}
    assert located.marks[("b",)] == Mark(2, 4)


# ------------------------------------------------------------------------- scalars


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("country: no", "no"),
        ("v: yes", "yes"),
        ("v: on", "on"),
        ("v: off", "off"),
        ("v: Yes", "Yes"),
        ("v: y", "y"),
        ("v: true", True),
        ("v: True", True),
        ("v: TRUE", True),
        ("v: false", False),
        ("v: False", False),
        ("v: FALSE", False),
        ("v: tRUE", "tRUE"),
        ("v: null", None),
        ("v: Null", None),
        ("v: NULL", None),
        ("v: ~", None),
        ("v:", None),
        ("v: nULL", "nULL"),
        ("v: 42", 42),
        ("v: -7", -7),
        ("v: +7", 7),
        ("v: 007", 7),
        ("o: 0o17", 15),
        ("v: 0x1F", 31),
        ("v: 0b101", "0b101"),
        ("v: 017", 17),
        ("v: 0X1F", "0X1F"),
        ("v: 1_000", "1_000"),
        ("x: 1e3", 1000.0),
        ("v: 1.5", 1.5),
        ("v: -.5", -0.5),
        ("v: 2.", 2.0),
        ("v: 6.02E+23", 6.02e23),
        ("v: .inf", math.inf),
        ("v: -.Inf", -math.inf),
        ("v: +.INF", math.inf),
        ("v: 1,000", "1,000"),
        ("t: 12:30", "12:30"),
        ("v: 190:20:30", "190:20:30"),
        ("d: 2024-13-45", "2024-13-45"),
        ("d: 2024-01-31", "2024-01-31"),
        ("d: 2024-01-31T10:00:00Z", "2024-01-31T10:00:00Z"),
        ("v: '42'", "42"),
        ('v: "true"', "true"),
        ("v: 'null'", "null"),
        ("v: ''", ""),
        ("v: !!str 42", "42"),
        ("v: !!str", ""),
        ("v: ! 42", "42"),
        ("v: !!int '42'", 42),
        ("v: !!int 0x10", 16),
        ("v: !!float 3", 3.0),
        ("v: !!float '2.5'", 2.5),
        ("v: !!bool 'false'", False),
        ("v: !!null ''", None),
        ("v: !!timestamp 2024-01-31", "2024-01-31"),
        ("v: !<tag:yaml.org,2002:str> 5", "5"),
        ("v: <<", "<<"),
    ],
)
def test_scalar_resolution_is_yaml_1_2_core(text: str, expected: Any) -> None:
    value = load(text + "\n").data
    key = text.split(":", 1)[0]
    assert value[key] == expected
    assert type(value[key]) is type(expected)


def test_nan() -> None:
    value = load("v: .NaN\n").data["v"]
    assert isinstance(value, float) and math.isnan(value)


def test_huge_integer_is_a_located_error() -> None:
    found = problem("a: 1\nb: " + "9" * 5000 + "\n")
    assert where(found) == (2, 4)
    assert "too long" in found.message


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("v: !!int 1.5", "invalid !!int value '1.5'"),
        ("v: !!int yes", "invalid !!int value 'yes'"),
        ("v: !!bool yes", "invalid !!bool value 'yes'"),
        ("v: !!null x", "invalid !!null value 'x'"),
        ("v: !!float abc", "invalid !!float value 'abc'"),
        ("v: !!timestamp soon", "invalid !!timestamp value 'soon'"),
        ("v: !!str [1]", "tag '!!str' cannot be used on a sequence"),
        ("v: !!seq {a: 1}", "tag '!!seq' cannot be used on a mapping"),
        ("v: !!map x", "tag '!!map' cannot be used on a scalar"),
    ],
)
def test_explicit_standard_tags_are_checked(text: str, message: str) -> None:
    found = problem("ok: 1\n" + text + "\n")
    assert where(found) == (2, 4)
    assert found.message == message


def test_explicit_collection_tags() -> None:
    assert load("- !!map {a: 1}\n- !!seq [1]\n").data == [{"a": 1}, [1]]


# ------------------------------------------------------------------ refused tags


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("x: !!python/object:os.system ls", "!!python/object:os.system"),
        ("x: !!python/object/apply:os.system [ls]", "!!python/object/apply:os.system"),
        ("x: !custom value", "!custom"),
        ("x: !custom {a: 1}", "!custom"),
        ("x: !!set {a, b}", "!!set"),
        ("x: !!omap [a: 1]", "!!omap"),
        ("x: !!binary aGVsbG8=", "!!binary"),
        ("x: !<tag:example.com,2000:thing> 1", "tag:example.com,2000:thing"),
    ],
)
def test_unsupported_tags(text: str, tag: str) -> None:
    found = problem("a: 1\n" + text + "\n")
    assert found.message == f"unsupported tag '{tag}'"
    assert where(found) == (2, 4)


def test_tag_directive_cannot_smuggle_a_tag() -> None:
    found = problem("%TAG !! tag:evil.example,2000:\n---\na: !!str x\n")
    assert found.message == "unsupported tag 'tag:evil.example,2000:str'"
    assert where(found) == (3, 4)


def test_unsupported_tag_on_a_key() -> None:
    found = problem("a: 1\n!custom k: 2\n")
    assert found.message == "unsupported tag '!custom'"
    assert where(found) == (2, 1)


# ------------------------------------------------------------------ syntax errors


def test_syntax_error_unclosed_quote_is_where_it_opens() -> None:
    found = problem("a: 1\nb: 'open\nc: 2\n")
    assert where(found) == (2, 4)
    assert (
        found.message == "YAML syntax error: the quote ''' opened here is never closed: add the closing '''"
    )
    assert found.text("zh") == "YAML 语法错误：此处的引号 ''' 没有闭合：请补上结束引号 '''"


def test_syntax_error_tab_indentation() -> None:
    found = problem("a:\n\tb: 1\n")
    assert where(found) == (2, 1)
    assert "cannot start any token" in found.message
    assert "tabs cannot be used for indentation" in found.message


def test_syntax_error_bad_indentation() -> None:
    found = problem("a: 1\n b: 2\n")
    assert where(found) == (2, 3)
    assert "mapping values are not allowed" in found.message


def test_syntax_error_unclosed_flow_sequence_is_where_it_opens() -> None:
    found = problem("x: [1, 2\n")
    assert where(found) == (1, 4)
    assert found.message == "YAML syntax error: the '[' opened here is never closed: add the closing ']'"


def test_syntax_error_is_an_input_error_not_a_yaml_error() -> None:
    with pytest.raises(InputError) as info:
        load("a: b: c\n")
    assert not isinstance(info.value, yaml.YAMLError)
    assert info.value.__cause__ is None
    assert info.value.message.startswith("dossier.yaml:1:5: YAML syntax error: ")


# -------------------------------------------------------------------------- keys


def test_duplicate_key_top_level() -> None:
    found = problem("a: 1\nb: 2\na: 3\n")
    assert found.message == "duplicate key 'a' (first defined at line 1)"
    assert where(found) == (3, 1)


def test_duplicate_key_nested_block() -> None:
    found = problem("top:\n  list:\n    - x: 1\n      y: 2\n      x: 3\n")
    assert found.message == "duplicate key 'x' (first defined at line 3)"
    assert where(found) == (5, 7)


def test_duplicate_key_in_flow_mapping() -> None:
    found = problem("a: {k: 1, k: 2}\n")
    assert found.message == "duplicate key 'k' (first defined at line 1)"
    assert where(found) == (1, 11)


def test_duplicate_key_quoted_and_plain_are_the_same_key() -> None:
    found = problem("k: 1\n'k': 2\n")
    assert where(found) == (2, 1)
    assert found.message == "duplicate key 'k' (first defined at line 1)"


def test_same_key_in_sibling_mappings_is_fine() -> None:
    assert load("- a: 1\n- a: 2\n").data == [{"a": 1}, {"a": 2}]


@pytest.mark.parametrize(
    ("text", "pos", "detail"),
    [
        ("1: x", (2, 1), "integer 1"),
        ("true: x", (2, 1), "boolean True"),
        ("~: x", (2, 1), "null"),
        ("1.5: x", (2, 1), "float 1.5"),
        ("? [a, b]\n: x", (2, 3), "sequence"),
        ("? {a: 1}\n: x", (2, 3), "mapping"),
        ("[a]: x", (2, 1), "sequence"),
    ],
)
def test_keys_must_be_strings(text: str, pos: tuple[int, int], detail: str) -> None:
    found = problem("ok: 1\n" + text + "\n")
    assert found.message.startswith("mapping keys must be strings")
    assert detail in found.message
    assert where(found) == pos


def test_quoted_and_str_tagged_keys_are_fine() -> None:
    assert load("'1': a\n!!str 2: b\nno: c\n").data == {"1": "a", "2": "b", "no": "c"}


def test_merge_key_refused() -> None:
    found = problem("base: &b {x: 1}\nitem:\n  <<: *b\n  y: 2\n")
    assert found.message.startswith("merge keys ('<<') are not supported")
    assert where(found) == (3, 3)


def test_explicit_merge_tag_refused() -> None:
    found = problem("a: 1\n!!merge k: 2\n")
    assert found.message.startswith("merge keys ('<<') are not supported")
    assert where(found) == (2, 1)


def test_quoted_merge_key_is_an_ordinary_key() -> None:
    assert load("'<<': 1\n").data == {"<<": 1}


# ------------------------------------------------------------- anchors and aliases


def test_aliases_are_expanded_and_copied() -> None:
    located = load("base: &b {x: 1, y: [2]}\nuse: *b\n")
    assert located.data == {"base": {"x": 1, "y": [2]}, "use": {"x": 1, "y": [2]}}
    assert located.data["use"] is not located.data["base"]
    assert located.data["use"]["y"] is not located.data["base"]["y"]
    # the alias itself is located where it is written ...
    assert located.marks[("use",)] == Mark(2, 6)
    assert located.key_marks[("use",)] == Mark(2, 1)
    # ... and the nodes inside it where they are defined
    assert located.marks[("use", "x")] == Mark(1, 14)
    assert located.marks[("use", "y", 0)] == Mark(1, 21)
    assert located.key_marks[("use", "y")] == Mark(1, 17)


def test_nested_aliases() -> None:
    located = load("a: &a [1]\nb: &b [*a, *a]\nc: [*b]\n")
    assert located.data["c"] == [[[1], [1]]]
    assert located.marks[("c", 0)] == Mark(3, 5)
    assert located.marks[("c", 0, 1)] == Mark(2, 12)
    assert located.marks[("c", 0, 1, 0)] == Mark(1, 8)


def test_alias_as_key() -> None:
    assert load("a: &k name\n*k : 1\n").data == {"a": "name", "name": 1}


def test_recursive_alias_refused() -> None:
    found = problem("a: 1\nb: &x [1, *x]\n")
    assert "recursive alias '*x'" in found.message
    assert where(found) == (2, 11)


def test_recursive_alias_in_mapping_refused() -> None:
    found = problem("&root\nchild: *root\n")
    assert "recursive alias '*root'" in found.message
    assert where(found) == (2, 8)


def test_undefined_alias() -> None:
    found = problem("a: *nowhere\n")
    assert found.message == "undefined alias '*nowhere'"
    assert where(found) == (1, 4)


def billion_laughs(levels: int = 9, width: int = 9) -> str:
    lines = ['l0: &l0 "lol"']
    for i in range(1, levels + 1):
        refs = ", ".join([f"*l{i - 1}"] * width)
        lines.append(f"l{i}: &l{i} [{refs}]")
    return "\n".join(lines) + "\n"


def test_billion_laughs_fails_fast() -> None:
    # CPU time, not wall-clock time: a loaded machine slows the test, not the reader's work.
    start = time.process_time()
    found = problem(billion_laughs())
    assert time.process_time() - start < MAX_CPU_SECONDS  # about 0.15 s
    assert found.message == ("document too large after alias expansion (more than 200000 nodes)")
    # l6 holds 9**6 = 531441 > 200000 strings: the first alias that crosses the limit
    assert found.line == 7


def test_alias_expansion_limit_is_configurable() -> None:
    text = "a: &a [1, 2, 3]\nb: [*a, *a, *a]\n"
    # root, key a, [1, 2, 3] = 6 nodes; key b, [...] = 8; each *a adds 4
    assert load(text, max_nodes=20).data["b"] == [[1, 2, 3]] * 3
    found = problem(text, max_nodes=19)
    assert found.message == ("document too large after alias expansion (more than 19 nodes)")
    assert where(found) == (2, 13)


def test_too_many_nodes_without_aliases() -> None:
    found = problem("[1, 2, 3, 4, 5]\n", max_nodes=4)
    assert found.message == "document too large (more than 4 nodes)"
    assert where(found) == (1, 11)


# ------------------------------------------------------------------------- depth


def test_nesting_deeper_than_max_depth() -> None:
    assert load("a: [[1]]\n", max_depth=3).data == {"a": [[1]]}
    found = problem("a: [[[1]]]\n", max_depth=3)
    assert found.message == "nesting deeper than 3 levels"
    assert where(found) == (1, 6)


def test_block_nesting_deeper_than_max_depth() -> None:
    found = problem("a:\n  b:\n    c: 1\n", max_depth=2)
    assert found.message == "nesting deeper than 2 levels"
    assert where(found) == (3, 5)


def test_alias_cannot_bypass_depth_limit() -> None:
    text = "a: &a [[1]]\nb: [*a]\n"
    found = problem(text, max_depth=3)
    assert found.message == "nesting deeper than 3 levels"
    assert where(found) == (2, 5)


def test_very_deep_flow_nesting_is_refused_quickly() -> None:
    start = time.process_time()
    found = problem("[" * 100_000)
    assert time.process_time() - start < MAX_CPU_SECONDS  # a few milliseconds
    # PyYAML 6.0.4's libyaml has a nesting limit of its own, met before ours while scanning.
    if "maximum nesting depth" not in found.message:
        assert found.message == "nesting deeper than 64 levels"
        assert where(found) == (1, 65)


def test_recursion_error_is_reported_not_raised(backend: type[Any]) -> None:
    if backend is not _BACKENDS[0]:
        pytest.skip("slow with the pure-Python scanner; the default backend is enough")
    # With the depth limit lifted, Python's own recursion limit is what stops us.
    found = problem("[" * 100_000, max_depth=10_000_000)
    assert found.message == "nesting too deep to process" or "maximum nesting depth" in found.message
    assert where(found)[0] == 1


# ------------------------------------------------------------------ bytes and text


def test_file_too_large_is_checked_before_parsing() -> None:
    found = problem("a: 'unclosed\n" + "x" * 100, max_bytes=50)
    assert found.message == "file is larger than the 50-byte limit"
    assert where(found) == (1, 1)
    assert load("a: 1\n", max_bytes=5).data == {"a": 1}


def test_utf8_bom_is_stripped() -> None:
    located = load(b"\xef\xbb\xbfname: x\n")
    assert located.data == {"name": "x"}
    assert located.marks[("name",)] == Mark(1, 7)


def test_bytes_input_is_utf8() -> None:
    assert load("name: Zoë\n".encode()).data == {"name": "Zoë"}


def test_invalid_utf8_is_located() -> None:
    found = problem(b"a: 1\nname: Zo\xc3\xab \xff\n")
    assert where(found) == (2, 11)
    assert "not valid UTF-8" in found.message
    assert "0xff" in found.message


def test_truncated_utf8_sequence_at_end() -> None:
    found = problem(b"a: \xc3")
    assert where(found) == (1, 4)


def test_utf16_is_refused() -> None:
    found = problem("a: 1\n".encode("utf-16"))
    assert where(found) == (1, 1)
    assert "UTF-16" in found.message


def test_nul_byte_is_located() -> None:
    found = problem(b"a: 1\nb: x\x00y\n")
    assert found.message == "NUL byte is not allowed in a YAML file"
    assert where(found) == (2, 5)


def test_control_character_is_located() -> None:
    found = problem("a: 1\nbb: \x07\n")
    assert found.message == "control character U+0007 is not allowed in a YAML file"
    assert where(found) == (2, 5)


def test_lone_surrogate_in_str_input() -> None:
    found = problem("a: 1\nb: \ud800\n")
    assert where(found) == (2, 4)
    assert "not valid UTF-8" in found.message


# ------------------------------------------------------------- documents and files


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "# a\n  # b\n", "---\n"])
def test_empty_document_is_none(text: str) -> None:
    located = load(text)
    assert located.data is None


def test_single_explicit_document_is_fine() -> None:
    assert load("---\na: 1\n...\n").data == {"a": 1}


def test_multiple_documents_refused() -> None:
    found = problem("a: 1\n---\nb: 2\n")
    assert found.message == "multiple YAML documents in one file; put one dossier per file"
    assert where(found) == (2, 1)


def test_multiple_documents_after_explicit_end() -> None:
    found = problem("---\na: 1\n...\n---\nb: 2\n")
    assert where(found) == (4, 1)
    assert found.message.startswith("multiple YAML documents")


def test_root_may_be_any_node() -> None:
    assert load("- 1\n- two\n").data == [1, "two"]
    assert load("just text\n").data == "just text"
    assert load("12\n").data == 12


def test_load_yaml_file(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_bytes(b"\xef\xbb\xbfa: [1, 2]\n")
    assert load_yaml_file(path).data == {"a": [1, 2]}
    assert load_yaml_file(str(path)).marks[("a", 1)] == Mark(1, 8)


def test_load_yaml_file_errors_name_the_path_as_given(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("a: 1\na: 2\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml_file(str(path))
    [problem] = info.value.problems
    assert (problem.file, problem.line, problem.column) == (str(path), 2, 1)
    assert problem.message == "duplicate key 'a' (first defined at line 1)"


def test_load_yaml_file_size_limit(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 200 + "\n", encoding="utf-8")
    with pytest.raises(InputError) as info:
        load_yaml_file(path, max_bytes=100)
    assert info.value.problems[0].message == "file is larger than the 100-byte limit"


def test_load_yaml_file_missing(tmp_path: pathlib.Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(InputError) as info:
        load_yaml_file(path)
    found = info.value.problems[0]
    assert found.file == str(path)
    assert found.message.startswith("cannot read file")


@pytest.mark.parametrize("text", ["a: 1\n0", "a: 1\r\n0", "- a\n- b: c\nd"])
def test_an_error_at_the_end_of_a_file_without_a_final_line_break_is_inside_the_file(text: str) -> None:
    # libyaml puts it at the start of a line that does not exist (found by the property tests).
    lines = text.replace("\r\n", "\n").split("\n")
    assert where(problem(text)) == (len(lines), len(lines[-1]) + 1)


DUMPED: list[Any] = [
    "no",
    "on",
    "0o17",
    "0x1F",
    "1e5",
    "+.5",
    ".inf",
    "null",
    "~",
    "",
    "<<",
    "true",
    "2024-01-31",
    "12:30",
    "x: y",
    "- a",
    "# not a comment",
    "line\nbreak",
    "next\x85line\u2028separator",
    "  padded  ",
    "本品\u3000为",
    "\U0001f600",
    1,
    -2.5,
    10**30,
    math.inf,
    True,
    None,
    [],
    {},
]


def test_dump_yaml_writes_what_the_reader_reads_back() -> None:
    data = {"values": DUMPED, "keys": {str(v): v for v in DUMPED if isinstance(v, str)}}
    text = dump_yaml(data)
    assert load(text).data == data
    assert "- no\n" in text and "- '0o17'\n" in text  # plain where YAML 1.2 keeps it text


# ----------------------------------------------------------------- what Chinese editors and input methods do


def test_latin1_that_reads_as_gbk_by_chance_is_not_called_gbk() -> None:
    found = problem("name: Müller Straße\n".encode("latin-1"))
    assert found.message == "file is not valid UTF-8: invalid byte 0xfc; save it as UTF-8"
    assert where(found) == (1, 8)


def test_gbk_is_named_at_its_first_chinese_character() -> None:
    found = problem("a: 1\nname_zh: 示例产品，用于\n".encode("gbk"))
    assert where(found) == (2, 10) and "GBK/GB18030 (Chinese Windows)" in found.message


@pytest.mark.parametrize(
    "text",
    [
        "description: 本品为自体CAR-T细胞，用于治疗：复发“难治”患者、成人\nname: X: y\n",
        "note: 结果：有效，见［1］\nname: X: y\n",
        'items: ["a，b", c]\nname: X: y\n',
    ],
)
def test_full_width_text_in_a_value_is_not_blamed_for_a_syntax_error_beside_it(text: str) -> None:
    found = problem(text)
    assert where(found) == (2, 8) and "mapping values are not allowed" in found.message


def test_full_width_punctuation_is_named_and_translated() -> None:
    found = problem("product:\n  name: X\n  targets：[BCMA]\n")
    assert where(found) == (3, 10)
    assert (
        found.message
        == "YAML syntax error: full-width colon '：' after the key 'targets': use ':' followed by a space"
    )
    assert (
        found.text("zh")
        == "YAML 语法错误：字段 'targets' 后用了全角冒号 '：'：请改用半角冒号 ':'，并在其后加一个空格"
    )
    found = problem("targets: [a，b]\n")  # valid YAML, but one item to YAML and two to its author
    assert where(found) == (1, 12) and found.message.startswith(
        "full-width comma '，' between the items of a list"
    )


def test_a_windows_path_in_double_quotes_is_named_at_its_backslash() -> None:
    found = problem('reference: "C:\\Users\\申报"\n')
    assert where(found) == (1, 15)
    assert "'\\U' in double quotes is read as an escape" in found.message
