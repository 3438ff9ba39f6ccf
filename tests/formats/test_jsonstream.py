"""JSON written item by item is json.dumps(indent=2) of the whole document, byte for byte."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.report.formats.jsonstream import Slots, Spliced, dumps

_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)


def _streamed(document: dict[str, Any], lists: dict[str, list[Any]], where: list[str]) -> bytes:
    slots = Slots()
    doc = dict(document)
    for key in lists:
        target = doc
        for step in where:
            target = target.setdefault(step, {})
        target[key] = slots.slot(iter(lists[key]))
    out = io.BytesIO()
    slots.write(doc, out)
    return out.getvalue()


def _whole(document: dict[str, Any], lists: dict[str, list[Any]], where: list[str]) -> bytes:
    doc = json.loads(json.dumps(document))
    for key, items in lists.items():
        target = doc
        for step in where:
            target = target.setdefault(step, {})
        target[key] = items
    return (json.dumps(doc, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@given(
    st.dictionaries(st.sampled_from(["a", "b", "c", "中文"]), _values, max_size=3),
    st.lists(_values, max_size=4),
    st.lists(_values, max_size=4),
    st.sampled_from([[], ["run"], ["runs", "deep"]]),
)
def test_streamed_json_is_the_whole_documents_json(
    document: dict[str, Any], first: list[Any], second: list[Any], where: list[str]
) -> None:
    lists = {"results": first, "artifacts": second}
    assert _streamed(document, lists, where) == _whole(document, lists, where)


def test_text_that_looks_like_a_placeholder_is_only_text() -> None:
    slots = Slots()
    doc = {"note": "\x00" + "0" * 32 + ":0\x00", "items": slots.slot(iter([1, 2]))}
    out = io.BytesIO()
    slots.write(doc, out)
    assert json.loads(out.getvalue()) == {"note": doc["note"], "items": [1, 2]}


def test_a_placeholder_left_out_of_the_document_is_an_error() -> None:
    slots = Slots()
    slots.slot(iter([1]))
    with pytest.raises(ValueError, match="placeholder"):
        slots.write({"items": []}, io.BytesIO())


_any_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.tuples(inner, inner)
        | st.dictionaries(st.text(max_size=5) | st.integers() | st.booleans() | st.none(), inner, max_size=3)
    ),
    max_leaves=16,
)


@given(_any_values)
def test_dumps_is_json_dumps_at_indent_2(value: Any) -> None:
    """Every kind json takes (floats with NaN and infinities, keys that are not text, tuples)."""
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


def test_an_unusual_value_is_left_to_json() -> None:
    class Text(str):
        pass

    value = {"a": [Text("x"), 1.5, float("inf")], "b": {"c": Text("y")}}
    assert dumps(value) == json.dumps(value, indent=2, ensure_ascii=False)


@given(
    st.dictionaries(st.sampled_from(["file", "product", "中文"]), _values, max_size=3),
    st.lists(_values, max_size=4),
    st.lists(_values, max_size=3),
)
def test_a_spliced_item_is_the_item_with_its_part_in_place(
    item: dict[str, Any], part: list[Any], others: list[Any]
) -> None:
    slots = Slots()
    marker = slots.part()
    spliced = Spliced({**item, "requirements": marker, "after": 1}, {marker: dumps(part)})
    doc = {"dossiers": slots.slot(iter([*others, spliced]))}
    out = io.BytesIO()
    slots.write(doc, out)
    whole = {"dossiers": [*others, {**item, "requirements": part, "after": 1}]}
    assert out.getvalue() == (json.dumps(whole, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def test_a_part_missing_from_its_item_is_an_error() -> None:
    slots = Slots()
    marker = slots.part()
    doc = {"items": slots.slot(iter([Spliced({"a": 1}, {marker: "[]"})]))}
    with pytest.raises(ValueError, match="placeholder"):
        slots.write(doc, io.BytesIO())
