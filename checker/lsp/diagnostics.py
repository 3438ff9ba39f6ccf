"""A dossier's check as the protocol's diagnostics: each input problem and each finding at its
line and column, the severity from the rule's, the rule id as the code with a link to the rule's
documentation, the requirement in the message; waived and baselined findings as hints that say
why, and the dossier's stale justifications as information."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp

from checker.base import i18n
from checker.base.errors import Problem
from checker.base.resources import rules_dir
from checker.base.textutil import one_line
from checker.lsp.project import Checked
from checker.lsp.text import Position, Text
from checker.report.formats.labels import waiver_text
from checker.report.result import Finding, StaleJustification
from checker.rulepack.pack import RulePack

SOURCE = "cgt-check"
INPUT_ERROR = "input-error"  # the code of an input problem
STALE = "stale-justification"  # the code of a justification that covers no finding

SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}


def _range(span: tuple[Position, Position]) -> lsp.Range:
    start, end = span
    return lsp.Range(lsp.Position(start.line, start.character), lsp.Position(end.line, end.character))


def problem_diagnostic(problem: Problem, text: Text, name: str, lang: str) -> lsp.Diagnostic:
    """An input problem: at its place when it is in this dossier; a problem of another file that
    stops the check (the configuration, a rule file, a justification file) at the top, naming
    where it is."""
    if problem.file == name:
        where = _range(text.span(problem.line, problem.column))
        said = one_line(problem.text(lang), 1000)
        if problem.path:
            said = i18n.text("lsp_problem_at", lang, path=one_line(problem.path, 300), message=said)
    else:
        where = _range(text.span(1, 1))
        said = i18n.text("lsp_check_stopped", lang, problem=problem.render(lang))
    return lsp.Diagnostic(
        range=where, message=said, severity=lsp.DiagnosticSeverity.Error, code=INPUT_ERROR, source=SOURCE
    )


@cache
def _bundled_docs() -> tuple[Path, Path | None]:
    docs = rules_dir().parent / "docs" / "rules.md"
    return rules_dir().resolve(), docs if docs.is_file() else None


def rule_docs_uri(pack: RulePack, rule_id: str) -> str | None:
    """Where a rule is documented: its section of the rule reference (docs/rules.md) for a rule
    of the bundled pack where the reference is at hand, else the rule in its rule file."""
    lr = pack.rules.get(rule_id)
    if lr is None:
        return None
    bundled, docs = _bundled_docs()
    file = Path(lr.file).resolve()
    if docs is not None and file.is_relative_to(bundled):
        return f"{docs.as_uri()}#{rule_id.replace('.', '')}"
    return f"{file.as_uri()}#L{lr.line}"


def finding_message(f: Finding, lang: str, baseline_file: str | None) -> tuple[str, bool]:
    """What a finding's diagnostic says, and whether it is only a hint (waived or baselined)."""
    said = i18n.text(
        "lsp_finding", lang, requirement=f.requirement, message=one_line(f.message.get(lang), 1000)
    )
    if f.waiver is not None:
        said += "\n" + one_line(waiver_text(f.waiver, lang), 1000)
    if f.waived:
        return said, True
    if f.baseline == "unchanged":
        return said + "\n" + i18n.text("lsp_baselined", lang, file=baseline_file or ""), True
    return said, False


def finding_diagnostic(
    f: Finding, text: Text, pack: RulePack, lang: str, baseline_file: str | None
) -> lsp.Diagnostic:
    said, hint = finding_message(f, lang, baseline_file)
    uri = rule_docs_uri(pack, f.rule_id)
    data: dict[str, Any] = {"rule": f.rule_id, "path": f.path, "line": f.line, "column": f.column}
    return lsp.Diagnostic(
        range=_range(text.span(f.line, f.column)),
        message=said,
        severity=lsp.DiagnosticSeverity.Hint if hint else SEVERITY[f.severity],
        code=f.rule_id,
        code_description=lsp.CodeDescription(href=uri) if uri else None,
        source=SOURCE,
        data=data,
    )


def stale_diagnostic(s: StaleJustification, text: Text, lang: str) -> lsp.Diagnostic:
    return lsp.Diagnostic(
        range=_range(text.span(s.line, s.column)),
        message=i18n.text("lsp_stale", lang, target=one_line(s.target), path=one_line(s.path)),
        severity=lsp.DiagnosticSeverity.Information,
        code=STALE,
        source=SOURCE,
    )


def diagnostics(checked: Checked, text: Text) -> list[lsp.Diagnostic]:
    """Every diagnostic of a checked dossier, in the order of its lines."""
    project = checked.project
    lang = project.lang
    outcome = checked.outcome
    out = [problem_diagnostic(p, text, checked.name, lang) for p in outcome.problems]
    result = outcome.result
    if result is not None and project.context is not None:
        ctx = project.context
        baseline = ctx.baseline.file if ctx.baseline is not None else None
        out += [finding_diagnostic(f, text, ctx.pack, lang, baseline) for f in result.findings]
        out += [
            stale_diagnostic(s, text, lang) for s in result.stale_justifications if s.file == checked.name
        ]
    return sorted(out, key=lambda d: (d.range.start.line, d.range.start.character, str(d.code)))
