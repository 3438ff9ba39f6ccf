"""What hovering shows: on a finding, the rule's explanation, the quoted source and the
remediation, in the configured language; on a key of the dossier, what the model says of the
field (its description and the values it takes)."""

from __future__ import annotations

from lsprotocol import types as lsp

from checker.base import i18n
from checker.base.errors import NodePath
from checker.base.textutil import one_line
from checker.load.located import Located
from checker.lsp.diagnostics import finding_message, rule_docs_uri
from checker.lsp.fields import field_at
from checker.lsp.project import Checked
from checker.lsp.text import Position, Text
from checker.report.formats.labels import citation_text, quote_text
from checker.report.result import Finding


def findings_at(checked: Checked, text: Text, position: Position) -> list[Finding]:
    """The findings whose range holds the position."""
    result = checked.outcome.result
    if result is None:
        return []
    out = []
    for f in result.findings:
        start, end = text.span(f.line, f.column)
        if start.line == position.line and start.character <= position.character <= end.character:
            out.append(f)
    return out


def finding_hover(checked: Checked, f: Finding) -> str:
    """A finding explained, as Markdown."""
    project = checked.project
    lang = project.lang
    assert project.context is not None  # a checked dossier's project has its context
    pack = project.context.pack
    lr = pack.rules.get(f.rule_id)
    severity = i18n.text(f.severity, lang)
    head = i18n.text("lsp_hover_rule", lang, rule=f.rule_id, requirement=f.requirement, severity=severity)
    lines = [f"**{f.title.get(lang)}**", "", head, ""]
    said, _ = finding_message(f, lang, project.context.baseline.file if project.context.baseline else None)
    lines += [said.replace("\n", "  \n"), ""]
    if lr is not None:
        lines += [one_line(lr.rule.description.get(lang), 4000), ""]
    source = citation_text(f.citation, lang)
    quote = quote_text(f.citation, lang)
    lines += [f"**{i18n.text('source', lang)}**: {source}", ""]
    if quote:
        lines += [f"> {quote}", ""]
    lines += [f"**{i18n.text('remediation', lang)}**: {one_line(f.remediation.get(lang), 4000)}"]
    uri = rule_docs_uri(pack, f.rule_id)
    if uri:
        lines += ["", f"[{i18n.text('lsp_rule_docs', lang)}]({uri})"]
    return "\n".join(lines)


def key_at(located: Located, text: Text, position: Position) -> NodePath | None:
    """The path of the mapping key under the position: the key written on that line that starts
    at or before it, the rightmost (the innermost) of them."""
    line, column = text.mark(text.offset_at(position))
    best: tuple[int, NodePath] | None = None
    for path, mark in located.key_marks.items():
        if mark.line == line and mark.column <= column and (best is None or mark.column > best[0]):
            best = (mark.column, path)
    return best[1] if best else None


def field_hover(path: NodePath, lang: str) -> str | None:
    """What the model says of the field at `path`, as Markdown."""
    f = field_at(path)
    if f is None:
        return None
    lines = [f"**`{f.key}`** ({f.owner.__name__})", ""]
    if f.description:
        lines += [f.description, ""]
    values = f.values()
    if values:
        lines += [i18n.text("lsp_field_values", lang, values=", ".join(f"`{v}`" for v in values)), ""]
    if f.required:
        lines += [i18n.text("lsp_field_required", lang)]
    return "\n".join(lines).rstrip()


def hover(checked: Checked, located: Located | None, text: Text, position: Position) -> str | None:
    """The hover text at a position: its findings, else its field."""
    found = findings_at(checked, text, position)
    if found and checked.project.context is not None:
        return "\n\n---\n\n".join(finding_hover(checked, f) for f in found)
    if located is None:
        return None
    path = key_at(located, text, position)
    return field_hover(path, checked.project.lang) if path is not None else None


def markup(value: str) -> lsp.MarkupContent:
    return lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=value)
