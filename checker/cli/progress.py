"""A progress bar for long runs: drawn on a terminal only, redrawn at most ten times a second."""

from __future__ import annotations

import time
from typing import TextIO

from checker.base import i18n

WIDTH = 30
INTERVAL = 0.1  # seconds between redraws


class Progress:
    """Counts checked files out of total; silent unless enabled (a terminal, not --quiet)."""

    def __init__(self, total: int, stream: TextIO, enabled: bool, lang: str = "en") -> None:
        self.total = total
        self._lang = lang
        self.done = 0
        self._stream = stream
        self._enabled = enabled and total > 1
        self._drawn = False
        self._last = 0.0

    @staticmethod
    def wanted(stream: TextIO, quiet: bool) -> bool:
        """A bar is drawn on a terminal unless the user asked for quiet."""
        if quiet:
            return False
        try:
            return stream.isatty()
        except (AttributeError, ValueError):
            return False

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last >= INTERVAL or self.done >= self.total:
            self._last = now
            self._draw()

    def _draw(self) -> None:
        filled = WIDTH * self.done // self.total if self.total else WIDTH
        bar = "#" * filled + "-" * (WIDTH - filled)
        counted = i18n.text("progress_files", self._lang, done=self.done, total=self.total)
        self._stream.write(f"\r[{bar}] {counted}")
        self._stream.flush()
        self._drawn = True

    def clear(self) -> None:
        """Erase the bar (before other text goes to the terminal); the next advance redraws it."""
        if self._drawn:
            self._stream.write("\r\x1b[K")
            self._stream.flush()
            self._drawn = False


__all__ = ["Progress"]
