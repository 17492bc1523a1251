"""The embedded default store: one SQLite file in WAL mode, FTS5 for search.

Transactions are explicit (the connection runs in autocommit mode and every write method opens
``BEGIN IMMEDIATE``), so a process killed at any point leaves the file as it was before the item in
flight. The schema is the SQL in ``migrations/`` (with the data steps SQL cannot express), applied in
order and recorded in ``PRAGMA user_version``.

A package by domain and by role, as lemon24/reader's ``_storage/`` is: ``_connection`` (opening,
pragmas, errors, transactions), ``_schema`` (the migrations), ``_sql`` (what the parts share), then
one mixin a domain (``_articles``, ``_search``, ``_sources``, ``_provenance``, ``_stories``,
``_health``, ``_understanding``, ``_transfer``), which ``SQLiteStore`` composes.
"""

from __future__ import annotations

from ._articles import ArticlesMixin, content_hash
from ._health import HealthMixin
from ._provenance import ProvenanceMixin
from ._schema import _migrations as _migrations
from ._schema import _statements as _statements
from ._search import _SUBSTRING_SCRIPTS as _SUBSTRING_SCRIPTS
from ._search import SearchMixin
from ._sources import SourcesMixin
from ._stories import StoriesMixin
from ._transfer import TransferMixin
from ._understanding import UnderstandingMixin


class SQLiteStore(
    ArticlesMixin,
    SearchMixin,
    SourcesMixin,
    ProvenanceMixin,
    HealthMixin,
    StoriesMixin,
    UnderstandingMixin,
    TransferMixin,
):
    """Store implementation over the standard library's sqlite3: every domain's part on one
    connection, so that a unit of work spans them all (``HealthMixin`` before ``StoriesMixin``:
    compaction settles the stories' log first, so it builds on them)."""


__all__ = ["SQLiteStore", "content_hash"]
