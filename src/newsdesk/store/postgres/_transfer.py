"""A whole desk out and in (``Transfer``): every table of ``TRANSFER_TABLES`` as neutral rows.

Out: a server-side cursor per table (rows stream; nothing holds a whole table in memory). In:
``COPY ... FROM STDIN`` (the generated columns, ``host`` and the word index's ``search``, are
computed by the server as the rows arrive), then each identity column's sequence moved past the
largest id copied, so that the next article, revision, source or decision is numbered after them.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from ...exceptions import StorageError
from ..protocols import TRANSFER_TABLES
from ._connection import StorageBase
from ._sql import _from_db, _to_db, _utc
from ._understanding import TEXT_COLUMNS

_COLUMNS = {t.name: t.columns for t in TRANSFER_TABLES}
#: The key each table is read in the order of.
_ORDER = {
    "source_credentials": "source_id",
    "article_urls": "url",
    "input_digests": "digest",
    "rejections": "origin",
    "entry_ids": "source_id, entry_id",
    "page_fetches": "url",
    "fingerprints": "article_id",
    "lsh_keys": "key, article_id",
    "copy_groups": "article_id",
    "copies": "copy_id",
    "provenance_state": "name",
    "story_members": "article_id",
    "story_terms": "term, story_id",
    "story_df": "term",
    "article_entities": "article_id, entity_id",
    "article_understanding": "article_id",
}
#: Tables whose ids a sequence numbers.
_IDENTITIES = ("sources", "articles", "article_revisions", "story_decisions")
#: Columns holding an article's text or words of it (stored with NUL escaped: ``_sql._to_db``).
_TEXTS = {("articles", "text"), ("article_revisions", "text")} | {
    (table, column) for table, columns in TEXT_COLUMNS.items() for column in columns
}
_BATCH = 1000


def _columns(table: str) -> tuple[str, ...]:
    try:
        return _COLUMNS[table]
    except KeyError:
        raise StorageError(f"no table {table!r} to copy; the tables are {', '.join(_COLUMNS)}") from None


class TransferMixin(StorageBase):
    def count_rows(self, table: str) -> int:
        _columns(table)
        with self._reading(f"counting the rows of {table}") as db:
            row = db.execute(f"SELECT count(*) AS n FROM {table}").fetchone()
        assert row is not None
        return int(row["n"])

    def export_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        columns = _columns(table)
        texts = [i for i, c in enumerate(columns) if (table, c) in _TEXTS]
        sql = f"SELECT {', '.join(columns)} FROM {table} ORDER BY {_ORDER.get(table, 'id')}"
        with self._reading(f"reading {table}") as db, db.transaction(), db.cursor(name=f"out_{table}") as cur:
            cur.itersize = _BATCH
            cur.execute(sql)
            for row in cur:
                values = [_neutral(v) for v in row.values()]
                for i in texts:
                    if values[i] is not None:
                        values[i] = _from_db(values[i])
                yield tuple(values)

    def import_rows(self, table: str, rows: Iterable[Sequence[Any]]) -> int:
        columns = _columns(table)
        texts = [i for i, c in enumerate(columns) if (table, c) in _TEXTS]
        n = 0
        with self._transaction(f"writing {table}") as db:
            if table == "story_counts":
                for row in rows:
                    db.execute("UPDATE story_counts SET docs = %s WHERE id = %s", (row[1], row[0]))
                    n += 1
                return n
            with db.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    if len(row) != len(columns):
                        raise StorageError(f"a row of {table} has {len(row)} values, not {len(columns)}")
                    values = list(row)
                    for i in texts:
                        if values[i] is not None:
                            values[i] = _to_db(values[i])
                    copy.write_row(values)
                    n += 1
            if table in _IDENTITIES:
                db.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table} "
                    "HAVING max(id) IS NOT NULL"
                )
        return n


def _neutral(value: Any) -> Any:
    """A value as ``TRANSFER_TABLES`` describes it (bytea may come as memoryview; times in UTC)."""
    if isinstance(value, memoryview):
        return bytes(value)
    if hasattr(value, "tzinfo") and hasattr(value, "hour"):
        return _utc(value)
    return value
