"""Typed values as plain data and back: what the cache stores instead of objects.

``to_plain(value)`` turns frozen dataclasses, pydantic models, tuples, frozensets and mappings of
them into JSON values (mappings with text keys, lists, text, numbers, booleans, null; a date is
its ISO text); a
dataclass or a model is the list of its fields' values, in the order they are declared (the
cache keys an entry by the source of the types, so a changed type never reads an old entry).
``from_plain(kind, data)`` builds a value of type ``kind`` from such data, led by the type's
annotations alone: every value is checked against the type it is declared with, and anything
else (a missing or unknown field, a list where text is declared, a literal outside its values)
raises ``PlainDataError``, so a cache entry of the wrong shape is rebuilt, never half-used.
Nothing in the data names a type or a function: what is built is only ever what the caller asks
for, which is why plain data cannot make the checker run code.

pydantic models are built with ``model_construct`` (their own validators are not run again: the
value was valid when it was stored, and the shape is checked here).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from typing import Any

PLAIN_SCALARS = (str, int, float, bool, type(None))


class PlainDataError(ValueError):
    """Data that is not a value of the type asked for."""


def to_plain(value: Any) -> Any:
    """value as JSON data (see the module's text); PlainDataError for what has no plain form."""
    if isinstance(value, PLAIN_SCALARS):
        return value
    if type(value) is dt.date:
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return [to_plain(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init]
    fields = getattr(type(value), "model_fields", None)
    if isinstance(fields, dict):
        return [to_plain(getattr(value, name)) for name in fields]
    if isinstance(value, (list, tuple, frozenset, set)):
        items = sorted(value) if isinstance(value, (frozenset, set)) else value
        return [to_plain(v) for v in items]
    if isinstance(value, Mapping):
        if not all(isinstance(k, str) for k in value):
            raise PlainDataError("a mapping with keys that are not text")
        return {k: to_plain(v) for k, v in value.items()}
    raise PlainDataError(f"no plain form for {type(value).__name__}")


def from_plain(kind: Any, data: Any) -> Any:
    """A value of type kind from plain data; PlainDataError if the data does not fit the type."""
    return _decoder(kind)(data)


def decoder(kind: Any) -> Callable[[Any], Any]:
    """from_plain for one type, made once (for a caller that decodes many values of it)."""
    return _decoder(kind)


Decoder = Callable[[Any], Any]


def _fail(what: str) -> PlainDataError:
    return PlainDataError(f"not {what}")


def _scalar(kind: type) -> Decoder:
    def decode(data: Any) -> Any:
        # bool is an int to Python, never to a declared int; an int is a valid float
        if type(data) is kind or (kind is float and type(data) is int):
            return data
        raise _fail(kind.__name__)

    return decode


def _date(data: Any) -> Any:
    if type(data) is str and len(data) == 10:
        try:
            return dt.date.fromisoformat(data)
        except ValueError:
            pass
    raise _fail("a date")


def _any(data: Any) -> Any:
    return data  # JSON values only, by construction of what json gives


def _union(options: tuple[Decoder, ...]) -> Decoder:
    def decode(data: Any) -> Any:
        for option in options:
            try:
                return option(data)
            except PlainDataError:
                continue
        raise _fail("any of a union's types")

    return decode


def _literal(values: tuple[Any, ...]) -> Decoder:
    def decode(data: Any) -> Any:
        if any(type(data) is type(v) and data == v for v in values):
            return data
        raise _fail("a literal's value")

    return decode


def _sequence(item: Decoder, build: Callable[[list[Any]], Any]) -> Decoder:
    def decode(data: Any) -> Any:
        if type(data) is not list:
            raise _fail("a list")
        return build([item(v) for v in data])

    return decode


def _fixed_tuple(items: tuple[Decoder, ...]) -> Decoder:
    def decode(data: Any) -> Any:
        if type(data) is not list or len(data) != len(items):
            raise _fail("a list of its length")
        return tuple(item(v) for item, v in zip(items, data, strict=True))

    return decode


def _mapping(key: Decoder, value: Decoder) -> Decoder:
    def decode(data: Any) -> Any:
        if type(data) is not dict:
            raise _fail("a mapping")
        return {key(k): value(v) for k, v in data.items()}

    return decode


def _record(
    names: tuple[str, ...], decoders: tuple[Decoder, ...], build: Callable[[dict[str, Any]], Any]
) -> Decoder:
    size = len(names)

    def decode(data: Any) -> Any:
        if type(data) is not list or len(data) != size:
            raise _fail("a record of its fields")
        return build({name: decoder(v) for name, decoder, v in zip(names, decoders, data, strict=True)})

    return decode


def _dataclass(kind: type) -> Decoder:
    names = tuple(f.name for f in dataclasses.fields(kind) if f.init)
    size = len(names)
    decoders: list[Decoder] = []  # made on first use, so that a type may contain itself

    def decode(data: Any) -> Any:
        if not decoders:
            hints = typing.get_type_hints(kind)
            made = [_decoder(hints[name]) for name in names]  # whole, or not at all
            if not decoders:
                decoders.extend(made)
        if type(data) is not list or len(data) != size:
            raise _fail("a record of its fields")
        return kind(**{name: decoder(v) for name, decoder, v in zip(names, decoders, data, strict=True)})

    return decode


def _model(kind: Any) -> Decoder:
    names = tuple(kind.model_fields)
    decoders = tuple(_decoder(kind.model_fields[name].annotation) for name in names)
    new = object.__new__
    setattr_ = object.__setattr__

    def build(values: dict[str, Any]) -> Any:
        # what model_construct does for a model without defaults left to fill, extra fields or
        # private attributes, as pickle does too: every field given, each of its declared type
        model = new(kind)
        setattr_(model, "__dict__", values)
        setattr_(model, "__pydantic_fields_set__", set(values))
        setattr_(model, "__pydantic_extra__", None)
        setattr_(model, "__pydantic_private__", None)
        return model

    if kind.__private_attributes__ or kind.model_config.get("extra") == "allow":
        return _record(names, decoders, lambda values: kind.model_construct(**values))
    return _record(names, decoders, build)


def _plain_mapping(data: Any) -> Any:
    if type(data) is not dict:  # JSON's keys are text, its values plain
        raise _fail("a mapping")
    return data


def _plain_list(data: Any) -> Any:
    if type(data) is not list:
        raise _fail("a list")
    return data


_SEQUENCES: dict[Any, Callable[[list[Any]], Any]] = {
    list: list,
    tuple: tuple,
    frozenset: frozenset,
    set: set,
    Sequence: tuple,
}


@cache
def _decoder(kind: Any) -> Decoder:
    if kind is Any:
        return _any
    if kind in PLAIN_SCALARS:
        return _scalar(kind)
    if kind is dt.date:
        return _date
    if kind is None:
        return _scalar(type(None))
    origin, args = typing.get_origin(kind), typing.get_args(kind)
    if origin is typing.Literal:
        return _literal(args)
    if origin in (typing.Union, types.UnionType):
        return _union(tuple(_decoder(a) for a in args))
    if origin in (dict, Mapping) or kind in (dict, Mapping):
        key, value = args if args else (str, Any)
        if key is str and value is Any and (origin or kind) is dict:
            return _plain_mapping
        return _mapping(_decoder(key), _decoder(value))
    if origin is tuple and args and args[-1] is not Ellipsis:
        return _fixed_tuple(tuple(_decoder(a) for a in args))
    if origin in _SEQUENCES or kind in _SEQUENCES:
        build = _SEQUENCES[origin if origin is not None else kind]
        item = args[0] if args else Any
        if item is Any and build is list:
            return _plain_list
        return _sequence(_decoder(item), build)
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass(kind)
    if isinstance(kind, type) and isinstance(getattr(kind, "model_fields", None), dict):
        return _model(kind)
    raise PlainDataError(f"no plain form for {kind!r}")


__all__ = ["PlainDataError", "decoder", "from_plain", "to_plain"]
