"""A whole desk out and in (``Transfer``): every table of ``TRANSFER_TABLES`` as neutral rows.

What this store keeps in its own forms is given out plain and taken back in them: texts inflated
and compressed again (``_texts``), times parsed from and written as ISO strings, a member's vector
kept as the start of its story's centroid written out, the document-frequency log added into the
frequencies it stands for. The full-text indexes follow the articles through their triggers.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

from ...exceptions import StorageError
from .. import _texts, _vectors
from ..protocols import TRANSFER_TABLES
from ._connection import StorageBase
from ._sql import _dt, _iso

_COLUMNS = {t.name: t.columns for t in TRANSFER_TABLES}
#: Columns that hold an ISO time here and a datetime in a transferred row.
_TIMES = frozenset(
    {
        ("sources", c)
        for c in ("added", "next_due", "last_fetched", "last_success", "first_success", "last_new_article")
    }
    | {("articles", c) for c in ("published", "updated", "fetched", "first_seen", "last_seen")}
    | {("article_revisions", c) for c in ("published", "updated", "stored")}
    | {
        ("rejections", "seen"),
        ("page_fetches", "tried"),
        ("copies", "decided"),
        ("story_decisions", "decided"),
        ("entities", "first_seen"),
        ("entities", "last_seen"),
        ("article_understanding", "at"),
    }
)
#: Each table's key, the order it is read in.
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


def _columns(table: str) -> tuple[str, ...]:
    try:
        return _COLUMNS[table]
    except KeyError:
        raise StorageError(f"no table {table!r} to copy; the tables are {', '.join(_COLUMNS)}") from None


class TransferMixin(StorageBase):
    def count_rows(self, table: str) -> int:
        _columns(table)
        with self._errors(f"counting the rows of {table}"):
            return int(self._db.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def export_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        columns = _columns(table)
        if table == "story_df":
            yield from self._export_frequencies()
            return
        select = list(columns)
        if table == "articles" or table == "article_revisions":
            select[columns.index("text")] = "text, text_size"
        elif table == "story_members":
            select[columns.index("vector")] = (
                "vector, CASE WHEN typeof(vector) = 'integer' THEN "
                "(SELECT s.centroid FROM stories s WHERE s.id = story_id) END AS story_centroid"
            )
        times = {c for c in columns if (table, c) in _TIMES}
        sql = f"SELECT {', '.join(select)} FROM {table} ORDER BY {_ORDER.get(table, 'id')}"
        with self._errors(f"reading {table}"):
            for r in self._db.execute(sql):
                row = dict(zip(r.keys(), r, strict=True))
                if "text_size" in row:
                    size = row.pop("text_size")
                    if row["text"] is not None:
                        row["text"] = _texts.unpack_text(row["text"], size)
                if "story_centroid" in row:
                    centroid = row.pop("story_centroid")
                    if isinstance(row["vector"], int):
                        if centroid is None:
                            raise StorageError(
                                "a story member refers to the centroid of a story that is gone"
                            )
                        row["vector"] = _vectors.pack(
                            _vectors.first(_vectors.unpack(centroid), row["vector"])
                        )
                if table == "stories":
                    row["open"] = bool(row["open"])
                elif table == "article_quotes":
                    row["direct"] = bool(row["direct"])
                for c in times:
                    row[c] = _dt(row[c])
                yield tuple(row[c] for c in columns)

    def _export_frequencies(self) -> Iterator[tuple[Any, ...]]:
        """``story_df`` with the log's counts added (what every read of a frequency gives)."""
        with self._errors("reading story_df"):
            logged: Counter[str] = Counter()
            for (terms,) in self._db.execute("SELECT terms FROM story_df_log"):
                logged.update(_vectors.unpack_terms(terms))
            for term, df in self._db.execute("SELECT term, df FROM story_df ORDER BY term"):
                yield (term, int(df) + logged.pop(term, 0))
        for term in sorted(logged):
            yield (term, logged[term])

    def import_rows(self, table: str, rows: Iterable[Sequence[Any]]) -> int:
        columns = _columns(table)
        convert: list[tuple[int, Callable[[Any], Any]]] = [
            (i, _iso) for i, c in enumerate(columns) if (table, c) in _TIMES
        ]
        names = list(columns)
        texts = table in ("articles", "article_revisions")
        if texts:
            names.append("text_size")
        if table == "stories":
            convert.append((columns.index("open"), int))
        elif table == "article_quotes":
            convert.append((columns.index("direct"), int))
        if table == "story_counts":
            sql = "UPDATE story_counts SET docs = ? WHERE id = ?"
        else:
            sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})"
        text_at = columns.index("text") if texts else -1
        count = 0

        def converted() -> Iterator[list[Any]]:
            nonlocal count
            for row in rows:
                if len(row) != len(columns):
                    raise StorageError(f"a row of {table} has {len(row)} values, not {len(columns)}")
                values = list(row)
                for i, fn in convert:
                    if values[i] is not None:
                        values[i] = fn(values[i])
                if texts:
                    text = values[text_at]
                    packed, size = (None, None) if text is None else _texts.pack_text(text)
                    values[text_at] = packed
                    values.append(size)
                if table == "story_counts":
                    values = [values[1], values[0]]
                count += 1
                yield values

        with self._transaction(f"writing {table}") as db:
            db.executemany(sql, converted())
        self._stories.forget()  # what it read of the stories before is not what they are now
        return count
