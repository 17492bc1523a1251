"""The web package's shape: its modules import one another without a cycle, no router imports the
app, and no module grows past about a thousand lines.

Why: the routers once took their desks from ``web.app``, which imports the routers to build the
app; the cycle only worked because the app imported them late, inside ``create_app``. The desks
now live in ``web.deps``. The check reads the source with ``ast`` and counts every import, those
inside functions too (a late import hides a cycle, it does not remove it); then a fresh
interpreter imports every module, as a user of the package would. The line limit is the one
issue 14 set when ``api.py`` held 1,435 lines: a room that outgrows it becomes a package, as
``api`` did.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import newsdesk

WEB = Path(newsdesk.__file__).resolve().parent / "web"
#: The modules that may import ``web.app``: the package's front door and the server start.
MAY_IMPORT_APP = {"newsdesk.web", "newsdesk.web.serve"}
#: Longest a web module may be, in lines.
MAX_LINES = 1000


def module_name(path: Path) -> str:
    parts = path.relative_to(WEB.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(p): p for p in sorted(WEB.rglob("*.py"))}


def web_imports(name: str) -> set[str]:
    """The web modules ``name`` imports, anywhere in its source (package ``__init__``s that Python
    runs on the way are left out: they are not edges this module chose)."""
    path = MODULES[name]
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            base = base if node.level else ""
            origin = ".".join(p for p in (base, node.module or "") if p)
            # ``from . import api`` names a module; ``from .deps import reader`` a name in one.
            targets = [
                f"{origin}.{alias.name}" if f"{origin}.{alias.name}" in MODULES else origin
                for alias in node.names
            ]
        else:
            continue
        found |= {t for t in targets if t in MODULES and t != name}
    return found


def test_the_module_list_is_read() -> None:
    assert {"newsdesk.web.app", "newsdesk.web.deps", "newsdesk.web.pages"} <= set(MODULES)
    assert "newsdesk.web.deps" in web_imports("newsdesk.web.pages")


def test_no_router_imports_the_app() -> None:
    importers = {name for name in MODULES if "newsdesk.web.app" in web_imports(name)}
    assert importers <= MAY_IMPORT_APP, sorted(importers - MAY_IMPORT_APP)


def test_web_modules_import_without_a_cycle() -> None:
    graph = {name: web_imports(name) for name in MODULES}
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            raise AssertionError("import cycle: " + " -> ".join([*path[path.index(name) :], name]))
        if name in done:
            return
        for target in sorted(graph[name]):
            visit(target, [*path, name])
        done.add(name)

    for name in sorted(graph):
        visit(name, [])


def test_every_web_module_imports_in_a_fresh_interpreter() -> None:
    """One interpreter for all: Python runs ``newsdesk/web/__init__.py`` (which builds on ``app``,
    so on every router) before any module of the package, so which module is named first changes
    nothing, and the order-independent check of cycles is the ``ast`` one above."""
    code = "import importlib\n" + "".join(f"importlib.import_module({name!r})\n" for name in sorted(MODULES))
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr


def test_no_web_module_is_over_a_thousand_lines() -> None:
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines()) for name, path in MODULES.items()}
    assert {name: n for name, n in sizes.items() if n > MAX_LINES} == {}
