"""A throwaway PostgreSQL server for the tests: a cluster made in a temporary folder, started on a
free port of 127.0.0.1 (and a Unix socket in that folder), stopped and left behind at the end.

The server's binaries are Debian's (``/usr/lib/postgresql/<version>/bin``; ``make postgres``
installs them when missing). PostgreSQL refuses to run as root: as root the cluster belongs to the
``postgres`` user and every server command runs as that user (``runuser``); as anyone else they run
directly. Authentication is ``trust``: only this machine reaches it, for the length of a test run.

``PostgresServer.database()`` makes a fresh, empty database (from ``template0``) and gives its
URL: one per test, so tests never see each other's rows.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: Where Debian installs the server's binaries (``<version>/bin``).
BIN_ROOT = "/usr/lib/postgresql"


def find_bin() -> Path | None:
    """The folder of the newest installed server's binaries, or None."""
    found = sorted(
        (p for p in Path(BIN_ROOT).glob("*/bin") if (p / "initdb").is_file()),
        key=lambda p: [int(x) if x.isdigit() else 0 for x in p.parent.name.split(".")],
    )
    if found:
        return found[-1]
    on_path = shutil.which("pg_ctl")
    return Path(on_path).parent if on_path and shutil.which("initdb") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PostgresServer:
    """One cluster, running while the object is open (``start`` ... ``stop``)."""

    bin: Path
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="newsdesk-pg-")))
    port: int = field(default_factory=_free_port)
    databases: int = 0
    #: Keep the cluster's folder when stopping (a benchmark's stores, reused by the next run), and
    #: start the cluster already in ``root`` instead of making one.
    keep: bool = False

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "sock"

    def _run(self, *args: str) -> subprocess.CompletedProcess[str]:
        command = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        if done.returncode:
            raise RuntimeError(
                f"{' '.join(command)} failed ({done.returncode}): {done.stderr or done.stdout}"
            )
        return done

    def start(self) -> PostgresServer:
        made = (self.data / "PG_VERSION").exists()
        self.sockets.mkdir(parents=True, exist_ok=made)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            shutil.chown(self.sockets, "postgres", "postgres")
        # UTF-8 with a C collation: the trigram index needs a character type that knows letters
        # beyond ASCII (C.UTF-8 does), and the tests need no language's sort order.
        if not made:
            self._run(
                "initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--encoding=UTF8",
                "--locale=C.UTF-8", "--no-sync",
            )  # fmt: skip
        options = (
            f"-k {self.sockets} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        return self

    def stop(self) -> None:
        with contextlib.suppress(RuntimeError):
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")
        if not self.keep:
            shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def database(self, name: str | None = None) -> str:
        """A new empty database (``name``, else the next of t1, t2, ...; an existing one of that
        name is dropped first); its URL."""
        import psycopg

        if name is None:
            self.databases += 1
            name = f"t{self.databases}"
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            conn.execute(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8'")
        return self.url(name)

    def exists(self, name: str) -> bool:
        import psycopg

        with psycopg.connect(self.url(), autocommit=True) as conn:
            return (
                conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
            )

    def postmaster(self) -> int | None:
        """The server's main process id (from ``postmaster.pid``), or None when it is not running."""
        try:
            return int((self.data / "postmaster.pid").read_text().split()[0])
        except (OSError, ValueError, IndexError):
            return None
