"""JUnit XML for GitLab, Jenkins and other CI test reports.

One `<testsuite>` per dossier and one `<testcase>` per (dossier, requirement): classname is the
dossier's file, name the requirement id and title, so every pair is unique. A failed requirement's
findings merge into its one `<failure>`; a requirement that does not apply is `<skipped>` with the
reason, and so is a waived one (all its findings justified) or a baselined one (all in the
--baseline); stale justifications are listed in `<system-err>`. A file that could not be read is a
suite with one `<error>` case. A `<failure>` is what fails the gate: a requirement whose findings
are all below --fail-on (or all justified or baselined) is a passed case, and its findings are
listed in the suite's `<system-out>` (so a run that exits 0 has no failure), with the findings a
--baseline run counts as fixed. Attributes the schema requires are filled deterministically: the
timestamp is the as-of date at midnight, the hostname `localhost`, times 0. Provenance and the
gate go into each suite's `<properties>`."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable, Iterator
from functools import partial
from typing import BinaryIO

from checker.base import i18n
from checker.base.errors import Problem
from checker.report.formats.labels import (
    citation_text,
    fixed_text,
    location,
    product_name,
    provenance_line,
    quote_text,
    stale_text,
    waiver_text,
)
from checker.report.formats.options import Options
from checker.report.result import DossierResult, Finding, Report, RequirementResult

_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _clean(text: str) -> str:
    """Text XML 1.0 can carry (it has no escape for most control characters)."""
    return _XML_INVALID.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)


def _el(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    el = ET.SubElement(parent, tag, {k.rstrip("_"): _clean(v) for k, v in attrs.items()})
    if text is not None:
        el.text = _clean(text)
    return el


def _failure_text(findings: Iterable[Finding], lang: str) -> str:
    blocks = []
    for f in findings:
        lines = [
            f"{location(f)} {i18n.text(f.severity, lang)} {f.rule_id}"
            + (f" [{i18n.text('baselined', lang)}]" if f.baseline == "unchanged" else ""),
            f"  {i18n.text('path', lang)}: {f.path}",
            f"  {i18n.text('message', lang)}: {f.message.get(lang)}",
            f"  {i18n.text('remediation', lang)}: {f.remediation.get(lang)}",
            f"  {i18n.text('source', lang)}: {citation_text(f.citation, lang)}",
        ]
        quoted = quote_text(f.citation, lang)
        if quoted:
            lines.append(f"  {i18n.text('quote', lang)}: {quoted}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)


def _fails(d: DossierResult, req: RequirementResult, fail_on: str) -> bool:
    """Whether the requirement is a failure: one of its findings fails the gate."""
    return req.status == "failed" and any(f.requirement == req.id and f.fails(fail_on) for f in d.findings)


def _case(suite: ET.Element, d: DossierResult, req: RequirementResult, lang: str, fail_on: str) -> None:
    case = _el(suite, "testcase", name=f"{req.id} {req.title.get(lang)}", classname=d.file, time="0")
    if _fails(d, req, fail_on):
        mine = [f for f in d.findings if f.requirement == req.id]
        first = mine[0].message.get(lang) if mine else req.reason.get(lang)
        more = f" (+{len(mine) - 1})" if len(mine) > 1 else ""
        _el(
            case,
            "failure",
            _failure_text(mine, lang),
            message=first + more,
            type_=req.severity or "error",
        )
    elif req.status in ("not-applicable", "waived", "baselined"):
        _el(case, "skipped", message=req.reason.get(lang))


def _properties(suite: ET.Element, report: Report, lang: str, fail_on: str, extra: dict[str, str]) -> None:
    p = report.provenance
    props = _el(suite, "properties")
    values = {
        "checker": f"{p.tool} {p.version}",
        "rule_pack": p.rule_pack,
        "rule_pack_version": p.rule_pack_version,
        "rule_pack_sha256": p.rule_pack_sha256,
        "as_of": p.as_of.isoformat(),
        "language": lang,
        "fail_on": fail_on,
        **extra,
    }
    for name, value in values.items():
        _el(props, "property", name=name, value=value)


def _suite(root: ET.Element, index: int, name: str, report: Report, counts: dict[str, int]) -> ET.Element:
    return _el(
        root,
        "testsuite",
        name=name,
        timestamp=f"{report.provenance.as_of.isoformat()}T00:00:00",
        hostname="localhost",
        tests=str(counts["tests"]),
        failures=str(counts["failures"]),
        errors=str(counts["errors"]),
        skipped=str(counts["skipped"]),
        time="0",
        package="cgt-check",
        id=str(index),
    )


def _dossier_suite(
    root: ET.Element, index: int, d: DossierResult, report: Report, lang: str, fail_on: str
) -> None:
    counts = {
        "tests": len(d.requirements),
        "failures": sum(_fails(d, r, fail_on) for r in d.requirements),
        "errors": 0,
        "skipped": sum(r.status in ("not-applicable", "waived", "baselined") for r in d.requirements),
    }
    suite = _suite(root, index, d.file, report, counts)
    _properties(
        suite,
        report,
        lang,
        fail_on,
        {
            "dossier_sha256": d.sha256,
            "product": product_name(d, lang),
            "modality": d.modality,
            "stages": ", ".join(d.stages),
        },
    )
    for req in d.requirements:
        _case(suite, d, req, lang, fail_on)
    below = [
        f
        for r in d.requirements
        if r.status == "failed" and not _fails(d, r, fail_on)
        for f in d.findings
        if f.requirement == r.id
    ]
    out = [provenance_line(report.provenance, lang), *_waivers(d, lang)]
    if below:
        out += ["", i18n.text("below_gate", lang, fail_on=fail_on), _failure_text(below, lang)]
    fixed = [e for e in report.baseline.fixed if e.file == d.file] if report.baseline else []
    if fixed:
        out += ["", *(fixed_text(e, lang) for e in fixed)]
    _el(suite, "system-out", "\n".join(out))
    stale = [stale_text(s, lang) for s in d.stale_justifications]
    if index == 0:
        stale += [stale_text(s, lang) for s in report.stale_file_justifications]
    _el(suite, "system-err", "\n".join(stale))


def _waivers(d: DossierResult, lang: str) -> list[str]:
    return [f"{location(f)} {f.rule_id}: {waiver_text(f.waiver, lang)}" for f in d.findings if f.waiver]


def _error_suite(
    root: ET.Element, index: int, file: str, problems: list[Problem], report: Report, lang: str, fail_on: str
) -> None:
    suite = _suite(root, index, file, report, {"tests": 1, "failures": 0, "errors": 1, "skipped": 0})
    _properties(suite, report, lang, fail_on, {})
    case = _el(suite, "testcase", name=i18n.text("input_errors", lang), classname=file, time="0")
    _el(
        case,
        "error",
        "\n".join(p.render(lang) for p in problems),
        message=problems[0].text(lang),
        type_="input-error",
    )
    _el(suite, "system-out", provenance_line(report.provenance, lang))
    _el(suite, "system-err", "")


def render(report: Report, lang: str, options: Options | None = None) -> str:
    """The JUnit XML; a `<failure>` for each requirement with a finding at or above the gate of
    `options` (--fail-on, error by default)."""
    return "".join(_pieces(report, lang, options))


def _pieces(report: Report, lang: str, options: Options | None) -> Iterator[str]:
    """The XML a suite at a time: each `<testsuite>` built, indented as the whole tree would
    indent it (ElementTree's indent of the root), written and dropped."""
    fail_on = (options or Options()).fail_on
    yield '<?xml version="1.0" encoding="UTF-8"?>\n'
    opened = False
    for suite in _suites(report, lang, fail_on):
        yield "<testsuites>\n  " if not opened else "\n  "
        opened = True
        yield ET.tostring(suite, encoding="unicode", short_empty_elements=True)
    yield "\n</testsuites>\n" if opened else "<testsuites />\n"


def _suites(report: Report, lang: str, fail_on: str) -> Iterator[ET.Element]:
    """Each suite, alone under a root of its own, indented at its depth in `<testsuites>`."""

    def alone(build: Callable[[ET.Element], None]) -> ET.Element:
        holder = ET.Element("testsuites")
        build(holder)
        suite = holder[0]
        ET.indent(suite, space="  ", level=1)
        suite.tail = None
        return suite

    for i, d in enumerate(report.dossiers):
        yield alone(partial(_dossier_suite, index=i, d=d, report=report, lang=lang, fail_on=fail_on))
    by_file: dict[str, list[Problem]] = {}
    for problem in report.errors:
        by_file.setdefault(problem.file, []).append(problem)
    for j, (file, problems) in enumerate(by_file.items(), start=len(report.dossiers)):
        yield alone(
            partial(
                _error_suite, index=j, file=file, problems=problems, report=report, lang=lang, fail_on=fail_on
            )
        )


def write(report: Report, lang: str, out: BinaryIO, options: Options | None = None) -> None:
    """The XML to out, a suite at a time (what `render` gives, never held whole)."""
    for piece in _pieces(report, lang, options):
        out.write(piece.encode("utf-8"))
