"""The rule reference, generated from the rule pack: `python -m checker.ruledocs` writes
docs/rules.md; a test fails when it drifts from the rules."""

from __future__ import annotations

import sys
from pathlib import Path

from checker.rulepack import RulePack, load_pack


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(pack: RulePack) -> str:
    out = [
        "# Rule reference",
        "",
        f"Generated from the rule pack `{pack.name}` {pack.version} by `python -m checker.ruledocs`;",
        "do not edit by hand. `cgt-check rules show ID` prints the same for one rule or requirement.",
        "",
        f"{len(pack.requirements)} requirements, {len(pack.rules)} rules.",
        "",
    ]
    for req in pack.requirements.values():
        rules = pack.rules_for(req.id)
        out += [
            f"## {req.id}: {req.title.en}",
            "",
            f"{req.title.zh} · severity {req.severity} · sources {', '.join(req.source)}",
            "",
            _cell(req.text),
            "",
            "| rule | severity | title | applies to |",
            "|---|---|---|---|",
        ]
        out += [
            f"| `{lr.rule.id}` | {lr.rule.severity} | {_cell(lr.rule.title.en)} | {_cell(lr.rule.applies_when.en)} |"
            for lr in rules
        ]
        out.append("")
        for lr in rules:
            r = lr.rule
            source = pack.sources[r.citation.source]
            cite = f"[{r.citation.source}] {_cell(source.title)}" + (
                f", {r.citation.section}" if r.citation.section else ""
            )
            out += [
                f"### `{r.id}`",
                "",
                f"{_cell(r.description.en)} ({_cell(r.title.zh)})",
                "",
                f"- Fix: {_cell(r.remediation.en)}",
                f"- Source: {cite}" + (f": “{_cell(r.citation.quote)}”" if r.citation.quote else ""),
                f"- Defined in `{lr.file}`",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    )
    target.write_text(render(load_pack()), encoding="utf-8")
    print(f"wrote {target}")
