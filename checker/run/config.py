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
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from checker.base.errors import InputError, Problem, did_you_mean
from checker.model.common import Date

YAML_NAMES = (".cgt-check.yaml", ".cgt-check.yml")
PYPROJECT = "pyproject.toml"
PATH_KEYS = ("rules", "justifications", "baseline", "output")


class ConfigModel(BaseModel):
    """What a configuration file may set: the `check` options, by their long names."""

    model_config = ConfigDict(extra="forbid", strict=True, frozen=True, defer_build=True)  # built if used

    format: list[str] | None = None
    output: list[str] | None = None
    fail_on: Literal["error", "warning", "info", "never"] | None = Field(None, alias="fail-on")
    lang: Literal["en", "zh"] | None = None
    as_of: Date | None = Field(None, alias="as-of")
    select: list[str] | None = None
    ignore: list[str] | None = None
    rules: list[str] | None = None
    justifications: list[str] | None = None
    no_justifications: bool | None = Field(None, alias="no-justifications")
    baseline: str | None = None
    max_file_size: int | None = Field(None, alias="max-file-size", ge=1)

    @field_validator("format", "output", "select", "ignore", "rules", "justifications", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    @field_validator("format")
    @classmethod
    def _known_formats(cls, value: list[str] | None) -> list[str] | None:
        from checker.report.formats import FORMATS

        for name in value or []:
            if name not in FORMATS:
                raise ValueError(f"unknown format '{name}'{did_you_mean(name, list(FORMATS))}")
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
            if (directory / name).is_file():
                return directory / name
        pyproject = directory / PYPROJECT
        if pyproject.is_file() and _pyproject_section(pyproject) is not None:
            return pyproject
    return None


_SECTION = re.compile(r"^\s*\[\s*tool\s*\.\s*[\"']?cgt-check[\"']?\s*\]", re.MULTILINE)


def _pyproject_section(path: Path) -> dict[str, Any] | None:
    """Our section of a pyproject.toml; None if it has none. A pyproject.toml that does not parse
    is an error only if it mentions cgt-check (it is otherwise not ours to judge)."""
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        if "cgt-check" not in text:
            return None
        m = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(m.group(1)), int(m.group(2))) if m else (1, 1)
        raise InputError(
            f"{path}: invalid TOML", [Problem(str(path), line, column, f"invalid TOML: {exc}")]
        ) from None
    section = data.get("tool", {}).get("cgt-check")
    return section if isinstance(section, dict) else None


def _pyproject_lines(path: Path) -> dict[str, int]:
    """The line of each key of our section, for located errors."""
    lines: dict[str, int] = {}
    inside = False
    for n, text in enumerate(path.read_text("utf-8").splitlines(), start=1):
        if text.lstrip().startswith("["):
            inside = bool(_SECTION.match(text))
            continue
        m = re.match(r"\s*[\"']?([A-Za-z0-9_-]+)[\"']?\s*=", text)
        if inside and m:
            lines.setdefault(m.group(1), n)
    return lines


def load(path: Path) -> Config:
    display = str(path)
    if path.name == PYPROJECT:
        raw: Any = _pyproject_section(path)
        if raw is None:
            raise InputError(
                f"{display}: no configuration",
                [Problem(display, 1, 1, "no [tool.cgt-check] section (or the file cannot be read)")],
            )
        prefix = "[tool.cgt-check] "
        lines: dict[str, int] = _pyproject_lines(path)
    else:
        from checker.load.yamlio import load_yaml, read_limited

        located = load_yaml(read_limited(display), display)
        raw = located.data if located.data is not None else {}
        prefix = ""
        lines = {str(k[0]): m.line for k, m in located.key_marks.items() if len(k) == 1}
    if not isinstance(raw, dict):
        raise InputError(
            f"{display}: not a mapping", [Problem(display, 1, 1, f"{prefix}must be a mapping of options")]
        )
    try:
        model = ConfigModel.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            key = str(err["loc"][0]) if err["loc"] else ""
            if err["type"] == "extra_forbidden":
                options = [f.alias or n for n, f in ConfigModel.model_fields.items()]
                msg = f"unknown option{did_you_mean(key, options)}"
            elif err["type"] == "value_error":
                msg = str(err.get("ctx", {}).get("error", err["msg"]))
            else:
                msg = err["msg"]
            problems.append(Problem(display, lines.get(key, 1), 1, f"{prefix}{key}: {msg}"))
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
