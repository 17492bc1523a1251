"""Storage behind one interface; ``open_store`` picks the implementation from the location."""

from __future__ import annotations

from .base import (
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
)
from .sqlite import SQLiteStore


def open_store(location: str) -> Store:
    """Open (creating and migrating as needed) the store at ``location``.

    A path or ``sqlite:///path`` opens SQLite; ``:memory:`` gives a private in-memory database.
    """
    if location.startswith(("postgres://", "postgresql://")):
        from ..exceptions import ConfigError

        raise ConfigError("PostgreSQL stores are not supported yet; use a SQLite file path for --db")
    if location.startswith("sqlite:///"):
        location = location[len("sqlite:///") :]
    return SQLiteStore(location)


__all__ = [
    "ArticleStore",
    "CopyIndex",
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
    "open_store",
]
