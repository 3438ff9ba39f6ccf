"""GitHub Actions workflow commands: one annotation per finding, shown on the pull request's diff.

`::error file=F,line=L,col=C,title=T::message`. Values are escaped as the runner expects
(`%`, CR, LF everywhere; `:` and `,` in properties too). Info findings are notices. Input errors
are error annotations on their file; a last notice carries the summary and the provenance."""

from __future__ import annotations

from checker.formats.labels import label, provenance_line
from checker.formats.text import summary_line
from checker.result import Report

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _prop(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def _command(kind: str, message: str, **props: str | int) -> str:
    args = ",".join(f"{k}={_prop(str(v))}" for k, v in props.items())
    return f"::{kind} {args}::{_data(message)}" if args else f"::{kind}::{_data(message)}"


def render(report: Report, lang: str) -> str:
    lines = []
    for f in report.findings():
        message = (
            f"{f.message.get(lang)}\n{label('remediation', lang)}: {f.remediation.get(lang)}\n"
            f"[{f.requirement}] {f.path}"
        )
        lines.append(
            _command(
                COMMANDS[f.severity],
                message,
                file=f.file,
                line=f.line,
                col=f.column,
                title=f"{f.rule_id}: {f.title.get(lang)}",
            )
        )
    for p in report.errors:
        lines.append(
            _command(
                "error",
                p.message,
                file=p.file,
                line=p.line,
                col=p.column,
                title=f"cgt-check: {label('input_errors', lang)}",
            )
        )
    summary = f"{summary_line(report, lang)}\n{provenance_line(report.provenance, lang)}"
    lines.append(_command("notice", summary, title="cgt-check"))
    return "\n".join(lines) + "\n"
