"""The options of a check, resolved: each one from the command line if it was given there, else
from the configuration file (checker.run.config), else its default, with where it came from.

Options are named by their long names, as in a configuration file (`fail-on`, `rules`,
`max-file-size`, ...). Nothing here needs click: an editor integration resolves the options of
a check as the command line does.

    config = find_config()  # the nearest .cgt-check.yaml or pyproject.toml [tool.cgt-check]
    settings = resolve({"lang": "zh", "select": ["ind"]}, config)
    report = check_paths(paths, settings.check_options())
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from checker.base import i18n
from checker.base.errors import UsageError
from checker.base.i18n import message
from checker.base.limits import MAX_FILE_BYTES

if TYPE_CHECKING:
    from checker.run.api import CheckOptions
    from checker.run.config import Config

# Every option a configuration file may set, by its long name, with its default; in this order
# --show-config lists them.
OPTIONS: dict[str, Any] = {
    "format": (),
    "output": (),
    "fail-on": "error",
    "lang": "en",
    "as-of": None,
    "select": (),
    "ignore": (),
    "rules": (),
    "justifications": (),
    "no-justifications": False,
    "baseline": None,
    "max-file-size": MAX_FILE_BYTES,
}

# Options that pair up (each --format with its --output): both come from one place.
PAIRED = frozenset({"format", "output"})

COMMAND_LINE = "command line"
DEFAULT = "default"
_SOURCES = {COMMAND_LINE: "show_config_command_line", DEFAULT: "show_config_default"}


@dataclass(frozen=True)
class Setting:
    value: Any  # a tuple for an option that takes several values
    source: str  # COMMAND_LINE, DEFAULT, or the configuration file it was read from


@dataclass(frozen=True)
class Settings:
    """Every option of OPTIONS, resolved."""

    values: Mapping[str, Setting]
    config_file: str | None = None  # the configuration file they were read from, if any

    def __getitem__(self, name: str) -> Any:
        return self.values[name].value

    @property
    def fail_on(self) -> str:
        return str(self["fail-on"])

    @property
    def lang(self) -> str:
        return str(self["lang"])

    @property
    def formats(self) -> tuple[str, ...]:
        """The report formats, in order; none given: the text report alone."""
        return tuple(self["format"])

    @property
    def outputs(self) -> tuple[str, ...]:
        """Where each format goes, in the same order (see checker.run.outputs.plan_outputs)."""
        return tuple(self["output"])

    def check_options(self, jobs: int = 1, use_cache: bool = True) -> CheckOptions:
        """The library's CheckOptions; an --as-of that is not a date is a usage error."""
        from checker.base.limits import Limits
        from checker.rulepack.selection import split_patterns
        from checker.run.api import CheckOptions

        return CheckOptions(
            as_of=as_of_date(self["as-of"]),
            justification_files=tuple(self["justifications"]),
            use_justifications=not self["no-justifications"],
            baseline_file=self["baseline"],
            select=split_patterns(self["select"]),
            ignore=split_patterns(self["ignore"]),
            rule_dirs=tuple(Path(d) for d in self["rules"]),
            limits=Limits(max_file_bytes=self["max-file-size"]),
            jobs=jobs,
            use_cache=use_cache,
        )

    def read_files(self) -> list[str]:
        """The files a run with these settings reads besides its dossiers: the configuration
        file, every rule file of the rule packs, the justification files and the baseline (a
        report is never written over one of them, see checker.run.outputs.refuse_inputs)."""
        from checker.rulepack.pack import rule_files

        read = [self.config_file] if self.config_file else []
        for directory in self["rules"]:
            try:
                read += [str(p) for p in rule_files(Path(directory))]
            except OSError:  # loading the pack reports it
                continue
        read += list(self["justifications"])
        return read + ([self["baseline"]] if self["baseline"] else [])

    def show(self, lang: str = "en") -> str:
        """Each option, its value and where it came from, one a line (--show-config), the labels
        in `lang` (the option names and the values as a configuration file writes them)."""
        lines = []
        for name in OPTIONS:
            setting = self.values[name]
            value = setting.value
            if name == "format" and not value:
                shown = "text"
            elif name == "output" and not value:
                shown = i18n.text("show_config_stdout", lang)
            elif isinstance(value, tuple):
                shown = ", ".join(map(str, value)) if value else i18n.text("show_config_none", lang)
            elif value is None:
                shown = i18n.text("show_config_today" if name == "as-of" else "show_config_none", lang)
            else:
                shown = str(value).lower() if isinstance(value, bool) else str(value)
            source = _SOURCES.get(setting.source)
            where = i18n.text(source, lang) if source else setting.source  # a file: as it is
            lines.append(i18n.text("show_config_line", lang, name=f"{name:<18}", value=shown, source=where))
        return "\n".join(lines) + "\n"


def resolve(given: Mapping[str, Any], config: Config) -> Settings:
    """The options: those `given` (on the command line, by long name), else the configuration's,
    else the defaults. Giving one of a pair (format, output) gives both."""
    unknown = sorted(set(given) - set(OPTIONS))
    if unknown:
        raise ValueError(f"not an option a configuration may set: {', '.join(unknown)}")
    explicit = set(given)
    if explicit & PAIRED:
        explicit |= PAIRED
    values = {}
    for name, default in OPTIONS.items():
        configured = config.get(name.replace("-", "_"))
        if name in explicit:
            values[name] = Setting(_value(given.get(name, default), default), COMMAND_LINE)
        elif configured is not None:
            values[name] = Setting(_value(configured, default), str(config.file))
        else:
            values[name] = Setting(default, DEFAULT)
    return Settings(values, config.file)


def _value(value: Any, default: Any) -> Any:
    """A value as the settings hold it: several values as a tuple, a date as YYYY-MM-DD."""
    if isinstance(default, tuple):
        return (value,) if isinstance(value, str) else tuple(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def find_config(explicit: str | None = None, disabled: bool = False, start: Path | None = None) -> Config:
    """The configuration: the file named (--config), none (--no-config), or else the nearest
    one at or above `start` (the working directory)."""
    from checker.run.config import find

    if explicit is not None and disabled:
        raise UsageError(message("config_and_no_config"))
    return find(start if start is not None else Path.cwd(), explicit, disabled)


def as_of_date(value: str | None) -> dt.date:
    """The check date: YYYY-MM-DD; None: today."""
    if value is None:
        return dt.date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # fromisoformat also reads 20260601, 2026-W01-1
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(message("as_of_not_a_date", value=value)) from None
