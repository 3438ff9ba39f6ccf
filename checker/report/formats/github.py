"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

`::error file=F,line=L,col=C,title=T::message`. Values are escaped as the runner expects
(`%`, CR, LF everywhere; `:` and `,` in properties too). Info and waived findings are notices;
stale justifications are warnings. Input errors
are error annotations on their file; a last notice carries the summary and the provenance."""

from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from checker.base import i18n
from checker.report.formats.labels import baseline_line, provenance_line, stale_text, waiver_text
from checker.report.formats.text import summary_line
from checker.report.result import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props: str | int) -> str:
    args = ",".join(f"{k}={_prop(str(v))}" for k, v in props.items())
    return f"::{kind} {args}::{_data(message)}" if args else f"::{kind}::{_data(message)}"


def render(report: Report, lang: str) -> str:
    return "".join(line + "\n" for line in _lines(report, lang))


def _lines(report: Report, lang: str) -> Iterator[str]:
    """The report's workflow commands, one at a time."""
    for f in (f for d in report.dossiers for f in d.findings):
        message = (
            f"{f.message.get(lang)}\n{i18n.text('remediation', lang)}: {f.remediation.get(lang)}\n"
            f"[{f.requirement}] {f.path}"
        )
        title = f"{f.rule_id}: {f.title.get(lang)}"
        if f.waiver is not None:
            message += f"\n{waiver_text(f.waiver, lang)}"
            title += f" ({i18n.text('waived', lang)})" if f.waived else ""
        if f.baseline == "unchanged":
            title += f" ({i18n.text('baselined', lang)})"
        kind = COMMANDS[f.severity] if f.gating else "notice"
        yield _command(kind, message, file=f.file, line=f.line, col=f.column, title=title)
    for s in report.stale_justifications():
        yield (
            _command(
                "warning",
                stale_text(s, lang, named=False),
                file=s.file,
                line=s.line,
                col=s.column,
                title=f"cgt-check: {i18n.text('stale_justifications', lang)}",
            )
        )
    for p in report.errors:
        yield (
            _command(
                "error",
                p.text(lang),
                file=p.file,
                line=p.line,
                col=p.column,
                title=f"cgt-check: {i18n.text('input_errors', lang)}",
            )
        )
    compared = baseline_line(report, lang)
    summary = "\n".join(
        x for x in (summary_line(report, lang), compared, provenance_line(report.provenance, lang)) if x
    )
    yield _command("notice", summary, title="cgt-check")


def write(report: Report, lang: str, out: BinaryIO) -> None:
    """The report to out, a command at a time."""
    for line in _lines(report, lang):
        out.write((line + "\n").encode("utf-8"))
