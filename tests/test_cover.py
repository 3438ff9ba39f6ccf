"""The report's cover (--title, --client, --logo): the logo is a hostile input, read bounded,
sniffed by its content, an SVG refused; the options flow through the library's CheckOptions."""

from __future__ import annotations

import base64
import os
import struct
import zlib
from pathlib import Path

import pytest

from checker.base.errors import InputError, UsageError
from checker.run import cover
from checker.run.api import CheckOptions, check_paths
from tests.formats.common import AS_OF, ROOT
from tests.test_cli import cli

CLEAN = str(ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml")


def png(width: int = 4, height: int = 2) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x10\x20\x30" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def refused(path: Path, key: str) -> InputError:
    with pytest.raises(InputError) as caught:
        cover.logo(str(path))
    assert caught.value.problems and caught.value.problems[0].file == str(path)
    assert key in (caught.value.said.key, caught.value.problems[0].said.key)
    return caught.value


def test_a_png_and_a_jpeg_are_embedded_as_data_uris(tmp_path: Path) -> None:
    logo = tmp_path / "logo.bin"  # the name says nothing: the content decides
    logo.write_bytes(png())
    uri = cover.logo(str(logo))
    assert uri.startswith("data:image/png;base64,") and base64.b64decode(uri.split(",", 1)[1]) == png()
    jpeg = tmp_path / "logo.png"
    jpeg.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64 + b"\xff\xd9")
    assert cover.logo(str(jpeg)).startswith("data:image/jpeg;base64,")


@pytest.mark.parametrize(
    "content",
    [
        b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        b'\xef\xbb\xbf<?xml version="1.0"?>\n<svg onload="alert(1)"/>',
        b"<!-- a comment -->\n<svg/>",
    ],
)
def test_an_svg_is_refused(tmp_path: Path, content: bytes) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(content)
    error = refused(logo, "logo_svg")
    assert "SVG" in error.message and "script" in error.message


def test_what_is_not_an_image_is_refused(tmp_path: Path) -> None:
    text = tmp_path / "logo.png"
    text.write_text("not an image", "utf-8")
    refused(text, "logo_not_image")
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    refused(empty, "logo_not_image")
    torn = tmp_path / "torn.jpg"
    torn.write_bytes(b"\xff\xd8\xff\xe0" + b"\x00" * 64)  # a JPEG without its end
    refused(torn, "logo_not_image")


def test_a_png_bomb_and_a_broken_png_are_refused(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.png"
    data = bytearray(png())
    data[16:24] = struct.pack(">II", 100_000, 100_000)
    bomb.write_bytes(bytes(data))
    refused(bomb, "logo_bad_png")
    broken = tmp_path / "broken.png"
    broken.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20)
    refused(broken, "logo_bad_png")


def test_a_large_file_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "big.png"
    with big.open("wb") as f:
        f.write(png())
        f.truncate(cover.MAX_LOGO_BYTES + 1)
    refused(big, "file_too_large")  # read as every input is: bounded


def test_a_directory_a_pipe_and_a_missing_file_are_refused(tmp_path: Path) -> None:
    refused(tmp_path, "not_regular_directory")
    refused(tmp_path / "missing.png", "cannot_read_file")
    if hasattr(os, "mkfifo"):
        fifo = tmp_path / "fifo.png"
        os.mkfifo(fifo)
        refused(fifo, "not_regular_pipe")  # never blocks waiting for a writer


def test_title_and_client_are_bounded_and_on_one_line() -> None:
    made = cover.cover("  Review\nQ2\t", "Acme", None)
    assert made.title == "Review Q2" and made.client == "Acme" and made.logo == ""
    with pytest.raises(UsageError):
        cover.cover("x" * (cover.MAX_COVER_TEXT + 1), None, None)


def test_the_cover_flows_through_the_library(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    options = CheckOptions(as_of=AS_OF, title="Review", client="Acme", logo_file=str(logo))
    r = check_paths([CLEAN], options)
    assert (
        r.cover.title == "Review" and r.cover.client == "Acme" and r.cover.logo.startswith("data:image/png")
    )


def test_the_cli_puts_the_cover_on_the_html_report(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    logo.write_bytes(png())
    out = tmp_path / "report.html"
    proc = cli(
        "check", CLEAN, "--as-of", AS_OF.isoformat(), "-f", "html", "-o", str(out),
        "--title", "Q2 review", "--client", "Acme Bio", "--logo", str(logo), "--lang", "zh",
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    page = out.read_text("utf-8")
    assert (
        "<h1>Q2 review</h1>" in page and "委托方：Acme Bio" in page and 'src="data:image/png;base64,' in page
    )


def test_the_cli_refuses_an_svg_logo_with_exit_2(tmp_path: Path) -> None:
    logo = tmp_path / "logo.svg"
    logo.write_text('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "utf-8")
    out = tmp_path / "report.html"
    proc = cli(
        "check", CLEAN, "--as-of", AS_OF.isoformat(), "-f", "html", "-o", str(out), "--logo", str(logo)
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert str(logo) in proc.stderr and "SVG" in proc.stderr
    assert not out.exists()
    zh = cli("check", CLEAN, "--as-of", AS_OF.isoformat(), "-f", "html", "--logo", str(logo), "--lang", "zh")
    assert zh.returncode == 2 and "不接受 SVG 标志" in zh.stderr
    long = cli("check", CLEAN, "--as-of", AS_OF.isoformat(), "-f", "html", "--title", "x" * 500)
    assert long.returncode == 2 and "--title" in long.stderr and "Traceback" not in long.stderr
