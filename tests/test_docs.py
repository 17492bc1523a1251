"""Docs generated from code must match the code: regenerate with `make docs`."""

from __future__ import annotations

from pathlib import Path

from newsdesk.cli import cli_reference
from newsdesk.config import settings_markdown

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current() -> None:
    assert (ROOT / "docs" / "cli.md").read_text(encoding="utf-8") == cli_reference(), "run `make docs`"


def test_settings_reference_is_current() -> None:
    assert (ROOT / "docs" / "settings.md").read_text(encoding="utf-8") == settings_markdown(), (
        "run `make docs`"
    )


def test_every_dependency_is_explained() -> None:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    deps = list(project["dependencies"])
    for extra in project["optional-dependencies"].values():
        deps += extra
    text = (ROOT / "docs" / "dependencies.md").read_text(encoding="utf-8").lower()
    for dep in deps:
        name = dep.split(">")[0].split("=")[0].split("[")[0].strip().lower()
        if name == project["name"]:
            continue  # an extra that pulls in another extra (dev -> newsdesk[web])
        assert f"`{name}`" in text, f"docs/dependencies.md does not say why we depend on {name}"


def test_readme_gives_exactly_two_setup_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make demo" in readme and "make test" in readme
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_readme_demo_examples_print_what_they_promise(tmp_path: Path) -> None:
    """The commands the README gives to try on the demo's store each show something: the sample's
    stories happen in March 2026, and "--since 7d" there once printed nothing."""
    import re
    import shlex

    from click.testing import CliRunner

    from newsdesk.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split("export NEWSDESK_DB=demo-data/newsdesk.sqlite", 1)[1].split("```", 1)[0]
    commands = [shlex.split(line.split("#", 1)[0])[1:] for line in block.splitlines() if line.strip()]
    assert len(commands) >= 3
    db = str(tmp_path / "demo.sqlite")
    runner = CliRunner()
    env = {"NEWSDESK_PROGRESS": "false", "COLUMNS": "200", "NEWSDESK_DATA_DIR": str(tmp_path)}
    assert runner.invoke(cli, ["--db", db, "demo"], env=env).exit_code == 0
    for args in commands:
        result = runner.invoke(cli, ["--db", db, *args], env=env)
        assert result.exit_code == 0, (args, result.output)
        shown = [line for line in result.output.splitlines() if re.search(r"\w", line)]
        assert len(shown) >= 3, (args, result.output)


def test_readme_who_said_what_example_is_what_the_demo_shows(tmp_path: Path) -> None:
    """The README's who-said-what example is the demo desk's own output (each line of it, spaces
    folded; a line cut short with "..." is left out)."""
    import re

    from click.testing import CliRunner

    from newsdesk.cli import cli

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    block = readme.split('$ .venv/bin/newsdesk entity "Brannock Sill"\n', 1)[1].split("\n...\n", 1)[0]
    db = str(tmp_path / "demo.sqlite")
    runner = CliRunner()
    env = {"NEWSDESK_PROGRESS": "false", "COLUMNS": "200", "NEWSDESK_DATA_DIR": str(tmp_path)}
    assert runner.invoke(cli, ["--db", db, "demo"], env=env).exit_code == 0
    result = runner.invoke(cli, ["--db", db, "entity", "Brannock Sill"], env=env)
    assert result.exit_code == 0, result.output
    shown = " ".join(result.output.split())
    lines = [" ".join(line.split()) for line in block.splitlines()]
    checked = [line for line in lines if line and not line.endswith("...")]
    assert len(checked) >= 8
    for line in checked:
        assert line in shown, (line, result.output)
    assert re.search(r"entity \d+\)", shown)
