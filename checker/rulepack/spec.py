"""The rule-file format as a typed model (the JSON Schema in schemas/rule.schema.json is made from it)."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from checker.base.limits import MAX_OFFSET_DAYS
from checker.base.literals import Severity

CompareOp = Literal["eq", "ne", "lt", "lte", "gt", "gte"]
Alias = str


class _Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True, defer_build=True)


class Text(_Base):
    """A text in English and Chinese."""

    en: str = Field(min_length=1, description="The English text.")
    zh: str = Field(min_length=1, description="The Chinese text (use the CDE's terms).")

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en


class Citation(_Base):
    source: str = Field(description="A source key from rules/requirements.yaml (e.g. 'A', 'G-COND').")
    section: str | None = Field(None, description="The section or part of the source.")
    quote: str | None = Field(None, description="The quoted passage, verbatim, in the source's language.")


class Pattern(_Base):
    """One fact the rule matches, bound to an alias."""

    alias: Alias = Field(
        alias="as", pattern=r"^[a-z][a-z0-9_]{0,30}$", description="The name the rule gives the fact."
    )
    fact: str = Field(description="The fact type (see docs/rules.md).")
    where: dict[str, Any] = Field(default_factory=dict, description="Tests on the fact's own fields.")


class Join(_Base):
    """A comparison between two matched facts: left op right + offset_days."""

    left: str = Field(description="alias.field")
    op: CompareOp
    right: str = Field(description="alias.field, or context.today (the check date)")
    offset_days: int = Field(
        0,
        ge=-MAX_OFFSET_DAYS,
        le=MAX_OFFSET_DAYS,
        description="Days added to the right side (at most a century).",
    )


class AbsentJoin(_Base):
    """A comparison inside an absence pattern: field op right + offset_days."""

    field: str = Field(description="A field of the absent fact.")
    op: CompareOp = "eq"
    right: str = Field(description="alias.field of a matched fact")
    offset_days: int = Field(0, ge=-MAX_OFFSET_DAYS, le=MAX_OFFSET_DAYS)


class Absent(_Base):
    """The gap holds only if no fact like this exists."""

    fact: str
    where: dict[str, Any] = Field(default_factory=dict)
    join: list[AbsentJoin] = Field(default_factory=list)


class Gap(_Base):
    """What makes the gap, on top of the rule's applicability."""

    where: dict[Alias, dict[str, Any]] = Field(
        default_factory=dict, description="Further tests on facts matched by `applies`, by alias."
    )
    match: list[Pattern] = Field(default_factory=list, description="Further facts to match.")
    join: list[Join] = Field(default_factory=list, description="Comparisons between matched facts.")
    absent: list[Absent] = Field(default_factory=list, description="Facts that must not exist.")


class ReportAt(_Base):
    at: Alias = Field(description="The alias whose item the finding is about.")
    field: str | None = Field(None, description="The field of that item the finding points at.")


class Rule(_Base):
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9.-]{2,80}$", description="The rule's stable id.")
    requirement: str = Field(
        pattern=r"^CGT-[A-Z0-9-]+$", description="The catalogue requirement it implements."
    )
    severity: Severity
    tags: list[str] = Field(default_factory=list)
    title: Text
    description: Text
    applies: list[Pattern] = Field(min_length=1, description="The facts the rule applies to.")
    applies_any: list[list[Pattern]] = Field(
        default_factory=list,
        description="Alternatives: the rule applies when `applies` holds together with any one of these groups.",
    )
    applies_join: list[Join] = Field(
        default_factory=list, description="Comparisons between the facts matched by `applies`."
    )
    applies_when: Text = Field(description="When the rule applies, in words (shown when it does not).")
    gap: Gap
    report: ReportAt
    message: Text = Field(description="The finding's message; {alias} and {alias.field} are filled in.")
    remediation: Text
    citation: Citation


class RuleTemplate(_Base):
    """Rules generated from documented data: `rule` is filled in once per item of `for_each`."""

    for_each: list[dict[str, Any]] = Field(min_length=1)
    rule: dict[str, Any]


class RuleFile(_Base):
    """A rule file: rules, and templates over documented data."""

    rules: list[Rule] = Field(default_factory=list)
    templates: list[RuleTemplate] = Field(default_factory=list)
