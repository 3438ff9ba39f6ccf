"""The pieces of text every report format shares, built from the one table of checker.base.i18n,
so a heading or a justification reads the same in Markdown, HTML and JUnit."""

from __future__ import annotations

from collections.abc import Mapping

from checker.base import i18n
from checker.base.textutil import has_cjk, one_line
from checker.report.result import (
    BaselineEntry,
    CitationRef,
    Counts,
    DossierResult,
    Finding,
    Provenance,
    Report,
    StaleJustification,
    Waiver,
)


def labels(lang: str) -> Mapping[str, str]:
    """Every label (a text without fields) in one language, for templates."""
    return {key: i18n.text(key, lang) for key in i18n.TABLE if not i18n.fields(key)}


def provenance_line(p: Provenance, lang: str) -> str:
    """One line naming what produced the report: the same in every text-like format."""
    line = i18n.text(
        "provenance",
        lang,
        tool=p.tool,
        version=p.version,
        pack=p.rule_pack,
        pack_version=p.rule_pack_version,
        pack_sha256=p.rule_pack_sha256,
        as_of=p.as_of.isoformat(),
    )
    if p.rule_selection:
        line += i18n.text("provenance_selection", lang, selection=p.rule_selection)
    return line


def citation_text(c: CitationRef, lang: str) -> str:
    """'[A] Title, section' without the quote."""
    return f"[{c.source}] {c.source_title}" + (f", {c.section}" if c.section else "")


def quote_parts(c: CitationRef) -> tuple[str, bool] | None:
    """The quoted passage on one line, and whether it is in English (no CJK characters)."""
    if not c.quote:
        return None
    quote = " ".join(c.quote.split())
    return quote, not has_cjk(quote)


def quote_text(c: CitationRef, lang: str) -> str | None:
    """The quoted passage, verbatim; in a Chinese report an English quote says it is English."""
    parts = quote_parts(c)
    if parts is None:
        return None
    quote, english = parts
    return f"“{quote}”" + (i18n.text("quoted_in_english", lang) if english else "")


def product_name(d: DossierResult, lang: str) -> str:
    """The product's name in the report's language (the Chinese name when there is one)."""
    return d.product_zh if lang == "zh" and d.product_zh else d.product


def dossier_counts(d: DossierResult) -> dict[str, int]:
    """One dossier's findings by severity, waived ones counted apart (as Report.counts does)."""
    return Counts.of_dossier(d).by_severity


def baseline_line(report: Report, lang: str) -> str | None:
    """'baseline FILE: N new, M baselined, K fixed', when the check used a baseline."""
    b = report.baseline
    if b is None:
        return None
    fixed = len(b.fixed)
    return i18n.text("baseline_line", lang, file=b.file, new=b.new, unchanged=b.unchanged, fixed=fixed)


def fixed_text(e: BaselineEntry, lang: str) -> str:
    """A finding of the baseline that this run no longer found, on one line."""
    return i18n.text(
        "fixed_line",
        lang,
        file=one_line(e.file),
        rule=one_line(e.rule_id),
        requirement=one_line(e.requirement),
        path=one_line(e.path),
    )


def waiver_text(w: Waiver, lang: str) -> str:
    """'waived (approved by X, until D): reason', or 'justification expired on D: reason'."""
    reason, who, source = one_line(w.reason, 500), one_line(w.approved_by), one_line(w.source)
    if w.expired and w.expires is not None:
        return i18n.text("waiver_expired", lang, date=w.expires.isoformat(), source=source, reason=reason)
    until = i18n.text("waiver_until", lang, date=w.expires.isoformat()) if w.expires else ""
    return i18n.text("waiver", lang, who=who, until=until, source=source, reason=reason)


def stale_text(s: StaleJustification, lang: str, named: bool = True) -> str:
    """A stale justification on one line; named: saying what it is (where no heading does)."""
    where = f"{one_line(s.file)}:{s.line}:{s.column}"
    key = "stale_named" if named else "stale_unnamed"
    return i18n.text(key, lang, where=where, target=one_line(s.target), path=one_line(s.path))


def location(f: Finding) -> str:
    """file:line:column, the form editors and terminals link."""
    return f"{f.file}:{f.line}:{f.column}"
