"""What a run asks of its reports beyond their language: the options a format may take."""

from __future__ import annotations

from dataclasses import dataclass

MARKDOWN_LIMIT = 65_536  # characters: the most GitHub takes in a pull-request comment


@dataclass(frozen=True)
class Options:
    """The run's --fail-on gate (a finding below it is reported, never a failure), the longest
    Markdown report (a longer one is shortened; None: always whole) and the run's other report
    files (a shortened report says where the whole one is)."""

    fail_on: str = "error"
    markdown_max_chars: int | None = MARKDOWN_LIMIT
    elsewhere: tuple[str, ...] = ()
