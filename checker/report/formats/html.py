"""A self-contained HTML report for reviewers: no scripts, no external assets, printable on A4.

Rendered by a Jinja2 template with autoescaping on (every value from a dossier or a rule is text,
never markup), and a Content-Security-Policy that allows inline styles only, so nothing in a
report can run or fetch anything. Headings and tables are semantic (captions, scoped headers), the
page's `lang` is the report's language, and English quotes in a Chinese report carry `lang="en"`."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any, BinaryIO

from checker.base import i18n
from checker.report.formats.labels import (
    baseline_line,
    citation_text,
    dossier_counts,
    labels,
    product_name,
    provenance_line,
    quote_parts,
    stale_text,
    waiver_text,
)
from checker.report.result import SEVERITY_ORDER, DossierResult, Finding, Report

HTML_LANG = {"en": "en", "zh": "zh-CN"}


@cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.PackageLoader("checker.report.formats", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass(frozen=True)
class _FindingView:
    anchor: str
    finding: Finding
    title: str
    message: str
    remediation: str
    source: str
    quote: str | None
    quote_lang: str | None  # set when the quote's language differs from the page's
    quote_note: str
    waiver: str | None


def _finding_view(anchor: str, f: Finding, lang: str) -> _FindingView:
    parts = quote_parts(f.citation)
    english = parts is not None and parts[1]
    return _FindingView(
        anchor=anchor,
        finding=f,
        title=f.title.get(lang),
        message=f.message.get(lang),
        remediation=f.remediation.get(lang),
        source=citation_text(f.citation, lang),
        quote=parts[0] if parts else None,
        quote_lang="en" if english and lang != "en" else None,
        quote_note=i18n.text("quoted_in_english", lang) if english else "",
        waiver=waiver_text(f.waiver, lang) if f.waiver else None,
    )


def _dossier_view(index: int, d: DossierResult, lang: str) -> dict[str, Any]:
    findings = [_finding_view(f"d{index}-f{n}", f, lang) for n, f in enumerate(d.findings, start=1)]
    first_by_requirement: dict[str, str] = {}
    for view in findings:
        first_by_requirement.setdefault(view.finding.requirement, view.anchor)
    return {
        "anchor": f"d{index}",
        "d": d,
        "modality": i18n.text(d.modality, lang),
        "product": product_name(d, lang),
        "stages": ", ".join(i18n.text(s, lang) for s in d.stages),
        "counts": dossier_counts(d),
        "stale": [stale_text(s, lang, named=False) for s in d.stale_justifications],
        "findings": findings,
        "matrix": [
            {
                "r": r,
                "title": r.title.get(lang),
                "status": i18n.text(r.status, lang),
                "severity": i18n.text(r.severity, lang) if r.severity else "",
                "reason": r.reason.get(lang),
                "link": first_by_requirement.get(r.id),
            }
            for r in d.requirements
        ],
    }


def render(report: Report, lang: str) -> str:
    p = report.provenance
    return str(
        _environment()
        .get_template("report.html.j2")
        .render(
            lang=HTML_LANG.get(lang, "en"),
            L=labels(lang),
            p=p,
            provenance=provenance_line(p, lang),
            severities=[(s, i18n.text(s, lang)) for s in (*SEVERITY_ORDER, "waived")],
            stale=[stale_text(s, lang, named=False) for s in report.stale_file_justifications],
            baseline=baseline_line(report, lang),
            totals=report.counts(),
            dossiers=[_dossier_view(i, d, lang) for i, d in enumerate(report.dossiers)],
            errors=[e.render(lang) for e in report.errors],
        )
    )


def write(report: Report, lang: str, out: BinaryIO) -> None:
    out.write(render(report, lang).encode("utf-8"))
