"""Positions: the checker's (1-based, columns in characters, YAML's line breaks) and the
protocol's (0-based, code units of the agreed encoding, lines at \\r\\n, \\r and \\n)."""

from __future__ import annotations

import pytest

from checker.load.text import position as yaml_position
from checker.lsp.text import UTF8, UTF16, UTF32, Position, Text, units


def test_chinese_is_one_utf16_unit_and_an_astral_character_two() -> None:
    text = Text("a: 细胞\nb: 🧬x\n")
    assert text.at(1, 4) == Position(0, 3)
    assert text.at(1, 5) == Position(0, 4)
    assert text.at(2, 4) == Position(1, 3)
    assert text.at(2, 5) == Position(1, 5)  # after the emoji: two code units


@pytest.mark.parametrize(("encoding", "after"), [(UTF16, 5), (UTF8, 7), (UTF32, 4)])
def test_the_agreed_encoding_counts_the_units(encoding: str, after: int) -> None:
    assert Text("b: 🧬x", encoding).at(1, 5) == Position(0, after)
    assert units("🧬", encoding) == {UTF16: 2, UTF8: 4, UTF32: 1}[encoding]


def test_positions_round_trip_through_offsets() -> None:
    source = "k: 细胞🧬治疗\r\nv: [1, 2]\rw: 3\n"
    text = Text(source)
    for offset in range(len(source)):
        if source[offset - 1 : offset + 1] == "\r\n":
            continue  # inside a line break: not a position
        line, column = text.mark(offset)
        assert text.offset(line, column) == offset
        assert text.offset_at(text.position(offset)) == offset


def test_yaml_line_breaks_that_the_protocol_does_not_count() -> None:
    source = "a: x\u2028y\nb: 1\n"  # YAML counts U+2028 as a line break, the protocol does not
    text = Text(source)
    index = source.index("b")
    line, column = yaml_position(source, index)
    assert (line, column) == (3, 1)
    assert text.at(line, column) == Position(1, 0)


def test_a_position_inside_a_surrogate_pair_is_before_the_character() -> None:
    text = Text("🧬x")
    assert text.offset_at(Position(0, 1)) == 0
    assert text.offset_at(Position(0, 2)) == 1
    assert text.offset_at(Position(5, 0)) == len("🧬x")


def test_a_span_ends_before_a_comment_and_trailing_spaces() -> None:
    text = Text("due_date: 2026-03-01   # late\nname: 'a # b'\n")
    assert text.span(1, 11) == (Position(0, 10), Position(0, 20))
    assert text.span(2, 7) == (Position(1, 6), Position(1, 13))
    assert text.span(3, 1) == (Position(2, 0), Position(2, 0))  # past the last line: empty
