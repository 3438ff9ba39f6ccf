"""The closed sets of words every layer shares: severities, statuses, languages. Defined once;
everything else (types, option choices, schemas, orderings) is derived from these."""

from __future__ import annotations

from typing import Literal, get_args

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = get_args(Severity)
SEVERITY_ORDER: dict[str, int] = {s: rank for rank, s in enumerate(SEVERITIES)}  # worst first

FailOn = Literal["error", "warning", "info", "never"]
FAIL_ON: tuple[FailOn, ...] = get_args(FailOn)

# A requirement's or a rule's status in a dossier's requirement matrix.
Status = Literal["passed", "failed", "waived", "baselined", "not-applicable"]
STATUSES: tuple[Status, ...] = get_args(Status)

BaselineState = Literal["new", "unchanged"]  # with --baseline: a finding already in it, or not

Lang = Literal["en", "zh"]
LANGS: tuple[Lang, ...] = get_args(Lang)
