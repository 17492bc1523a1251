"""``import newsdesk`` and the command line's help load none of the heavy libraries (lemon24/reader's
test_lazy_imports): each case runs in a fresh interpreter, which then says what it imported. How fast
that makes start-up is bench/startup.py's to measure, not a test's."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest

import newsdesk

#: What the pipeline, the web app and the exports bring in; none of it may load before a command
#: needs it.
HEAVY = frozenset(
    {
        "trafilatura",
        "htmldate",
        "courlan",
        "justext",
        "numpy",
        "lxml",
        "fastapi",
        "starlette",
        "uvicorn",
        "pydantic",
        "pyarrow",
        "feedparser",
        "fastwarc",
        "warcio",
        "httpx",
        "py3langid",
        "charset_normalizer",
        "jinja2",
        "dask",
        "distributed",
        "fsspec",
        "psycopg",
        "psycopg_pool",
        "pycrfsuite",
    }
)

#: The installed ``newsdesk`` script, next to this interpreter.
ENTRY_POINT = Path(sys.executable).with_name("newsdesk")


def heavy_in(modules: list[str]) -> list[str]:
    """The heavy libraries among ``modules`` (by top-level package)."""
    return sorted({m.partition(".")[0] for m in modules} & HEAVY)


def modules_after(code: str, tmp_path: Path) -> list[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    out = tmp_path / "modules.json"
    script = f"{code}\nimport json, sys\nopen({str(out)!r}, 'w').write(json.dumps(sorted(sys.modules)))\n"
    r = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert r.returncode == 0, r.stderr
    modules: list[str] = json.loads(out.read_text())
    return modules


def test_the_heavy_list_names_installed_libraries() -> None:
    """A misspelt name would let the checks below pass whatever was imported."""
    assert [name for name in sorted(HEAVY) if importlib.util.find_spec(name) is None] == []


def test_import_newsdesk_loads_no_heavy_module(tmp_path: Path) -> None:
    code = (
        "import newsdesk\n"
        "from newsdesk import SETTINGS, Article, Config, NewsdeskError, load_config, normalize_url\n"
        "assert newsdesk.__version__\n"
    )
    modules = modules_after(code, tmp_path)
    assert "newsdesk.model" in modules
    assert heavy_in(modules) == []
    assert "newsdesk.core" not in modules and "newsdesk.extract" not in modules


def test_the_entities_module_loads_its_model_on_first_use_only(tmp_path: Path) -> None:
    code = "from newsdesk.understand.entities import find_entities, find_figures\nfind_figures('3%')\n"
    assert heavy_in(modules_after(code, tmp_path)) == []
    code = "from newsdesk.understand.entities import find_entities\nfind_entities('Joe Biden spoke.')\n"
    assert heavy_in(modules_after(code, tmp_path)) == ["pycrfsuite"]


def test_help_of_every_command_loads_no_heavy_module(tmp_path: Path) -> None:
    """The group's help, --version, and every command's help, in one interpreter."""
    code = (
        "from newsdesk.cli import cli\n"
        "for args in [['--help'], ['--version'], *([name, '--help'] for name in cli.commands)]:\n"
        "    assert cli.main(args, prog_name='newsdesk', standalone_mode=False) == 0, args\n"
    )
    modules = modules_after(code, tmp_path)
    assert "newsdesk.cli" in modules
    assert heavy_in(modules) == []


@pytest.mark.parametrize("args", [["--help"], ["search", "--help"]])
def test_the_entry_points_help_loads_no_heavy_module(args: list[str]) -> None:
    """The installed ``newsdesk`` script itself (its ``main`` sets up logging first), with Python's
    own record of every import (``-X importtime``)."""
    r = subprocess.run(
        [sys.executable, "-X", "importtime", str(ENTRY_POINT), *args],
        capture_output=True,
        text=True,
        check=False,
    )
    assert r.returncode == 0, r.stderr
    assert "Usage: newsdesk" in r.stdout
    modules = [line.rpartition("|")[2].strip() for line in r.stderr.splitlines() if "|" in line]
    assert "newsdesk.cli" in modules
    assert heavy_in(modules) == []


def test_the_lazy_names_are_what_they_name_whatever_loads_first(tmp_path: Path) -> None:
    """``newsdesk.extract`` is also a module's name: importing the module first (as the Desk does)
    must not leave the package's ``extract`` pointing at the module instead of the function."""
    code = (
        "from newsdesk.extract import extract as f, extract_html as g\n"
        "import newsdesk, newsdesk.core\n"
        "from newsdesk import extract\n"
        "assert extract is f and newsdesk.extract is f and newsdesk.extract_html is g\n"
        "assert newsdesk.Desk is newsdesk.core.Desk and newsdesk.open_desk is newsdesk.core.open_desk\n"
    )
    assert "newsdesk.core" in modules_after(code, tmp_path)


def test_the_lazy_names_here() -> None:
    from newsdesk import core
    from newsdesk.extract import extract

    assert newsdesk.extract is extract
    assert newsdesk.Desk is core.Desk
    assert {"Desk", "open_desk", "extract", "extract_html", "__version__"} <= set(dir(newsdesk))
    with pytest.raises(AttributeError, match="no attribute 'nothing_here'"):
        newsdesk.nothing_here  # noqa: B018
