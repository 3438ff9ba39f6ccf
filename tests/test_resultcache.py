"""The result cache: a hit gives exactly what a fresh check gives, anything an outcome depends on
changing is a miss, entries are plain data that are never trusted blindly, and the directory
stays under its bound."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from checker.base import cache as cache_mod
from checker.base.limits import Limits
from checker.run import api, resultcache
from checker.run.evaluate import Outcome
from checker.run.resultcache import ResultCache
from tests.fixtures import GOOD_RULE, ROOT, cli

AS_OF = dt.date(2026, 6, 1)
EXAMPLES = ROOT / "examples" / "dossiers"
PIVOTAL = EXAMPLES / "gaps" / "nda-pivotal.yaml"
JUSTIFICATIONS = ROOT / "examples" / "justifications" / "nda-pivotal.yaml"


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    d = tmp_path / "cache"
    monkeypatch.setenv(cache_mod.CACHE_DIR_ENV, str(d))
    monkeypatch.delenv(cache_mod.NO_CACHE_ENV, raising=False)
    monkeypatch.delenv(resultcache.MAX_ENV, raising=False)
    monkeypatch.delenv(cache_mod.CACHE_KEY_ENV, raising=False)
    return d


def _examples() -> list[str]:
    return [str(p.relative_to(ROOT)) for p in sorted(EXAMPLES.rglob("*.yaml"))]


def _options(**kw: object) -> api.CheckOptions:
    return replace(api.CheckOptions(as_of=AS_OF), **kw)  # type: ignore[arg-type]


def _outcomes(files: list[str], options: api.CheckOptions) -> tuple[list[Outcome], ResultCache | None]:
    """Each file's outcome through the run, and the run's result cache."""
    run = api.start_check(files, options)
    return _consumed(run), run.results


def _consumed(run: api.CheckRun) -> list[Outcome]:
    """Each file's outcome, as the run's items are consumed."""
    got: list[Outcome] = []
    original = run.tally.add

    def keep(outcome: Outcome) -> None:
        got.append(outcome)
        original(outcome)

    run.tally.add = keep  # type: ignore[method-assign]
    list(run.items)
    return got


def _key(options: api.CheckOptions, file: str) -> str:
    ctx = api.check_context(options)
    probe = ResultCache(ctx, options.as_of).probe(file)
    assert probe is not None
    return probe[0]


@pytest.fixture(autouse=True)
def _cwd(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


# -- a hit is a fresh check ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "extra",
    [
        {},
        {"justification_files": (str(JUSTIFICATIONS.relative_to(ROOT)),)},
        {"use_justifications": False},
        {"select": ("CGT-NDA-*",)},
    ],
    ids=["plain", "justifications", "audit", "selected"],
)
def test_every_example_reads_back_as_checked(cache_dir: Path, extra: dict[str, object]) -> None:
    options = _options(**extra)
    fresh, _ = _outcomes(_examples(), replace(options, use_cache=False))
    first, results = _outcomes(_examples(), options)
    assert results is not None and results.hits == 0 and results.stored == len(fresh)
    again, results = _outcomes(_examples(), options)
    assert results is not None and results.hits == len(fresh) and results.stored == 0
    assert first == fresh
    assert again == fresh  # every field of every finding, matrix, waiver and stale justification


def test_a_matrix_read_back_is_made_of_the_checkers_own_strings(cache_dir: Path) -> None:
    """A kept matrix holds no copy of its statuses per dossier: what is read back is the same
    string objects a check uses (a cache of thousands of dossiers keeps many matrices)."""
    from checker.base.literals import SEVERITY_ORDER, STATUSES
    from checker.run.matrix import plan_text

    ctx = api.check_context(_options())
    first, _ = _outcomes(_examples(), _options())
    canonical = {id(s) for s in (*STATUSES, *SEVERITY_ORDER)}
    for outcome in first:
        if outcome.result is None:
            continue
        plan = ctx.matrix.plan(
            {s.rule_id for r in outcome.result.requirements for s in r.rules if s.status == "passed"},
            outcome.result.findings,
        )
        read = ctx.matrix._plan_of(json.loads(plan_text(plan)))
        assert read == plan
        for statuses, key in read:
            assert all(id(s) in canonical for s in statuses)
            assert id(key[0]) in canonical and (key[1] is None or id(key[1]) in canonical)


def test_a_baseline_reads_back_as_checked(cache_dir: Path, tmp_path: Path) -> None:
    baseline = tmp_path / "baseline.json"
    made = cli("baseline", "create", *_examples()[-8:], "--as-of", AS_OF.isoformat(), "-o", str(baseline))
    assert made.returncode == 0, made.stderr
    options = _options(baseline_file=str(baseline))
    fresh, _ = _outcomes(_examples(), replace(options, use_cache=False))
    _outcomes(_examples(), options)
    again, results = _outcomes(_examples(), options)
    assert results is not None and results.hits == len(fresh)
    assert again == fresh
    assert any(f.baseline == "unchanged" for o in again if o.result for f in o.result.findings)


def test_input_errors_are_kept_but_unreadable_files_and_stdin_are_not(
    cache_dir: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: '2.0'\nproduct: [\n", "utf-8")
    large = tmp_path / "large.yaml"  # over the run's size limit: refused before it is read
    large.write_text("# " + "x" * 200 + "\n", "utf-8")
    files = [str(broken), str(large), "-"]
    options = _options(limits=Limits(max_file_bytes=100))

    def run(options: api.CheckOptions) -> tuple[list[Outcome], ResultCache | None]:
        got = []
        for _ in range(2):
            stdin = io.BytesIO(PIVOTAL.read_bytes()[:90])
            run = api.start_check(files, options, stdin=stdin)
            got = list(_consumed(run))
        return got, run.results

    fresh, _ = run(replace(options, use_cache=False))
    again, results = run(options)
    assert results is not None and results.hits == 1  # the broken file: large and stdin are read each time
    assert again == fresh and all(o.problems for o in again)


def test_a_read_that_failed_while_checking_is_not_kept(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file was read for its key, then could not be read to be checked (a lock, a passing
    I/O error): that input error is reported, never kept for the next run."""
    from checker.base.errors import InputError, Problem
    from checker.base.i18n import message
    from checker.run import evaluate

    file = str(PIVOTAL.relative_to(ROOT))

    def unreadable(name: str, *args: object) -> None:
        raise InputError("cannot read", [Problem(name, 1, 1, message("cannot_read_file", reason="busy"))])

    monkeypatch.setattr(evaluate, "_load", unreadable)
    got, results = _outcomes([file], _options())
    assert got[0].problems and results is not None and results.stored == 0
    monkeypatch.undo()
    monkeypatch.setenv(cache_mod.CACHE_DIR_ENV, str(cache_dir))
    again, results = _outcomes([file], _options())
    assert again[0].result is not None and results is not None and results.hits == 0


def test_a_hit_runs_no_engine(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _outcomes(_examples(), _options())
    from checker.run import parallel

    def no_check(*args: object) -> None:
        raise AssertionError("a file was checked")

    monkeypatch.setattr(parallel, "check_file", no_check)
    monkeypatch.setattr(parallel, "Session", no_check)
    got, results = _outcomes(_examples(), _options(jobs=2))
    assert results is not None and results.hits == len(got) == len(_examples())


def test_only_changed_files_are_checked(cache_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "dossiers"
    shutil.copytree(EXAMPLES, work)
    files = [str(p) for p in sorted(work.rglob("*.yaml"))]
    _outcomes(files, _options())
    changed = Path(files[3])
    changed.write_text(changed.read_text("utf-8").replace("\n", "\n# an edit\n", 1), "utf-8")
    fresh, _ = _outcomes(files, _options(use_cache=False))
    again, results = _outcomes(files, _options(jobs=2))
    assert results is not None and results.hits == len(files) - 1 and results.stored == 1
    assert again == fresh


def test_misses_checked_in_workers_come_back_in_order_between_hits(cache_dir: Path, tmp_path: Path) -> None:
    work = tmp_path / "dossiers"
    shutil.copytree(EXAMPLES, work)
    files = [str(p) for p in sorted(work.rglob("*.yaml"))]
    _outcomes(files, _options())
    changed = files[1::2]  # every other file: enough for two workers, between files that hit
    for name in changed:
        Path(name).write_text(Path(name).read_text("utf-8") + "\n# an edit\n", "utf-8")
    fresh, _ = _outcomes(files, _options(use_cache=False))
    again, results = _outcomes(files, _options(jobs=2))
    assert results is not None and results.hits == len(files) - len(changed)
    assert results.stored == len(changed)
    assert again == fresh and [o.file for o in again] == files
    third, results = _outcomes(files, _options(jobs=2))
    assert results is not None and results.hits == len(files) and third == fresh


# -- every part of the key ---------------------------------------------------------------------------


def test_the_key_has_everything_an_outcome_depends_on(
    cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = str(PIVOTAL.relative_to(ROOT))
    base = _key(_options(), file)
    assert _key(_options(), file) == base  # the same run, the same key
    rules = tmp_path / "house"
    rules.mkdir()
    (rules / "house.yaml").write_text(GOOD_RULE, "utf-8")
    variants = {
        "as-of": _options(as_of=dt.date(2026, 6, 2)),
        "selection": _options(select=("CGT-NDA-*",)),
        "ignore": _options(ignore=("nda-external-control-missing",)),
        "rule pack": _options(rule_dirs=(rules,)),
        "justifications used": _options(use_justifications=False),
        "limits": _options(limits=Limits(max_file_bytes=2_000_000)),
        "a justification for it": _options(justification_files=(str(JUSTIFICATIONS),)),
    }
    keys = {name: _key(o, file) for name, o in variants.items()}
    assert base not in keys.values(), [n for n, k in keys.items() if k == base]
    assert len(set(keys.values())) == len(keys)
    # the file's name and its bytes
    copy = tmp_path / "nda-pivotal.yaml"
    copy.write_bytes(PIVOTAL.read_bytes())
    assert _key(_options(), str(copy)) != base
    same = _key(_options(), str(copy))
    copy.write_bytes(PIVOTAL.read_bytes() + b"\n")
    assert _key(_options(), str(copy)) != same


def test_a_justification_for_another_file_leaves_the_key(cache_dir: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.yaml"
    other.write_text(
        "justifications:\n  - rule: nda-external-control-missing\n    dossier: elsewhere/*.yaml\n"
        "    path: clinical_trials[ct-pivotal]\n    reason: For the dossiers of another product.\n"
        "    approved_by: Head of Quality Assurance\n    approved_on: 2026-01-01\n",
        "utf-8",
    )
    file = str(PIVOTAL.relative_to(ROOT))
    assert _key(_options(justification_files=(str(other),)), file) == _key(_options(), file)


def test_the_baseline_entries_of_the_file_are_in_its_key(cache_dir: Path, tmp_path: Path) -> None:
    file = str(PIVOTAL.relative_to(ROOT))
    other = str((EXAMPLES / "gaps" / "nda-bridging.yaml").relative_to(ROOT))
    baseline = tmp_path / "baseline.json"
    assert cli("baseline", "create", file, other, "-o", str(baseline)).returncode == 0
    doc = json.loads(baseline.read_text("utf-8"))
    with_both = _key(_options(baseline_file=str(baseline)), file)
    doc["findings"] = [e for e in doc["findings"] if e["file"] != other]  # another file's entries go
    baseline.write_text(json.dumps(doc), "utf-8")
    assert _key(_options(baseline_file=str(baseline)), file) == with_both
    doc["findings"] = doc["findings"][1:]  # one of its own goes
    baseline.write_text(json.dumps(doc), "utf-8")
    assert _key(_options(baseline_file=str(baseline)), file) != with_both
    assert _key(_options(), file) != with_both  # no baseline at all


@pytest.mark.parametrize("part", ["code", "python", "libraries", "version"])
def test_the_checker_and_its_libraries_are_in_the_key(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, part: str
) -> None:
    file = str(PIVOTAL.relative_to(ROOT))
    base = _key(_options(), file)
    if part == "code":
        monkeypatch.setattr(resultcache, "code_digest", lambda: "0" * 64)
    elif part == "python":
        monkeypatch.setattr(resultcache, "_python", lambda: "3.99")
    elif part == "libraries":
        monkeypatch.setattr(resultcache, "_libraries", lambda: ["pydantic-core 0"])
    else:
        monkeypatch.setattr(resultcache, "__version__", "9.9.9")
    assert _key(_options(), file) != base


def test_unreadable_code_turns_the_cache_off(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resultcache, "code_digest", lambda: None)
    _, results = _outcomes(_examples()[:2], _options())
    assert results is not None and not results.usable
    assert not (cache_dir / "results").exists()


# -- entries are data, checked before use --------------------------------------------------------------


def _entry(cache_dir: Path, file: str) -> Path:
    path = ResultCache(api.check_context(_options()), AS_OF).path(_key(_options(), file))
    assert path.parent == cache_dir / "results"
    return path


def _reseal(path: Path, value: object) -> None:
    path.unlink()
    cache_mod.write(path, value)


@pytest.mark.parametrize(
    "tamper",
    ["unknown rule", "wrong file", "text for a number", "extra key", "not json", "pickle"],
)
def test_a_tampered_entry_is_rebuilt(cache_dir: Path, tamper: str) -> None:
    file = str(PIVOTAL.relative_to(ROOT))
    marker = cache_dir.parent / "ran"
    fresh, _ = _outcomes([file], _options(use_cache=False))
    _outcomes([file], _options())
    path = _entry(cache_dir, file)
    stored = cache_mod.read(path)
    assert isinstance(stored, dict)
    if tamper == "unknown rule":
        stored["result"][7][0][0] = "no-such-rule"
        _reseal(path, stored)
    elif tamper == "wrong file":
        stored["file"] = "elsewhere.yaml"
        _reseal(path, stored)
    elif tamper == "text for a number":
        stored["result"][7][0][2] = "12"
        _reseal(path, stored)
    elif tamper == "extra key":
        stored["code"] = "print(1)"
        _reseal(path, stored)
    elif tamper == "not json":
        path.write_bytes(path.read_bytes()[:-10])
    else:
        import pickle

        class Touch:
            def __reduce__(self) -> tuple[object, tuple[Path]]:
                return (Path.touch, (marker,))

        path.write_bytes(pickle.dumps(Touch()))
    again, results = _outcomes([file], _options())
    assert not marker.exists()
    assert results is not None and results.hits == 0 and results.stored == 1
    assert again == fresh


def test_an_entry_through_a_link_is_not_read(cache_dir: Path, tmp_path: Path) -> None:
    file = str(PIVOTAL.relative_to(ROOT))
    _outcomes([file], _options())
    path = _entry(cache_dir, file)
    moved = tmp_path / "elsewhere.json"
    path.rename(moved)
    path.symlink_to(moved)
    _, results = _outcomes([file], _options())
    assert results is not None and results.hits == 0


# -- a key: entries only its holders can seal --------------------------------------------------------

KEY = "a-ci-secret-of-32-characters-xyz"


def _forged(cache_dir: Path, file: str) -> Path:
    """The entry of file, rewritten as whoever can write the cache can: no findings at all,
    sealed with the digest anyone can compute."""
    path = _entry(cache_dir, file)
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv(cache_mod.CACHE_KEY_ENV, raising=False)
        stored = cache_mod.read(path)
        if stored is None:  # sealed under a key: read as its holder
            mp.setenv(cache_mod.CACHE_KEY_ENV, KEY)
            stored = cache_mod.read(path)
        assert isinstance(stored, dict) and stored["result"][7]
        stored["result"][7] = []
        mp.delenv(cache_mod.CACHE_KEY_ENV, raising=False)
        _reseal(path, stored)
    return path


def test_without_a_key_a_well_sealed_forgery_is_believed(cache_dir: Path) -> None:
    """What the key is for: the plain digest is no defence against a writer of the cache."""
    file = str(PIVOTAL.relative_to(ROOT))
    _outcomes([file], _options())
    _forged(cache_dir, file)
    (outcome,), results = _outcomes([file], _options())
    assert results is not None and results.hits == 1
    assert outcome.result is not None and not outcome.result.findings


def test_with_a_key_a_forgery_sealed_without_it_is_checked_again(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file = str(PIVOTAL.relative_to(ROOT))
    fresh, _ = _outcomes([file], _options(use_cache=False))
    monkeypatch.setenv(cache_mod.CACHE_KEY_ENV, KEY)
    _outcomes([file], _options())
    _, results = _outcomes([file], _options())
    assert results is not None and results.hits == 1  # its own entries are read back
    _forged(cache_dir, file)
    again, results = _outcomes([file], _options())
    assert results is not None and results.hits == 0 and results.stored == 1
    assert again == fresh and again[0].result is not None and again[0].result.findings


def test_an_entry_is_read_only_under_the_key_it_was_sealed_with(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = cache_dir / "probe-entry.json"
    monkeypatch.setenv(cache_mod.CACHE_KEY_ENV, KEY)
    assert cache_mod.write(path, {"a": [1, "二"]}) > 0
    assert cache_mod.read(path) == {"a": [1, "二"]}
    monkeypatch.setenv(cache_mod.CACHE_KEY_ENV, KEY[::-1])
    assert cache_mod.read(path) is None
    monkeypatch.setenv(cache_mod.CACHE_KEY_ENV, "")  # an empty secret is none (a fork's run)
    assert cache_mod.secret() is None and cache_mod.read(path) is None
    cache_mod.write(path, {"b": 2})
    assert cache_mod.read(path) == {"b": 2}
    monkeypatch.setenv(cache_mod.CACHE_KEY_ENV, KEY)
    assert cache_mod.read(path) is None


@pytest.mark.parametrize("key", ["short", " " * 40, "fifteen-chars.."])
def test_a_key_too_short_to_be_a_secret_is_a_usage_error(
    cache_dir: Path, monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv(cache_mod.CACHE_KEY_ENV, key)
    proc = cli("check", "--as-of", AS_OF.isoformat(), str(PIVOTAL))
    assert proc.returncode == 2 and cache_mod.CACHE_KEY_ENV in proc.stderr, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not cache_dir.exists()  # refused before anything is read or written
    proc = cli("check", "--as-of", AS_OF.isoformat(), "--no-cache", str(PIVOTAL))
    assert proc.returncode == 1, proc.stderr  # no cache, no key needed


# -- the bound ----------------------------------------------------------------------------------------


def test_the_directory_is_kept_under_its_bound(cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _examples()
    _outcomes(files, _options())
    entries = sorted((cache_dir / "results").glob("result-*.json"))
    assert len(entries) == len(files)
    sizes = sum(p.stat().st_size for p in entries)
    # the oldest entries go first: age them, then allow a little under the whole
    for i, p in enumerate(entries):
        os.utime(p, ns=(i * 10**9, i * 10**9))
    monkeypatch.setattr(resultcache, "max_bytes", lambda: sizes - 1)
    changed_options = _options(as_of=dt.date(2026, 6, 2))
    _outcomes(files[:1], changed_options)  # a run that stores an entry evicts
    left = set((cache_dir / "results").glob("result-*.json"))
    assert entries[0] not in left and entries[-1] in left
    assert sum(p.stat().st_size for p in left) <= sizes - 1


def test_max_mb_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(resultcache.MAX_ENV, "12")
    assert resultcache.max_bytes() == 12 * 1024 * 1024
    for bad in ("-1", "1e9", "lots", "99999999999"):
        monkeypatch.setenv(resultcache.MAX_ENV, bad)
        assert resultcache.max_bytes() == resultcache.DEFAULT_MAX_MB * 1024 * 1024
    monkeypatch.setenv(resultcache.MAX_ENV, "0")
    assert resultcache.max_bytes() == 0


def test_no_cache_stores_nothing(cache_dir: Path) -> None:
    _, results = _outcomes(_examples(), _options(use_cache=False))
    assert results is None and not (cache_dir / "results").exists()


# -- through the command line: every format, both languages, one or two workers ------------------------


@pytest.mark.slow
def test_every_format_is_the_same_bytes_with_and_without_the_cache(tmp_path: Path, cache_dir: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("schema_version: '2.0'\nproduct: {name: [\n", "utf-8")
    paths = ["examples/dossiers", str(broken)]
    common = ["--as-of", AS_OF.isoformat(), "-q", "--justifications", str(JUSTIFICATIONS)]
    runs = (("fresh", ["--no-cache"]), ("fill", ["-j", "2"]), ("hit1", ["-j", "1"]), ("hit2", ["-j", "2"]))
    for fmt in ("text", "json", "sarif", "junit", "github", "markdown", "html", "xlsx"):
        for lang in ("en", "zh"):
            outs = {}
            for run, extra in runs:
                target = tmp_path / f"{fmt}-{lang}-{run}"
                proc = cli("check", *paths, *common, "-f", fmt, "-o", str(target), "--lang", lang, *extra)
                assert proc.returncode == 2, proc.stderr  # the broken file
                outs[run] = target.read_bytes()
            assert outs["fill"] == outs["fresh"] == outs["hit1"] == outs["hit2"], (fmt, lang)
            shutil.rmtree(cache_dir, ignore_errors=True)  # the next format fills it again
