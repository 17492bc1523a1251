"""Records made from a row, the same for every backend: a row is anything that gives its columns
by name (``sqlite3.Row``, psycopg's ``dict_row``), and each backend says how its times and texts
read back (SQLite: ISO strings and zlib BLOBs; PostgreSQL: timestamptz and plain text).

Only the mapping is shared: each backend keeps its own SQL, in its own dialect.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from ..model import Article, SourceLink, StoredArticle
from .protocols import StoredSource


class Row(Protocol):
    """A row that gives its columns by name (``sqlite3.Row``, a psycopg ``dict_row``)."""

    def __getitem__(self, key: str, /) -> Any: ...


#: A stored time as the backend gives it -> an aware datetime (None stays None).
When = Callable[[Any], datetime | None]


def stored_article(row: Row, *, text: str, when: When, revisions: int | None = None) -> StoredArticle:
    """The article of an ``articles`` row (its ``text`` already read back by the backend);
    ``revisions``: how many versions, when the row does not give ``revision``."""
    article = Article(
        url=row["url"],
        canonical_url=row["canonical_url"],
        title=row["title"],
        text=text,
        source=row["source"],
        site_name=row["site_name"],
        byline=row["byline"],
        published=when(row["published"]),
        updated=when(row["updated"]),
        fetched=when(row["fetched"]),
        language=row["language"],
        section=row["section"],
        category=row["category"],
        tags=tuple(json.loads(row["tags"])),
        source_links=tuple(
            SourceLink(url=s["url"], label=s["label"]) for s in json.loads(row["source_links"])
        ),
        description=row["description"],
        notes=tuple(json.loads(row["notes"])),
        origin=row["origin"],
        entry_id=row["entry_id"],
    )
    first_seen, last_seen = when(row["first_seen"]), when(row["last_seen"])
    assert first_seen is not None and last_seen is not None
    return StoredArticle(
        id=int(row["id"]),
        article=article,
        first_seen=first_seen,
        last_seen=last_seen,
        revisions=int(row["revision"]) if revisions is None else revisions,
    )


#: The columns ``stored_source`` reads, in the order both backends select them.
SOURCE_COLUMNS = (
    "id, kind, url, name, domain, added, category, etag, last_modified, last_status, errors_in_row, "
    "next_due, paused_reason, last_fetched, last_success, first_success, last_error, last_new_article, "
    "new_articles, fetches, not_modified, ttl_seconds, rate_per_day, leased_by, leased_until"
)


def stored_source(r: Row, *, when: When) -> StoredSource:
    added = when(r["added"])
    assert added is not None
    return StoredSource(
        id=int(r["id"]),
        kind=r["kind"],
        url=r["url"],
        name=r["name"],
        domain=r["domain"],
        added=added,
        category=r["category"],
        etag=r["etag"],
        last_modified=r["last_modified"],
        last_status=r["last_status"],
        errors_in_row=int(r["errors_in_row"] or 0),
        next_due=when(r["next_due"]),
        paused_reason=r["paused_reason"],
        last_fetched=when(r["last_fetched"]),
        last_success=when(r["last_success"]),
        first_success=when(r["first_success"]),
        last_error=r["last_error"],
        last_new_article=when(r["last_new_article"]),
        new_articles=int(r["new_articles"] or 0),
        fetches=int(r["fetches"] or 0),
        not_modified=int(r["not_modified"] or 0),
        ttl_seconds=r["ttl_seconds"],
        rate_per_day=r["rate_per_day"],
        leased_by=r["leased_by"],
        leased_until=when(r["leased_until"]),
    )


def like_pattern(text: str) -> str:
    """A LIKE pattern for "holds ``text``", its own ``%``, ``_`` and ``\\`` taken as themselves
    (with ``ESCAPE '\\'``, PostgreSQL's default)."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
