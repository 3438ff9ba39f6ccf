"""The language server end to end: a scripted client drives the real `cgt-check lsp` over
standard input and output."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.lsp.client import ROOT, Client, apply_edit, uri_of

pytest.importorskip("pygls")

AS_OF = "2026-06-01"
EXAMPLES = sorted((ROOT / "examples" / "dossiers").glob("*/*.yaml"))
CODES_NOT_FINDINGS = {"input-error", "stale-justification"}


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    with Client(options={"as-of": AS_OF}) as c:
        yield c


def _utf16(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def _findings(diagnostics: list[dict[str, Any]]) -> list[tuple[str, int, int]]:
    return sorted(
        (d["code"], d["range"]["start"]["line"], d["range"]["start"]["character"])
        for d in diagnostics
        if d["code"] not in CODES_NOT_FINDINGS
    )


@pytest.fixture(scope="module")
def cli_report() -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "check", "examples/dossiers", "-f", "json", "--as-of", AS_OF, "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr
    return dict(json.loads(proc.stdout))


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_diagnostics_are_the_cli_findings(client: Client, cli_report: dict[str, Any], example: Path) -> None:
    name = example.relative_to(ROOT).as_posix()
    (dossier,) = [d for d in cli_report["dossiers"] if d["file"] == name]
    text = example.read_text("utf-8")
    lines = text.split("\n")
    expected = sorted(
        (f["rule_id"], f["line"] - 1, _utf16(lines[f["line"] - 1][: f["column"] - 1]))
        for f in dossier["findings"]
    )
    uri = uri_of(example)
    client.open(uri, text)
    got = client.diagnostics(uri)
    client.close(uri)
    assert _findings(got) == expected
    assert not [d for d in got if d["code"] == "input-error"]
    for d in got:
        if d["code"] in CODES_NOT_FINDINGS:
            continue
        assert d["source"] == "cgt-check"
        assert d["message"].split(":")[0] in {f["requirement"] for f in dossier["findings"]}
        assert d["codeDescription"]["href"].endswith("#" + d["code"])


def test_hover_on_a_finding_quotes_the_source_in_the_configured_language(tmp_path: Path) -> None:
    example = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    with Client(options={"as-of": AS_OF, "lang": "zh"}) as c:
        uri = uri_of(example)
        c.open(uri, example.read_text("utf-8"))
        first = next(d for d in c.diagnostics(uri) if d["code"] == "pm-verify-studies-missing")
        assert first["message"].startswith("CGT-PM-VERIFY-STUDIES：")
        hover = c.request(
            "textDocument/hover", {"textDocument": {"uri": uri}, "position": first["range"]["start"]}
        )
    said = hover["contents"]["value"]
    assert "marketing authorization holders are required to conduct post-marketing studies" in said
    assert "整改建议" in said and "依据" in said  # the remediation and the source, in Chinese
    assert "pm-verify-studies-missing" in said


def test_hover_on_a_key_gives_the_field_description(client: Client) -> None:
    example = ROOT / "examples" / "dossiers" / "clean" / "car-t-approved.yaml"
    text = example.read_text("utf-8")
    line = next(i for i, x in enumerate(text.split("\n")) if x.strip().startswith("kind: confirmatory-trial"))
    uri = uri_of(example)
    client.open(uri, text)
    client.diagnostics(uri)
    position = {"line": line, "character": text.split("\n")[line].index("kind") + 1}
    hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": position})
    client.close(uri)
    said = hover["contents"]["value"]
    assert "What is committed." in said and "`confirmatory-trial`" in said


def _action(c: Client, uri: str, diagnostic: dict[str, Any], title_start: str) -> dict[str, Any]:
    actions = c.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": uri},
            "range": diagnostic["range"],
            "context": {"diagnostics": [diagnostic]},
        },
    )
    (action,) = [a for a in actions if a["title"].startswith(title_start)]
    (edit,) = action["edit"]["changes"][uri]
    return dict(edit)


def test_the_skeleton_of_a_confirmatory_commitment_fixes_its_finding(client: Client) -> None:
    example = ROOT / "examples" / "dossiers" / "clean" / "car-t-approved.yaml"
    text = example.read_text("utf-8").replace(
        "kind: confirmatory-trial\n    indication: lbcl-3l", "kind: other\n    indication: lbcl-3l"
    )
    uri = uri_of(example)
    client.open(uri, text)
    missing = [d for d in client.diagnostics(uri) if d["code"] == "pm-confirmatory-missing"]
    assert len(missing) == 1
    edit = _action(client, uri, missing[0], "Add a post_approval_commitments item")
    assert "    kind: confirmatory-trial\n    indication: lbcl-3l\n" in edit["newText"]
    fixed = apply_edit(text, edit)
    client.change(uri, fixed)
    after = client.diagnostics(uri)
    client.close(uri)
    assert "pm-confirmatory-missing" not in {d["code"] for d in after}
    assert not [d for d in after if d["code"] == "input-error"]


def test_a_justification_entry_waits_for_its_reason_then_waives_the_finding(client: Client) -> None:
    example = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    text = example.read_text("utf-8")
    uri = uri_of(example)
    client.open(uri, text)
    target = next(d for d in client.diagnostics(uri) if d["code"] == "pm-verify-studies-missing")
    edit = _action(client, uri, target, "Justify pm-verify-studies-missing")
    added = apply_edit(text, edit)
    client.change(uri, added)
    unfinished = client.diagnostics(uri)  # the reason and approver are still to be written
    assert {d["code"] for d in unfinished} == {"input-error"}
    done = added.replace("  reason:\n", "  reason: a confirmatory trial is running\n").replace(
        "  approved_by:\n", "  approved_by: QA lead\n"
    )
    client.change(uri, done)
    waived = [d for d in client.diagnostics(uri) if d["code"] == "pm-verify-studies-missing"]
    client.close(uri)
    assert len(waived) == 1 and waived[0]["severity"] == 4  # a hint
    assert "a confirmatory trial is running" in waived[0]["message"]


def test_a_broken_file_gets_located_input_errors_and_the_server_goes_on(
    client: Client, tmp_path: Path
) -> None:
    example = ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"
    text = example.read_text("utf-8")
    uri = uri_of(tmp_path / "broken.yaml")
    client.open(uri, text + "\nproduct: [unclosed\n")
    (broken,) = client.diagnostics(uri)
    assert broken["code"] == "input-error" and broken["severity"] == 1
    assert broken["range"]["start"]["line"] >= len(text.split("\n")) - 1
    client.change(uri, text.replace("schema_version", "schema_versoin", 1) + "\n")
    unknown = client.diagnostics(uri)
    assert {d["code"] for d in unknown} == {"input-error"}
    assert any("schema_versoin" in d["message"] for d in unknown)
    client.change(uri, text)
    assert not [d for d in client.diagnostics(uri) if d["code"] == "input-error"]
    client.close(uri)


def test_chinese_and_astral_characters_count_in_utf16(client: Client, tmp_path: Path) -> None:
    example = ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"
    text = example.read_text("utf-8")
    line = "note_zh: {名称: 细胞🧬治疗, modalty: car-t}"
    uri = uri_of(tmp_path / "cjk.yaml")
    client.open(uri, text.rstrip("\n") + "\n" + line + "\n")
    diagnostics = client.diagnostics(uri)
    client.close(uri)
    row = len(text.rstrip("\n").split("\n"))
    on_line = [d for d in diagnostics if d["range"]["start"]["line"] == row]
    assert on_line, diagnostics
    assert on_line[0]["range"]["start"]["character"] == 0  # the unknown key note_zh, at its start
    uri2 = uri_of(tmp_path / "cjk2.yaml")
    nested = text.replace("product:\n", "product:\n  x: {名称: 细胞🧬治疗, modalty: car-t}\n", 1)
    client.open(uri2, nested)
    found = client.diagnostics(uri2)
    client.close(uri2)
    row2 = nested.split("\n").index("  x: {名称: 细胞🧬治疗, modalty: car-t}")
    (d,) = [d for d in found if d["range"]["start"]["line"] == row2]
    assert d["range"]["start"]["character"] == 2  # the key x: the unknown field


def test_a_yaml_file_that_is_not_a_dossier_gets_nothing(client: Client, tmp_path: Path) -> None:
    uri = uri_of(tmp_path / "ci.yaml")
    client.open(uri, "jobs:\n  test:\n    runs-on: ubuntu-latest\n")
    assert client.diagnostics(uri) == []
    hover = client.request(
        "textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 0, "character": 1}}
    )
    assert hover is None
    client.close(uri)


def test_the_configuration_patterns_and_options_are_honoured(tmp_path: Path) -> None:
    example = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    text = example.read_text("utf-8")
    (tmp_path / "submissions").mkdir()
    dossier = tmp_path / "submissions" / "p.yaml"
    dossier.write_text(text, "utf-8")
    (tmp_path / ".cgt-check.yaml").write_text(
        f"as-of: {AS_OF}\nlang: zh\nignore: [pm-confirmatory-late]\ndossiers: ['submissions/*.yaml']\n",
        "utf-8",
    )
    unsaid = "product:\n  name: X\n"  # neither the schema comment nor schema_version
    with Client(cwd=tmp_path) as c:
        uri = uri_of(dossier)
        c.open(uri, text)
        got = c.diagnostics(uri)
        matched, other = uri_of(tmp_path / "submissions" / "draft.yaml"), uri_of(tmp_path / "draft.yaml")
        c.open(matched, unsaid)
        c.open(other, unsaid)
        in_pattern, outside = c.diagnostics(matched), c.diagnostics(other)
    codes = {d["code"] for d in got}
    assert "pm-verify-studies-missing" in codes and "pm-confirmatory-late" not in codes
    assert all("：" in d["message"] for d in got)  # in Chinese
    assert in_pattern and {d["code"] for d in in_pattern} == {"input-error"}
    assert outside == []


def test_without_pygls_the_command_says_how_to_install_it() -> None:
    code = "import sys; sys.modules['pygls'] = None; from checker.cli.app import main; main(['lsp'])"
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT)
    assert proc.returncode == 2
    assert "pip install 'cgt-checker[lsp]'" in proc.stderr and "Traceback" not in proc.stderr


def test_baselined_findings_are_hints_and_a_saved_justification_file_is_read_again(tmp_path: Path) -> None:
    example = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    text = example.read_text("utf-8")
    dossier = tmp_path / "p.yaml"
    dossier.write_text(text, "utf-8")
    made = subprocess.run(
        [
            sys.executable,
            "-m",
            "checker",
            "baseline",
            "create",
            "p.yaml",
            "-o",
            "base.json",
            "--as-of",
            AS_OF,
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert made.returncode == 0, made.stderr
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("justifications: []\n", "utf-8")
    config = f"as-of: {AS_OF}\nbaseline: base.json\njustifications: [waivers.yaml]\n"
    (tmp_path / ".cgt-check.yaml").write_text(config, "utf-8")
    with Client(cwd=tmp_path) as c:
        uri = uri_of(dossier)
        c.open(
            uri,
            text
            + "justifications:\n  - rule: moa-missing\n    path: product\n    reason: r\n    approved_by: b\n",
        )
        first = c.diagnostics(uri)
        waivers.write_text(
            "justifications:\n  - rule: pm-confirmatory-late\n    path: post_approval_commitments\n"
            "    reason: the trial was extended with the CDE's agreement\n    approved_by: QA lead\n",
            "utf-8",
        )
        c.notify("textDocument/didSave", {"textDocument": {"uri": uri_of(waivers)}})
        second = c.diagnostics(uri)
    hints = [d for d in first if d["code"] not in CODES_NOT_FINDINGS]
    assert hints and all(d["severity"] == 4 and "in the baseline base.json" in d["message"] for d in hints)
    (stale,) = [d for d in first if d["code"] == "stale-justification"]
    assert "moa-missing" in stale["message"] and stale["severity"] == 3
    (late,) = [d for d in second if d["code"] == "pm-confirmatory-late"]
    assert (
        "the trial was extended with the CDE's agreement" in late["message"] and "QA lead" in late["message"]
    )


def test_a_broken_configuration_is_said_on_the_dossier_and_nothing_else_is_checked(tmp_path: Path) -> None:
    example = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    (tmp_path / ".cgt-check.yaml").write_text("fail-on: warning\nlangauge: zh\n", "utf-8")
    with Client(cwd=tmp_path) as c:
        uri = uri_of(tmp_path / "p.yaml")
        c.open(uri, example.read_text("utf-8"))
        (said,) = c.diagnostics(uri)
        other = uri_of(tmp_path / "ci.yaml")
        c.open(other, "jobs: {}\n")
        assert c.diagnostics(other) == []
    assert said["code"] == "input-error" and said["range"]["start"] == {"line": 0, "character": 0}
    assert ".cgt-check.yaml:2:1" in said["message"] and "langauge" in said["message"]


def test_a_custom_rule_pack_of_the_configuration_runs_and_links_to_its_rule_file(tmp_path: Path) -> None:
    house = ROOT / "examples" / "rules" / "house-rules"
    text = (ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml").read_text("utf-8")
    text = text.replace("        reference: Module 4.2.1.1, report NC-PHARM-101\n", "", 1)
    (tmp_path / ".cgt-check.yaml").write_text(f"as-of: {AS_OF}\nrules: ['{house}']\n", "utf-8")
    with Client(cwd=tmp_path) as c:
        uri = uri_of(tmp_path / "d.yaml")
        c.open(uri, text)
        found = c.diagnostics(uri)
    (house_finding,) = [d for d in found if d["code"] == "house-moa-evidence-reference"]
    assert house_finding["severity"] == 2  # the rule's warning
    href = house_finding["codeDescription"]["href"]
    assert href.startswith((house / "house-moa.yaml").resolve().as_uri() + "#L")


def test_options_of_the_client_are_checked_as_a_configuration_is(tmp_path: Path) -> None:
    example = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    with Client(cwd=tmp_path, options={"as-of": "June", "select": 5}) as c:
        uri = uri_of(tmp_path / "p.yaml")
        c.open(uri, example.read_text("utf-8"))
        said = c.diagnostics(uri)
    assert {d["code"] for d in said} == {"input-error"}
    assert any("initializationOptions" in d["message"] and "as-of" in d["message"] for d in said)
    assert any("select" in d["message"] for d in said)


def test_the_command_lines_lang_and_config_are_defaults_the_client_overrides(tmp_path: Path) -> None:
    example = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
    lsp = [sys.executable, "-m", "checker", "lsp"]

    def first_message(command: list[str], options: dict[str, Any]) -> str:
        with Client(options={"as-of": AS_OF, **options}, command=command) as c:
            uri = uri_of(example)
            c.open(uri, example.read_text("utf-8"))
            found = next(d for d in c.diagnostics(uri) if d["code"] == "pm-verify-studies-missing")
        return str(found["message"])

    assert first_message([*lsp, "--lang", "zh"], {}).startswith("CGT-PM-VERIFY-STUDIES：")
    assert first_message([*lsp, "--lang", "zh"], {"lang": "en"}).startswith("CGT-PM-VERIFY-STUDIES: ")
    # --config: one configuration for every dossier, as the client's `config` gives it.
    config = tmp_path / "cgt.yaml"
    config.write_text("lang: zh\n", encoding="utf-8")
    assert first_message([*lsp, "--config", str(config)], {}).startswith("CGT-PM-VERIFY-STUDIES：")


def test_lsp_takes_lang_for_its_own_messages() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "lsp", "--lang", "fr"], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2 and "'fr' is not one of 'en', 'zh'" in proc.stderr
    help_text = subprocess.run(
        [sys.executable, "-m", "checker", "lsp", "--help"], capture_output=True, text=True, timeout=60
    ).stdout
    assert "--lang [en|zh]" in help_text and "--config FILE" in help_text
