"""The schema: the SQL scripts of ``migrations/postgres/`` (``NNNN_name.sql``), applied in order,
each in its own transaction with the row that records it in ``schema_version``, the way the
SQLite store applies ``migrations/`` and records them in ``PRAGMA user_version``.

Several processes may open a new database at once (two web workers, a collector): a transaction
level advisory lock makes them take turns, and each reads the version again once it holds it.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

import psycopg
from psycopg.rows import tuple_row

from ...exceptions import SchemaVersionError, StorageError

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
#: The advisory lock migrations hold (any number, the same in every newsdesk).
_LOCK = 0x6E657773  # "news"


def migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in (resources.files("newsdesk.store.migrations") / "postgres").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _current(db: psycopg.Connection[Any]) -> int:
    """The newest migration applied (0: a database newsdesk has not written)."""
    cur = db.cursor(row_factory=tuple_row)
    exists = cur.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = cur.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchone()
    return int(row[0]) if row else 0


def migrate(db: psycopg.Connection[Any], where: str) -> None:
    """Bring the schema of ``db`` (the database ``where`` names) up to the newest migration."""
    found = migrations()
    latest = found[-1][0] if found else 0
    try:
        current = _current(db)
    except psycopg.Error as e:
        raise StorageError(f"reading the schema version failed in {where}: {e}") from e
    if current > latest:
        raise SchemaVersionError(
            f"{where} has schema version {current}, newer than this newsdesk knows ({latest}); "
            "upgrade newsdesk"
        )
    for number, name, sql in found:
        if number <= current:
            continue
        try:
            with db.transaction():
                db.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK,))
                db.execute("CREATE TABLE IF NOT EXISTS schema_version (version integer PRIMARY KEY)")
                if _current(db) < number:
                    db.execute(sql.encode("utf-8"))  # no parameters: every statement of the script
                    db.execute("INSERT INTO schema_version (version) VALUES (%s)", (number,))
        except psycopg.Error as e:
            raise StorageError(
                f"migration postgres/{name} failed on {where}: {' '.join(str(e).split())}"
            ) from e
