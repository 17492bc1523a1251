"""What every part of the SQLite store shares: time spellings, the article filter's SQL, the
columns of an article row and its mapper, and the URL lookup every write of an article starts
with.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar
from urllib.parse import urlsplit

from ...model import SearchFilters, StoredArticle
from .. import _texts
from .._rows import stored_article


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


T = TypeVar("T")

#: Values bound in one ``IN (...)`` list at most: well under SQLite's limit on a statement's
#: parameters (32,766 since 3.32, 999 before), with room for the others a statement binds.
_IN_CHUNK = 500


def _chunks(values: Sequence[T]) -> Iterator[tuple[list[T], str]]:
    """``values`` cut into lists of at most ``_IN_CHUNK``, each with its ``?,?,...`` marks: an
    ``IN`` over any number of values, one statement a chunk."""
    for start in range(0, len(values), _IN_CHUNK):
        chunk = list(values[start : start + _IN_CHUNK])
        yield chunk, ",".join("?" * len(chunk))


#: The spellings of a filter: SQL terms (``{a}`` for the table alias) any one of which passes, and
#: the value each compares with. Each term is answered by an index of migration 0007.
_Spellings = tuple[list[str], list[Any]]


def _source_spellings(source: str) -> _Spellings:
    """A source is its name, its site name or its host (with or without "www.", or given as a
    URL), in any case."""
    host = source.strip().lower()
    if "://" in host:
        host = urlsplit(host).netloc.rpartition("@")[2] or host
    terms = ["lower({a}.source) = lower(?)", "lower({a}.site_name) = lower(?)", "{a}.host = ?"]
    return terms, [source, source, host.removeprefix("www.")]


def _category_spellings(category: str) -> _Spellings:
    """A category is the category or the section, in any case."""
    return ["lower({a}.category) = lower(?)", "lower({a}.section) = lower(?)"], [category, category]


_ARTICLE_COLUMNS = (
    "id, canonical_url, url, source, site_name, title, byline, published, updated, fetched, "
    "first_seen, last_seen, language, section, category, tags, source_links, description, notes, "
    "text, text_size, revision, entry_id, origin"
)


def _find_id(db: sqlite3.Connection, urls: list[str]) -> int | None:
    for url in urls:
        row = db.execute("SELECT id FROM articles WHERE canonical_url = ?", (url,)).fetchone()
        if row:
            return int(row[0])
        row = db.execute("SELECT article_id FROM article_urls WHERE url = ?", (url,)).fetchone()
        if row:
            return int(row[0])
    return None


def _row_to_stored(row: sqlite3.Row, revisions: int | None = None) -> StoredArticle:
    return stored_article(
        row, text=_texts.unpack_text(row["text"], row["text_size"]), when=_dt, revisions=revisions
    )


def _where(filters: SearchFilters | None, alias: str = "a") -> tuple[str, list[Any]]:
    if filters is None:
        return "1", []
    clauses: list[str] = []
    params: list[Any] = []
    when = f"coalesce({alias}.published, {alias}.first_seen)"
    spellings = []
    if filters.source:
        spellings.append(_source_spellings(filters.source))
    if filters.category:
        spellings.append(_category_spellings(filters.category))
    for terms, values in spellings:
        clauses.append("(" + " OR ".join(t.format(a=alias) for t in terms) + ")")
        params += values
    if filters.since:
        clauses.append(f"{when} >= ?")
        params.append(_iso(filters.since))
    if filters.until:
        clauses.append(f"{when} < ?")
        params.append(_iso(filters.until))
    if filters.language:
        clauses.append(f"lower({alias}.language) = lower(?)")
        params.append(filters.language)
    return (" AND ".join(clauses) or "1"), params
