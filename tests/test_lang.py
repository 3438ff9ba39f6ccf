"""Input errors in the user's language, through the real command line: Chinese throughout with
--lang zh (or lang: zh in the configuration), English in the dossier's terms rather than the
validation library's, and the mistakes Chinese users make (GBK or UTF-16 files, full-width
punctuation, a quote left open, a Windows path in double quotes) named where they are.

Each case is a broken copy of a clean example; every case is checked in one run per language."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from checker.base.limits import MAX_TEXT_CHARS
from checker.base.textutil import has_cjk
from tests.fixtures import LIBRARY_PHRASES
from tests.hostile import CORPUS

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "rules" / "cases" / "format-1.0" / "car-t-ind.yaml").read_text("utf-8")  # a 1.0 dossier
AS_OF = "2026-06-01"

# file:line:column: error[ at path]: message, in English or in Chinese
LINE = {
    "en": re.compile(
        r"(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): error(?: at (?P<path>\S+))?: (?P<message>.+)"
    ),
    "zh": re.compile(r"(?P<file>[^:]+):(?P<line>\d+):(?P<col>\d+): 错误(?: (?P<path>\S+))?: (?P<message>.+)"),
}


@dataclass(frozen=True)
class Case:
    content: bytes
    line: int
    column: int
    en: str  # a fragment of the English message
    zh: str  # ... and of the Chinese one
    path: str = ""  # the dossier path the problem is at, if any


def _edit(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new, 1)


def _at(text: str, needle: str, offset: int = 0) -> tuple[int, int]:
    """The 1-based line and column of `needle` (plus `offset` characters) in `text`."""
    index = text.index(needle) + offset
    before = text[:index]
    return before.count("\n") + 1, index - (before.rfind("\n") + 1) + 1


def _case(
    text: str, needle: str, en: str, zh: str, offset: int = 0, path: str = "", raw: bytes | None = None
) -> Case:
    line, column = _at(text, needle, offset)
    return Case(raw if raw is not None else text.encode("utf-8"), line, column, en, zh, path)


NOTEPAD_EN = "save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8)"
NOTEPAD_ZH = "请另存为 UTF-8 编码（记事本：另存为 → 编码：UTF-8）"
GBK_EN = "this file looks like GBK/GB18030 (Chinese Windows) text, not UTF-8: " + NOTEPAD_EN
GBK_ZH = "此文件似乎是 GBK/GB18030 编码（中文 Windows 的默认编码），不是 UTF-8：" + NOTEPAD_ZH
LATIN1 = 'schema_version: "1.0"\nproduct:\n  name: Société\n  modality: car-t\n'
RARE = _edit("示例BCMA", "𠀀示例BCMA")  # a character GB18030 has and GBK has not
OPEN_QUOTE = _edit("  name: EX-BCMA-CART-01 (illustrative)", '  name: "EX-BCMA-CART-01 (illustrative)')
CLOSED_LATER = OPEN_QUOTE.replace(
    "reference: Module 4.2.1.1, report NC-PHARM-101", 'reference: "Module 4.2.1.1, report NC-PHARM-101"'
)
CLOSING = _at(CLOSED_LATER, '"Module')  # the next quote in the file closes the one left open
TWICE = _edit("      - id: moa-cl-1", "      - id: moa-nc-1")
LONG = _edit("  name: EX-BCMA-CART-01 (illustrative)", "  name: " + "x" * (MAX_TEXT_CHARS + 1))


def _utf16(codec: str) -> bytes:
    return BASE.encode(codec)


CASES: dict[str, Case] = {
    # encodings
    "gbk": _case(BASE, "示例BCMA", GBK_EN, GBK_ZH, raw=BASE.encode("gbk")),
    "gb18030": _case(RARE, "𠀀", GBK_EN, GBK_ZH, raw=RARE.encode("gb18030")),
    "utf-16-bom": Case(
        _utf16("utf-16"),
        1,
        1,
        "this file looks like UTF-16 text, not UTF-8: " + NOTEPAD_EN,
        "此文件似乎是 UTF-16 编码，不是 UTF-8：" + NOTEPAD_ZH,
    ),
    "utf-16-le": Case(_utf16("utf-16-le"), 1, 2, "looks like UTF-16 text", "UTF-16 编码"),
    "utf-16-be": Case(_utf16("utf-16-be"), 1, 1, "looks like UTF-16 text", "UTF-16 编码"),
    "utf-32-bom": Case(_utf16("utf-32"), 1, 1, "looks like UTF-32 text", "UTF-32 编码"),
    "utf-32-le": Case(_utf16("utf-32-le"), 1, 2, "looks like UTF-32 text", "UTF-32 编码"),
    "latin-1": _case(
        LATIN1,
        "é",
        "file is not valid UTF-8: invalid byte 0xe9",
        "文件不是有效的 UTF-8 编码：无效字节 0xe9",
        raw=LATIN1.encode("latin-1"),
    ),
    # full-width punctuation where YAML's structure is
    "colon": _case(
        _edit("  modality: car-t", "  modality：car-t"),
        "：",
        "full-width colon '：' after the key 'modality': use ':' followed by a space",
        "字段 'modality' 后用了全角冒号 '：'：请改用半角冒号 ':'，并在其后加一个空格",
    ),
    "colon-first-line": _case(
        _edit('schema_version: "1.0"', 'schema_version："1.0"'),
        "：",
        "full-width colon '：' after the key 'schema_version'",
        "字段 'schema_version' 后用了全角冒号",
    ),
    "comma": _case(
        _edit("targets: [BCMA]", "targets: [BCMA，CD19]"),
        "，",
        "full-width comma '，' between the items of a list: use ','",
        "列表各项之间用了全角逗号 '，'：请改用半角逗号 ','",
    ),
    "enumeration-comma": _case(
        _edit("targets: [BCMA]", "targets: [BCMA、CD19]"),
        "、",
        "enumeration comma '、' between the items of a list",
        "列表各项之间用了顿号 '、'",
    ),
    "quotes": _case(
        _edit("  name: EX-BCMA-CART-01 (illustrative)", "  name: “EX-BCMA-CART-01: illustrative”"),
        "“",
        "full-width quotes '“ ”' used as quotes: use '\"'",
        "用了全角引号 '“ ”'作引号：请改用半角引号 '\"'",
    ),
    "quotes-on-a-value": _case(
        _edit('schema_version: "1.0"', "schema_version: “1.0”"),
        "“",
        "expected one of 1.0, 2.0, got '“1.0”' (did you mean '1.0'?); full-width quotes '“ ”' used as quotes",
        "应为以下之一：1.0, 2.0，实际为 '“1.0”'（是否应为 '1.0'？）；用了全角引号",
        path="schema_version",
    ),
    "brackets": _case(
        _edit("targets: [BCMA]", "targets: ［BCMA，CD19］"),
        "［",
        "expected a list, e.g. [BCMA, CD19], got '［BCMA，CD19］'; full-width brackets '［ ］' used for a list: use '[' and ']'",
        "应为列表，例如 [BCMA, CD19]，实际为 '［BCMA，CD19］'；用了全角方括号 '［ ］'表示列表",
        path="product.targets",
    ),
    "braces": _case(
        _edit("  cell_source: autologous", "  cell_source: ｛a: b｝"),
        "｛",
        "full-width braces '｛ ｝' used for a mapping: use '{' and '}'",
        "用了全角花括号 '｛ ｝'表示映射",
    ),
    "full-width-space": _case(
        _edit("  name: EX-BCMA", "\u3000 name: EX-BCMA"),
        "\u3000",
        "indented with a full-width space (U+3000), which YAML does not take as indentation",
        "用全角空格（U+3000）缩进，YAML 不将其视为缩进；请改用半角空格缩进",
    ),
    # quotes and backslashes
    "quote-left-open": _case(
        OPEN_QUOTE,
        '"EX-',
        "the quote '\"' opened here is never closed: add the closing '\"'",
        "此处的引号 '\"' 没有闭合",
    ),
    "quote-closed-lines-below": _case(
        CLOSED_LATER,
        '"EX-',
        "the quote '\"' opened here is closed only at line {}, column {}: is its closing quote missing?".format(
            *CLOSING
        ),
        "此处的引号 '\"' 直到第 {} 行第 {} 列才闭合：是否漏写了结束引号？".format(*CLOSING),
    ),
    "quote-closed-full-width": _case(
        _edit("  name: EX-BCMA-CART-01 (illustrative)", '  name: "EX-BCMA-CART-01 (illustrative)”'),
        '"EX-',
        "closed with a full-width '”': close it with '\"'",
        "用全角 '”' 结束：请改用半角 '\"' 结束",
    ),
    "windows-path": _case(
        _edit("reference: Module 4.2.1.1, report NC-PHARM-101", 'reference: "D:\\申报资料\\模块4"'),
        "\\申",
        "'\\申' in double quotes is read as an escape: write a backslash as '\\\\'",
        "双引号中的 '\\申' 会被当作转义",
    ),
    # what the dossier expected, in its terms
    "boolean": _case(
        _edit("    oncology: true", "    oncology: yes"),
        "yes",
        "expected true or false, got 'yes'",
        "应为 true 或 false，实际为 'yes'",
        path="indications[rrmm].oncology",
    ),
    "list": _case(
        _edit("targets: [BCMA]", "targets: BCMA"),
        "BCMA\n",
        "expected a list, e.g. [BCMA], got 'BCMA'",
        "应为列表，例如 [BCMA]，实际为 'BCMA'",
        path="product.targets",
    ),
    "one-of": _case(
        _edit("    stage: ind-under-review", "    stage: ind"),
        "ind\n",
        "expected one of ind-under-review, ind-approved, exploratory-trial, confirmatory-trial, nda-under-review, "
        "approved, got 'ind'",
        "应为以下之一：ind-under-review, ind-approved, exploratory-trial, confirmatory-trial, nda-under-review, "
        "approved，实际为 'ind'",
        path="indications[rrmm].stage",
    ),
    "did-you-mean": _case(
        _edit("  modality: car-t", "  modality: CAR-T"),
        "CAR-T\n",
        "got 'CAR-T' (did you mean 'car-t'?)",
        "实际为 'CAR-T'（是否应为 'car-t'？）",
        path="product.modality",
    ),
    "calendar-date": _case(
        _edit("      date: 2024-09-02", "      date: 2024-13-02"),
        "2024-13-02",
        "not a calendar date: '2024-13-02' (YYYY-MM-DD",
        "不是有效的日期：'2024-13-02'（格式为 YYYY-MM-DD",
        path="starting_materials[sm-apheresis].ethics_approval.date",
    ),
    "date": _case(
        _edit("      date: 2024-09-02", "      date: 2024/09/02"),
        "2024/09/02",
        "expected a date YYYY-MM-DD, got '2024/09/02'",
        "应为 YYYY-MM-DD 格式的日期，实际为 '2024/09/02'",
    ),
    "integer": _case(
        _edit("    subjects: 18", "    subjects: eighteen"),
        "eighteen",
        "expected a whole number, got 'eighteen'",
        "应为整数，实际为 'eighteen'",
    ),
    "at-least": _case(
        _edit("    subjects: 18", "    subjects: -1"),
        "subjects: -1",
        "expected 0 or more, got -1",
        "应大于或等于 0，实际为 -1",
        offset=len("subjects: "),
    ),
    "number": _case(
        _edit("relation: within, value: 28,", "relation: within, value: many,"),
        "many",
        "expected a number, got 'many'",
        "应为数值，实际为 'many'",
    ),
    "text": _case(
        _edit("  name: EX-BCMA-CART-01 (illustrative)", "  name: 12"),
        "12",
        "expected text, got 12; put it in quotes to keep it as text",
        "应为文本，实际为 12；如需作为文本，请加引号",
    ),
    "empty-text": _case(
        _edit("  name: EX-BCMA-CART-01 (illustrative)", '  name: ""'),
        '""',
        "expected text, got an empty value",
        "应填写文本，实际为空",
    ),
    "too-long": _case(
        LONG,
        "xxx",
        f"text too long: at most {MAX_TEXT_CHARS} characters, got {MAX_TEXT_CHARS + 1}",
        f"文本过长：最多 {MAX_TEXT_CHARS} 个字符，实际为 {MAX_TEXT_CHARS + 1} 个",
    ),
    "mapping": _case(
        _edit("  duration: {value: 15, unit: year}", "  duration: 15 years"),
        "15 years",
        "expected a mapping of keys and values (allowed keys: value, unit), got '15 years'",
        "应为“字段: 值”形式的映射（可用的字段：value, unit），实际为 '15 years'",
    ),
    "missing": _case(
        _edit("  modality: car-t\n", ""),
        "  name: EX",
        "missing required field 'modality'",
        "缺少必填字段 'modality'",
        offset=2,
    ),
    "unknown-key": _case(
        _edit("  sponsor:", "  sponser:"),
        "sponser",
        "unknown key 'sponser' (did you mean 'sponsor'?)",
        "未知字段 'sponser'（是否应为 'sponsor'？）；此处可用的字段：",
    ),
    "duplicate-id": _case(
        TWICE,
        "moa-nc-1",
        "duplicate id 'moa-nc-1' (also the id of product.mechanism_of_action.evidence[0])",
        "id 'moa-nc-1' 重复（product.mechanism_of_action.evidence[0] 也使用此 id）",
        offset=TWICE.index("moa-nc-1", TWICE.index("moa-nc-1") + 1) - TWICE.index("moa-nc-1"),
        path="product.mechanism_of_action.evidence[1].id",
    ),
}

# Chinese prose with full-width punctuation, where it is text: none of it is an error.
PROSE_EDITS = (
    ("  name_zh: 示例BCMA CAR-T细胞注射液（虚构）", "  name_zh: “示例”BCMA CAR-T细胞注射液（虚构），自体"),
    (
        "    description: >-\n",
        "    description: >-\n      本品为自体CAR-T细胞，用于治疗：复发“难治”患者、成人；见‘附件’［1］｛2｝。\n",
    ),
    ("targets: [BCMA]", 'targets: ["BCMA，B细胞成熟抗原", "CD19、CD22"]'),
    (
        "      statement: Myeloma refractory",
        "      statement: 难治性骨髓瘤：预后差，选择少。Myeloma refractory",
    ),
    (
        "        - name: proteasome inhibitors (e.g. bortezomib)",
        "        - name: 蛋白酶体抑制剂（如硼替佐米），等：“PI”",
    ),
    (
        "      shortfall: After exposure to the main drug classes, responses to further lines are infrequent and brief.",
        "      shortfall: |\n        　　第一段：现有治疗，效果有限。\n        　　第二段、说明：“完”。",
    ),
)
PROSE = BASE
for _old, _new in PROSE_EDITS:
    assert _old in PROSE, _old
    PROSE = PROSE.replace(_old, _new, 1)


def _cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
    )


@pytest.fixture(scope="module")
def cases_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("broken")
    for name, case in CASES.items():
        (directory / f"{name}.yaml").write_bytes(case.content)
    return directory


@pytest.fixture(scope="module", params=["en", "zh"])
def run(request: pytest.FixtureRequest, cases_dir: Path) -> tuple[str, dict[str, list[re.Match[str]]]]:
    """Every case checked in one run, in one language: each file's problem lines."""
    lang = request.param
    proc = _cli("check", str(cases_dir), "--as-of", AS_OF, "--no-config", "--lang", lang)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    found: dict[str, list[re.Match[str]]] = {}
    for text in proc.stderr.splitlines():
        m = LINE[lang].fullmatch(text)
        assert m, f"not a located one-line error: {text[:300]!r}"
        found.setdefault(Path(m.group("file")).stem, []).append(m)
    return lang, found


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mistake_is_named_where_it_is_in_both_languages(
    name: str, run: tuple[str, dict[str, list[re.Match[str]]]]
) -> None:
    lang, found = run
    case = CASES[name]
    [problem] = found[name]
    assert (int(problem.group("line")), int(problem.group("col"))) == (case.line, case.column), problem.group(
        0
    )
    assert getattr(case, lang) in problem.group("message"), problem.group(0)
    if case.path:
        assert problem.group("path") == case.path


def test_chinese_prose_with_full_width_punctuation_is_valid(tmp_path: Path) -> None:
    (tmp_path / "prose.yaml").write_text(PROSE, "utf-8")
    proc = _cli("check", "prose.yaml", "--as-of", AS_OF, "--no-config", "-f", "json", cwd=tmp_path)
    assert proc.returncode in (0, 1) and proc.stderr == "", proc.stderr
    report = json.loads(proc.stdout)
    assert report["errors"] == [] and len(report["dossiers"]) == 1


def test_every_input_error_in_chinese_is_chinese_and_none_is_in_the_librarys_words(cases_dir: Path) -> None:
    """The hostile corpus and the cases above, in Chinese and in English: every line is located,
    a Chinese line has Chinese text, and no line has a phrase of pydantic's."""
    for lang in ("zh", "en"):
        proc = _cli("check", str(CORPUS), str(cases_dir), "--as-of", AS_OF, "--no-config", "--lang", lang)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        lines = proc.stderr.splitlines()
        assert len(lines) >= len(CASES) + 25
        for text in lines:
            m = LINE[lang].fullmatch(text)
            assert m, text[:300]
            assert lang == "en" or has_cjk(m.group("message")), text[:300]
            assert not any(phrase in text for phrase in LIBRARY_PHRASES), text[:300]


def test_every_report_format_writes_the_input_errors_in_chinese(cases_dir: Path, tmp_path: Path) -> None:
    broken = str(cases_dir / "boolean.yaml")
    outputs = {
        fmt: tmp_path / f"report.{fmt}"
        for fmt in ("text", "json", "sarif", "junit", "github", "markdown", "html")
    }
    args = [a for fmt, out in outputs.items() for a in ("-f", fmt, "-o", str(out))]
    proc = _cli("check", broken, "--as-of", AS_OF, "--no-config", "--lang", "zh", *args)
    assert proc.returncode == 2
    said = "应为 true 或 false，实际为 'yes'"
    assert said in proc.stderr
    for fmt, out in outputs.items():  # the text report of a run of several formats leaves them to stderr
        assert fmt == "text" or said in html.unescape(out.read_text("utf-8")), fmt
    report = json.loads(outputs["json"].read_text("utf-8"))
    assert report["errors"][0]["message"] == said
    sarif = json.loads(outputs["sarif"].read_text("utf-8"))
    assert sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"] == said


def test_the_configurations_language_and_its_own_errors(cases_dir: Path, tmp_path: Path) -> None:
    broken = str(cases_dir / "boolean.yaml")
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\n", "utf-8")
    proc = _cli("check", broken, "--as-of", AS_OF, cwd=tmp_path)
    assert proc.returncode == 2 and "错误 indications[rrmm].oncology: 应为 true 或 false" in proc.stderr
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\nfail-on: warnin\n", "utf-8")
    # found before the language is known: English, unless --lang is on the command line
    english = _cli("check", broken, "--as-of", AS_OF, cwd=tmp_path)
    assert ".cgt-check.yaml:2:10: error: fail-on: expected one of error, warning" in english.stderr
    chinese = _cli("check", broken, "--as-of", AS_OF, "--lang", "zh", cwd=tmp_path)
    assert ".cgt-check.yaml:2:10: 错误: fail-on: 应为以下之一：error, warning" in chinese.stderr
    assert english.returncode == chinese.returncode == 2


@pytest.mark.parametrize(
    ("args", "en", "zh"),
    [
        (("check",), "error: give at least one PATH", "错误: 请至少给出一个 PATH"),
        (("check", "x.yaml", "--as-of", "2026-13-01"), "is not a valid date (YYYY-MM-DD)", "不是有效的日期"),
        (("check", "x.yaml", "--select", "no-such-rule"), "matches no rule id", "不匹配任何规则 id"),
        (
            ("check", "x.yaml", "-f", "json", "-f", "sarif"),
            "2 formats need 2 --output files",
            "2 种格式需要 2 个 --output",
        ),
        (("rules", "show", "no-such-rule"), "no rule or requirement", "没有规则或要求"),
    ],
)
def test_usage_errors_in_both_languages(args: tuple[str, ...], en: str, zh: str) -> None:
    for lang, fragment in (("en", en), ("zh", zh)):
        proc = _cli(*args, "--lang", lang, *(("--no-config",) if args[0] == "check" else ()))
        assert proc.returncode == 2 and fragment in proc.stderr, proc.stderr
        assert "Traceback" not in proc.stderr
