"""GitHub Actions workflow commands."""

from __future__ import annotations

import re

from checker.report.formats import github
from tests.formats.common import GAPS, HOSTILE, report

COMMAND = re.compile(r"::(error|warning|notice) (?:file=([^,:]*),line=(\d+),col=(\d+),)?title=([^:]*)::(.*)")


def test_one_annotation_per_finding_then_a_summary() -> None:
    r = report([GAPS, "tests/formats/data/broken.yaml"])
    lines = github.render(r, "en").splitlines()
    findings = r.findings()
    assert len(lines) == len(findings) + len(r.errors) + 1
    for line, f in zip(lines, findings, strict=False):
        m = COMMAND.fullmatch(line)
        assert m, line
        assert m.group(1) == {"error": "error", "warning": "warning", "info": "notice"}[f.severity]
        assert (m.group(2), int(m.group(3)), int(m.group(4))) == (f.file, f.line, f.column)
        assert m.group(5).startswith(f.rule_id)
    assert lines[len(findings)].startswith("::error file=tests/formats/data/broken.yaml,line=2,col=10,")
    summary = COMMAND.fullmatch(lines[-1])
    assert summary and summary.group(1) == "notice" and r.provenance.rule_pack_sha256 in summary.group(6)


def test_values_are_escaped_as_the_runner_expects() -> None:
    assert github._data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert github._prop("a:b,c%") == "a%3Ab%2Cc%25"
    out = github.render(report([HOSTILE]), "en")
    for line in out.splitlines():
        assert COMMAND.fullmatch(line), line  # a value cannot start a second command or break the line
    assert "100%25" in out and "%3A%3Aerror%3A%3A" not in out  # '::' in a message is data, not a command


def test_chinese() -> None:
    out = github.render(report([GAPS]), "zh")
    assert "整改建议" in out and "已检查 1 份申报资料" in out
