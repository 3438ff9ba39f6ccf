"""Output formats: one module per format, each writing a report as UTF-8 bytes with
`write(source, lang, out)`, in a registry.

Every format writes the same `checker.report.result.Report`; none reads files, the clock or the
environment, so the same input and the same as-of date give byte-identical output. A format that
streams also takes a `checker.report.stream.ReportStream` and writes as its results come; any
other format given a stream collects it first. A format's module is imported only when it is used
(the HTML format needs Jinja2).

No format writes a control, bidirectional or zero-width character from an input raw
(`checker.base.escape`): a JSON format's text has each as a JSON escape (the same value), every
other format is given the report with each shown as its escape (`\\u202e`), so that a file name
with a line break can never forge a report line."""

from __future__ import annotations

import importlib
import io
from dataclasses import dataclass
from typing import BinaryIO

from checker.base.escape import json_safe, printable_fields
from checker.report.result import Report
from checker.report.stream import ReportStream, collect


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # checker.report.formats.<module> defines write(source, lang, out) -> None
    suffix: str  # the usual file name ending
    description: str
    streams: bool = False  # its write takes a ReportStream too, and holds no result
    json: bool = False  # it writes JSON: its text is escaped, not the report given to it

    def write(self, source: Report | ReportStream, lang: str, out: BinaryIO) -> None:
        """Write the report of `source` to `out`, in UTF-8."""
        if isinstance(source, ReportStream) and not self.streams:
            source = collect(source)
        module = importlib.import_module(f"checker.report.formats.{self.module}")
        if self.json:
            buffer = io.BytesIO()
            module.write(source, lang, buffer)
            out.write(json_safe(buffer.getvalue().decode("utf-8")).encode("utf-8"))
        else:
            module.write(_printable(source), lang, out)

    def render(self, report: Report, lang: str) -> str:
        """The report as text: what write gives, decoded."""
        buffer = io.BytesIO()
        self.write(report, lang, buffer)
        return buffer.getvalue().decode("utf-8")


def _printable(source: Report | ReportStream) -> Report | ReportStream:
    """The report with every text from an input made printable (see checker.base.escape)."""
    if isinstance(source, Report):
        return printable_fields(source)
    items = (printable_fields(item) for item in source.items)
    return ReportStream(
        printable_fields(source.provenance),
        lambda: printable_fields(source.catalogue()),
        items,
        lambda: printable_fields(source.trailer()),
    )


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "text", ".txt", "one line per finding (file:line:col), then a summary", streams=True),
        Format("json", "json_report", ".json", "the full report (schemas/report.schema.json)", json=True),
        Format("sarif", "sarif", ".sarif", "SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs)", json=True),
        Format("junit", "junit", ".xml", "JUnit XML: a test case per dossier and requirement"),
        Format("github", "github", ".txt", "GitHub Actions workflow commands (annotations)"),
        Format("markdown", "markdown", ".md", "Markdown for pull-request comments and wikis"),
        Format("html", "html", ".html", "a self-contained HTML report, printable on A4"),
    )
}
