"""Storage behind one interface; ``open_store`` picks the implementation from the location."""

from __future__ import annotations

from ._copy import CopyProgress, copy_store
from .protocols import (
    TRANSFER_TABLES,
    ArticleStore,
    CopyIndex,
    DiskUsage,
    KnownInput,
    Maintenance,
    PageFetch,
    Revision,
    SearchIndex,
    SourceFetch,
    SourceStore,
    StorageArea,
    Store,
    StoreBase,
    StoredObject,
    StoredSource,
    StoreStats,
    StoryBook,
    StoryStore,
    Transfer,
    TransferTable,
)
from .sqlite import SQLiteStore


def open_store(location: str) -> Store:
    """Open (creating and migrating as needed) the store at ``location``.

    A path or ``sqlite:///path`` opens SQLite; ``:memory:`` gives a private in-memory database;
    ``postgresql://`` (or ``postgres://``) URLs open a PostgreSQL database (``newsdesk[postgres]``).
    """
    if location.startswith(("postgres://", "postgresql://")):
        try:
            from .postgres import PostgresStore  # psycopg is imported only for a PostgreSQL store
        except ImportError as e:
            from ..exceptions import ConfigError

            raise ConfigError(
                f"a PostgreSQL database needs psycopg 3 and its pool ({e.name or e} is missing): "
                "pip install 'newsdesk[postgres]'"
            ) from e
        return PostgresStore(location)
    if location.startswith("sqlite:///"):
        location = location[len("sqlite:///") :]
    return SQLiteStore(location)


__all__ = [
    "TRANSFER_TABLES",
    "ArticleStore",
    "CopyIndex",
    "CopyProgress",
    "DiskUsage",
    "KnownInput",
    "Maintenance",
    "PageFetch",
    "Revision",
    "SQLiteStore",
    "SearchIndex",
    "SourceFetch",
    "SourceStore",
    "StorageArea",
    "Store",
    "StoreBase",
    "StoreStats",
    "StoredObject",
    "StoredSource",
    "StoryBook",
    "StoryStore",
    "Transfer",
    "TransferTable",
    "copy_store",
    "open_store",
]
