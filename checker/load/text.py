"""The text of an input file: UTF-8 without a byte order mark, the characters YAML refuses, and
the line and column of a character."""

from __future__ import annotations

import re

from checker.load.located import Failure, Mark

BOM = b"\xef\xbb\xbf"
LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# The characters YAML does not allow in a stream (YAML 1.2, 5.1: the complement of
# \x09 \x0a \x0d \x20-\x7e \x85 \xa0-\ud7ff \ue000-\ufffd \U00010000-\U0010ffff); a positive
# class compiles in a fraction of the time of the negated one, which matters at start-up.
NON_PRINTABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")


def position(text: str, index: int) -> Mark:
    """The 1-based line and column of character ``index`` of ``text``, counting YAML line breaks."""
    line = 1
    line_start = 0
    for match in LINE_BREAK.finditer(text, 0, index):
        line += 1
        line_start = match.end()
    return Mark(line, index - line_start + 1)


def decode_utf8(raw: bytes) -> str:
    """The text of UTF-8 bytes (a byte order mark dropped); invalid UTF-8 is a located failure."""
    raw = raw.removeprefix(BOM)
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = raw[: exc.start].decode("utf-8", errors="replace")
        mark = position(prefix, len(prefix))
        if exc.start == 0 and raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
            message = "file is not UTF-8 (it looks like UTF-16); save it as UTF-8"
        else:
            message = f"file is not valid UTF-8: invalid byte 0x{raw[exc.start]:02x}"
        raise Failure(mark, message) from None


def decode_yaml_text(raw: bytes) -> str:
    """The text of a YAML file: UTF-8, without the characters YAML does not allow in a stream."""
    text = decode_utf8(raw)
    bad = NON_PRINTABLE.search(text)
    if bad is not None:
        char = bad.group()
        if char == "\x00":
            message = "NUL byte is not allowed in a YAML file"
        else:
            message = f"control character U+{ord(char):04X} is not allowed in a YAML file"
        raise Failure(position(text, bad.start()), message)
    return text
