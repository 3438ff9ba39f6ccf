"""Small text helpers shared by the checker and its reports."""

from __future__ import annotations

import re
from functools import cache
from pathlib import PurePosixPath

STDIN_NAME = "<stdin>"  # how standard input is named in reports


def one_line(text: str, limit: int = 200) -> str:
    """Text from a dossier or a justification inside a message: one line, control characters
    shown as escapes (nothing can start a new line or drive a terminal), not too long."""
    text = " ".join(text.split())
    text = "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def norm_file(file: str) -> str:
    """A file name as findings are keyed across runs: forward slashes, no './' or '//'."""
    return str(PurePosixPath(file.replace("\\", "/")))


@cache
def _glob_regex(pattern: str) -> re.Pattern[str]:
    out = []
    i = 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def path_glob_match(path: str, pattern: str) -> bool:
    """Whether a file path matches a glob in which `*` and `?` stay within one directory and `**`
    spans directories (dossiers/*.yaml is not dossiers/gaps/x.yaml; dossiers/**/*.yaml is)."""
    return _glob_regex(norm_file(pattern)).fullmatch(norm_file(path)) is not None


def has_cjk(text: str) -> bool:
    """Whether text has a CJK character: an ideograph, CJK punctuation or a full-width form."""
    return any(0x3000 <= ord(ch) <= 0x9FFF or 0xFF00 <= ord(ch) <= 0xFFEF for ch in text)
