"""A dossier's text as an editable document that is written back as its author wrote it: the
comments, the key order, the quoting and flow or block style of every node, the indentation,
the byte order mark and the line breaks (ruamel.yaml's round trip).

Only text that the project's own reader has already read (UTF-8, within the limits, no tags,
no duplicate keys) is given to it."""

from __future__ import annotations

import io
import itertools
import re
from dataclasses import dataclass
from typing import Any

from checker.base.errors import InputError
from checker.base.i18n import message, verbatim
from checker.load.located import START, input_error
from checker.load.text import BOM

_KEY_ONLY = re.compile(r"^( *)[^\s#-][^#]*:\s*(#.*)?$")
_ITEM = re.compile(r"^( *)- ")
_KEY = re.compile(r"^( *)[^\s#-]")
_WIDTH = 1 << 20  # never fold a long line the author wrote on one


@dataclass(frozen=True)
class Style:
    """How the file is written around its data."""

    bom: bool
    crlf: bool
    final_newline: bool
    mapping: int
    sequence: int
    offset: int
    explicit_start: bool


def _indentation(lines: list[str]) -> tuple[int, int, int]:
    """The mapping indent, the sequence indent and the dash offset the file uses (YAML's usual
    2, and the dossier templates' `  - ` items, when the file does not show them)."""
    mapping: int | None = None
    sequence: tuple[int, int] | None = None
    content = [line for line in lines if line.strip() and not line.lstrip().startswith("#")]
    for before, after in itertools.pairwise(content):
        parent = _KEY_ONLY.match(before)
        if parent is None or before.lstrip().startswith("- "):
            continue
        base = len(parent.group(1))
        item = _ITEM.match(after)
        if item is not None and sequence is None and len(item.group(1)) >= base:
            offset = len(item.group(1)) - base
            sequence = (offset + 2, offset)
        elif item is None and mapping is None:
            key = _KEY.match(after)
            if key is not None and len(key.group(1)) > base:
                mapping = len(key.group(1)) - base
        if mapping is not None and sequence is not None:
            break
    seq, offset = sequence if sequence is not None else (4, 2)
    return (mapping or 2), seq, offset


def _yaml(style: Style) -> Any:
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = _WIDTH
    yaml.indent(mapping=style.mapping, sequence=style.sequence, offset=style.offset)
    yaml.explicit_start = style.explicit_start
    yaml.brace_single_entry_mapping_in_flow_sequence = True  # [{topic: crs}] stays as written
    return yaml


def parse(raw: bytes, filename: str) -> tuple[Any, Style]:
    """The document of a file the reader has read, and how it is written."""
    text = raw.removeprefix(BOM).decode("utf-8")
    crlf = "\r\n" in text
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    first = next((line for line in lines if line.strip() and not line.startswith("#")), "")
    mapping, sequence, offset = _indentation(lines)
    style = Style(
        bom=raw.startswith(BOM),
        crlf=crlf,
        final_newline=text.endswith("\n"),
        mapping=mapping,
        sequence=sequence,
        offset=offset,
        explicit_start=first.rstrip() == "---" or first.startswith("--- "),
    )
    try:
        data = _yaml(style).load(text)
    except RecursionError:
        raise _unreadable(filename, "too deeply nested") from None
    except Exception as exc:  # ruamel.yaml's errors have no common root but YAMLError's subclasses
        raise _unreadable(filename, type(exc).__name__) from None
    return data, style


def _unreadable(filename: str, reason: str) -> InputError:
    return input_error(filename, START, message("migrate_roundtrip_failed", reason=verbatim(reason)))


def dump(data: Any, style: Style) -> bytes:
    """The document's bytes, written in the file's style."""
    out = io.StringIO()
    _yaml(style).dump(data, out)
    text = out.getvalue()
    if not style.final_newline:
        text = text.rstrip("\n")
    if style.crlf:
        text = text.replace("\n", "\r\n")
    return (BOM if style.bom else b"") + text.encode("utf-8")
