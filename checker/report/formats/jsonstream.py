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
from typing import Any, BinaryIO


class Slots:
    """The lists a document leaves to be written item by item (see the module's text)."""

    def __init__(self) -> None:
        self._token = secrets.token_hex(16)
        self._lists: dict[str, Iterable[Any]] = {}

    def slot(self, items: Iterable[Any]) -> str:
        """A placeholder for a list of the document: items are written in its place, in order."""
        marker = f"\x00{self._token}:{len(self._lists)}\x00"
        self._lists[marker] = items
        return marker

    def write(self, document: Any, out: BinaryIO) -> None:
        """Write document, its placeholders replaced by their lists, as UTF-8 to out."""
        text = _dumps(document) + "\n"
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


def _dumps(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _write_list(items: Iterable[Any], indent: str, out: BinaryIO) -> None:
    """A list as json.dumps writes it at this depth: [] when empty."""
    first = True
    for item in items:
        piece = indent + _dumps(item).replace("\n", "\n" + indent)
        out.write((("[\n" if first else ",\n") + piece).encode("utf-8"))
        first = False
    out.write(b"[]" if first else ("\n" + indent[:-2] + "]").encode("utf-8"))


__all__ = ["Slots"]
