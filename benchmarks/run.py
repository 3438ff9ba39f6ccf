"""Benchmarks of cgt-check against baselines, measured side by side in one run.

    python benchmarks/run.py            # full: 1,000 and 10,000 dossiers (several minutes)
    python benchmarks/run.py --quick    # 200 and 1,000 dossiers, fewer repeats (about a minute)

Run it with the Python of the environment where cgt-checker and the ``bench`` extra are
installed (``pip install -e '.[bench]'``): the commands measured are that environment's
``cgt-check`` and ``check-jsonschema``. It prints a table of ratios (ours / baseline) and
writes everything to ``benchmarks/results.json`` (or ``--out``). Generated dossiers are kept
under ``benchmarks/.corpus/`` and reused while the seed and count are the same.

What is measured:

* cold start: one whole ``cgt-check check one.yaml`` process (every rule, the text report),
  against ``check-jsonschema --schemafile schemas/dossier.schema.json one.yaml`` and
  ``python -c "import yaml"``; the median of alternating runs;
* batch: ``cgt-check check -q DIR`` over 1,000 and 10,000 generated dossiers (default
  ``--jobs``: one per core; and ``--jobs 1``), against one process that only parses the same
  files with PyYAML's C loader; the text reports of both job counts are compared;
* peak memory: the largest sum of the resident sets of the process and its workers, sampled
  every 10 ms, at 1,000 and 10,000 dossiers;
* growth: CPU time per dossier as the dossier grows (lists copied 1x to 16x), and with the
  bundled rule pack replicated 2, 5 and 10 times under new ids (and within the pack: a tenth of
  its rules to all of them).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from tests.fixtures import replicated_pack  # noqa: E402

BIN = Path(sys.executable).parent
FLOOR = (
    "import sys, yaml, pathlib\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).rglob('*.yaml')):\n"
    "    yaml.load(p.read_bytes(), Loader=yaml.CLoader)\n"
)
AS_OF = "2026-06-01"
ONE = ROOT / "examples" / "dossiers" / "gaps" / "pm-car-t-safety.yaml"


# ------------------------------------------------------------------ measuring processes


def _tree_rss(pid: int) -> int:
    """Resident set of a process and all its descendants, in KiB."""
    total = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
                        break
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack.extend(int(c) for c in fh.read().split())
        except (OSError, ValueError):
            continue
    return total


# The checker's cache for every measured run (the rule pack, the validator, the results): its
# own directory, so that what is measured does not depend on the cache of whoever runs it.
CACHE = {"dir": ""}


def measure(cmd: Sequence[str], stdout: Path | None = None, sample: bool = False) -> dict[str, Any]:
    """Run cmd to completion: wall and CPU seconds, peak memory of its process tree."""
    out = open(stdout, "wb") if stdout else subprocess.DEVNULL  # noqa: SIM115
    peak = [0]
    done = threading.Event()
    env = dict(os.environ, CGT_CHECKER_CACHE_DIR=CACHE["dir"]) if CACHE["dir"] else None
    start = time.perf_counter()
    proc = subprocess.Popen(list(cmd), stdout=out, stderr=subprocess.DEVNULL, cwd=ROOT, env=env)

    def sampler() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(proc.pid))
            done.wait(0.01)

    thread = threading.Thread(target=sampler, daemon=True) if sample else None
    if thread:
        thread.start()
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    done.set()
    if thread:
        thread.join()
    if stdout:
        out.close()  # type: ignore[union-attr]
    result = {
        "wall_s": round(wall, 4),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 4),
        "exit": proc.returncode,
        "max_rss_one_process_mib": round(usage.ru_maxrss / 1024, 1),
    }
    if sample:
        result["peak_rss_tree_mib"] = round(peak[0] / 1024, 1)
    return result


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _tool(name: str) -> str | None:
    exe = BIN / name
    return str(exe) if exe.exists() else shutil.which(name)


# ------------------------------------------------------------------------ experiments


def _compile_bytecode() -> str:
    """Compile the checker's modules, as installing its wheel does: an editable install (or
    PYTHONDONTWRITEBYTECODE) would otherwise make every run compile them from source. Where
    the package cannot be written, it is measured as it is (and the result says so)."""
    import checker

    package = Path(checker.__file__).parent
    done = subprocess.run([sys.executable, "-m", "compileall", "-q", str(package)], capture_output=True)
    return str(package) if done.returncode == 0 else f"not compiled: {package} ({done.returncode})"


def forget_results(cache: str | None = None) -> None:
    """Empty the result cache (the rule pack and the validator stay cached)."""
    shutil.rmtree(Path(cache or CACHE["dir"]) / "results", ignore_errors=True)


def cold_start(repeats: int) -> dict[str, Any]:
    compiled = _compile_bytecode()
    ours = _tool("cgt-check")
    peer = _tool("check-jsonschema")
    lint = _tool("yamllint")
    commands: dict[str, list[str]] = {
        # a file the result cache does not hold (it is emptied before each run of this command)
        "cgt_check": [str(ours), "check", "--as-of", AS_OF, str(ONE)],
        # the same file again, unchanged: its outcome from the result cache
        "cgt_check_cached": [str(ours), "check", "--as-of", AS_OF, str(ONE)],
        "cgt_check_no_cache": [str(ours), "check", "--no-cache", "--as-of", AS_OF, str(ONE)],
        "import_yaml": [sys.executable, "-c", "import yaml"],
    }
    if peer:
        commands["check_jsonschema"] = [
            peer,
            "--schemafile",
            str(ROOT / "schemas" / "dossier.schema.json"),
            str(ONE),
        ]
    if lint:
        commands["yamllint"] = [lint, "-d", "relaxed", str(ONE)]
    for cmd in commands.values():  # warm the page cache and the rule-pack cache
        measure(cmd)
    walls: dict[str, list[float]] = {k: [] for k in commands}
    for _ in range(repeats):
        for name, cmd in commands.items():
            if name == "cgt_check":
                forget_results()
            elif name == "cgt_check_cached":
                measure(commands["cgt_check"])  # its outcome is in the cache now
            walls[name].append(measure(cmd)["wall_s"])
    med = {k: round(statistics.median(v), 4) for k, v in walls.items()}
    out: dict[str, Any] = {"file": str(ONE.relative_to(ROOT)), "repeats": repeats, "median_wall_s": med}
    out["bytecode_compiled"] = compiled
    out["runs_wall_s"] = walls
    if "check_jsonschema" in med:
        out["ratio_vs_check_jsonschema"] = round(med["cgt_check"] / med["check_jsonschema"], 3)
        out["cached_ratio_vs_check_jsonschema"] = round(med["cgt_check_cached"] / med["check_jsonschema"], 3)
    if "yamllint" in med:
        out["ratio_vs_yamllint"] = round(med["cgt_check"] / med["yamllint"], 3)
    out["ratio_vs_import_yaml"] = round(med["cgt_check"] / med["import_yaml"], 3)
    return out


FORMAT_NAMES = ("text", "json", "sarif", "junit", "github", "markdown", "html", "xlsx")


def _linked_copy(source: Path, target: Path, limit: int | None = None) -> list[Path]:
    """The corpus's files (the first `limit`) hard-linked into target, in order: the same bytes
    under paths of the benchmark's own, so that some can be changed without touching the corpus."""
    files = sorted(source.rglob("*.yaml"))[:limit]
    out = []
    for p in files:
        q = target / p.relative_to(source)
        q.parent.mkdir(parents=True, exist_ok=True)
        os.link(p, q)
        out.append(q)
    return out


def _change(files: Sequence[Path]) -> None:
    """Edit each file (a comment line at the end): a new file in place of the link."""
    for p in files:
        data = p.read_bytes() + b"\n# edited for the benchmark\n"
        p.unlink()
        p.write_bytes(data)


def batch(directory: Path, count: int, work: Path) -> dict[str, Any]:
    ours = str(_tool("cgt-check"))
    tree = work / f"corpus-{count}"
    files = _linked_copy(directory, tree, count)
    floor = measure([sys.executable, "-c", FLOOR, str(tree)], sample=True)
    check = [ours, "check", "-q", "--as-of", AS_OF, str(tree)]
    report_n = work / f"report-{count}-jobsN.txt"
    report_1 = work / f"report-{count}-jobs1.txt"
    report_c = work / f"report-{count}-cached.txt"
    report_c1 = work / f"report-{count}-cached-jobs1.txt"
    forget_results()
    one = measure([*check, "-j", "1"], stdout=report_1, sample=True)
    forget_results()
    default = measure(check, stdout=report_n, sample=True)  # and the cache now holds every outcome
    cached = measure(check, stdout=report_c, sample=True)
    cached_1 = measure([*check, "-j", "1"], stdout=report_c1, sample=True)
    same = len({_sha(report_n), _sha(report_1), _sha(report_c), _sha(report_c1)}) == 1
    # 1% of the files changed: the rest from the cache; against checking only the changed ones
    changed = files[:: max(1, len(files) // max(1, count // 100))][: max(1, count // 100)]
    _change(changed)
    partly = measure(check, stdout=work / f"report-{count}-partly.txt", sample=True)
    alone_cache = work / "cache-alone"
    if alone_cache.exists():
        shutil.rmtree(alone_cache)
    shutil.copytree(CACHE["dir"], alone_cache, ignore=shutil.ignore_patterns("results"))
    saved, CACHE["dir"] = CACHE["dir"], str(alone_cache)
    try:
        alone = measure([ours, "check", "-q", "--as-of", AS_OF, *map(str, changed)], sample=True)
    finally:
        CACHE["dir"] = saved
    budget = 0.1 * floor["wall_s"] + 1.2 * alone["wall_s"]
    formats = {}
    for fmt in FORMAT_NAMES:  # each format's peak memory, the outcomes from the cache
        target = work / f"report-{count}.{fmt}"
        formats[fmt] = measure([*check, "-f", fmt, "-o", str(target)], sample=True)
        target.unlink(missing_ok=True)
    return {
        "dossiers": count,
        "pyyaml_c_parse_floor": floor,
        "cgt_check_jobs_default": default,
        "cgt_check_jobs_1": one,
        "cgt_check_cached": cached,
        "cgt_check_cached_jobs_1": cached_1,
        "cgt_check_1pct_changed": partly,
        "cgt_check_changed_only": alone,
        "changed_files": len(changed),
        "formats_cached": formats,
        "ratio_vs_floor": round(default["wall_s"] / floor["wall_s"], 3),
        "ratio_jobs1_vs_floor": round(one["wall_s"] / floor["wall_s"], 3),
        "cpu_ratio_vs_floor": round(default["cpu_s"] / floor["cpu_s"], 3),
        "cached_ratio_vs_floor": round(cached["wall_s"] / floor["wall_s"], 3),
        "cached_cpu_ratio_vs_floor": round(cached["cpu_s"] / floor["cpu_s"], 3),
        "partly_ratio_vs_budget": round(partly["wall_s"] / budget, 3),
        "per_dossier_ms": round(1000 * default["wall_s"] / count, 3),
        "reports_identical_jobs_1_default_and_cached": same,
        "report_lines": sum(1 for _ in report_n.open("rb")),
    }


def _cpu_per_dossier(checker: Any, texts: list[tuple[str, bytes]], rounds: int) -> float:
    from checker.load.dossier import load_dossier

    as_of = dt.date.fromisoformat(AS_OF)
    best = float("inf")
    for _ in range(rounds):
        start = time.process_time()
        for name, raw in texts:
            checker.check(load_dossier(name, raw), as_of)
        best = min(best, time.process_time() - start)
    return best / len(texts)


def size_growth(rounds: int) -> dict[str, Any]:
    """CPU time per dossier as its lists grow, on the same examples."""
    import random

    import yaml

    from checker.rulepack.cache import load_pack_cached
    from checker.run.evaluate import Checker

    examples = generate._examples()
    rows = []
    with Checker(load_pack_cached()) as checker:
        for factor in (1, 2, 4, 8, 16):
            texts = []
            for i, base in enumerate(examples):
                for attempt in range(5):
                    data = json.loads(json.dumps(base, default=str))
                    generate._resize(random.Random(f"size:{i}:{attempt}"), data, float(factor))
                    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
                    if generate._valid(text, i):
                        texts.append((f"size-{factor}-{i}.yaml", text.encode("utf-8")))
                        break
            kib = sum(len(t) for _, t in texts) / len(texts) / 1024
            ms = 1000 * _cpu_per_dossier(checker, texts, rounds)
            rows.append(
                {"factor": factor, "dossiers": len(texts), "mean_kib": round(kib, 1), "cpu_ms": round(ms, 3)}
            )
    first, last = rows[0], rows[-1]
    size_ratio = last["mean_kib"] / first["mean_kib"]
    time_ratio = last["cpu_ms"] / first["cpu_ms"]
    return {
        "rows": rows,
        "size_ratio": round(size_ratio, 2),
        "time_ratio": round(time_ratio, 2),
        "time_ratio_over_size_ratio": round(time_ratio / size_ratio, 3),
    }


def _subpack(pack: Any, every: int) -> Any:
    """The pack with every every-th rule only (in load order), linked for the engine."""
    import dataclasses

    from checker.rulepack.link import link

    rules = {rid: lr for i, (rid, lr) in enumerate(pack.rules.items()) if i % every == 0}
    return dataclasses.replace(pack, rules=rules, program=link([lr.compiled for lr in rules.values()]))


def rule_growth(corpus: Path, sample: int, rounds: int, work: Path) -> dict[str, Any]:
    """CPU time per dossier (the whole check) as the number of rules grows tenfold.

    The bundled pack replicated under new ids (2x, 5x and 10x the rules, each condition shared
    by that many rules), against the bundled pack; the engine adapter spreads a large pack over
    several engine rulesets (see checker.engine), and how many it used is recorded. Also growth
    within the pack: a tenth of the bundled rules (every 10th), a fifth, a half, and all.
    """
    from checker.rulepack.pack import load_pack
    from checker.run.evaluate import Checker

    files = sorted(corpus.rglob("*.yaml"))[:sample]
    texts = [(str(p), p.read_bytes()) for p in files]
    full = load_pack()
    replicated: list[dict[str, Any]] = []
    for copies in (1, 2, 5, 10):
        pack = full if copies == 1 else load_pack([replicated_pack(work / f"rules-x{copies}", copies)])
        with Checker(pack) as checker:
            ms = 1000 * _cpu_per_dossier(checker, texts, rounds)
            rulesets = checker.session.rulesets
        replicated.append(
            {
                "copies": copies,
                "rules": len(pack.rules),
                "engine_rules": len(pack.program.rules),
                "engine_rulesets": rulesets,
                "cpu_ms_per_dossier": round(ms, 3),
            }
        )
    for row in replicated:
        row["ratio"] = round(row["cpu_ms_per_dossier"] / replicated[0]["cpu_ms_per_dossier"], 3)
    rows = []
    for every in (10, 5, 2, 1):
        pack = _subpack(full, every)
        with Checker(pack) as checker:
            ms = 1000 * _cpu_per_dossier(checker, texts, rounds)
        rows.append(
            {
                "rules": len(pack.rules),
                "engine_rules": len(pack.program.rules),
                "cpu_ms_per_dossier": round(ms, 3),
            }
        )
    for row in rows:
        row["ratio"] = round(row["cpu_ms_per_dossier"] / rows[0]["cpu_ms_per_dossier"], 3)
    return {
        "dossiers": len(texts),
        "replicated_pack": replicated,
        "ratio_10x_rules": replicated[-1]["ratio"],
        "subsets": rows,
        "subset_rules_ratio": round(rows[-1]["rules"] / rows[0]["rules"], 2),
        "subset_ratio": rows[-1]["ratio"],
    }


# ------------------------------------------------------------------------------ main


def machine() -> dict[str, Any]:
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpus_usable": len(os.sched_getaffinity(0)),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "commit": commit,
        "date_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M"),
    }


def _load() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def targets(res: dict[str, Any]) -> list[dict[str, Any]]:
    small, large = res["batch"]
    rows = [
        ("cold check / check-jsonschema", res["cold_start"].get("ratio_vs_check_jsonschema"), 0.5),
        ("cold check / yamllint", res["cold_start"].get("ratio_vs_yamllint"), 1.5),
        (f"batch {large['dossiers']} / PyYAML C parse floor", large["ratio_vs_floor"], 2.0),
        (f"batch {large['dossiers']} CPU / floor CPU", large["cpu_ratio_vs_floor"], 2.0),
        (f"re-check of {large['dossiers']} unchanged / floor", large["cached_ratio_vs_floor"], 0.1),
        (
            f"re-check of {large['dossiers']}, 1% changed / (0.1 floor + 1.2 x the changed alone)",
            large["partly_ratio_vs_budget"],
            1.0,
        ),
        (
            f"peak memory {large['dossiers']} / {small['dossiers']} dossiers",
            res["memory_ratio"],
            1.2,
        ),
        (
            "10x the rules (bundled pack replicated) / 1x, CPU per dossier",
            res["rule_growth"]["ratio_10x_rules"],
            10.0,
        ),
        (
            f"{res['rule_growth']['subset_rules_ratio']}x rules within the pack / 1x, CPU per dossier",
            res["rule_growth"]["subset_ratio"],
            10.0,
        ),
        (
            f"time {large['dossiers']} / {small['dossiers']} dossiers, per dossier",
            res["dossier_growth_per_dossier"],
            1.1,
        ),
        ("time growth / size growth (16x lists)", res["size_growth"]["time_ratio_over_size_ratio"], 1.1),
        *(
            (f"peak memory {large['dossiers']} / {small['dossiers']}, {fmt} (cached)", ratio, 1.2)
            for fmt, ratio in res["format_memory_ratios"].items()
        ),
    ]
    return [{"measure": m, "ratio": v, "target": t, "met": (v is not None and v <= t)} for m, v, t in rows]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="200 and 1,000 dossiers, fewer repeats")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=HERE / "results.json")
    parser.add_argument("--corpus", type=Path, default=HERE / ".corpus")
    args = parser.parse_args()
    small_n, large_n = (200, 1000) if args.quick else (1000, 10000)
    repeats, rounds = (5, 1) if args.quick else (15, 3)

    res: dict[str, Any] = {
        "mode": "quick" if args.quick else "full",
        "machine": machine(),
        "load_before": _load(),
    }
    print(f"machine: {res['machine']}", flush=True)
    corpus = args.corpus / f"seed{args.seed}-{large_n}"
    print(f"generating {large_n} dossiers in {corpus} ...", flush=True)
    res["corpus"] = generate.generate(corpus, large_n, args.seed)
    with tempfile.TemporaryDirectory(prefix="cgt-bench-") as tmp:
        work = Path(tmp)
        CACHE["dir"] = str(work / "cache")
        print("cold start ...", flush=True)
        res["cold_start"] = cold_start(repeats)
        res["batch"] = []
        for n in (small_n, large_n):
            print(f"batch of {n} ...", flush=True)
            res["batch"].append(batch(corpus, n, work))
        small, large = res["batch"]
        res["memory_ratio"] = round(
            large["cgt_check_jobs_default"]["peak_rss_tree_mib"]
            / small["cgt_check_jobs_default"]["peak_rss_tree_mib"],
            3,
        )
        res["format_memory_ratios"] = {
            fmt: round(
                large["formats_cached"][fmt]["peak_rss_tree_mib"]
                / small["formats_cached"][fmt]["peak_rss_tree_mib"],
                3,
            )
            for fmt in FORMAT_NAMES
        }
        res["dossier_growth_per_dossier"] = round(
            (large["cgt_check_jobs_default"]["wall_s"] / large_n)
            / (small["cgt_check_jobs_default"]["wall_s"] / small_n),
            3,
        )
        print("growth with dossier size ...", flush=True)
        res["size_growth"] = size_growth(rounds)
        print("growth with the number of rules ...", flush=True)
        res["rule_growth"] = rule_growth(corpus, 100 if args.quick else 300, rounds, work)
    res["load_after"] = _load()
    res["targets"] = targets(res)
    args.out.write_text(json.dumps(res, indent=2, ensure_ascii=False) + "\n", "utf-8")
    print()
    print(f"{'measure':66} {'ratio':>8} {'target':>8}  met")
    for row in res["targets"]:
        shown = "n/a" if row["ratio"] is None else f"{row['ratio']:.3f}"
        print(f"{row['measure']:66} {shown:>8} {row['target']:>8}  {'yes' if row['met'] else 'NO'}")
    c = res["cold_start"]["median_wall_s"]
    print(f"\ncold start medians (s): {c}")
    for b in res["batch"]:
        print(
            f"batch {b['dossiers']}: ours {b['cgt_check_jobs_default']['wall_s']} s "
            f"(jobs 1: {b['cgt_check_jobs_1']['wall_s']} s), floor {b['pyyaml_c_parse_floor']['wall_s']} s, "
            f"cached {b['cgt_check_cached']['wall_s']} s, 1% changed {b['cgt_check_1pct_changed']['wall_s']} s "
            f"(the changed alone {b['cgt_check_changed_only']['wall_s']} s), "
            f"peak {b['cgt_check_jobs_default']['peak_rss_tree_mib']} MiB, "
            f"same report with jobs 1 and cached: {b['reports_identical_jobs_1_default_and_cached']}"
        )
        print(
            "  peak MiB by format (cached): "
            + ", ".join(f"{fmt} {m['peak_rss_tree_mib']}" for fmt, m in b["formats_cached"].items())
        )
    print(f"load average before {res['load_before']}, after {res['load_after']}; written to {args.out}")


if __name__ == "__main__":
    main()
