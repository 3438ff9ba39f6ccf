"""The dossier model's pydantic-core schema as plain data, for the cache.

A core schema is mappings, lists and plain values, plus the model's classes and functions that
validate a field (``Base._empty_is_absent``, ``_date_text``, ...). Here each of those is written
as a reference by name, ``{"\\u0000ref": [module, qualified name, attribute]}``, and read back only
as an object the dossier model itself defines: a class or function of a module of the model
package (``checker.model``, already imported), or an attribute of one of its classes whose code
is the model's or pydantic's own schema hook. Any other name (another module, an object of
another kind) makes the entry unusable: it is rebuilt, and nothing it names is ever called.
Tuples are written as ``{"\\u0000tuple": [...]}``; no key of a core schema starts with NUL.
"""

from __future__ import annotations

import sys
import types
from typing import Any

from checker.base.plaindata import PLAIN_SCALARS, PlainDataError

_PACKAGE = "checker.model"
_REF = "\0ref"
_TUPLE = "\0tuple"
# builtin types a core schema may name (a list's type, for strict list validation)
_BUILTINS: dict[str, type] = {
    t.__name__: t for t in (list, dict, tuple, set, frozenset, str, int, float, bool, bytes)
}
# pydantic's own hooks, bound to a model class, that a core schema's metadata names
_HOOKS = frozenset({("pydantic.main", "BaseModel.__get_pydantic_json_schema__")})


def _ours(module: str | None) -> bool:
    return module is not None and (module == _PACKAGE or module.startswith(_PACKAGE + "."))


def _ref(value: Any) -> list[str]:
    if isinstance(value, type):
        if value.__module__ == "builtins" and _BUILTINS.get(value.__name__) is value:
            return ["builtins", value.__name__, ""]
        if _ours(value.__module__):
            return [value.__module__, value.__qualname__, ""]
    elif isinstance(value, types.MethodType) and isinstance(value.__self__, type):
        owner = value.__self__
        if _ours(owner.__module__):
            return [owner.__module__, owner.__qualname__, value.__func__.__name__]
    elif isinstance(value, types.FunctionType) and _ours(value.__module__):
        return [value.__module__, value.__qualname__, ""]
    raise PlainDataError(f"no plain form for {value!r}")


def encode(value: Any) -> Any:
    """A core schema (or its config) as plain data; PlainDataError for what has no plain form."""
    if isinstance(value, PLAIN_SCALARS):
        return value
    if isinstance(value, dict):
        if not all(isinstance(k, str) and not k.startswith("\0") for k in value):
            raise PlainDataError("a mapping with keys that are not plain text")
        return {k: encode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [encode(v) for v in value]
    if isinstance(value, tuple):
        return {_TUPLE: [encode(v) for v in value]}
    return {_REF: _ref(value)}


def _lookup(module_name: str, qualname: str) -> Any:
    if module_name == "builtins":
        return _BUILTINS.get(qualname)
    if not _ours(module_name):
        return None
    module = sys.modules.get(module_name)  # never imported here: the model's modules are loaded
    obj: Any = module
    for part in qualname.split("."):
        if obj is None or part.startswith("__"):
            return None
        obj = vars(obj).get(part) if isinstance(obj, (type, types.ModuleType)) else None
    return obj


def _resolve(ref: Any) -> Any:
    if not (isinstance(ref, list) and len(ref) == 3 and all(type(p) is str for p in ref)):
        raise PlainDataError("not a reference")
    module_name, qualname, attribute = ref
    obj = _lookup(module_name, qualname)
    if attribute == "":
        if isinstance(obj, type) and (module_name == "builtins" or _ours(obj.__module__)):
            return obj
        if isinstance(obj, types.FunctionType) and _ours(obj.__module__):
            return obj
        raise PlainDataError("a reference to something the model does not define")
    if (
        not isinstance(obj, type)
        or not _ours(obj.__module__)
        or (attribute.startswith("__") and attribute != ("__get_pydantic_json_schema__"))
    ):
        raise PlainDataError("a reference to something the model does not define")
    bound = getattr(obj, attribute, None)
    func = getattr(bound, "__func__", None)
    if (
        not isinstance(bound, types.MethodType)
        or bound.__self__ is not obj
        or not isinstance(func, types.FunctionType)
    ):
        raise PlainDataError("a reference to something the model does not define")
    if not _ours(func.__module__) and (func.__module__, func.__qualname__) not in _HOOKS:
        raise PlainDataError("a reference to something the model does not define")
    return bound


def object_hook(data: dict[str, Any]) -> Any:
    """json's object_hook that reads what encode writes: each mapping as json reads it, inside out."""
    if len(data) == 1:
        if _REF in data:
            return _resolve(data[_REF])
        if _TUPLE in data:
            items = data[_TUPLE]
            if not isinstance(items, list):
                raise PlainDataError("not a tuple")
            return tuple(items)
    return data


def decode(data: Any) -> Any:
    """encode's value back; PlainDataError for data encode does not write."""
    if isinstance(data, PLAIN_SCALARS):
        return data
    if isinstance(data, list):
        return [decode(v) for v in data]
    if isinstance(data, dict):
        if len(data) == 1:
            if _REF in data:
                return _resolve(data[_REF])
            if _TUPLE in data:
                items = data[_TUPLE]
                if not isinstance(items, list):
                    raise PlainDataError("not a tuple")
                return tuple(decode(v) for v in items)
        return {k: decode(v) for k, v in data.items()}
    raise PlainDataError("not plain data")


__all__ = ["decode", "encode", "object_hook"]
