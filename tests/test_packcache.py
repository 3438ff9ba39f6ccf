"""The rule-pack cache: a hit skips loading, and any cache problem falls back to a normal load."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from checker.base import cache as cache_mod
from checker.rulepack import cache as packcache
from checker.rulepack.pack import load_pack, pack_digest
from tests.fixtures import GOOD_RULE as RULE

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv(packcache.CACHE_DIR_ENV, str(d))
    monkeypatch.delenv(packcache.NO_CACHE_ENV, raising=False)
    return d


def _no_load(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail(*args: object) -> None:
        raise AssertionError("the pack was loaded from its files")

    monkeypatch.setattr(packcache, "load_pack", fail)


def test_cache_dir_follows_xdg_and_home(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(packcache.CACHE_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert packcache.cache_dir() == tmp_path / "xdg" / "cgt-checker"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert packcache.cache_dir() == tmp_path / "home" / ".cache" / "cgt-checker"


def test_digest_is_the_packs_hash() -> None:
    assert pack_digest() == load_pack().sha256


def test_miss_writes_then_hit_reads(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = packcache.load_pack_cached()
    files = list(cache.glob("pack-*.json"))
    assert len(files) == 1 and files[0] == packcache.cache_file(first.sha256)
    assert not list(cache.glob(".pack-*"))  # no temporary file left behind
    _no_load(monkeypatch)
    second = packcache.load_pack_cached()
    assert second.sha256 == first.sha256
    assert list(second.rules) == list(first.rules)
    assert second.program == first.program
    assert "ruleset_texts" in vars(second.program)  # the engine's JSON came with it, not recomputed
    assert second.program.ruleset_texts == first.program.ruleset_texts


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_others_may_write_is_passed_over(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packcache.load_pack_cached()
    cache.chmod(0o777)
    loads: list[bool] = []
    real = packcache.load_pack

    def spy(*args: object) -> object:
        loads.append(True)
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(packcache, "load_pack", spy)
    packcache.load_pack_cached()
    assert loads == [True]
    cache.chmod(0o755)
    (entry,) = cache.glob("pack-*.json")
    entry.chmod(0o666)
    packcache.load_pack_cached()
    assert loads == [True, True]


def test_corrupt_cache_falls_back_and_is_rewritten(cache: Path) -> None:
    pack = packcache.load_pack_cached()
    path = packcache.cache_file(pack.sha256)
    assert path is not None
    good = path.read_bytes()
    for garbage in (
        b"",
        b"not an entry",
        good[:100],
        pickle.dumps({"a": 1}),
        good.replace(b"error", b"errox", 1),
    ):
        path.write_bytes(garbage)
        again = packcache.load_pack_cached()
        assert again.sha256 == pack.sha256 and list(again.rules) == list(pack.rules)
        assert path.read_bytes() == good  # rewritten as it was


def test_cached_pack_of_other_files_is_not_used(cache: Path, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "house.yaml").write_text(textwrap.dedent(RULE), "utf-8")
    pack = packcache.load_pack_cached()
    path = packcache.cache_file(pack.sha256)
    assert path is not None
    other_pack = load_pack([other])
    other_path = packcache.cache_file(other_pack.sha256)
    assert other_path is not None
    cache_mod.write(other_path, packcache._plain(other_pack))
    path.write_bytes(other_path.read_bytes())  # another pack's entry, under this pack's name
    again = packcache.load_pack_cached()
    assert again.sha256 == pack.sha256 and "house-sponsor" not in again.rules


def test_unwritable_cache_is_silent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory", "utf-8")
    monkeypatch.setenv(packcache.CACHE_DIR_ENV, str(blocker / "cache"))
    monkeypatch.delenv(packcache.NO_CACHE_ENV, raising=False)
    pack = packcache.load_pack_cached()
    assert pack.sha256 == load_pack().sha256


def test_changing_a_rule_file_invalidates(cache: Path, tmp_path: Path) -> None:
    extra = tmp_path / "pack"
    extra.mkdir()
    rule_file = extra / "house.yaml"
    rule_file.write_text(textwrap.dedent(RULE), "utf-8")
    first = packcache.load_pack_cached([extra])
    assert first.rules["house-sponsor"].rule.severity == "info"
    rule_file.write_text(textwrap.dedent(RULE).replace("severity: info", "severity: warning"), "utf-8")
    second = packcache.load_pack_cached([extra])
    assert second.sha256 != first.sha256
    assert second.rules["house-sponsor"].rule.severity == "warning"
    (extra / "more.yaml").write_text(textwrap.dedent(RULE).replace("house-sponsor", "house-two"), "utf-8")
    third = packcache.load_pack_cached([extra])
    assert "house-two" in third.rules
    assert len(list(cache.glob("pack-*.json"))) == 3


def test_a_broken_pack_is_reported_not_cached(cache: Path, tmp_path: Path) -> None:
    from checker.base.errors import RuleError

    extra = tmp_path / "pack"
    extra.mkdir()
    (extra / "house.yaml").write_text(textwrap.dedent(RULE).replace("CGT-IND-MOA", "CGT-NOPE"), "utf-8")
    with pytest.raises(RuleError):
        packcache.load_pack_cached([extra])
    assert not list(cache.glob("pack-*.json"))


def test_disabled_by_env_or_option(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    packcache.load_pack_cached(use_cache=False)
    monkeypatch.setenv(packcache.NO_CACHE_ENV, "1")
    packcache.load_pack_cached()
    assert not cache.exists() or not list(cache.iterdir())


def test_cli_no_cache_writes_nothing(tmp_path: Path) -> None:
    env = {**os.environ, packcache.CACHE_DIR_ENV: str(tmp_path / "cache")}
    env.pop(packcache.NO_CACHE_ENV, None)
    example = ROOT / "examples" / "dossiers" / "clean" / "car-t-ind.yaml"
    args = [sys.executable, "-m", "checker", "check", "--as-of", "2026-06-01", str(example)]
    proc = subprocess.run([*args, "--no-cache"], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "cache").exists()
    proc = subprocess.run(args, env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert len(list((tmp_path / "cache").glob("pack-*.json"))) == 1
    assert len(list((tmp_path / "cache").glob("dossier-validator-*.json"))) == 1


def test_the_key_follows_the_code_that_builds_a_pack(
    cache: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pack = packcache.load_pack_cached()
    before = packcache.cache_file(pack.sha256)
    real = packcache._builders()
    names = {f"{p.parent.name}/{p.name}" for p in real}
    # every module of the layers below the run: the YAML reader and the model too
    assert {"load/yamlbuild.py", "model/product.py", "engine/program.py", "rulepack/link.py"} <= names
    edited = tmp_path / real[1].name
    edited.write_bytes(real[1].read_bytes() + b"\n# edited\n")
    monkeypatch.setattr(packcache, "_builders", lambda: [real[0], edited, *real[2:]])
    after = packcache.cache_file(pack.sha256)
    assert after is not None and after != before
    edited.unlink()
    assert packcache.cache_file(pack.sha256) is None  # no code to key it by: loaded, never stored
    loads: list[bool] = []

    def load_pack(*args: object) -> object:
        loads.append(True)
        return pack

    monkeypatch.setattr(packcache, "load_pack", load_pack)
    packcache.load_pack_cached()
    assert loads == [True]


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
def test_a_cache_directory_others_may_write_is_closed_to_them_when_written(cache: Path) -> None:
    # As an older version made it under umask 002: the next write makes it trusted again.
    cache.mkdir(mode=0o775)
    cache.chmod(0o775)
    packcache.load_pack_cached()
    assert cache.stat().st_mode & 0o777 == 0o755
    assert len(list(cache.glob("pack-*.json"))) == 1


def test_the_key_covers_the_facts_and_every_module_of_the_model() -> None:
    from checker.model import validator

    keyed = {path.resolve() for path in packcache._builders()}
    assert {Path(str(m.__file__)).resolve() for m in validator.model_modules()} <= keyed
    names = {f"{p.parent.name}/{p.name}" for p in keyed}
    assert {"engine/facts.py", "model/introspect.py", "rulepack/compiler.py", "load/yamlio.py"} <= names
