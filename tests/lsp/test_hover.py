"""Hover on a key: the field under the position, found through the protocol's positions (so a
key after Chinese text or an emoji on its line is found), and what the model says of it."""

from __future__ import annotations

from checker.load.yamlio import load_yaml
from checker.lsp.fields import field_at, skeleton
from checker.lsp.hover import field_hover, key_at
from checker.lsp.text import Position, Text
from checker.model.post_approval import Commitment


def test_a_key_after_an_emoji_and_chinese_text_is_found() -> None:
    source = "product: {name: 细胞🧬治疗, modality: car-t}\n"
    located, text = load_yaml(source, ""), Text(source)
    character = len(source[: source.index("modality")].encode("utf-16-le")) // 2
    assert key_at(located, text, Position(0, character + 2)) == ("product", "modality")
    assert key_at(located, text, Position(0, 3)) == ("product",)


def test_a_list_item_key_gives_its_description_and_values() -> None:
    said = field_hover(("post_approval_commitments", 0, "kind"), "en")
    assert said is not None
    assert "What is committed." in said and "`confirmatory-trial`" in said and "Required." in said
    assert "必填" in (field_hover(("post_approval_commitments", 0, "kind"), "zh") or "")


def test_an_unknown_key_has_no_hover() -> None:
    assert field_at(("product", "modalty")) is None
    assert field_hover(("nonsense",), "en") is None


def test_a_skeleton_holds_the_given_values_then_every_field() -> None:
    item = skeleton(Commitment, {"id": "c1", "kind": "confirmatory-trial", "indication": "a"})
    assert list(item)[:3] == ["id", "kind", "indication"]
    assert item["status"] == "planned"  # required, one of a fixed set: the first
    assert item["due_date"] is None and "description" in item  # to fill in
