"""Markdown: structure, and dossier text rendered as text."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from checker.base import i18n
from checker.report.formats import FORMATS, Options, markdown
from checker.report.result import Report
from tests.formats.common import AS_OF, BROKEN, GAPS, HOSTILE, ROOT, report


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


LIMIT = 65_536


@pytest.fixture(scope="module")
def examples() -> Report:
    return report(["examples/dossiers", BROKEN])


def _batch(base: Report, n: int) -> Report:
    """A batch of n dossiers: the bundled examples' results again and again, each under a file name
    of its own."""
    dossiers = []
    for i in range(n):
        d = base.dossiers[i % len(base.dossiers)]
        file = f"batch/{i:03d}-{Path(d.file).name}"
        findings = tuple(replace(f, file=file) for f in d.findings)
        dossiers.append(replace(d, file=file, findings=findings))
    return replace(base, dossiers=tuple(dossiers))


def _shown_findings(text: str) -> int:
    return sum(1 for line in text.splitlines() if line.startswith("| ") and " ❌ " in line and "` " in line)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("n", [0, 200])  # 0: the bundled examples as they are
def test_the_markdown_fits_in_a_pull_request_comment(examples: Report, lang: str, n: int) -> None:
    checked = _batch(examples, n) if n else examples
    whole = markdown.render(checked, lang)
    out = FORMATS["markdown"].render(checked, lang)
    assert len(out) <= LIMIT
    assert FORMATS["markdown"].render(checked, lang, Options(markdown_max_chars=None)) == whole
    if len(whole) <= LIMIT:
        assert out == whole
        return
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    assert i18n.text("md_shortened", lang, limit="65,536") in out and L("md_full_option") in out
    total = len(checked.findings())
    shown = _shown_findings(out)
    assert 0 < shown <= total
    if shown < total:
        assert markdown.esc(i18n.text("md_left_findings", lang, n=total - shown, total=total)) in out
    else:  # every failed requirement with every finding: only the matrices' other rows are left out
        rows = sum(r.status != "failed" for d in checked.dossiers for r in d.requirements)
        assert markdown.esc(i18n.text("md_left_rows", lang, n=rows)) in out
    assert markdown.esc(i18n.text("md_left_errors", lang, n=len(checked.errors))) in out
    assert out.count("\n| ") >= 3 and f"**{L('total')}**" in out  # the summary, with its totals
    tables = 0
    for d in checked.dossiers:
        heading = f"### {markdown.esc(d.file)} · "
        failed = [r for r in d.requirements if r.status == "failed"]
        if heading in out:  # a dossier shown has all of its failed requirements, worst finding first
            tables += 1
            section = out.split(heading, 1)[1].split("\n### ", 1)[0]
            assert all(f"| `{r.id}` " in section for r in failed)
    assert tables
    if n:
        dossiers_left = sum(
            1
            for d in checked.dossiers
            if any(r.status == "failed" for r in d.requirements)
            and f"### {markdown.esc(d.file)} · " not in out
        )
        assert dossiers_left and markdown.esc(i18n.text("md_left_dossiers", lang, n=dossiers_left)) in out


def test_a_shortened_report_fits_any_limit_and_names_the_full_reports(examples: Report) -> None:
    for limit in (4_000, 12_000, 30_000):
        out = FORMATS["markdown"].render(
            examples, "en", Options(markdown_max_chars=limit, elsewhere=("r.html",))
        )
        assert len(out) <= limit and "The full report: r.html." in out


def test_cli_markdown_shortened_unless_asked_for_the_whole(tmp_path: Path) -> None:
    base = ["check", "examples/dossiers", "--as-of", AS_OF.isoformat(), "-f", "markdown"]
    short = tmp_path / "comment.md"
    run = subprocess.run(
        [sys.executable, "-m", "checker", *base, "-o", str(short), "-f", "json", "-o", str(tmp_path / "full.json")],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert run.returncode == 1, run.stderr
    said = short.read_text("utf-8")
    assert len(said) <= LIMIT and "The full report: full.json." in said
    whole = subprocess.run(
        [sys.executable, "-m", "checker", *base, "--markdown-full"],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert whole.returncode == 1 and len(whole.stdout) > LIMIT
    assert whole.stdout == markdown.render(report(["examples/dossiers"]), "en")
