"""The requirement matrix's reasons, as a person would write them (checker.rulepack.explain):
why a requirement does not apply, in one short sentence naming the deciding fact, and what a
pass checked, in both languages; a selection that leaves rules out falls back to the rules' own
words, for the catalogue's sentence may no longer hold."""

from __future__ import annotations

import re

import pytest

from checker.base.textutil import has_cjk
from checker.report.result import Report
from checker.rulepack.explain import not_applicable_reason, passed_reason
from checker.rulepack.pack import load_pack
from checker.run.api import CheckOptions, check_paths
from tests.formats.common import AS_OF, ROOT

EXAMPLES = str(ROOT / "examples" / "dossiers")


@pytest.fixture(scope="module")
def examples() -> Report:
    return check_paths([EXAMPLES], CheckOptions(as_of=AS_OF))


def test_every_bundled_requirement_says_what_it_checks() -> None:
    pack = load_pack()
    for req in pack.requirements.values():
        assert req.checks is not None, req.id
        assert req.checks.en and not has_cjk(req.checks.en) and has_cjk(req.checks.zh), req.id
        if req.not_applicable is not None:
            assert not has_cjk(req.not_applicable.en) and has_cjk(req.not_applicable.zh), req.id


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_requirement_that_does_not_apply_says_the_deciding_fact(examples: Report, lang: str) -> None:
    pack = load_pack()
    seen = set()
    for d in examples.dossiers:
        for r in d.requirements:
            reason = r.reason.get(lang)
            if r.status == "not-applicable":
                because = pack.requirements[r.id].not_applicable
                assert because is not None, r.id
                expected = {"en": f"not applicable: {because.en}", "zh": f"不适用：{because.zh}"}[lang]
                assert reason == expected
                assert len(reason) < 160 and reason.count(";") == 0 and reason.count("；") == 0
                seen.add(r.id)
            elif r.status == "passed":
                checks = pack.requirements[r.id].checks
                assert checks is not None and checks.get(lang) in reason
                assert re.search(r"[（(]\d+ (条规则|rules?)[)）]$", reason), reason
    assert "CGT-NDA-BRIDGING" in seen


def test_the_bridging_reason_is_one_short_sentence(examples: Report) -> None:
    bridging = {
        r.reason.en for d in examples.dossiers for r in d.requirements if r.id == "CGT-NDA-BRIDGING"
        if r.status == "not-applicable"
    }  # fmt: skip
    assert bridging == {
        "not applicable: the product does not rely on foreign studies of an overseas approval, or no "
        "indication has reached a confirmatory or pivotal trial"
    }


def test_a_partial_selection_says_what_each_rule_applies_to() -> None:
    pack = load_pack()
    req = pack.requirements["CGT-NDA-EXTERNAL-CONTROL"]
    rules = pack.rules_for(req.id)
    en, zh = not_applicable_reason(req, rules, partial=True)
    assert en.startswith("not applicable: applies to ") and rules[0].rule.applies_when.en in en
    assert zh.startswith("不适用：仅适用于") and rules[0].rule.applies_when.zh in zh
    en, zh = passed_reason(req, 1, partial=True)
    assert en == "passed: 1 applicable rule(s) found no gap" and zh == "通过：1 条适用规则未发现缺陷"
    assert req.checks is not None
    en, zh = passed_reason(req, 2, partial=False)
    assert en == f"passed: checked that {req.checks.en} (2 rules)"
    assert zh == f"通过：经核查，{req.checks.zh}（2 条规则）"
    en, zh = not_applicable_reason(req, [], partial=False)
    assert en.startswith("not checked")


def test_an_ignored_rule_makes_its_requirement_partial() -> None:
    dossier = str(ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml")
    options = CheckOptions(as_of=AS_OF, ignore=("nda-external-control-missing",))
    r = check_paths([dossier], options)
    row = next(x for x in r.dossiers[0].requirements if x.id == "CGT-NDA-EXTERNAL-CONTROL")
    assert row.status == "not-applicable" and row.reason.en.startswith("not applicable: applies to ")
    whole = check_paths([dossier], CheckOptions(as_of=AS_OF))
    row = next(x for x in whole.dossiers[0].requirements if x.id == "CGT-NDA-EXTERNAL-CONTROL")
    assert row.reason.en == "not applicable: no pivotal trial is single-arm"
