"""Output formats: one module per format, each writing a report as bytes (UTF-8 text, or a binary
file such as a workbook) with `write(source, lang, out)`, in a registry; a format that needs the
run's `Options` (the --fail-on gate, the Markdown's length) takes them as a fourth argument.

Every format writes the same `checker.report.result.Report`; none reads files, the clock or the
environment, so the same input and the same as-of date give byte-identical output. A format that
streams also takes a `checker.report.stream.ReportStream` and writes as its results come; any
other format given a stream collects it first. A format's module is imported only when it is used
(the HTML format needs Jinja2, the workbook XlsxWriter).

No format writes a control, bidirectional or zero-width character from an input raw
(`checker.base.escape`): a JSON format's text has each as a JSON escape (the same value), every
other format is given the report with each shown as its escape (`\\u202e`), so that a file name
with a line break can never forge a report line."""

from __future__ import annotations

import importlib
import importlib.util
import io
from dataclasses import dataclass, replace
from typing import Any, BinaryIO

from checker.base.errors import UsageError
from checker.base.escape import json_safe, printable_fields
from checker.base.i18n import message
from checker.report.formats.options import MARKDOWN_LIMIT, Options
from checker.report.result import DossierResult, Report, RequirementResult
from checker.report.spill import Mapped
from checker.report.stream import ReportStream, close_spill, spill


@dataclass(frozen=True)
class Format:
    name: str
    module: str  # checker.report.formats.<module> defines write(source, lang, out[, options]) -> None
    suffix: str  # the usual file name ending
    description: str
    streams: bool = False  # its write takes a ReportStream too, and holds no result
    options: bool = False  # its write takes the run's Options too
    binary: bool = False  # bytes that are not text (never written to a terminal)
    needs: tuple[str, str] | None = None  # (module, extra): a library installed only with that extra
    json: bool = False  # it writes JSON: its text is escaped, not the report given to it

    def ready(self, to_terminal: bool = False) -> None:
        """Refuse, before a check starts, what the format cannot write: a binary report to a
        terminal, or a report whose library is not installed (saying how to install it)."""
        if self.binary and to_terminal:
            raise UsageError(message("binary_to_terminal", format=self.name, suffix=self.suffix))
        if self.needs is not None and importlib.util.find_spec(self.needs[0]) is None:
            module, extra = self.needs
            raise UsageError(message("format_needs_extra", format=self.name, module=module, extra=extra))

    def write(
        self, source: Report | ReportStream, lang: str, out: BinaryIO, options: Options | None = None
    ) -> None:
        """Write the report of `source` to `out`."""
        spilled = isinstance(source, ReportStream) and not self.streams
        if isinstance(source, ReportStream) and not self.streams:
            # the results in a temporary file, read back as written; made printable before
            # they are kept, once, however many times the format goes over them
            source = spill(source if self.json else _printable_stream(source))
        try:
            module = importlib.import_module(f"checker.report.formats.{self.module}")
            extra = (options or Options(),) if self.options else ()
            if self.json:
                module.write(source, lang, _JsonSafe(out), *extra)
            else:
                module.write(source if spilled else _printable(source), lang, out, *extra)
        finally:
            if spilled and isinstance(source, Report):
                close_spill(source)

    def render(self, report: Report, lang: str, options: Options | None = None) -> str:
        """The report as text: what write gives, decoded (a binary format has no text)."""
        if self.binary:
            raise ValueError(f"the {self.name} format is binary: write it to a file")
        buffer = io.BytesIO()
        self.write(report, lang, buffer, options)
        return buffer.getvalue().decode("utf-8")

    def bytes(self, report: Report, lang: str, options: Options | None = None) -> bytes:
        """The report's bytes, as write gives them."""
        buffer = io.BytesIO()
        self.write(report, lang, buffer, options)
        return buffer.getvalue()


class _JsonSafe(io.RawIOBase):
    """A JSON format's destination: each piece of UTF-8 JSON text written with the characters a
    report may not carry raw as JSON escapes (`checker.base.escape.json_safe`), as it comes.
    Each piece a format writes is whole JSON text: no character is split between two writes."""

    def __init__(self, out: BinaryIO) -> None:
        super().__init__()
        self._out = out

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        text = bytes(data).decode("utf-8")
        self._out.write(json_safe(text).encode("utf-8"))
        return len(data)


def _printable(source: Report | ReportStream) -> Report | ReportStream:
    """The report with every text from an input made printable (see checker.base.escape)."""
    if isinstance(source, Report):
        if isinstance(source.dossiers, tuple):
            return printable_fields(source)
        rest = printable_fields(replace(source, dossiers=()))  # the results as they are read
        return replace(rest, dossiers=Mapped(source.dossiers, printable_fields))
    return _printable_stream(source)


def _printable_stream(source: ReportStream) -> ReportStream:
    items = map(_SharedMatrices().printable, source.items)
    return ReportStream(
        printable_fields(source.provenance),
        lambda: printable_fields(source.catalogue()),
        items,
        lambda: printable_fields(source.trailer()),
        printable_fields(source.cover),
    )


Matrix = tuple[RequirementResult, ...]


class _SharedMatrices:
    """Results made printable with their requirement matrices still shared: a matrix that
    needs escaping is escaped once, and the dossiers that shared it share the escaped one
    (each original kept alive here, so its id stays its own)."""

    _MAX = 1 << 10

    def __init__(self) -> None:
        self._kept: dict[int, tuple[Matrix, Matrix]] = {}

    def printable(self, item: Any) -> Any:
        if not isinstance(item, DossierResult):
            return printable_fields(item)
        matrix = item.requirements
        kept = self._kept.get(id(matrix))
        if kept is None or kept[0] is not matrix:
            if len(self._kept) >= self._MAX:
                self._kept.clear()
            kept = self._kept[id(matrix)] = (matrix, printable_fields(matrix))
        if kept[1] is matrix:
            return printable_fields(item)  # the matrix needs nothing: looked at once, shared
        return replace(printable_fields(replace(item, requirements=())), requirements=kept[1])


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("text", "text", ".txt", "one line per finding (file:line:col), then a summary", streams=True),
        Format("json", "json_report", ".json", "the full report (schemas/report.schema.json)", json=True),
        Format("sarif", "sarif", ".sarif", "SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs)", json=True),
        Format(
            "junit",
            "junit",
            ".xml",
            "JUnit XML: a test case per dossier and requirement, failed at --fail-on",
            options=True,
        ),
        Format("github", "github", ".txt", "GitHub Actions workflow commands (annotations)"),
        Format(
            "markdown",
            "markdown",
            ".md",
            "Markdown for pull-request comments and wikis (at most 65,536 characters unless --markdown-full)",
            options=True,
        ),
        Format("html", "html", ".html", "a self-contained HTML report, printable on A4"),
        Format(
            "xlsx",
            "xlsx",
            ".xlsx",
            "an Excel workbook to work the findings through (needs the xlsx extra)",
            streams=True,
            options=True,
            binary=True,
            needs=("xlsxwriter", "xlsx"),
        ),
    )
}

__all__ = ["FORMATS", "MARKDOWN_LIMIT", "TEXT_FORMATS", "Format", "Options"]

TEXT_FORMATS: tuple[str, ...] = tuple(name for name, f in FORMATS.items() if not f.binary)
"""The formats whose bytes are UTF-8 text (`render` gives them as a string)."""
