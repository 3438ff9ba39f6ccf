"""The one place where cgt-checker reads YAML.

Loading is safe and strict:

* only the standard YAML core tags are accepted (``str``, ``int``, ``float``,
  ``bool``, ``null``, ``map``, ``seq``, ``timestamp``); anything else, such as
  ``!!python/object`` or ``!custom``, is refused;
* plain scalars are resolved with the YAML 1.2 core schema, so ``no``, ``on``,
  ``12:30``, ``1_000`` and dates such as ``2024-01-31`` stay strings;
* duplicate keys, non-string keys, merge keys (``<<``), several documents in one
  file, invalid UTF-8 and control characters are errors;
* anchors and aliases work, but the expanded size and the nesting depth are
  bounded and checked while the data is built, so a "billion laughs" input
  fails fast.

The result keeps the position of every node (``Located.marks``) and of every
mapping key (``Located.key_marks``), keyed by the node's path from the root, so
later stages can report located problems.

Every failure is raised as :class:`checker.base.errors.InputError` carrying one
located :class:`checker.base.errors.Problem`; no ``yaml`` exception,
``UnicodeDecodeError`` or ``RecursionError`` escapes.

``dump_yaml`` writes data as YAML that this reader reads back as the same data. The work is
done in ``checker.load.text`` (decoding), ``scalars`` (the core schema), ``yamlbuild`` (data and
positions from the parser's events), ``yamlhints`` (syntax errors) and ``files`` (bounded reads).
"""

from __future__ import annotations

import pathlib
from typing import Any

import yaml

from checker.base import limits
from checker.base.i18n import message
from checker.load.files import read_limited, read_stream
from checker.load.located import START, Failure, Located, Mark, Path, input_error
from checker.load.scalars import STD, resolve_plain
from checker.load.text import decode_yaml_text
from checker.load.yamlbuild import Builder
from checker.load.yamlhints import syntax_problem

__all__ = [
    "Located",
    "Mark",
    "Path",
    "dump_yaml",
    "load_yaml",
    "load_yaml_file",
    "read_limited",
    "read_stream",
]

DEFAULT_MAX_BYTES = limits.MAX_FILE_BYTES
DEFAULT_MAX_DEPTH = limits.MAX_DEPTH
DEFAULT_MAX_NODES = limits.MAX_NODES

# The C parser (libyaml) when available: much faster, same marks. Only its event
# stream is used; resolution and construction happen here.
_EVENT_LOADER: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(
    text: str | bytes,
    filename: str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
    max_chars: int | None = None,
) -> Located:
    """Load one YAML document from ``text`` (bytes must be UTF-8; a BOM is dropped).

    ``filename`` is only used in error reports. ``max_chars`` bounds the text after alias
    expansion (default: ``max_bytes``). Raises :class:`InputError`.
    """
    raw = text if isinstance(text, bytes) else text.encode("utf-8", errors="surrogatepass")
    if len(raw) > max_bytes:
        raise input_error(filename, START, message("file_too_large", limit=max_bytes))
    decoded = ""
    loader: Any = None
    try:
        decoded = decode_yaml_text(raw)
        loader = _EVENT_LOADER(decoded)
        builder = Builder(
            loader.get_event, max_depth, max_nodes, max_bytes if max_chars is None else max_chars
        )
        plain = "&" not in decoded and "*" not in decoded and "!" not in decoded
        data = builder.build(plain)
        return Located(data, builder.marks, builder.key_marks)
    except Failure as fail:
        raise input_error(filename, fail.mark, fail.said) from None
    except yaml.YAMLError as exc:
        mark, said = syntax_problem(exc, decoded)
        raise input_error(filename, mark, said) from None
    except RecursionError:
        raise input_error(filename, START, message("recursion")) from None
    finally:
        if loader is not None:
            loader.dispose()


def load_yaml_file(
    path: pathlib.Path | str,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_depth: int = DEFAULT_MAX_DEPTH,
    max_nodes: int = DEFAULT_MAX_NODES,
) -> Located:
    """Read and load the YAML file at ``path``; errors name the path as given."""
    raw = read_limited(path, max_bytes)
    return load_yaml(raw, str(path), max_bytes=max_bytes, max_depth=max_depth, max_nodes=max_nodes)


class _Dumper(yaml.SafeDumper):
    """PyYAML's safe dumper, writing a string plainly only where YAML 1.2's core schema (this
    reader) reads it back as that string: ``0o17``, ``1e5`` or ``<<`` are quoted, ``no`` is not."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        if kind is yaml.ScalarNode and implicit[0]:
            if value == "<<":
                return STD + "merge"
            try:
                resolved = resolve_plain(value, START)
            except Failure:  # an integer too long to convert: not a string either
                return STD + "int"
            if isinstance(resolved, str):
                return STD + "str"
            return STD + {bool: "bool", int: "int", float: "float"}.get(type(resolved), "null")
        return super().resolve(kind, value, implicit)


_BREAKS = frozenset("\n\r\x85\u2028\u2029")


def _represent_str(dumper: _Dumper, value: str) -> Any:
    # Line breaks are escaped in double quotes: in other styles PyYAML may fold one into a space.
    style = '"' if not _BREAKS.isdisjoint(value) else None
    return dumper.represent_scalar(STD + "str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def dump_yaml(data: Any) -> str:
    """Plain data (mappings, lists, text, numbers, booleans, null) as a YAML document."""
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False)
