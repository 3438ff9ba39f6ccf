"""A report's cover: --title, --client and --logo, checked as the hostile inputs they are.

The logo is embedded in the report as a data URI, so it is read here once, bounded: a regular
file only (not a directory, a pipe or a device), at most MAX_LOGO_BYTES, and a PNG or JPEG image
by its content, whatever its name says. An SVG is refused, not cleaned: it is a document that can
carry scripts and links, and a report must not carry anything that runs."""

from __future__ import annotations

import base64

from checker.base.errors import InputError, Problem, UsageError
from checker.base.i18n import message
from checker.base.textutil import one_line
from checker.load.files import read_limited
from checker.report.result import Cover

MAX_LOGO_BYTES = 1_000_000
MAX_COVER_TEXT = 200  # characters of --title and --client

_PNG = b"\x89PNG\r\n\x1a\n"
_JPEG = b"\xff\xd8\xff"
_MAX_PIXELS = 10_000  # a PNG wider or taller than this is refused (a decompression bomb)


def cover(title: str | None, client: str | None, logo_file: str | None) -> Cover:
    """The cover of a report; a text too long is a usage error, a logo that is not a small PNG or
    JPEG file an input error naming it."""
    return Cover(
        _text("title", title),
        _text("client", client),
        logo(logo_file) if logo_file else "",
    )


def _text(option: str, value: str | None) -> str:
    if value is None:
        return ""
    if len(value) > MAX_COVER_TEXT:
        raise UsageError(
            message("cover_text_too_long", option=option, length=len(value), limit=MAX_COVER_TEXT)
        )
    return one_line(" ".join(value.split()), MAX_COVER_TEXT)


def logo(file: str) -> str:
    """The logo file as a data URI (image/png or image/jpeg)."""

    def refused(key: str, **fields: str | int) -> InputError:
        return InputError(message(key, **fields), [Problem(file, 1, 1, message(key, **fields))])

    data = read_limited(file, MAX_LOGO_BYTES)  # a regular file, bounded, as every input
    mime = _sniff(data)
    if mime is None:
        head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
        if head.startswith((b"<?xml", b"<svg", b"<!doctype svg", b"<!--")) or b"<svg" in head:
            raise refused("logo_svg")
        raise refused("logo_not_image")
    if mime == "image/png" and not _png_size_ok(data):
        raise refused("logo_bad_png", limit=_MAX_PIXELS)
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def _sniff(data: bytes) -> str | None:
    if data.startswith(_PNG):
        return "image/png"
    if data.startswith(_JPEG) and data.rstrip(b"\x00").endswith(b"\xff\xd9"):
        return "image/jpeg"
    return None


def _png_size_ok(data: bytes) -> bool:
    """A PNG starts with its IHDR chunk: width and height, each 1 to _MAX_PIXELS."""
    if len(data) < 24 or data[12:16] != b"IHDR":
        return False
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return 0 < width <= _MAX_PIXELS and 0 < height <= _MAX_PIXELS
