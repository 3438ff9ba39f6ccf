"""What the language server keeps warm for the dossiers of one configuration: the resolved
options (as `cgt-check check` resolves them from the same configuration file), the check's
context (the compiled pack, the --justifications entries, the baseline) and an engine session
for it. It is built when a dossier under that configuration is first checked and again only when
one of the files it was built from changes (the configuration, a custom rule file, a
justification file, the baseline)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from checker.base.errors import CheckerError, Problem
from checker.base.textutil import path_glob_match
from checker.engine.session import Session
from checker.run.api import check_context
from checker.run.config import Config
from checker.run.evaluate import Context, Outcome, check_text
from checker.run.settings import Settings, as_of_date, find_config, resolve

# A file is a dossier when it says so: the schema comment `cgt-check init` writes (pointing to
# the dossier schema, wherever it is), or a top-level `schema_version:` key.
_SCHEMA_COMMENT = re.compile(r"^#\s*yaml-language-server:\s*\$schema=\S*dossier\.schema\.json\s*$", re.M)
_SCHEMA_VERSION = re.compile(r"^schema_version\s*:", re.M)
_HEAD = 4096  # characters looked at for the schema comment


def says_dossier(source: str) -> bool:
    """Whether a YAML text says it is a dossier (the schema comment, or `schema_version:`)."""
    return bool(_SCHEMA_COMMENT.search(source[:_HEAD]) or _SCHEMA_VERSION.search(source))


@dataclass(frozen=True)
class Checked:
    """A dossier's text checked: what the check gave, and as which file and in which language."""

    name: str  # the file as the check names it (relative to the working directory when inside it)
    outcome: Outcome
    project: Project


@dataclass
class Project:
    """The warm state of the dossiers under one configuration (or none)."""

    config: Config
    settings: Settings | None = None
    context: Context | None = None
    session: Session | None = None
    problems: tuple[Problem, ...] = ()  # why the check cannot run (a broken configuration, ...)
    stamp: tuple[tuple[str, int], ...] = ()
    _stamp_files: tuple[str, ...] = field(default=(), repr=False)

    @property
    def lang(self) -> str:
        return self.settings.lang if self.settings is not None else "en"

    @property
    def base(self) -> Path | None:
        """The directory of the configuration file."""
        return Path(self.config.file).resolve().parent if self.config.file else None

    def patterns(self) -> tuple[str, ...]:
        """The configuration's `dossiers` globs, relative to its directory."""
        value = self.config.get("dossiers")
        return tuple(value) if value else ()

    def is_dossier(self, path: Path | None, source: str) -> bool:
        if says_dossier(source):
            return True
        base = self.base
        if path is None or base is None:
            return False
        try:
            relative = path.resolve().relative_to(base).as_posix()
        except ValueError:
            return False
        return any(path_glob_match(relative, p) for p in self.patterns())

    def check(self, name: str, source: str) -> Checked:
        """The outcome of a dossier's text, checked as the file `name`."""
        if self.context is None or self.session is None or self.settings is None:
            return Checked(name, Outcome(name, None, self.problems), self)
        as_of = as_of_date(self.settings["as-of"])
        data = source.encode("utf-8", errors="surrogatepass")
        return Checked(name, check_text(self.session, self.context, name, data, as_of), self)

    def close(self) -> None:
        if self.session is not None:
            self.session.close()
            self.session = None


def _stamp(files: tuple[str, ...]) -> tuple[tuple[str, int], ...]:
    """When each file was last changed (a directory: each YAML file in it), or -1 if it is gone."""
    out = []
    for file in files:
        for path in _files(Path(file)):
            try:
                out.append((str(path), os.stat(path).st_mtime_ns))
            except OSError:
                out.append((str(path), -1))
    return tuple(out)


def _files(path: Path) -> Iterator[Path]:
    if path.is_dir():
        yield path
        for directory, _, names in os.walk(path):
            for name in sorted(names):
                if name.endswith((".yaml", ".yml")):
                    yield Path(directory) / name
    else:
        yield path


def _sources(config: Config, settings: Settings | None) -> tuple[str, ...]:
    """The files a project is built from."""
    files = [config.file] if config.file else []
    if settings is not None:
        files += [*settings["rules"], *settings["justifications"]]
        if settings["baseline"]:
            files.append(settings["baseline"])
    return tuple(files)


def build(config: Config, given: Mapping[str, Any]) -> Project:
    """A project for a configuration, with the options `given` (by long name) over it, as the
    command line's; a problem that stops every check (a broken rule file or justification
    file, an --as-of that is not a date) is kept to be shown on each dossier."""
    project = Project(config)
    try:
        project.settings = resolve(given, config)
        options = project.settings.check_options()
        as_of_date(project.settings["as-of"])
        project.context = check_context(options)
        project.session = Session(project.context.pack.program)
    except CheckerError as exc:
        project.problems = tuple(exc.problems) or (Problem(config.file or "", 1, 1, exc.said),)
        project.context = None
    project._stamp_files = _sources(config, project.settings)
    project.stamp = _stamp(project._stamp_files)
    return project


OPTIONS_SOURCE = "initializationOptions"  # how the client's options are named in a problem


def given_problems(given: Mapping[str, Any]) -> tuple[Problem, ...]:
    """The client's options checked as a configuration file's are (a list where a list is
    expected, a date that is a date, a known language, ...)."""
    from pydantic import ValidationError

    from checker.base.i18n import message
    from checker.load.located import Located
    from checker.load.problems import model_errors
    from checker.run.config import ConfigModel

    try:
        ConfigModel.model_validate(dict(given))
    except ValidationError as exc:
        return tuple(
            Problem(
                OPTIONS_SOURCE,
                1,
                1,
                message("config_option", option=str(e.path[0]) if e.path else "", message=e.said()),
            )
            for e in model_errors(Located(dict(given), {}, {}), exc, ConfigModel)
        )
    return ()


class Projects:
    """The projects of the open dossiers, by configuration file: each dossier is checked with the
    configuration found from its directory, as `cgt-check check` run there finds it."""

    def __init__(self, given: Mapping[str, Any] | None = None, config_file: str | None = None) -> None:
        self.given = dict(given or {})
        self.problems = given_problems(self.given)  # options of the client that are not valid
        self.config_file = config_file  # one configuration for every dossier (like --config)
        self._projects: dict[str | None, Project] = {}
        self._found: dict[Path, str | None] = {}

    def for_file(self, path: Path | None) -> Project:
        """The project a dossier at `path` (None: not a file) is checked in, rebuilt when one of
        the files it was built from changed."""
        if self.problems:
            return Project(Config(None), problems=self.problems)
        try:
            config = self._config(path)
        except CheckerError as exc:
            failed = Project(Config(None), problems=tuple(exc.problems) or (Problem("", 1, 1, exc.said),))
            return failed
        project = self._projects.get(config.file)
        if project is not None and _stamp(project._stamp_files) == project.stamp:
            return project
        if project is not None:
            project.close()
        project = self._projects[config.file] = build(config, self.given)
        return project

    def _config(self, path: Path | None) -> Config:
        if self.config_file is not None:
            return find_config(self.config_file)
        start = path.parent if path is not None else Path.cwd()
        return find_config(start=start)

    def close(self) -> None:
        for project in self._projects.values():
            project.close()
        self._projects.clear()


def check_name(path: Path | None, uri: str) -> str:
    """The name a dossier is checked as: its path relative to the working directory when it is
    inside it (as `cgt-check check` run there names it, so baselines and justification files
    match), else its absolute path; a document that is not a file is named by its URI."""
    if path is None:
        return uri
    resolved = path.resolve()
    try:
        return resolved.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(resolved)
