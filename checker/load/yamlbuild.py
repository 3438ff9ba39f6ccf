"""Plain data and the position of every node, built straight from a YAML parser's event stream:
standard tags only, duplicate and non-string keys refused, aliases expanded within bounds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NoReturn

import yaml

from checker.base.i18n import Message, message
from checker.load.fullwidth import in_flow
from checker.load.located import START, Failure, Mark, Path, first_definition, short, type_name
from checker.load.scalars import SCALAR_TAGS, SPECIAL_START, STD, explicit_scalar, resolve_plain, show_tag

_SEPARATORS = ("，", "、")  # full-width separators typed for ',' in a flow list


def mark_of(yaml_mark: Any) -> Mark:
    """A parser's 0-based mark as a Mark (1:1 when the parser gives none)."""
    if yaml_mark is None:
        return START
    return Mark(int(yaml_mark.line) + 1, int(yaml_mark.column) + 1)


def flow_separator(event: Any) -> None:
    """Refuse a plain scalar of a flow sequence that holds a full-width comma: '[BCMA，CD19]' is
    one item to YAML, but two to the person who typed it."""
    if event.__class__ is not yaml.ScalarEvent or event.style:
        return
    value = event.value
    found = [i for i in (value.find(c) for c in _SEPARATORS) if i >= 0]
    if not found:
        return
    start: Any = event.start_mark
    end: Any = event.end_mark
    offset = min(found) if start.line == end.line and end.index - start.index == len(value) else 0
    raise Failure(Mark(start.line + 1, start.column + 1 + offset), in_flow(value[min(found)]))


def _key_not_text(key: Any) -> Message:
    """A mapping key that is not text (null, a number, a boolean)."""
    if key is None:
        return message("key_not_text", found=message("type_null"))
    return message("key_not_text", found=message("typed_value", type=type_name(key), value=short(repr(key))))


def _key_kind(event: Any) -> Message:
    return message("type_sequence" if isinstance(event, yaml.SequenceStartEvent) else "type_mapping")


def _copy(value: Any) -> Any:
    """A fresh copy of plain data (so that an aliased value is not shared)."""
    if isinstance(value, dict):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy(v) for v in value]
    return value


@dataclass(frozen=True)
class _Anchor:
    value: Any
    base: Path  # where the anchored node was defined
    log_start: int  # its subtree's entries in Builder._log[log_start:log_end]
    log_end: int
    size: int  # nodes in the subtree, aliases expanded
    height: int  # collection levels in the subtree (0 for a scalar)
    chars: int = 0  # characters of text in the subtree, aliases expanded


class Builder:
    """Builds plain data and marks straight from the parser's event stream."""

    def __init__(self, get_event: Callable[[], Any], max_depth: int, max_nodes: int, max_chars: int) -> None:
        self._get_event = get_event
        self._max_depth = max_depth
        self._max_nodes = max_nodes
        self._max_chars = max_chars
        self._chars = 0
        self.marks: dict[Path, Mark] = {}
        self.key_marks: dict[Path, Mark] = {}
        # Every mark recorded, in order: (path, mark, is_key_mark). Lets an alias
        # copy the marks of its anchored subtree without searching.
        self._log: list[tuple[Path, Mark, bool]] = []
        self._anchors: dict[str, _Anchor] = {}
        self._open_anchors: set[str] = set()
        self._count = 0
        self._expanded = False

    # -- document level

    def build(self, plain: bool = False) -> Any:
        """The document's data. ``plain``: the text has no anchor, alias or tag, so the
        faster builder that handles none of them gives the same result."""
        event = self._get_event()  # StreamStartEvent
        event = self._get_event()
        if isinstance(event, yaml.StreamEndEvent):
            return None  # empty, or only comments
        build = self._plain_node if plain else self._node
        data, _ = build(self._get_event(), (), 0)
        self._get_event()  # DocumentEndEvent
        event = self._get_event()
        if not isinstance(event, yaml.StreamEndEvent):
            raise Failure(mark_of(event.start_mark), message("multiple_documents"))
        return data

    # -- bookkeeping

    def _record(self, path: Path, mark: Mark, is_key: bool) -> None:
        (self.key_marks if is_key else self.marks)[path] = mark
        self._log.append((path, mark, is_key))

    def _add_nodes(self, n: int, mark: Mark) -> None:
        self._count += n
        if self._count > self._max_nodes:
            key = "too_many_nodes_expanded" if self._expanded else "too_many_nodes"
            raise Failure(mark, message(key, limit=self._max_nodes))

    def _add_chars(self, n: int, mark: Mark) -> None:
        # Aliases can repeat a long text many times over: bound the text after expansion too.
        self._chars += n
        if self._chars > self._max_chars:
            raise Failure(mark, message("too_many_chars_expanded", limit=self._max_chars))

    def _too_deep(self, mark: Mark) -> NoReturn:
        raise Failure(mark, message("too_deep", limit=self._max_depth))

    def _lookup(self, event: Any, mark: Mark) -> _Anchor:
        name = str(event.anchor)
        if name in self._open_anchors:
            raise Failure(mark, message("recursive_alias", name=f"*{name}"))
        anchor = self._anchors.get(name)
        if anchor is None:
            raise Failure(mark, message("undefined_alias", name=f"*{name}"))
        return anchor

    def _check_tag(self, event: Any, mark: Mark) -> str | None:
        """The standard short name of the event's tag (None if untagged or '!'); refuse others."""
        tag = event.tag
        if tag is None or tag == "!":
            return None
        tag = str(tag)
        if tag == STD + "merge":
            raise Failure(mark, message("merge_key"))
        name = tag[len(STD) :] if tag.startswith(STD) else None
        if isinstance(event, yaml.ScalarEvent):
            if name in SCALAR_TAGS:
                return name
            kind = "type_scalar"
        elif isinstance(event, yaml.SequenceStartEvent):
            if name == "seq":
                return name
            kind = "type_sequence"
        else:
            if name == "map":
                return name
            kind = "type_mapping"
        if name in SCALAR_TAGS or name in ("seq", "map"):
            raise Failure(mark, message("tag_wrong_kind", tag=show_tag(tag), kind=message(kind)))
        raise Failure(mark, message("unsupported_tag", tag=show_tag(tag)))

    def _scalar(self, event: Any, tag_name: str | None, mark: Mark) -> Any:
        value = str(event.value)
        if tag_name is not None:
            return explicit_scalar(tag_name, value, mark)
        if event.tag is None and event.implicit[0]:
            return resolve_plain(value, mark)
        return value  # quoted, or the non-specific tag '!'

    # -- nodes

    def _node(self, event: Any, path: Path, depth: int) -> tuple[Any, int]:
        """Build the node that starts with ``event`` at ``path``; ``depth`` collections enclose it.

        Returns the value and the number of collection levels it contains.
        """
        mark = mark_of(event.start_mark)
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, path, depth, mark)
        tag_name = self._check_tag(event, mark)
        anchor = event.anchor
        if anchor is not None:
            self._open_anchors.add(anchor)
        log_start = len(self._log)
        count_start = self._count
        chars_start = self._chars
        self._add_nodes(1, mark)
        self._record(path, mark, False)
        value: Any
        height = 0
        if isinstance(event, yaml.ScalarEvent):
            self._add_chars(len(event.value), mark)
            value = self._scalar(event, tag_name, mark)
        elif isinstance(event, yaml.SequenceStartEvent):
            if depth + 1 > self._max_depth:
                self._too_deep(mark)
            items: list[Any] = []
            while True:
                child = self._get_event()
                if isinstance(child, yaml.SequenceEndEvent):
                    break
                if event.flow_style:
                    flow_separator(child)
                item, child_height = self._node(child, (*path, len(items)), depth + 1)
                items.append(item)
                height = max(height, child_height)
            value = items
            height += 1
        else:  # MappingStartEvent
            if depth + 1 > self._max_depth:
                self._too_deep(mark)
            value, height = self._mapping(path, depth)
            height += 1
        if anchor is not None:
            self._open_anchors.discard(anchor)
            self._anchors[anchor] = _Anchor(
                value,
                path,
                log_start,
                len(self._log),
                self._count - count_start,
                height,
                self._chars - chars_start,
            )
        return value, height

    def _mapping(self, path: Path, depth: int) -> tuple[dict[str, Any], int]:
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        height = 0
        while True:
            event = self._get_event()
            if isinstance(event, yaml.MappingEndEvent):
                return result, height
            key_mark = mark_of(event.start_mark)
            key = self._key(event, key_mark)
            first_definition(first_seen, key, key_mark)
            value_path = (*path, key)
            self._record(value_path, key_mark, True)
            value, child_height = self._node(self._get_event(), value_path, depth + 1)
            result[key] = value
            height = max(height, child_height)

    def _key(self, event: Any, mark: Mark) -> str:
        if isinstance(event, yaml.AliasEvent):
            anchor = self._lookup(event, mark)
            key = anchor.value
            self._add_nodes(1, mark)
            self._add_chars(anchor.chars, mark)
        elif isinstance(event, yaml.ScalarEvent):
            tag_name = self._check_tag(event, mark)
            if event.tag is None and event.implicit[0] and event.value == "<<":
                raise Failure(mark, message("merge_key"))
            key = self._scalar(event, tag_name, mark)
            self._add_nodes(1, mark)
            self._add_chars(len(event.value), mark)
            if event.anchor is not None:
                self._anchors[event.anchor] = _Anchor(
                    key, (), len(self._log), len(self._log), 1, 0, len(event.value)
                )
        else:
            raise Failure(mark, message("key_collection", kind=_key_kind(event)))
        if not isinstance(key, str):
            raise Failure(mark, _key_not_text(key))
        return key

    # -- nodes of a document without anchors, aliases or tags: the same checks, in the same
    # order, as _node, _mapping and _key, with the bookkeeping for aliases left out

    def _plain_node(self, event: Any, path: Path, depth: int) -> tuple[Any, int]:
        start = event.start_mark
        mark = Mark(start.line + 1, start.column + 1)
        self._count += 1
        if self._count > self._max_nodes:
            self._add_nodes(0, mark)
        self.marks[path] = mark
        kind = event.__class__
        if kind is yaml.ScalarEvent:
            value = event.value
            self._chars += len(value)
            if self._chars > self._max_chars:
                self._add_chars(0, mark)
            if not event.implicit[0] or (value and value[0] not in SPECIAL_START):
                return value, 0  # quoted, or plain text that cannot be null, bool or a number
            return resolve_plain(value, mark), 0
        if depth + 1 > self._max_depth:
            self._too_deep(mark)
        get_event = self._get_event
        height = 0
        if kind is yaml.SequenceStartEvent:
            items: list[Any] = []
            flow = event.flow_style
            while True:
                child = get_event()
                if child.__class__ is yaml.SequenceEndEvent:
                    return items, height + 1
                if flow:
                    flow_separator(child)
                item, child_height = self._plain_node(child, (*path, len(items)), depth + 1)
                items.append(item)
                if child_height > height:
                    height = child_height
        result: dict[str, Any] = {}
        first_seen: dict[str, Mark] = {}
        key_marks = self.key_marks
        while True:
            event = get_event()
            if event.__class__ is yaml.MappingEndEvent:
                return result, height + 1
            start = event.start_mark
            key_mark = Mark(start.line + 1, start.column + 1)
            if event.__class__ is not yaml.ScalarEvent:
                key: Any = self._key(event, key_mark)  # refuses it
            else:
                text = event.value
                if not event.implicit[0] or (text and text[0] not in SPECIAL_START and text != "<<"):
                    key = text  # quoted, or plain text that cannot be null, bool or a number
                else:
                    if text == "<<":
                        raise Failure(key_mark, message("merge_key"))
                    key = resolve_plain(text, key_mark)
                self._count += 1
                if self._count > self._max_nodes:
                    self._add_nodes(0, key_mark)
                self._chars += len(text)
                if self._chars > self._max_chars:
                    self._add_chars(0, key_mark)
                if not isinstance(key, str):
                    raise Failure(key_mark, _key_not_text(key))
            if key in first_seen:
                first_definition(first_seen, key, key_mark)  # refuses it
            first_seen[key] = key_mark
            value_path = (*path, key)
            key_marks[value_path] = key_mark
            value, child_height = self._plain_node(get_event(), value_path, depth + 1)
            result[key] = value
            if child_height > height:
                height = child_height

    def _alias(self, event: Any, path: Path, depth: int, mark: Mark) -> tuple[Any, int]:
        anchor = self._lookup(event, mark)
        self._expanded = True
        self._add_nodes(anchor.size, mark)
        self._add_chars(anchor.chars, mark)
        if depth + anchor.height > self._max_depth:
            self._too_deep(mark)
        self._record(path, mark, False)
        base_len = len(anchor.base)
        for i in range(anchor.log_start, anchor.log_end):
            sub_path, sub_mark, is_key = self._log[i]
            rel = sub_path[base_len:]
            if rel or is_key:
                self._record(path + rel, sub_mark, is_key)
        return _copy(anchor.value), anchor.height
