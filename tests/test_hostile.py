"""Hostile and broken dossiers through the real command line: each gives exit 2, one located line
per problem on standard error, no traceback, under 5 s of CPU and 300 MB, and is left untouched.

The small cases are files in tests/corpus/hostile/ (each starts with its '# expect: LINE:COL
fragment' lines); the large ones are built here, near the limits in checker/limits.py.
"""

from __future__ import annotations

import copy
import json
import os
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from pydantic import BaseModel

from checker.base import limits
from checker.load.yamlio import load_yaml
from checker.model.dossier import Dossier
from checker.model.introspect import unwrap
from tests.fixtures import GOOD_RULE
from tests.hostile import (
    CORPUS,
    MAX_CPU_SECONDS,
    MAX_RSS_BYTES,
    ROOT,
    assert_located_errors,
    expectations,
    run_cli,
)

CLEAN = ROOT / "examples" / "dossiers" / "clean"

HEADER = 'schema_version: "1.0"\n'
PRODUCT = "product: {name: X, modality: car-t}\n"

Expected = list[tuple[int, int, str]]


def _check(path: Path, expected: Expected, *extra: str) -> None:
    before = path.read_bytes()
    mtime = os.stat(path).st_mtime_ns
    run = run_cli("check", str(path), "--as-of", "2026-06-01", *extra)
    assert_located_errors(run, str(path), expected)
    assert path.read_bytes() == before and os.stat(path).st_mtime_ns == mtime


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.yaml")))
def test_corpus_file(name: str) -> None:
    path = CORPUS / name
    expected = expectations(path.read_bytes())
    assert expected, f"{name} has no '# expect:' line"
    _check(path, expected)


# ------------------------------------------------------------------- built near the limits


def _over_size() -> tuple[bytes, Expected]:
    # Many small nested items, one byte over the limit: refused before parsing.
    item = "  - {id: t, indications: [a, b], design: {arms: [x, y]}}\n"
    body = HEADER + PRODUCT + "clinical_trials:\n"
    text = body + item * ((limits.MAX_FILE_BYTES - len(body)) // len(item) + 1)
    raw = text.encode()[: limits.MAX_FILE_BYTES + 1]
    return raw, [(1, 1, f"file is larger than the {limits.MAX_FILE_BYTES}-byte limit")]


def _too_many_nodes() -> tuple[bytes, Expected]:
    # 4.9 MB of small nested items: the node count runs out first, and is reported where.
    item = "  - {a: [1, 2]}\n"  # five nodes
    text = HEADER + PRODUCT + "clinical_trials:\n" + item * (4_900_000 // len(item))
    # Keys are nodes: the root, schema_version and its value, product and its mapping of two
    # keys and two values, clinical_trials and its list: 11 nodes before the items.
    first_over = (limits.MAX_NODES - 11) // 5  # the item whose nodes pass the limit
    nodes_before = 11 + 5 * first_over
    column = {1: 5, 2: 6, 3: 9, 4: 10, 5: 13}[limits.MAX_NODES - nodes_before + 1]
    return text.encode(), [(4 + first_over, column, f"more than {limits.MAX_NODES} nodes")]


def _near_limits_valid_yaml() -> tuple[bytes, Expected]:
    # Just under 5 MB and 200,000 nodes: all of it reaches the model, which refuses the list.
    count = (limits.MAX_NODES - 20) // 5
    pad = "p" * ((4_900_000 // count) - 30)
    text = HEADER + PRODUCT + "clinical_trials:\n"
    text += "".join(f"  - {{id: t{i}, title: {pad}}}\n" for i in range(count))
    assert len(text) < limits.MAX_FILE_BYTES
    return text.encode(), [(4, 3, f"expected at most 100 item(s), got {count}")]


def _long_line() -> tuple[bytes, Expected]:
    text = HEADER + "product: {modality: car-t, name: " + "x" * 4_900_000 + "}\n"
    return text.encode(), [(2, 34, f"text too long: at most {limits.MAX_TEXT_CHARS} characters")]


def _long_key() -> tuple[bytes, Expected]:
    text = HEADER + PRODUCT + '? "' + "k" * 4_000_000 + '"\n: 1\n'
    return text.encode(), [(3, 3, "unknown key 'kkkkkkkkkk")]


def _many_problems() -> tuple[bytes, Expected]:
    # 90,000 misspelt keys: the first 100 are reported, then one line counts the rest.
    n = 90_000
    text = HEADER + PRODUCT + "".join(f"sponsr{i}: 1\n" for i in range(n))
    shown = limits.MAX_PROBLEMS_PER_FILE
    expected = [(3 + i, 1, f"unknown key 'sponsr{i}'") for i in range(shown)]
    expected.append((2 + shown, 1, f"{n - shown} more problem(s) in this file not shown"))
    return text.encode(), expected


def _long_text_through_aliases() -> tuple[bytes, Expected]:
    text = HEADER + 'product:\n  name: &a "' + "x" * 65_000 + '"\n  modality: car-t\n'
    text += "  targets: [" + ", ".join(["*a"] * 300) + "]\n"
    col = 13 + 4 * (limits.MAX_FILE_BYTES // 65_000 - 1)
    return text.encode(), [(5, col, "after alias expansion (more than 5000000 characters of text)")]


def _deep_flow_mappings() -> tuple[bytes, Expected]:
    text = HEADER + "product: " + "{a: " * 900 + "1" + "}" * 900 + "\n"
    return text.encode(), [(2, 10 + 4 * (limits.MAX_DEPTH - 1), f"nesting deeper than {limits.MAX_DEPTH}")]


def _empty() -> tuple[bytes, Expected]:
    return b"", [(1, 1, "the file is empty")]


def _utf16() -> tuple[bytes, Expected]:
    return (HEADER + PRODUCT).encode("utf-16"), [(1, 1, "this file looks like UTF-16 text, not UTF-8")]


BUILT: dict[str, Callable[[], tuple[bytes, Expected]]] = {
    "over-size": _over_size,
    "too-many-nodes": _too_many_nodes,
    "near-limits-valid-yaml": _near_limits_valid_yaml,
    "long-line": _long_line,
    "long-key": _long_key,
    "many-problems": _many_problems,
    "long-text-through-aliases": _long_text_through_aliases,
    "deep-flow-mappings": _deep_flow_mappings,
    "empty": _empty,
    "utf16": _utf16,
}


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(BUILT))
def test_built_near_the_limits(tmp_path: Path, name: str) -> None:
    raw, expected = BUILT[name]()
    path = tmp_path / f"{name}.yaml"
    path.write_bytes(raw)
    _check(path, expected)


def test_size_limit_is_configurable(tmp_path: Path) -> None:
    path = tmp_path / "d.yaml"
    path.write_text(HEADER + PRODUCT, "utf-8")
    _check(path, [(1, 1, "file is larger than the 10-byte limit")], "--max-file-size", "10")
    raw, _ = _over_size()
    path.write_bytes(raw)
    run = run_cli("check", str(path), "--max-file-size", str(len(raw)))
    assert run.returncode == 2 and "file is larger" not in run.stderr  # read, then refused by the model


def test_standard_input_is_named_and_size_limited() -> None:
    run = run_cli("check", "-", "--max-file-size", "10", stdin=(HEADER + PRODUCT).encode())
    assert_located_errors(run, "<stdin>", [(1, 1, "file is larger than the 10-byte limit")])
    run = run_cli("check", "-", stdin=(HEADER + "product: {name: X, modality: car-tt}\n").encode())
    assert_located_errors(run, "<stdin>", [(2, 30, "(did you mean 'car-t'?)")])
    run = run_cli("check", "-", stdin=b"")
    assert_located_errors(run, "<stdin>", [(1, 1, "the file is empty")])


# ---------------------------------------------------------------- custom rule files (--rules)


def _too_many_rules() -> str:
    items = ", ".join(f"{{n: '{i}'}}" for i in range(limits.MAX_RULES + 1))
    rule = GOOD_RULE.split("  - ", 1)[1].replace("house-sponsor", "house-${n}")
    return "templates:\n  - for_each: [" + items + "]\n    rule:\n      " + rule.replace("\n    ", "\n      ")


RULE_CASES: dict[str, tuple[Callable[[], str], Expected]] = {
    "syntax": (lambda: "rules:\n  - id: x\n    bad: [\n", [(4, 1, "YAML syntax error")]),
    "unknown-field": (
        lambda: GOOD_RULE.replace("title:", "titel:"),
        [(2, 5, "missing required field 'title'"), (5, 5, "unknown key 'titel' (did you mean 'title'?)")],
    ),
    "unknown-fact-field": (
        lambda: GOOD_RULE.replace("product.sponsor: absent", "product.sponsr: absent"),
        [(10, 35, "has no field 'product.sponsr' (did you mean 'product.sponsor'?)")],
    ),
    "operator-the-engine-lacks": (
        lambda: GOOD_RULE.replace("product.sponsor: absent", "product.sponsor: {matches: x}"),
        [(10, 36, "unknown operator 'matches'")],
    ),
    "duplicate-id": (lambda: GOOD_RULE + GOOD_RULE.split("rules:\n", 1)[1], [(15, 9, "duplicate rule id")]),
    "duplicate-yaml-key": (
        lambda: GOOD_RULE.replace("    severity: info\n", "    severity: info\n    severity: error\n"),
        [(5, 5, "duplicate key 'severity'")],
    ),
    "text-literal-too-long": (
        lambda: GOOD_RULE.replace("product.sponsor: absent", "product.sponsor: " + "x" * 201),
        [(10, 36, f"at most {limits.MAX_RULE_TEXT} characters")],
    ),
    "not-a-mapping": (
        lambda: "- just\n- a list\n",
        [(1, 1, "expected a mapping of keys and values (key: value), got a list")],
    ),
    "oversized-file": (
        lambda: GOOD_RULE + "# " + "x" * limits.MAX_RULE_FILE_BYTES + "\n",
        [(1, 1, f"file is larger than the {limits.MAX_RULE_FILE_BYTES}-byte limit")],
    ),
    "too-many-rules": (_too_many_rules, [(2, 16, f"at most {limits.MAX_RULES} rules")]),
}


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_broken_rule_file_names_the_file_and_line(tmp_path: Path, name: str) -> None:
    build, expected = RULE_CASES[name]
    rules = tmp_path / "rules"
    rules.mkdir()
    path = rules / "house.yaml"
    path.write_text(build(), "utf-8")
    dossier = tmp_path / "d.yaml"
    dossier.write_text(HEADER + PRODUCT, "utf-8")
    run = run_cli("check", str(dossier), "--rules", str(rules))
    assert_located_errors(run, str(path), expected)
    assert "engine" not in run.stderr.lower()


def test_rule_directories_are_validated(tmp_path: Path) -> None:
    dossier = tmp_path / "d.yaml"
    dossier.write_text(HEADER + PRODUCT, "utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    for given, fragment in [
        (tmp_path / "missing", "rule directory not found"),
        (dossier, "not a directory"),
        (empty, "no *.yaml or *.yml rule files"),
    ]:
        assert_located_errors(
            run_cli("check", str(dossier), "--rules", str(given)), str(given), [(1, 1, fragment)]
        )


def test_a_custom_rule_is_applied(tmp_path: Path) -> None:
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "house.yaml").write_text(GOOD_RULE, "utf-8")
    dossier = tmp_path / "d.yaml"
    dossier.write_text(HEADER + PRODUCT, "utf-8")
    run = run_cli(
        "check", str(dossier), "--rules", str(rules), "--rules", str(rules), "--as-of", "2026-06-01"
    )
    assert (
        run.returncode == 2 and "duplicate rule id 'house-sponsor'" in run.stderr
    )  # the same directory twice
    run = run_cli("check", str(dossier), "--rules", str(rules), "--as-of", "2026-06-01", "--fail-on", "info")
    assert run.returncode == 1, run.stderr
    assert "house-sponsor [CGT-IND-MOA]" in run.stdout


@pytest.mark.slow
def test_long_texts_everywhere_are_checked_within_the_budget(tmp_path: Path) -> None:
    # A 4.5 MB dossier whose prose fields hold 65,535 characters each, special to JSON and YAML.
    data = load_yaml((CLEAN / "car-t-approved.yaml").read_bytes(), "x").data
    long = ('"\\\x01中\u2028{}$' * 10_000)[: limits.MAX_TEXT_CHARS]
    filled = 0

    def fill(node: Any, key: str = "") -> Any:
        nonlocal filled
        if isinstance(node, dict):
            return {k: fill(v, k) for k, v in node.items()}
        if isinstance(node, list):
            return [fill(v, key) for v in node]
        if key in PROSE and isinstance(node, str) and filled < 34:
            filled += 1
            return long
        return node

    path = tmp_path / "long.yaml"
    path.write_text(yaml.safe_dump(fill(data), allow_unicode=True, sort_keys=False, width=10**9), "utf-8")
    assert filled == 34 and path.stat().st_size > 4_000_000
    run = run_cli("check", str(path), "--as-of", "2026-06-01", "-f", "json")
    assert run.returncode in (0, 1) and run.stderr == "", run.stderr[-2000:]
    assert run.cpu_seconds < MAX_CPU_SECONDS and run.max_rss_bytes < MAX_RSS_BYTES, run
    short = run_cli("check", str(CLEAN / "car-t-approved.yaml"), "--as-of", "2026-06-01", "-f", "json")
    findings = [(f["rule_id"], f["path"]) for d in json.loads(run.stdout)["dossiers"] for f in d["findings"]]
    expected = [
        (f["rule_id"], f["path"]) for d in json.loads(short.stdout)["dossiers"] for f in d["findings"]
    ]
    assert findings == expected  # the same answers as with the original prose


PROSE = {
    "name",
    "description",
    "summary",
    "statement",
    "limitation",
    "shortfall",
    "target_population",
    "title",
}


def _every_list_at_its_maximum(data: dict[str, Any]) -> dict[str, Any]:
    """A dossier whose every list (nested ones too) holds its maxItems, copies of its items under
    new ids; each trial and each real-world study serves the first ten indications."""

    def fill(node: Any, cls: type[BaseModel]) -> Any:
        if not isinstance(node, dict):
            return node
        for name, info in cls.model_fields.items():
            ann = unwrap(info.annotation)
            if node.get(name) is None:
                continue
            if typing.get_origin(ann) is list and node[name]:
                item_cls = unwrap(typing.get_args(ann)[0])
                most = next(m.max_length for m in info.metadata if getattr(m, "max_length", None))
                items = node[name]
                out = []
                for i in range(most):
                    item = copy.deepcopy(items[i % len(items)])
                    if isinstance(item, dict) and "id" in item and i >= len(items):
                        item["id"] = f"{item['id']}-{i}"
                    out.append(fill(item, item_cls) if isinstance(item_cls, type) else item)
                node[name] = out
            elif isinstance(ann, type) and issubclass(ann, BaseModel):
                node[name] = fill(node[name], ann)
        return node

    data = fill(copy.deepcopy(data), Dossier)
    ids = [i["id"] for i in data.get("indications", [])]
    for item in [*data.get("clinical_trials", []), *data.get("real_world_studies", [])]:
        if "indications" in item:
            item["indications"] = ids[:10]
    for commitment in data.get("post_approval_commitments", []):
        commitment.pop("trial", None)
    return data


# A dossier at every list limit is the largest a check takes on: with format 2.0's approvals and
# assessment windows, car-t-approved.yaml there fires about 4,600 rules on 1,000 trial facts (one
# per trial and indication it serves), and the engine's own state peaks at about 300 MB (Python 3.11).
MAX_LIST_LIMIT_RSS_BYTES = 400 * 1024 * 1024


@pytest.mark.slow
@pytest.mark.parametrize(
    "example",
    [
        "car-t-approved.yaml",
        "car-t-approved-follow-up.yaml",
        "car-t-bridging.yaml",
        "gene-therapy-approved.yaml",
    ],
)
def test_every_list_at_its_maximum_is_checked_within_the_budget(tmp_path: Path, example: str) -> None:
    # 100 trials serving 10 indications each are 1,000 trial facts: bridging rules compared each
    # with every foreign study (715 MB, 2.4 s) until a rule that never reads the indication
    # matched each trial once (185 MB, 1 s).
    data = _every_list_at_its_maximum(load_yaml((CLEAN / example).read_bytes(), example).data)
    assert len(data["clinical_trials"]) == 100 and len(data["indications"]) == 30
    path = tmp_path / example
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    run = run_cli("check", str(path), "--as-of", "2026-06-01")
    assert run.returncode in (0, 1) and run.stderr == "", run.stderr[-2000:]
    assert run.cpu_seconds < MAX_CPU_SECONDS, f"{run.cpu_seconds:.2f} s of CPU"
    assert run.max_rss_bytes < MAX_LIST_LIMIT_RSS_BYTES, f"{run.max_rss_bytes / 2**20:.0f} MB peak"
