"""An Excel workbook for reviewers and consultants (XlsxWriter, the `xlsx` extra), in one
language, for any number of dossiers:

- Summary: the provenance (checker, rule pack, its SHA-256, rule selection, as-of date, language,
  gate), then each dossier's counts by severity, its failed requirements and its verdict at
  --fail-on, and the totals;
- Requirement matrix: a row per dossier, a column per requirement, each cell its status,
  coloured by it (the portfolio's weak requirements at a glance; with several dossiers the
  workbook opens on it);
- Findings: a row per finding, as in the JSON report, with empty Owner, Response and Review
  status columns to work the list;
- Rules: the pack's rules with their requirements, sources and remediation;
- Input errors: the files that could not be checked;
- Justifications (when any finding is justified or a justification is stale) and Baseline (with
  --baseline: how the run compares with it, and the findings it counts as fixed).

Every sheet's header is frozen and filtered, its columns as wide as their text (a CJK
character counts twice). The workbook is written as a check's results come (XlsxWriter's
constant-memory mode: a row is on disk once the next one starts), so memory does not grow with
the number of dossiers; its document dates are the as-of date, so the same input and as-of date
give the same bytes. Text is never a formula (see checker.report.formats.xlsx_sheet)."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any, BinaryIO

from checker.base import i18n
from checker.base.errors import Problem, UsageError
from checker.base.i18n import message
from checker.report.formats.labels import citation_text, product_name, quote_text, waiver_text
from checker.report.formats.options import Options
from checker.report.formats.xlsx_sheet import Sheet, Styles
from checker.report.result import (
    SEVERITY_ORDER,
    BaselineSummary,
    Catalogue,
    Counts,
    DossierResult,
    Finding,
    Provenance,
    Report,
    RequirementResult,
    StaleJustification,
)
from checker.report.stream import ReportStream

COUNTED = (*SEVERITY_ORDER, "waived")
# The columns of the sheets, by their labels' keys.
FINDING_COLUMNS = (
    *("dossier", "requirement", "rule", "severity", "status", "path", "line", "column", "title", "message"),
    *("remediation", "source", "quote", "baseline", "justification", "owner", "response", "review_status"),
)
RULE_COLUMNS = (
    *("requirement", "requirement_title", "rule", "severity", "title", "applies_to", "description"),
    *("remediation", "source", "quote", "tags"),
)
# The columns of long text, which wrap.
WRAPPED = frozenset(
    {"requirement_title", "title", "message", "remediation", "source", "quote", "justification"}
    | {"applies_to", "description", "reason"}
)
JUSTIFICATION_COLUMNS = (
    *("dossier", "target", "path", "status", "reason", "approved_by", "approved_on", "expires"),
    "defined_in",
)
# A matrix cell's fill and font for each status (a failed one by its worst severity).
COLOURS = {
    "passed": ("#C6EFCE", "#006100"),
    "error": ("#FFC7CE", "#9C0006"),
    "warning": ("#FFEB9C", "#9C5700"),
    "info": ("#DDEBF7", "#1F4E78"),
    "waived": ("#E2EFDA", "#375623"),
    "baselined": ("#EDEDED", "#595959"),
    "not-applicable": ("#F2F2F2", "#808080"),
}


def _import_xlsxwriter() -> Any:
    try:
        import xlsxwriter
    except ImportError:
        raise UsageError(
            message("format_needs_extra", format="xlsx", module="xlsxwriter", extra="xlsx")
        ) from None
    return xlsxwriter


def status_text(r: RequirementResult, lang: str) -> str:
    """A matrix cell: the status, and a failed requirement's worst severity."""
    if r.status == "failed" and r.severity:
        return i18n.text("failed_severity", lang, severity=i18n.text(r.severity, lang))
    return i18n.text(r.status, lang)


class Workbook:
    """The workbook being written: open its sheets, add each result as it comes, finish it."""

    def __init__(self, book: Any, provenance: Provenance, catalogue: Catalogue, lang: str, options: Options):
        self.book, self.lang, self.fail_on = book, lang, options.fail_on
        self.provenance = provenance
        self.styles = Styles(book)
        self.requirements = [r.id for r in catalogue.requirements]
        self.counts = Counts()
        self.failed_requirements = 0
        L = self.L
        self.summary = Sheet(
            book,
            self.styles,
            L("summary"),
            [L("dossier"), L("product"), L("modality"), L("stage"), L("sha256")]
            + [L(s) for s in COUNTED]
            + [L("failed_requirements"), i18n.text("verdict_at_gate", lang, fail_on=self.fail_on)],
        )
        self._provenance()
        self.matrix = Sheet(book, self.styles, L("matrix"), [L("dossier"), L("product"), *self.requirements])
        self.matrix.header_line(rotated_from=2)
        self.findings = Sheet(
            book,
            self.styles,
            L("findings"),
            [L(key) for key in FINDING_COLUMNS],
            wrap=[key in WRAPPED for key in FINDING_COLUMNS],
        )
        self.findings.header_line()
        self._rules(catalogue)
        self.errors = Sheet(
            book, self.styles, L("input_errors"), [L("file"), L("line"), L("column"), L("path"), L("message")]
        )
        self.errors.header_line()
        self.justifications: Sheet | None = None

    def L(self, key: str) -> str:
        return i18n.text(key, self.lang)

    def _provenance(self) -> None:
        p, L, sheet = self.provenance, self.L, self.summary
        sheet.ws.write_string(0, 0, L("report_title"), self.styles.title)
        sheet.ws.write_string(1, 0, L("report_scope"), self.styles.plain)  # runs over the cells beside it
        sheet.row = 3
        for label, value in (
            ("checker", f"{p.tool} {p.version}"),
            ("rule_pack", f"{p.rule_pack} {p.rule_pack_version}"),
            ("pack_sha256", p.rule_pack_sha256),
            ("rule_selection", p.rule_selection or L("every_rule")),
            ("as_of", p.as_of.isoformat()),
            ("language", L("language_value")),
            ("gate", i18n.text("gate_value", self.lang, fail_on=self.fail_on)),
        ):
            sheet.line([L(label), value])
        sheet.row += 1
        sheet.header_line()

    def _rules(self, catalogue: Catalogue) -> None:
        L, lang = self.L, self.lang
        titles = {r.id: r.title.get(lang) for r in catalogue.requirements}
        sheet = Sheet(
            self.book,
            self.styles,
            L("rules"),
            [L(key) for key in RULE_COLUMNS],
            wrap=[key in WRAPPED for key in RULE_COLUMNS],
        )
        sheet.header_line()
        for rule in catalogue.rules:
            sheet.line(
                [
                    rule.requirement,
                    titles.get(rule.requirement, ""),
                    rule.id,
                    L(rule.severity),
                    rule.title.get(lang),
                    rule.applies_when.get(lang),
                    rule.description.get(lang),
                    rule.remediation.get(lang),
                    citation_text(rule.citation, lang),
                    quote_text(rule.citation, lang),
                    ", ".join(rule.tags),
                ]
            )
        sheet.finish(freeze_columns=1)

    def add(self, item: DossierResult | Problem) -> None:
        self.counts.add(item)
        if isinstance(item, Problem):
            self.errors.line([item.file, item.line, item.column, item.path, item.text(self.lang)])
        else:
            self._dossier(item)

    def _dossier(self, d: DossierResult) -> None:
        L, lang = self.L, self.lang
        counts = Counts.of_dossier(d).by_severity
        failed = sum(r.status == "failed" for r in d.requirements)
        self.failed_requirements += failed
        fails = any(f.fails(self.fail_on) for f in d.findings)
        self.summary.line(
            [
                d.file,
                product_name(d, lang),
                L(d.modality),
                ", ".join(L(s) for s in d.stages),
                d.sha256,
                *(counts[s] for s in COUNTED),
                failed,
                L("gate_fails" if fails else "gate_passes"),
            ]
        )
        by_id = {r.id: r for r in d.requirements}
        cells = [status_text(by_id[rid], lang) if rid in by_id else None for rid in self.requirements]
        self.matrix.line([d.file, product_name(d, lang), *cells])
        for f in d.findings:
            self._finding(f)
            if f.waiver is not None:
                w = f.waiver
                self._justification(
                    [
                        f.file,
                        w.rule or w.requirement or "",
                        w.path,
                        L("expired" if w.expired else "waived"),
                        w.reason,
                        w.approved_by,
                        w.approved_on.isoformat() if w.approved_on else None,
                        w.expires.isoformat() if w.expires else None,
                        w.source,
                    ]
                )
        for s in d.stale_justifications:
            self._stale(d.file, s)

    def _finding(self, f: Finding) -> None:
        L, lang = self.L, self.lang
        self.findings.line(
            [
                f.file,
                f.requirement,
                f.rule_id,
                L(f.severity),
                L("waived" if f.waived else "failed"),
                f.path,
                f.line,
                f.column,
                f.title.get(lang),
                f.message.get(lang),
                f.remediation.get(lang),
                citation_text(f.citation, lang),
                quote_text(f.citation, lang),
                L(f"baseline_{f.baseline}") if f.baseline else None,
                waiver_text(f.waiver, lang) if f.waiver else None,
            ]
        )

    def _justification(self, cells: list[str | int | None]) -> None:
        if self.justifications is None:
            L = self.L
            self.justifications = Sheet(
                self.book,
                self.styles,
                L("sheet_justifications"),
                [L(key) for key in JUSTIFICATION_COLUMNS],
                wrap=[key in WRAPPED for key in JUSTIFICATION_COLUMNS],
            )
            self.justifications.header_line()
        self.justifications.line(cells)

    def _stale(self, dossier: str, s: StaleJustification) -> None:
        where = f"{s.file}:{s.line}:{s.column}"
        self._justification([dossier, s.target, s.path, self.L("stale"), s.reason, None, None, None, where])

    def finish(self, stale_files: tuple[StaleJustification, ...], baseline: BaselineSummary | None) -> None:
        for s in stale_files:
            self._stale("", s)
        self._totals()
        self._colour_matrix()
        self.findings.finish(freeze_columns=1)
        self.errors.finish()
        if self.justifications is not None:
            self.justifications.finish()
        if baseline is not None:
            self._baseline(baseline)
        if self.counts.dossiers > 1:
            self.matrix.ws.activate()

    def _totals(self) -> None:
        sheet, by = self.summary, self.counts.by_severity
        last = sheet.row - 1
        invalid = i18n.text("input_errors_count", self.lang, n=self.counts.invalid)
        total = i18n.text("total_count", self.lang, n=self.counts.dossiers)
        verdict = self.L("gate_fails" if self.counts.exit_code(self.fail_on) else "gate_passes")
        sheet.line(
            [total, invalid, None, None, None, *(by[s] for s in COUNTED), self.failed_requirements, verdict],
            self.styles.total,
        )
        sheet.finish(freeze_columns=1, last_row=last)

    def _colour_matrix(self) -> None:
        sheet, lang = self.matrix, self.lang
        for col in range(2, sheet.columns):
            sheet.widths[col] = max(sheet.widths[col], 4)
        sheet.finish(freeze_columns=2)
        if sheet.row <= sheet.header_row + 1 or sheet.columns <= 2:
            return
        texts = {
            "passed": i18n.text("passed", lang),
            "waived": i18n.text("waived", lang),
            "baselined": i18n.text("baselined", lang),
            "not-applicable": i18n.text("not-applicable", lang),
        }
        for sev in SEVERITY_ORDER:
            texts[sev] = i18n.text("failed_severity", lang, severity=i18n.text(sev, lang))
        for key, value in texts.items():
            fill, font = COLOURS[key]
            self.matrix.ws.conditional_format(
                sheet.header_row + 1,
                2,
                sheet.row - 1,
                sheet.columns - 1,
                {
                    "type": "cell",
                    "criteria": "==",
                    "value": f'"{value}"',
                    "format": self.book.add_format({"bg_color": fill, "font_color": font}),
                },
            )

    def _baseline(self, b: BaselineSummary) -> None:
        L = self.L
        sheet = Sheet(
            self.book,
            self.styles,
            L("baseline"),
            [L("status"), L("dossier"), L("rule"), L("requirement"), L("path"), L("severity"), L("message")],
            wrap=[False] * 6 + [True],
        )
        line = i18n.text(
            "baseline_line", self.lang, file=b.file, new=b.new, unchanged=b.unchanged, fixed=len(b.fixed)
        )
        sheet.ws.write_string(0, 0, line, self.styles.label)  # runs over the cells beside it
        sheet.row = 2
        sheet.header_line()
        for e in b.fixed:
            sheet.line([L("fixed"), e.file, e.rule_id, e.requirement, e.path, L(e.severity), e.message])
        sheet.finish(freeze_columns=0)


def _items(report: Report) -> Iterator[DossierResult | Problem]:
    yield from report.dossiers
    yield from report.errors


def write(source: Report | ReportStream, lang: str, out: BinaryIO, options: Options | None = None) -> None:
    """The workbook to `out`; a stream is written as its results come, none held."""
    xlsxwriter = _import_xlsxwriter()
    options = options or Options()
    provenance = source.provenance
    with tempfile.TemporaryFile() as package:  # a seekable file: the same bytes wherever they go
        book = xlsxwriter.Workbook(
            package,
            {
                "constant_memory": True,
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        created = dt.datetime.combine(provenance.as_of, dt.time())
        book.set_properties(
            {"title": i18n.text("report_title", lang), "author": provenance.tool, "created": created}
        )
        if isinstance(source, Report):
            workbook = Workbook(book, provenance, source.catalogue, lang, options)
            for item in _items(source):
                workbook.add(item)
            workbook.finish(source.stale_file_justifications, source.baseline)
        else:
            workbook = Workbook(book, provenance, source.catalogue(), lang, options)
            for item in source.items:
                workbook.add(item)
            trailer = source.trailer()
            workbook.finish(trailer.stale_file_justifications, trailer.baseline)
        book.close()
        package.seek(0)
        shutil.copyfileobj(package, out)
