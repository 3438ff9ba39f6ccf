"""The dossier validator: the same as pydantic's own for the model, built once per process and
kept in the cache; a cache that is missing, stale, broken or not trusted is rebuilt."""

from __future__ import annotations

import os
import pickle
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import ValidationError

from checker.base import cache
from checker.model import dossier as model
from checker.model import validator

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = sorted((ROOT / "examples" / "dossiers").rglob("*.yaml"))
BASE = ROOT / "examples" / "dossiers" / "clean" / "car-t-approved.yaml"


def _broken(edit: str) -> Any:
    """The base example with one kind of model error."""
    data = yaml.safe_load(BASE.read_text("utf-8"))
    if edit == "unknown-key":
        data["product"]["colour"] = "blue"
    elif edit == "wrong-type":
        data["indications"][0]["id"] = 7
    elif edit == "bad-enum":
        data["product"]["modality"] = "car-tt"
    elif edit == "missing":
        del data["product"]
    elif edit == "bad-date":
        data["indications"][0]["approval"] = {"date": "2021/06/22"}
    elif edit == "top-level":
        data = ["a", "list"]
    elif edit == "many":
        data["schema_version"] = "2.0"
        data["starting_materials"] = "none"
        data["clinical_trials"] = [{"id": "x y"}]
    return data


MODEL_ERRORS = ["unknown-key", "wrong-type", "bad-enum", "missing", "bad-date", "top-level", "many"]


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    d = tmp_path / "cache"
    monkeypatch.setenv(cache.CACHE_DIR_ENV, str(d))
    monkeypatch.delenv(cache.NO_CACHE_ENV, raising=False)
    monkeypatch.setattr(validator, "_codec", None)  # a fresh process, as far as the codec goes
    yield d


def _entries(d: Path) -> list[Path]:
    return sorted(d.glob("dossier-validator-*.json")) if d.exists() else []


def _resealed(entry: Path, payload: bytes) -> bytes:
    """An entry of this key with other content and a matching digest: well formed, wrong shape."""
    return cache._MAGIC + cache._seal(entry.name, payload) + b"\n" + payload


def _no_build(monkeypatch: pytest.MonkeyPatch) -> None:
    def fail() -> None:
        raise AssertionError("the validator was built by pydantic")

    monkeypatch.setattr(validator, "_build", fail)


def _data(path: Path) -> Any:
    return yaml.safe_load(path.read_text("utf-8"))


def test_miss_builds_and_stores_then_hit_loads(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = validator.codec()
    assert len(_entries(cache_dir)) == 1
    monkeypatch.setattr(validator, "_codec", None)
    _no_build(monkeypatch)
    second = validator.codec()
    assert second is not first
    assert validator.codec() is second  # once per process
    sample = _data(EXAMPLES[0])
    assert second.validate(sample) == first.validate(sample)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_a_stored_validator_gives_what_pydantic_gives(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, path: Path
) -> None:
    validator.codec()  # stores it
    monkeypatch.setattr(validator, "_codec", None)
    _no_build(monkeypatch)
    codec = validator.codec()
    data = _data(path)
    dossier = codec.validate(data)
    assert dossier == model.Dossier.model_validate(data)
    assert type(dossier) is model.Dossier
    assert codec.dump(dossier) == dossier.model_dump(mode="json")


@pytest.mark.parametrize("edit", MODEL_ERRORS)
def test_a_stored_validator_reports_the_same_errors(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, edit: str
) -> None:
    validator.codec()
    monkeypatch.setattr(validator, "_codec", None)
    _no_build(monkeypatch)
    codec = validator.codec()
    data = _broken(edit)
    with pytest.raises(ValidationError) as ours:
        codec.validate(data)
    with pytest.raises(ValidationError) as theirs:
        model.Dossier.model_validate(data)
    assert ours.value.json(include_url=False) == theirs.value.json(include_url=False)
    assert ours.value.error_count() > 0


def test_the_key_follows_the_model_source(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    before = validator._key()
    assert before is not None
    fake = tmp_path / "model.py"
    fake.write_bytes(Path(str(model.__file__)).read_bytes() + b"\n# edited\n")

    class Edited:
        __file__ = str(fake)

    monkeypatch.setattr(validator, "_MODEL_MODULES", (Edited, *validator._MODEL_MODULES[1:]))
    after = validator._key()
    assert after is not None and after != before and after[:3] == before[:3]
    fake.unlink()
    assert validator._key() is None  # no source to key it by: built, never stored
    validator.codec()
    assert _entries(cache_dir) == []


def test_a_broken_or_foreign_entry_is_rebuilt(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validator.codec()
    (entry,) = _entries(cache_dir)
    sealed = entry.read_bytes()
    for junk in (
        b"not an entry",
        pickle.dumps({"a": 1}),
        pickle.dumps(("x", "y")),
        sealed[:-10],
        _resealed(entry, b"[1,2,3]"),
    ):
        entry.write_bytes(junk)
        monkeypatch.setattr(validator, "_codec", None)
        codec = validator.codec()
        assert codec.validate(_data(EXAMPLES[0])) == model.Dossier.model_validate(_data(EXAMPLES[0]))
        assert entry.read_bytes() != junk  # rewritten


def test_no_cache_builds_and_stores_nothing(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    validator.codec(use_cache=False)
    assert _entries(cache_dir) == []
    monkeypatch.setattr(validator, "_codec", None)
    monkeypatch.setenv(cache.NO_CACHE_ENV, "1")
    validator.codec()
    assert _entries(cache_dir) == []


@pytest.mark.skipif(not hasattr(os, "getuid"), reason="POSIX permissions")
@pytest.mark.parametrize("target", ["dir", "file"])
def test_an_entry_others_may_write_is_not_trusted(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    validator.codec()
    (entry,) = _entries(cache_dir)
    victim = cache_dir if target == "dir" else entry
    victim.chmod(victim.stat().st_mode | 0o022)
    monkeypatch.setattr(validator, "_codec", None)
    built: list[bool] = []
    real = validator._build

    def spy() -> validator.Codec:
        built.append(True)
        return real()

    monkeypatch.setattr(validator, "_build", spy)
    validator.codec()
    assert built == [True]


def test_the_key_covers_every_module_of_the_model_package() -> None:
    package = Path(str(model.__file__)).parent
    modules = {p.stem for p in package.glob("*.py")} - {"__init__", "validator"}
    keyed = {m.__name__ for m in validator.model_modules()}
    assert {f"checker.model.{name}" for name in modules} <= keyed
    assert "checker.base.limits" in keyed
