"""A self-contained HTML report for reviewers: no scripts, no external assets, printable on A4.

Rendered by a Jinja2 template with autoescaping on (every value from a dossier or a rule is text,
never markup), and a Content-Security-Policy that allows inline styles and data: images only (the
--logo, checked when it was read), so nothing in a report can run or fetch anything. Headings and
tables are semantic (captions, scoped headers), the page's `lang` is the report's language, and
English quotes in a Chinese report carry `lang="en"`.

It opens with a cover and an executive summary (each dossier's verdict in one sentence and its
gaps that matter most), for several dossiers a requirement × dossier matrix, then the detail. In
print (A4) every page names its dossier and its number in the page's margin: each dossier is a
named page (CSS `page`), whose margin boxes say so; text in CSS strings is escaped by `css_string`."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, BinaryIO, overload

from checker.base import i18n
from checker.base.literals import STATUSES
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
from checker.report.formats.overview import SYMBOLS, Tally, overall, portfolio, top_gaps, verdict
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


def css_string(text: str) -> str:
    """Text as a double-quoted CSS string: every character but letters, digits, spaces and a few
    safe marks as a hex escape, so nothing in it can end the string or the style sheet."""
    out = []
    for ch in text:
        if (
            (ch.isalnum() and ch.isascii())
            or ch in " .,:;-_/()[]#@+=·"
            or (ord(ch) >= 0x3000 and ch.isprintable())
        ):
            out.append(ch)
        else:
            out.append(f"\\{ord(ch):06x}")
    return '"' + "".join(out) + '"'


def _dossier_view(index: int, d: DossierResult, lang: str) -> dict[str, Any]:
    findings = [_finding_view(f"d{index}-f{n}", f, lang) for n, f in enumerate(d.findings, start=1)]
    first_by_requirement: dict[str, str] = {}
    anchors: dict[int, str] = {}
    for view in findings:
        first_by_requirement.setdefault(view.finding.requirement, view.anchor)
        anchors[id(view.finding)] = view.anchor
    top, more = top_gaps(d)
    return {
        "anchor": f"d{index}",
        "number": index + 1,
        "page": css_string(i18n.text("dossier_line", lang, file=d.file)),
        "verdict": verdict(d, lang),
        "blocking": Tally.of(d).blocking,
        "warned": any(Tally.of(d).gating.values()),
        "top": [
            {
                "anchor": anchors[id(f)],
                "severity": f.severity,
                "severity_name": i18n.text(f.severity, lang),
                "title": f.title.get(lang),
                "requirement": f.requirement,
            }
            for f in top
        ],
        "more": i18n.text("exec_more", lang, n=more) if more else "",
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


def _page_css(report: Report, lang: str) -> dict[str, str]:
    """The CSS strings of the printed pages' margins: the report's title, and 'Page n of m'."""
    title = report.cover.title or i18n.text("report_title", lang)
    client = i18n.text("prepared_for_line", lang, client=report.cover.client) if report.cover.client else ""
    return {
        "title": css_string(title),
        "client": css_string(client),
        "made": css_string(
            f"{report.provenance.tool} {report.provenance.version} · {report.provenance.rule_pack} "
            f"{report.provenance.rule_pack_version} · {report.provenance.as_of.isoformat()}"
        ),
        "page": _page_counter(lang),
    }


def _page_counter(lang: str) -> str:
    """'Page n of m' as CSS content: the text's fields as the page counters."""
    marked = i18n.text("page_n_of_m", lang, page="\0page\0", pages="\0pages\0")
    parts = marked.split("\0")  # text, field, text, field, ..., text
    return " ".join(f"counter({p})" if i % 2 else css_string(p) for i, p in enumerate(parts) if i % 2 or p)


class _Views(Sequence[dict[str, Any]]):
    """Each dossier's view, made as the template comes to it (from a spilled report, one dossier
    read at a time), never all held."""

    def __init__(self, report: Report, lang: str) -> None:
        self._dossiers = report.dossiers
        self._lang = lang

    def __len__(self) -> int:
        return len(self._dossiers)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> dict[str, Any] | Sequence[dict[str, Any]]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        i = range(len(self))[index]
        return _dossier_view(i, self._dossiers[i], self._lang)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return (_dossier_view(i, d, self._lang) for i, d in enumerate(self._dossiers))


_WRITE_CHARS = 1 << 16


def _pieces(report: Report, lang: str) -> Iterator[str]:
    p = report.provenance
    return (
        _environment()
        .get_template("report.html.j2")
        .generate(
            lang=HTML_LANG.get(lang, "en"),
            L=labels(lang),
            p=p,
            provenance=provenance_line(p, lang),
            severities=[(s, i18n.text(s, lang)) for s in (*SEVERITY_ORDER, "waived")],
            stale=[stale_text(s, lang, named=False) for s in report.stale_file_justifications],
            baseline=baseline_line(report, lang),
            totals=report.counts(),
            dossiers=_Views(report, lang),
            errors=[e.render(lang) for e in report.errors],
            cover=report.cover,
            title=report.cover.title or i18n.text("report_title", lang),
            overall=overall(report, lang),
            portfolio=portfolio(report, lang) if len(report.dossiers) > 1 else [],
            symbols=SYMBOLS,
            statuses=[(s, SYMBOLS[s], i18n.text(s, lang)) for s in STATUSES],
            page_css=_page_css(report, lang),
        )
    )


def render(report: Report, lang: str) -> str:
    return "".join(_pieces(report, lang))


def write(report: Report, lang: str, out: BinaryIO) -> None:
    """The page to out as the template makes it, a dossier at a time (what `render` gives)."""
    pending: list[str] = []
    size = 0
    for piece in _pieces(report, lang):  # the template's many small pieces, written in large ones
        pending.append(piece)
        size += len(piece)
        if size >= _WRITE_CHARS:
            out.write("".join(pending).encode("utf-8"))
            pending, size = [], 0
    if pending:
        out.write("".join(pending).encode("utf-8"))
