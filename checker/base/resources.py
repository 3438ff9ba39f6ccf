"""Where the bundled rule pack and schemas are, installed or in a source tree."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent


def _data(name: str) -> Path:
    installed = _PACKAGE / "_data" / name  # a wheel carries them inside the package
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name  # a source tree or an editable install


def rules_dir() -> Path:
    return _data("rules")


def schemas_dir() -> Path:
    return _data("schemas")


def examples_dir() -> Path:
    """The bundled example dossiers (bases of the bundled rule test cases)."""
    return _data("examples")
