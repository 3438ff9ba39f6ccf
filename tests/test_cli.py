"""The CLI end to end, through its real entry point: exit codes, stdout and stderr."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
CLEAN = ROOT / "examples" / "dossiers" / "clean"
N_CLEAN = len(list(CLEAN.glob("*.yaml")))
GAPS = ROOT / "examples" / "dossiers" / "gaps"
AS_OF = "2026-06-01"


def cli(*args: str, cwd: Path = ROOT, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "checker", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        input=stdin,
        timeout=120,
    )


def _no_traceback(proc: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in proc.stderr and "Traceback" not in proc.stdout


def test_clean_examples_exit_0_with_only_the_summary() -> None:
    proc = cli("check", str(CLEAN), "--as-of", AS_OF)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stderr == ""
    summary, provenance = proc.stdout.splitlines()
    assert summary == f"{N_CLEAN} dossier(s) checked: 0 error(s), 0 warning(s), 0 info; 0 input error(s)"
    assert provenance.startswith("cgt-checker ") and provenance.endswith(f"as of {AS_OF}")


@pytest.mark.parametrize("gap", sorted(p.name for p in GAPS.glob("*.yaml")))
def test_each_gap_example_exits_1(gap: str) -> None:
    proc = cli("check", str(GAPS / gap), "--as-of", AS_OF)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    _no_traceback(proc)
    *lines, blank, summary, provenance = proc.stdout.splitlines()
    assert (
        blank == "" and summary.startswith("1 dossier(s) checked: ") and provenance.startswith("cgt-checker")
    )
    assert lines
    for line in lines:
        m = re.fullmatch(r"(.+):(\d+):(\d+) (error|warning|info) ([a-z0-9.-]+) \[(CGT-[A-Z-]+)\] .+", line)
        assert m, line
        assert m.group(1).endswith(gap) and int(m.group(2)) >= 1 and int(m.group(3)) >= 1


def test_json_report_is_valid_and_complete(tmp_path: Path) -> None:
    out = tmp_path / "report.json"
    proc = cli("check", str(GAPS), "--format", "json", "--output", str(out), "--as-of", AS_OF)
    assert proc.returncode == 1 and proc.stdout == ""
    report = json.loads(out.read_text("utf-8"))
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text("utf-8"))
    jsonschema.Draft202012Validator(schema).validate(report)
    catalogue = {r["id"] for r in json.loads(cli("rules", "list", "--format", "json").stdout)["requirements"]}
    for dossier in report["dossiers"]:
        assert {r["id"] for r in dossier["requirements"]} == catalogue
        lines = Path(dossier["file"]).read_text("utf-8").splitlines()
        for f in dossier["findings"]:
            assert 1 <= f["line"] <= len(lines)
            for key in ("rule_id", "requirement", "severity", "path", "message", "citation", "remediation"):
                assert f[key]


def test_output_is_deterministic(tmp_path: Path) -> None:
    a = cli("check", str(GAPS), "-f", "json", "--as-of", AS_OF).stdout
    b = cli("check", str(GAPS), "-f", "json", "--as-of", AS_OF).stdout
    assert a == b


def test_fail_on_threshold() -> None:
    file = str(GAPS / "nda-pivotal.yaml")
    assert cli("check", file, "--as-of", AS_OF, "--fail-on", "never").returncode == 0
    assert cli("check", file, "--as-of", AS_OF, "--fail-on", "info").returncode == 1


def test_chinese_messages() -> None:
    proc = cli("check", str(GAPS / "ind-rationale.yaml"), "--as-of", AS_OF, "--lang", "zh")
    assert proc.returncode == 1
    assert "已检查" in proc.stdout


def test_invalid_file_alongside_valid_ones(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('schema_version: "1.0"\nproduct:\n  name: X\n  modality: car-tt\n', "utf-8")
    proc = cli("check", str(bad), str(CLEAN / "car-t-ind.yaml"), "--as-of", AS_OF, "-f", "json")
    assert proc.returncode == 2
    _no_traceback(proc)
    report = json.loads(proc.stdout)
    assert len(report["dossiers"]) == 1 and report["errors"][0]["line"] == 4
    assert f"{bad}:4:13: error" in proc.stderr


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        ("a: [1, 2\n", "bad.yaml:1:4"),
        ("a: 1\na: 2\n", "duplicate key"),
        ("x: !!python/object:os.system {}\n", "unsupported tag"),
        (
            'schema_version: "1.0"\nproduct: {name: X, modality: car-t, sponser: Y}\n',
            "did you mean 'sponsor'",
        ),
    ],
)
def test_malformed_input_exits_2_with_a_located_error(tmp_path: Path, content: str, fragment: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(content, "utf-8")
    proc = cli("check", str(bad))
    assert proc.returncode == 2
    _no_traceback(proc)
    assert fragment in proc.stdout + proc.stderr


def test_missing_path_and_bad_options() -> None:
    assert cli("check", "no/such/file.yaml").returncode == 2
    proc = cli("check", str(CLEAN), "--as-of", "2026-02-30")
    assert proc.returncode == 2 and "--as-of" in proc.stderr
    assert cli("check").returncode == 2
    assert cli("check", str(CLEAN), "--format", "pdf").returncode == 2


def test_never_writes_the_dossier(tmp_path: Path) -> None:
    src = (CLEAN / "car-t-ind.yaml").read_bytes()
    f = tmp_path / "d.yaml"
    f.write_bytes(src)
    cli("check", str(f), "--as-of", AS_OF, "-o", str(tmp_path / "out.txt"))
    assert f.read_bytes() == src


def test_runs_from_any_directory(tmp_path: Path) -> None:
    proc = cli("check", str(CLEAN), "--as-of", AS_OF, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_rules_list_json_covers_the_catalogue() -> None:
    data = json.loads(cli("rules", "list", "--format", "json").stdout)
    ids = {r["requirement"] for r in data["rules"]}
    assert ids == {r["id"] for r in data["requirements"]}
    for r in data["rules"]:
        assert {"id", "requirement", "severity", "title"} <= set(r)


def test_rules_show() -> None:
    proc = cli("rules", "show", "CGT-IND-MOA")
    assert proc.returncode == 0 and "moa-unclear" in proc.stdout
    proc = cli("rules", "show", "moa-unclearr")
    assert proc.returncode == 2 and "did you mean" in proc.stderr


def test_schema_command_prints_the_committed_schema() -> None:
    proc = cli("schema")
    assert proc.stdout == (ROOT / "schemas" / "dossier.schema.json").read_text("utf-8")


def test_help_and_version() -> None:
    assert "Exit codes" in cli("--help").stdout
    assert cli("--version").stdout.startswith("cgt-check, version")


def test_missing_engine_extension_is_a_clear_error() -> None:
    code = (
        "import sys; sys.modules['durable_rules_engine'] = None; sys.argv = ['cgt-check', 'check', "
        f"{str(CLEAN / 'car-t-ind.yaml')!r}]; from checker.cli.app import main; main()"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 2
    _no_traceback(proc)
    assert "rule engine cannot be loaded" in proc.stderr


def test_alias_expansion_cannot_build_an_oversized_fact(tmp_path: Path) -> None:
    # 66 KB of YAML that would expand to ~20 MB of text in one fact: the engine would crash.
    text = 'schema_version: "1.0"\nproduct:\n  name: &a "' + "x" * 65_000 + '"\n  modality: car-t\n'
    text += "  targets: [" + ", ".join(["*a"] * 300) + "]\n"
    bad = tmp_path / "bomb.yaml"
    bad.write_text(text, "utf-8")
    proc = cli("check", str(bad))
    assert proc.returncode == 2, proc.stderr
    assert "alias expansion" in proc.stderr


def test_output_edge_cases(tmp_path: Path) -> None:
    clean = str(CLEAN / "car-t-ind.yaml")
    proc = cli("check", clean, "--as-of", AS_OF, "-o", str(tmp_path))
    assert proc.returncode == 2 and "is a directory" in proc.stderr
    _no_traceback(proc)
    proc = cli("check", clean, "--as-of", AS_OF, "-o", str(tmp_path / "missing" / "out.txt"))
    assert proc.returncode == 2 and "cannot write" in proc.stderr
    _no_traceback(proc)
    real = tmp_path / "real.json"
    real.write_text("old", "utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert cli("check", clean, "--as-of", AS_OF, "-f", "json", "-o", str(link)).returncode == 0
    assert link.is_symlink() and real.read_text("utf-8").startswith("{")
    assert cli("check", clean, "--as-of", AS_OF, "-o", "/dev/null").returncode == 0
    assert Path("/dev/null").is_char_device()


def test_unusual_paths_are_input_errors(tmp_path: Path) -> None:
    proc = cli("check", "a" * 5000 + ".yaml")
    assert proc.returncode == 2
    _no_traceback(proc)
    proc = cli("check", "/dev/zero")
    assert proc.returncode == 2 and "not a regular file" in proc.stderr
    _no_traceback(proc)


def test_json_counts_invalid_files_not_problems(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('schema_version: "1.0"\nproduct: {name: X, modality: car_t, sponser: Y}\n', "utf-8")
    report = json.loads(cli("check", str(bad), "-f", "json").stdout)
    assert report["summary"]["invalid_files"] == 1 and len(report["errors"]) == 2


@pytest.mark.parametrize(
    "args",
    [
        ["check", "{d}", "-f", "json", "-o", "{d}"],
        ["check", "{dir}", "-f", "text", "-o", "{link}"],
        ["check", "{d}", "-f", "sarif", "-o", "r.sarif", "-f", "html", "-o", "{d}"],
        ["baseline", "create", "{dir}", "-o", "{d}"],
    ],
    ids=["same-path", "through-a-link", "second-output", "baseline"],
)
def test_a_report_is_never_written_over_a_dossier(tmp_path: Path, args: list[str]) -> None:
    dossiers = tmp_path / "dossiers"
    dossiers.mkdir()
    d = dossiers / "d.yaml"
    d.write_bytes((CLEAN / "car-t-ind.yaml").read_bytes())
    (tmp_path / "link.yaml").symlink_to(d)
    before = d.read_bytes()
    names = {"d": str(d), "dir": str(dossiers), "link": str(tmp_path / "link.yaml")}
    proc = cli(*[a.format(**names) for a in args], "--as-of", AS_OF, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "one of the files this run reads" in proc.stderr
    _no_traceback(proc)
    assert d.read_bytes() == before and not (tmp_path / "r.sarif").exists()


def test_a_directory_walk_leaves_out_hidden_files_and_other_tools_directories(tmp_path: Path) -> None:
    from checker.load.discovery import discover

    (tmp_path / "dossiers").mkdir()
    (tmp_path / "dossiers" / "d.yaml").write_bytes((CLEAN / "car-t-ind.yaml").read_bytes())
    for other in (".cgt-check.yaml", ".github/workflows/ci.yml", ".venv/lib/x.yaml", "node_modules/p/a.yml"):
        (tmp_path / other).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / other).write_text("not: a dossier\n", "utf-8")
    (tmp_path / ".cgt-check.yaml").write_text("fail-on: warning\n", "utf-8")
    assert discover([str(tmp_path)]) == ([str(tmp_path / "dossiers" / "d.yaml")], [])
    proc = cli("check", ".", "--as-of", AS_OF, cwd=tmp_path)
    assert proc.returncode == 0 and proc.stderr == "", proc.stderr
    named = cli("check", ".github/workflows/ci.yml", "--no-config", cwd=tmp_path)  # named: always read
    assert named.returncode == 2 and "ci.yml" in named.stderr


@pytest.mark.parametrize("value", ["20260601", "2026-W01-1", "2026-6-1", "2026-02-30"])
def test_as_of_is_written_yyyy_mm_dd(value: str) -> None:
    proc = cli("check", str(CLEAN / "car-t-ind.yaml"), "--as-of", value)
    assert proc.returncode == 2 and f"--as-of: '{value}' is not a valid date (YYYY-MM-DD)" in proc.stderr


def test_config_and_no_config_together_are_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "c.yaml").write_text("lang: zh\n", "utf-8")
    proc = cli("check", str(CLEAN / "car-t-ind.yaml"), "--config", "c.yaml", "--no-config", cwd=tmp_path)
    assert proc.returncode == 2 and "not both" in proc.stderr


def test_rules_list_and_show_explain_a_custom_pack() -> None:
    house = str(ROOT / "examples" / "rules" / "house-rules")
    shown = cli("rules", "show", "house-moa-evidence-reference", "--rules", house)
    assert shown.returncode == 0 and "House rule:" in shown.stdout, shown.stderr
    assert cli("rules", "show", "house-moa-evidence-reference").returncode == 2
    listed = cli("rules", "list", "-f", "json", "--rules", house)
    assert listed.returncode == 0
    assert "house-moa-evidence-reference" in listed.stdout


def test_a_text_report_file_lists_the_input_errors_too(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text('schema_version: "1.0"\nproduct:\n  name: X\n', "utf-8")
    out = tmp_path / "r.txt"
    proc = cli("check", str(bad), str(CLEAN / "car-t-ind.yaml"), "-o", str(out), "--as-of", AS_OF)
    assert proc.returncode == 2
    line = f"{bad}:3:3: error at product.modality: missing required field 'modality'"
    assert line in proc.stderr and line in out.read_text("utf-8").splitlines()
    assert "1 input error(s)" in out.read_text("utf-8")


def test_selection_ignores_case_and_a_pack_without_cases_is_an_error(tmp_path: Path) -> None:
    lower = cli("check", str(GAPS / "nda-pivotal.yaml"), "--select", "cgt-nda-durable-response", "-f", "json")
    upper = cli("check", str(GAPS / "nda-pivotal.yaml"), "--select", "CGT-NDA-DURABLE-RESPONSE", "-f", "json")
    assert lower.returncode == upper.returncode == 1
    assert json.loads(lower.stdout)["dossiers"] == json.loads(upper.stdout)["dossiers"]
    pack = tmp_path / "pack"
    pack.mkdir()
    (pack / "house.yaml").write_bytes(
        (ROOT / "examples" / "rules" / "house-rules" / "house-moa.yaml").read_bytes()
    )
    proc = cli("rules", "test", str(pack))
    assert proc.returncode == 2 and "no test cases" in proc.stderr
    shown = cli("check", "--show-config", "--no-config")
    assert any(line.split()[:2] == ["output", "-"] for line in shown.stdout.splitlines()), shown.stdout


def test_a_report_is_never_written_over_the_dossier_on_standard_input(tmp_path: Path) -> None:
    d = tmp_path / "s.yaml"
    d.write_bytes((CLEAN / "car-t-ind.yaml").read_bytes())
    before = d.read_bytes()
    for args in (["check", "-", "-o", str(d)], ["baseline", "create", "-", "-o", str(d)]):
        with d.open("rb") as stdin:
            proc = subprocess.run(
                [sys.executable, "-m", "checker", *args],
                stdin=stdin,
                capture_output=True,
                text=True,
                timeout=120,
            )
        assert proc.returncode == 2 and "is standard input" in proc.stderr, proc.stderr
        assert d.read_bytes() == before


def test_a_report_is_never_written_over_a_justification_or_baseline_file(tmp_path: Path) -> None:
    j = tmp_path / "j.yaml"
    j.write_bytes((ROOT / "examples" / "justifications" / "nda-pivotal.yaml").read_bytes())
    b = tmp_path / "b.json"
    assert cli("baseline", "create", str(GAPS / "nda-pivotal.yaml"), "-o", str(b)).returncode == 0
    for args in (
        ["--justifications", str(j), "-o", str(j)],
        ["--baseline", str(b), "-f", "json", "-o", str(b)],
    ):
        before = (j.read_bytes(), b.read_bytes())
        proc = cli("check", str(GAPS / "nda-pivotal.yaml"), *args)
        assert proc.returncode == 2 and "one of the files this run reads" in proc.stderr, proc.stderr
        assert (j.read_bytes(), b.read_bytes()) == before


def test_the_command_line_ends_at_once_but_runs_what_was_asked_at_exit(tmp_path: Path) -> None:
    """The entry point ends the process without tearing the interpreter down, once the output
    is flushed and the exit functions have run; the exit code is the command's."""
    code = (
        "import atexit, sys\n"
        "atexit.register(lambda: print('exit function ran', file=sys.stderr))\n"
        f"sys.argv = ['cgt-check', 'check', '--as-of', '2026-06-01', {str(CLEAN / 'car-t-ind.yaml')!r}]\n"
        "from checker.cli.app import run\n"
        "run()\n"
        "print('never here')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert "exit function ran" in proc.stderr and "never here" not in proc.stdout
    assert proc.stdout.rstrip().endswith("as of 2026-06-01")  # the report, flushed whole
    traced = subprocess.run(  # under a profiler, Python's own exit: what it found is written
        [sys.executable, "-m", "cProfile", "-o", str(tmp_path / "p.out"), "-m", "checker", "--version"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert traced.returncode == 0 and (tmp_path / "p.out").stat().st_size > 0


def test_a_program_that_calls_main_goes_on_after_it(tmp_path: Path) -> None:
    """Only the command line's own entry point ends the process at once: a program calling
    `main` catches its SystemExit, and its own files and output are still written."""
    log = tmp_path / "log.txt"
    code = (
        "import sys\n"
        f"log = open({str(log)!r}, 'w'); log.write('before\\n')\n"
        "from checker.cli.app import main\n"
        "try:\n"
        f"    main(['check', '--as-of', '2026-06-01', {str(CLEAN / 'car-t-ind.yaml')!r}])\n"
        "except SystemExit as exc:\n"
        "    print('exit', exc.code)\n"
        "print('after')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("exit 0\nafter")
    assert log.read_text() == "before\n"
