"""A report as a stream: each dossier's result or input problem in input order, as a check gives
them, for formats that write as the results come (the text format) without holding them.
`collect` makes the whole `Report` of a stream, for the formats that need it."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, BinaryIO

from checker.base.errors import ClosedOutput, OutputError, Problem, os_reason
from checker.base.i18n import message
from checker.report.result import (
    BaselineSummary,
    Catalogue,
    Counts,
    Cover,
    DossierResult,
    Provenance,
    Report,
    StaleJustification,
)
from checker.report.spill import Spill

if TYPE_CHECKING:
    from _typeshed import ReadableBuffer


@dataclass(frozen=True)
class Trailer:
    """What a report knows only once every result is in."""

    stale_file_justifications: tuple[StaleJustification, ...] = ()  # --justifications entries unused
    baseline: BaselineSummary | None = None  # with a baseline: how the run compares with it


@dataclass
class ReportStream:
    """A report whose items come one at a time: read `items` once, in order; `trailer()` is valid
    once they are consumed. The input errors and the findings that can fail the gate are counted
    as the items pass, so that `exit_code` needs no result held."""

    provenance: Provenance
    catalogue: Callable[[], Catalogue]  # the rule pack's requirements and rules, made when needed
    items: Iterator[DossierResult | Problem]
    trailer: Callable[[], Trailer]
    cover: Cover = field(default_factory=Cover)  # what the report's cover says (--title, ...)
    counts: Counts = field(default_factory=Counts, init=False)  # of the items seen so far
    consumed: bool = field(default=False, init=False)

    def __post_init__(self) -> None:
        self.items = self._counted(self.items)

    def _counted(self, items: Iterator[DossierResult | Problem]) -> Iterator[DossierResult | Problem]:
        for item in items:
            self.counts.add(item)
            yield item
        self.consumed = True

    def exit_code(self, fail_on: str) -> int:
        """As Report.exit_code, once the items are consumed."""
        if not self.consumed:
            raise ValueError("the exit code of a report stream is known once its items are consumed")
        return self.counts.exit_code(fail_on)


def collect(stream: ReportStream) -> Report:
    """The whole report of a stream (every result held in memory)."""
    report = _gathered(stream, [])
    return replace(report, dossiers=tuple(report.dossiers))


def spill(stream: ReportStream) -> Report:
    """The whole report of a stream, its results kept in a temporary file (`Spill`) and read
    back one at a time as a format goes over them: memory does not grow with the dossiers.
    Close the spill (`close_spill`) once the report is written."""
    return _gathered(stream, Spill())


def close_spill(report: Report) -> None:
    """Let go of the temporary file of a spilled report (nothing for one held in memory)."""
    if isinstance(report.dossiers, Spill):
        report.dossiers.close()


def _gathered(stream: ReportStream, results: list[DossierResult] | Spill) -> Report:
    problems: list[Problem] = []
    for item in stream.items:
        if isinstance(item, Problem):
            problems.append(item)
        else:
            results.append(item)
    trailer = stream.trailer()
    return Report(
        stream.provenance,
        results,
        tuple(problems),
        stream.catalogue(),
        trailer.stale_file_justifications,
        trailer.baseline,
        stream.cover,
    )


class StandardOutput(io.BufferedIOBase, BinaryIO):
    """Standard output as a report's destination: each write goes through at once, after
    `before_write` (where the caller erases what it drew on the terminal, e.g. a progress bar).
    Whoever writes a report here shows its input errors on standard error, beside it, so the
    text format leaves them out of the report itself."""

    def __init__(self, raw: BinaryIO, before_write: Callable[[], None] = lambda: None) -> None:
        super().__init__()
        self._raw = raw
        self._before_write = before_write

    def writable(self) -> bool:
        return True

    def write(self, data: ReadableBuffer) -> int:
        self._before_write()
        try:
            written = self._raw.write(data)
            self._raw.flush()
        except BrokenPipeError:
            raise ClosedOutput(message("stdout_closed")) from None
        except OSError as exc:
            raise OutputError(message("cannot_write_stdout", reason=os_reason(exc))) from None
        return written
