"""A cache directory others can write (a CI cache restored into the checkout): nothing in it can
make the checker run code, hang, or use a pack or validator it did not build; what is wrong is
passed over and rebuilt."""

from __future__ import annotations

import os
import pickle
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.base import cache, limits
from checker.model import validator
from checker.rulepack import cache as packcache
from checker.rulepack.pack import load_pack
from tests.hostile import ROOT

POSIX = pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX ownership and special files")


class _Marker:
    """Unpickling this creates a file: it must never be created."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def __reduce__(self) -> tuple[object, ...]:
        return (Path.touch, (self.path,))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    d = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(d))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(validator, "_codec", None)
    yield d


@pytest.fixture
def no_hang() -> Iterator[None]:
    """A read that blocks fails the test after 10 s instead of hanging it."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError("the cache read blocked")

    old = signal.signal(signal.SIGALRM, hung)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _pack_entry() -> Path:
    path = packcache.cache_file(load_pack().sha256)
    assert path is not None
    return path


def test_entries_are_json_with_a_digest(cache_dir: Path) -> None:
    packcache.load_pack_cached()
    validator.codec()
    entries = sorted(p.name for p in cache_dir.iterdir())
    assert len(entries) == 2 and all(name.endswith(".json") for name in entries)
    for path in cache_dir.iterdir():
        head, digest, payload = path.read_bytes().split(b"\n", 2)
        assert head == b"cgt-checker-cache 2" and len(digest) == 64 and payload[:1] in (b"{", b"[")


def test_a_pickle_in_the_cache_is_never_loaded(cache_dir: Path, tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    path = _pack_entry()
    cache_dir.mkdir(mode=0o700)
    evil = pickle.dumps(_Marker(marker))
    for name in (path.name, path.with_suffix(".pickle").name):  # today's name, and the old one
        (cache_dir / name).write_bytes(evil)
    pack = packcache.load_pack_cached()
    assert pack.sha256 == load_pack().sha256
    assert not marker.exists()
    # a check in a fresh process, with the same cache, creates no marker either
    (cache_dir / path.name).write_bytes(evil)
    env = {**os.environ, cache.CACHE_DIR_ENV: str(cache_dir)}
    example = ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"
    proc = subprocess.run(
        [sys.executable, "-m", "checker", "check", "--as-of", "2026-06-01", str(example)],
        env=env,
        capture_output=True,
        timeout=120,
    )
    assert proc.returncode == 0, proc.stderr
    assert not marker.exists()


def test_a_forged_entry_with_a_valid_digest_but_the_wrong_shape_is_rebuilt(cache_dir: Path) -> None:
    path = _pack_entry()
    cache.write(path, {"pack": ["not", "a", "pack"], "ruleset_texts": []})
    assert cache.read(path) is not None  # well sealed
    assert packcache.load_pack_cached().rules.keys() == load_pack().rules.keys()


def test_a_forged_validator_naming_other_code_is_rebuilt(cache_dir: Path) -> None:
    validator.codec()
    (entry,) = cache_dir.glob("dossier-validator-*.json")
    forged = {
        "type": "function-plain",
        "function": {"type": "no-info", "function": {"\0ref": ["os", "system", ""]}},
    }
    cache.write(entry, [forged, None, None])
    validator._codec = None
    codec = validator.codec()
    assert "function-plain" not in str(type(codec.validator))
    assert cache.read(entry) != [forged, None, None]  # rewritten with the real schema


@POSIX
def test_a_symlink_named_like_an_entry_is_not_followed(cache_dir: Path, tmp_path: Path) -> None:
    packcache.load_pack_cached()
    path = _pack_entry()
    real = tmp_path / "elsewhere.json"
    real.write_bytes(path.read_bytes())  # a valid entry, owned by this user, reached by a link
    path.unlink()
    path.symlink_to(real)
    assert cache.read(path) is None


@POSIX
def test_a_fifo_named_like_an_entry_does_not_hang(cache_dir: Path, no_hang: None) -> None:
    path = _pack_entry()
    cache_dir.mkdir(mode=0o700)
    os.mkfifo(path)
    assert cache.read(path) is None
    assert packcache.load_pack_cached().sha256 == load_pack().sha256
    fifo = cache_dir / "target-fifo"
    os.mkfifo(fifo)
    path.unlink()
    path.symlink_to(fifo)  # a link to a FIFO, as another user would leave it
    assert cache.read(path) is None


@POSIX
def test_a_device_named_like_an_entry_is_not_read(cache_dir: Path, no_hang: None) -> None:
    path = _pack_entry()
    cache_dir.mkdir(mode=0o700)
    path.symlink_to("/dev/zero")
    assert cache.read(path) is None


@POSIX
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="needs to give a file away")
def test_an_entry_of_another_user_is_not_read(cache_dir: Path) -> None:
    packcache.load_pack_cached()
    path = _pack_entry()
    os.chown(path, 12345, -1)
    assert cache.read(path) is None


@POSIX
def test_a_directory_others_may_write_is_never_read_from(cache_dir: Path) -> None:
    packcache.load_pack_cached()
    path = _pack_entry()
    cache_dir.chmod(0o777)
    assert cache.read(path) is None  # read before any fix of the mode: passed over
    cache_dir.chmod(0o700)
    assert cache.read(path) is not None


def test_an_entry_over_the_size_limit_is_not_read(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packcache.load_pack_cached()
    path = _pack_entry()
    monkeypatch.setattr(limits, "MAX_CACHE_ENTRY_BYTES", path.stat().st_size - 1)
    assert cache.read(path) is None


def test_an_entry_moved_to_another_key_is_not_read(cache_dir: Path) -> None:
    packcache.load_pack_cached()
    path = _pack_entry()
    other = path.with_name("pack-" + "0" * 64 + ".json")
    other.write_bytes(path.read_bytes())
    assert cache.read(other) is None  # the digest covers the key


@POSIX
def test_a_directory_of_entries_holds_only_regular_files_of_its_own(
    cache_dir: Path, tmp_path: Path, no_hang: None
) -> None:
    """What `Directory` says it has, and reads: a regular file; never a link (to a valid entry, a
    FIFO or a device), a FIFO or a sub-directory named like an entry; nothing at all in a
    directory others may write."""
    cache_dir.mkdir(mode=0o700)
    assert cache.write(cache_dir / "good.json", {"a": 1})
    real = tmp_path / "elsewhere.json"
    real.write_bytes((cache_dir / "good.json").read_bytes())
    (cache_dir / "link.json").symlink_to(real)
    (cache_dir / "zero.json").symlink_to("/dev/zero")
    os.mkfifo(cache_dir / "fifo.json")
    (cache_dir / "dir.json").mkdir()
    directory = cache.Directory(cache_dir)
    try:
        assert directory.has("good.json") and directory.read("good.json")[0] == {"a": 1}
        for name in ("link.json", "zero.json", "fifo.json", "dir.json", "missing.json"):
            assert not directory.has(name), name
            assert directory.read(name) == (None, 0.0), name
    finally:
        directory.close()
    cache_dir.chmod(0o777)
    directory = cache.Directory(cache_dir)
    try:
        assert not directory.has("good.json") and directory.read("good.json") == (None, 0.0)
    finally:
        directory.close()
        cache_dir.chmod(0o700)
