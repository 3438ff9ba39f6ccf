"""Configuration files: `.cgt-check.yaml` (or `.cgt-check.yml`), or `[tool.cgt-check]` in
`pyproject.toml`, found by walking up from the working directory; the nearest file that has a
configuration wins (a pyproject.toml without the section is passed over). Options given on the
command line override it. Relative paths in a configuration are relative to its file.

    # .cgt-check.yaml
    fail-on: warning
    lang: zh
    as-of: 2026-06-01
    select: [ind, nda]
    ignore: [pre-ind-meeting]
    rules: [rules/house]
    justifications: [justifications.yaml]
    baseline: cgt-check-baseline.json
    max-file-size: 10000000
    format: [text, sarif]
    output: ["-", cgt-check.sarif]
    dossiers: ["submissions/**/*.yaml"]  # for the language server: which YAML files are dossiers
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker.base import limits
from checker.base.errors import InputError, Invalid, Problem, suggestion
from checker.base.i18n import message, verbatim
from checker.base.literals import FailOn, Lang
from checker.load.files import read_limited
from checker.load.located import Located, Mark
from checker.load.problems import ModelError, model_errors
from checker.model.common import Date
from checker.model.introspect import mapping_keys

YAML_NAMES = (".cgt-check.yaml", ".cgt-check.yml")
PYPROJECT = "pyproject.toml"
PATH_KEYS = ("rules", "justifications", "baseline", "output")


class ConfigModel(BaseModel):
    """What a configuration file may set: the `check` options, by their long names."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)  # built if used

    format: list[str] | None = None
    output: list[str] | None = None
    fail_on: FailOn | None = Field(None, alias="fail-on")
    lang: Lang | None = None
    as_of: Date | None = Field(None, alias="as-of")
    select: list[str] | None = None
    ignore: list[str] | None = None
    rules: list[str] | None = None
    justifications: list[str] | None = None
    no_justifications: bool | None = Field(None, alias="no-justifications")
    baseline: str | None = None
    max_file_size: int | None = Field(None, alias="max-file-size", ge=1, le=limits.MAX_FILE_BYTES_CEILING)
    # Not an option of `check` (it is given its files): globs, relative to the configuration's
    # directory, of the YAML files the language server checks as dossiers besides those that say
    # they are one (the schema comment or `schema_version`).
    dossiers: list[str] | None = None

    @field_validator(
        "format", "output", "select", "ignore", "rules", "justifications", "dossiers", mode="before"
    )
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("format")
    @classmethod
    def _known_formats(cls, value: list[str] | None) -> list[str] | None:
        from checker.report.formats import FORMATS

        for name in value or []:
            if name not in FORMATS:
                raise Invalid(message("unknown_format", name=name, hint=suggestion(name, list(FORMATS))))
        return value


@dataclass(frozen=True)
class Config:
    file: str | None  # where it came from; None: no configuration found
    values: dict[str, Any] = field(default_factory=dict)  # option name (fail_on, ...) -> value

    def get(self, name: str) -> Any:
        return self.values.get(name)


def discover(start: Path) -> Path | None:
    """The nearest configuration file at or above `start`."""
    for directory in (start, *start.parents):
        for name in YAML_NAMES:
            if os.path.lexists(directory / name):  # not a regular file: an error when it is read
                return directory / name
        pyproject = directory / PYPROJECT
        if os.path.lexists(pyproject) and (
            not pyproject.is_file() or _pyproject_section(pyproject) is not None
        ):
            return pyproject
    return None


_SECTION = re.compile(r"^\s*\[\s*tool\s*\.\s*[\"']?cgt-check[\"']?\s*\]", re.MULTILINE)


def _pyproject_text(path: Path) -> str | None:
    """A pyproject.toml's text (a regular file, bounded: else an error, as for every input);
    None if it is not UTF-8 and does not mention cgt-check (it is then not ours to judge)."""
    raw = read_limited(path, limits.MAX_SIDE_FILE_BYTES)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if b"cgt-check" not in raw:
            return None
        said = message("encoding_invalid_byte", byte=verbatim(f"0x{raw[exc.start]:02x}"))
        line = raw.count(b"\n", 0, exc.start) + 1
        raise InputError(f"{path}: not UTF-8", [Problem(str(path), line, 1, said)]) from None


def _pyproject_section(path: Path, text: str | None = None) -> dict[str, Any] | None:
    """Our section of a pyproject.toml; None if it has none. A pyproject.toml that does not parse
    is an error only if it mentions cgt-check (it is otherwise not ours to judge)."""
    text = _pyproject_text(path) if text is None else text
    if text is None:
        return None
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError, ValueError) as exc:
        if "cgt-check" not in text:
            return None
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        detail = str(exc) if isinstance(exc, tomllib.TOMLDecodeError) else type(exc).__name__
        said = message("invalid_toml", detail=verbatim(detail))
        raise InputError(f"{path}: invalid TOML", [Problem(str(path), line, column, said)]) from None
    section = data.get("tool", {}).get("cgt-check")
    return section if isinstance(section, dict) else None


_TOML_KEY = re.compile(r"(\s*)[\"']?([A-Za-z0-9_-]+)[\"']?\s*=\s*")


def _pyproject_located(text: str, section: dict[str, Any]) -> Located:
    """Our section with where its header, each key and each key's value are, for located errors."""
    marks: dict[tuple[str | int, ...], Mark] = {}
    key_marks: dict[tuple[str | int, ...], Mark] = {}
    inside = False
    for n, line in enumerate(text.splitlines(), start=1):
        if line.lstrip().startswith("["):
            inside = bool(_SECTION.match(line))
            if inside:
                marks.setdefault((), Mark(n, len(line) - len(line.lstrip()) + 1))
            continue
        m = _TOML_KEY.match(line)
        if inside and m and (m.group(2),) not in key_marks:
            key_marks[(m.group(2),)] = Mark(n, m.end(1) + 1)
            marks[(m.group(2),)] = Mark(n, m.end() + 1)
    return Located(section, marks, key_marks)


def _problem(display: str, prefix: str, error: ModelError) -> Problem:
    """A configuration's problem names its option first, as the option is written."""
    key = str(error.path[0]) if error.path else ""
    if error.kind == "extra_forbidden":
        said = message("unknown_option", hint=suggestion(key, mapping_keys(ConfigModel)))
    else:
        said = error.said()
    return Problem(
        display, error.line, error.column, message("config_option", option=f"{prefix}{key}", message=said)
    )


def load(path: Path) -> Config:
    display = str(path)
    if path.name == PYPROJECT:
        text = _pyproject_text(path) or ""
        raw: Any = _pyproject_section(path, text)
        if raw is None:
            raise InputError(
                f"{display}: no configuration",
                [Problem(display, 1, 1, message("no_config_section"))],
            )
        prefix = "[tool.cgt-check] "
        located = _pyproject_located(text, raw)
    else:
        from checker.load.yamlio import load_yaml

        located = load_yaml(read_limited(display, limits.MAX_SIDE_FILE_BYTES), display)
        raw = located.data if located.data is not None else {}
        prefix = ""
    if not isinstance(raw, dict):
        m = located.mark_for(())
        raise InputError(
            f"{display}: not a mapping",
            [Problem(display, m.line, m.column, message("config_not_mapping", prefix=prefix))],
        )
    try:
        model = ConfigModel.model_validate(raw)
    except ValidationError as exc:
        problems = [_problem(display, prefix, e) for e in model_errors(located, exc, ConfigModel)]
        raise InputError(f"{display}: invalid configuration", problems) from None
    base = path.parent
    values: dict[str, Any] = {}
    for name, value in model.model_dump(exclude_none=True).items():
        if name in PATH_KEYS:
            value = [_relative(base, v) for v in value] if isinstance(value, list) else _relative(base, value)
        values[name] = value
    return Config(display, values)


def _relative(base: Path, value: str) -> str:
    """A path from a configuration file, made relative to the working directory where it can be."""
    if value == "-" or Path(value).is_absolute():
        return value
    target = Path(os.path.normpath(base.resolve() / value))
    try:
        return str(target.relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(target)


def find(start: Path, explicit: str | None = None, disabled: bool = False) -> Config:
    if disabled:
        return Config(None)
    if explicit is not None:
        return load(Path(explicit))
    found = discover(start)
    return load(found) if found else Config(None)
