"""The schema: the SQL scripts of ``migrations/`` (with the data steps SQL cannot express),
applied in order, each in its own transaction, and recorded in ``PRAGMA user_version``.
"""

from __future__ import annotations

import re
import sqlite3
from importlib import resources

from ...exceptions import SchemaVersionError, StorageError
from ..migrations import DATA_STEPS

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files("newsdesk.store.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _statements(sql: str) -> list[str]:
    """The statements of a migration script, one by one (a trigger's body stays whole), so that
    they run inside a transaction this connection controls (``executescript`` commits first)."""
    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    rest = [line for line in buffer.splitlines() if line.strip() and not line.strip().startswith("--")]
    if rest:
        raise sqlite3.OperationalError(f"incomplete statement at the end of the script: {rest[0]!r}")
    return out


def migrate(db: sqlite3.Connection, path: str) -> None:
    """Bring the schema of ``db`` (the database at ``path``) up to the newest migration."""
    try:
        current = db.execute("PRAGMA user_version").fetchone()[0]
    except sqlite3.Error as e:
        raise StorageError(f"reading the schema version failed in {path}: {e}") from e
    migrations = _migrations()
    latest = migrations[-1][0] if migrations else 0
    if current > latest:
        raise SchemaVersionError(
            f"{path} has schema version {current}, newer than this newsdesk knows "
            f"({latest}); upgrade newsdesk"
        )
    for number, name, sql in migrations:
        if number <= current:
            continue
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                # Another process (a second web worker, an update beside a serve) may have
                # applied it while this one waited for the lock: read the version again.
                if db.execute("PRAGMA user_version").fetchone()[0] < number:
                    for statement in _statements(sql):
                        db.execute(statement)
                    step = DATA_STEPS.get(number)
                    if step is not None:
                        step(db)
                    db.execute(f"PRAGMA user_version = {number}")
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
        except sqlite3.Error as e:
            raise StorageError(f"migration {name} failed on {path}: {e}") from e
