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


# A glob is matched by simulating its automaton over the text, never by a backtracking regular
# expression: the work is at most (pattern length + 1) x (text length + 1) steps, whatever the
# pattern ("*a*a*a*a*b", "**/**/**/x"); a crafted glob cannot hang a check.
_STAR, _GLOBSTAR, _DIRSTAR, _ONE = object(), object(), object(), object()
Token = object  # one of the markers above, or a literal character (str)


@cache
def _glob_tokens(pattern: str, segments: bool) -> tuple[Token, ...]:
    """The glob as tokens: a literal character, `?`, `*`, `**` or `**/` (the last two only in
    path globs); repeated stars are one star."""
    out: list[Token] = []
    i = 0
    while i < len(pattern):
        if segments and pattern.startswith("**/", i):
            token: Token = _DIRSTAR
            i += 3
        elif segments and pattern.startswith("**", i):
            token, i = _GLOBSTAR, i + 2
        elif pattern[i] == "*":
            token, i = (_STAR if segments else _GLOBSTAR), i + 1
        elif pattern[i] == "?":
            token, i = _ONE, i + 1
        else:
            token, i = pattern[i], i + 1
        if token in (_STAR, _GLOBSTAR) and out and out[-1] in (_STAR, _GLOBSTAR):
            out[-1] = _GLOBSTAR if _GLOBSTAR in (token, out[-1]) else _STAR
            continue
        if token is _DIRSTAR and out and out[-1] is _DIRSTAR:
            continue
        out.append(token)
    return tuple(out)


def _closure(tokens: tuple[Token, ...], states: set[int]) -> set[int]:
    """The states reachable without reading a character: past any star (a star matches nothing)."""
    todo = list(states)
    while todo:
        k = todo.pop()
        if 0 <= k < len(tokens) and tokens[k] in (_STAR, _GLOBSTAR, _DIRSTAR) and k + 1 not in states:
            states.add(k + 1)
            todo.append(k + 1)
    return states


def glob_match(text: str, pattern: str, segments: bool = False) -> bool:
    """Whether the whole text matches the glob, in linear time. With segments (paths), `*` and
    `?` stay within one directory, `**` spans directories and `**/` is any number of leading
    directories; without, `*` is any text and `?` any one character."""
    tokens = _glob_tokens(pattern, segments)
    end = len(tokens)
    # A state k is "before token k"; -(k + 1) is "inside the directories of a `**/` at k",
    # which a '/' ends (back at k, where the next token may start).
    states = _closure(tokens, {0})
    for ch in text:
        nxt: set[int] = set()
        for k in states:
            if k < 0:
                nxt.add(-k - 1 if ch == "/" else k)
                continue
            if k == end:
                continue
            token = tokens[k]
            if token is _GLOBSTAR or (token is _STAR and ch != "/"):
                nxt.add(k)
            elif token is _DIRSTAR:
                nxt.add(k if ch == "/" else -(k + 1))
            elif token is _ONE:
                if not segments or ch != "/":
                    nxt.add(k + 1)
            elif token == ch:
                nxt.add(k + 1)
        if not nxt:
            return False
        states = _closure(tokens, nxt)
    return end in states


def path_glob_match(path: str, pattern: str) -> bool:
    """Whether a file path matches a glob in which `*` and `?` stay within one directory and `**`
    spans directories (dossiers/*.yaml is not dossiers/gaps/x.yaml; dossiers/**/*.yaml is)."""
    return glob_match(norm_file(path), norm_file(pattern), segments=True)


# CJK symbols and punctuation to the unified ideographs, and the full-width forms
_CJK = re.compile(f"[{chr(0x3000)}-{chr(0x9FFF)}{chr(0xFF00)}-{chr(0xFFEF)}]")


def has_cjk(text: str) -> bool:
    """Whether text has a CJK character: an ideograph, CJK punctuation or a full-width form."""
    return _CJK.search(text) is not None
