"""JSON written item by item is json.dumps(indent=2) of the whole document, byte for byte."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker.report.formats.jsonstream import Slots

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
