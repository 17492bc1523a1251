"""newsdesk's import graph, read from its source: for tests that keep modules importing one way."""

from __future__ import annotations

import ast
from pathlib import Path

import newsdesk


def newsdesk_imports() -> dict[str, set[str]]:
    """Which of newsdesk's modules each of its modules imports, read from the source (imports inside
    functions count: importing late dodges a cycle at run time but keeps it in the design; those
    under ``if TYPE_CHECKING:`` do not). ``from . import x`` names the module ``x``, not the package
    it sits in, whose ``__init__`` Python runs first anyway."""
    root = Path(newsdesk.__file__).parent
    modules: dict[str, Path] = {}
    for path in root.rglob("*.py"):
        parts = ["newsdesk", *path.relative_to(root).with_suffix("").parts]
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        typing_only = {
            id(inner)
            for node in ast.walk(tree)
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test)
            for inner in ast.walk(node)
        }
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found: set[str] = set()
        for node in ast.walk(tree):
            if id(node) in typing_only:
                continue
            if isinstance(node, ast.Import):
                found.update(a.name for a in node.names if a.name in modules)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    target = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    target = node.module or ""
                subs = {f"{target}.{a.name}" for a in node.names} & modules.keys()
                found.update(subs if len(subs) == len(node.names) else {target, *subs} & modules.keys())
        graph[name] = {m for m in found if m != name and not name.startswith(m + ".")}
    return graph


def reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = [start]
    while todo:
        for nxt in graph[todo.pop()] - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen
