"""Moving a whole desk from one store to another, whatever their backends (``newsdesk
copy-store``): SQLite to PostgreSQL when a desk outgrows one machine, and back.

Only through the ``Transfer`` Protocol: each backend gives its tables out as neutral rows and
takes them in (``TRANSFER_TABLES``), so neither knows the other's insides. The whole copy is one
unit of work on the target: a copy stopped midway (an error, Ctrl-C, a kill) leaves the target as
empty as it was. Ids are kept, so every reference (revisions, URLs, entry ids, copy edges, groups,
stories, members, decisions) holds as it did, and links to articles and stories stay the same.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from ..exceptions import StorageError
from .protocols import TRANSFER_TABLES, Transfer

#: Rows between two reports of progress.
_REPORT_EVERY = 500

#: ``progress(table, rows copied of it so far, rows it holds in the source)``.
CopyProgress = Callable[[str, int, int], None]


def copy_store(source: Transfer, target: Transfer, *, progress: CopyProgress | None = None) -> dict[str, int]:
    """Copy every row of ``source`` into ``target``, which must hold nothing yet; returns the rows
    copied, by table. Raises StorageError when the target is not empty."""
    held = {
        t.name: n for t in TRANSFER_TABLES if t.name != "story_counts" and (n := target.count_rows(t.name))
    }
    if held:
        listed = ", ".join(f"{n:,} {name}" for name, n in held.items())
        raise StorageError(f"the target already holds a desk ({listed}): copy into an empty database")
    copied: dict[str, int] = {}
    with target.transaction():
        for table in TRANSFER_TABLES:
            total = source.count_rows(table.name)
            rows = source.export_rows(table.name)
            if progress is not None:
                rows = _reporting(rows, table.name, total, progress)
            copied[table.name] = target.import_rows(table.name, rows)
            if progress is not None:
                progress(table.name, copied[table.name], total)
    return copied


def _reporting(rows: Iterable[Any], table: str, total: int, progress: CopyProgress) -> Iterator[Any]:
    for done, row in enumerate(rows, 1):
        yield row
        if done % _REPORT_EVERY == 0:
            progress(table, done, total)
