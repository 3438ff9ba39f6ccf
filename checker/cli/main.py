"""The command line: options in, a library call, an exit code out. Nothing else lives here."""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from checker import __version__
from checker.base.errors import EXIT_ERROR, EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, CheckerError, UsageError
from checker.base.limits import MAX_FILE_BYTES
from checker.model.vocab import MODALITIES, STAGES
from checker.report.formats import FORMATS
from checker.report.result import FAIL_ON

if TYPE_CHECKING:
    from checker.cli.progress import Progress
    from checker.run.api import CheckOptions, CheckRun

F = TypeVar("F", bound=Callable[..., Any])


def handle_errors(func: F) -> F:
    """The one place that turns errors into messages and exit codes."""

    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except CheckerError as exc:
            for line in exc.lines():
                click.echo(line, err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("interrupted", err=True)
            sys.exit(EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.exit(EXIT_ERROR)

    return wrapper  # type: ignore[return-value]


def _as_of(value: str | None) -> dt.date:
    if value is None:
        return dt.date.today()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):  # fromisoformat also reads 20260601, 2026-W01-1
            raise ValueError(value)
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of: '{value}' is not a valid date (YYYY-MM-DD)") from None


def _write(text: str, output: str | None) -> None:
    if output is None or output == "-":
        click.echo(text, nl=False)
        return
    from checker.run.outputs import write_atomic

    write_atomic(Path(output), text)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="cgt-check")
def main() -> None:
    """Check CGT product dossiers (YAML) against what China's CDE expects.

    \b
    Exit codes: 0 no finding at or above --fail-on; 1 findings at or above it;
    2 usage error, unreadable or invalid input, or a broken rule file;
    130 interrupted.
    """


@main.command()
@click.argument("paths", nargs=-1, metavar="PATH...")
@click.option(
    "--format",
    "-f",
    "formats",
    type=click.Choice(list(FORMATS)),
    multiple=True,
    help="Output format (default: text). Repeat it, each with its own --output, to write several "
    "reports in one run: " + "; ".join(f"{f.name}: {f.description}" for f in FORMATS.values()) + ".",
)
@click.option(
    "--output",
    "-o",
    "outputs",
    metavar="FILE",
    multiple=True,
    help="Write the report to FILE (written atomically) instead of standard output; one per --format, "
    "in the same order; '-' is standard output.",
)
@click.option(
    "--fail-on",
    type=click.Choice(FAIL_ON),
    default="error",
    show_default=True,
    help="Lowest severity that makes the exit code 1.",
)
@click.option(
    "--as-of",
    metavar="YYYY-MM-DD",
    help="The check date for date rules (default: today). Fix it for reproducible reports.",
)
@click.option(
    "--lang",
    type=click.Choice(["en", "zh"]),
    default="en",
    show_default=True,
    help="Language of the reports: English or Chinese (the CDE's terms; English sources are quoted "
    "in English).",
)
@click.option(
    "--justifications",
    "justification_files",
    metavar="FILE",
    multiple=True,
    help="A file of justifications (waivers) for findings accepted rather than fixed, besides each "
    "dossier's own justifications: section (see `cgt-check schema --kind justifications`). Repeatable.",
)
@click.option(
    "--no-justifications",
    is_flag=True,
    help="Ignore every justification: the audit view, every finding fails as found.",
)
@click.option(
    "--baseline",
    "baseline_file",
    metavar="FILE",
    help="Fail only on findings not in this baseline (from `cgt-check baseline create`); findings "
    "are matched by rule, file and dossier path, never by line.",
)
@click.option(
    "--select",
    multiple=True,
    metavar="PATTERN",
    help="Run only rules matching PATTERN: a rule id, a requirement id, a tag (e.g. ind, "
    "post-marketing, car-t) or a glob of them (CGT-PM-*). Repeatable; comma-separated lists too.",
)
@click.option(
    "--ignore", multiple=True, metavar="PATTERN", help="Do not run rules matching PATTERN (as --select)."
)
@click.option(
    "--config",
    "config_file",
    metavar="FILE",
    help="Read options from FILE instead of the nearest .cgt-check.yaml or pyproject.toml "
    "[tool.cgt-check] at or above the working directory.",
)
@click.option("--no-config", is_flag=True, help="Read no configuration file.")
@click.option(
    "--show-config", is_flag=True, help="Print the effective options and where each came from, then exit."
)
@click.option(
    "--rules",
    "rule_dirs",
    multiple=True,
    metavar="DIR",
    help="A directory of custom rule files to add to the bundled pack (repeatable).",
)
@click.option(
    "--max-file-size",
    type=click.IntRange(min=1),
    default=MAX_FILE_BYTES,
    show_default=True,
    metavar="BYTES",
    help="Largest dossier file read, in bytes; a larger file is an input error.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default="0: one per core",
    help="Worker processes for many files; the findings and their order do not depend on it.",
)
@click.option("--quiet", "-q", is_flag=True, help="No progress bar (it is only drawn on a terminal).")
@click.option(
    "--no-cache",
    is_flag=True,
    help="Build the rule pack and the dossier validator afresh, not from the cache.",
)
@handle_errors
@click.pass_context
def check(
    ctx: click.Context,
    paths: tuple[str, ...],
    formats: tuple[str, ...],
    outputs: tuple[str, ...],
    fail_on: str,
    as_of: str | None,
    lang: str,
    justification_files: tuple[str, ...],
    no_justifications: bool,
    baseline_file: str | None,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: str | None,
    no_config: bool,
    show_config: bool,
    rule_dirs: tuple[str, ...] = (),
    max_file_size: int = MAX_FILE_BYTES,
    jobs: int = 0,
    quiet: bool = False,
    no_cache: bool = False,
) -> None:
    """Check dossier files, or directories searched for *.yaml and *.yml; "-" reads a dossier
    from standard input.

    \b
    Examples:
      cgt-check check dossier.yaml
      cgt-check check dossiers/ --lang zh --as-of 2026-01-01
      cgt-check check dossiers/ -f sarif -o report.sarif -f html -o report.html -f text -o -
      cgt-check check - --rules house-rules/ < dossier.yaml
    """
    from dataclasses import replace

    from checker.cli.progress import Progress
    from checker.run.api import collect, start_check
    from checker.run.outputs import plan_outputs, refuse_inputs

    opts = _with_config(ctx, config_file, no_config)
    if show_config:
        click.echo(_show_config(opts), nl=False)
        return
    if not paths:
        raise UsageError("give at least one PATH (a dossier file, a directory, or - for standard input)")
    planned = plan_outputs(opts["formats"].value, opts["outputs"].value)
    fail_on, lang = opts["fail_on"].value, opts["lang"].value
    options = _check_options(opts)
    run = start_check(list(paths), replace(options, jobs=jobs, use_cache=not no_cache))
    read = [
        *run.files,
        *options.justification_files,
        *([options.baseline_file] if options.baseline_file else []),
    ]
    refuse_inputs([out for _, out in planned], read)
    progress = Progress(len(run.files), sys.stderr, Progress.wanted(sys.stderr, quiet))
    run.items = _shown(run.items, run, progress)
    if [fmt for fmt, _ in planned] == ["text"]:
        sys.exit(_stream_text(run, lang, planned[0][1], fail_on, progress))
    report = collect(run)  # these formats need the whole report before they write anything
    progress.clear()
    for fmt, output in planned:
        _write(FORMATS[fmt].render(report, lang), output)
    sys.exit(report.exit_code(fail_on))


def _shown(items: Iterator[Any], run: CheckRun, progress: Progress) -> Iterator[Any]:
    """The items of a check, with its input errors on stderr and the progress bar advanced."""
    from checker.base.errors import Problem

    for item in items:
        if isinstance(item, Problem):
            progress.clear()
            click.echo(item.render(), err=True)
        progress.advance(run.done - progress.done)
        yield item


def _stream_text(run: CheckRun, lang: str, output: str | None, fail_on: str, progress: Progress) -> int:
    """The text report, written as the results come (no result is held); the exit code."""
    from checker.base.errors import Problem
    from checker.report.formats.text import TextStream
    from checker.report.result import exit_code

    stream = TextStream(lang)
    kept: list[str] = []  # the report for a file, written atomically at the end
    for item in run.items:
        if isinstance(item, Problem):
            stream.error()
            if output is not None:  # a report file is complete on its own (stderr has them too)
                kept.append(item.render() + "\n")
            continue
        text = stream.feed(item)
        if text and output is not None:
            kept.append(text)
        elif text:
            progress.clear()
            click.echo(text, nl=False)
    progress.clear()
    kept.append(stream.finish(run.provenance, run.stale_file_justifications(), run.baseline_summary()))
    _write("".join(kept) if output is not None else kept[-1], output)
    return exit_code(stream.invalid > 0, stream.gating, fail_on)


@main.command()
@click.option(
    "--modality", required=True, type=click.Choice(list(MODALITIES)), help="The product's modality."
)
@click.option(
    "--stage",
    type=click.Choice(list(STAGES)),
    default="ind-under-review",
    show_default=True,
    help="The development stage of its (first) indication.",
)
@click.option(
    "--schema",
    "schema_ref",
    default="dossier.schema.json",
    show_default=True,
    metavar="PATH-OR-URL",
    help="The JSON Schema the yaml-language-server comment points editors to.",
)
@click.option(
    "--output",
    "-o",
    metavar="FILE",
    help="Write the template to FILE (never overwrites an existing file) instead of standard output.",
)
@click.option("--as-of", metavar="YYYY-MM-DD", help="The date written where a date is to be checked.")
@handle_errors
def init(modality: str, stage: str, schema_ref: str, output: str | None, as_of: str | None) -> None:
    """Write a commented dossier template for a modality and stage.

    The template is schema-valid. Checking it lists every gap still to be filled in, each at its
    line; the values marked TODO (the names, and for an approved stage the approval's type and
    date) are placeholders to replace: the checker cannot tell them from real ones.

    \b
    Example:
      cgt-check init --modality car-t --stage nda-under-review > dossier.yaml
    """
    from checker.run.scaffold import scaffold

    text = scaffold(modality, stage, _as_of(as_of), schema_ref)
    if output is not None and output != "-" and Path(output).exists():
        raise UsageError(f"{output} exists: init never overwrites a file")
    _write(text, output)


# Options a configuration file may set: the check command's parameter -> the file's key.
CONFIG_KEYS = {
    "formats": "format",
    "outputs": "output",
    "fail_on": "fail-on",
    "lang": "lang",
    "as_of": "as-of",
    "select": "select",
    "ignore": "ignore",
    "rule_dirs": "rules",
    "justification_files": "justifications",
    "no_justifications": "no-justifications",
    "baseline_file": "baseline",
    "max_file_size": "max-file-size",
}


# Defaults of options that a command may not have (e.g. `baseline create`), taken from its config.
DEFAULTS: dict[str, Any] = {
    "fail_on": "error",
    "lang": "en",
    "as_of": None,
    "no_justifications": False,
    "baseline_file": None,
    "max_file_size": MAX_FILE_BYTES,
}


@dataclass(frozen=True)
class _Opt:
    value: Any
    source: str  # "command line", "default", or the configuration file


def _with_config(ctx: click.Context, config_file: str | None, no_config: bool) -> dict[str, _Opt]:
    """Each configurable option's value: the command line, else the configuration, else the default."""
    from click.core import ParameterSource

    from checker.run.config import find

    if config_file is not None and no_config:
        raise UsageError("give --config FILE or --no-config, not both")
    config = find(Path.cwd(), config_file, no_config)
    on_command_line = {p for p in CONFIG_KEYS if ctx.get_parameter_source(p) is ParameterSource.COMMANDLINE}
    if on_command_line & {"formats", "outputs"}:  # formats and outputs pair up: both from one place
        on_command_line |= {"formats", "outputs"}
    out = {}
    for param, key in CONFIG_KEYS.items():
        given = ctx.params.get(param, DEFAULTS.get(param, ()))
        if param in on_command_line:
            out[param] = _Opt(given, "command line")
        elif config.get(key.replace("-", "_")) is not None:
            value = config.get(key.replace("-", "_"))
            if isinstance(value, dt.date):
                value = value.isoformat()
            out[param] = _Opt(tuple(value) if isinstance(value, list) else value, str(config.file))
        else:
            out[param] = _Opt(given, "default")
    return out


def _check_options(opts: dict[str, _Opt]) -> CheckOptions:
    """The library's CheckOptions from resolved options."""
    from checker.base.limits import Limits
    from checker.rulepack.selection import split_patterns
    from checker.run.api import CheckOptions

    return CheckOptions(
        as_of=_as_of(opts["as_of"].value),
        justification_files=tuple(opts["justification_files"].value),
        use_justifications=not opts["no_justifications"].value,
        baseline_file=opts["baseline_file"].value,
        select=split_patterns(opts["select"].value),
        ignore=split_patterns(opts["ignore"].value),
        rule_dirs=tuple(Path(d) for d in opts["rule_dirs"].value),
        limits=Limits(max_file_bytes=opts["max_file_size"].value),
    )


def _show_config(opts: dict[str, _Opt]) -> str:
    lines = []
    for param, key in CONFIG_KEYS.items():
        opt = opts[param]
        value = opt.value
        if param == "formats" and not value:
            shown = "text"
        elif param == "outputs" and not value:
            shown = "- (standard output)"
        elif isinstance(value, tuple):
            shown = ", ".join(map(str, value)) if value else "(none)"
        elif value is None:
            shown = "(today)" if param == "as_of" else "(none)"
        else:
            shown = str(value).lower() if isinstance(value, bool) else str(value)
        lines.append(f"{key:<18} {shown}  [{opt.source}]")
    return "\n".join(lines) + "\n"


@main.group()
def baseline() -> None:
    """Record the current findings, so that a check fails only on new ones."""


@baseline.command("create")
@click.argument("paths", nargs=-1, required=True, metavar="PATH...")
@click.option("--output", "-o", metavar="FILE", required=True, help="The baseline file to write (JSON).")
@click.option("--as-of", metavar="YYYY-MM-DD", help="The check date for date rules (default: today).")
@click.option("--justifications", "justification_files", metavar="FILE", multiple=True)
@click.option(
    "--rules", "rule_dirs", metavar="DIR", multiple=True, help="An extra rule pack directory (repeatable)."
)
@click.option("--select", multiple=True, metavar="PATTERN", help="As for check.")
@click.option("--ignore", multiple=True, metavar="PATTERN", help="As for check.")
@click.option("--config", "config_file", metavar="FILE", help="As for check.")
@click.option("--no-config", is_flag=True, help="As for check.")
@handle_errors
@click.pass_context
def baseline_create(
    ctx: click.Context,
    paths: tuple[str, ...],
    output: str,
    as_of: str | None,
    justification_files: tuple[str, ...],
    rule_dirs: tuple[str, ...],
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    config_file: str | None,
    no_config: bool,
) -> None:
    """Write the findings of PATH... to a baseline file.

    Run it, and later `cgt-check check --baseline FILE`, from the same directory with the same
    paths: findings are keyed by rule, file (as given) and dossier path. It reads the same
    configuration file as check (rule packs, selection, justifications, as-of). Exit 0 when
    written, 2 if an input is invalid (no baseline is written then).
    """
    from checker.run.api import check_paths, discover
    from checker.run.baseline import render
    from checker.run.outputs import refuse_inputs

    opts = _with_config(ctx, config_file, no_config)
    refuse_inputs([output], [*discover(list(paths))[0], *opts["justification_files"].value])
    report = check_paths(list(paths), _check_options(opts))
    for problem in report.errors:
        click.echo(problem.render(), err=True)
    if report.errors:
        sys.exit(EXIT_ERROR)
    _write(render(report), output)
    click.echo(
        f"{output}: {len(report.findings())} finding(s) of {len(report.dossiers)} dossier(s)", err=True
    )


@main.group()
def rules() -> None:
    """Explain the rule catalogue."""


def _explain_options(command: F) -> F:
    """--lang and --rules, for the commands that explain the rules."""
    command = click.option(
        "--rules",
        "rule_dirs",
        multiple=True,
        metavar="DIR",
        help="Also a directory of custom rule files, as for check (repeatable).",
    )(command)
    return click.option("--lang", type=click.Choice(["en", "zh"]), default="en", show_default=True)(command)


@rules.command("list")
@click.option(
    "--format",
    "-f",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="markdown: the rule reference document (docs/rules.md is this output).",
)
@_explain_options
@handle_errors
def rules_list(fmt: str, lang: str, rule_dirs: tuple[str, ...] = ()) -> None:
    """List every rule with its requirement and severity."""
    from checker.rulepack.explain import rules_json, rules_text
    from checker.rulepack.pack import load_pack

    pack = load_pack([Path(d) for d in rule_dirs])
    if fmt == "json":
        click.echo(json.dumps(rules_json(pack, lang), indent=2, ensure_ascii=False))
    elif fmt == "markdown":
        from checker.rulepack.ruledocs import render

        click.echo(render(pack, lang), nl=False)
    else:
        click.echo(rules_text(pack, lang), nl=False)


@rules.command("test")
@click.argument("directories", nargs=-1, metavar="[DIR]...", type=click.Path(file_okay=False))
@handle_errors
def rules_test(directories: tuple[str, ...]) -> None:
    """Run rule packs' own test cases (DIR/cases/*.yaml); no DIR: the bundled pack's.

    Each case edits a base dossier and states exactly which findings it must give. Exit 0 if
    every case passes, 1 if one fails, 2 if a case file or a rule file is broken.
    """
    from checker.run.selftest import render, test_pack

    report = test_pack([Path(d) for d in directories])
    click.echo(render(report), nl=False)
    sys.exit(EXIT_OK if report.passed else EXIT_FINDINGS)


@rules.command("show")
@click.argument("rule_or_requirement", metavar="ID")
@_explain_options
@handle_errors
def rules_show(rule_or_requirement: str, lang: str, rule_dirs: tuple[str, ...] = ()) -> None:
    """Explain one rule, or every rule of one requirement."""
    from checker.rulepack.explain import show
    from checker.rulepack.pack import load_pack

    click.echo(show(load_pack([Path(d) for d in rule_dirs]), rule_or_requirement, lang), nl=False)


@main.command()
@click.option(
    "--kind",
    type=click.Choice(["dossier", "rule", "report", "justifications"]),
    default="dossier",
    show_default=True,
)
@handle_errors
def schema(kind: str) -> None:
    """Print a JSON Schema (the dossier format by default)."""
    from checker.report.schemas import render

    click.echo(render(kind), nl=False)
