"""The layers the README draws, checked on the source: infrastructure (console.infra, console.engines) imports
nothing above it; features never import a shell or a renderer; TUI screens reach features only through their
public modules (no runner internals, no raw connections); and the packages form no cycle."""

from __future__ import annotations

import ast
from pathlib import Path

import console

ROOT = Path(console.__file__).parent
INFRA = ("console.infra", "console.engines")
SHELLS = ("console.commands", "console.cli", "console.tui", "console.__main__")
# What the TUI may not import: feature internals and raw connections (it calls features' public modules).
TUI_FORBIDDEN = ("console.infra.db", "console.migrator.runner", "console.migrator.files", "console.migrator.ledger",
                 "console.migrator.sqlsplit", "console.verify.probe", "console.verify.schema_checks",
                 "console.verify.health_checks", "console.verify.scope", "console.verify.expectations",
                 "console.commands")


def _module(path: Path) -> str:
    parts = path.relative_to(ROOT.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports() -> dict[str, set[str]]:
    """Every console module and the console modules it imports (at any depth of the file)."""
    graph: dict[str, set[str]] = {}
    for path in ROOT.rglob("*.py"):
        name = _module(path)
        found: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("console"):
                found.add(node.module)
                found.update(f"{node.module}.{alias.name}" for alias in node.names
                             if (ROOT.parent / f"{node.module}.{alias.name}".replace(".", "/")).with_suffix(".py")
                             .exists())
            elif isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name.startswith("console"))
        graph[name] = found - {"console"}
    return graph


def _in(module: str, prefixes: tuple[str, ...]) -> bool:
    return any(module == p or module.startswith(p + ".") for p in prefixes)


def test_infrastructure_imports_nothing_above_it() -> None:
    wrong = {(m, i) for m, imports in _imports().items() if _in(m, INFRA) for i in imports if not _in(i, INFRA)}
    assert not wrong, sorted(wrong)


def test_features_import_no_shell_and_no_renderer() -> None:
    wrong = {(m, i) for m, imports in _imports().items() if not _in(m, INFRA + SHELLS)
             for i in imports if _in(i, SHELLS)}
    assert not wrong, sorted(wrong)


def test_tui_calls_features_through_their_public_modules() -> None:
    wrong = {(m, i) for m, imports in _imports().items() if _in(m, ("console.tui",))
             for i in imports if _in(i, TUI_FORBIDDEN)}
    assert not wrong, sorted(wrong)


def test_no_import_cycle_between_packages() -> None:
    def package(module: str) -> str:
        parts = module.split(".")
        if len(parts) > 2 and parts[1] in ("infra", "tui", "commands"):
            return ".".join(parts[:3])
        return ".".join(parts[:2])

    edges: dict[str, set[str]] = {}
    for module, imports in _imports().items():
        edges.setdefault(package(module), set()).update(package(i) for i in imports if package(i) != package(module))
    state: dict[str, int] = {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = 1
        for nxt in sorted(edges.get(node, ())):
            assert state.get(nxt) != 1, f"import cycle: {' -> '.join([*path, node, nxt])}"
            if nxt not in state:
                visit(nxt, [*path, node])
        state[node] = 2

    for node in sorted(edges):
        if node not in state:
            visit(node, [])
