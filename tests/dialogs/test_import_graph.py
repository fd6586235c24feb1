"""No import cycle in dialogs/ or bot/, function-level imports included.

The graph is read from the source with `ast`: every `import` / `from ... import` at any depth
(module level, in functions, in try blocks), relative imports resolved. Importing `a.b.c` runs
`a/__init__.py` and `a/b/__init__.py` first, so those count too, except a module's own parent
packages (they are already being imported when it runs). Imports under `if TYPE_CHECKING:`
never run and are left out: they may only carry type annotations.
"""

from __future__ import annotations

import ast
import graphlib
import itertools
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("dialogs", "bot")


def find_modules(root: Path, packages: Iterable[str]) -> dict[str, tuple[Path, bool]]:
    """Module name -> (file, is a package's __init__) for every .py file under `packages`."""
    modules: dict[str, tuple[Path, bool]] = {}
    for package in packages:
        for path in sorted((root / package).rglob("*.py")):
            parts = path.relative_to(root).with_suffix("").parts
            is_package = parts[-1] == "__init__"
            name = ".".join(parts[:-1] if is_package else parts)
            modules[name] = (path, is_package)
    return modules


def _runtime_imports(node: ast.AST) -> Iterator[ast.Import | ast.ImportFrom]:
    """Every import statement under `node` that can run (not under `if TYPE_CHECKING:`)."""
    for child in ast.iter_child_nodes(node):
        if isinstance(child, ast.Import | ast.ImportFrom):
            yield child
        elif isinstance(child, ast.If) and _is_type_checking(child.test):
            for other in child.orelse:
                yield from _runtime_imports(ast.Module(body=[other], type_ignores=[]))
        else:
            yield from _runtime_imports(child)


def _is_type_checking(test: ast.expr) -> bool:
    if isinstance(test, ast.Name):
        return test.id == "TYPE_CHECKING"
    return isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"


def _absolute(statement: ast.ImportFrom, module: str, is_package: bool) -> str:
    """The absolute module a `from X import ...` names (relative levels resolved)."""
    if not statement.level:
        return statement.module or ""
    parts = module.split(".") if is_package else module.split(".")[:-1]
    base = parts[: len(parts) - (statement.level - 1)]
    return ".".join([*base, statement.module] if statement.module else base)


def _with_parents(name: str) -> list[str]:
    parts = name.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def imported(module: str, path: Path, is_package: bool, known: Iterable[str]) -> set[str]:
    """The project modules that running `module` may import (and so run first)."""
    known = set(known)
    targets: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for statement in _runtime_imports(tree):
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                targets.update(_with_parents(alias.name))
        else:
            base = _absolute(statement, module, is_package)
            targets.update(_with_parents(base))
            targets.update(f"{base}.{alias.name}" for alias in statement.names)  # submodules
    own_parents = set(_with_parents(module))  # already being imported when `module` runs
    return {t for t in targets if t in known and t not in own_parents}


def module_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """Module -> the project modules it imports, for every module under `packages`."""
    modules = find_modules(root, packages)
    return {
        name: imported(name, path, is_package, modules)
        for name, (path, is_package) in modules.items()
    }


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle of imports (each module imports the next, the last is the first), or None."""
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(reversed(error.args[1]))  # graphlib lists each node's importer next
    return None


def assert_acyclic(graph: dict[str, set[str]]) -> None:
    cycle = find_cycle(graph)
    if cycle is not None:
        pytest.fail(f"import cycle: {' -> '.join(cycle)}", pytrace=False)


# --- the project -------------------------------------------------------------------------------
def test_dialogs_and_bot_have_no_import_cycle() -> None:
    graph = module_graph(ROOT, PACKAGES)
    assert "dialogs.knowledge" in graph and "dialogs.engine" in graph and "bot.telegram" in graph
    assert_acyclic(graph)


def test_section_schemas_import_no_behaviour_module() -> None:
    """dialogs/knowledge/ modules import only each other and the tool modules below them."""
    graph = module_graph(ROOT, PACKAGES)
    behaviour = {
        "dialogs.engine", "dialogs.nlu", "dialogs.red_flags", "dialogs.safety", "dialogs.scoring",
        "dialogs.faq", "dialogs.reminders", "dialogs.diary", "dialogs.followup",
        "dialogs.conversation", "dialogs.intents", "dialogs.result",
    }  # fmt: skip
    for name, deps in graph.items():
        if name.startswith("dialogs.knowledge"):
            assert not deps & behaviour, f"{name} imports {sorted(deps & behaviour)}"


# --- the graph itself, on small packages ----------------------------------------------------
def _package(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_a_function_level_import_closes_a_cycle(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/a.py": "from pkg.b import helper\n",
            "pkg/b.py": "def helper():\n    from pkg import a\n    return a\n",
        },
    )
    graph = module_graph(root, ["pkg"])
    assert graph["pkg.a"] == {"pkg.b"} and graph["pkg.b"] == {"pkg.a"}
    assert find_cycle(graph) in (["pkg.a", "pkg.b", "pkg.a"], ["pkg.b", "pkg.a", "pkg.b"])
    with pytest.raises(pytest.fail.Exception, match=r"import cycle: pkg\.[ab] -> pkg\.[ab]"):
        assert_acyclic(graph)


def test_relative_imports_are_resolved(tmp_path: Path) -> None:
    root = _package(
        tmp_path,
        {
            "pkg/__init__.py": "",
            "pkg/sub/__init__.py": "from .x import X\n",
            "pkg/sub/x.py": "from ..y import Y\nX = Y\n",
            "pkg/y.py": "try:\n    from . import z\nexcept ImportError:\n    z = None\nY = 1\n",
            "pkg/z.py": "",
        },
    )
    graph = module_graph(root, ["pkg"])
    assert graph["pkg.sub"] == {"pkg.sub.x"}
    assert graph["pkg.sub.x"] == {"pkg.y"}
    assert graph["pkg.y"] == {"pkg.z"}
    assert_acyclic(graph)


def test_a_package_import_runs_its_init(tmp_path: Path) -> None:
    """`from pkg.sub.node import Node` runs pkg/sub/__init__.py first: when that imports a
    module that imports back, it is a cycle (the shape dialogs.matchers <-> dialogs.knowledge
    would have)."""
    files = {
        "pkg/__init__.py": "",
        "pkg/sub/__init__.py": "from pkg.sub.loader import load\n",
        "pkg/sub/loader.py": "from pkg.sub.node import Node\nfrom pkg.tool import tool\n",
        "pkg/sub/node.py": "class Node: ...\n",
        "pkg/tool.py": "from pkg.sub.node import Node\n",
    }
    graph = module_graph(_package(tmp_path / "cycle", files), ["pkg"])
    assert graph["pkg.tool"] == {"pkg.sub", "pkg.sub.node"}
    assert graph["pkg.sub.loader"] == {"pkg.sub.node", "pkg.tool"}  # not its own parent
    cycle = find_cycle(graph)
    assert cycle is not None and {"pkg.tool", "pkg.sub", "pkg.sub.loader"} <= set(cycle)
    for module, imported_next in itertools.pairwise(cycle):
        assert imported_next in graph[module]
    with pytest.raises(pytest.fail.Exception, match="import cycle"):
        assert_acyclic(graph)
    typed = dict(
        files,
        **{
            "pkg/tool.py": (
                "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from pkg.sub.node import Node\n"
                "else:\n    import pkg.other\n"
            ),
            "pkg/other.py": "",
        },
    )
    graph = module_graph(_package(tmp_path / "typed", typed), ["pkg"])
    assert graph["pkg.tool"] == {"pkg.other"}  # a type-only import never runs
    assert_acyclic(graph)
