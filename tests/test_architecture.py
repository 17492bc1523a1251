"""The rules of the house in ARCHITECTURE.md, checked on the source: only ``store/`` speaks SQL, only
``fetch.py`` opens network connections, front ends reach storage only through its public face, and
no import cycles. Read with ``ast``, so every ``import`` counts, inside functions too (importing late
dodges a cycle at run time but not a rule); those under ``if TYPE_CHECKING:`` do not, as they never
run. Files are found by globbing, so a module that becomes a package stays covered.

The checker is a few functions over a root directory; the tests at the bottom run it on a small
fake package, so each rule is seen to fail when broken, not only to pass today."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

import newsdesk

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = Path(newsdesk.__file__).parent

#: Database drivers: only the store speaks SQL.
DATABASE = frozenset({"sqlite3", "psycopg", "psycopg2", "apsw", "sqlalchemy"})

#: Network clients and the sockets under them: only the fetcher opens connections.
NETWORK = frozenset(
    {
        "httpx",
        "httpcore",
        "socket",
        "ssl",
        "urllib.request",
        "http.client",
        "requests",
        "urllib3",
        "aiohttp",
        "ftplib",
        "smtplib",
        "fsspec",
        "distributed",
    }
)

#: Where each kind of import may appear: a module, or a package and everything under it.
DATABASE_HOME = ("newsdesk.store",)
NETWORK_HOME = ("newsdesk.fetch",)

#: Exceptions, each with its reason: (importer, imported) -> why. One no longer used fails the
#: tests, so the list cannot outlive its reasons.
DATABASE_EXCEPTIONS: Mapping[tuple[str, str], str] = {}
NETWORK_EXCEPTIONS: Mapping[tuple[str, str], str] = {
    (
        "newsdesk.web.serve",
        "socket",
    ): "binds the listening socket for uvicorn's workers: a server, not a client",
    (
        "newsdesk.batch",
        "fsspec",
    ): "reads the archives its user names (s3://, https://, ...) on the workers: the user's own "
    "inputs, as ingest reads local files, not pages of third parties fetched under fetch.py's guards",
    (
        "newsdesk.batch",
        "distributed",
    ): "the Dask client: talks to the cluster's scheduler and workers it is pointed at (or starts)",
}

#: The front ends: they parse input and format output, and hold a Desk (or, for the web's pool, a
#: store opened with ``newsdesk.store.open_store``), never the store's internals.
FRONT_ENDS = ("newsdesk.cli", "newsdesk.web", "newsdesk.batch", "newsdesk.__main__")
#: What of the store a front end may import: the package's public face and its Protocols.
STORE_PUBLIC = frozenset({"newsdesk.store", "newsdesk.store.protocols"})

#: Import cycles among newsdesk's modules (at module level) that exist today, each with why it is
#: tolerated; any other cycle fails. Empty: there are none.
KNOWN_CYCLES: Mapping[frozenset[str], str] = {}


@dataclass(frozen=True)
class Import:
    """One imported name, as Python resolves it: ``from .store import sqlite`` in ``newsdesk.web.deps``
    is ``newsdesk.store.sqlite``; ``from socket import socket`` is ``socket`` (and ``socket.socket``)."""

    importer: str
    target: str
    path: Path
    line: int
    module_level: bool  # runs when the importer is imported (not inside a function)

    def __str__(self) -> str:
        return f"{self.path.name}:{self.line}: {self.importer} imports {self.target}"


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of the package at ``root`` by dotted name (a package by its ``__init__``)."""
    modules: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        modules[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return modules


def _typing_only(tree: ast.AST) -> set[int]:
    """The nodes under ``if TYPE_CHECKING:`` (or ``typing.TYPE_CHECKING``), which never run."""
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.If) and ast.unparse(node.test) in ("TYPE_CHECKING", "typing.TYPE_CHECKING")
        for inner in ast.walk(node)
    }


def _in_functions(tree: ast.AST) -> set[int]:
    return {
        id(inner)
        for node in ast.walk(tree)
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda)
        for inner in ast.walk(node)
        if inner is not node
    }


def imports_in(root: Path, package: str) -> Iterator[Import]:
    """Every import the package's modules make, with relative ones made absolute."""
    modules = module_files(root, package)
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        skip = _typing_only(tree)
        late = _in_functions(tree)
        here = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(tree):
            if id(node) in skip or not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            targets: set[str] = set()
            if isinstance(node, ast.Import):
                targets = {alias.name for alias in node.names}
            else:
                if node.level:
                    parts = here.split(".")
                    base = ".".join(
                        parts[: len(parts) - node.level + 1] + ([node.module] if node.module else [])
                    )
                else:
                    base = node.module or ""
                for alias in node.names:
                    sub = f"{base}.{alias.name}"
                    if sub in modules:  # ``from . import x``: the module x
                        targets.add(sub)
                    elif base.split(".")[0] == package:  # a name defined in ``base``
                        targets.add(base)
                    else:  # another library: ``from urllib import request`` may be a module
                        targets.update((base, sub))
            for target in targets:
                yield Import(name, target, path, node.lineno, module_level=id(node) not in late)


def under(name: str, homes: Iterable[str]) -> bool:
    """Whether ``name`` is one of ``homes`` or inside one of them."""
    return any(name == home or name.startswith(home + ".") for home in homes)


def unresolved(
    imports: Iterable[Import], modules: Mapping[str, Path], package: str = "newsdesk"
) -> list[str]:
    """Imports of the package's own names that name no module of it."""
    return sorted(
        {str(imp) for imp in imports if under(imp.target, (package,)) and imp.target not in modules}
    )


def breaches(
    imports: Iterable[Import],
    forbidden: Iterable[str],
    homes: Iterable[str],
    exceptions: Mapping[tuple[str, str], str],
) -> tuple[list[str], set[tuple[str, str]]]:
    """The imports of anything in ``forbidden`` (or inside it) made outside ``homes``, and which of
    ``exceptions`` were used."""
    forbidden, homes = tuple(forbidden), tuple(homes)
    found: list[str] = []
    used: set[tuple[str, str]] = set()
    for imp in imports:
        if not under(imp.target, forbidden) or under(imp.importer, homes):
            continue
        key = (imp.importer, next(f for f in forbidden if under(imp.target, (f,))))
        if key in exceptions:
            used.add(key)
        else:
            found.append(str(imp))
    return sorted(set(found)), used


def front_end_breaches(imports: Iterable[Import], package: str = "newsdesk") -> list[str]:
    """Front ends importing a database driver or the store's internals (anything under
    ``store`` but its public face)."""
    fronts = tuple(f.replace("newsdesk", package, 1) for f in FRONT_ENDS)
    public = {p.replace("newsdesk", package, 1) for p in STORE_PUBLIC}
    return sorted(
        {
            str(imp)
            for imp in imports
            if under(imp.importer, fronts)
            and (
                under(imp.target, DATABASE)
                or (under(imp.target, (f"{package}.store",)) and imp.target not in public)
            )
        }
    )


def module_level_graph(imports: Iterable[Import], package: str) -> dict[str, set[str]]:
    """Which of the package's modules each one imports when it is imported. A submodule importing
    names from its own package's ``__init__`` counts; the parents Python runs first do not."""
    graph: dict[str, set[str]] = {}
    for imp in imports:
        graph.setdefault(imp.importer, set())
        if imp.module_level and under(imp.target, (package,)) and imp.target != imp.importer:
            graph[imp.importer].add(imp.target)
    for targets in list(graph.values()):
        for target in targets:
            graph.setdefault(target, set())
    return graph


def cycles(graph: Mapping[str, set[str]]) -> set[frozenset[str]]:
    """The strongly connected components of more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: set[frozenset[str]] = set()

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.add(member)
                if member == node:
                    break
            if len(component) > 1:
                found.add(frozenset(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


# --- the rules, on newsdesk as it is -------------------------------------------------------------


@pytest.fixture(scope="module")
def newsdesk_imports() -> list[Import]:
    return list(imports_in(PACKAGE, "newsdesk"))


def test_the_checker_sees_the_whole_package(newsdesk_imports: list[Import]) -> None:
    """A glob that found nothing would let every rule pass."""
    importers = {imp.importer for imp in newsdesk_imports}
    assert {"newsdesk.core", "newsdesk.fetch", "newsdesk.web.deps", "newsdesk.store.sqlite"} <= importers
    assert any(under(name, ("newsdesk.cli",)) for name in importers)
    assert any(under(name, ("newsdesk.stories",)) for name in importers)
    assert any(imp.target == "sqlite3" for imp in newsdesk_imports)
    assert any(imp.target == "httpx" for imp in newsdesk_imports)


def test_every_import_of_newsdesk_resolves(newsdesk_imports: list[Import]) -> None:
    """A relative import resolved wrongly (or naming a module that is gone) would escape the rules."""
    assert unresolved(newsdesk_imports, module_files(PACKAGE, "newsdesk")) == []


def test_only_the_store_speaks_sql(newsdesk_imports: list[Import]) -> None:
    found, used = breaches(newsdesk_imports, DATABASE, DATABASE_HOME, DATABASE_EXCEPTIONS)
    assert found == [], "SQL belongs in newsdesk/store/ (see ARCHITECTURE.md)"
    assert used == set(DATABASE_EXCEPTIONS), "an exception no longer needed: remove it"


def test_only_the_fetcher_opens_connections(newsdesk_imports: list[Import]) -> None:
    found, used = breaches(newsdesk_imports, NETWORK, NETWORK_HOME, NETWORK_EXCEPTIONS)
    assert found == [], "network clients belong in newsdesk/fetch.py (see ARCHITECTURE.md)"
    assert used == set(NETWORK_EXCEPTIONS), "an exception no longer needed: remove it"


def test_front_ends_do_not_reach_into_the_store(newsdesk_imports: list[Import]) -> None:
    assert front_end_breaches(newsdesk_imports) == [], "front ends go through the Desk (see ARCHITECTURE.md)"


def test_no_import_cycles(newsdesk_imports: list[Import]) -> None:
    found = cycles(module_level_graph(newsdesk_imports, "newsdesk"))
    assert sorted(map(sorted, found - set(KNOWN_CYCLES))) == [], "a new import cycle"
    assert set(KNOWN_CYCLES) - found == set(), "a known cycle is gone: remove it from KNOWN_CYCLES"


def test_architecture_md_names_real_modules() -> None:
    """The ownership table names modules that exist, so it cannot quietly drift from the code."""
    import re

    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    table = [line for line in text.splitlines() if line.startswith("| `")]
    assert table
    modules = module_files(PACKAGE, "newsdesk")
    for line in table:
        for name in re.findall(r"`([\w./]+)`", line.split("|")[1]):
            dotted = "newsdesk." + name.strip("/").removesuffix(".py").replace("/", ".")
            assert dotted in modules, f"ARCHITECTURE.md names {name}, which is not in src/newsdesk/"
    assert "ARCHITECTURE.md" in (ROOT / "README.md").read_text(encoding="utf-8").split("\n## ", 1)[0]


# --- the checker, on a fake package: each rule fails when broken ---------------------------------


def fake_package(tmp_path: Path, files: Mapping[str, str | None]) -> Path:
    """A package ``newsdesk`` under ``tmp_path`` with the given modules (path -> source; None leaves
    a file out)."""
    root = tmp_path / "newsdesk"
    for name, source in {"__init__.py": "", **files}.items():
        if source is None:
            continue
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        (path.parent / "__init__.py").touch()
        path.write_text(source, encoding="utf-8")
    return root


CLEAN = {
    "store/__init__.py": "from .sqlite import SQLiteStore\ndef open_store(p): return SQLiteStore(p)\n",
    "store/protocols.py": "from typing import Protocol\n",
    "store/sqlite/__init__.py": "import sqlite3\nclass SQLiteStore: pass\n",
    "fetch.py": "import httpx\nimport socket\n",
    "core.py": "from .store import open_store\nfrom . import fetch\n",
    "cli/__init__.py": "from ..core import Desk\n",
    "web/deps.py": "from ..store import open_store\nfrom urllib.parse import urlsplit\n",
    "web/serve.py": "import socket\n",
    "model.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .core import Desk\n",
}


def check(root: Path) -> dict[str, object]:
    imports = list(imports_in(root, "newsdesk"))
    return {
        "sql": breaches(imports, DATABASE, DATABASE_HOME, DATABASE_EXCEPTIONS)[0],
        "network": breaches(imports, NETWORK, NETWORK_HOME, NETWORK_EXCEPTIONS)[0],
        "front ends": front_end_breaches(imports),
        "cycles": cycles(module_level_graph(imports, "newsdesk")),
    }


def test_a_clean_fake_package_passes(tmp_path: Path) -> None:
    assert check(fake_package(tmp_path, CLEAN)) == {
        "sql": [],
        "network": [],
        "front ends": [],
        "cycles": set(),
    }


@pytest.mark.parametrize(
    ("rule", "files", "expected"),
    [
        # SQL outside the store, even imported late inside a function
        (
            "sql",
            {"stories/_assign.py": "def f():\n    import sqlite3\n"},
            "newsdesk.stories._assign imports sqlite3",
        ),
        ("sql", {"extract.py": "from sqlite3 import connect\n"}, "newsdesk.extract imports sqlite3"),
        # a network client outside fetch.py, however it is spelt
        ("network", {"sources/pages.py": "import httpx\n"}, "newsdesk.sources.pages imports httpx"),
        (
            "network",
            {"extract.py": "from urllib import request\n"},
            "newsdesk.extract imports urllib.request",
        ),
        ("network", {"core.py": "import urllib.request as r\n"}, "newsdesk.core imports urllib.request"),
        ("network", {"web/deps.py": "import socket\n"}, "newsdesk.web.deps imports socket"),
        # front ends: the store's internals or the driver, in a module or in a package
        (
            "front ends",
            {"cli/ingest.py": "from ..store.sqlite import SQLiteStore\n"},
            "imports newsdesk.store.sqlite",
        ),
        ("front ends", {"web/pages.py": "from ..store import sqlite\n"}, "imports newsdesk.store.sqlite"),
        (
            "front ends",
            {"cli/__init__.py": None, "cli.py": "import newsdesk.store.sqlite\n"},
            "newsdesk.cli imports newsdesk.store.sqlite",
        ),
        ("front ends", {"web/api/x.py": "import sqlite3\n"}, "newsdesk.web.api.x imports sqlite3"),
    ],
)
def test_each_rule_fails_when_broken(
    tmp_path: Path, rule: str, files: dict[str, str | None], expected: str
) -> None:
    found = check(fake_package(tmp_path, {**CLEAN, **files}))[rule]
    assert isinstance(found, list) and any(expected in line for line in found), found


def test_a_module_level_cycle_fails_and_a_late_or_typing_one_does_not(tmp_path: Path) -> None:
    late = {"model.py": "def f():\n    from .core import Desk\n"}
    assert check(fake_package(tmp_path / "a", {**CLEAN, **late}))["cycles"] == set()
    assert check(fake_package(tmp_path / "b", CLEAN))["cycles"] == set()  # model imports core for typing only
    cyclic = {
        "model.py": "from .core import Desk\n",
        "core.py": "from . import model\nfrom .store import open_store\n",
    }
    assert check(fake_package(tmp_path / "c", {**CLEAN, **cyclic}))["cycles"] == {
        frozenset({"newsdesk.core", "newsdesk.model"})
    }
    # through a package's __init__: a submodule importing a name its own package re-exports
    via_init = {
        "store/sqlite/__init__.py": "import sqlite3\nfrom .. import open_store\nclass SQLiteStore: pass\n"
    }
    assert check(fake_package(tmp_path / "d", {**CLEAN, **via_init}))["cycles"] == {
        frozenset({"newsdesk.store", "newsdesk.store.sqlite"})
    }


def test_an_import_of_a_module_that_is_not_there_is_noticed(tmp_path: Path) -> None:
    root = fake_package(tmp_path, {**CLEAN, "web/pages.py": "from .store.sqlite import SQLiteStore\n"})
    found = unresolved(imports_in(root, "newsdesk"), module_files(root, "newsdesk"))
    assert found == ["pages.py:1: newsdesk.web.pages imports newsdesk.web.store.sqlite"]


def test_an_unused_exception_is_noticed() -> None:
    imports = [Import("newsdesk.fetch", "httpx", Path("fetch.py"), 1, module_level=True)]
    assert breaches(imports, NETWORK, NETWORK_HOME, NETWORK_EXCEPTIONS) == ([], set())
