"""Shared fixtures: a fresh SQLite file per test, the bundled sample corpus and its truth; a
throwaway PostgreSQL server for the session (``postgres_server``, each test making its own
database on it); the command line in this process (``invoke_cli``) or through its real entry
point (``run_cli``)."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any, NoReturn

import pytest
from bench import floors
from bench._common import EVAL_DATA_VARIABLE, eval_data

from newsdesk import Desk, open_desk

from ._postgres import PostgresServer, find_bin

FIXTURES = Path(__file__).parent / "fixtures"


class TickingClock:
    """A clock that advances one second per reading: deterministic first_seen/last_seen."""

    def __init__(self) -> None:
        self.now = datetime(2026, 3, 15, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "newsdesk.sqlite"


@pytest.fixture
def desk(db_path: Path) -> Iterator[Desk]:
    with open_desk(db_path, clock=TickingClock()) as d:
        yield d


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    path = Path(str(resources.files("newsdesk") / "sample"))
    assert (path / "truth.json").is_file(), "the sample corpus must ship with the package"
    return path


@pytest.fixture(scope="session")
def truth(sample_dir: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((sample_dir / "truth.json").read_text(encoding="utf-8"))
    return data


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The whole sample corpus ingested once, for read-only tests."""
    path = tmp_path_factory.mktemp("sample") / "sample.sqlite"
    with open_desk(path, clock=TickingClock()) as d:
        d.ingest([sample_dir])
    return path


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server of our own for the session (``tests/_postgres.py``); ``.database()``
    gives the URL of a new empty database on it. Skipped when the server's binaries or psycopg are
    missing (failed when CI is set): ``make pytest`` installs both."""
    bin_dir = find_bin()
    if bin_dir is None:
        unavailable(
            "PostgreSQL's server is not installed (/usr/lib/postgresql/*/bin): `make postgres` installs "
            "Debian's postgresql (as root)"
        )
    try:
        import psycopg  # noqa: F401
    except ImportError:
        unavailable("psycopg is not installed: pip install -e '.[postgres]'")
    server = PostgresServer(bin_dir)
    try:
        server.start()
    except (RuntimeError, OSError) as e:
        server.stop()
        unavailable(f"cannot start a PostgreSQL server: {e}")
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def postgres_url(postgres_server: PostgresServer) -> str:
    """The URL of a new, empty PostgreSQL database of this test's own."""
    return postgres_server.database()


@dataclass(frozen=True)
class CliRun:
    """What a command run in process printed and its exit status (named as a process's are)."""

    returncode: int
    stdout: str
    stderr: str


def invoke_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: bytes | str | None = None
) -> CliRun:
    """Run a ``newsdesk`` command in this process with click's CliRunner: what ``run_cli`` does
    without a new interpreter's start-up. stdout and stderr are kept apart; ``env`` is set for the
    command only. An exception the command does not handle is raised here, with its traceback.

    What only a real process shows needs ``run_cli``: the entry point itself (``main`` sets up
    logging), output written by worker processes or at exit, kills, ``serve``."""
    from click.testing import CliRunner

    from newsdesk.cli import cli

    runner = CliRunner(env={"NEWSDESK_PROGRESS": "false", **(env or {})})
    with contextlib.chdir(cwd) if cwd is not None else contextlib.nullcontext():
        result = runner.invoke(cli, list(args), input=input, catch_exceptions=False, prog_name="newsdesk")
    return CliRun(result.exit_code, result.stdout, result.stderr)


def run_cli(
    *args: str, cwd: Path | None = None, env: dict[str, str] | None = None, input: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the real ``newsdesk`` entry point in a subprocess (for what ``invoke_cli`` cannot show)."""
    full_env = {**os.environ, "NEWSDESK_PROGRESS": "false", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=input is None,
        input=input,
        timeout=300,
        check=False,
    )


def unavailable(why: str) -> NoReturn:
    """A test that cannot run here (its data or a tool it drives is missing) is skipped with the
    reason, except under CI (``CI`` set, as ``.ci/run`` runs): there it fails, so that CI cannot pass
    without running it. Works at module level too."""
    if os.environ.get("CI"):
        pytest.fail(f"CI is set and this test cannot run: {why}", pytrace=False)
    pytest.skip(f"{why} (with CI set this fails)", allow_module_level=True)


def require_gate(name: str) -> floors.Gate:
    """A gate of bench/floors.toml, its floors to assert: skipped when its data is missing (failed
    under CI), failed when the data differs from what the floors were measured on (its digest)."""
    gate = floors.gate(name)
    if missing := gate.missing():
        unavailable(
            f"public evaluation data not found at {eval_data()}: {', '.join(missing)} "
            f"(it lives outside the repository; {EVAL_DATA_VARIABLE} names its folder)"
        )
    if reason := gate.stale():
        pytest.fail(reason, pytrace=False)
    return gate
