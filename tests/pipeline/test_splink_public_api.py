"""relook uses Splink through its public API only.

Splink's private attributes (`linker._db_api`) and `splink.internals` change between
releases without notice; relook keeps its own handles (the `DuckDBAPI` it makes) instead.
The check reads the source: an attribute access on anything but `self` / `cls` fails when
the name is one Splink keeps private, or when it is private and read off a linker or a
database API; an import from `splink.internals` or of a private name from splink fails.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import splink

import relook

SRC = Path(relook.__file__).parent
# Variables that hold Splink objects, whatever the private name read from them.
SPLINK_HOLDERS = ("linker", "db_api")


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


@cache
def _splink_private_names() -> frozenset[str]:
    """Every private attribute or function name Splink's own source defines."""
    names: set[str] = set()
    for path in Path(splink.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and _private(node.name):
                names.add(node.name)
            elif (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in ("self", "cls")
                and _private(node.attr)
            ):
                names.add(node.attr)
    return frozenset(names)


def _on_own_object(node: ast.Attribute) -> bool:
    return isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")


def _on_splink_holder(node: ast.Attribute) -> bool:
    holder = ast.unparse(node.value).lower()
    return any(word in holder for word in SPLINK_HOLDERS)


def private_splink_uses(source: str) -> list[str]:
    """`line: code` for every use of Splink's private API in `source`."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Attribute) and _private(node.attr) and not _on_own_object(node):
            if node.attr in _splink_private_names() or _on_splink_holder(node):
                found.append(f"{node.lineno}: {ast.unparse(node)}")
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("splink"):
            module = node.module or ""
            if module.startswith("splink.internals") or any(_private(a.name) for a in node.names):
                found.append(f"{node.lineno}: from {module} import ...")
    return found


def test_the_check_catches_private_splink_uses() -> None:
    assert private_splink_uses("linker._db_api.delete_tables_created_by_splink_from_db()")
    assert private_splink_uses("x = linker._settings_obj")
    assert private_splink_uses("db_api._execute_sql_against_backend('SELECT 1')")
    assert private_splink_uses("from splink.internals.linker import Linker")
    assert not private_splink_uses("linker.table_management.invalidate_cache()")
    assert not private_splink_uses("self._db_api = db_api\nrow._mapping")


def test_no_module_uses_splink_private_api() -> None:
    problems = [
        f"{path.relative_to(SRC)}:{use}"
        for path in sorted(SRC.rglob("*.py"))
        for use in private_splink_uses(path.read_text(encoding="utf-8"))
    ]
    assert problems == []
