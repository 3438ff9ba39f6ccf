"""The workbook: opened with openpyxl, its sheets, its findings exactly the JSON report's, the same
bytes for the same input, no formula from a dossier, both languages, and the command line."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
import tracemalloc
import zipfile
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from checker.base import i18n
from checker.base.errors import UsageError
from checker.report.formats import FORMATS, Options, json_report
from checker.report.formats.labels import citation_text, quote_text
from checker.report.formats.xlsx_sheet import MAX_CELL, cell_text, width
from checker.report.result import DossierResult, Report
from checker.report.stream import ReportStream, Trailer
from checker.run.api import CheckOptions, start_check
from tests.formats.common import AS_OF, BROKEN, GAPS, HOSTILE, ROOT, report
from tests.formats.test_golden import build_golden_report

XLSX = FORMATS["xlsx"]
SHEETS = {
    "en": [
        "Summary",
        "Requirement matrix",
        "Findings",
        "Rules",
        "Input errors",
        "Justifications",
        "Baseline",
    ],
    "zh": ["摘要", "要求符合性矩阵", "发现的问题", "规则", "输入错误", "豁免说明", "基线"],
}


@pytest.fixture(scope="module")
def golden() -> Report:
    """Every kind of result: errors, a warning, an info, waived, baselined, fixed, stale, an input error."""
    return build_golden_report()


@pytest.fixture(scope="module")
def many() -> Report:
    return report(["examples/dossiers", HOSTILE, BROKEN])


def _book(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _rows(sheet: Any, start: int = 2) -> list[list[Any]]:
    return [list(row) for row in sheet.iter_rows(min_row=start, values_only=True)]


def _header_row(sheet: Any) -> int:
    """The 1-based row of a sheet's header: the row its panes are frozen below."""
    match = re.fullmatch(r"[A-Z]+(\d+)", sheet.freeze_panes or "")
    assert match, sheet.title
    return int(match.group(1)) - 1


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_sheets_a_reviewer_expects_each_frozen_and_filtered(golden: Report, lang: str) -> None:
    book = _book(XLSX.bytes(golden, lang))
    assert book.sheetnames == SHEETS[lang]
    assert book.active.title == SHEETS[lang][1]  # several dossiers: it opens on the matrix
    for sheet in book:
        header = _header_row(sheet)
        assert sheet.auto_filter.ref and sheet.auto_filter.ref.startswith("A")
        assert int(re.findall(r"\d+", sheet.auto_filter.ref)[0]) == header
        labels = [c.value for c in sheet[header]]
        assert all(isinstance(v, str) and v for v in labels), (sheet.title, labels)
        assert sheet.page_setup.orientation == "landscape" and sheet.print_title_rows


def test_justifications_and_baseline_only_where_used() -> None:
    book = _book(XLSX.bytes(report([GAPS]), "en"))
    assert book.sheetnames == SHEETS["en"][:5]
    assert book.active.title == "Summary"  # one dossier: its summary first


def _json_findings(r: Report, lang: str) -> list[dict[str, Any]]:
    doc = json_report.build(r, lang).model_dump(mode="json")
    return [f for d in doc["dossiers"] for f in d["findings"]]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_findings_sheet_has_exactly_the_json_reports_findings(
    many: Report, golden: Report, lang: str
) -> None:
    L = lambda key: i18n.text(key, lang)  # noqa: E731
    for r in (many, golden):
        sheet = _book(XLSX.bytes(r, lang))[SHEETS[lang][2]]
        rows = _rows(sheet)
        expected = _json_findings(r, lang)
        assert len(rows) == len(expected) == len(r.findings()) > 0
        for row, f, finding in zip(rows, expected, r.findings(), strict=True):
            citation = citation_text(finding.citation, lang)
            assert row[:15] == [
                f["file"],
                f["requirement"],
                f["rule_id"],
                L(f["severity"]),
                L(f["status"]),
                f["path"],
                f["line"],
                f["column"],
                f["title"],
                f["message"],
                f["remediation"],
                citation,
                quote_text(finding.citation, lang),
                L(f"baseline_{f['baseline']}") if f["baseline"] else None,
                row[14] if f["waiver"] else None,
            ]
            assert f["citation"]["title"] in citation and f"[{f['citation']['source']}]" in citation
            if f["waiver"]:
                assert f["waiver"]["reason"] in row[14] and f["waiver"]["approved_by"] in row[14]
            assert row[15:] == [None, None, None]  # Owner, Response, Review status: to be filled in
        assert [c.value for c in sheet[1]][-3:] == [L("owner"), L("response"), L("review_status")]


def test_the_summary_has_the_provenance_and_each_dossiers_counts_and_verdict(golden: Report) -> None:
    sheet = _book(XLSX.bytes(golden, "en", Options(fail_on="warning")))["Summary"]
    p = golden.provenance
    cells = {row[0]: row[1] for row in _rows(sheet, 1) if row[0]}
    assert cells["Checker"] == f"{p.tool} {p.version}"
    assert cells["Rule pack"] == f"{p.rule_pack} {p.rule_pack_version}"
    assert cells["Rule pack SHA-256"] == p.rule_pack_sha256
    assert cells["As of"] == AS_OF.isoformat() and cells["Gate"] == "--fail-on warning"
    header = _header_row(sheet)
    rows = _rows(sheet, header + 1)
    assert rows[-1][0] == f"Total ({len(golden.dossiers)})" and rows[-1][1] == "Input errors: 1"
    by_file = {row[0]: row for row in rows[:-1]}
    assert list(by_file) == [d.file for d in golden.dossiers]
    for d in golden.dossiers:
        row = by_file[d.file]
        counts = [
            sum(1 for f in d.findings if not f.waived and f.severity == s)
            for s in ("error", "warning", "info")
        ]
        assert row[4] == d.sha256 and row[5:8] == counts
        assert row[8] == sum(f.waived for f in d.findings)
        assert row[9] == sum(r.status == "failed" for r in d.requirements)
        assert row[10] == ("fails" if any(f.fails("warning") for f in d.findings) else "passes")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_matrix_is_every_dossier_by_every_requirement_coloured_by_status(many: Report, lang: str) -> None:
    sheet = _book(XLSX.bytes(many, lang))[SHEETS[lang][1]]
    header = [c.value for c in sheet[1]]
    requirements = [r.id for r in many.catalogue.requirements]
    assert header[2:] == requirements
    rows = _rows(sheet)
    assert [row[0] for row in rows] == [d.file for d in many.dossiers]
    for row, d in zip(rows, many.dossiers, strict=True):
        status = {r.id: r for r in d.requirements}
        for rid, cell in zip(requirements, row[2:], strict=True):
            r = status[rid]
            said = i18n.text(r.status, lang)
            if r.status == "failed":
                said = i18n.text("failed_severity", lang, severity=i18n.text(r.severity or "", lang))
            assert cell == said
    rules = [rule for cf in sheet.conditional_formatting for rule in cf.rules]
    coloured = {rule.formula[0].strip('"') for rule in rules}
    assert {i18n.text(s, lang) for s in ("passed", "not-applicable", "waived", "baselined")} <= coloured
    assert all(rule.dxf is not None and rule.dxf.fill is not None for rule in rules)


def test_the_rules_sheet_is_the_pack_with_its_sources(many: Report) -> None:
    rows = _rows(_book(XLSX.bytes(many, "zh"))["规则"])
    assert [row[2] for row in rows] == [r.id for r in many.catalogue.rules]
    for row, rule in zip(rows, many.catalogue.rules, strict=True):
        assert (
            row[0] == rule.requirement
            and row[4] == rule.title.zh
            and row[8] == citation_text(rule.citation, "zh")
        )


def test_input_errors_justifications_and_baseline(golden: Report) -> None:
    book = _book(XLSX.bytes(golden, "en"))
    errors = _rows(book["Input errors"])
    assert [(e[0], e[1], e[2]) for e in errors] == [(p.file, p.line, p.column) for p in golden.errors]
    justified = _rows(book["Justifications"])
    assert [row[3] for row in justified] == ["waived", "covers no finding"]
    assert justified[0][4] == next(f.waiver.reason for f in golden.findings() if f.waiver)
    baseline = book["Baseline"]
    assert golden.baseline is not None
    assert str(baseline["A1"].value).startswith(f"baseline {golden.baseline.file}: ")
    fixed = _rows(baseline, _header_row(baseline) + 1)
    assert [(row[0], row[2], row[4]) for row in fixed] == [
        ("fixed", e.rule_id, e.path) for e in golden.baseline.fixed
    ]


def test_the_same_input_gives_the_same_bytes_and_a_stream_the_same_as_a_report(golden: Report) -> None:
    first = XLSX.bytes(golden, "zh")
    assert first == XLSX.bytes(golden, "zh") and first != XLSX.bytes(golden, "en")
    with zipfile.ZipFile(io.BytesIO(first)) as package:
        assert {i.date_time for i in package.infolist()} == {(1980, 1, 31, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode("utf-8")
    assert f"{AS_OF.isoformat()}T00:00:00Z" in core

    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        options = CheckOptions(as_of=AS_OF)
        whole = XLSX.bytes(report(["examples/dossiers", BROKEN]), "en")
        out = io.BytesIO()
        stream: ReportStream = start_check(["examples/dossiers", BROKEN], options).stream()
        XLSX.write(stream, "en", out)
    finally:
        os.chdir(cwd)
    assert out.getvalue() == whole and stream.consumed


def _formulas(data: bytes) -> Iterator[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        for name in package.namelist():
            if name.startswith("xl/worksheets/"):
                yield from re.findall(r"<f>.*?</f>", package.read(name).decode("utf-8"))


def test_text_from_a_dossier_never_becomes_a_formula(tmp_path: Path) -> None:
    dossier = (ROOT / GAPS).read_text("utf-8")
    product = re.search(r"^  name: (.*)$", dossier, re.M)
    assert product is not None
    hostile = dossier.replace(product.group(0), '  name: "=HYPERLINK(\\"http://x\\",\\"click\\")"', 1)
    target = tmp_path / "=1+1.yaml"
    target.write_text(hostile, "utf-8")
    justifications = tmp_path / "j.yaml"
    finding = report([GAPS]).findings()[0]
    justifications.write_text(
        "justifications:\n"
        f"  - rule: {finding.rule_id}\n    path: {finding.path}\n"
        '    reason: "+cmd|\' /C calc\'!A0"\n    approved_by: "-2+3"\n'
        f'  - rule: {finding.rule_id}\n    path: nowhere\n    reason: "@SUM(1,2)"\n    approved_by: x\n',
        "utf-8",
    )
    r = report([str(target)], [str(justifications)])
    assert r.dossiers and any(f.waiver for f in r.findings())
    data = XLSX.bytes(r, "en")
    assert list(_formulas(data)) == []
    book = _book(data)
    risky = [
        cell
        for sheet in book
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and cell.value and cell.value[0] in "=+-@"
    ]
    values = {cell.value for cell in risky}
    assert {'=HYPERLINK("http://x","click")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1,2)"} <= values
    for cell in risky:  # text, and text again once a reviewer edits it
        assert cell.data_type == "s" and cell.quotePrefix, (cell.parent.title, cell.coordinate, cell.value)


def test_what_a_cell_cannot_hold_is_escaped_or_cut() -> None:
    assert cell_text("a\ud800b\uffff") == "a\\ud800b\\uffff"
    long = cell_text("x" * 40_000)
    assert len(long) == MAX_CELL and long.endswith("…")
    assert len(cell_text("😀" * 20_000).encode("utf-16-le")) // 2 <= MAX_CELL


def test_chinese_columns_are_as_wide_as_their_text(many: Report) -> None:
    assert width("细胞abc") == 7
    book = _book(XLSX.bytes(many, "zh"))
    sheet = book["摘要"]
    header = _header_row(sheet)
    products = [row[1] for row in _rows(sheet, header + 1)[:-1]]
    assert any(re.search("[\u4e00-\u9fff]", p) for p in products)
    assert sheet.column_dimensions["B"].width >= min(max(width(p) for p in products), 60)
    assert sheet.column_dimensions["B"].width > max(len(p) for p in products)  # counted double
    assert [c.value for c in book["发现的问题"][1]][:4] == ["申报资料", "要求", "规则", "严重程度"]


def test_without_xlsxwriter_the_message_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "xlsxwriter", None)
    with pytest.raises(UsageError) as raised:
        XLSX.ready()
    assert raised.value.lines("en") == [
        "error: the xlsx format needs xlsxwriter, which is not installed: pip install 'cgt-checker[xlsx]'"
    ]
    assert "pip install 'cgt-checker[xlsx]'" in raised.value.lines("zh")[0]
    with pytest.raises(UsageError):
        XLSX.bytes(report([GAPS]), "en")


def _cli(*args: str, **kwargs: Any) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args], cwd=ROOT, capture_output=True, timeout=180, **kwargs
    )


def test_cli_a_workbook_to_a_file_or_a_pipe_is_the_same_bytes(tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    args = ["check", GAPS, HOSTILE, "--as-of", AS_OF.isoformat(), "-f", "xlsx", "--lang", "zh"]
    written = _cli(*args, "-o", str(out))
    piped = _cli(*args)
    assert written.returncode == piped.returncode == 1 and written.stdout == b"", written.stderr
    assert piped.stdout == out.read_bytes() and _book(piped.stdout).sheetnames[0] == "摘要"


def test_cli_refuses_a_workbook_on_a_terminal_and_without_xlsxwriter(tmp_path: Path) -> None:
    parent, child = pty.openpty()
    try:
        shown = subprocess.run(
            [sys.executable, "-m", "checker", "check", GAPS, "-f", "xlsx", "--lang", "zh"],
            cwd=ROOT, stdout=child, stderr=subprocess.PIPE, timeout=180,
        )  # fmt: skip
    finally:
        os.close(child)
        os.close(parent)
    assert shown.returncode == 2 and b"Traceback" not in shown.stderr
    assert "xlsx 报告是二进制文件，不能输出到终端" in shown.stderr.decode("utf-8")

    code = "import sys; sys.modules['xlsxwriter'] = None; from checker.cli.app import main; main()"
    out = tmp_path / "r.xlsx"
    missing = subprocess.run(
        [sys.executable, "-c", code, "check", GAPS, "-f", "xlsx", "-o", str(out)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert missing.returncode == 2 and "pip install 'cgt-checker[xlsx]'" in missing.stderr
    assert "Traceback" not in missing.stderr and not out.exists()


def test_cli_every_format_of_one_run_agrees_on_the_findings(tmp_path: Path) -> None:
    args = ["check", "examples/dossiers", "--as-of", AS_OF.isoformat()]
    proc = _cli(
        *args, "-f", "json", "-o", str(tmp_path / "r.json"), "-f", "xlsx", "-o", str(tmp_path / "r.xlsx")
    )
    assert proc.returncode == 1, proc.stderr
    doc = json.loads((tmp_path / "r.json").read_text("utf-8"))
    rows = _rows(_book((tmp_path / "r.xlsx").read_bytes())["Findings"])
    expected = [f for d in doc["dossiers"] for f in d["findings"]]
    assert [(r[0], r[2], r[5], r[6]) for r in rows] == [
        (f["file"], f["rule_id"], f["path"], f["line"]) for f in expected
    ]


def _peak_writing(base: Report, n: int) -> int:
    """Peak memory (traced) of writing a stream of n dossiers' results to a workbook."""

    def results() -> Iterator[DossierResult]:
        for i in range(n):
            d = base.dossiers[i % len(base.dossiers)]
            file = f"batch/{i:04d}-{Path(d.file).name}"
            yield replace(d, file=file, findings=tuple(replace(f, file=file) for f in d.findings))

    stream = ReportStream(base.provenance, lambda: base.catalogue, results(), Trailer)
    tracemalloc.start()
    try:
        XLSX.write(stream, "zh", io.BytesIO())
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_memory_does_not_grow_with_the_dossiers(many: Report) -> None:
    """The workbook is written as the results come, none held, nor the heights of rows already
    written out (XlsxWriter would keep about 140 bytes a row, and a dossier has several rows):
    what grows is the file, on disk; measured, 0.5 to 0.8 KB a dossier is left, from the
    assembly of the sheets at the end (the peak also holds one dossier's escaped copy, and its
    timing varies with the garbage collector's)."""
    _peak_writing(many, 1)  # XlsxWriter imported and its first workbook made before measuring
    small, large = _peak_writing(many, 40), _peak_writing(many, 400)
    assert (large - small) / 360 < 1_200, (small, large)


def test_a_long_sheet_keeps_no_row_heights_once_written() -> None:
    import xlsxwriter

    from checker.report.formats.xlsx_sheet import Sheet, Styles

    book = xlsxwriter.Workbook(io.BytesIO(), {"constant_memory": True, "in_memory": False})
    sheet = Sheet(book, Styles(book), "Findings", ["file", "message"], wrap=[False, True])
    sheet.header_line()
    for i in range(500):
        sheet.line([f"f{i}.yaml", "a long message " * 20])
    assert len(sheet.ws.row_info) <= 2 and len(sheet.ws.row_sizes) <= 2
    sheet.finish()
    book.close()
