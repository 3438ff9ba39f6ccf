"""The one definition of what a report may not carry raw from an input, and how it is shown.

Any text from an input (a file name, dossier text, a custom rule's words, a justification's
reason) may hold characters that change what a report line means or drive a terminal: control
characters (C0 and C1, NUL, BEL, ESC, a line break in a file name), bidirectional overrides and
isolates (U+202A–U+202E, U+2066–U+2069), zero-width and other format characters (U+200B–U+200F,
U+FEFF), line and paragraph separators, private-use and unassigned code points. Every report
shows each of them as its escape (``\\n``, ``\\x1b``, ``\\u202e``), so a report line always means
what it says; ordinary spaces of any script (U+3000 in Chinese text) stay as they are.

``printable`` is that escape for text (text, GitHub, Markdown, HTML, JUnit reports, standard
error); ``json_safe`` gives JSON text with each of them as a JSON escape, so the value a program
reads is exactly the input's (JSON and SARIF reports).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from functools import cache
from typing import Any, TypeVar

T = TypeVar("T")


@cache
def _unsafe(ch: str) -> bool:
    return not ch.isprintable() and unicodedata.category(ch) != "Zs"


def _escape(ch: str) -> str:
    return ch.encode("unicode_escape").decode("ascii") if _unsafe(ch) else ch


def printable(text: str) -> str:
    """text with every character a report may not carry raw shown as its escape."""
    if text.isprintable():
        return text
    return "".join(_escape(ch) for ch in text)


# What json.dumps(ensure_ascii=False) leaves raw that a report may not carry (it escapes C0).
_JSON_RAW = re.compile(
    "[\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb]"
)


def json_safe(text: str) -> str:
    """JSON text (as json.dumps writes it) with the characters a report may not carry raw written
    as JSON escapes: the same JSON value, nothing raw."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def printable_fields(value: T) -> T:
    """A record (a dataclass, and the tuples, mappings and records inside it) with each of its
    texts made printable; the record itself when nothing in it needs it."""
    cleaned: T = _clean(value)
    return cleaned


_FIELDS: dict[type, tuple[str, ...]] = {}


def _init_fields(kind: type) -> tuple[str, ...]:
    names = _FIELDS.get(kind)
    if names is None:
        names = _FIELDS[kind] = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    return names


def _frozen(kind: type) -> bool:
    params = getattr(kind, "__dataclass_params__", None)
    return bool(getattr(params, "frozen", False))


# Shared records already found to need nothing, by identity (each kept alive here, so its id
# stays its own): the records a check shares between results (a requirement's result and its
# rules' statuses, a rule's citation, and the tuples of them) are looked at once, not once per
# dossier. Only the kinds registered with `shared` are kept, so what is kept does not grow with
# the dossiers a report goes over.
_CLEAN: dict[int, Any] = {}
_CLEAN_MAX = 1 << 12
_SHARED: set[type] = set()


def shared(*kinds: type) -> None:
    """Register frozen record types whose instances results share (looked at once each)."""
    _SHARED.update(kinds)


def _keep(kind: type, value: Any) -> None:
    if kind is tuple:
        if not value or type(value[0]) not in _SHARED:
            return
    elif kind not in _SHARED:
        return
    if len(_CLEAN) >= _CLEAN_MAX:
        _CLEAN.clear()
    _CLEAN[id(value)] = value


def _clean(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return value if value.isprintable() else printable(value)
    if value is None or kind is int or kind is bool or kind is float:
        return value
    if _CLEAN.get(id(value)) is value:
        return value
    if kind is tuple:
        items = tuple(_clean(v) for v in value)
        if any(a is not b for a, b in zip(items, value, strict=True)):
            return items
    elif kind is list:
        return [_clean(v) for v in value]
    elif kind is dict:
        return {_clean(k): _clean(v) for k, v in value.items()}
    elif isinstance(value, str):
        return printable(value)
    elif dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for name in _init_fields(kind):
            old = getattr(value, name)
            new = _clean(old)
            if new is not old:
                changes[name] = new
        if changes:
            return dataclasses.replace(value, **changes)
        if not _frozen(kind):
            return value  # it may change: looked at again next time
    elif isinstance(value, (tuple, list, dict)):
        return _clean_subclass(value)
    else:
        return value
    _keep(kind, value)
    return value


def _clean_subclass(value: Any) -> Any:
    """A tuple, list or mapping of a subclass, as the general case cleans it."""
    if isinstance(value, tuple):
        items = tuple(_clean(v) for v in value)
        return value if all(a is b for a, b in zip(items, value, strict=True)) else items
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return {_clean(k): _clean(v) for k, v in value.items()}


__all__ = ["json_safe", "printable", "printable_fields", "shared"]
