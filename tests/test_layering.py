"""The house points one way: every import follows the floors in docs/architecture.md.

The table there is the rule; this test reads it, so the document and the check cannot
disagree. Imports inside functions count too: a lazy import is still a dependency.
"""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import networkx as nx

ROOT = Path(__file__).parents[1]
PACKAGE = ROOT / "src" / "relook"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
_ROW = re.compile(r"^\| `([^`]+)`(?: \(`__init__`\))? \| ([^|]+) \|")


def _allowed() -> dict[str, set[str]]:
    """`package → packages it may import`, from the floors table."""
    allowed: dict[str, set[str]] = {}
    for line in ARCHITECTURE.read_text(encoding="utf-8").splitlines():
        match = _ROW.match(line)
        if not match:
            continue
        package = "__init__" if match.group(1) == "relook" else match.group(1)
        cell = match.group(2).strip()
        if cell.startswith("every package above except"):
            allowed[package] = {"*"}
        else:
            allowed[package] = set(re.findall(r"`([^`]+)`", cell))
    return allowed


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package_of(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _imports(path: Path) -> set[str]:
    """Every relook module `path` imports, anywhere in the file."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module == "relook":
                found.update(f"relook.{alias.name}" for alias in node.names)
            elif node.module.startswith("relook."):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name.startswith("relook"))
    return found


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _graph() -> nx.DiGraph:
    modules = _modules()
    graph = nx.DiGraph()
    for name, path in modules.items():
        graph.add_node(name)
        for target in _imports(path):
            if target in modules and target != name:
                graph.add_edge(name, target)
    return graph


def test_the_floors_table_names_every_package() -> None:
    packages = {_package_of(name) for name in _modules()}
    assert packages == set(_allowed()), "docs/architecture.md's floors table is out of date"


def test_every_import_is_one_the_floors_allow() -> None:
    allowed = _allowed()
    wrong: dict[str, set[str]] = defaultdict(set)
    for source, target in _graph().edges:
        here, there = _package_of(source), _package_of(target)
        if here == there or there in allowed[here] or ("*" in allowed[here] and there != "cli"):
            continue
        wrong[f"{here} -> {there}"].add(f"{source} imports {target}")
    assert not wrong, "imports against docs/architecture.md:\n" + "\n".join(
        f"  {edge}: {sorted(found)}" for edge, found in sorted(wrong.items())
    )


def test_the_floors_themselves_point_one_way() -> None:
    allowed = _allowed()
    floors = nx.DiGraph(
        (package, other) for package, others in allowed.items() for other in others if other != "*"
    )
    assert nx.is_directed_acyclic_graph(floors), list(nx.simple_cycles(floors))


def test_no_import_cycles_between_modules() -> None:
    graph = _graph()
    # A package's __init__ importing its own modules is how it exports them, not a cycle.
    for name in list(graph.nodes):
        for target in list(graph.successors(name)):
            if target.startswith(name + "."):
                graph.remove_edge(name, target)
    cycles = [sorted(c) for c in nx.strongly_connected_components(graph) if len(c) > 1]
    assert not cycles, f"import cycles: {cycles}"


def test_the_check_sees_a_wrong_import(tmp_path: Path) -> None:
    """The reader of imports finds a lazy upward import (so the checks above can fail)."""
    module = tmp_path / "lazy.py"
    module.write_text("def f():\n    from relook.security.audit import append\n", "utf-8")
    assert "relook.security.audit" in _imports(module)
    assert _package_of("relook.security.audit") not in _allowed()["store"]
