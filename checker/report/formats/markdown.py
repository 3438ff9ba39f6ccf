"""Markdown for pull-request comments and wikis: the header and provenance, a summary by severity,
each dossier's requirement matrix and its findings with location, source and remediation.

Everything taken from a dossier or a rule is escaped, so it renders as the text it is (GitHub's
Markdown would otherwise honour HTML, links and emphasis in it)."""

from __future__ import annotations

import re
from typing import BinaryIO

from checker.base import i18n
from checker.report.formats.labels import (
    baseline_line,
    citation_text,
    dossier_counts,
    product_name,
    provenance_line,
    quote_text,
    stale_text,
    waiver_text,
)
from checker.report.result import SEVERITY_ORDER, DossierResult, Finding, Report

_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
STATUS_MARK = {"passed": "✅", "failed": "❌", "waived": "☑️", "baselined": "⏸️", "not-applicable": "➖"}
COLUMNS = (*SEVERITY_ORDER, "waived")


def esc(text: str) -> str:
    """One line of literal text: HTML-escaped, Markdown punctuation backslash-escaped."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("@", "@\u200b").replace("#", "#\u200b")  # no @mentions, no #123 links
    return _SPECIAL.sub(r"\\\1", text)


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def _summary(report: Report, lang: str) -> list[str]:
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    rows = []
    for d in report.dossiers:
        counts = dossier_counts(d)
        rows.append(
            [
                esc(d.file),
                esc(product_name(d, lang)),
                esc(L(d.modality)),
                esc(", ".join(L(s) for s in d.stages)),
            ]
            + [str(counts[s]) for s in COLUMNS]
        )
    totals = report.counts()
    rows.append([f"**{L('total')}**", "", "", ""] + [f"**{totals[s]}**" for s in COLUMNS])
    return _table([L("dossier"), L("product"), L("modality"), L("stage")] + [L(s) for s in COLUMNS], rows)


def _finding(n: int, f: Finding, lang: str) -> list[str]:
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    out = [
        f"#### {n}. {esc(f.title.get(lang))}",
        "",
        f"- **{L('rule')}:** `{f.rule_id}` ({L(f.severity)}) · {L('requirement')} `{f.requirement}`"
        + (f" · {L('baselined')}" if f.baseline == "unchanged" else ""),
        f"- **{L('location')}:** {esc(f'{f.file}:{f.line}:{f.column}')} · {L('path')} {esc(f.path)}",
        f"- **{L('message')}:** {esc(f.message.get(lang))}",
        f"- **{L('remediation')}:** {esc(f.remediation.get(lang))}",
        f"- **{L('source')}:** {esc(citation_text(f.citation, lang))}",
    ]
    quoted = quote_text(f.citation, lang)
    if quoted:  # under the source it quotes
        out += ["", f"  > {esc(quoted)}", ""]
    if f.waiver is not None:
        out.append(f"- **{L('justification')}:** {esc(waiver_text(f.waiver, lang))}")
    return [*out, ""] if out[-1] else out


def _dossier(d: DossierResult, lang: str) -> list[str]:
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    out = [
        f"## {esc(d.file)}",
        "",
        f"- **{L('product')}:** {esc(product_name(d, lang))}",
        f"- **{L('modality')}:** {esc(L(d.modality))}",
        f"- **{L('stage')}:** {esc(', '.join(L(s) for s in d.stages))}",
        f"- **{L('sha256')}:** `{d.sha256}`",
        "",
        f"### {L('matrix')}",
        "",
    ]
    out += _table(
        [L("requirement"), L("status"), L("severity"), L("reason")],
        [
            [
                f"`{r.id}` {esc(r.title.get(lang))}",
                f"{STATUS_MARK[r.status]} {L(r.status)}",
                L(r.severity) if r.severity else "",
                esc(r.reason.get(lang)),
            ]
            for r in d.requirements
        ],
    )
    if d.stale_justifications:
        out += [
            "",
            f"### {L('stale_justifications')} ({len(d.stale_justifications)})",
            "",
            L("stale_note"),
            "",
        ]
        out += [f"- {esc(stale_text(s, lang, named=False))}" for s in d.stale_justifications]
    out += ["", f"### {L('findings')} ({len(d.findings)})", ""]
    if not d.findings:
        out += [L("no_findings"), ""]
    for n, f in enumerate(d.findings, start=1):
        out += _finding(n, f, lang)
    return out


def render(report: Report, lang: str) -> str:
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    p = report.provenance
    out = [
        f"# {L('report_title')}",
        "",
        L("report_scope"),
        "",
        f"- **{L('as_of')}:** {p.as_of.isoformat()}",
        f"- **{L('rule_pack')}:** {esc(p.rule_pack)} {esc(p.rule_pack_version)} (SHA-256 `{p.rule_pack_sha256}`)",
        f"- **{L('checker')}:** {esc(p.tool)} {esc(p.version)}",
        "",
        f"## {L('summary')}",
        "",
        *_summary(report, lang),
        "",
    ]
    compared = baseline_line(report, lang)
    if compared:
        out += [esc(compared), ""]
    for d in report.dossiers:
        out += _dossier(d, lang)
    if report.stale_file_justifications:
        out += [f"## {L('stale_justifications')} ({len(report.stale_file_justifications)})", ""]
        out += [L("stale_note"), ""] + [
            f"- {esc(stale_text(s, lang, named=False))}" for s in report.stale_file_justifications
        ]
        out.append("")
    if report.errors:
        out += [f"## {L('input_errors')} ({len(report.errors)})", "", L("input_error_note"), ""]
        out += [f"- {esc(e.render(lang))}" for e in report.errors]
        out.append("")
    out += ["---", "", f"{L('generated_by')}: {esc(provenance_line(p, lang))}"]
    return "\n".join(out) + "\n"


def write(report: Report, lang: str, out: BinaryIO) -> None:
    out.write(render(report, lang).encode("utf-8"))
