"""The language server's latency and memory, measured in one run beside a baseline.

    python benchmarks/lsp.py              # 1,000 edits of a 317-line dossier (about a minute)
    python benchmarks/lsp.py --edits 200  # fewer

A scripted client (tests/lsp/client.py) starts the real `cgt-check lsp` and opens
examples/dossiers/gaps/pm-commitments.yaml (317 lines, findings of 3 rules). Each edit changes one
character of a due date, alternating between a date that gives a finding and one that does not,
and waits for the diagnostics of that version: the latency is from sending the change to
receiving them, the server's debounce included. The baseline is a whole `cgt-check check` of the
same file (a process, cold), the median of 5. Memory is the server's resident set after the
first 10% of the edits, after half of them and after all of them. Bursts: 5 changes 10 ms apart, the latency counted
from the last; each burst must give one check (one publication), not five.

It prints the ratios and writes every number to benchmarks/lsp-results.json (or --out).
"""

from __future__ import annotations

import argparse
import json
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))

from tests.lsp.client import Client, uri_of  # noqa: E402

DOSSIER = ROOT / "examples" / "dossiers" / "gaps" / "pm-commitments.yaml"
AS_OF = "2026-06-01"
TARGET_MS = 250.0
MEMORY_TARGET = 1.1


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def cli_cold(repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "checker", "check", "-q", "--as-of", AS_OF, str(DOSSIER)],
            cwd=ROOT,
            capture_output=True,
            check=False,
        )
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _edit_place(text: str) -> tuple[int, int, str, str]:
    """Where the edits go: the year's last digit of the first commitment's due date."""
    lines = text.split("\n")
    row = next(i for i, x in enumerate(lines) if x.strip().startswith("due_date: 2026-03-01"))
    column = lines[row].index("2026") + 3
    return row, column, "6", "9"  # 2026-03-01 (too late: a finding) / 2029-03-01


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(edits: int) -> dict[str, Any]:
    text = DOSSIER.read_text("utf-8")
    row, column, first, second = _edit_place(text)
    uri = uri_of(DOSSIER)
    latencies: list[float] = []
    kinds: set[frozenset[str]] = set()
    with Client(options={"as-of": AS_OF}) as c:
        start = time.perf_counter()
        c.open(uri, text)
        c.diagnostics(uri)
        opened = time.perf_counter() - start
        samples: list[int] = []  # the resident set after each tenth of the edits
        for i in range(edits):
            digit = second if i % 2 == 0 else first
            sent = time.perf_counter()
            c.edit(uri, (row, column), (row, column + 1), digit)
            got = c.diagnostics(uri)
            latencies.append(time.perf_counter() - sent)
            kinds.add(frozenset(str(d["code"]) for d in got))
            if (i + 1) % max(1, edits // 10) == 0:
                samples.append(rss_kib(c.proc.pid))
        late = rss_kib(c.proc.pid)
        early, middle = samples[0], samples[len(samples) // 2 - 1]
        bursts: list[float] = []
        publications = 0
        for i in range(20):
            for k in range(5):
                c.edit(uri, (row, column), (row, column + 1), second if (i + k) % 2 == 0 else first)
                if k < 4:
                    time.sleep(0.01)
            sent = time.perf_counter()
            c.diagnostics(uri)
            bursts.append(time.perf_counter() - sent)
        publications = sum(
            1 for n in c.notifications if n.get("method") == "textDocument/publishDiagnostics"
        )  # publications of superseded versions (none when each burst is checked once)
    return {
        "lines": len(text.splitlines()),
        "edits": edits,
        "open_s": opened,
        "latency_ms": {
            "median": statistics.median(latencies) * 1000,
            "p95": percentile(latencies, 0.95) * 1000,
            "max": max(latencies) * 1000,
        },
        "burst_latency_ms": {"median": statistics.median(bursts) * 1000, "max": max(bursts) * 1000},
        "superseded_publications": publications,
        "diagnostic_sets_seen": len(kinds),
        "rss_kib": {"after_10pct": early, "after_50pct": middle, "after_all": late, "each_10pct": samples},
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--edits", type=int, default=1000)
    parser.add_argument("--out", type=Path, default=HERE / "lsp-results.json")
    args = parser.parse_args()
    result = measure(args.edits)
    cold = cli_cold()
    result["cli_cold_s"] = cold
    result["machine"] = {"python": platform.python_version(), "cpus": __import__("os").cpu_count()}
    lat = result["latency_ms"]
    mem = result["rss_kib"]
    rows = [
        (
            "diagnostics after a change, p95 / 250 ms target",
            lat["p95"] / TARGET_MS,
            f"{lat['p95']:.1f} ms",
            "1.0",
        ),
        (
            "  median / a whole `cgt-check check` process",
            lat["median"] / (cold * 1000),
            f"{lat['median']:.1f} ms / {cold * 1000:.0f} ms",
            "-",
        ),
        (
            "memory after all edits / after 10%",
            mem["after_all"] / mem["after_10pct"],
            f"{mem['after_all'] / 1024:.1f} / {mem['after_10pct'] / 1024:.1f} MiB",
            str(MEMORY_TARGET),
        ),
        (
            "memory after all edits / after half of them",
            mem["after_all"] / mem["after_50pct"],
            f"{mem['after_all'] / 1024:.1f} / {mem['after_50pct'] / 1024:.1f} MiB",
            str(MEMORY_TARGET),
        ),
        (
            "burst of 5 changes: latency from the last, median",
            result["burst_latency_ms"]["median"] / TARGET_MS,
            f"{result['burst_latency_ms']['median']:.1f} ms",
            "1.0",
        ),
    ]
    print(f"{'measure':<55} {'ratio':>7}  {'numbers':<28} target")
    for name, ratio, numbers, target in rows:
        print(f"{name:<55} {ratio:>7.3f}  {numbers:<28} {target}")
    print(
        f"superseded publications in 20 bursts: {result['superseded_publications']}; distinct diagnostic sets: {result['diagnostic_sets_seen']}"
    )
    args.out.write_text(json.dumps(result, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
