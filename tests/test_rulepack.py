"""Loading rule packs: validated against the rule schema and the fact catalogue, errors located."""

from __future__ import annotations

import datetime as dt
import shutil
import textwrap
from pathlib import Path
from typing import NoReturn

import pytest

from checker.base import resources
from checker.base.errors import RuleError
from checker.load.dossier import load_dossier
from checker.rulepack.pack import load_pack, pack_digest
from checker.rulepack.spec import Rule
from checker.run.evaluate import Checker
from tests.fixtures import GOOD_RULE

ROOT = Path(__file__).resolve().parents[1]


def _pack_dir(tmp_path: Path, text: str) -> Path:
    d = tmp_path / "pack"
    d.mkdir()
    (d / "house.yaml").write_text(textwrap.dedent(text), "utf-8")
    return d


def _errors(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(RuleError) as info:
        load_pack([_pack_dir(tmp_path, text)])
    return [p.render() for p in info.value.problems] or [info.value.message]


def test_bundled_pack_loads_with_version_and_hash() -> None:
    pack = load_pack()
    assert pack.version and len(pack.sha256) == 64
    assert set(pack.requirements) >= {"CGT-IND-MOA", "CGT-PM-RMP"}


def test_extra_pack_adds_rules(tmp_path: Path) -> None:
    pack = load_pack([_pack_dir(tmp_path, GOOD_RULE)])
    assert "house-sponsor" in pack.rules
    assert pack.sha256 != load_pack().sha256


def _base_pack(parent: Path) -> Path:
    """A pack of its own: the bundled catalogue and one rule file."""
    base = parent / "mine"
    base.mkdir(parents=True)
    shutil.copy(resources.rules_dir() / "requirements.yaml", base / "requirements.yaml")
    (base / "house.yaml").write_text(GOOD_RULE, "utf-8")
    return base


def _no_bundled_pack() -> NoReturn:
    raise AssertionError("the bundled rule pack was read")


def test_the_bundled_pack_names_its_files_under_rules() -> None:
    pack = load_pack()
    assert {lr.file.split("/")[0] for lr in pack.rules.values()} == {"rules"}
    assert pack_digest() == pack.sha256


def test_a_base_pack_is_loaded_instead_of_the_bundled_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bundled = load_pack()
    base = _base_pack(tmp_path / "a")
    extra = _pack_dir(tmp_path, GOOD_RULE.replace("house-sponsor", "house-sponsor-again"))
    monkeypatch.setattr(resources, "rules_dir", _no_bundled_pack)
    pack = load_pack(base=base)
    assert list(pack.rules) == ["house-sponsor"]
    assert pack.rules["house-sponsor"].file == "mine/house.yaml"
    assert (pack.name, pack.version) == (bundled.name, bundled.version)  # the catalogue copied
    assert pack.sha256 == pack_digest(base=base) != bundled.sha256
    assert list(load_pack([extra], base=base).rules) == ["house-sponsor", "house-sponsor-again"]
    assert pack_digest([extra], base=base) == load_pack([extra], base=base).sha256


def test_a_base_pack_digest_does_not_depend_on_where_the_pack_is(tmp_path: Path) -> None:
    first, second = _base_pack(tmp_path / "a"), _base_pack(tmp_path / "b")
    assert load_pack(base=first).sha256 == load_pack(base=second).sha256


def test_a_base_pack_without_a_catalogue_is_refused(tmp_path: Path) -> None:
    base = _pack_dir(tmp_path, GOOD_RULE)
    with pytest.raises(RuleError) as info:
        load_pack(base=base)
    (problem,) = info.value.problems
    assert problem.file == "pack/requirements.yaml" and problem.message.startswith("cannot read file")


def test_unknown_key_is_located_with_did_you_mean(tmp_path: Path) -> None:
    errs = _errors(tmp_path, GOOD_RULE.replace("    severity: info", "    severity: info\n    severty: info"))
    assert errs[0].startswith(f"{tmp_path}/pack/house.yaml:5:5") and "did you mean 'severity'" in errs[0]


def test_unknown_field_is_refused_at_load(tmp_path: Path) -> None:
    errs = _errors(tmp_path, GOOD_RULE.replace("product.sponsor: absent", "product.sponsr: absent"))
    assert (
        ":10:" in errs[0]
        and "has no field 'product.sponsr'" in errs[0]
        and "did you mean 'product.sponsor'" in errs[0]
    )


def test_unknown_requirement_and_source(tmp_path: Path) -> None:
    errs = _errors(
        tmp_path, GOOD_RULE.replace("CGT-IND-MOA", "CGT-IND-MOAA").replace("source: A}", "source: Z}")
    )
    assert any("unknown requirement 'CGT-IND-MOAA'" in e and "did you mean 'CGT-IND-MOA'" in e for e in errs)
    assert any("unknown source 'Z'" in e for e in errs)


def test_duplicate_rule_id(tmp_path: Path) -> None:
    errs = _errors(tmp_path, GOOD_RULE.replace("house-sponsor", "moa-unclear"))
    assert "duplicate rule id 'moa-unclear'" in errs[0] and "rules/ind-rationale.yaml" in errs[0]


def test_missing_chinese_text_fails(tmp_path: Path) -> None:
    errs = _errors(
        tmp_path, GOOD_RULE.replace("title: {en: Sponsor named, zh: 申请人}", "title: {en: Sponsor named}")
    )
    assert "zh" in errs[0]


def test_broken_yaml_in_a_rule_file(tmp_path: Path) -> None:
    errs = _errors(tmp_path, "rules:\n  - id: [\n")
    assert "house.yaml:3:1" in errs[0]


def test_every_bundled_rule_is_bilingual_and_cited() -> None:
    pack = load_pack()
    for lr in pack.rules.values():
        r: Rule = lr.rule
        for text in (r.title, r.description, r.message, r.remediation, r.applies_when):
            assert text.en.strip() and text.zh.strip(), r.id
            assert any("\u4e00" <= ch <= "\u9fff" for ch in text.zh), f"{r.id}: zh text has no Chinese"
        assert r.citation.source in pack.sources


def test_inverting_a_compiled_condition_flips_the_findings(tmp_path: Path) -> None:
    """Findings follow the engine's decisions: flip one rule's condition and its findings flip."""
    clean = load_dossier(str(ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"))
    flipped = GOOD_RULE.replace("product.sponsor: absent", "product.sponsor: present")
    for text, expected in ((GOOD_RULE, 0), (flipped, 1)):
        d = tmp_path / f"p{expected}"
        d.mkdir()
        (d / "house.yaml").write_text(text, "utf-8")
        with Checker(load_pack([d])) as checker:
            result = checker.check(clean, dt.date(2026, 6, 1))
        assert [f.rule_id for f in result.findings] == ["house-sponsor"] * expected


def test_packs_the_engine_cannot_build_are_refused(tmp_path: Path) -> None:
    # create_ruleset spins forever past ~512 distinct tests under one node: refuse long before.
    items = ", ".join(f"{{n: '{i}'}}" for i in range(450))
    template = f"""\
templates:
  - for_each: [{items}]
    rule:
      id: house-${{n}}
      requirement: CGT-IND-MOA
      severity: info
      title: {{en: Name, zh: 名称}}
      description: {{en: Name., zh: 名称。}}
      applies: [{{as: d, fact: dossier}}]
      applies_when: {{en: every dossier, zh: 所有申报资料}}
      gap:
        where: {{d: {{product.name: 'v${{n}}'}}}}
      report: {{at: d, field: product.name}}
      message: {{en: name, zh: 名称}}
      remediation: {{en: Rename., zh: 改名。}}
      citation: {{source: A}}
"""
    errs = _errors(tmp_path, template)
    assert "distinct tests on 'dossier' facts" in errs[0]


def test_every_broken_rule_of_a_file_is_reported_at_once(tmp_path: Path) -> None:
    second = (
        GOOD_RULE.split("rules:\n", 1)[1]
        .replace("house-sponsor", "house-two")
        .replace("product.sponsor: absent", "product.sponsr: absent")
    )
    text = GOOD_RULE.replace("CGT-IND-MOA", "CGT-IND-MOAX") + second
    errs = _errors(tmp_path, text)
    assert len(errs) == 2
    assert "unknown requirement" in errs[0] and "product.sponsr" in errs[1]


# The CDE's own terms (docs: the domain notes' glossary), expected in each requirement's Chinese text.
CDE_TERMS = {
    "CGT-IND-MOA": ["作用机制"],
    "CGT-IND-NEED": ["临床需求"],
    "CGT-IND-MATERIALS": ["起始原材料"],
    "CGT-IND-CMC": ["药学研究"],
    "CGT-IND-NONCLINICAL": ["非临床研究"],
    "CGT-IND-IIT-SAFETY": ["研究者发起的临床研究"],
    "CGT-IND-COMBINATION-LABEL": ["联合用药", "说明书"],
    "CGT-IND-PRE-IND": ["沟通交流"],
    "CGT-NDA-BRIDGING": ["桥接研究"],
    "CGT-NDA-FOREIGN-DATA-COMMUNICATION": ["境外临床试验数据", "沟通交流"],
    "CGT-PM-CONFIRMATORY-DEADLINE": ["附条件批准", "确证性临床试验"],
    "CGT-PM-LTFU-RWS": ["长期随访", "真实世界研究"],
    "CGT-PM-MALIGNANCY-LABEL": ["说明书", "继发恶性肿瘤"],
    "CGT-PM-RMP": ["风险管理计划"],
}


def test_chinese_texts_use_the_cde_terms() -> None:
    pack = load_pack()
    for req_id, terms in CDE_TERMS.items():
        req = pack.requirements[req_id]
        texts = [req.title.zh] + [
            t.zh
            for lr in pack.rules_for(req_id)
            for t in (lr.rule.title, lr.rule.description, lr.rule.message, lr.rule.remediation)
        ]
        for term in terms:
            assert any(term in t for t in texts), f"{req_id}: no Chinese text uses {term}"
