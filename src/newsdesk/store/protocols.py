"""The Store interface: the only way stages and front ends reach persisted data.

A few Protocols by domain (``ArticleStore``, ``SearchIndex``, ``SourceStore``, ``CopyIndex``, the
clustering's ``StoryBook`` and the ``StoryStore`` around it, ``Maintenance``; each on ``StoreBase``)
and ``Store``, their union: so that a second backend can be written and checked one domain at a
time, and a stage can say which part of the store it needs (``stories.assign`` takes a
``StoryBook``). Implementations live beside this file (the ``sqlite`` package now, PostgreSQL
later). They speak SQL; nothing else in newsdesk does. Every driver error surfaces as
``StorageError``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol, runtime_checkable

from ..model import (
    Article,
    CopyEdge,
    Credentials,
    EntitySummary,
    IndexKeys,
    Outcome,
    PageOutcome,
    QueryBudget,
    QuoteHit,
    Rejected,
    RejectReason,
    SearchFilters,
    SearchHit,
    SourceProvenance,
    StoredArticle,
    Story,
    StoryChange,
    StoryDecision,
    StoryMember,
    StorySketch,
    Understanding,
    UnfinishedArticle,
)


@dataclass(frozen=True, slots=True)
class Revision:
    revision: int
    title: str
    text: str
    published: datetime | None
    updated: datetime | None
    stored: datetime
    origin: str | None
    current: bool


@dataclass(frozen=True, slots=True)
class StoredSource:
    id: int
    kind: str
    url: str
    name: str | None
    domain: str | None
    added: datetime
    category: str | None = None
    # Fetch state and health (see migrations/0002_fetching.sql).
    etag: str | None = None
    last_modified: str | None = None
    last_status: int | None = None
    errors_in_row: int = 0
    next_due: datetime | None = None
    paused_reason: str | None = None
    last_fetched: datetime | None = None
    last_success: datetime | None = None
    first_success: datetime | None = None
    last_error: str | None = None
    last_new_article: datetime | None = None
    new_articles: int = 0
    fetches: int = 0
    not_modified: int = 0
    ttl_seconds: int | None = None
    rate_per_day: float | None = None
    #: The collector fetching it now and when its lease runs out (see ``SourceStore.claim_sources``).
    leased_by: str | None = None
    leased_until: datetime | None = None

    @property
    def new_per_day(self) -> float | None:
        """New articles per day since the first successful fetch (None before a day has passed
        or before any fetch: the first fetch's backlog is not a rate)."""
        if self.first_success is None or self.last_success is None:
            return None
        days = (self.last_success - self.first_success).total_seconds() / 86_400
        return self.new_articles / days if days >= 1 else None


@dataclass(frozen=True, slots=True)
class SourceFetch:
    """What one fetch of a source changes in its state (one transaction)."""

    fetched: datetime
    status: int | None
    ok: bool
    next_due: datetime
    error: str | None = None
    errors_in_row: int = 0
    paused_reason: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    not_modified: bool = False
    new_articles: int = 0
    ttl_seconds: int | None = None
    rate_per_day: float | None = None


@dataclass(frozen=True, slots=True)
class PageFetch:
    """What happened the last time a page was fetched for a feed entry or sitemap URL."""

    url: str
    status: int | None
    outcome: PageOutcome
    detail: str | None
    attempts: int
    tried: datetime


@dataclass(frozen=True, slots=True)
class KnownInput:
    """What an input item stored before became: an article, or a rejection its bytes always get."""

    article_id: int | None
    reason: RejectReason | None = None
    detail: str | None = None
    url: str | None = None


@dataclass(frozen=True, slots=True)
class StoreStats:
    articles: int
    revisions: int
    sources: int
    rejections: int
    by_category: dict[str, int]
    by_source: dict[str, int]
    by_language: dict[str, int]


class StorageArea(enum.StrEnum):
    """What part of newsdesk a table or index of the store serves."""

    ARTICLES = "articles"  # the current articles, their other URLs and indexes
    REVISIONS = "revisions"  # the history of each article's text
    SEARCH = "search"  # the full-text indexes (words, substrings)
    INPUTS = "inputs"  # digests of the inputs already stored
    PROVENANCE = "provenance"  # fingerprints, copy-detection keys, copies
    STORIES = "stories"
    SOURCES = "sources"  # sources, feed entry ids, page fetches, rejections
    UNDERSTANDING = "understanding"  # entities, quotes, figures and their indexes
    OTHER = "other"  # the schema itself, and anything newer than this list


#: The area of each table every backend's schema has; an index is in its table's.
_TABLE_AREAS = {
    "articles": StorageArea.ARTICLES,
    "article_urls": StorageArea.ARTICLES,
    "article_revisions": StorageArea.REVISIONS,
    "input_digests": StorageArea.INPUTS,
    "fingerprints": StorageArea.PROVENANCE,
    "lsh_keys": StorageArea.PROVENANCE,
    "copy_groups": StorageArea.PROVENANCE,
    "copies": StorageArea.PROVENANCE,
    "provenance_state": StorageArea.PROVENANCE,
    "stories": StorageArea.STORIES,
    "sources": StorageArea.SOURCES,
    "source_credentials": StorageArea.SOURCES,
    "entry_ids": StorageArea.SOURCES,
    "page_fetches": StorageArea.SOURCES,
    "rejections": StorageArea.SOURCES,
    "entities": StorageArea.UNDERSTANDING,
    "article_entities": StorageArea.UNDERSTANDING,
    "article_quotes": StorageArea.UNDERSTANDING,
    "article_understanding": StorageArea.UNDERSTANDING,
}


def table_area(table: str) -> StorageArea:
    """The area a table of the store serves (``story_*`` tables: the stories'). A backend's own
    search tables and indexes it places itself (``disk_usage``): the quotes' word index is the
    understanding's."""
    if table.startswith("article_quotes"):
        return StorageArea.UNDERSTANDING
    if table.startswith("story_"):
        return StorageArea.STORIES
    return _TABLE_AREAS.get(table, StorageArea.OTHER)


@dataclass(frozen=True, slots=True)
class StoredObject:
    """One table or index of the store and the bytes of the pages it takes."""

    name: str
    table: str  # the table it belongs to (itself for a table)
    index: bool
    area: StorageArea
    bytes: int


@dataclass(frozen=True, slots=True)
class DiskUsage:
    """Where a store's bytes go. ``objects`` is empty when the store cannot tell (SQLite built
    without its ``dbstat`` table): then only the totals are known."""

    file_bytes: int
    free_bytes: int
    articles: int
    #: UTF-8 bytes of the current titles and texts: what the store is there to keep.
    text_bytes: int
    objects: tuple[StoredObject, ...]

    def by_area(self) -> dict[StorageArea, int]:
        """Bytes by area, largest first."""
        out: dict[StorageArea, int] = {}
        for o in self.objects:
            out[o.area] = out.get(o.area, 0) + o.bytes
        return dict(sorted(out.items(), key=lambda kv: -kv[1]))

    def per_article(self, size: int) -> float | None:
        return size / self.articles if self.articles else None

    def to_text(self, size: int) -> float | None:
        """``size`` as a multiple of the text it stores."""
        return size / self.text_bytes if self.text_bytes else None


class StoreBase(Protocol):
    """What every backend has, whatever domains it serves: units of work that span domains, a
    version token, and closing. Each write method of every domain is one transaction: all of it
    or none of it. Several writes become one unit of work inside ``with store.transaction():``
    (ingest writes an article, its copy keys, its copy edges and its story membership so)."""

    #: Whether one store may serve many threads at once, each in its own unit of work: a pool of
    #: connections (PostgreSQL) can, and a web server's threads then share it, within the pool's
    #: size; one connection (SQLite) cannot, so each thread opens a store of its own.
    threads_share: bool

    def transaction(self) -> AbstractContextManager[None]:
        """A unit of work: every write made inside joins one transaction, committed when the block
        ends and rolled back whole when it raises (or the process dies). A write that fails inside
        is undone alone, as it would be on its own. Units nest: an inner one joins the outer."""
        ...

    def version(self) -> tuple[int, ...]:
        """A token that changes whenever what this store holds may have changed, through this
        connection or any other: cheap enough to read on every request, so that a front end can
        keep what it computed from the store until the next write (the web site's front page)."""
        ...

    def close(self) -> None: ...


class ArticleStore(StoreBase, Protocol):
    """Articles: saving one (with its revisions and other URLs), the inputs already stored, and
    reading articles back one by one, newest first, or a page at a time (keyset paging for the
    JSON API: stable while articles arrive)."""

    def save_article(
        self, article: Article, *, seen: datetime, index: IndexKeys | None = None
    ) -> tuple[int, Outcome]:
        """Store an article under its canonical URL; decide new / updated / unchanged / older.

        ``index`` (its copy-detection keys) is written in the same transaction when the text is new.
        """
        ...

    def known_inputs(self, pairs: Sequence[tuple[bytes, bytes]]) -> list[KnownInput | None]:
        """For each (input digest, extraction digest) (see ``newsdesk._digest``): what an item of
        that digest became when it was stored under the same extraction digest, if its article
        still exists; else None."""
        ...

    def save_input(
        self,
        digest: bytes,
        extraction: bytes,
        *,
        article_id: int | None = None,
        rejected: Rejected | None = None,
    ) -> None:
        """Remember what an input item of ``digest``, extracted under ``extraction``, became: an
        article or a rejection (replacing what an earlier extraction said). Joins the unit of work
        of its article."""
        ...

    def add_article_url(self, article_id: int, url: str) -> bool:
        """Remember another URL of an article; False when the URL already leads somewhere."""
        ...

    def article_id_for(self, url: str) -> int | None:
        """The id of the article known under ``url`` (canonical or alias), without loading it."""
        ...

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Which of ``urls`` lead to a stored article."""
        ...

    def get_article(self, article_id: int) -> StoredArticle: ...

    def find_article(self, url: str) -> StoredArticle | None:
        """Look an article up by any URL it is known under (normalised by the caller)."""
        ...

    def revisions(self, article_id: int) -> list[Revision]: ...

    def latest(
        self, limit: int, filters: SearchFilters | None = None, *, originals: bool = False
    ) -> list[StoredArticle]:
        """The newest articles (by published, else first seen); ``originals``: only those that copy
        nobody."""
        ...

    def latest_of_source(self, name: str, limit: int, *, offset: int = 0) -> list[StoredArticle]:
        """The newest articles whose source name is exactly ``name`` (after the ``offset`` newest)."""
        ...

    def latest_of_category(
        self, category: str, limit: int, *, originals: bool = False
    ) -> list[StoredArticle]:
        """The newest articles whose category is exactly ``category``; ``originals``: only those
        that copy nobody."""
        ...

    def latest_of_story(self, story_id: int, limit: int) -> list[StoredArticle]:
        """The newest articles of one story (its own id: merges are not followed here)."""
        ...

    def iter_articles(self, filters: SearchFilters | None = None) -> Iterator[StoredArticle]: ...

    def article_page(
        self,
        filters: SearchFilters | None = None,
        *,
        before: tuple[datetime, int] | None = None,
        limit: int = 20,
        originals: bool = False,
    ) -> list[StoredArticle]:
        """Newest first by (published else first seen, id), starting after ``before`` (the key of
        the last article of the previous page); ``originals``: only articles that copy nobody."""
        ...


class SearchIndex(StoreBase, Protocol):
    """Full-text search over the stored articles."""

    def search(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 20,
        offset: int = 0,
        originals: bool = False,
        window: int | None = None,
        budget: QueryBudget | None = None,
    ) -> list[SearchHit]:
        """Full-text matches, best (bm25) first; ``window``: without filters, rank only the
        ``window`` latest arrivals among the matches (bounded cost for common words). Raises
        SearchTimeoutError or SearchCancelledError when the ``budget`` stops it."""
        ...

    def search_latest(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 50,
        budget: QueryBudget | None = None,
    ) -> list[StoredArticle]:
        """The ``limit`` latest arrivals matching a full-text query, newest published first (not
        by relevance): what a saved search follows. Stopped by ``budget`` as ``search`` is."""
        ...


class SourceStore(StoreBase, Protocol):
    """Sources and what fetching them leaves behind: their fetch state and health, feed entry ids,
    page fetches and rejections."""

    def add_source(
        self,
        kind: str,
        url: str,
        name: str | None,
        *,
        added: datetime,
        category: str | None = None,
        credentials: Credentials | None = None,
    ) -> bool:
        """Remember a source; returns False when it was already known. ``url`` carries no user info
        (``urls.split_credentials``); ``credentials``, kept apart as a secret that no listing returns,
        replace a known source's credentials (without them a known source keeps its own)."""
        ...

    def source_credentials(self, source_id: int) -> Credentials | None:
        """The credentials to send to a source's origin: for the fetcher only, never to show."""
        ...

    def sources(self) -> list[StoredSource]: ...

    def get_source(self, source_id: int) -> StoredSource | None: ...

    def find_source(self, url: str) -> StoredSource | None: ...

    def due_sources(self, now: datetime, kinds: Sequence[str]) -> list[StoredSource]:
        """Sources of these kinds, not paused, never fetched or due at ``now`` and not leased to a
        collector whose lease is running, most overdue first."""
        ...

    def claim_sources(
        self, now: datetime, kinds: Sequence[str], *, holder: str, until: datetime, limit: int
    ) -> list[StoredSource]:
        """Lease up to ``limit`` due sources to the collector ``holder`` until ``until``, most
        overdue first, and return them. Atomic against every other collector on the same store: a
        source is leased to one collector at a time, and one whose lease has run out (its collector
        died) is due again. ``record_source_fetch`` ends the lease."""
        ...

    def renew_claims(self, holder: str, source_ids: Sequence[int], until: datetime) -> None:
        """Extend ``holder``'s leases on ``source_ids`` (those it still holds) to ``until``."""
        ...

    def release_claims(self, holder: str) -> None:
        """End every lease ``holder`` holds (a collector stopping with sources unfetched)."""
        ...

    def next_due(self, kinds: Sequence[str]) -> datetime | None:
        """The earliest time a source that is not paused is due (None: none is scheduled); a leased
        source is due no earlier than its lease's end."""
        ...

    def record_source_fetch(self, source_id: int, fetch: SourceFetch) -> None:
        """Record a fetch of the source (its health and next due time) and end its lease."""
        ...

    def move_source(self, source_id: int, url: str, *, keep_credentials: bool = True) -> bool:
        """Give a source a new URL (a permanent redirect); False when another source has it. Its
        credentials are forgotten unless ``keep_credentials`` (the new URL is on their origin)."""
        ...

    def remove_source(self, source_id: int) -> bool: ...

    def set_source_paused(self, source_id: int, reason: str | None, *, now: datetime) -> None:
        """Pause a source with a reason, or (reason None) resume it: due now, errors forgotten."""
        ...

    def entry_article(self, source_id: int, entry_id: str) -> int | None: ...

    def save_entry_ids(self, source_id: int, pairs: Sequence[tuple[str, int]]) -> None: ...

    def page_fetch(self, url: str) -> PageFetch | None: ...

    def record_page_fetch(
        self,
        url: str,
        *,
        source_id: int | None,
        status: int | None,
        outcome: PageOutcome,
        detail: str | None,
        tried: datetime,
    ) -> None:
        """Remember a page fetch (counting attempts); a stored page also clears its rejection."""
        ...

    def record_rejection(self, rejected: Rejected, *, seen: datetime) -> None: ...

    def rejections(self) -> list[Rejected]: ...


class CopyIndex(StoreBase, Protocol):
    """Provenance: fingerprints and their LSH keys, copy groups and copy edges, and what they say
    by source."""

    def save_fingerprint(self, article_id: int, index: IndexKeys) -> None:
        """Store (replacing) an article's fingerprint and its LSH keys."""
        ...

    def candidates(self, exact: str, keys: Sequence[int], *, exclude: int, limit: int) -> list[int]:
        """Articles sharing the exact fingerprint or any LSH key, most shared keys first."""
        ...

    def copy_group(self, article_id: int) -> list[int]:
        """Every member of the article's copy group (empty when it is in none)."""
        ...

    def save_copy_group(self, members: Sequence[int], original: int, edges: Sequence[CopyEdge]) -> None:
        """Make ``members`` one group (dissolving the groups they were in) with these edges."""
        ...

    def copy_edges(self, *, original_id: int | None = None, copy_id: int | None = None) -> list[CopyEdge]: ...

    def originals_of(self, article_ids: Sequence[int]) -> dict[int, CopyEdge]:
        """For each of these articles that copies another, the edge to its original (one read for a
        page of articles, where ``copy_edges(copy_id=)`` would be one an article)."""
        ...

    def copy_page(
        self,
        *,
        kind: str | None = None,
        source: str | None = None,
        after: int | None = None,
        limit: int = 20,
    ) -> list[CopyEdge]:
        """Copy edges by copy id, after ``after``; ``source``: the copy's or the original's source."""
        ...

    def provenance_by_source(self) -> list[SourceProvenance]: ...

    def provenance_of_source(self, name: str) -> SourceProvenance:
        """``provenance_by_source`` for the articles whose source name is exactly ``name``."""
        ...

    def clear_provenance(self) -> None:
        """Forget every fingerprint, group and edge, and the fingerprint scheme (before tracing
        again from scratch)."""
        ...

    def articles_with_line(self, line: str, *, source: str, limit: int) -> int:
        """How many articles of ``source`` carry the words of ``line`` in this order (counting up to
        ``limit``): a line many of a source's pages carry is its frame, not a story."""
        ...

    def fingerprint_scheme(self) -> int | None:
        """The scheme the stored LSH keys were made with; None when none is recorded (empty index)."""
        ...

    def set_fingerprint_scheme(self, scheme: int) -> None: ...


class StoryBook(Protocol):
    """Where the state of clustering lives: what ``stories.assign`` reads and writes for one
    arrival (the store, or ``stories.MemoryBook`` for evaluation at speed)."""

    def story_doc_freqs(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        """Document frequency of each term among clustered articles, and how many were clustered."""
        ...

    def story_candidates(self, keys: Sequence[str], *, limit: int) -> list[StorySketch]:
        """Open stories indexed under any of ``keys``, most shared keys first, then lower id."""
        ...

    def story_sketch(self, story_id: int) -> StorySketch | None:
        """A story's sketch (following merges to the story that absorbed it)."""
        ...

    def story_members(self, story_id: int) -> list[StoryMember]:
        """A story's members in arrival order."""
        ...

    def story_member(self, article_id: int) -> StoryMember | None:
        """One member (its vector), or None when unknown or dropped."""
        ...

    def story_id_of(self, article_id: int) -> int | None:
        """The id of an article's story (``Desk.story_of`` gives the Story itself)."""
        ...

    def new_story_id(self) -> int: ...

    def save_story_change(self, change: StoryChange) -> None:
        """Write what one arrival changed (frequencies, stories, index, members, decisions, closings)."""
        ...


class StoryStore(StoryBook, StoreBase, Protocol):
    """The stories as the front ends read them, besides the book the clustering keeps."""

    def story_ids_of(self, article_ids: Sequence[int]) -> dict[int, int]:
        """The story id of each of these articles that is in a story (one read for a page)."""
        ...

    def stories(
        self,
        *,
        since: datetime | None = None,
        category: str | None = None,
        limit: int | None = None,
        min_size: int = 1,
    ) -> list[Story]:
        """Stories (not merged away) last seen since ``since``, newest first."""
        ...

    def story_page(
        self,
        *,
        since: datetime | None = None,
        category: str | None = None,
        before: tuple[datetime | None, int] | None = None,
        limit: int = 20,
    ) -> list[Story]:
        """Stories (not merged away) by (last seen, id) newest first, starting after ``before``."""
        ...

    def story_categories(self, recent: int) -> list[str]:
        """The distinct categories of the ``recent`` stories with the newest last article."""
        ...

    def get_story(self, story_id: int) -> Story | None: ...

    def story_decisions(self, story_id: int | None = None) -> list[StoryDecision]: ...

    def story_assignments(self) -> dict[int, int]: ...

    def clear_stories(self) -> None:
        """Forget every story, membership, frequency and decision (before clustering again)."""
        ...


class UnderstandingStore(StoreBase, Protocol):
    """What the understand stage found in articles (``model.Understanding``): their entities,
    joined across articles by key into one entity each (``EntitySummary``: counts kept as articles
    are understood again, so the busiest entities are one indexed read), their figures, their
    quotes (searchable, and tied by ``statement`` to the first article that reported the same
    words), and the version each article was understood under (``reunderstand``)."""

    def save_understanding(
        self,
        article_id: int,
        understanding: Understanding,
        *,
        when: datetime,
        called_by: Mapping[str, str] | None = None,
    ) -> None:
        """Store an article's understanding in place of what it had (its entities' counts move with
        it). ``when``: the article's time (published, else first seen), for the entities' first and
        last seen. ``called_by``: the last word the article calls each of its full-name people by
        alone (entity key -> word; the Desk's surname rule decides it), kept with the article as
        the evidence ``people_by_last_word`` reads. Joins the unit of work open around it."""
        ...

    def understandings(self, article_ids: Sequence[int]) -> dict[int, Understanding]:
        """The stored understanding of each article that has one (one read for all of them)."""
        ...

    def not_understood(self, version: str, *, after: int = 0, limit: int = 1000) -> list[int]:
        """Up to ``limit`` ids above ``after``, ascending, of articles with no understanding or one
        made under another version than ``version``: what ``reunderstand`` has left to do."""
        ...

    def forget_understanding(self) -> None:
        """Drop every article's understanding, entities included (``reunderstand --all``)."""
        ...

    def set_category(self, article_id: int, category: str | None) -> None:
        """File an article under another category (its story's tally of categories follows)."""
        ...

    def entities(
        self,
        *,
        type: str | None = None,
        since: datetime | None = None,
        query: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[EntitySummary]:
        """Entities named in at least one article, the most named first (then by name): of a
        ``type`` (person, organisation, place, group), named by an article seen ``since``, whose name
        holds ``query`` (case and accents folded)."""
        ...

    def get_entity(self, entity_id: int) -> EntitySummary | None: ...

    def entity_of_key(self, key: str) -> EntitySummary | None:
        """The entity of a key (``person:joe biden``, an article's ``NamedEntity.key``): one
        indexed read, whatever its counts."""
        ...

    def people_by_last_word(self, word: str, *, limit: int = 20) -> list[EntitySummary]:
        """People named in at least one article whose name has two words or more, the last of
        them ``word`` as keys spell it (folded: the name of the key ``person:obama``), that some
        stored article calls by ``word`` alone (``newsdesk._surnames.surname_of``: "Barack Obama
        ... Obama said"), so ``barack obama`` for ``obama``. The most named first (then by key,
        byte order), up to ``limit``; indexed reads, whatever the number of entities."""
        ...

    def find_entities(self, name: str, *, limit: int = 10) -> list[EntitySummary]:
        """Entities a name may mean: its key's name equal to ``name`` folded first, then names that
        hold it; the most named first within each."""
        ...

    def entity_articles(self, entity_id: int, limit: int, *, offset: int = 0) -> list[StoredArticle]:
        """The articles naming an entity, newest first (published, else first seen)."""
        ...

    def quotes(
        self,
        *,
        speaker: int | None = None,
        query: str | None = None,
        article_ids: Sequence[int] | None = None,
        statements: bool = False,
        limit: int = 50,
        offset: int = 0,
    ) -> list[QuoteHit]:
        """Quotes, newest article first and in text order within one: of the entity ``speaker``,
        whose words match ``query`` (full-text, as article search reads a query), of the articles
        ``article_ids``. Each with the first article of the desk (published, else first seen; then
        id) to report the same statement, and how many of the desk's articles report it. With
        ``statements``, each statement once: the earliest of its reports that match (so its first
        report whenever that one matches), paged as statements."""
        ...


class Maintenance(StoreBase, Protocol):
    """The store as a whole: putting away what a run left, compaction, statistics, where the bytes
    go, articles a crash left unfinished, and integrity."""

    def settle(self) -> None:
        """Put away what the store keeps in a form made for a run of writes (the SQLite store's
        log of document frequencies): called at the end of every run that wrote articles, so a
        store at rest takes no more room than it needs. Changes nothing any read gives."""
        ...

    def compact(self) -> None:
        """Settle, then write the whole store again without the room older writes left unused
        (SQLite's VACUUM: a store converted from an older schema keeps the pages it no longer
        needs until then). Slow for a big store, and it needs that much free disk for a while."""
        ...

    def stats(self) -> StoreStats: ...

    def disk_usage(self) -> DiskUsage:
        """The bytes each table and index takes (reads the whole store: for a person who asks)."""
        ...

    def unfinished_articles(self) -> list[UnfinishedArticle]:
        """Articles without a fingerprint or without a story membership, by id (arrival order)."""
        ...

    def integrity_check(self) -> list[str]:
        """Problems PRAGMA integrity_check (and the FTS index check) found; empty when sound."""
        ...


@dataclass(frozen=True, slots=True)
class TransferTable:
    """One table of a desk as every backend exports and imports it (``Transfer``): its name and
    columns, in the order rows give their values."""

    name: str
    columns: tuple[str, ...]


#: Everything a desk holds, table by table, each after the tables its rows refer to. The values of
#: a row are plain Python: int, float, bool, str, bytes, None, and aware datetimes in UTC for the
#: times people read (the times of stories and members are POSIX seconds, floats, as clustering
#: keeps them). Texts are the texts themselves (however a backend stores them); a revision's text
#: is None when it is its article's current text; JSON columns are the JSON text as stored; packed
#: vectors and LSH key lists are the bytes of ``store/_vectors.py``. An entity's mentions and an
#: article's figures are JSON text (lists of ``[start, end, text]`` and of objects); ``direct`` is a
#: bool; ``at`` (an understanding's article time) is a datetime.
TRANSFER_TABLES: tuple[TransferTable, ...] = (
    TransferTable(
        "sources",
        (
            "id", "kind", "url", "name", "domain", "category", "added", "etag", "last_modified",
            "last_status", "errors_in_row", "next_due", "paused_reason", "last_fetched", "last_success",
            "first_success", "last_error", "last_new_article", "new_articles", "fetches", "not_modified",
            "ttl_seconds", "rate_per_day",
        ),
    ),
    TransferTable("source_credentials", ("source_id", "username", "password")),
    TransferTable(
        "articles",
        (
            "id", "canonical_url", "url", "source", "site_name", "title", "byline", "published", "updated",
            "fetched", "first_seen", "last_seen", "language", "section", "category", "tags", "source_links",
            "description", "notes", "text", "word_count", "content_hash", "revision", "entry_id", "origin",
        ),
    ),
    TransferTable(
        "article_revisions",
        (
            "id", "article_id", "revision", "content_hash", "title", "text", "published", "updated",
            "stored", "origin",
        ),
    ),
    TransferTable("article_urls", ("url", "article_id")),
    TransferTable("input_digests", ("digest", "extraction", "article_id", "reason", "detail", "url")),
    TransferTable("rejections", ("origin", "url", "reason", "detail", "seen")),
    TransferTable("entry_ids", ("source_id", "entry_id", "article_id")),
    TransferTable("page_fetches", ("url", "source_id", "status", "outcome", "detail", "attempts", "tried")),
    TransferTable("fingerprints", ("article_id", "exact", "words", "keys")),
    TransferTable("lsh_keys", ("key", "article_id")),
    TransferTable("copy_groups", ("article_id", "group_id", "original")),
    TransferTable("copies", ("copy_id", "original_id", "kind", "score", "evidence", "decided")),
    TransferTable("provenance_state", ("name", "value")),
    TransferTable(
        "stories",
        (
            "id", "title", "title_article", "first_seen", "last_seen", "size", "category", "open",
            "merged_into", "centroid", "word_norm", "name_norm", "sources", "categories",
        ),
    ),
    TransferTable("story_members", ("article_id", "story_id", "at", "joined", "score", "vector")),
    TransferTable("story_terms", ("term", "story_id")),
    TransferTable("story_df", ("term", "df")),
    TransferTable("story_counts", ("id", "docs")),
    TransferTable(
        "story_decisions",
        ("id", "kind", "story_id", "other_id", "articles", "score", "reason", "article_id", "decided"),
    ),
    TransferTable(
        "entities",
        ("id", "key", "name", "type", "articles", "mentions", "quotes", "first_seen", "last_seen"),
    ),
    TransferTable("article_entities", ("article_id", "entity_id", "seq", "name", "mentions", "last_word")),
    TransferTable(
        "article_quotes",
        (
            "id", "article_id", "seq", "speaker", "speaker_key", "speaker_entity", "speaker_mention",
            "speaker_start", "speaker_end", "cue", "cue_start", "cue_end", "text", "text_start",
            "text_end", "direct", "statement",
        ),
    ),
    TransferTable(
        "article_understanding",
        ("article_id", "version", "figures", "category_basis", "category_confidence", "at"),
    ),
)  # fmt: skip


class Transfer(StoreBase, Protocol):
    """A whole desk out of one store and into another, whatever their backends
    (``newsdesk copy-store``): every row of every table of ``TRANSFER_TABLES``, ids kept, in
    the neutral values that list describes. What the Protocols above read and write one record at
    a time (an article's revisions, a story's decisions) is not enough to move a desk: its
    revisions' times, its decisions' own ids, its input digests have no other way out."""

    def count_rows(self, table: str) -> int:
        """How many rows ``table`` (a name of ``TRANSFER_TABLES``) holds."""
        ...

    def export_rows(self, table: str) -> Iterator[tuple[Any, ...]]:
        """Every row of ``table``, in the order of its key, its values in its columns' order."""
        ...

    def import_rows(self, table: str, rows: Iterable[Sequence[Any]]) -> int:
        """Write rows (as ``export_rows`` gives them) into ``table`` of a store that holds none of
        them yet, keeping their ids; returns how many. Joins the unit of work open around it."""
        ...


@runtime_checkable
class Store(
    ArticleStore,
    SearchIndex,
    SourceStore,
    CopyIndex,
    StoryStore,
    UnderstandingStore,
    Maintenance,
    Transfer,
    Protocol,
):
    """Persistence for newsdesk: every domain's Protocol at once, what the ``Desk`` holds.

    A backend may be written one domain at a time against the Protocols above (each is checked
    by the contract suite, tests/store/test_store_contract.py); the Desk needs them all.
    """
