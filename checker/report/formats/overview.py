"""What a reader wants first: each dossier's verdict in one sentence, the gaps that matter most,
and for a portfolio the requirements against the dossiers, by status. Shared by the formats that
open with an executive summary (the HTML report)."""

from __future__ import annotations

from dataclasses import dataclass

from checker.base import i18n
from checker.report.result import SEVERITY_ORDER, DossierResult, Finding, Report

TOP_GAPS = 3  # gaps shown per dossier in the executive summary

# A status's symbol in the portfolio matrix: read without colour (the legend says each one).
SYMBOLS = {"failed": "✗", "waived": "W", "baselined": "B", "passed": "✓", "not-applicable": "–"}


@dataclass(frozen=True)
class Tally:
    """A dossier's findings as a verdict counts them."""

    gating: dict[str, int]  # findings that can fail the gate, by severity
    waived: int
    baselined: int

    @classmethod
    def of(cls, d: DossierResult) -> Tally:
        gating = dict.fromkeys(SEVERITY_ORDER, 0)
        waived = baselined = 0
        for f in d.findings:
            if f.waived:
                waived += 1
            elif f.baseline == "unchanged":
                baselined += 1
            else:
                gating[f.severity] += 1
        return cls(gating, waived, baselined)

    @property
    def blocking(self) -> bool:
        """Whether a gap would be a reason for non-approval (an error neither waived nor baselined)."""
        return self.gating["error"] > 0


def _counted(key: str, n: int, lang: str) -> str:
    return i18n.text(f"{key}_{'one' if n == 1 else 'other'}", lang, n=n)


def verdict(d: DossierResult, lang: str) -> str:
    """One sentence: '3 gaps would be reasons for non-approval; 1 warning should be addressed.'"""
    t = Tally.of(d)
    parts = [_counted(f"verdict_{sev}", t.gating[sev], lang) for sev in SEVERITY_ORDER if t.gating[sev]]
    if t.waived:
        parts.append(_counted("verdict_waived", t.waived, lang))
    if t.baselined:
        parts.append(_counted("verdict_baselined", t.baselined, lang))
    if not parts:
        passed = sum(1 for r in d.requirements if r.status == "passed")
        na = sum(1 for r in d.requirements if r.status == "not-applicable")
        return i18n.text("verdict_clean", lang, passed=passed, na=na)
    sentence = i18n.text("verdict_sep", lang).join(parts)
    return sentence[:1].upper() + sentence[1:] + i18n.text("verdict_end", lang)


def overall(report: Report, lang: str) -> str:
    """The portfolio in one sentence: dossiers checked, how many have a blocking gap."""
    blocking = sum(1 for d in report.dossiers if Tally.of(d).blocking)
    return i18n.text("exec_overall", lang, dossiers=len(report.dossiers), blocking=blocking)


def top_gaps(d: DossierResult, n: int = TOP_GAPS) -> tuple[list[Finding], int]:
    """The gaps that matter most (those that can fail the gate, the most severe first, in
    catalogue order), at most `n`, and how many more there are."""
    order = {r.id: i for i, r in enumerate(d.requirements)}
    gating = [f for f in d.findings if f.gating]
    ranked = sorted(
        gating,
        key=lambda f: (SEVERITY_ORDER[f.severity], order.get(f.requirement, len(order)), f.sort_key()),
    )
    return ranked[:n], max(0, len(ranked) - n)


@dataclass(frozen=True)
class PortfolioRow:
    id: str
    title: str
    statuses: tuple[str, ...]  # one per dossier, in report order
    failing: int  # dossiers where it failed


def portfolio(report: Report, lang: str) -> list[PortfolioRow]:
    """Each requirement against each dossier (the catalogue order of the first dossier; a
    requirement a dossier does not list reads as not applicable there)."""
    rows: dict[str, tuple[str, list[str]]] = {}
    for i, d in enumerate(report.dossiers):
        for r in d.requirements:
            row = rows.setdefault(r.id, (r.title.get(lang), ["not-applicable"] * len(report.dossiers)))
            row[1][i] = r.status
    return [
        PortfolioRow(rid, title, tuple(statuses), sum(1 for s in statuses if s == "failed"))
        for rid, (title, statuses) in rows.items()
    ]
