"""The text of an input file: UTF-8 without a byte order mark, the characters YAML refuses, and
the line and column of a character. A file in another encoding is named as what it looks like:
GBK/GB18030 (what Chinese Windows editors save), UTF-16 or UTF-32."""

from __future__ import annotations

import codecs
import re

from checker.base.i18n import Message, message
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


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)
# Without a byte order mark, text in UTF-16 or UTF-32 has NUL bytes beside each ASCII character.
_WIDE = (
    ("utf-32-le", "UTF-32", 4),
    ("utf-32-be", "UTF-32", 4),
    ("utf-16-le", "UTF-16", 2),
    ("utf-16-be", "UTF-16", 2),
)
_SAMPLE = 4096  # bytes looked at to tell UTF-16 or UTF-32 without a byte order mark


def _ascii_unit(unit: bytes, little: bool) -> bool:
    """Whether one code unit of UTF-16 or UTF-32 is an ASCII character (other than NUL)."""
    low, rest = (unit[0], unit[1:]) if little else (unit[-1], unit[:-1])
    return 0 < low < 0x80 and not any(rest)


def _wide_encoding(raw: bytes) -> str | None:
    """'UTF-16' or 'UTF-32' when the bytes look like text in one of them, else None: a byte order
    mark, or at least half of the first code units ASCII characters (a YAML file's keys are)."""
    for bom, name in _WIDE_BOMS:
        if raw.startswith(bom):
            return name
    sample = raw[:_SAMPLE]
    for codec, name, width in _WIDE:
        units = [sample[i : i + width] for i in range(0, len(sample) - width + 1, width)]
        little = codec.endswith("le")
        if len(units) >= 2 and 2 * sum(_ascii_unit(u, little) for u in units) >= len(units):
            try:
                raw[: len(raw) - len(raw) % width].decode(codec)
            except UnicodeDecodeError:
                continue
            return name
    return None


def _looks_gbk(raw: bytes) -> bool:
    """Whether bytes that are not UTF-8 read as GB18030 (GBK's superset) text with Chinese in it:
    what a Chinese Windows editor saves ("ANSI"). Its characters are two bytes, both at least 0x80
    for the Chinese of GB2312 (four bytes for the rarer ones); a Latin-1 letter before an ASCII
    one ("Zürich") reads as GBK too, but not with most second bytes that high."""
    try:
        text = raw.decode("gb18030")
    except UnicodeDecodeError:
        return False
    wide = [ch.encode("gb18030") for ch in text if not ch.isascii()]
    chinese = any(0x3400 <= ord(ch) <= 0x9FFF or 0x20000 <= ord(ch) <= 0x3FFFF for ch in text)
    return chinese and 2 * sum(1 for b in wide if len(b) == 4 or b[-1] >= 0x80) > len(wide)


def _not_utf8(raw: bytes, start: int) -> tuple[int, Message]:
    """Where bytes that are not UTF-8 (the first bad byte at `start`) stop being UTF-8 text, and
    what is said of them: the first NUL byte of UTF-16 or UTF-32, the first non-ASCII byte of
    GBK (the bytes before a bad one may happen to be UTF-8), else the bad byte."""
    wide = _wide_encoding(raw)
    if wide is not None:
        nul = raw.find(b"\x00", 0, start)
        return (nul if nul >= 0 else start), message("encoding_wide", encoding=wide)
    if _looks_gbk(raw):
        first = next((i for i, byte in enumerate(raw) if byte >= 0x80), start)
        return first, message("encoding_gbk")
    return start, message("encoding_invalid_byte", byte=f"0x{raw[start]:02x}")


def decode_utf8(raw: bytes) -> str:
    """The text of UTF-8 bytes (a byte order mark dropped); bytes in another encoding are a
    located failure where they stop being UTF-8 text, naming the encoding they look like (a NUL
    byte in UTF-8 text is left to the caller)."""
    raw = raw.removeprefix(BOM)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        start = exc.start
    else:
        if b"\x00" not in raw[:_SAMPLE] or _wide_encoding(raw) is None:
            return text
        start = len(raw)  # valid UTF-8, with the NUL bytes of UTF-16 or UTF-32 text
    start, said = _not_utf8(raw, start)
    prefix = raw[:start].decode("utf-8", errors="replace")
    raise Failure(position(prefix, len(prefix)), said)


def decode_yaml_text(raw: bytes) -> str:
    """The text of a YAML file: UTF-8, without the characters YAML does not allow in a stream."""
    text = decode_utf8(raw)
    bad = NON_PRINTABLE.search(text)
    if bad is not None:
        char = bad.group()
        if char == "\x00":
            said = message("nul_byte")
        else:
            said = message("control_character", code=f"U+{ord(char):04X}")
        raise Failure(position(text, bad.start()), said)
    return text
