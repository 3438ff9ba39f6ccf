"""The terminal format: `file:line:col severity rule-id [requirement] message`, then a summary, with
a baseline how the run compares with it and each finding it counts as fixed, and the provenance
(checker, rule pack and its hash, as-of date)."""

from __future__ import annotations

from typing import BinaryIO

from checker.base import i18n
from checker.report.formats.labels import (
    baseline_line,
    fixed_text,
    provenance_line,
    stale_text,
    waiver_text,
)
from checker.report.result import (
    BaselineSummary,
    Counts,
    DossierResult,
    Provenance,
    Report,
    StaleJustification,
)
from checker.report.stream import ReportStream, StandardOutput


def summary_line(report: Report, lang: str) -> str:
    return _summary(Counts.of(report), len(report.stale_justifications()), lang)


def _summary(counts: Counts, stale: int, lang: str) -> str:
    by = counts.by_severity
    line = i18n.text(
        "summary_line",
        lang,
        files=counts.dossiers,
        error=by["error"],
        warning=by["warning"],
        info=by["info"],
        invalid=counts.invalid,
    )
    if by["waived"]:
        line += i18n.text("summary_waived", lang, waived=by["waived"])
    if stale:
        line += i18n.text("summary_stale", lang, stale=stale)
    return line


def finding_lines(dossier: DossierResult, lang: str) -> list[str]:
    """One line per finding of one dossier."""
    out = []
    for f in dossier.findings:
        line = f"{f.file}:{f.line}:{f.column} {i18n.text(f.severity, lang)} {f.rule_id} [{f.requirement}] {f.message.get(lang)}"
        line += f" [{waiver_text(f.waiver, lang)}]" if f.waiver else ""
        line += f" [{i18n.text('baselined', lang)}]" if f.baseline == "unchanged" else ""
        out.append(line)
    return out


def _stale_lines(stale: list[StaleJustification], lang: str) -> list[str]:
    return [stale_text(s, lang) for s in stale]


def render(report: Report, lang: str) -> str:
    lines: list[str] = []  # input errors are not part of the report: the CLI prints them to stderr
    for dossier in report.dossiers:
        if not dossier.findings:
            continue
        if lines:
            lines.append("")
        lines.extend(finding_lines(dossier, lang))
    stale = report.stale_justifications()
    if stale:
        if lines:
            lines.append("")
        lines += _stale_lines(stale, lang)
    if lines:
        lines.append("")
    lines.append(summary_line(report, lang))
    lines += _baseline_lines(report, lang)
    lines.append(provenance_line(report.provenance, lang))
    return "\n".join(lines) + "\n"


def _baseline_lines(report: Report, lang: str) -> list[str]:
    """With a baseline: how the run compares with it, then each finding it counts as fixed."""
    compared = baseline_line(report, lang)
    if compared is None or report.baseline is None:
        return []
    return [compared, *(fixed_text(e, lang) for e in report.baseline.fixed)]


def write(source: Report | ReportStream, lang: str, out: BinaryIO) -> None:
    """The text report to `out`; a stream is written as its results come, none held. A streamed
    report also lists the input errors, in order, so that a report file is complete on its own;
    on StandardOutput they are left to standard error, beside it."""
    if isinstance(source, Report):
        out.write(render(source, lang).encode("utf-8"))
        return
    listed = not isinstance(out, StandardOutput)
    stream = TextStream(lang)
    for item in source.items:
        if isinstance(item, DossierResult):
            text = stream.feed(item)
            if text:
                out.write(text.encode("utf-8"))
        elif listed:
            out.write((item.render(lang) + "\n").encode("utf-8"))
    trailer = source.trailer()
    tail = stream.finish(
        source.provenance, source.counts, trailer.stale_file_justifications, trailer.baseline
    )
    out.write(tail.encode("utf-8"))


class TextStream:
    """The text report written as results arrive, without holding them: feed() each dossier's
    result in input order; finish() returns the rest, with the counts of every item. The
    concatenated text is exactly render() of the whole report."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self._stale: list[StaleJustification] = []  # only a dossier's unused justifications
        self._any = False

    def feed(self, dossier: DossierResult) -> str:
        self._stale.extend(dossier.stale_justifications)
        if not dossier.findings:
            return ""
        text = ("\n" if self._any else "") + "\n".join(finding_lines(dossier, self.lang)) + "\n"
        self._any = True
        return text

    def finish(
        self,
        provenance: Provenance,
        counts: Counts,
        stale_files: tuple[StaleJustification, ...] = (),
        baseline: BaselineSummary | None = None,
    ) -> str:
        stale = self._stale + list(stale_files)
        lines: list[str] = []
        if stale:
            if self._any:
                lines.append("")
            lines += _stale_lines(stale, self.lang)
        if self._any or stale:
            lines.append("")
        lines.append(_summary(counts, len(stale), self.lang))
        lines += _baseline_lines(Report(provenance, (), baseline=baseline), self.lang)
        lines.append(provenance_line(provenance, self.lang))
        return "\n".join(lines) + "\n"
