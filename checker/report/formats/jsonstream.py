"""JSON written as it is made: a document whose long lists (a report's dossiers, a SARIF run's
results) are written item by item, so that the whole text is never held, in exactly the bytes
``json.dumps(document, indent=2, ensure_ascii=False) + "\\n"`` gives.

A `Slots` hands out placeholders, one per list: the document is dumped with them in place, and
each is replaced, where it stands, by its items, each dumped alone and indented to its depth
(JSON text has no line break inside a value, so indenting its lines is exact). A placeholder
carries a random token, so no text in the document can be taken for one.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, BinaryIO


@dataclass(frozen=True)
class Spliced:
    """An item of a list whose parts are JSON text already made: each placeholder (from
    `Slots.part`) in value stands for the text in parts, as ``json.dumps(part, indent=2)``
    gives it alone. A part that recurs in many items (a requirement matrix many dossiers share)
    is then encoded once, not once per item."""

    value: Any
    parts: dict[str, str]


class Slots:
    """The lists a document leaves to be written item by item (see the module's text)."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(16)
        self._lists: dict[str, Iterable[Any]] = {}
        self._parts = 0

    def part(self) -> str:
        """A placeholder for a part of a `Spliced` item."""
        self._parts += 1
        return f"\x00{self._token}:part:{self._parts}\x00"

    def slot(self, items: Iterable[Any]) -> str:
        """A placeholder for a list of the document: items are written in its place, in order."""
        marker = f"\x00{self._token}:{len(self._lists)}\x00"
        self._lists[marker] = items
        return marker

    def write(self, document: Any, out: BinaryIO) -> None:
        """Write document, its placeholders replaced by their lists, as UTF-8 to out."""
        text = dumps(document) + "\n"
        places = []
        for marker, items in self._lists.items():
            encoded = json.dumps(marker)
            at = text.find(encoded)
            if at < 0 or text.find(encoded, at + 1) >= 0:
                raise ValueError("a placeholder that is not in the document once")
            places.append((at, encoded, items))
        done = 0
        for at, encoded, items in sorted(places, key=lambda p: p[0]):
            line = text.rfind("\n", 0, at) + 1
            indent = " " * (len(text[line:at]) - len(text[line:at].lstrip(" ")) + 2)
            out.write(text[done:at].encode("utf-8"))
            _write_list(items, indent, out)
            done = at + len(encoded)
        out.write(text[done:].encode("utf-8"))


def dumps(value: Any) -> str:
    """``json.dumps(value, indent=2, ensure_ascii=False)``, the same text, made faster for the
    plain values reports are made of (json's own indenting encoder is written in Python as
    nested generators; a value of any other kind is left to it)."""
    out: list[str] = []
    try:
        _indented(value, out, "\n")
    except _Unusual:
        return json.dumps(value, indent=2, ensure_ascii=False)
    return "".join(out)


class _Unusual(Exception):
    """A value `_indented` leaves to json."""


_string: Any = getattr(json.encoder, "c_encode_basestring", None) or json.encoder.py_encode_basestring
_INFINITY = float("inf")


def _indented(value: Any, out: list[str], newline: str) -> None:
    """value's JSON text appended to out, json.dumps's at indent 2; newline is a line break
    followed by the indentation of the value's own depth."""
    kind = type(value)
    if kind is str:
        out.append(_string(value))
    elif kind is dict:
        if not value:
            out.append("{}")
            return
        inner = newline + "  "
        sep = "{" + inner
        for key, item in value.items():
            if type(key) is not str:
                raise _Unusual
            out.append(sep)
            out.append(_string(key))
            out.append(": ")
            _indented(item, out, inner)
            sep = "," + inner
        out.append(newline + "}")
    elif kind is list or kind is tuple:
        if not value:
            out.append("[]")
            return
        inner = newline + "  "
        sep = "[" + inner
        for item in value:
            out.append(sep)
            _indented(item, out, inner)
            sep = "," + inner
        out.append(newline + "]")
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif kind is int:
        out.append(int.__repr__(value))
    elif kind is float and value == value and -_INFINITY < value < _INFINITY:
        out.append(float.__repr__(value))
    else:
        raise _Unusual


def _spliced(item: Spliced) -> str:
    """An item's text with each placeholder replaced, where it stands, by its part indented to
    that depth (the depth of the line it is on)."""
    text = dumps(item.value)
    for marker, part in item.parts.items():
        encoded = json.dumps(marker)
        at = text.find(encoded)
        if at < 0 or text.find(encoded, at + 1) >= 0:
            raise ValueError("a placeholder that is not in the item once")
        line = text.rfind("\n", 0, at) + 1
        indent = " " * (len(text[line:at]) - len(text[line:at].lstrip(" ")))
        text = text[:at] + part.replace("\n", "\n" + indent) + text[at + len(encoded) :]
    return text


def _write_list(items: Iterable[Any], indent: str, out: BinaryIO) -> None:
    """A list as json.dumps writes it at this depth: [] when empty."""
    first = True
    for item in items:
        text = _spliced(item) if type(item) is Spliced else dumps(item)
        piece = indent + text.replace("\n", "\n" + indent)
        out.write((("[\n" if first else ",\n") + piece).encode("utf-8"))
        first = False
    out.write(b"[]" if first else ("\n" + indent[:-2] + "]").encode("utf-8"))


__all__ = ["Slots", "Spliced", "dumps"]
