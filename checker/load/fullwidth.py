"""Full-width punctuation where YAML's structure needs the half-width character, as a Chinese
input method types it: '：' after a key, '，' or '、' between the items of a flow list, '“ ”' as
quotes, '［ ］' and '｛ ｝' as brackets, U+3000 as indentation.

The same characters inside a value are text (a Chinese sentence has its commas and colons), so
they are looked for only where the structure is: a key at the start of a line, the first character of a value, and
the separators of a flow collection; and only on the lines where the parser failed, or in a value
that could not be what the dossier needs.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from checker.base.i18n import Message, message

# What each character is called, and the half-width characters to use instead.
_NAMES = {
    "：": "fw_colon",
    "，": "fw_comma",
    "、": "fw_enum_comma",
    "“": "fw_quotes",
    "”": "fw_quotes",
    "‘": "fw_single_quotes",
    "’": "fw_single_quotes",
    "［": "fw_brackets",
    "］": "fw_brackets",
    "｛": "fw_braces",
    "｝": "fw_braces",
}
_SEPARATORS = "，、"
_QUOTES = "“”‘’"
_BRACKETS = {"［": "fw_as_brackets", "］": "fw_as_brackets", "｛": "fw_as_braces", "｝": "fw_as_braces"}
_OPENERS = "［｛"

_LEAD = re.compile(r"[ \t]*(?:-[ \t]+)*")  # indentation and the dashes of list items
_KEY = r"(?:[A-Za-z0-9_][A-Za-z0-9_.\-]*|\"[^\"\n]*\"|'[^'\n]*')"
_FW_KEY = re.compile(rf"({_KEY})[ \t]*：")
_KEY_COLON = re.compile(rf"{_KEY}[ \t]*:(?:[ \t]+|$)")
_FLOW_KEY = re.compile(rf"[ \t]*({_KEY})[ \t]*：")


_HALF_WIDTH = str.maketrans(
    {"：": ": ", "，": ", ", "、": ", ", "“": '"', "”": '"', "‘": "'", "’": "'", "［": "[", "］": "]"}
    | {"｛": "{", "｝": "}", "\u3000": " "}
)


def half_width(text: str) -> str:
    """`text` with its full-width punctuation as the half-width characters YAML reads."""
    return text.translate(_HALF_WIDTH)


def _name(char: str) -> Message:
    return message(_NAMES[char])


def after_key(key: str) -> Message:
    """A full-width colon after `key` (as written, quotes left out)."""
    if len(key) > 1 and key[0] == key[-1] and key[0] in "\"'":
        key = key[1:-1]
    return message("fw_after_key", what=_name("："), key=key)


def in_flow(char: str, opener: str = "[") -> Message:
    """A full-width separator between the items of a flow list (or the entries of a mapping)."""
    return message("fw_in_flow" if opener == "[" else "fw_in_flow_mapping", what=_name(char))


def _in_flow_collection(line: str, start: int) -> tuple[int, Message] | None:
    """The first full-width character that breaks the flow collection opening at `start`."""
    quote = ""
    after_separator = True  # where a key of a flow mapping may start
    openers = [line[start]]
    for i in range(start + 1, len(line)):
        char = line[i]
        if quote:
            if char == quote:
                quote = ""
                after_separator = False
            continue
        if char in "\"'" and after_separator:
            quote = char
        elif char == "#" and line[i - 1] in " \t":
            return None  # a comment
        elif char in "]}":
            openers.pop()
            if not openers:
                return None  # the collection ends: what follows is not in it
        elif char in _SEPARATORS:
            return i, in_flow(char, openers[-1])
        elif char in _BRACKETS:
            return i, message(_BRACKETS[char], what=_name(char))
        elif after_separator:
            key = _FLOW_KEY.match(line, i)
            if key is not None:
                return key.end() - 1, after_key(key.group(1))
        if char in "[{":
            openers.append(char)
        if char not in " \t":
            after_separator = char in "[{,"
    return None


def on_line(line: str) -> tuple[int, Message] | None:
    """The 0-based column of the first full-width character that breaks YAML's structure on a
    line, and what to use instead: after a key, as the first character of a value, or in a flow
    collection. Text inside values is left alone."""
    lead = _LEAD.match(line)
    pos = lead.end() if lead else 0
    key = _FW_KEY.match(line, pos)
    if key is not None:
        return key.end() - 1, after_key(key.group(1))
    colon = _KEY_COLON.match(line, pos)
    if colon is not None:
        pos = colon.end()
    if pos >= len(line):
        return None
    char = line[pos]
    if char in _QUOTES:
        return pos, message("fw_as_quotes", what=_name(char))
    if char in _OPENERS:
        return pos, message(_BRACKETS[char], what=_name(char))
    if char in "[{":
        return _in_flow_collection(line, pos)
    return None


def value_hint(value: Any) -> Message | None:
    """What to write instead when a value the dossier cannot take is full-width punctuation
    meant as structure: 'modality：car-t' (a key), '［BCMA］' (a list), '“1.0”' (quotes)."""
    if not isinstance(value, str) or not value:
        return None
    found = on_line(value)
    if found is not None:
        return found[1]
    if value[0] in _QUOTES and value[-1] in _QUOTES and len(value) > 1:
        return message("fw_as_quotes", what=_name(value[0]))
    return None


# Spaces that look like indentation but are not (often pasted from a word processor or a web
# page, or typed by a Chinese input method in full-width mode).
ODD_SPACES = "\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000\ufeff"


_SPACE_NAMES = {
    "\u3000": "fw_space",
    "\u00a0": "odd_space_nbsp",
    "\u200b": "odd_space_zwsp",
    "\ufeff": "odd_space_bom",
}


def space_name(char: str) -> Message:
    """What a look-alike space is called, with its article and code point."""
    key = _SPACE_NAMES.get(char)
    if key is not None:
        return message(key)
    name = unicodedata.name(char, "space character").lower()
    article = "odd_space_an" if name[:1] in "aeiou" else "odd_space_a"
    return message(article, name=name, code=f"U+{ord(char):04X}")
