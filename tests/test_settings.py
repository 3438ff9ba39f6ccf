"""Option resolution without click: the command line, else the configuration file, else the
default, with where each value came from."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from checker.base.errors import UsageError
from checker.base.limits import MAX_FILE_BYTES, Limits
from checker.run.config import Config
from checker.run.settings import COMMAND_LINE, DEFAULT, OPTIONS, as_of_date, find_config, resolve

ROOT = Path(__file__).resolve().parents[1]
CONFIG = Config(
    ".cgt-check.yaml",
    {
        "fail_on": "warning",
        "lang": "zh",
        "as_of": dt.date(2026, 6, 1),
        "select": ["ind", "nda"],
        "format": ["text", "sarif"],
        "output": ["-", "r.sarif"],
        "max_file_size": 100,
    },
)


def test_nothing_given_nothing_configured_is_the_defaults() -> None:
    settings = resolve({}, Config(None))
    assert {name: (s.value, s.source) for name, s in settings.values.items()} == {
        name: (default, DEFAULT) for name, default in OPTIONS.items()
    }
    assert (settings.fail_on, settings.lang, settings.formats, settings.outputs) == ("error", "en", (), ())
    options = settings.check_options()
    assert options.as_of == dt.date.today() and options.limits == Limits(max_file_bytes=MAX_FILE_BYTES)
    assert options.use_justifications and options.jobs == 1 and options.use_cache


def test_the_command_line_wins_over_the_configuration_which_wins_over_the_default() -> None:
    settings = resolve({"lang": "en", "select": "ind, post-marketing", "rules": ["house"]}, CONFIG)
    sources = {name: s.source for name, s in settings.values.items()}
    assert settings.lang == "en" and sources["lang"] == COMMAND_LINE
    assert settings.fail_on == "warning" and sources["fail-on"] == ".cgt-check.yaml"
    assert settings["as-of"] == "2026-06-01" and settings["max-file-size"] == 100
    assert sources["ignore"] == sources["baseline"] == DEFAULT
    options = settings.check_options(jobs=0, use_cache=False)
    assert options.select == ("ind", "post-marketing") and options.rule_dirs == (Path("house"),)
    assert options.as_of == dt.date(2026, 6, 1) and options.limits.max_file_bytes == 100
    assert (options.jobs, options.use_cache) == (0, False)


def test_a_format_or_an_output_given_replaces_the_configured_pair() -> None:
    settings = resolve({"format": ("json",)}, CONFIG)
    assert settings.formats == ("json",) and settings.outputs == ()
    assert settings.values["output"].source == COMMAND_LINE
    assert resolve({}, CONFIG).outputs == ("-", "r.sarif")


def test_show_lists_every_option_with_its_source() -> None:
    shown = resolve({"no-justifications": True}, CONFIG).show().splitlines()
    assert [line.split()[0] for line in shown] == list(OPTIONS)
    assert "no-justifications  true  [command line]" in shown
    assert "select             ind, nda  [.cgt-check.yaml]" in shown
    assert "baseline           (none)  [default]" in shown
    assert resolve({}, Config(None)).show().splitlines()[:2] == [
        "format             text  [default]",
        "output             - (standard output)  [default]",
    ]


def test_errors() -> None:
    with pytest.raises(ValueError, match="jobs"):
        resolve({"jobs": 2}, Config(None))
    with pytest.raises(UsageError, match="not both"):
        find_config("c.yaml", disabled=True)
    with pytest.raises(UsageError, match="--as-of: '2026-02-30' is not a valid date"):
        resolve({"as-of": "2026-02-30"}, Config(None)).check_options()
    assert as_of_date("2026-06-01") == dt.date(2026, 6, 1)


def test_the_nearest_configuration_is_found(tmp_path: Path) -> None:
    (tmp_path / ".cgt-check.yaml").write_text("lang: zh\n", "utf-8")
    (tmp_path / "sub").mkdir()
    settings = resolve({}, find_config(start=tmp_path / "sub"))
    assert settings.lang == "zh" and settings.values["lang"].source == str(tmp_path / ".cgt-check.yaml")
    assert resolve({}, find_config(start=tmp_path, disabled=True)).lang == "en"


def test_resolving_and_checking_need_no_click() -> None:
    code = (
        "import sys, datetime; from checker.run.settings import find_config, resolve; "
        "from checker.run.api import check_paths; "
        "s = resolve({'as-of': '2026-06-01'}, find_config(disabled=True)); "
        "r = check_paths(['examples/dossiers/clean/car-t-ind.yaml'], s.check_options()); "
        "assert r.exit_code(s.fail_on) == 0; assert 'click' not in sys.modules, 'click imported'"
    )
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
