"""The rule reference, generated from the rule pack: `cgt-check rules list --format markdown`
(also `python -m checker.rulepack.ruledocs`, which writes docs/rules.md; a test fails when it drifts)."""

from __future__ import annotations

import sys
from pathlib import Path

from checker.base import i18n
from checker.base.textutil import has_cjk
from checker.rulepack.pack import RulePack, load_pack


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(pack: RulePack, lang: str = "en") -> str:
    other = "en" if lang == "zh" else "zh"  # the title in the other language, beside it
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    out = [
        f"# {L('ruledocs_title')}",
        "",
        i18n.text("ruledocs_generated", lang, name=pack.name, version=pack.version),
        "",
        i18n.text("ruledocs_counts", lang, requirements=len(pack.requirements), rules=len(pack.rules)),
        "",
    ]
    for req in pack.requirements.values():
        rules = pack.rules_for(req.id)
        out += [
            f"## {req.id}: {req.title.get(lang)}",
            "",
            i18n.text(
                "ruledocs_requirement",
                lang,
                title=req.title.get(other),
                severity=L(req.severity),
                sources=", ".join(req.source),
            ),
            "",
            _cell(req.statement(lang)),
            "",
            L("ruledocs_table"),
            "|---|---|---|---|",
        ]
        out += [
            f"| `{lr.rule.id}` | {L(lr.rule.severity)} | {_cell(lr.rule.title.get(lang))} | "
            f"{_cell(lr.rule.applies_when.get(lang))} |"
            for lr in rules
        ]
        out.append("")
        for lr in rules:
            r = lr.rule
            source = pack.sources[r.citation.source]
            cite = f"[{r.citation.source}] {_cell(source.title)}" + (
                f", {r.citation.section}" if r.citation.section else ""
            )
            quoted = " ".join(r.citation.quote.split()) if r.citation.quote else None
            quote = f": “{_cell(quoted)}”" if quoted is not None else ""
            english = quoted is not None and not has_cjk(quoted)
            out += [
                f"### `{r.id}`",
                "",
                f"{_cell(r.description.get(lang))} ({_cell(r.title.get(other))})",
                "",
                f"- {L('remediation')}: {_cell(r.remediation.get(lang))}",
                f"- {L('source')}: {cite}{quote}" + (L("quoted_in_english") if english else ""),
                f"- {L('defined_in')} `{lr.file}`",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    target = (
        Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    )
    target.write_text(render(load_pack()), encoding="utf-8")
    print(f"wrote {target}")
