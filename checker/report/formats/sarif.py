"""SARIF 2.1.0, for GitHub code scanning and other SARIF consumers.

One run: `tool.driver` lists every rule of the pack (not only those that found something), the
requirement catalogue is a taxonomy the rules relate to, each finding is a result located by file,
line and column and by its dossier path (a logical location), and `partialFingerprints` hash the
rule, the file and the dossier path, so a result keeps its identity when lines move. Input errors
and stale justifications are tool execution notifications; a waived finding carries a SARIF
suppression with its justification. Provenance: driver version, the rule pack as a run property,
each dossier's SHA-256 as an artifact hash."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable
from pathlib import PurePosixPath, PureWindowsPath
from typing import Any, BinaryIO
from urllib.parse import quote

from checker.base import i18n
from checker.base.errors import Problem
from checker.base.textutil import norm_file
from checker.report.formats.jsonstream import Slots
from checker.report.formats.labels import citation_text, quote_text, stale_text
from checker.report.result import Finding, Report, RuleInfo, StaleJustification

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
SRCROOT = "%SRCROOT%"
FINGERPRINT = "cgtCheckFinding/v1"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
RUN_LANGUAGE = {"en": "en-US", "zh": "zh-CN"}


def artifact_location(file: str) -> dict[str, str]:
    """A file as SARIF names it: relative paths against the source root, absolute ones as file URIs."""
    posix = file.replace("\\", "/")
    if PureWindowsPath(file).drive or PurePosixPath(posix).is_absolute():
        return {"uri": "file://" + ("" if posix.startswith("/") else "/") + quote(posix)}
    parts = [p for p in PurePosixPath(posix).parts if p != "."]
    return {"uri": quote("/".join(parts)), "uriBaseId": SRCROOT}


def fingerprint(f: Finding) -> str:
    """Stable across line moves: the rule, the file and the dossier path, never the line."""
    return hashlib.sha256(f"{f.rule_id}\0{norm_file(f.file)}\0{f.path}".encode()).hexdigest()


def _name(rule_id: str) -> str:
    return "".join(part.capitalize() for part in rule_id.replace("_", "-").split("-"))


def _help(rule: RuleInfo, lang: str) -> dict[str, str]:
    source = citation_text(rule.citation, lang)
    quoted = quote_text(rule.citation, lang)
    applies = rule.applies_when.get(lang)
    text = [
        rule.description.get(lang),
        f"{i18n.text('remediation', lang)}: {rule.remediation.get(lang)}",
        f"{i18n.text('source', lang)}: {source}" + (f" {quoted}" if quoted else ""),
    ]
    markdown = [
        rule.description.get(lang),
        "",
        f"**{i18n.text('remediation', lang)}:** {rule.remediation.get(lang)}",
        "",
        f"**{i18n.text('source', lang)}:** {source}",
    ]
    if quoted:
        markdown += ["", f"> {quoted}"]
    markdown += ["", f"_{applies}_"]
    return {"text": "\n\n".join(text), "markdown": "\n".join(markdown)}


def _rule(rule: RuleInfo, lang: str, pack: str) -> dict[str, Any]:
    return {
        "id": rule.id,
        "name": _name(rule.id),
        "shortDescription": {"text": rule.title.get(lang)},
        "fullDescription": {"text": rule.description.get(lang)},
        "help": _help(rule, lang),
        "defaultConfiguration": {"level": LEVELS[rule.severity]},
        "relationships": [
            {"target": {"id": rule.requirement, "toolComponent": {"name": pack}}, "kinds": ["relevant"]}
        ],
        "properties": {
            "requirement": rule.requirement,
            "tags": [*rule.tags, rule.requirement],
            "citation": {
                "source": rule.citation.source,
                "section": rule.citation.section,
                "quote": rule.citation.quote,
            },
        },
    }


def _location(file: str, line: int, column: int, artifacts: dict[str, int]) -> dict[str, Any]:
    where: dict[str, Any] = artifact_location(file)
    if file in artifacts:
        where["index"] = artifacts[file]
    return {
        "physicalLocation": {
            "artifactLocation": where,
            "region": {"startLine": max(line, 1), "startColumn": max(column, 1)},
        }
    }


def _result(f: Finding, lang: str, rule_index: dict[str, int], artifacts: dict[str, int]) -> dict[str, Any]:
    location = _location(f.file, f.line, f.column, artifacts)
    location["logicalLocations"] = [{"fullyQualifiedName": f.path, "kind": "member"}]
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "level": LEVELS[f.severity],
        "kind": "fail",
        "message": {"text": f.message.get(lang)},
        "locations": [location],
        "partialFingerprints": {FINGERPRINT: fingerprint(f)},
        "properties": {"requirement": f.requirement, "dossierPath": f.path},
    }
    if f.rule_id in rule_index:
        result["ruleIndex"] = rule_index[f.rule_id]
    if f.baseline is not None:
        result["baselineState"] = f.baseline
    w = f.waiver
    if w is not None:
        details = {
            "approvedBy": w.approved_by,
            "approvedOn": w.approved_on.isoformat() if w.approved_on else None,
            "expires": w.expires.isoformat() if w.expires else None,
            "source": w.source,
        }
        if w.expired:  # no longer suppressed: the finding fails again, and says why
            result["properties"]["expiredJustification"] = {"reason": w.reason, **details}
        else:
            in_source = w.source.rsplit(":", 2)[0] == f.file
            result["suppressions"] = [
                {
                    "kind": "inSource" if in_source else "external",
                    "status": "accepted",
                    "justification": w.reason,
                    "properties": details,
                }
            ]
    return result


def _notification(p: Problem, lang: str, artifacts: dict[str, int]) -> dict[str, Any]:
    return {
        "level": "error",
        "message": {"text": p.text(lang)},
        "locations": [_location(p.file, p.line, p.column, artifacts)],
        "descriptor": {"id": "input-error"},
    }


def _stale(s: StaleJustification, lang: str, artifacts: dict[str, int]) -> dict[str, Any]:
    return {
        "level": "warning",
        "message": {"text": stale_text(s, lang)},
        "locations": [_location(s.file, s.line, s.column, artifacts)],
        "descriptor": {"id": "stale-justification"},
    }


def _run_properties(report: Report) -> dict[str, Any]:
    props: dict[str, Any] = {"asOf": report.provenance.as_of.isoformat()}
    b = report.baseline
    if b is not None:
        props["baseline"] = {
            "file": b.file,
            "new": b.new,
            "unchanged": b.unchanged,
            "fixed": [{"ruleId": e.rule_id, "file": e.file, "dossierPath": e.path} for e in b.fixed],
        }
    return props


def build(report: Report, lang: str, slots: Slots | None = None) -> dict[str, Any]:
    """The SARIF log; with slots, its artifacts and results are placeholders that the slots
    write item by item (see `write`)."""
    p = report.provenance
    rules = report.catalogue.rules
    rule_index = {r.id: i for i, r in enumerate(rules)}
    artifacts = {d.file: i for i, d in enumerate(report.dossiers)}
    listed: Callable[[Iterable[Any]], Any] = list if slots is None else slots.slot
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "cgt-check",
                "fullName": f"{p.tool} {p.version}",
                "version": p.version,
                "semanticVersion": p.version,
                "organization": "cgt-checker",
                "language": RUN_LANGUAGE.get(lang, "en-US"),
                "rules": [_rule(r, lang, p.rule_pack) for r in rules],
                "supportedTaxonomies": [{"name": p.rule_pack}],
                "properties": {
                    "rulePack": {
                        "name": p.rule_pack,
                        "version": p.rule_pack_version,
                        "sha256": p.rule_pack_sha256,
                        "selection": p.rule_selection,
                    }
                },
            }
        },
        "taxonomies": [
            {
                "name": p.rule_pack,
                "version": p.rule_pack_version,
                "shortDescription": {"text": i18n.text("report_title", lang)},
                "taxa": [
                    {
                        "id": req.id,
                        "name": req.title.get(lang),
                        "shortDescription": {"text": req.title.get(lang)},
                        "fullDescription": {"text": req.text.get(lang)},
                        "defaultConfiguration": {"level": LEVELS[req.severity]},
                    }
                    for req in report.catalogue.requirements
                ],
            }
        ],
        "invocations": [
            {
                "executionSuccessful": not report.errors,
                "toolExecutionNotifications": [_notification(e, lang, artifacts) for e in report.errors]
                + [_stale(s, lang, artifacts) for s in report.stale_justifications()],
            }
        ],
        "originalUriBaseIds": {SRCROOT: {"description": {"text": "The directory the checker was run from."}}},
        "artifacts": listed(
            {
                "location": artifact_location(d.file),
                "hashes": {"sha-256": d.sha256},
                "mimeType": "application/yaml",
            }
            for d in report.dossiers
        ),
        "results": listed(
            _result(f, lang, rule_index, artifacts) for d in report.dossiers for f in d.findings
        ),
        "language": RUN_LANGUAGE.get(lang, "en-US"),
        "columnKind": "unicodeCodePoints",
        "properties": _run_properties(report),
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(report: Report, lang: str) -> str:
    return json.dumps(build(report, lang), indent=2, ensure_ascii=False) + "\n"


def write(report: Report, lang: str, out: BinaryIO) -> None:
    """The log to out, its artifacts and results written one at a time (what `render` gives)."""
    slots = Slots()
    slots.write(build(report, lang, slots), out)
