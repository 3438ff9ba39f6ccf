"""The import contract of the package: its sub-packages are layers, each built only on the ones
below it, bottom to top: base, model, load, engine, rulepack, report, run, lsp, cli.

- A module imports only modules of its own layer or of lower ones. The package's root module
  (`checker`, which holds the version) counts as the base layer; `checker.__main__` sits above cli.
- No modules import each other in a cycle.
- No module is longer than 400 lines.

Imports are read from the source with `ast`: at module level, inside functions and under
`if TYPE_CHECKING:` alike; `from checker.x import y` is an import of the module checker.x.y when
there is one, else of checker.x. A package's `__init__` counts only where it is named; imports
made at run time through importlib are not seen.

The checking functions are tested on small packages of their own, so that a new upward import or
cycle is known to make the contract fail."""

from __future__ import annotations

import ast
import textwrap
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE_DIR = ROOT / "checker"
LAYERS = ("base", "model", "load", "engine", "rulepack", "report", "run", "lsp", "cli")
MAX_LINES = 400


@dataclass(frozen=True, order=True)
class Import:
    source: str  # the importing module, e.g. checker.load.dossier
    target: str  # the imported module, e.g. checker.engine.facts
    file: str  # the importing module's file, relative to the package's parent directory
    line: int


def module_files(package_dir: Path) -> dict[str, Path]:
    """Every module of the package in package_dir, by dotted name (a package by its own name)."""
    out: dict[str, Path] = {}
    for path in sorted(package_dir.rglob("*.py")):
        parts = path.relative_to(package_dir.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = path
    return out


def _file(name: str, path: Path) -> str:
    """A module's file, relative to the directory that holds the package."""
    depth = len(name.split(".")) - (path.name != "__init__.py")
    return path.relative_to(path.parents[depth]).as_posix()


def _known(name: str, modules: Mapping[str, Path]) -> str:
    """The module an imported name stands for: the name itself, or the longest prefix of it that
    is a module of the package (an unknown name is kept as it is)."""
    parts = name.split(".")
    for n in range(len(parts), 0, -1):
        prefix = ".".join(parts[:n])
        if prefix in modules:
            return prefix
    return name


def imports_of(name: str, modules: Mapping[str, Path]) -> list[Import]:
    """The package's modules that one of its modules imports, wherever in the module the import is."""
    path = modules[name]
    package = name.split(".")[0]
    here = name if path.name == "__init__.py" else name.rpartition(".")[0]  # where `from .` starts
    file = _file(name, path)
    found: list[Import] = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"), str(path))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = here.split(".")
                start = ".".join(parts[: len(parts) - node.level + 1])
                origin = f"{start}.{node.module}" if node.module else start
            else:
                origin = node.module or ""
            targets = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in modules else origin
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            if target == package or target.startswith(package + "."):
                resolved = _known(target, modules)
                if resolved != name:
                    found.append(Import(name, resolved, file, node.lineno))
    return sorted(set(found))


def all_imports(modules: Mapping[str, Path]) -> list[Import]:
    return [imp for name in sorted(modules) for imp in imports_of(name, modules)]


def layer_of(module: str, layers: Sequence[str] = LAYERS) -> int | None:
    """The layer of a module, by index in layers: the root module is the lowest, `__main__` above
    the highest; None for a module outside every layer."""
    parts = module.split(".")
    if len(parts) == 1:
        return 0
    if parts[1] == "__main__":
        return len(layers)
    return layers.index(parts[1]) if parts[1] in layers else None


def _layer_name(index: int | None, layers: Sequence[str]) -> str:
    if index is None:
        return "no layer"
    return layers[index] if index < len(layers) else "__main__"


def outside_layers(modules: Iterable[str], layers: Sequence[str] = LAYERS) -> list[str]:
    """Modules that belong to no layer."""
    known = ", ".join(layers)
    return [f"{m}: in no layer (layers: {known})" for m in sorted(modules) if layer_of(m, layers) is None]


def upward_imports(imports: Iterable[Import], layers: Sequence[str] = LAYERS) -> list[str]:
    """Imports of a module of a higher layer (or of no layer) than the importing module's."""
    out = []
    for imp in imports:
        source, target = layer_of(imp.source, layers), layer_of(imp.target, layers)
        if source is None:
            continue  # reported by outside_layers
        if target is None or target > source:
            out.append(
                f"{imp.file}:{imp.line}: {imp.source} ({_layer_name(source, layers)}) imports "
                f"{imp.target} ({_layer_name(target, layers)})"
            )
    return out


def _components(graph: Mapping[str, Sequence[str]]) -> list[list[str]]:
    """The strongly connected components of a graph (Tarjan's algorithm, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    out: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, 0)]
        while work:
            node, i = work.pop()
            if i == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            successors = graph.get(node, ())
            if i < len(successors):
                work.append((node, i + 1))
                nxt = successors[i]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                out.append(sorted(component))
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return out


def _shortest_cycle(start: str, graph: Mapping[str, Sequence[str]], within: set[str]) -> list[str]:
    """The shortest path from start back to start, through the modules of within."""
    came_from: dict[str, str] = {}
    queue = deque([start])
    while queue:
        node = queue.popleft()
        for nxt in graph.get(node, ()):
            if nxt not in within:
                continue
            if nxt == start:
                path = [node]
                while path[-1] != start:
                    path.append(came_from[path[-1]])
                return [*reversed(path), start]
            if nxt not in came_from:
                came_from[nxt] = node
                queue.append(nxt)
    raise ValueError(f"no cycle through {start}")


def import_cycles(imports: Iterable[Import]) -> list[str]:
    """Each set of modules that import each other in a cycle, with its shortest cycle through its
    first module, every step named by where the import is."""
    where: dict[tuple[str, str], Import] = {}
    graph: dict[str, list[str]] = {}
    for imp in sorted(imports):
        if (imp.source, imp.target) not in where:
            where[imp.source, imp.target] = imp
            graph.setdefault(imp.source, []).append(imp.target)
    out = []
    for component in _components(graph):
        if len(component) < 2:
            continue
        cycle = _shortest_cycle(component[0], graph, set(component))
        steps = [f"{a} -> {b} ({where[a, b].file}:{where[a, b].line})" for a, b in pairwise(cycle)]
        out.append(f"cycle among {', '.join(component)}: " + "; ".join(steps))
    return out


def long_modules(modules: Mapping[str, Path], max_lines: int = MAX_LINES) -> list[str]:
    """Modules longer than max_lines, with their length."""
    out = []
    for name, path in sorted(modules.items()):
        lines = len(path.read_text("utf-8").splitlines())
        if lines > max_lines:
            out.append(f"{_file(name, path)}: {lines} lines (at most {max_lines})")
    return out


# ---------------------------------------------------------------- the contract, on the package


@cache
def _package() -> tuple[dict[str, Path], tuple[Import, ...]]:
    modules = module_files(PACKAGE_DIR)
    return modules, tuple(all_imports(modules))


def test_the_contract_reads_the_whole_package() -> None:
    modules, imports = _package()
    assert {m.split(".")[1] for m in modules if "." in m} >= set(LAYERS)
    assert {"checker", "checker.__main__", "checker.run.api", "checker.base.errors"} <= set(modules)
    assert ("checker.__main__", "checker.cli.app") in {(i.source, i.target) for i in imports}


def test_every_module_imports_only_its_own_layer_or_lower_ones() -> None:
    modules, imports = _package()
    problems = outside_layers(modules) + upward_imports(imports)
    assert not problems, "imports against the layers:\n" + "\n".join(problems)


def test_no_modules_import_each_other_in_a_cycle() -> None:
    _, imports = _package()
    problems = import_cycles(imports)
    assert not problems, "import cycles:\n" + "\n".join(problems)


def test_no_module_is_longer_than_400_lines() -> None:
    modules, _ = _package()
    problems = long_modules(modules)
    assert not problems, "modules too long:\n" + "\n".join(problems)


# ---------------------------------------------------------------- the checking functions


KEEPS_THE_CONTRACT = {
    "__init__.py": '__version__ = "1.0"\n',
    "__main__.py": "from checker.cli.main import main\n",
    "base/errors.py": "from checker import __version__\n",
    "model/dossier.py": "from checker.base import errors\n",
    "engine/facts.py": """\
        from __future__ import annotations

        from typing import TYPE_CHECKING

        from . import rete
        from ..model.dossier import Dossier

        if TYPE_CHECKING:
            from checker.base.errors import Problem
        """,
    "engine/rete.py": "",
    "run/api.py": """\
        def check() -> None:
            from checker.engine import facts
        """,
    "cli/main.py": "import checker.run.api as api\n",
}


def _tree(tmp_path: Path, files: Mapping[str, str]) -> dict[str, Path]:
    """A package named checker in tmp_path, with an __init__.py in every directory."""
    package = tmp_path / "checker"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), "utf-8")
    for directory in [package, *(p for p in package.rglob("*") if p.is_dir())]:
        (directory / "__init__.py").touch()
    return module_files(package)


def _report(modules: Mapping[str, Path]) -> dict[str, list[str]]:
    imports = all_imports(modules)
    return {
        "layers": outside_layers(modules) + upward_imports(imports),
        "cycles": import_cycles(imports),
        "length": long_modules(modules),
    }


def test_imports_are_resolved_to_modules(tmp_path: Path) -> None:
    modules = _tree(tmp_path, KEEPS_THE_CONTRACT)
    assert [(i.target, i.line) for i in imports_of("checker.engine.facts", modules)] == [
        ("checker.base.errors", 9),
        ("checker.engine.rete", 5),
        ("checker.model.dossier", 6),
    ]
    assert [i.target for i in imports_of("checker.base.errors", modules)] == ["checker"]
    assert [i.target for i in imports_of("checker.run.api", modules)] == ["checker.engine.facts"]
    assert [i.target for i in imports_of("checker.cli.main", modules)] == ["checker.run.api"]
    assert imports_of("checker.__main__", modules) == [
        Import("checker.__main__", "checker.cli.main", "checker/__main__.py", 1)
    ]


def test_a_package_that_keeps_the_contract_passes(tmp_path: Path) -> None:
    assert _report(_tree(tmp_path, KEEPS_THE_CONTRACT)) == {"layers": [], "cycles": [], "length": []}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("from checker.engine.facts import Fact\n", 1),
        ("from checker.engine import facts\n", 1),
        ("import checker.engine.facts as facts\n", 1),
        ("from ..engine import facts\n", 1),
        ("def read() -> None:\n    from checker.engine import facts\n", 2),
        ("import typing\n\nif typing.TYPE_CHECKING:\n    from checker.engine.facts import Fact\n", 4),
    ],
    ids=["from-module", "from-package", "import", "relative", "in-a-function", "type-checking"],
)
def test_a_new_upward_import_is_found_and_nothing_else(tmp_path: Path, text: str, line: int) -> None:
    modules = _tree(tmp_path, {**KEEPS_THE_CONTRACT, "load/reader.py": text})
    assert _report(modules) == {
        "layers": [
            f"checker/load/reader.py:{line}: checker.load.reader (load) imports checker.engine.facts (engine)"
        ],
        "cycles": [],
        "length": [],
    }


def test_the_root_module_is_base_and_main_may_import_cli(tmp_path: Path) -> None:
    files = {**KEEPS_THE_CONTRACT, "__init__.py": "from checker.cli.main import main\n"}
    assert _report(_tree(tmp_path, files))["layers"] == [
        "checker/__init__.py:1: checker (base) imports checker.cli.main (cli)"
    ]


def test_a_module_outside_the_layers_is_found(tmp_path: Path) -> None:
    modules = _tree(tmp_path, {**KEEPS_THE_CONTRACT, "helpers.py": "from checker.base import errors\n"})
    assert _report(modules)["layers"] == [f"checker.helpers: in no layer (layers: {', '.join(LAYERS)})"]


def test_a_new_import_cycle_is_found_and_nothing_else(tmp_path: Path) -> None:
    files = {
        **KEEPS_THE_CONTRACT,
        "run/api.py": "from checker.run import parallel\n",
        "run/parallel.py": "def run() -> None:\n    from checker.run.api import check\n",
    }
    assert _report(_tree(tmp_path, files)) == {
        "layers": [],
        "cycles": [
            "cycle among checker.run.api, checker.run.parallel: "
            "checker.run.api -> checker.run.parallel (checker/run/api.py:1); "
            "checker.run.parallel -> checker.run.api (checker/run/parallel.py:2)"
        ],
        "length": [],
    }


def test_a_longer_cycle_is_named_by_its_shortest_loop(tmp_path: Path) -> None:
    files = {
        **KEEPS_THE_CONTRACT,
        "report/a.py": "from checker.report import b\n",
        "report/b.py": "from checker.report import c\n",
        "report/c.py": "from checker.report import a\n",
    }
    assert _report(_tree(tmp_path, files))["cycles"] == [
        "cycle among checker.report.a, checker.report.b, checker.report.c: "
        "checker.report.a -> checker.report.b (checker/report/a.py:1); "
        "checker.report.b -> checker.report.c (checker/report/b.py:1); "
        "checker.report.c -> checker.report.a (checker/report/c.py:1)"
    ]


def test_a_module_longer_than_the_limit_is_found_with_its_length(tmp_path: Path) -> None:
    files = {**KEEPS_THE_CONTRACT, "base/long.py": "x = 1\n" * 401, "base/full.py": "x = 1\n" * 400}
    modules = _tree(tmp_path, files)
    assert _report(modules) == {
        "layers": [],
        "cycles": [],
        "length": ["checker/base/long.py: 401 lines (at most 400)"],
    }
