"""Values as the engine takes them: fact data bounded and written as JSON its parser reads
right, and the (alias, fact id) pairs read back from its action messages."""

from __future__ import annotations

import hashlib
import json
import math
from typing import Any

from checker.base import limits
from checker.base.errors import EngineError
from checker.base.i18n import message

MAX_ENGINE_TEXT = limits.MAX_RULE_TEXT


def engine_text(value: Any) -> Any:
    """Fact data as the engine gets it: a text longer than MAX_ENGINE_TEXT characters becomes its
    start and a digest. Rules only test text for presence and for equality with literals of at
    most that length (the compiler refuses longer ones), so every answer stays the same, while the
    engine, which takes some 40 bytes of memory per character, never holds a dossier's long prose."""
    if isinstance(value, str):
        if len(value) <= MAX_ENGINE_TEXT:
            return value
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:32]
        return f"{value[:MAX_ENGINE_TEXT]}\u2026#{digest}"
    if isinstance(value, dict):
        return {k: engine_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [engine_text(v) for v in value]
    return value


_INT64 = 1 << 63
_FAST_JSON = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def bound_facts(message: str, start: int, sid: str) -> list[tuple[str, str]] | None:
    """The ("alias", "fact id") of every '"alias":{"sid":"<sid>","id":"<fact id>"' in message
    after start (plain searches: a regular expression here costs as much as parsing it all);
    None if one of them is not written that way."""
    needle = f'{{"sid":"{sid}","id":"'
    pairs: list[tuple[str, str]] = []
    at = message.find(needle, start)
    while at != -1:
        quote = message.rfind('"', start, at - 2)
        if quote < 1 or message[at - 2 : at] != '":' or message[quote - 1] not in "{,":
            return None
        alias = message[quote + 1 : at - 2]
        begin = at + len(needle)
        end = message.find('"', begin)
        if end == -1 or "\\" in alias:
            return None
        pairs.append((alias, message[begin:end]))
        at = message.find(needle, end)
    return pairs


class _Walk:
    """What one walk over a fact's data learns: its properties (as count_properties counts
    them) and whether it holds a number that json writes in a form the engine misreads."""

    __slots__ = ("properties", "unusual")

    def __init__(self) -> None:
        self.properties = 0
        self.unusual = False


def _prepare(value: Any, walk: _Walk, counted: bool) -> Any:
    """engine_text(value), learning what _Walk records on the way (one walk instead of three)."""
    cls = value.__class__
    if cls is str:
        return value if len(value) <= MAX_ENGINE_TEXT else engine_text(value)
    if cls is dict:
        if counted:
            walk.properties += len(value)
        if not walk.unusual and not all(k.__class__ is str for k in value):
            walk.unusual = True  # json writes a True or None key as true or null, engine_json as str()
        return {k: _prepare(v, walk, counted) for k, v in value.items()}
    if cls is list:
        return [_prepare(v, walk, False) for v in value]
    if cls is float:
        # repr (and so json) writes an exponent outside [1e-4, 1e16): "1e-05" reads as 1
        if value != 0.0 and not 1e-4 <= abs(value) < 1e16:  # also true for inf and nan
            walk.unusual = True
    elif cls is int:
        if not -_INT64 <= value < _INT64:
            walk.unusual = True
    elif cls is not bool and value is not None:  # a subclass or another type: the general path
        walk.unusual = True
        if counted:
            walk.properties += count_properties(value)
        return engine_text(value)
    return value


def fact_json(data: dict[str, Any]) -> tuple[str, int]:
    """A fact's data as the engine gets it (engine_text, written as engine_json writes it) and
    its number of properties (count_properties): the C encoder where it writes the same text."""
    walk = _Walk()
    prepared = _prepare(data, walk, True)
    text = engine_json(prepared) if walk.unusual else _FAST_JSON(prepared)
    return text, walk.properties


def _number(value: int | float) -> str:
    """A number as the engine's JSON parser reads it right. It reads an exponent only after a
    decimal point ("1e+20" reads as 1, "1e+300" crashed the process, "1e3" in a rule is refused):
    the mantissa always gets one. It keeps integers in 64 bits: larger ones go as floats."""
    if isinstance(value, int) and -_INT64 <= value < _INT64:
        return str(value)
    try:
        number = float(value)
    except OverflowError:
        raise EngineError(message("engine_number_too_large")) from None
    if not math.isfinite(number):
        raise EngineError(message("engine_number_not_finite"))
    text = repr(number)
    mantissa, e, exponent = text.partition("e")
    if e and "." not in mantissa:
        text = f"{mantissa}.0e{exponent}"
    return text


def engine_json(value: Any) -> str:
    """JSON for the engine: like json.dumps(ensure_ascii=False) (Chinese text only matches
    unescaped), with numbers written as its parser reads them (see _number)."""
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if value is None or isinstance(value, bool):
        return "null" if value is None else "true" if value else "false"
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{engine_json(str(k))}:{engine_json(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(engine_json(v) for v in value) + "]"
    raise EngineError(message("engine_value_type", kind=type(value).__name__))


def count_properties(value: Any) -> int:
    if isinstance(value, dict):
        return sum(1 + count_properties(v) for v in value.values())
    return 0
