"""Records made from a row, the same for every backend: a row is anything that gives its columns
by name (``sqlite3.Row``, psycopg's ``dict_row``), and each backend says how its times and texts
read back (SQLite: ISO strings and zlib BLOBs; PostgreSQL: timestamptz and plain text).

Only the mapping is shared: each backend keeps its own SQL, in its own dialect.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any, Protocol

from ..model import (
    Article,
    ArticleFigure,
    ArticleQuote,
    EntitySummary,
    NamedEntity,
    QuoteHit,
    SourceLink,
    Span,
    StoredArticle,
)
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


# -- understanding (both backends) -----------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")


def fold_name(text: str) -> str:
    """A name as entity keys hold it after the type: case and accents folded, words joined by one
    space ("José  Álvarez" -> "jose alvarez"), so a query matches the part of a key after ``:``."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(_WORD.findall(plain))


def figures_json(figures: Sequence[ArticleFigure]) -> str:
    return json.dumps(
        [{"kind": f.kind, "text": f.text, "start": f.start, "end": f.end, "value": f.value} for f in figures],
        ensure_ascii=False,
    )


def figures_of(text: str) -> tuple[ArticleFigure, ...]:
    return tuple(
        ArticleFigure(f["kind"], f["text"], f["start"], f["end"], f["value"]) for f in json.loads(text)
    )


def mentions_json(mentions: Sequence[Span]) -> str:
    return json.dumps([[m.start, m.end, m.text] for m in mentions], ensure_ascii=False)


def named_entity(row: Row) -> NamedEntity:
    """An article's entity from an ``article_entities`` row joined to its entity (key, type)."""
    spans = tuple(Span(t, s, e) for s, e, t in json.loads(row["mentions"]))
    return NamedEntity(row["key"], row["name"], row["type"], spans)


def article_quote(row: Row) -> ArticleQuote:
    return ArticleQuote(
        speaker=row["speaker"],
        speaker_key=row["speaker_key"],
        speaker_mention=row["speaker_mention"],
        speaker_start=row["speaker_start"],
        speaker_end=row["speaker_end"],
        cue=row["cue"],
        cue_start=row["cue_start"],
        cue_end=row["cue_end"],
        text=row["text"],
        start=row["text_start"],
        end=row["text_end"],
        direct=bool(row["direct"]),
        statement=row["statement"],
    )


def entity_summary(row: Row, *, when: When) -> EntitySummary:
    return EntitySummary(
        id=row["id"],
        key=row["key"],
        name=row["name"],
        type=row["type"],
        articles=row["articles"],
        mentions=row["mentions"],
        quotes=row["quotes"],
        first_seen=when(row["first_seen"]),
        last_seen=when(row["last_seen"]),
    )


def quote_hit(row: Row, *, when: When) -> QuoteHit:
    """A quote row joined to its article (``title``, ``url``, ``source``, ``at``) and to the first
    report of its statement (``first_id``, ``first_source``, ``first_at``)."""
    return QuoteHit(
        article_id=row["article_id"],
        title=row["title"],
        url=row["url"],
        source=row["source"],
        when=when(row["at"]),
        quote=article_quote(row),
        speaker_entity_id=row["speaker_entity"],
        first_article_id=row["first_id"],
        first_source=row["first_source"],
        first_when=when(row["first_at"]),
    )


def story_tally(
    categories: dict[str, int], old: str | None, new: str | None
) -> tuple[dict[str, int], str | None]:
    """A story's category counts after one member moved from ``old`` to ``new``, and its category
    by majority (ties to the first alphabetically, as ``StorySketch.category``)."""
    tally = dict(categories)
    if old is not None and old in tally:
        tally[old] -= 1
        if tally[old] <= 0:
            del tally[old]
    if new is not None:
        tally[new] = tally.get(new, 0) + 1
    top = min(tally.items(), key=lambda kv: (-kv[1], kv[0]))[0] if tally else None
    return tally, top
