"""The connection every part of the SQLite store shares: how it is opened (pragmas), how a
driver error becomes a ``StorageError``, and transactions (each write its own, or a savepoint
inside the unit of work open on the connection).

Transactions are explicit (the connection runs in autocommit mode and every write opens
``BEGIN IMMEDIATE``), so a process killed at any point leaves the file as it was before the
item in flight.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ...exceptions import StorageError
from .. import _texts
from .._memo import StoryMemo
from .._snippets import Snippets
from ._schema import migrate

#: Most of the database file read through a memory map (SQLite caps it at its compile-time limit,
#: 2 GB in the usual builds).
_MMAP_BYTES = 4 << 30


class StorageBase:
    """The connection and its transactions: what each domain's part of ``SQLiteStore`` builds on
    (reader's ``_storage`` shape: a mixin a domain, one connection)."""

    #: One connection: a thread of its own a store (see ``StoreBase.threads_share``).
    threads_share = False

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            #: Transactions open on this connection: 0 outside any, 1 in one, more in savepoints.
            self._depth = 0
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            _texts.register(self._db)  # the texts' triggers and view call sqlar_uncompress
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 5000")
            if path != ":memory:":
                # A new file gives its free pages back when the store settles (``settle``); an
                # older file ignores this (only VACUUM changes it there).
                self._db.execute("PRAGMA auto_vacuum = INCREMENTAL")
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                # Reads through the OS page cache without copying into SQLite's own: the LSH
                # lookup at 1M articles indexed drops from ~196 to ~137 us. Only address space;
                # a smaller file maps only what it has.
                self._db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
        except sqlite3.Error as e:
            raise StorageError(f"cannot open database {path}: {e}") from e
        except OSError as e:
            raise StorageError(f"cannot create the folder for database {path}: {e}") from e
        migrate(self._db, path)
        self._scratch: Snippets | None = None
        self._stories = StoryMemo()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as e:
            raise StorageError(f"{what} failed in {self.path}: {e}") from e

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write: its own transaction, or a savepoint inside the unit of work open on this
        connection (so that a write that fails is undone alone while the unit goes on)."""
        with self._errors(what):
            if self._depth:
                savepoint = f"w{self._depth}"
                self._db.execute(f"SAVEPOINT {savepoint}")
                self._depth += 1
                try:
                    yield self._db
                except BaseException:
                    self._stories.forget()  # it may hold what is being undone
                    self._db.execute(f"ROLLBACK TO {savepoint}")
                    self._db.execute(f"RELEASE {savepoint}")
                    raise
                finally:
                    self._depth -= 1
                self._db.execute(f"RELEASE {savepoint}")
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._db
            except BaseException:
                self._stories.forget()
                self._db.execute("ROLLBACK")
                raise
            else:
                try:
                    self._db.execute("COMMIT")
                except BaseException:
                    self._stories.forget()
                    raise
            finally:
                self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._transaction("a unit of work"):
            yield

    @property
    def schema_version(self) -> int:
        with self._errors("reading the schema version"):
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def version(self) -> tuple[int, ...]:
        # data_version moves when another connection commits; total_changes counts this one's.
        with self._errors("reading the store's version"):
            return (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes)

    def close(self) -> None:
        with self._errors("closing"):
            if self._scratch is not None:
                self._scratch.close()
            self._db.close()
