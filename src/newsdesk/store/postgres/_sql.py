"""What every part of the PostgreSQL store shares: times, the article filter's SQL, the columns of
an article row and its mapper, and the URL lookup every write of an article starts with.

The filters mean what the SQLite store's mean (``store/sqlite/_sql.py``), spelled for
PostgreSQL: ``%s`` parameters, and each spelling answered by an index of migration 0001.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from ...model import SearchFilters, StoredArticle
from .._rows import stored_article
from ._connection import Conn


def _utc(dt: datetime | None) -> datetime | None:
    """A time as stored: aware, in UTC (a naive time is taken to be UTC, as the SQLite store does)."""
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


#: The spellings of a filter: SQL terms (``{a}`` for the table alias) any one of which passes, and
#: the value each compares with.
_Spellings = tuple[list[str], list[Any]]


def _source_spellings(source: str) -> _Spellings:
    """A source is its name, its site name or its host (with or without "www.", or given as a
    URL), in any case."""
    host = source.strip().lower()
    if "://" in host:
        host = urlsplit(host).netloc.rpartition("@")[2] or host
    terms = ["lower({a}.source) = lower(%s)", "lower({a}.site_name) = lower(%s)", "{a}.host = %s"]
    return terms, [source, source, host.removeprefix("www.")]


def _category_spellings(category: str) -> _Spellings:
    """A category is the category or the section, in any case."""
    return ["lower({a}.category) = lower(%s)", "lower({a}.section) = lower(%s)"], [category, category]


_ARTICLE_COLUMNS = (
    "id, canonical_url, url, source, site_name, title, byline, published, updated, fetched, "
    "first_seen, last_seen, language, section, category, tags, source_links, description, notes, "
    "text, revision, entry_id, origin"
)


def _find_id(db: Conn, urls: list[str]) -> int | None:
    for url in urls:
        row = db.execute("SELECT id FROM articles WHERE canonical_url = %s", (url,)).fetchone()
        if row:
            return int(row["id"])
        row = db.execute("SELECT article_id FROM article_urls WHERE url = %s", (url,)).fetchone()
        if row:
            return int(row["article_id"])
    return None


def _row_to_stored(row: dict[str, Any], revisions: int | None = None) -> StoredArticle:
    return stored_article(row, text=_from_db(row["text"]), when=_utc, revisions=revisions)


def _where(filters: SearchFilters | None, alias: str = "a") -> tuple[str, list[Any]]:
    if filters is None:
        return "true", []
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
        clauses.append(f"{when} >= %s")
        params.append(_utc(filters.since))
    if filters.until:
        clauses.append(f"{when} < %s")
        params.append(_utc(filters.until))
    if filters.language:
        clauses.append(f"lower({alias}.language) = lower(%s)")
        params.append(filters.language)
    return (" AND ".join(clauses) or "true"), params


#: PostgreSQL's text cannot hold NUL, which an article's text may (the SQLite store keeps it): a
#: NUL is stored as ESCAPE "0", and ESCAPE itself (a private-use character) as ESCAPE ESCAPE.
_ESCAPE = "\ue000"
_ESCAPED = re.compile(_ESCAPE + "(.)", re.DOTALL)


def _to_db(text: str) -> str:
    """A text as stored (see ``_ESCAPE``); a text without NUL or ESCAPE is stored as it is."""
    if "\x00" not in text and _ESCAPE not in text:
        return text
    return text.replace(_ESCAPE, _ESCAPE * 2).replace("\x00", _ESCAPE + "0")


def _from_db(text: str) -> str:
    """The text ``_to_db`` stored."""
    if _ESCAPE not in text:
        return text
    return _ESCAPED.sub(lambda m: _ESCAPE if m.group(1) == _ESCAPE else "\x00", text)
