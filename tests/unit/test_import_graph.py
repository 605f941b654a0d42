"""The import graph of both packages, read from the source: what ``lint-imports`` cannot check.

``make lint`` runs import-linter's contracts (the layers, pytest, moto and the testing layer
kept out of production code; see ``[tool.importlinter]`` in pyproject.toml). Two rules of
docs/architecture.md need more than its contracts express, so they are checked here on the
syntax tree of every module of ``aiodynamodb`` and ``pytest_aiodynamodb``, counting every
import statement wherever it is (function-level and ``TYPE_CHECKING`` imports included):

- no import cycle between modules;
- no module imports a private module (or a private name) of another package: ``_name``
  modules are reached only from inside their own package, everything else goes through the
  package's public face.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("aiodynamodb", "pytest_aiodynamodb")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, Path]:
    return {
        _module_name(path): path
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
    }


SOURCES = _sources()


def _imports(module: str, path: Path) -> Iterator[tuple[str, str | None, int]]:
    """(imported module, imported name or None, line) for every import in ``path``."""
    is_package = path.name == "__init__.py"
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, None, node.lineno
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".")
                if not is_package:
                    anchor = anchor[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                yield base, alias.name, node.lineno


def _edges() -> dict[str, dict[str, int]]:
    """module -> {module of ours it imports: line}."""
    graph: dict[str, dict[str, int]] = {name: {} for name in SOURCES}
    for module, path in SOURCES.items():
        for base, name, line in _imports(module, path):
            target = f"{base}.{name}" if name and f"{base}.{name}" in SOURCES else base
            if target in SOURCES and target != module:
                graph[module].setdefault(target, line)
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read() -> None:
    # Guards the test itself: known edges, a function-level one among them.
    graph = _edges()
    assert "aiodynamodb.client._connection" in graph["aiodynamodb.client._client"]
    assert "aiodynamodb.client._wire" in graph["aiodynamodb.client._connection"]
    assert "pytest_aiodynamodb.backends" in graph["pytest_aiodynamodb.plugin"]  # in a function
    assert len(graph) > 60


def test_a_cycle_is_found() -> None:
    graph = {"a": {"b": 1}, "b": {"c": 1}, "c": {"a": 1}, "d": {"a": 1}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_no_import_cycles() -> None:
    graph = _edges()
    described = [
        " <-> ".join(component)
        + ": "
        + "; ".join(
            f"{source} -> {target} (line {line})"
            for source in component
            for target, line in graph[source].items()
            if target in component
        )
        for component in _cycles(graph)
    ]
    assert not described, "import cycles:\n" + "\n".join(described)


def _private_part(module: str) -> str | None:
    """The package holding the first private (``_name``) module of ``module``, if any."""
    parts = module.split(".")
    for position, part in enumerate(parts):
        if part.startswith("_") and not part.startswith("__"):
            return ".".join(parts[:position])
    return None


@pytest.mark.parametrize("module", sorted(SOURCES))
def test_private_modules_are_imported_only_inside_their_package(module: str) -> None:
    wrong = []
    for base, name, line in _imports(module, SOURCES[module]):
        root = base.split(".")[0]
        if root not in PACKAGES:
            continue
        target = f"{base}.{name}" if name else base
        owner = _private_part(target)
        if owner is not None and not (module == owner or module.startswith(owner + ".")):
            wrong.append(f"line {line}: {target}")
    assert not wrong, f"{module} imports private parts of other packages: {wrong}"
