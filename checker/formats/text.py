"""The terminal format: `file:line:col severity rule-id [requirement] message`, then a summary and
the provenance (checker, rule pack and its hash, as-of date)."""

from __future__ import annotations

from checker.formats.labels import baseline_line, label, provenance_line, stale_text, waiver_text
from checker.result import Report

_SUMMARY = {
    "en": "{files} dossier(s) checked: {error} error(s), {warning} warning(s), {info} info; {invalid} input error(s)",
    "zh": "已检查 {files} 份申报资料：错误 {error} 个，警告 {warning} 个，提示 {info} 个；输入错误 {invalid} 个",
}
_WAIVED = {"en": "; {waived} waived", "zh": "；已豁免 {waived} 个"}
_STALE = {"en": "; {stale} stale justification(s)", "zh": "；未对应任何问题的豁免说明 {stale} 个"}


def summary_line(report: Report, lang: str) -> str:
    key = "zh" if lang == "zh" else "en"
    counts = report.counts()
    stale = len(report.stale_justifications())
    line = _SUMMARY[key].format(files=len(report.dossiers), invalid=len(report.errors), **counts)
    if counts["waived"]:
        line += _WAIVED[key].format(waived=counts["waived"])
    if stale:
        line += _STALE[key].format(stale=stale)
    return line


def render(report: Report, lang: str) -> str:
    lines: list[str] = []  # input errors are not part of the report: the CLI prints them to stderr
    for dossier in report.dossiers:
        if not dossier.findings:
            continue
        if lines:
            lines.append("")
        for f in dossier.findings:
            line = f"{f.file}:{f.line}:{f.column} {label(f.severity, lang)} {f.rule_id} [{f.requirement}] {f.message.get(lang)}"
            line += f" [{waiver_text(f.waiver, lang)}]" if f.waiver else ""
            line += f" [{label('baselined', lang)}]" if f.baseline == "unchanged" else ""
            lines.append(line)
    stale = report.stale_justifications()
    if stale:
        if lines:
            lines.append("")
        lines += [f"{stale_text(s, lang)} ({label('stale_justifications', lang)})" for s in stale]
    if lines:
        lines.append("")
    lines.append(summary_line(report, lang))
    compared = baseline_line(report, lang)
    if compared:
        lines.append(compared)
    lines.append(provenance_line(report.provenance, lang))
    return "\n".join(lines) + "\n"
