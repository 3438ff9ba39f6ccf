"""Output formats: one module per format, each a pure render(report, lang) -> str."""

from __future__ import annotations

from collections.abc import Callable

from checker.formats import json_report, text
from checker.result import Report

Renderer = Callable[[Report, str], str]

FORMATS: dict[str, Renderer] = {
    "text": text.render,
    "json": json_report.render,
}
