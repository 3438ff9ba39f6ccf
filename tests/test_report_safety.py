"""Reports cannot be forged or made to drive a terminal by an input, and a report that cannot
be written is one line and a documented exit code.

Control, bidirectional and zero-width characters from file names, dossier text, custom rule
text and justification reasons are never raw in any format (checker.base.escape); a file name
with a line break never starts a report line of its own. Standard output on a full disk is
`error: cannot write to standard output: ...` and exit 2; a closed pipe is quiet, exit 141."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap

import pytest

from checker.base.escape import json_safe, printable
from checker.report.formats import FORMATS, TEXT_FORMATS
from checker.run.api import CheckOptions, check_paths
from tests.fixtures import GOOD_RULE
from tests.hostile import ROOT, entry_point

GAPS = ROOT / "examples" / "dossiers" / "gaps" / "ct-ltfu.yaml"
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]")
FORGED = "fake.yaml:1:1: error fake-rule [CGT-FAKE] INJECTED LINE"
# Every character class a report may not carry raw, in a file name.
HOSTILE_NAME = f"a\n{FORGED}\r\u202e\u2066\x1b[31m\x07\u200b\ufeff\x85\u2028.yaml"


def test_printable_escapes_every_class_and_keeps_text() -> None:
    for (
        ch
    ) in "\x00\x07\x1b\n\r\t\x7f\x85\x9f\u200b\u200c\u200d\u200e\u200f\u202a\u202e\u2066\u2069\ufeff\u2028":
        shown = printable(f"a{ch}b")
        assert not UNSAFE.search(shown) and shown.startswith("a\\") and shown.endswith("b"), repr(shown)
    for kept in ("申报资料 CAR-T", "full\u3000width", "naïve — ok", "tab-free"):
        assert printable(kept) == kept


def test_json_safe_keeps_the_value() -> None:
    text = json.dumps({"f": HOSTILE_NAME}, ensure_ascii=False)
    safe = json_safe(text)
    assert not UNSAFE.search(safe) and json.loads(safe) == {"f": HOSTILE_NAME}


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory: pytest.TempPathFactory) -> object:
    """A report over a dossier with a hostile name and escaped control characters in its text,
    a custom rule whose words carry them, and a justification whose reason does."""
    tmp = tmp_path_factory.mktemp("hostile")
    dossiers = tmp / "dossiers"
    dossiers.mkdir()
    shutil.copy(GAPS, dossiers / HOSTILE_NAME)
    text = (dossiers / HOSTILE_NAME).read_text("utf-8")
    name_line = re.search(r"\n  name: .*\n", text)
    assert name_line
    dossier_text = text.replace(name_line.group(), '\n  name: "X\\e[2J\\u202e\\0\\a\\u200b"\n', 1)
    (dossiers / HOSTILE_NAME).write_text(dossier_text, "utf-8")
    house = tmp / "house"
    house.mkdir()
    rule = textwrap.dedent(GOOD_RULE).replace("Sponsor named", '"Sponsor\\u202e named\\e[31m"')
    (house / "house.yaml").write_text(rule, "utf-8")
    justifications = tmp / "j.yaml"
    justifications.write_text(
        "justifications:\n  - rule: ct-ltfu-delayed-adverse-reactions\n"
        '    path: long_term_follow_up.delayed_adverse_reactions\n    reason: "Agreed\\u202e\\e[8m\\u200b"\n'
        "    approved_by: QA\n    approved_on: 2026-01-01\n",
        "utf-8",
    )
    options = CheckOptions(
        as_of=dt.date(2026, 6, 1), rule_dirs=(house,), justification_files=(str(justifications),)
    )
    report = check_paths([str(dossiers)], options)
    assert report.dossiers and report.findings() and not report.errors, report.errors
    return report


@pytest.mark.parametrize("fmt", TEXT_FORMATS)
def test_no_format_carries_a_control_or_bidi_character_raw(hostile_report: object, fmt: str) -> None:
    out = FORMATS[fmt].render(hostile_report, "en")  # type: ignore[arg-type]
    raw = sorted({f"U+{ord(c):04X}" for c in UNSAFE.findall(out.replace("\n", "").replace("\r", ""))})
    assert not raw, f"{fmt} carries {raw}"
    assert not any(line.startswith(FORGED[:9]) for line in out.splitlines()), "a forged line"
    assert "\r" not in out and "INJECTED" in out  # shown, escaped


def test_no_workbook_cell_carries_a_control_or_bidi_character_raw(hostile_report: object) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(io.BytesIO(FORMATS["xlsx"].bytes(hostile_report, "en")))  # type: ignore[arg-type]
    texts = [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]
    assert any("INJECTED" in t for t in texts)  # the hostile text is there, escaped
    raw = sorted({f"U+{ord(c):04X}" for t in texts for c in UNSAFE.findall(t.replace("\n", ""))})
    assert not raw, f"the workbook carries {raw}"


def test_the_json_report_keeps_the_exact_file_name(hostile_report: object) -> None:
    out = FORMATS["json"].render(hostile_report, "en")  # type: ignore[arg-type]
    texts: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, str):
            texts.append(node)
        elif isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(json.loads(out))
    assert any(HOSTILE_NAME in t for t in texts)


# ------------------------------------------------------------------ output failures


def _argv(*args: str) -> list[str]:
    return [*entry_point(), *args]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full")
@pytest.mark.parametrize(
    "args", [("check", "--as-of", "2026-06-01", str(GAPS)), ("rules", "list"), ("--help",)]
)
def test_standard_output_on_a_full_disk_is_one_line_and_exit_2(args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        proc = subprocess.run(_argv(*args), stdout=full, stderr=subprocess.PIPE, timeout=120)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert proc.returncode == 2, stderr
    assert stderr.splitlines() == ["error: cannot write to standard output: no space left on device"], stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX pipes")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_closed_pipe_is_quiet_and_exit_141(jobs: str) -> None:
    gaps = [str(p) for p in sorted((ROOT / "examples" / "dossiers" / "gaps").glob("*.yaml"))] * 3
    proc = subprocess.Popen(
        _argv("check", "--as-of", "2026-06-01", "-j", jobs, *gaps),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # as `| head -1` does
    with proc.stderr:
        stderr = proc.stderr.read().decode("utf-8", "replace")
    assert proc.wait(timeout=120) == 141, stderr
    assert stderr == "", stderr


def test_an_error_naming_a_hostile_path_is_one_line() -> None:
    from checker.base.errors import UsageError
    from checker.base.i18n import message

    error = UsageError(message("output_is_input", output=f"d.yaml\n{FORGED}\u202e", name="d.yaml"))
    for lang in ("en", "zh"):
        (line,) = error.lines(lang)
        assert "\n" not in line and "\u202e" not in line and "\\n" in line
