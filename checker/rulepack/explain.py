"""Explaining the rule catalogue: `cgt-check rules list` and `rules show`, and the reasons every
report gives for a requirement that passed or does not apply."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import Any

from checker.base import i18n
from checker.base.errors import UsageError
from checker.base.literals import LANGS
from checker.rulepack.pack import LoadedRule, Requirement, RulePack


def not_applicable_reason(req: Requirement, rules: Sequence[LoadedRule], partial: bool) -> tuple[str, str]:
    """Why a requirement none of whose rules applied does not apply, in English and Chinese: the
    catalogue's deciding fact ("no pivotal trial is single-arm") when every rule of the
    requirement ran (`partial`: a selection left some out, so the fact may not hold), else what
    each rule applies to."""
    if not rules:
        en, zh = (i18n.text("matrix_not_checked", lang) for lang in LANGS)
        return en, zh
    if req.not_applicable is not None and not partial:
        en, zh = (
            i18n.text("matrix_not_applicable_because", lang, because=req.not_applicable.get(lang))
            for lang in LANGS
        )
        return en, zh
    en, zh = (
        i18n.text(
            "matrix_not_applicable",
            lang,
            whens=_joined([lr.rule.applies_when.get(lang) for lr in rules], lang),
        )
        for lang in LANGS
    )
    return en, zh


def passed_reason(req: Requirement, n: int, partial: bool) -> tuple[str, str]:
    """Why a requirement passed: what its `n` applicable rules checked (the catalogue's words,
    when every rule of the requirement ran), in English and Chinese."""
    form = "one" if n == 1 else "other"
    if req.checks is not None and not partial:
        en, zh = (
            i18n.text(f"matrix_passed_checks_{form}", lang, checks=req.checks.get(lang), n=n)
            for lang in LANGS
        )
        return en, zh
    en, zh = (i18n.text(f"matrix_passed_{form}", lang, n=n) for lang in LANGS)
    return en, zh


def _joined(items: Sequence[str], lang: str) -> str:
    """The distinct items, in order, as alternatives."""
    return i18n.text("matrix_or", lang).join(dict.fromkeys(items))


def rules_json(pack: RulePack, lang: str) -> dict[str, Any]:
    return {
        "rule_pack": {"name": pack.name, "version": pack.version, "sha256": pack.sha256},
        "requirements": [
            {
                "id": req.id,
                "title": req.title.get(lang),
                "statement": req.statement(lang),
                "severity": req.severity,
                "sources": req.source,
                "rules": [lr.rule.id for lr in pack.rules_for(req.id)],
            }
            for req in pack.requirements.values()
        ],
        "rules": [_rule_json(lr, lang) for lr in pack.rules.values()],
    }


def _rule_json(lr: LoadedRule, lang: str) -> dict[str, Any]:
    r = lr.rule
    return {
        "id": r.id,
        "requirement": r.requirement,
        "severity": r.severity,
        "title": r.title.get(lang),
        "description": r.description.get(lang),
        "applies_when": r.applies_when.get(lang),
        "tags": list(r.tags),
        "remediation": r.remediation.get(lang),
        "citation": {"source": r.citation.source, "section": r.citation.section, "quote": r.citation.quote},
        "defined_in": f"{lr.file}:{lr.line}",
    }


def rules_text(pack: RulePack, lang: str) -> str:
    rules, requirements = len(pack.rules), len(pack.requirements)
    head = i18n.text(
        "rules_head", lang, name=pack.name, version=pack.version, rules=rules, requirements=requirements
    )
    lines = [head, ""]
    width = max((len(r) for r in pack.rules), default=0)
    for req in pack.requirements.values():
        title = req.title.get(lang)
        lines.append(f"{req.id}  ({i18n.text(req.severity, lang)})  {title}")
        for lr in pack.rules_for(req.id):
            r = lr.rule
            severity = i18n.text(r.severity, lang)
            lines.append(f"  {r.id:<{width}}  {severity:<8} {r.title.zh if lang == 'zh' else r.title.en}")
        lines.append("")
    return "\n".join(lines)


def show(pack: RulePack, ident: str, lang: str) -> str:
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    ident = ident.strip()
    ident = ident.upper() if ident.upper() in pack.requirements else ident.lower()
    if ident in pack.rules:
        selected = [pack.rules[ident]]
        header = ""
    elif ident in pack.requirements:
        req = pack.requirements[ident]
        selected = pack.rules_for(ident)
        title = req.title.get(lang)
        header = f"{req.id}: {title} ({i18n.text(req.severity, lang)})\n{textwrap.fill(req.statement(lang), 96 if lang == 'en' else 48)}\n{L('sources')}: {', '.join(req.source)}\n\n"
    else:
        import difflib

        close = difflib.get_close_matches(ident, [*pack.rules, *pack.requirements], n=3)
        hint = i18n.message("did_you_mean_any", names=", ".join(close)) if close else ""
        raise UsageError(i18n.message("no_such_rule", ident=ident, hint=hint))
    blocks = [header] if header else []
    for lr in selected:
        d = _rule_json(lr, lang)
        cite = d["citation"]
        source = pack.sources[cite["source"]].title
        block = [
            f"{d['id']}  [{d['requirement']}]  {i18n.text(d['severity'], lang)}",
            f"  {d['title']}",
            "",
            textwrap.indent(textwrap.fill(d["description"], 92), "  "),
            "",
            f"  {L('applies_to')}: {d['applies_when']}",
            f"  {L('remediation')}: {d['remediation']}",
            f"  {L('source')} [{cite['source']}]: {source}"
            + (f", {cite['section']}" if cite["section"] else ""),
        ]
        if cite["quote"]:
            block.append(textwrap.indent(textwrap.fill(f"\u201c{cite['quote'].strip()}\u201d", 92), "    "))
        block.append(f"  {L('defined_in')}: {d['defined_in']}")
        blocks.append("\n".join(block) + "\n")
    return "\n".join(blocks)
