"""Output formats: one module per format, each a pure `render(report, lang) -> str`, in a registry.

Every format renders the same `checker.report.result.Report`; none reads files, the clock or the
environment, so the same input and the same as-of date give byte-identical output. A format's
module is imported only when it is used (the HTML format needs Jinja2)."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from checker.report.result import Report


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # checker.formats.<module> defines render(report, lang) -> str
    suffix: str  # the usual file name ending
    description: str

    def render(self, report: Report, lang: str) -> str:
        renderer = importlib.import_module(f"checker.report.formats.{self.module}").render
        out: str = renderer(report, lang)
        return out


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "text", ".txt", "one line per finding (file:line:col), then a summary"),
        Format("json", "json_report", ".json", "the full report (schemas/report.schema.json)"),
        Format("sarif", "sarif", ".sarif", "SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs)"),
        Format("junit", "junit", ".xml", "JUnit XML: a test case per dossier and requirement"),
        Format("github", "github", ".txt", "GitHub Actions workflow commands (annotations)"),
        Format("markdown", "markdown", ".md", "Markdown for pull-request comments and wikis"),
        Format("html", "html", ".html", "a self-contained HTML report, printable on A4"),
    )
}
