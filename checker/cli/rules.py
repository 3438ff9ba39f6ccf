"""`cgt-check rules list|show|test`: the rule catalogue explained, and rule packs' own tests."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from checker.base.errors import EXIT_FINDINGS, EXIT_OK
from checker.cli.console import emit
from checker.cli.helptext import LocalizedGroup
from checker.cli.options import explain_options, lang_option


@click.group(cls=LocalizedGroup)
def rules() -> None:
    """Explain the rule catalogue."""


@rules.command("list")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the rule reference document (docs/rules.md is this output).",
)
@explain_options
def rules_list(fmt: str, lang: str, rule_dirs: tuple[str, ...] = ()) -> None:
    """List every rule with its requirement and severity."""
    from checker.rulepack.explain import rules_json, rules_text
    from checker.rulepack.pack import load_pack

    pack = load_pack([Path(d) for d in rule_dirs])
    if fmt == "json":
        emit(json.dumps(rules_json(pack, lang), indent=2, ensure_ascii=False) + "\n")
    elif fmt == "markdown":
        from checker.rulepack.ruledocs import render

        emit(render(pack, lang))
    else:
        emit(rules_text(pack, lang))


@rules.command("test")
@click.argument("directories", nargs=-1, metavar="[DIR]...", type=click.Path(file_okay=False))
@lang_option(
    "Language of the results (PASS/FAIL lines, the counts) and of the messages about broken case "
    "or rule files: English or Chinese."
)
def rules_test(directories: tuple[str, ...], lang: str) -> None:
    """Run rule packs' own test cases (DIR/cases/*.yaml); no DIR: the bundled pack's.

    Each case edits a base dossier and states exactly which findings it must give. Exit 0 if
    every case passes, 1 if one fails, 2 if a case file or a rule file is broken.
    """
    from checker.run.selftest import render, test_pack

    report = test_pack([Path(d) for d in directories])
    emit(render(report, lang))
    sys.exit(EXIT_OK if report.passed else EXIT_FINDINGS)


@rules.command("show")
@click.argument("rule_or_requirement", metavar="ID")
@explain_options
def rules_show(rule_or_requirement: str, lang: str, rule_dirs: tuple[str, ...] = ()) -> None:
    """Explain one rule, or every rule of one requirement."""
    from checker.rulepack.explain import show
    from checker.rulepack.pack import load_pack

    emit(show(load_pack([Path(d) for d in rule_dirs]), rule_or_requirement, lang))
