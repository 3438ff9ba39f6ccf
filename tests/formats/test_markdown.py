"""Markdown: structure, and dossier text rendered as text."""

from __future__ import annotations

from checker.report.formats import markdown
from tests.formats.common import GAPS, HOSTILE, report


def test_matrix_and_findings_are_all_there() -> None:
    r = report([GAPS])
    out = markdown.render(r, "en")
    d = r.dossiers[0]
    for req in d.requirements:
        assert f"| `{req.id}` " in out
    for f in d.findings:
        assert f"`{f.rule_id}`" in out and markdown.esc(f.message.en) in out
    assert out.count("#### ") == len(d.findings)


def test_dossier_text_cannot_become_markup() -> None:
    out = markdown.render(report([HOSTILE]), "en")
    assert "<script>" not in out and "&lt;script&gt;" in out
    assert "<img" not in out and "\\[link\\]" in out and "\\*bold\\*" in out
    for line in out.splitlines():
        if line.startswith("| ") and "EX-92" in line:
            assert line.count(" | ") == line.replace("\\|", "").count(" | ")  # pipes escaped


def test_escape() -> None:
    assert markdown.esc("a|b *c* <d> [e](f) `g`\nh") == "a\\|b \\*c\\* &lt;d&gt; \\[e\\](f) \\`g\\` h"


def test_chinese_uses_the_cde_terms() -> None:
    out = markdown.render(report([GAPS]), "zh")
    assert "要求符合性矩阵" in out and "整改建议" in out and "（引文为英文原文）" in out


def test_no_mentions_or_issue_links() -> None:
    assert markdown.esc("@octocat see #12") == "@\u200boctocat see #\u200b12"


def test_chinese_report_uses_the_chinese_product_name() -> None:
    out = markdown.render(report([GAPS]), "zh")
    assert "示例BCMA CAR-T细胞注射液" in out
