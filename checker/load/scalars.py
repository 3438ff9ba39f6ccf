"""Scalars of YAML 1.2's core schema: what a plain scalar is (null, a boolean, a number or a string)
and the value of a scalar with an explicit standard tag."""

from __future__ import annotations

import math
import re
from typing import Any

from checker.base.i18n import message
from checker.load.located import Failure, Mark, short

STD = "tag:yaml.org,2002:"
SCALAR_TAGS = frozenset({"str", "int", "float", "bool", "null", "timestamp"})

_NULL = re.compile(r"null|Null|NULL|~|")
_TRUE = re.compile(r"true|True|TRUE")
_FALSE = re.compile(r"false|False|FALSE")
_INT_DEC = re.compile(r"[-+]?[0-9]+")
_INT_OCT = re.compile(r"0o[0-7]+")
_INT_HEX = re.compile(r"0x[0-9a-fA-F]+")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")
_INF = re.compile(r"([-+]?)\.(inf|Inf|INF)")
_NAN = re.compile(r"\.(nan|NaN|NAN)")
_TIMESTAMP = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
    r"(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?"
    r"(?:[ \t]*(?:Z|[-+][0-9]{1,2}(?::[0-9]{2})?))?"
)

# The first character of every non-empty null, bool, int or float of the core schema.
SPECIAL_START = frozenset("-+.0123456789~nNtTfF")

_NO_VALUE = object()
# The bits of the largest integer Python turns into decimal text (4,300 digits): a hexadecimal or
# octal integer is bounded alike.
_MAX_INT_BITS = 14_000


def show_tag(tag: str) -> str:
    """A tag as a message shows it: `!!name` for a standard one."""
    return "!!" + tag[len(STD) :] if tag.startswith(STD) else tag


def _as_int(value: str, mark: Mark) -> Any:
    if _INT_DEC.fullmatch(value):
        try:
            return int(value, 10)
        except ValueError:  # more digits than Python converts (sys.int_info.str_digits_check_threshold)
            raise Failure(mark, message("integer_too_long", digits=len(value))) from None
    if _INT_OCT.fullmatch(value) or _INT_HEX.fullmatch(value):
        number = int(value, 0)
        if number.bit_length() > _MAX_INT_BITS:  # as large as a decimal integer may be
            raise Failure(mark, message("integer_too_long", digits=len(value))) from None
        return number
    return _NO_VALUE


def _as_float(value: str) -> Any:
    if _FLOAT.fullmatch(value):
        return float(value)
    inf = _INF.fullmatch(value)
    if inf is not None:
        return -math.inf if inf.group(1) == "-" else math.inf
    if _NAN.fullmatch(value):
        return math.nan
    return _NO_VALUE


def _as_bool(value: str) -> Any:
    if _TRUE.fullmatch(value):
        return True
    if _FALSE.fullmatch(value):
        return False
    return _NO_VALUE


def resolve_plain(value: str, mark: Mark) -> Any:
    """YAML 1.2 core schema for an untagged plain scalar."""
    if value and value[0] not in SPECIAL_START:
        return value  # fast path: cannot be null, bool, int or float
    if _NULL.fullmatch(value):
        return None
    result = _as_bool(value)
    if result is _NO_VALUE:
        result = _as_int(value, mark)
    if result is _NO_VALUE:
        result = _as_float(value)
    return value if result is _NO_VALUE else result


def explicit_scalar(name: str, value: str, mark: Mark) -> Any:
    """The value of a scalar with an explicit standard tag ``!!name``."""
    if name in ("str", "timestamp"):
        if name == "timestamp" and not _TIMESTAMP.fullmatch(value):
            raise Failure(mark, message("invalid_tagged", tag="!!timestamp", value=short(value)))
        return value  # timestamps stay strings; they are validated later
    if name == "null":
        result: Any = None if _NULL.fullmatch(value) else _NO_VALUE
    elif name == "bool":
        result = _as_bool(value)
    elif name == "int":
        result = _as_int(value, mark)
    else:  # float
        result = _as_float(value)
        if result is _NO_VALUE and _INT_DEC.fullmatch(value):
            result = float(value)
    if result is _NO_VALUE:
        raise Failure(mark, message("invalid_tagged", tag=f"!!{name}", value=short(value)))
    return result
