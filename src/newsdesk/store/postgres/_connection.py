"""What every part of the PostgreSQL store shares: the pool of connections, how a driver error
becomes a ``StorageError`` (with the server's own words and the URL without its password), and
transactions.

A ``PostgresStore`` holds a small ``psycopg_pool.ConnectionPool``: a read outside a unit of work
borrows a connection for one statement or a few, so several threads may read through one store at
once. A unit of work (``transaction()``) pins one connection to the thread that opened it until it
ends: every write inside, from any domain, joins its transaction, and reads inside see its writes.
Connections run in autocommit mode; psycopg's ``Connection.transaction()`` opens ``BEGIN`` for the
outermost write and a ``SAVEPOINT`` for each one nested in it, so a write that fails inside a unit
is undone alone, as in the SQLite store, and the unit is rolled back whole when it raises.
"""

from __future__ import annotations

import enum
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from ...exceptions import StorageError
from ._schema import migrate

#: A connection as the store uses it: rows as dicts.
Conn = psycopg.Connection[dict[str, Any]]

#: Connections a store keeps open at least, and at most (reads of several threads at once).
_POOL_MIN = 1
_POOL_MAX = 10
#: Seconds to wait for a connection (the server, or a free one of the pool).
_CONNECT_SECONDS = 10.0
#: How the server's ``pg_stat_activity`` names the store's connections, unless the URL names them.
APPLICATION_NAME = "newsdesk"


class Stage(enum.IntEnum):
    """The order-dependent stages, each an advisory lock's key (``StorageBase._in_turn``). A unit
    of work that takes several takes them in one order, provenance, understanding, stories (an
    arrival: its copies, its understanding, its story; refiling an article: the understanding's
    turn, then the stories'), so that two units never each hold a turn the other waits for. A unit
    that writes a stored article's row takes the row before any turn (a collector's new version
    of the article, a refiling), for the same reason."""

    PROVENANCE = 0x6E640001
    STORIES = 0x6E640002
    UNDERSTANDING = 0x6E640003


def shown_url(url: str) -> str:
    """``url`` as a message may show it: the user name kept, the password (in the user info or a
    ``password=`` parameter) left out."""
    try:
        parts = urlsplit(url)
        netloc = parts.netloc.rpartition("@")
        host = netloc[2]
        user = netloc[0].partition(":")[0]
        query = urlencode([(k, v) for k, v in parse_qsl(parts.query) if k.lower() != "password"])
        return urlunsplit((parts.scheme, f"{user}@{host}" if user else host, parts.path, query, ""))
    except ValueError:
        return re.sub(r"//[^/@]*@", "//", url)


def _named(url: str, suffix: str = "") -> dict[str, Any]:
    """The connection parameters that name the store's connections on the server, so that an
    administrator (and a test) can tell them from other clients' (and the pool's from the one that
    migrates the schema at start); a name in the URL wins."""
    try:
        given = psycopg.conninfo.conninfo_to_dict(url)
    except psycopg.Error:
        return {}  # connect() reports the bad URL in the server's words
    return {} if "application_name" in given else {"application_name": APPLICATION_NAME + suffix}


def _configure(conn: Conn) -> None:
    """Every connection reads and writes times in UTC."""
    conn.execute("SET TIME ZONE 'UTC'")


class StorageBase:
    """The pool and its transactions: what each domain's part of ``PostgresStore`` builds on."""

    #: A pool, a unit of work pinned to its thread: threads share one store (``StoreBase.threads_share``).
    threads_share = True

    def __init__(self, url: str) -> None:
        self.path = shown_url(url)  # how messages name the store (the SQLite store's path)
        try:
            first: Conn = psycopg.connect(
                url,
                autocommit=True,
                row_factory=dict_row,
                connect_timeout=int(_CONNECT_SECONDS),
                **_named(url, " (schema)"),
            )
        except psycopg.Error as e:
            raise StorageError(f"cannot connect to the PostgreSQL database {self.path}: {_said(e)}") from e
        try:
            _configure(first)
            migrate(first, self.path)
        finally:
            first.close()
        self._pool: ConnectionPool[Conn] = ConnectionPool(
            url,
            min_size=_POOL_MIN,
            max_size=_POOL_MAX,
            kwargs={"autocommit": True, "row_factory": dict_row, **_named(url)},
            configure=_configure,
            # A connection is checked as it is lent (one round trip): after the server restarts, or
            # an administrator or a proxy closes idle connections, the next call gets a new one
            # instead of failing on the dead one.
            check=ConnectionPool.check_connection,
            timeout=_CONNECT_SECONDS,
            name="newsdesk",
            open=False,
        )
        try:
            self._pool.open(wait=True, timeout=_CONNECT_SECONDS)
        except PoolTimeout as e:
            self._pool.close()
            raise StorageError(f"cannot connect to the PostgreSQL database {self.path}: {e}") from e
        #: The connection of the unit of work open in each thread (none outside one).
        self._local = threading.local()
        #: Units of work this store committed: part of ``version`` (a unit's own writes).
        self._writes = 0

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except psycopg.Error as e:
            raise StorageError(f"{what} failed in {self.path}: {_said(e)}") from e
        except PoolTimeout as e:
            raise StorageError(f"{what} failed in {self.path}: no connection to the server: {e}") from e

    def _pinned(self) -> Conn | None:
        conn: Conn | None = getattr(self._local, "conn", None)
        return conn

    def _in_turn(self, db: Conn, stage: Stage) -> None:
        """Inside a unit of work, wait for ``stage``'s turn: the order-dependent stages (copy
        detection's candidates and election, story assignment) read the state earlier articles
        left and write what the next one reads, so two writers (collectors sharing the database)
        must not interleave them. A transaction-level advisory lock, taken at the stage's first
        read in the unit and held until the unit ends, makes them take turns, as SQLite's one
        writer does; outside a unit (a read on its own) nothing waits."""
        if db is not self._pinned():
            return
        held: set[Stage] = self._local.__dict__.setdefault("turns", set())
        if stage not in held:
            db.execute("SELECT pg_advisory_xact_lock(%s)", (int(stage),))
            held.add(stage)

    @contextmanager
    def _reading(self, what: str) -> Iterator[Conn]:
        """A connection to read with: the unit of work's (its writes are seen), else one of the
        pool's for the length of the block."""
        with self._errors(what):
            conn = self._pinned()
            if conn is not None:
                yield conn
                return
            with self._pool.connection() as conn:
                yield conn

    @contextmanager
    def _transaction(self, what: str) -> Iterator[Conn]:
        """One write: its own transaction, or a savepoint inside the unit of work open in this
        thread (so that a write that fails is undone alone while the unit goes on)."""
        with self._errors(what):
            conn = self._pinned()
            if conn is not None:
                try:
                    with conn.transaction():
                        yield conn
                except BaseException:
                    # The savepoint's rollback gave back the locks taken inside it: take them
                    # again at the next read (taking one held already changes nothing).
                    self._local.turns = set()
                    raise
                return
            with self._pool.connection() as conn:
                self._local.conn = conn
                self._local.turns = set()
                try:
                    with conn.transaction():
                        yield conn
                finally:
                    self._local.conn = None
                    self._local.turns = set()
            self._writes += 1

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._transaction("a unit of work"):
            yield

    @property
    def schema_version(self) -> int:
        with self._reading("reading the schema version") as db:
            row = db.execute("SELECT max(version) AS v FROM schema_version").fetchone()
        return int(row["v"]) if row and row["v"] is not None else 0

    def version(self) -> tuple[int, ...]:
        """The server's current snapshot (the oldest transaction still running, the next one to
        be numbered, those in between still running) and this store's own commits: a write of
        any connection is numbered when it starts and leaves the running list when it ends, so
        the token moves with every write anywhere on the server, and a read never moves it."""
        with self._reading("reading the store's version") as db:
            row = db.execute(
                "SELECT pg_snapshot_xmin(s)::text AS lo, pg_snapshot_xmax(s)::text AS hi, "
                "array(SELECT x::text FROM pg_snapshot_xip(s) x ORDER BY 1) AS running "
                "FROM pg_current_snapshot() s"
            ).fetchone()
        assert row is not None
        return (self._writes, int(row["lo"]), int(row["hi"]), *(int(x) for x in row["running"]))

    def close(self) -> None:
        self._pool.close()


def _said(error: psycopg.Error) -> str:
    """What the server (or libpq) said, on one line."""
    text = " ".join(str(error).split())
    return text or type(error).__name__
