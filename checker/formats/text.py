"""The terminal format: `file:line:col severity rule-id [requirement] message`, then a summary and
the provenance (checker, rule pack and its hash, as-of date)."""

from __future__ import annotations

from checker.formats.labels import label, provenance_line
from checker.result import Report

_SUMMARY = {
    "en": "{files} dossier(s) checked: {error} error(s), {warning} warning(s), {info} info; {invalid} input error(s)",
    "zh": "已检查 {files} 份申报资料：错误 {error} 个，警告 {warning} 个，提示 {info} 个；输入错误 {invalid} 个",
}


def summary_line(report: Report, lang: str) -> str:
    return _SUMMARY["zh" if lang == "zh" else "en"].format(
        files=len(report.dossiers), invalid=len(report.errors), **report.counts()
    )


def render(report: Report, lang: str) -> str:
    lines: list[str] = []  # input errors are not part of the report: the CLI prints them to stderr
    for dossier in report.dossiers:
        if not dossier.findings:
            continue
        if lines:
            lines.append("")
        for f in dossier.findings:
            lines.append(
                f"{f.file}:{f.line}:{f.column} {label(f.severity, lang)} {f.rule_id} [{f.requirement}] {f.message.get(lang)}"
            )
    if lines:
        lines.append("")
    lines.append(summary_line(report, lang))
    lines.append(provenance_line(report.provenance, lang))
    return "\n".join(lines) + "\n"
