"""Rule selection: `--select` / `--ignore` by rule id, requirement id, glob or tag.

A rule runs when it matches a --select pattern (or there is none) and no --ignore pattern. A
pattern matches a rule when it equals, or as a glob (`*`, `?`, `[...]`) matches, in any case,
the rule's id, its requirement's id or one of its tags (e.g. `ind`, `post-marketing`, `car-t`). A pattern that
matches no rule at all is a usage error: a typo would otherwise silently check nothing."""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Sequence
from dataclasses import replace

from checker.base.errors import UsageError, suggestion
from checker.base.i18n import message
from checker.rulepack.link import link
from checker.rulepack.pack import LoadedRule, RulePack


def split_patterns(values: Iterable[str]) -> tuple[str, ...]:
    """Patterns as given: repeated options and comma-separated lists, blanks dropped."""
    return tuple(p.strip() for v in values for p in v.split(",") if p.strip())


def describe(include: Sequence[str], exclude: Sequence[str]) -> str:
    """The selection as reports record it, e.g. 'select=ind; ignore=pre-ind-meeting'; '' for all."""
    parts = [f"select={','.join(include)}"] if include else []
    parts += [f"ignore={','.join(exclude)}"] if exclude else []
    return "; ".join(parts)


def matches(pattern: str, lr: LoadedRule) -> bool:
    rule = lr.rule
    names = (rule.id, rule.requirement, *rule.tags)
    folded = pattern.casefold()  # cgt-ind-need is CGT-IND-NEED
    return any(fnmatch.fnmatchcase(name.casefold(), folded) for name in names)


def select(pack: RulePack, include: Sequence[str] = (), exclude: Sequence[str] = ()) -> RulePack:
    """The pack with only the selected rules, relinked into a program of its own."""
    if not include and not exclude:
        return pack
    for option, patterns in (("--select", include), ("--ignore", exclude)):
        for pattern in patterns:
            if not any(matches(pattern, lr) for lr in pack.rules.values()):
                known = sorted(
                    {lr.rule.id for lr in pack.rules.values()}
                    | {lr.rule.requirement for lr in pack.rules.values()}
                    | {t for lr in pack.rules.values() for t in lr.rule.tags}
                )
                hint = suggestion(pattern, known)
                raise UsageError(message("selects_nothing", option=option, pattern=pattern, hint=hint))
    kept = {
        rid: lr
        for rid, lr in pack.rules.items()
        if (not include or any(matches(p, lr) for p in include)) and not any(matches(p, lr) for p in exclude)
    }
    if not kept:
        raise UsageError(message("selects_no_rule"))
    partial = frozenset(lr.rule.requirement for rid, lr in pack.rules.items() if rid not in kept)
    return replace(pack, rules=kept, program=link([lr.compiled for lr in kept.values()]), partial=partial)
