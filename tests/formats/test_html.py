"""The HTML report: structure, escaping, self-containment, and a real headless Chromium.

The browser tests need Chromium (Debian's `chromium`); they are skipped without it unless
CGT_REQUIRE_BROWSER=1 (set by CI), which makes a missing browser a failure."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

from checker.report.formats import html
from checker.report.result import Report
from tests.formats.common import CLEAN, GAPS, HOSTILE, report


class _Page(HTMLParser):
    """What a reader of the page sees: its elements by tag and class, and its text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    def handle_data(self, data: str) -> None:
        self.text.append(data)

    def all(self, tag: str, cls: str | None = None) -> list[dict[str, str]]:
        return [a for t, a in self.tags if t == tag and (cls is None or cls in a.get("class", "").split())]

    @property
    def content(self) -> str:
        return " ".join(" ".join(self.text).split())


def parse(markup: str) -> _Page:
    page = _Page()
    page.feed(markup)
    return page


def _assert_complete(page: _Page, r: Report, lang: str) -> None:
    """Every finding and every matrix row of every dossier is on the page."""
    rows = [(a["data-requirement"], a["data-status"]) for a in page.all("tr", "req")]
    assert rows == [(req.id, req.status) for d in r.dossiers for req in d.requirements]
    articles = [a["data-rule"] for a in page.all("article", "finding")]
    assert articles == [f.rule_id for f in r.findings()]
    text = page.content
    for f in r.findings():
        assert " ".join(f.message.get(lang).split()) in text
        assert " ".join(f.remediation.get(lang).split()) in text
        assert f"{f.file}:{f.line}:{f.column}" in text
    for d in r.dossiers:
        for req in d.requirements:
            assert " ".join(req.reason.get(lang).split()) in text


@pytest.fixture(scope="module")
def gaps() -> Report:
    return report([GAPS, "examples/dossiers/clean/stem-cell-approved.yaml", "tests/formats/data/broken.yaml"])


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_finding_and_matrix_row_is_there(gaps: Report, lang: str) -> None:
    page = parse(html.render(gaps, lang))
    _assert_complete(page, gaps, lang)
    assert page.all("html")[0]["lang"] == {"en": "en", "zh": "zh-CN"}[lang]


def test_semantic_and_accessible(gaps: Report) -> None:
    out = html.render(gaps, "en")
    page = parse(out)
    assert len(page.all("h1")) == 1 and page.all("main") and page.all("header") and page.all("footer")
    portfolio = 1 if len(gaps.dossiers) > 1 else 0
    assert len(page.all("table", "matrix")) == len(gaps.dossiers) == len(page.all("caption")) - 1 - portfolio
    assert len(page.all("table", "portfolio")) == portfolio
    assert all(a.get("scope") in {"col", "row"} for a in page.all("th"))
    assert out.count("<thead>") == out.count("<table")
    ids = [a["id"] for _, a in page.tags if "id" in a]
    assert len(ids) == len(set(ids))
    for a in page.all("a"):
        assert a["href"].startswith("#") and a["href"][1:] in ids  # internal links all resolve


def test_self_contained_and_printable(gaps: Report) -> None:
    out = html.render(gaps, "en")
    page = parse(out)
    assert not page.all("script") and not page.all("link") and not page.all("img") and not page.all("iframe")
    assert not re.search(r"(?:src|href)\s*=\s*[\"']?(?:https?:|//)", out)
    assert "url(" not in out and "@import" not in out
    assert "default-src 'none'" in out  # nothing may run or load, even if something slipped through
    assert "size: A4;" in out and "@media print" in out


def test_dossier_text_is_escaped() -> None:
    out = html.render(report([HOSTILE]), "en")
    assert "<script>" not in out and "<img src=x" not in out
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in out
    page = parse(out)
    assert not page.all("script") and not page.all("img")
    assert '<script>alert("x")</script>' in page.content  # shown as text


def test_chinese_quotes_are_marked_english(gaps: Report) -> None:
    page = parse(html.render(gaps, "zh"))
    quotes = page.all("blockquote")
    assert quotes and all(q.get("lang") == "en" for q in quotes)
    assert "（引文为英文原文）" in page.content
    assert not parse(html.render(gaps, "en")).all("blockquote", None)[0].get("lang")


# ---------------------------------------------------------------- a real browser


def _browser() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CGT_REQUIRE_BROWSER") == "1":
        pytest.fail("CGT_REQUIRE_BROWSER=1 but no chromium on PATH")
    pytest.skip("no chromium on PATH (CI installs Debian's chromium)")


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    profile = tmp_path / "profile"
    return subprocess.run(
        [
            _browser(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-extensions",
            f"--user-data-dir={profile}",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "HOME": str(tmp_path)},
        check=False,
    )


@pytest.mark.slow
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_in_headless_chromium(tmp_path: Path, lang: str) -> None:
    r = report(
        [GAPS, HOSTILE, "examples/dossiers/clean/car-t-approved.yaml", "tests/formats/data/broken.yaml"]
    )
    page_file = tmp_path / f"report.{lang}.html"
    page_file.write_text(html.render(r, lang), "utf-8")
    url = page_file.as_uri()

    dumped = _chromium(tmp_path, "--dump-dom", url)
    assert dumped.returncode == 0, dumped.stderr[-2000:]
    dom = parse(dumped.stdout)
    _assert_complete(dom, r, lang)  # what the browser built, not what we wrote
    assert not dom.all("script") and not dom.all("img")
    assert '<script>alert("x")</script>' in dom.content
    assert dom.all("html")[0]["lang"] == {"en": "en", "zh": "zh-CN"}[lang]

    shot = tmp_path / f"report.{lang}.png"  # for people to look at: kept in pytest's tmp dir
    taken = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,2000", "--hide-scrollbars", url)
    assert taken.returncode == 0 and shot.stat().st_size > 20_000, taken.stderr[-2000:]

    pdf = tmp_path / f"report.{lang}.pdf"
    printed = _chromium(tmp_path, f"--print-to-pdf={pdf}", "--no-pdf-header-footer", url)
    assert printed.returncode == 0 and pdf.exists(), printed.stderr[-2000:]
    boxes = set(re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", pdf.read_bytes()))
    assert boxes and all(abs(float(w) - 595.9) < 2 and abs(float(h) - 842.9) < 2 for w, h in boxes), boxes
    pdftotext = shutil.which("pdftotext")  # poppler-utils, where installed: what each page says
    if pdftotext:
        text = subprocess.run(
            [pdftotext, "-layout", str(pdf), "-"], capture_output=True, text=True, timeout=60, check=True
        ).stdout
        pages = [p for p in text.split("\f") if p.strip()]
        total = len(pages)
        numbered = {"en": "Page {n} of {total}", "zh": "第 {n} 页，共 {total} 页"}[lang]
        dossier = {"en": "Dossier: ", "zh": "申报资料："}[lang]
        for n, page_text in enumerate(pages, start=1):
            assert numbered.format(n=n, total=total) in page_text, (n, page_text[-300:])
            body = page_text.strip().splitlines()[1:-1]  # without the margins' lines
            filled = sum(len("".join(line.split())) for line in body)
            assert filled > 200, (n, page_text)  # no near-empty page
        assert any(dossier + GAPS in p for p in pages) and any(dossier + HOSTILE in p for p in pages)


# ---------------------------------------------------------------- what a consultant hands over


@pytest.fixture(scope="module")
def portfolio() -> Report:
    return report([GAPS, CLEAN, "examples/dossiers/clean/car-t-ind.yaml"])


def test_the_executive_summary_comes_first(portfolio: Report) -> None:
    out = html.render(portfolio, "en")
    page = parse(out)
    headings = [a["id"] for t, a in page.tags if t == "h2"]
    assert headings[0] == "summary" and headings[1:] == ["d0", "d1", "d2"]
    text = page.content
    assert "3 dossier(s) checked; 1 with gaps that would be reasons for non-approval." in text
    assert "2 gaps would be reasons for non-approval." in text  # ind-materials.yaml's two errors
    summary = out[: out.index('<section class="dossier"')]
    assert parse(summary).content.count("No gap found:") == 2  # and again under each clean dossier's heading
    gaps = [f for f in portfolio.dossiers[0].findings if f.gating]
    for f in gaps[:3]:  # the gaps that matter most link to their detail
        assert f.title.get("en") in summary
    links = re.findall(r'<ul class="top"[^>]*>(.*?)</ul>', summary, re.S)
    assert links and all(re.search(r'href="#d0-f\d+"', chunk) for chunk in links)


def test_the_verdict_is_in_chinese_with_full_width_punctuation(portfolio: Report) -> None:
    text = parse(html.render(portfolio, "zh")).content
    assert "共检查 3 份申报资料，其中 1 份存在可能导致不予批准的缺陷。" in text
    assert "2 项缺陷可能成为不予批准的理由。" in text
    assert "申报资料：" in text and "申报资料: " not in text
    assert "CAR-T细胞治疗" in text and "已批准上市" in text  # modality and stage in the CDE's terms


def test_a_portfolio_opens_with_the_requirement_by_dossier_matrix(portfolio: Report) -> None:
    out = html.render(portfolio, "en")
    page = parse(out)
    assert out.index('class="portfolio"') < out.index('class="verdicts"')
    rows = [a["data-portfolio"] for a in page.all("tr") if "data-portfolio" in a]
    assert rows == [r.id for r in portfolio.dossiers[0].requirements]
    cells = [a["data-status"] for a in page.all("td", "cell")]
    assert cells == [d.requirements[i].status for i in range(len(rows)) for d in portfolio.dossiers]
    assert "failed" in cells and "passed" in cells and "not-applicable" in cells
    # not by colour alone: every status has a symbol, the legend says each, and each cell says
    # its status in words for a screen reader
    legend = re.search(r'<ul class="legend".*?</ul>', out, re.S)
    assert legend
    for status in ("passed", "failed", "waived", "baselined", "not applicable"):
        assert status in legend.group(0)
    assert out.count('<span class="vh">') == len(cells)


def test_one_dossier_has_no_portfolio_matrix() -> None:
    page = parse(html.render(report([GAPS]), "en"))
    assert not page.all("table", "portfolio")


def test_printed_pages_name_their_dossier_and_number(portfolio: Report) -> None:
    out = html.render(portfolio, "zh")
    style = out[out.index("<style>") : out.index("</style>")]
    assert '@bottom-right { content: "第 " counter(page) " 页，共 " counter(pages) " 页";' in style
    for i, d in enumerate(portfolio.dossiers):
        assert f'@page d{i} {{ @top-left {{ content: "申报资料：{d.file}";' in style
        assert f"section#d{i}-section {{ page: d{i}; }}" in style
    assert "thead th, tfoot th, th.num { white-space: nowrap; word-break: keep-all; }" in style
    assert "tr, article.finding" in style and "break-inside: avoid" in style
    assert "thead { display: table-header-group; }" in style


def test_css_strings_are_escaped() -> None:
    hostile = 'x"; } body { display: none } </style><script>alert(1)</script>\\\n'
    quoted = html.css_string(hostile)
    inner = quoted[1:-1]
    assert quoted[0] == quoted[-1] == '"'
    assert '"' not in inner and "<" not in inner and "}" not in inner and "\n" not in inner
    assert "\\00003c" in inner  # '<' as a hex escape
    assert html.css_string("申报资料：a.yaml") == '"申报资料：a.yaml"'


def test_the_cover_says_title_client_and_logo() -> None:
    from dataclasses import replace

    from checker.report.result import Cover

    logo = "data:image/png;base64,iVBORw0KGgo="
    r = replace(report([GAPS, CLEAN]), cover=Cover("Review <b>Q2</b>", 'Acme "Bio"', logo))
    out = html.render(r, "zh")
    page = parse(out)
    assert page.all("h1") and "Review <b>Q2</b>" in page.content and "<b>Q2</b>" not in out
    assert '委托方：Acme "Bio"' in page.content
    images = page.all("img", "logo")
    assert len(images) == 1 and images[0]["src"] == logo and images[0]["alt"]
    assert "img-src data:" in out and "default-src 'none'" in out
    style = out[out.index("<style>") : out.index("</style>")]
    assert '"Review \\00003cb\\00003eQ2\\00003c/b\\00003e"' in style  # the title in the page margin, escaped
