"""The shared store: a PostgreSQL database, its own full-text search, for several processes and
machines at once (collectors, web servers) where the SQLite file serves one.

Opened by ``open_store("postgresql://...")`` (or ``postgres://``), which imports this package, and
psycopg with it, only then. The schema is the SQL in ``migrations/postgres/``, applied in order
and recorded in the ``schema_version`` table.

The same shape as the ``sqlite`` package: ``_connection`` (the pool, errors, transactions),
``_schema`` (the migrations), ``_sql`` (what the parts share), then one mixin a domain
(``_articles``, ``_search``, ``_sources``, ``_provenance``, ``_stories``, ``_health``,
``_understanding``, ``_transfer``), which ``PostgresStore`` composes. Where it differs from the
SQLite store, and why, is said in each module (texts as plain text: migration 0001; no memo or
log of the stories' state: ``_stories``; search: ``_search``; ids numbered as SQLite's rowids:
``_understanding``).
"""

from __future__ import annotations

from ._articles import ArticlesMixin
from ._connection import shown_url
from ._health import HealthMixin
from ._provenance import ProvenanceMixin
from ._search import SearchMixin
from ._sources import SourcesMixin
from ._stories import StoriesMixin
from ._transfer import TransferMixin
from ._understanding import UnderstandingMixin


class PostgresStore(
    ArticlesMixin,
    SearchMixin,
    SourcesMixin,
    ProvenanceMixin,
    HealthMixin,
    StoriesMixin,
    UnderstandingMixin,
    TransferMixin,
):
    """Store implementation over psycopg 3 and a pool of its connections: every domain's part on
    one pool, a unit of work on one connection of it."""


__all__ = ["PostgresStore", "shown_url"]
