"""The package's imports run one way (DESIGN.md, "Layout"), without cycles or hidden imports.

The order, lowest first: errors/_validate → privacy.redact → stats.scales → data → stats → planning →
weighting → benchmarks → text → journey → privacy → reports → sample_data → cli → the package root.
``privacy.redact`` and ``stats.scales`` are leaf modules that sit low on purpose: readers redact error
messages and map answers to scale points.
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PACKAGE = ROOT / "src" / "workbench"
LAYERS = [
    ("errors", "_validate"),
    ("privacy.redact",),
    ("stats.scales",),
    ("data",),
    ("stats",),
    ("planning",),
    ("weighting",),
    ("benchmarks",),
    ("text",),
    ("journey",),
    ("privacy",),
    ("reports",),
    ("sample_data",),
    ("cli", "__main__"),
    ("",),  # the package root re-exports everything
]
# Heavy or optional third-party packages that a function may import when it is called.
DEFERRED_OK = {"importlib", "pingouin", "papermill", "nbformat", "nbconvert", "jupyter_client", "altair", "IPython", "voikko", "libvoikko", "pyspark", "ibis", "polars", "duckdb", "simplemma"}


def module_name(path: Path, root: Path) -> str:
    """Dotted name inside the package: 'stats.estimation', 'data' for data/__init__.py, '' for the root."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def layer_of(name: str) -> int:
    """Index in LAYERS of the most specific entry that names this module or one of its packages."""
    best, best_len = None, -1
    for index, entries in enumerate(LAYERS):
        for entry in entries:
            if entry == "" and name == "":
                return index
            if entry and (name == entry or name.startswith(entry + ".")) and len(entry) > best_len:
                best, best_len = index, len(entry)
    if best is None:
        raise AssertionError(f"module {name!r} is in no layer; add it to LAYERS")
    return best


def resolve(module: str, node: ast.ImportFrom, is_package: bool) -> list[str]:
    """The workbench modules an ``from X import a, b`` names (relative imports resolved)."""
    if node.level == 0:
        if not (node.module or "").startswith("workbench"):
            return []
        base = node.module[len("workbench"):].lstrip(".")
    else:
        parts = module.split(".") if module else []
        if not is_package:
            parts = parts[:-1]
        parts = parts[: len(parts) - (node.level - 1)] if node.level > 1 else parts
        base = ".".join(parts + ([node.module] if node.module else []))
    return [base]


def imports_of(root: Path):
    """(module, target, line, inside_function) for every import of a workbench module; and deferred ones."""
    found, deferred = [], []
    for path in sorted(root.rglob("*.py")):
        name = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        inner = {id(n) for f in functions for n in ast.walk(f) if n is not f}
        for node in ast.walk(tree):
            inside = id(node) in inner
            if isinstance(node, ast.ImportFrom):
                targets = resolve(name, node, path.name == "__init__.py")
                if node.level == 0 and not targets and inside:
                    deferred.append((name, node.module, node.lineno))
                for target in targets:
                    # `from . import reports` names sub-modules: resolve each alias that is a module
                    subs = [f"{target}.{a.name}".strip(".") for a in node.names]
                    subs = [s for s in subs if (root / s.replace(".", "/")).with_suffix(".py").exists()
                            or (root / s.replace(".", "/")).is_dir()]
                    for t in subs or [target]:
                        found.append((name, t, node.lineno, inside))
            elif isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.name.startswith("workbench"):
                        found.append((name, alias.name[len("workbench"):].lstrip("."), node.lineno, inside))
                    elif inside:
                        deferred.append((name, alias.name, node.lineno))
    return found, deferred


def violations(root: Path) -> list[str]:
    """Upward imports, workbench imports inside functions, and deferred imports of non-optional packages."""
    found, deferred = imports_of(root)
    problems = []
    for module, target, line, inside in found:
        if target == module or target.startswith(module + ".") or module.startswith(target + ".") and target:
            continue  # a package and its own modules
        same_package = module.split(".")[0] == target.split(".")[0] and module and target
        if not same_package and layer_of(target) > layer_of(module):
            problems.append(f"{module}:{line} imports {target} from a higher layer")
        if inside:
            problems.append(f"{module}:{line} imports {target} inside a function")
    for module, target, line in deferred:
        if target.split(".")[0] not in DEFERRED_OK:
            problems.append(f"{module}:{line} defers the import of {target} (not a heavy optional dependency)")
    return problems


def cycles(root: Path) -> list[list[str]]:
    """Cycles among module-level imports of modules (packages' __init__ re-exports excluded)."""
    found, _ = imports_of(root)
    graph: dict[str, set[str]] = {}
    modules = {module_name(p, root) for p in root.rglob("*.py") if p.name != "__init__.py"}
    for module, target, _, inside in found:
        if module in modules and target in modules and not inside and module != target:
            graph.setdefault(module, set()).add(target)
    found_cycles, state = [], {}

    def visit(node, stack):
        state[node] = "open"
        for nxt in graph.get(node, ()):
            if state.get(nxt) == "open":
                found_cycles.append(stack[stack.index(nxt):] + [nxt])
            elif nxt not in state:
                visit(nxt, stack + [nxt])
        state[node] = "done"

    for node in sorted(graph):
        if node not in state:
            visit(node, [node])
    return found_cycles


def test_every_module_is_in_a_layer():
    for path in PACKAGE.rglob("*.py"):
        layer_of(module_name(path, PACKAGE))


def test_imports_run_one_way_without_hidden_imports():
    assert violations(PACKAGE) == []


def test_no_import_cycles():
    assert cycles(PACKAGE) == []


def test_a_planted_upward_import_is_caught(tmp_path):
    copy = tmp_path / "workbench"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "stats" / "estimation.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom ..reports import runner  # planted\n",
                      encoding="utf-8")
    problems = violations(copy)
    assert len(problems) == 1 and "stats.estimation" in problems[0] and "imports reports.runner from a higher layer" \
        in problems[0]


def test_a_planted_cycle_and_a_hidden_import_are_caught(tmp_path):
    copy = tmp_path / "workbench"
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    target = copy / "stats" / "intervals.py"
    target.write_text(target.read_text(encoding="utf-8") + "\nfrom .coverage import coverage  # planted\n"
                      "\n\ndef _planted():\n    from ..data import counting\n    return counting\n",
                      encoding="utf-8")
    assert ["stats.intervals", "stats.coverage", "stats.intervals"] in cycles(copy) or \
        ["stats.coverage", "stats.intervals", "stats.coverage"] in cycles(copy)
    assert any("imports data.counting inside a function" in p for p in violations(copy))


@pytest.mark.parametrize("module", ["workbench.data.counting", "workbench.stats.scales", "workbench.privacy.redact",
                                    "workbench.reports.runner"])
def test_a_deep_module_imports_first_in_a_fresh_interpreter(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr[-2000:]
