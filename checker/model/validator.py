"""The dossier model's validator and serializer, built once per process.

pydantic builds a model's validator on first use (the dossier model defers it, see
``checker.model.dossier``): it generates a core schema from the model's classes, which takes about a tenth
of a one-dossier check, and hands it to pydantic-core. The validator and serializer it builds are
plain data that refer to the model's classes and functions by name, so they are kept in the
checker's cache (``checker.base.cache``) under a key of the versions of pydantic and pydantic-core and
the source of the modules that define the model (``model_modules``); loading them back takes a millisecond or two.
Both ways give the same validator: pydantic's own, for ``checker.model.dossier.Dossier``.

What is stored is the core schema and its configuration as plain data (``checker.model.coreschema``:
the model's classes and functions by name, read back only as what the model defines), from
which pydantic-core builds the validator and the serializer, as it does when it unpickles them.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from checker.base import cache, limits
from checker.base.plaindata import PlainDataError
from checker.model import (
    common,
    coreschema,
    introspect,
    justification,
    measures,
    post_approval,
    product,
    trials,
    vocab,
)
from checker.model import dossier as model

_FORMAT = "2"  # bump when the cached shape changes
# What the dossier model is defined by: every module of the model package but this one.
_MODEL_MODULES: tuple[ModuleType, ...] = (
    model,
    common,
    product,
    trials,
    post_approval,
    justification,
    introspect,
    measures,
    vocab,
    limits,
    coreschema,
)


@dataclass(frozen=True)
class Codec:
    """The dossier model's pydantic-core validator and serializer."""

    validator: Any  # pydantic_core.SchemaValidator
    serializer: Any  # pydantic_core.SchemaSerializer

    def validate(self, data: Any) -> model.Dossier:
        """Dossier.model_validate(data); raises pydantic's ValidationError."""
        dossier: model.Dossier = self.validator.validate_python(data)
        return dossier

    def dump(self, dossier: model.Dossier) -> dict[str, Any]:
        """dossier.model_dump(mode="json")."""
        out: dict[str, Any] = self.serializer.to_python(dossier, mode="json")
        return out


_codec: Codec | None = None
_lock = threading.Lock()


def model_modules() -> tuple[ModuleType, ...]:
    """The modules whose source the dossier model is defined by (and the validator is keyed by)."""
    return _MODEL_MODULES


def _key() -> tuple[str, ...] | None:
    """What the validator is built from, or None when the model's source cannot be read."""
    import pydantic
    import pydantic_core

    digest = cache.source_digest(model_modules())
    if digest is None:
        return None
    return (_FORMAT, pydantic.VERSION, pydantic_core.__version__, digest)


def _build() -> Codec:
    model.Dossier.model_rebuild()
    return Codec(model.Dossier.__pydantic_validator__, model.Dossier.__pydantic_serializer__)


def _stored(stored: Any) -> Codec | None:
    """The codec an entry holds: [schema, validator config, serializer config]; None if it is not one."""
    from pydantic_core import SchemaSerializer, SchemaValidator

    if not (isinstance(stored, list) and len(stored) == 3):
        return None
    try:
        schema, validator_config, serializer_config = stored  # read through coreschema.object_hook
        return Codec(SchemaValidator(schema, validator_config), SchemaSerializer(schema, serializer_config))
    except Exception:  # not a schema pydantic-core builds: rebuilt
        return None


def _plain(codec: Codec) -> list[Any] | None:
    """What is stored of a codec; None for one that has no plain form (e.g. a plugin's)."""
    from pydantic_core import SchemaSerializer, SchemaValidator

    # a validator wrapped by a pydantic plugin is used as it is, never stored
    if not (isinstance(codec.validator, SchemaValidator) and isinstance(codec.serializer, SchemaSerializer)):
        return None
    validator_state: Any = codec.validator.__reduce__()[1]
    serializer_state: Any = codec.serializer.__reduce__()[1]
    schema, validator_config = validator_state[0], validator_state[1]
    serializer_schema, serializer_config = serializer_state[0], serializer_state[1]
    if serializer_schema is not schema:
        return None
    try:
        return [coreschema.encode(part) for part in (schema, validator_config, serializer_config)]
    except (PlainDataError, RecursionError):
        return None


def _load(use_cache: bool) -> Codec:
    key = _key() if use_cache and not cache.disabled() else None
    if key is None:
        return _build()
    path = cache.entry("dossier-validator", *key)
    with cache.no_collection():
        stored = _stored(cache.read(path, coreschema.object_hook))
    if stored is not None:
        return stored
    codec = _build()
    plain = _plain(codec)
    if plain is not None:
        cache.write(path, plain)
    return codec


def codec(use_cache: bool = True) -> Codec:
    """This process's dossier codec: built (or loaded from the cache) on first use; use_cache
    only decides where that first one comes from (both are pydantic's own validator)."""
    global _codec
    if _codec is None:
        with _lock:
            if _codec is None:
                _codec = _load(use_cache)
    return _codec


__all__ = ["Codec", "codec", "model_modules"]
