"""Markdown for pull-request comments and wikis: the header and provenance, a summary by severity,
each dossier's requirement matrix and its findings with location, source and remediation, and
with a baseline the findings it counts as fixed.

A report longer than the run's limit (`Options.markdown_max_chars`, 65,536 characters: what
GitHub takes in a pull-request comment) is shortened: it keeps the header, the summary and each
dossier's failed requirements with their findings, worst first, as many as fit, and says what it
left out and where the full report is (the run's other report files, or `--markdown-full`).

Everything taken from a dossier or a rule is escaped, so it renders as the text it is (GitHub's
Markdown would otherwise honour HTML, links and emphasis in it)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import BinaryIO

from checker.base import i18n
from checker.report.formats.labels import (
    baseline_line,
    citation_text,
    dossier_counts,
    fixed_text,
    product_name,
    provenance_line,
    quote_text,
    stale_text,
    waiver_text,
)
from checker.report.formats.options import Options
from checker.report.result import SEVERITY_ORDER, DossierResult, Finding, Report, RequirementResult

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
    out = [_row(header), "|" + "|".join("---" for _ in header) + "|"]
    out += [_row(row) for row in rows]
    return out


def _summary(report: Report, lang: str) -> tuple[list[str], Iterator[str], str]:
    """The summary table: its header and rule, a row per dossier (made as they are read) and
    the totals row."""
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    header = _table([L("dossier"), L("product"), L("modality"), L("stage")] + [L(s) for s in COLUMNS], [])

    def rows() -> Iterator[str]:
        for d in report.dossiers:
            counts = dossier_counts(d)
            yield _row(
                [
                    esc(d.file),
                    esc(product_name(d, lang)),
                    esc(L(d.modality)),
                    esc(", ".join(L(s) for s in d.stages)),
                ]
                + [str(counts[s]) for s in COLUMNS]
            )

    totals = report.counts()
    return header, rows(), _row([f"**{L('total')}**", "", "", ""] + [f"**{totals[s]}**" for s in COLUMNS])


def _row(cells: list[str]) -> str:
    return "| " + " | ".join(cells) + " |"


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


def _head(report: Report, lang: str) -> list[str]:
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    p = report.provenance
    return [
        f"# {L('report_title')}",
        "",
        L("report_scope"),
        "",
        f"- **{L('as_of')}:** {p.as_of.isoformat()}",
        f"- **{L('rule_pack')}:** {esc(p.rule_pack)} {esc(p.rule_pack_version)} (SHA-256 `{p.rule_pack_sha256}`)",
        f"- **{L('checker')}:** {esc(p.tool)} {esc(p.version)}",
        "",
    ]


def _tail(report: Report, lang: str) -> list[str]:
    return ["---", "", f"{i18n.text('generated_by', lang)}: {esc(provenance_line(report.provenance, lang))}"]


def _compared(report: Report, lang: str) -> list[str]:
    compared = baseline_line(report, lang)
    return [esc(compared), ""] if compared else []


def render(report: Report, lang: str) -> str:
    """The whole report, however long."""
    return "".join(line + "\n" for line in _lines(report, lang))


def _lines(report: Report, lang: str) -> Iterator[str]:
    """The whole report's lines, a dossier at a time."""
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    header, rows, totals = _summary(report, lang)
    yield from [*_head(report, lang), f"## {L('summary')}", "", *header]
    yield from rows
    yield from [totals, ""]
    yield from _compared(report, lang)
    if report.baseline is not None and report.baseline.fixed:
        yield from [f"## {L('fixed_heading')} ({len(report.baseline.fixed)})", ""]
        yield from [f"- {esc(fixed_text(e, lang))}" for e in report.baseline.fixed]
        yield ""
    for d in report.dossiers:
        yield from _dossier(d, lang)
    if report.stale_file_justifications:
        yield from [f"## {L('stale_justifications')} ({len(report.stale_file_justifications)})", ""]
        yield from [L("stale_note"), ""] + [
            f"- {esc(stale_text(s, lang, named=False))}" for s in report.stale_file_justifications
        ]
        yield ""
    if report.errors:
        yield from [f"## {L('input_errors')} ({len(report.errors)})", "", L("input_error_note"), ""]
        yield from [f"- {esc(e.render(lang))}" for e in report.errors]
        yield ""
    yield from _tail(report, lang)


def _failed_rows(d: DossierResult, most: int | None) -> list[tuple[RequirementResult, list[Finding]]]:
    """Each failed requirement of a dossier with its findings, worst first (at most `most`)."""
    rows = []
    for r in d.requirements:
        mine = sorted(
            (f for f in d.findings if f.requirement == r.id),
            key=lambda f: (SEVERITY_ORDER[f.severity], not f.gating),  # those failing the gate first
        )
        if r.status == "failed" and mine:
            rows.append((r, mine[:most]))
    return rows


def _failed_block(d: DossierResult, lang: str, most: int | None) -> tuple[list[str], int]:
    """A dossier's failed requirements and their worst findings as a table, and how many
    findings it shows."""
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    rows, shown = [], 0
    for r, findings in _failed_rows(d, most):
        n = sum(f.requirement == r.id for f in d.findings)
        for i, f in enumerate(findings):
            last = i == len(findings) - 1
            more = (
                f" ({esc(i18n.text('md_more_findings', lang, n=n - len(findings)))})"
                if last and n > len(findings)
                else ""
            )
            rows.append(
                [
                    f"`{r.id}` {esc(r.title.get(lang))}" if i == 0 else "",
                    f"{STATUS_MARK['failed']} {L(f.severity)}",
                    f"`{f.rule_id}` {esc(f'{f.file}:{f.line}')}: {esc(f.message.get(lang))}{more}",
                ]
            )
        shown += len(findings)
    head = [f"### {esc(d.file)} · {esc(product_name(d, lang))}", ""]
    return [*head, *_table([L("requirement"), L("severity"), L("message")], rows), ""], shown


def _failed_blocks(report: Report, lang: str, budget: int, most: int | None) -> tuple[list[str], int, int]:
    """The dossiers' failed requirement tables that fit in `budget` characters, in input order:
    their lines, the findings they show and the dossiers left out."""
    lines: list[str] = []
    shown = left = 0
    for d in report.dossiers:
        if not any(r.status == "failed" for r in d.requirements):
            continue
        block, n = _failed_block(d, lang, most)
        if _size(block) > budget:
            left += 1
            continue
        lines += block
        budget -= _size(block)
        shown += n
    return lines, shown, left


def shortened(report: Report, lang: str, limit: int, elsewhere: tuple[str, ...] = ()) -> str:
    """The report in at most `limit` characters: the header, the summary and each dossier's
    failed requirements with their findings, worst first (all of them if every dossier's fit,
    else the worst), while they fit; and what was left out."""
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    head, tail = _head(report, lang), _tail(report, lang)
    reserve = 1500 + sum(len(one) + 4 for one in elsewhere)  # the note of what was left out
    budget = limit - _size(head) - _size(tail) - reserve
    header, rows, totals = _summary(report, lang)
    heading = [f"## {L('summary')}", ""]
    # the first rows that fit in half the budget; the header, rule and totals stay
    size = _size([*heading, *header, totals]) + 1
    kept: list[str] = []
    for row in rows:
        if size + len(row) + 1 > budget // 2:
            break
        kept.append(row)
        size += len(row) + 1
    rows_left = len(report.dossiers) - len(kept)
    body = [*heading, *header, *kept, totals, "", *_compared(report, lang)]
    failed_heading = [f"## {L('failed_requirements')}", ""]
    budget -= _size(body) + _size(failed_heading)
    blocks, shown, dossiers_left = _failed_blocks(report, lang, budget, None)
    if dossiers_left:
        blocks, shown, dossiers_left = _failed_blocks(report, lang, budget, 1)
    if blocks:
        body += failed_heading + blocks
    total = sum(len(d.findings) for d in report.dossiers)
    rows_passed = sum(r.status != "failed" for d in report.dossiers for r in d.requirements)
    left = [i18n.text("md_left_findings", lang, n=total - shown, total=total)] if total > shown else []
    left += [i18n.text("md_left_rows", lang, n=rows_passed)] if rows_passed else []
    left += [i18n.text("md_left_dossiers", lang, n=dossiers_left)] if dossiers_left else []
    left += [i18n.text("md_left_summary", lang, n=rows_left)] if rows_left else []
    fixed = len(report.baseline.fixed) if report.baseline else 0
    for key, n in (
        ("md_left_errors", len(report.errors)),
        ("md_left_stale", len(report.stale_justifications())),
        ("md_left_fixed", fixed),
    ):
        left += [i18n.text(key, lang, n=n)] if n else []
    said = [esc(i18n.text("md_shortened", lang, limit=f"{limit:,}"))]
    if left:
        said.append(esc(i18n.text("md_left_out", lang, items=L("md_left_sep").join(left))))
    if elsewhere:
        said.append(i18n.text("md_full_elsewhere", lang, files=", ".join(esc(f) for f in elsewhere)))
    said.append(L("md_full_option"))
    note = [line for i, one in enumerate(said) for line in ([">"] if i else []) + [f"> {one}"]]
    text = "\n".join([*head, *note, "", *body, *tail]) + "\n"
    return text if len(text) <= limit else text[: text.rindex("\n", 0, limit - 1) + 1]


def _size(lines: list[str]) -> int:
    """The characters of lines joined with newlines, each with its own."""
    return sum(len(line) + 1 for line in lines)


def write(report: Report, lang: str, out: BinaryIO, options: Options | None = None) -> None:
    """The report, shortened to the run's limit (see the module's docstring) unless it is None."""
    options = options or Options()
    limit = options.markdown_max_chars
    if limit is not None and sum(len(line) + 1 for line in _lines(report, lang)) > limit:
        out.write(shortened(report, lang, limit, options.elsewhere).encode("utf-8"))
        return
    for line in _lines(report, lang):  # the whole report, a line at a time
        out.write((line + "\n").encode("utf-8"))
