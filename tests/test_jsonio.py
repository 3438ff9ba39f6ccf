"""The positioned JSON reader (baselines): the data json.loads gives, with where every node is,
and located errors for anything that is not strict JSON."""

from __future__ import annotations

import json
import random
from typing import Any

import pytest

from checker.base.errors import InputError
from checker.load.jsonio import load_json
from checker.load.yamlio import Mark


def _problem(text: str | bytes, **limits: int) -> tuple[int, int, str]:
    with pytest.raises(InputError) as caught:
        load_json(text, "b.json", **limits)
    [problem] = caught.value.problems
    return problem.line, problem.column, problem.message


def test_marks_of_nodes_and_keys() -> None:
    located = load_json('{\n  "a": [\n    1,\n    {"b": "x"}\n  ]\n}\n', "b.json")
    assert located.data == {"a": [1, {"b": "x"}]}
    assert located.marks == {
        (): Mark(1, 1),
        ("a",): Mark(2, 8),
        ("a", 0): Mark(3, 5),
        ("a", 1): Mark(4, 5),
        ("a", 1, "b"): Mark(4, 11),
    }
    assert located.key_marks == {("a",): Mark(2, 3), ("a", 1, "b"): Mark(4, 6)}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", (1, 1, "JSON syntax error: expected a value, found the end of the file")),
        ('{"a": 1,}', (1, 9, "JSON syntax error: expected a key in double quotes, found '}'")),
        ('{"a" 1}', (1, 6, "JSON syntax error: expected ':' after the key, found '1'")),
        ("[1 2]", (1, 4, "JSON syntax error: expected ',' or ']' after an item of an array, found '2'")),
        (
            '{"a": 1 "b": 2}',
            (1, 9, "JSON syntax error: expected ',' or '}' after a member of an object, found '\"'"),
        ),
        ('{\n  "findings": [}', (2, 16, "JSON syntax error: expected a value, found '}'")),
        ("[NaN]", (1, 2, "JSON syntax error: expected a value, found 'N'")),
        ("[Infinity]", (1, 2, "JSON syntax error: expected a value, found 'I'")),
        ("{} x", (1, 4, "JSON syntax error: more text after the JSON value, found 'x'")),
        ('{"a": 1, "a": 2}', (1, 10, "duplicate key 'a' (first defined at line 1)")),
        ('"abc', (1, 1, "JSON syntax error: unterminated string")),
        (
            '"a\nb"',
            (1, 3, "JSON syntax error: control character in a string (write it as an escape such as \\n)"),
        ),
        ('"\\x"', (1, 2, "JSON syntax error: invalid escape in a string")),
        (
            '"\\ud800"',
            (
                1,
                1,
                "JSON syntax error: a \\u escape in this string is half of a surrogate pair, not a character",
            ),
        ),
        ("\x00", (1, 1, "JSON syntax error: expected a value, found U+0000")),
        (
            b"\xff\xfe{}",
            (
                1,
                1,
                "this file looks like UTF-16 text, not UTF-8: save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8)",
            ),
        ),
        (b'{"a": "\xc3"}', (1, 8, "file is not valid UTF-8: invalid byte 0xc3; save it as UTF-8")),
        ("1" * 5000, (1, 1, "integer with 5000 digits is too long")),
    ],
)
def test_what_is_not_strict_json_is_a_located_error(
    text: str | bytes, expected: tuple[int, int, str]
) -> None:
    assert _problem(text) == expected


def test_limits() -> None:
    assert _problem("[" * 65 + "]" * 65) == (1, 65, "nesting deeper than 64 levels")
    assert _problem("[1, 2, 3]", max_nodes=3) == (1, 8, "document too large (more than 3 nodes)")
    assert _problem("[1, 2]", max_bytes=5) == (1, 1, "file is larger than the 5-byte limit")
    assert load_json("\ufeff[[1]]", "b.json", max_depth=2).data == [[1]]


def _random_value(rng: random.Random, depth: int = 0) -> Any:
    kind = rng.randint(0, 6 if depth < 4 else 3)
    if kind == 0:
        return rng.choice([True, False, None])
    if kind == 1:
        return rng.randint(-(10**20), 10**20)
    if kind == 2:
        return rng.random() * 10 ** rng.randint(-30, 30)
    if kind == 3:
        return "".join(
            rng.choice('ab "\\\n\t\u2028\x85\x7f\x00本\U0001f600') for _ in range(rng.randint(0, 8))
        )
    if kind == 4:
        return [_random_value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    return {f"k{i}-{rng.random()}": _random_value(rng, depth + 1) for i in range(rng.randint(0, 4))}


def test_the_same_data_as_json_loads() -> None:
    rng = random.Random(7)
    for _ in range(500):
        value = _random_value(rng)
        for text in (
            json.dumps(value),
            json.dumps(value, indent=2, ensure_ascii=False),
            json.dumps(value, separators=(",", ":")),
        ):
            assert load_json(text, "b.json").data == json.loads(text)
