"""The dossier model's validator and serializer, built once per process.

pydantic builds a model's validator on first use (the dossier model defers it, see
``checker.model.dossier``): it generates a core schema from the model's classes, which takes about a tenth
of a one-dossier check, and hands it to pydantic-core. The validator and serializer it builds are
plain data that refer to the model's classes and functions by name, so they are kept in the
checker's cache (``checker.base.cache``) under a key of the versions of pydantic and pydantic-core and
the source of the modules that define the model (``model_modules``); loading them back takes a millisecond or two.
Both ways give the same validator: pydantic's own, for ``checker.model.dossier.Dossier``.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from checker.base import cache, limits
from checker.model import common, introspect, justification, measures, post_approval, product, trials, vocab
from checker.model import dossier as model

_FORMAT = "1"  # bump when the cached shape changes
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


def _load(use_cache: bool) -> Codec:
    key = _key() if use_cache and not cache.disabled() else None
    if key is None:
        return _build()
    path = cache.entry("dossier-validator", *key)
    stored = cache.read(path)
    if isinstance(stored, tuple) and len(stored) == 2:
        from pydantic_core import SchemaSerializer, SchemaValidator

        if isinstance(stored[0], SchemaValidator) and isinstance(stored[1], SchemaSerializer):
            return Codec(*stored)
    codec = _build()
    from pydantic_core import SchemaSerializer, SchemaValidator

    # a validator wrapped by a pydantic plugin is used as it is, never stored
    if isinstance(codec.validator, SchemaValidator) and isinstance(codec.serializer, SchemaSerializer):
        cache.write(path, (codec.validator, codec.serializer))
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
