"""A blank section (written with its keys, none with a value, as `cgt-check init` writes them) is
reported as what is missing inside it, where the rules say what that is, and as missing where
they do not: it never meets a requirement that its absence fails."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from checker.engine import facts as F
from checker.engine.session import Session
from checker.load.dossier import load_dossier
from checker.report.result import DossierResult
from checker.rulepack.pack import RulePack, load_pack
from checker.run.evaluate import Checker

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "examples" / "dossiers" / "clean"
V1 = ROOT / "rules" / "cases" / "format-1.0"  # the 1.0 examples as shipped (one follow-up for both)
AS_OF = dt.date(2026, 6, 1)
LTFU = (
    "long_term_follow_up:\n  protocol_ref: LTFU-PROT-001\n  duration: {value: 15, unit: year}\n"
    "  delayed_adverse_reactions: true\n  persistence: true\n"
)
BLANK_LTFU = (
    "long_term_follow_up:\n  protocol_ref:\n  duration:\n  delayed_adverse_reactions:\n  persistence:\n"
)


@pytest.fixture(scope="module")
def pack() -> RulePack:
    return load_pack()


def _edited(tmp_path: Path, example: str, old: str, new: str) -> Path:
    text = ((V1 if example == "car-t-approved.yaml" else CLEAN) / example).read_text("utf-8")
    assert old in text
    path = tmp_path / example
    path.write_text(text.replace(old, new), "utf-8")
    return path


def _check(pack: RulePack, path: Path) -> DossierResult:
    with Checker(pack) as checker:
        return checker.check(load_dossier(str(path)), AS_OF)


def _found(result: DossierResult) -> list[tuple[str, str, int]]:
    return sorted((f.rule_id, f.path, f.line) for f in result.findings)


def test_a_blank_section_is_reported_by_what_is_missing_inside_it(tmp_path: Path, pack: RulePack) -> None:
    path = _edited(tmp_path, "car-t-approved.yaml", LTFU, BLANK_LTFU)
    lines = path.read_text("utf-8").splitlines()
    top = lines.index("long_term_follow_up:") + 1
    assert _found(_check(pack, path)) == [
        ("ct-ltfu-delayed-adverse-reactions", "long_term_follow_up.delayed_adverse_reactions", top + 3),
        ("ct-ltfu-duration-missing", "long_term_follow_up.duration", top + 2),
        ("ct-ltfu-persistence", "long_term_follow_up.persistence", top + 4),
        ("ct-ltfu-protocol", "long_term_follow_up.protocol_ref", top + 1),
        # CGT-PM-LTFU-RWS has no rule on what the follow-up holds: the blank section is missing
        # (a section is located where its mapping starts)
        ("pm-ltfu-missing", "long_term_follow_up", top + 1),
    ]
    # Left out altogether, the section is missing, once for each requirement.
    gone = _edited(tmp_path, "car-t-approved.yaml", LTFU, "")
    assert {rule for rule, _, _ in _found(_check(pack, gone))} == {
        "ct-ltfu-missing",
        "ct-ltfu-duration-missing",
        "pm-ltfu-missing",
    }


def test_a_blank_section_of_an_item(tmp_path: Path, pack: RulePack) -> None:
    need = re.search(r"    clinical_need:\n(      .*\n)+", (CLEAN / "car-t-ind.yaml").read_text("utf-8"))
    assert need is not None
    blank = "    clinical_need:\n      statement:\n      existing_therapies: []\n      shortfall:\n"
    path = _edited(tmp_path, "car-t-ind.yaml", need.group(0), blank)
    label = "indications[rrmm]"
    assert [(rule, where) for rule, where, _ in _found(_check(pack, path))] == [
        ("need-existing-therapies", f"{label}.clinical_need.existing_therapies"),
        ("need-shortfall", f"{label}.clinical_need.shortfall"),
    ]


def test_a_blank_section_no_rule_looks_inside_is_missing(tmp_path: Path, pack: RulePack) -> None:
    ethics = (
        "    ethics_approval:\n      committee: Ethics Committee of Example Hospital (fictional)\n"
        "      reference: EC-EXAMPLE-2024-101\n      date: 2024-09-02\n"
    )
    blank = "    ethics_approval:\n      committee:\n      reference:\n      date:\n"
    path = _edited(tmp_path, "car-t-ind.yaml", ethics, blank)
    assert [(rule, where) for rule, where, _ in _found(_check(pack, path))] == [
        ("materials-ethics", "starting_materials[sm-apheresis].ethics_approval")
    ]


def test_an_empty_mapping_is_no_blank_section(tmp_path: Path, pack: RulePack) -> None:
    path = _edited(tmp_path, "car-t-approved.yaml", LTFU, "long_term_follow_up: {}\n")
    loaded = load_dossier(str(path))
    assert [f.blank for f in F.build_facts(loaded.dossier) if f.blank] == []
    assert "ct-ltfu-missing" in {rule for rule, _, _ in _found(_check(pack, path))}


def test_blank_sections_are_named_and_kept_only_when_asked(tmp_path: Path) -> None:
    path = _edited(tmp_path, "car-t-approved.yaml", LTFU, BLANK_LTFU)
    dossier = load_dossier(str(path)).dossier
    [root] = [f for f in F.build_facts(dossier) if f.type == "dossier"]
    assert root.blank == ("long_term_follow_up",) and "long_term_follow_up" not in root.data
    [kept] = [f for f in F.build_facts(dossier, keep_blank=True) if f.type == "dossier"]
    assert kept.blank == ("long_term_follow_up",) and kept.data["long_term_follow_up"] == {}


def test_a_dossier_without_blank_sections_is_evaluated_once(
    pack: RulePack, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = Session.evaluate

    def counted(self: Session, facts: list[object], today: int) -> object:
        calls.append(len(facts))
        return real(self, facts, today)  # type: ignore[arg-type]

    monkeypatch.setattr(Session, "evaluate", counted)
    result = _check(pack, CLEAN / "car-t-approved.yaml")
    assert result.findings == () and len(calls) == 1
