"""The terminal format: file:line:col severity rule-id [requirement] message, then a summary."""

from __future__ import annotations

from checker.result import SEVERITY_ORDER, DossierResult, Report

_SUMMARY = {
    "en": "{files} dossier(s) checked: {error} error(s), {warning} warning(s), {info} info; {invalid} input error(s)",
    "zh": "已检查 {files} 份申报资料：错误 {error} 个，警告 {warning} 个，提示 {info} 个；输入错误 {invalid} 个",
}


def dossier_lines(dossier: DossierResult, lang: str) -> list[str]:
    """One line per finding of one dossier."""
    return [
        f"{f.file}:{f.line}:{f.column} {f.severity} {f.rule_id} [{f.requirement}] {f.message.get(lang)}"
        for f in dossier.findings
    ]


def summary_line(files: int, invalid: int, counts: dict[str, int], lang: str) -> str:
    return _SUMMARY["zh" if lang == "zh" else "en"].format(files=files, invalid=invalid, **counts)


def render(report: Report, lang: str) -> str:
    lines: list[str] = []  # input errors are not part of the report: the CLI prints them to stderr
    for dossier in report.dossiers:
        if not dossier.findings:
            continue
        if lines:
            lines.append("")
        lines.extend(dossier_lines(dossier, lang))
    if not lines and not report.errors:
        return ""
    if lines:
        lines.append("")
    lines.append(summary_line(len(report.dossiers), len(report.errors), report.counts(), lang))
    return "\n".join(lines) + "\n"


class TextStream:
    """The text report written as results arrive: the same text as render(), without holding
    the results. feed() each result in order; finish() returns the summary (or "")."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.files = 0
        self.invalid = 0
        self.counts = dict.fromkeys(SEVERITY_ORDER, 0)
        self._any = False

    def error(self) -> None:
        self.invalid += 1

    def feed(self, dossier: DossierResult) -> str:
        self.files += 1
        for f in dossier.findings:
            self.counts[f.severity] += 1
        if not dossier.findings:
            return ""
        text = ("\n" if self._any else "") + "\n".join(dossier_lines(dossier, self.lang)) + "\n"
        self._any = True
        return text

    def finish(self) -> str:
        if not self._any and not self.invalid:
            return ""
        return (
            ("\n" if self._any else "")
            + summary_line(self.files, self.invalid, self.counts, self.lang)
            + "\n"
        )
