"""The rule reference, generated from the rule pack: `cgt-check rules list --format markdown`
(also `python -m checker.ruledocs`, which writes docs/rules.md; a test fails when it drifts)."""

from __future__ import annotations

import sys
from pathlib import Path

from checker.report.formats.labels import label, quote_parts
from checker.report.result import CitationRef
from checker.rulepack.pack import RulePack, load_pack

_TEXT = {
    "title": ("Rule reference", "规则参考"),
    "generated": (
        "Generated from the rule pack `{name}` {version} by `cgt-check rules list --format markdown`; "
        "do not edit by hand. `cgt-check rules show ID` prints the same for one rule or requirement.",
        "由规则包 `{name}` {version} 通过 `cgt-check rules list --format markdown --lang zh` 生成，"
        "请勿手工编辑。`cgt-check rules show ID --lang zh` 显示单条规则或要求的同样内容。",
    ),
    "counts": ("{reqs} requirements, {rules} rules.", "共 {reqs} 项要求，{rules} 条规则。"),
    "req_line": (
        "{other} · severity {severity} · sources {sources}",
        "{other} · 严重程度 {severity} · 依据 {sources}",
    ),
    "table": ("| rule | severity | title | applies to |", "| 规则 | 严重程度 | 标题 | 适用范围 |"),
    "fix": ("Fix", "整改建议"),
    "source": ("Source", "依据"),
    "defined": ("Defined in", "定义于"),
}


def _t(key: str, lang: str) -> str:
    en, zh = _TEXT[key]
    return zh if lang == "zh" else en


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def render(pack: RulePack, lang: str = "en") -> str:
    pick = (lambda t: t.zh) if lang == "zh" else (lambda t: t.en)
    other = (lambda t: t.en) if lang == "zh" else (lambda t: t.zh)
    out = [
        f"# {_t('title', lang)}",
        "",
        _t("generated", lang).format(name=pack.name, version=pack.version),
        "",
        _t("counts", lang).format(reqs=len(pack.requirements), rules=len(pack.rules)),
        "",
    ]
    for req in pack.requirements.values():
        rules = pack.rules_for(req.id)
        out += [
            f"## {req.id}: {pick(req.title)}",
            "",
            _t("req_line", lang).format(
                other=other(req.title), severity=label(req.severity, lang), sources=", ".join(req.source)
            ),
            "",
            _cell(req.statement(lang)),
            "",
            _t("table", lang),
            "|---|---|---|---|",
        ]
        out += [
            f"| `{lr.rule.id}` | {label(lr.rule.severity, lang)} | {_cell(pick(lr.rule.title))} | "
            f"{_cell(pick(lr.rule.applies_when))} |"
            for lr in rules
        ]
        out.append("")
        for lr in rules:
            r = lr.rule
            source = pack.sources[r.citation.source]
            cite = f"[{r.citation.source}] {_cell(source.title)}" + (
                f", {r.citation.section}" if r.citation.section else ""
            )
            parts = quote_parts(CitationRef(r.citation.source, "", None, r.citation.quote))
            quote = f": “{_cell(parts[0])}”" if parts else ""
            english = bool(parts and parts[1])
            out += [
                f"### `{r.id}`",
                "",
                f"{_cell(pick(r.description))} ({_cell(other(r.title))})",
                "",
                f"- {_t('fix', lang)}: {_cell(pick(r.remediation))}",
                f"- {_t('source', lang)}: {cite}{quote}"
                + (label("quoted_in_english", lang) if english else ""),
                f"- {_t('defined', lang)} `{lr.file}`",
                "",
            ]
    return "\n".join(out).rstrip() + "\n"


if __name__ == "__main__":
    target = (
        Path(sys.argv[1])
        if len(sys.argv) > 1
        else Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    )
    target.write_text(render(load_pack()), encoding="utf-8")
    print(f"wrote {target}")
