"""What every part of the dossier model is made of: the base class, items with ids, and the
types of text, amounts and dates."""

from __future__ import annotations

import datetime as dt
import re
import typing
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, StringConstraints, model_validator

from checker.base import limits
from checker.base.errors import Invalid, shown
from checker.base.i18n import message

SCHEMA_VERSION = "1.0"
# Every dossier format version, oldest first, and the newest.
SCHEMA_VERSIONS = ("1.0", "2.0")
LATEST_SCHEMA_VERSION = SCHEMA_VERSIONS[-1]
# The JSON Schema mark of a field that exists from a format version on: {"x-since": "2.0"}.
SINCE_MARK = "x-since"
# The JSON Schema mark of a field that a format version no longer has: {"x-until": "2.0"}.
UNTIL_MARK = "x-until"

StudyStatus = Literal["planned", "ongoing", "ongoing-results-available", "completed"]
TimeUnit = Literal["day", "week", "month", "year"]
# Time units in days (month = 30.4375 days, year = 365.25).
DAYS_PER_UNIT: dict[str, float] = {"day": 1.0, "week": 7.0, "month": 30.4375, "year": 365.25}

ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$"
Id = Annotated[
    str,
    StringConstraints(pattern=ID_PATTERN),
    Field(
        description="Stable identifier of this item, unique in its list (letters, digits, '.', "
        "'_', '-'). Findings refer to the item by it, e.g. indications[lbcl-3l], so they "
        "survive reordering."
    ),
]
Text = Annotated[str, StringConstraints(min_length=1, max_length=limits.MAX_TEXT_CHARS)]
Amount = Annotated[float, Field(gt=0, le=1e15, allow_inf_nan=False)]


def _date_text(value: Any) -> Any:
    """Dates are written YYYY-MM-DD; a number is not a date."""
    if isinstance(value, dt.date) or (isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value)):
        return value
    raise Invalid(message("expected_date", got=shown(value)))


Date = Annotated[
    dt.date, BeforeValidator(_date_text), Strict(False), Field(description="A calendar date, YYYY-MM-DD.")
]


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)

    @model_validator(mode="before")
    @classmethod
    def _empty_is_absent(cls, data: Any) -> Any:
        """Missing content is a gap, never an input error: a list written as null is an empty
        list, and an optional text left empty is absent."""
        if isinstance(data, dict):
            lists = _list_fields(cls)
            changed: dict[str, Any] = {name: [] for name in lists if name in data and data[name] is None}
            optional = _optional_fields(cls)
            for name, value in data.items():
                if isinstance(value, str) and name in optional and not value.strip():
                    changed[name] = None
            if changed:
                data = {**data, **changed}
        return data


def _list_fields(cls: type[BaseModel]) -> tuple[str, ...]:
    cached = _LIST_FIELDS.get(cls)
    if cached is None:
        cached = tuple(
            name
            for name, info in cls.model_fields.items()
            if typing.get_origin(info.annotation) is list
            or (
                typing.get_origin(info.annotation) is Annotated
                and typing.get_origin(typing.get_args(info.annotation)[0]) is list
            )
        )
        _LIST_FIELDS[cls] = cached
    return cached


_LIST_FIELDS: dict[type[BaseModel], tuple[str, ...]] = {}


def _optional_fields(cls: type[BaseModel]) -> frozenset[str]:
    cached = _OPTIONAL_FIELDS.get(cls)
    if cached is None:
        cached = frozenset(name for name, info in cls.model_fields.items() if not info.is_required())
        _OPTIONAL_FIELDS[cls] = cached
    return cached


_OPTIONAL_FIELDS: dict[type[BaseModel], frozenset[str]] = {}


class Entity(Base):
    id: Id


# ---------------------------------------------------------------- format versions

_reading: ContextVar[str | None] = ContextVar("dossier_schema_version", default=None)


@contextmanager
def reading_version(version: Any) -> Iterator[None]:
    """While a dossier of this schema_version is validated, fields newer than it are refused
    (an unknown version is refused by its own field and gates nothing)."""
    token = _reading.set(version if version in SCHEMA_VERSIONS else None)
    try:
        yield
    finally:
        _reading.reset(token)


def since(version: str, field: str, value: Any) -> Any:
    """`value` of `field` as it is, or a ValueError when the dossier being read is older than
    `version` (the field's error, so it is located at the field)."""
    reading = _reading.get()
    if reading is not None and SCHEMA_VERSIONS.index(reading) < SCHEMA_VERSIONS.index(version):
        raise Invalid(message("format_field", field=field, version=version, reading=reading))
    return value


def since_value(version: str, field: str, value: Any) -> Any:
    """`value` of `field` as it is, or an error located at the field when the value exists only
    from format `version` on and the dossier being read is older."""
    reading = _reading.get()
    if reading is not None and SCHEMA_VERSIONS.index(reading) < SCHEMA_VERSIONS.index(version):
        raise Invalid(
            message("format_value", value=str(value), field=field, version=version, reading=reading)
        )
    return value


def since_extra(version: str) -> dict[str, Any]:
    """The JSON Schema mark of a field that exists from `version` on."""
    return {SINCE_MARK: version}


def until(version: str, field: str, value: Any, instead: str) -> Any:
    """`value` of `field` as it is, or the field's error when the dossier being read is of
    `version` or later, which writes `instead` in its place (null, no value, is absent in any)."""
    reading = _reading.get()
    if (
        value is not None
        and reading is not None
        and SCHEMA_VERSIONS.index(reading) >= SCHEMA_VERSIONS.index(version)
    ):
        raise Invalid(message("field_until", field=field, version=version, instead=instead))
    return value


def until_extra(version: str) -> dict[str, Any]:
    """The JSON Schema mark of a field that a format `version` no longer has."""
    return {UNTIL_MARK: version}
