"""The embedded default store: one SQLite file in WAL mode, FTS5 for search.

Transactions are explicit (the connection runs in autocommit mode and every write method opens
``BEGIN IMMEDIATE``), so a process killed at any point leaves the file as it was before the item in
flight. The schema is the SQL in ``migrations/`` (with the data steps SQL cannot express), applied in
order and recorded in ``PRAGMA user_version``.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import re
import sqlite3
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ..exceptions import (
    ArticleNotFoundError,
    SchemaVersionError,
    SearchCancelledError,
    SearchQueryError,
    SearchStoppedError,
    SearchTimeoutError,
    StorageError,
)
from ..model import (
    Article,
    CopyEdge,
    CopyKind,
    Credentials,
    DecisionKind,
    IndexKeys,
    JoinKind,
    MissingPart,
    Outcome,
    PageOutcome,
    QueryBudget,
    Rejected,
    RejectReason,
    SearchFilters,
    SearchHit,
    SourceLink,
    SourceProvenance,
    StoredArticle,
    Story,
    StoryChange,
    StoryDecision,
    StoryMember,
    StorySketch,
    UnfinishedArticle,
)
from . import _texts, _vectors
from ._memo import StoryMemo
from ._snippets import SCAN_BYTES, Snippets, interrupted, marked_snippet
from .base import (
    DiskUsage,
    KnownInput,
    PageFetch,
    Revision,
    SourceFetch,
    StorageArea,
    StoredObject,
    StoredSource,
    StoreStats,
)
from .migrations import DATA_STEPS

#: Virtual-machine steps between two looks at a search's budget (about 0.1 ms of work; the look
#: itself costs under a microsecond).
_PROGRESS_STEPS = 1000

#: The word index's tokenizer (migration 0001 made articles_fts with it).
_TOKENIZE = "unicode61 remove_diacritics 2"

_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")


def _iso(dt: datetime | None) -> str | None:
    if dt is None:
        return None
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC).isoformat()


#: Most of the database file read through a memory map (SQLite caps it at its compile-time limit,
#: 2 GB in the usual builds).
_MMAP_BYTES = 4 << 30
#: Articles whose terms ``story_df_log`` holds before they are folded into ``story_df`` (see
#: migration 0011): a fold writes each distinct term once, where counting articles one by one wrote
#: nearly a page for each term.
_DF_FOLD = 1000


def _dt(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def content_hash(title: str, text: str) -> str:
    """Identity of a revision: whitespace-insensitive, so re-extraction noise is not an update."""
    norm = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


def _migrations() -> list[tuple[int, str, str]]:
    found = []
    for entry in resources.files("newsdesk.store.migrations").iterdir():
        m = _MIGRATION_NAME.match(entry.name)
        if m:
            found.append((int(m.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    return sorted(found)


def _statements(sql: str) -> list[str]:
    """The statements of a migration script, one by one (a trigger's body stays whole), so that
    they run inside a transaction this connection controls (``executescript`` commits first)."""
    out: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            out.append(buffer.strip())
            buffer = ""
    rest = [line for line in buffer.splitlines() if line.strip() and not line.strip().startswith("--")]
    if rest:
        raise sqlite3.OperationalError(f"incomplete statement at the end of the script: {rest[0]!r}")
    return out


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


def _quote_terms(query: str) -> str:
    """Turn free text into an FTS5 query of quoted terms, for input FTS5 syntax rejects."""
    terms = re.findall(r"\w+", query)
    return " ".join('"' + t + '"' for t in terms)


#: Characters of the scripts written without spaces between words (Thai, Lao, Myanmar, Khmer, kana,
#: Hangul, CJK ideographs): a query with any of them is searched by substrings in articles_cjk,
#: where migration 0008 indexes every article with one of them (the same blocks; a test checks).
_SUBSTRING_SCRIPTS = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f]"
)
#: Most trigrams a one- or two-character string of a substring search stands for (those in the
#: most articles first): bounds the query, at the price of the rarest continuations of one
#: character.
_MAX_EXPANSIONS = 1000
#: A "quoted string" or a run of non-spaces of a query.
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


def _fts_string(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


@dataclasses.dataclass(frozen=True, slots=True)
class _Match:
    """How a search asks the index: the FTS5 table and query; for a substring search the strings
    its snippets mark (None: snippets by FTS5, as the word index tokenizes) and the query without
    its operators (tried when FTS5 cannot parse the query)."""

    table: str
    query: str
    marks: tuple[str, ...] | None
    bare: str | None = None


_ARTICLE_COLUMNS = (
    "id, canonical_url, url, source, site_name, title, byline, published, updated, fetched, "
    "first_seen, last_seen, language, section, category, tags, source_links, description, notes, "
    "text, text_size, revision, entry_id, origin"
)


_SOURCE_COLUMNS = (
    "id, kind, url, name, domain, added, category, etag, last_modified, last_status, errors_in_row, "
    "next_due, paused_reason, last_fetched, last_success, first_success, last_error, last_new_article, "
    "new_articles, fetches, not_modified, ttl_seconds, rate_per_day"
)


def _row_to_source(r: sqlite3.Row) -> StoredSource:
    added = _dt(r["added"])
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
        next_due=_dt(r["next_due"]),
        paused_reason=r["paused_reason"],
        last_fetched=_dt(r["last_fetched"]),
        last_success=_dt(r["last_success"]),
        first_success=_dt(r["first_success"]),
        last_error=r["last_error"],
        last_new_article=_dt(r["last_new_article"]),
        new_articles=int(r["new_articles"] or 0),
        fetches=int(r["fetches"] or 0),
        not_modified=int(r["not_modified"] or 0),
        ttl_seconds=r["ttl_seconds"],
        rate_per_day=r["rate_per_day"],
    )


#: The area (see ``StorageArea``) of each table; an index is in its table's. The full-text
#: indexes' own tables are found by their prefix (``_area``).
_AREAS = {
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
}


#: What ``disk_usage`` calls the pages of the auto-vacuum pointer map.
_POINTER_MAP = "(pointer map)"


def _area(table: str) -> StorageArea:
    if table.startswith(("articles_fts", "articles_cjk")):
        return StorageArea.SEARCH
    if table.startswith("story_"):
        return StorageArea.STORIES
    return _AREAS.get(table, StorageArea.OTHER)


class SQLiteStore:
    """Store implementation over the standard library's sqlite3."""

    def __init__(self, path: str) -> None:
        self.path = path
        try:
            if path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            #: Transactions open on this connection: 0 outside any, 1 in one, more in savepoints.
            self._depth = 0
            self._db = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
            self._db.row_factory = sqlite3.Row
            _texts.register(self._db)  # the texts' triggers and view call sqlar_uncompress
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA busy_timeout = 5000")
            if path != ":memory:":
                # A new file gives its free pages back when the store settles (``settle``); an
                # older file ignores this (only VACUUM changes it there).
                self._db.execute("PRAGMA auto_vacuum = INCREMENTAL")
                self._db.execute("PRAGMA journal_mode = WAL")
                self._db.execute("PRAGMA synchronous = NORMAL")
                # Reads through the OS page cache without copying into SQLite's own: the LSH
                # lookup at 1M articles indexed drops from ~196 to ~137 us. Only address space;
                # a smaller file maps only what it has.
                self._db.execute(f"PRAGMA mmap_size = {_MMAP_BYTES}")
        except sqlite3.Error as e:
            raise StorageError(f"cannot open database {path}: {e}") from e
        except OSError as e:
            raise StorageError(f"cannot create the folder for database {path}: {e}") from e
        self._migrate()
        self._scratch: Snippets | None = None
        self._stories = StoryMemo()

    # -- plumbing ---------------------------------------------------------------------------

    @contextmanager
    def _errors(self, what: str) -> Iterator[None]:
        try:
            yield
        except sqlite3.Error as e:
            raise StorageError(f"{what} failed in {self.path}: {e}") from e

    @contextmanager
    def _transaction(self, what: str) -> Iterator[sqlite3.Connection]:
        """One write: its own transaction, or a savepoint inside the unit of work open on this
        connection (so that a write that fails is undone alone while the unit goes on)."""
        with self._errors(what):
            if self._depth:
                savepoint = f"w{self._depth}"
                self._db.execute(f"SAVEPOINT {savepoint}")
                self._depth += 1
                try:
                    yield self._db
                except BaseException:
                    self._stories.forget()  # it may hold what is being undone
                    self._db.execute(f"ROLLBACK TO {savepoint}")
                    self._db.execute(f"RELEASE {savepoint}")
                    raise
                finally:
                    self._depth -= 1
                self._db.execute(f"RELEASE {savepoint}")
                return
            self._db.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self._db
            except BaseException:
                self._stories.forget()
                self._db.execute("ROLLBACK")
                raise
            else:
                try:
                    self._db.execute("COMMIT")
                except BaseException:
                    self._stories.forget()
                    raise
            finally:
                self._depth = 0

    @contextmanager
    def transaction(self) -> Iterator[None]:
        with self._transaction("a unit of work"):
            yield

    def _migrate(self) -> None:
        with self._errors("reading the schema version"):
            current = self._db.execute("PRAGMA user_version").fetchone()[0]
        migrations = _migrations()
        latest = migrations[-1][0] if migrations else 0
        if current > latest:
            raise SchemaVersionError(
                f"{self.path} has schema version {current}, newer than this newsdesk knows "
                f"({latest}); upgrade newsdesk"
            )
        for number, name, sql in migrations:
            if number <= current:
                continue
            try:
                self._db.execute("BEGIN IMMEDIATE")
                try:
                    # Another process (a second web worker, an update beside a serve) may have
                    # applied it while this one waited for the lock: read the version again.
                    if self._db.execute("PRAGMA user_version").fetchone()[0] < number:
                        for statement in _statements(sql):
                            self._db.execute(statement)
                        step = DATA_STEPS.get(number)
                        if step is not None:
                            step(self._db)
                        self._db.execute(f"PRAGMA user_version = {number}")
                    self._db.execute("COMMIT")
                except BaseException:
                    if self._db.in_transaction:
                        self._db.execute("ROLLBACK")
                    raise
            except sqlite3.Error as e:
                raise StorageError(f"migration {name} failed on {self.path}: {e}") from e

    @property
    def schema_version(self) -> int:
        with self._errors("reading the schema version"):
            return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    def version(self) -> tuple[int, ...]:
        # data_version moves when another connection commits; total_changes counts this one's.
        with self._errors("reading the store's version"):
            return (self._db.execute("PRAGMA data_version").fetchone()[0], self._db.total_changes)

    def close(self) -> None:
        with self._errors("closing"):
            if self._scratch is not None:
                self._scratch.close()
            self._db.close()

    def _snippets(self) -> Snippets:
        """The in-memory table snippets are made in (created on the first search)."""
        if self._scratch is None:
            self._scratch = Snippets(_TOKENIZE)
        return self._scratch

    # -- articles ---------------------------------------------------------------------------

    def _find_id(self, db: sqlite3.Connection, urls: list[str]) -> int | None:
        for url in urls:
            row = db.execute("SELECT id FROM articles WHERE canonical_url = ?", (url,)).fetchone()
            if row:
                return int(row[0])
            row = db.execute("SELECT article_id FROM article_urls WHERE url = ?", (url,)).fetchone()
            if row:
                return int(row[0])
        return None

    def save_article(
        self, article: Article, *, seen: datetime, index: IndexKeys | None = None
    ) -> tuple[int, Outcome]:
        digest = content_hash(article.title, article.text)
        seen_iso = _iso(seen)
        text, text_size = _texts.pack_text(article.text)
        fields = {
            "url": article.url,
            "source": article.source,
            "site_name": article.site_name,
            "title": article.title,
            "byline": article.byline,
            "published": _iso(article.published),
            "updated": _iso(article.updated),
            "fetched": _iso(article.fetched),
            "language": article.language,
            "section": article.section,
            "category": article.category,
            "tags": json.dumps(list(article.tags), ensure_ascii=False),
            "source_links": json.dumps(
                [{"url": s.url, "label": s.label} for s in article.source_links], ensure_ascii=False
            ),
            "description": article.description,
            "notes": json.dumps(list(article.notes), ensure_ascii=False),
            "text": text,
            "text_size": text_size,
            "word_count": article.word_count,
            "content_hash": digest,
            "entry_id": article.entry_id,
            "origin": article.origin,
        }
        with self._transaction(f"storing {article.canonical_url}") as db:
            article_id = self._find_id(db, [article.canonical_url, article.url])
            if article_id is None:
                cols = ["canonical_url", "first_seen", "last_seen", *fields]
                vals = [article.canonical_url, seen_iso, seen_iso, *fields.values()]
                cur = db.execute(
                    f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                    vals,
                )
                article_id = int(cur.lastrowid or 0)
                self._add_revision(db, article_id, 1, digest, article, seen_iso, current=True)
                self._add_aliases(db, article_id, article)
                if index is not None:
                    self._write_index(db, article_id, index)
                return article_id, Outcome.NEW
            known = db.execute(
                "SELECT 1 FROM article_revisions WHERE article_id = ? AND content_hash = ?",
                (article_id, digest),
            ).fetchone()
            if known:
                return article_id, Outcome.UNCHANGED
            cur_row = db.execute(
                "SELECT revision, published, updated, first_seen FROM articles WHERE id = ?",
                (article_id,),
            ).fetchone()
            revision = (
                int(
                    db.execute(
                        "SELECT max(revision) FROM article_revisions WHERE article_id = ?", (article_id,)
                    ).fetchone()[0]
                )
                + 1
            )
            self._add_aliases(db, article_id, article)
            stored_time = cur_row["updated"] or cur_row["published"]
            new_time = fields["updated"] or fields["published"]
            if stored_time and new_time and new_time < stored_time:
                self._add_revision(db, article_id, revision, digest, article, seen_iso, current=False)
                return article_id, Outcome.OLDER
            # The text being replaced goes to its revision's row before the article takes the new
            # one (migration 0010: the current revision's text is the article's, stored once).
            db.execute(
                "UPDATE article_revisions SET (text, text_size) = "
                "(SELECT text, text_size FROM articles WHERE id = ?) "
                "WHERE article_id = ? AND text IS NULL",
                (article_id, article_id),
            )
            self._add_revision(db, article_id, revision, digest, article, seen_iso, current=True)
            sets = ", ".join(f"{c} = ?" for c in fields)
            db.execute(
                f"UPDATE articles SET {sets}, revision = ?, last_seen = ? WHERE id = ?",
                [*fields.values(), revision, seen_iso, article_id],
            )
            if index is not None:
                self._write_index(db, article_id, index)
            return article_id, Outcome.UPDATED

    @staticmethod
    def _add_revision(
        db: sqlite3.Connection,
        article_id: int,
        revision: int,
        digest: str,
        article: Article,
        seen: str | None,
        *,
        current: bool,
    ) -> None:
        """Record a revision; the ``current`` one without its text, which is the article's own."""
        text, text_size = (None, None) if current else _texts.pack_text(article.text)
        db.execute(
            "INSERT INTO article_revisions (article_id, revision, content_hash, title, text, text_size, "
            "published, updated, stored, origin) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                article_id,
                revision,
                digest,
                article.title,
                text,
                text_size,
                _iso(article.published),
                _iso(article.updated),
                seen,
                article.origin,
            ),
        )

    @staticmethod
    def _add_aliases(db: sqlite3.Connection, article_id: int, article: Article) -> None:
        if article.url != article.canonical_url:
            db.execute(
                "INSERT OR IGNORE INTO article_urls (url, article_id) VALUES (?, ?)",
                (article.url, article_id),
            )

    def _row_to_stored(self, row: sqlite3.Row, revisions: int | None = None) -> StoredArticle:
        article = Article(
            url=row["url"],
            canonical_url=row["canonical_url"],
            title=row["title"],
            text=_texts.unpack_text(row["text"], row["text_size"]),
            source=row["source"],
            site_name=row["site_name"],
            byline=row["byline"],
            published=_dt(row["published"]),
            updated=_dt(row["updated"]),
            fetched=_dt(row["fetched"]),
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
        first_seen = _dt(row["first_seen"])
        last_seen = _dt(row["last_seen"])
        assert first_seen is not None and last_seen is not None
        return StoredArticle(
            id=int(row["id"]),
            article=article,
            first_seen=first_seen,
            last_seen=last_seen,
            revisions=int(row["revision"]) if revisions is None else revisions,
        )

    def get_article(self, article_id: int) -> StoredArticle:
        with self._errors(f"reading article {article_id}"):
            row = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if row is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            count = self._db.execute(
                "SELECT count(*) FROM article_revisions WHERE article_id = ?", (article_id,)
            ).fetchone()[0]
        return self._row_to_stored(row, int(count))

    def find_article(self, url: str) -> StoredArticle | None:
        with self._errors(f"looking up {url}"):
            article_id = self._find_id(self._db, [url])
        return None if article_id is None else self.get_article(article_id)

    def revisions(self, article_id: int) -> list[Revision]:
        with self._errors(f"reading revisions of article {article_id}"):
            current = self._db.execute(
                "SELECT content_hash FROM articles WHERE id = ?", (article_id,)
            ).fetchone()
            if current is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            # A revision without a text of its own has the article's current text (migration 0010).
            rows = self._db.execute(
                "SELECT r.revision, r.content_hash, r.title, coalesce(r.text, a.text) AS text, "
                "CASE WHEN r.text IS NULL THEN a.text_size ELSE r.text_size END AS text_size, "
                "r.published, r.updated, r.stored, r.origin "
                "FROM article_revisions r JOIN articles a ON a.id = r.article_id "
                "WHERE r.article_id = ? ORDER BY r.revision",
                (article_id,),
            ).fetchall()
        out = []
        for r in rows:
            stored = _dt(r["stored"])
            assert stored is not None
            out.append(
                Revision(
                    revision=int(r["revision"]),
                    title=r["title"],
                    text=_texts.unpack_text(r["text"], r["text_size"]),
                    published=_dt(r["published"]),
                    updated=_dt(r["updated"]),
                    stored=stored,
                    origin=r["origin"],
                    current=r["content_hash"] == current[0],
                )
            )
        return out

    @staticmethod
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

    def _page(
        self,
        what: str,
        filters: SearchFilters | None,
        extra: str,
        extra_params: list[Any],
        limit: int,
    ) -> list[StoredArticle]:
        """The ``limit`` newest articles that pass ``filters`` and the SQL condition ``extra``.

        Why not one WHERE: a source or a category filter is an OR of spellings (see
        ``_source_spellings``), which SQLite answers either by reading every article newest first until a
        page matches (the whole table for a rare source) or by collecting every match and sorting
        (a whole big source). So the filter that narrows most (the source, else the category) is
        read one spelling at a time, each down its own index in time order and stopping after a
        page; the pages are merged and cut again. The other filters apply inside each read."""
        order = "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC"
        if filters is not None and filters.source:
            terms, values = _source_spellings(filters.source)
            rest = dataclasses.replace(filters, source=None)
        elif filters is not None and filters.category:
            terms, values = _category_spellings(filters.category)
            rest = dataclasses.replace(filters, category=None)
        else:
            where, params = self._where(filters)
            with self._errors(what):
                rows = self._db.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {where}{extra} {order} LIMIT ?",
                    [*params, *extra_params, limit],
                ).fetchall()
            return [self._row_to_stored(r) for r in rows]
        where, params = self._where(rest)
        branches: list[str] = []
        branch_params: list[Any] = []
        for term, value in zip(terms, values, strict=True):
            branches.append(
                f"SELECT id FROM (SELECT a.id FROM articles a WHERE {term.format(a='a')} AND {where}{extra} "
                f"{order} LIMIT ?)"
            )
            branch_params += [value, *params, *extra_params, limit]
        with self._errors(what):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id IN ({' UNION '.join(branches)}) "
                f"{order} LIMIT ?",
                [*branch_params, limit],
            ).fetchall()
        return [self._row_to_stored(r) for r in rows]

    def latest(
        self, limit: int, filters: SearchFilters | None = None, *, originals: bool = False
    ) -> list[StoredArticle]:
        extra = " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.copy_id = a.id)" if originals else ""
        return self._page("listing the latest articles", filters, extra, [], limit)

    def latest_of_source(self, name: str, limit: int, *, offset: int = 0) -> list[StoredArticle]:
        with self._errors(f"listing the latest articles of {name!r}"):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.source = ? "
                "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC LIMIT ? OFFSET ?",
                (name, limit, offset),
            ).fetchall()
        return [self._row_to_stored(r) for r in rows]

    def latest_of_category(
        self, category: str, limit: int, *, originals: bool = False
    ) -> list[StoredArticle]:
        # articles_category_time gives the order: a walk down the index, no sort.
        own = " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.copy_id = a.id)" if originals else ""
        with self._errors(f"listing the latest articles in {category!r}"):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.category = ?{own} "
                "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC LIMIT ?",
                (category, limit),
            ).fetchall()
        return [self._row_to_stored(r) for r in rows]

    def latest_of_story(self, story_id: int, limit: int) -> list[StoredArticle]:
        with self._errors(f"listing the latest articles of story {story_id}"):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM story_members m JOIN articles a ON a.id = m.article_id "
                "WHERE m.story_id = ? ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC LIMIT ?",
                (story_id, limit),
            ).fetchall()
        return [self._row_to_stored(r) for r in rows]

    def iter_articles(self, filters: SearchFilters | None = None) -> Iterator[StoredArticle]:
        where, params = self._where(filters)
        last_id = 0
        while True:  # keyset pages: no long-lived cursor holding a read snapshot open
            with self._errors("reading articles"):
                rows = self._db.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {where} AND a.id > ? "
                    "ORDER BY a.id LIMIT 500",
                    [*params, last_id],
                ).fetchall()
            if not rows:
                return
            for r in rows:
                yield self._row_to_stored(r)
            last_id = int(rows[-1]["id"])

    def article_page(
        self,
        filters: SearchFilters | None = None,
        *,
        before: tuple[datetime, int] | None = None,
        limit: int = 20,
        originals: bool = False,
    ) -> list[StoredArticle]:
        extra = " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.copy_id = a.id)" if originals else ""
        params: list[Any] = []
        if before is not None:
            # Keyset: the row value comparison walks the time index from the cursor.
            extra += (
                " AND coalesce(a.published, a.first_seen) <= ?"
                " AND (coalesce(a.published, a.first_seen), a.id) < (?, ?)"
            )
            params += [_iso(before[0]), _iso(before[0]), before[1]]
        return self._page("listing a page of articles", filters, extra, params, limit)

    @contextmanager
    def _budgeted(self, budget: QueryBudget | None, query: str) -> Iterator[None]:
        """Run a search within ``budget``: SQLite calls a handler every ``_PROGRESS_STEPS``
        virtual-machine steps on both connections a search uses, and the handler stops the
        statement once the time is up or the caller has cancelled. Every step of a search is
        either such a statement or bounded work (a snippet's chunk), so it stops within
        milliseconds."""
        if budget is None or (budget.seconds is None and budget.cancelled is None):
            yield
            return
        started = time.monotonic()
        deadline = None if budget.seconds is None else started + budget.seconds
        cancelled = budget.cancelled
        why: list[type[SearchStoppedError]] = []

        def handler() -> int:
            if not why:
                if cancelled is not None and cancelled():
                    why.append(SearchCancelledError)
                elif deadline is not None and time.monotonic() > deadline:
                    why.append(SearchTimeoutError)
            return 1 if why else 0

        connections = [self._db, self._snippets().connection]
        for db in connections:
            db.set_progress_handler(handler, _PROGRESS_STEPS)
        try:
            yield
        except (sqlite3.Error, StorageError) as e:
            if not why:
                raise
            ran = time.monotonic() - started
            if why[0] is SearchCancelledError:
                raise SearchCancelledError(
                    f"the search for {query!r} was cancelled after {ran:.1f} s", seconds=ran
                ) from e
            raise SearchTimeoutError(
                f"the search for {query!r} took more than {budget.seconds:g} s (the search_timeout "
                "setting) and was stopped; search for rarer words, or narrow it with a filter",
                seconds=ran,
            ) from e
        finally:
            for db in connections:
                db.set_progress_handler(None, 0)

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
        with self._budgeted(budget, query):
            return self._search(query, filters, limit, offset, originals, window)

    def _search(
        self,
        query: str,
        filters: SearchFilters | None,
        limit: int,
        offset: int,
        originals: bool,
        window: int | None,
    ) -> list[SearchHit]:
        if not query.strip():
            raise SearchQueryError("empty search query")
        where, params = self._where(filters)
        if originals:
            where += " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.copy_id = a.id)"
        with self._errors("search"):
            match = self._match(query)
        try:
            ranked = self._rank(match, where, params, limit, offset, window)
        except sqlite3.OperationalError as e:
            if interrupted(e):
                raise
            # Not FTS5 syntax (an unbalanced quote, a stray operator): search the words themselves.
            match = self._fallback(match, query)
            with self._errors("search"):
                ranked = self._rank(match, where, params, limit, offset, window)
        except sqlite3.Error as e:
            raise StorageError(f"search failed in {self.path}: {e}") from e
        if not ranked:
            return []
        # Phase 2: rows and snippets for the page only, each snippet from a bounded part of its
        # article (see _snippets: FTS5's snippet() over a whole column grows with the square of
        # the matches in it).
        ids = [i for i, _ in ranked]
        marks = ",".join("?" * len(ids))
        with self._errors("reading search results"):
            rows = {
                int(r["id"]): r
                for r in self._db.execute(
                    "SELECT id, url, title, source, site_name, published, section, category, language "
                    f"FROM articles WHERE id IN ({marks})",
                    ids,
                )
            }
            texts = {i: (r["title"], *self._text_head(i)) for i, r in rows.items()}
        if match.marks is None:
            with self._errors("making snippets"):
                snippets = self._snippets().make(match.query, texts)
        else:
            snippets = {i: marked_snippet(head, match.marks, whole) for i, (_t, head, whole) in texts.items()}
        return [
            SearchHit(
                id=i,
                url=r["url"],
                title=r["title"],
                source=r["source"] or r["site_name"],
                published=_dt(r["published"]),
                section=r["category"] or r["section"],
                language=r["language"],
                snippet=snippets[i],
                rank=rank,
            )
            for i, rank in ranked
            if (r := rows.get(i)) is not None
        ]

    def _text_head(self, article_id: int) -> tuple[str, bool]:
        """The first SCAN_BYTES of an article's text, and whether that is all of it: read through
        incremental blob I/O, because substr() would load a huge value whole first, and inflated
        no further than that (``_texts.head``)."""
        row = self._db.execute("SELECT text_size FROM articles WHERE id = ?", (article_id,)).fetchone()
        size = None if row is None else row[0]
        with self._db.blobopen("articles", "text", article_id, readonly=True) as blob:
            stored = len(blob)
            data = _texts.head(blob.read, stored, size, SCAN_BYTES)
            whole = (size if size else stored) <= SCAN_BYTES
        return data.decode("utf-8", errors="ignore"), whole

    def _match(self, query: str) -> _Match:
        """How the index is asked for ``query``: by words (articles_fts), or, when the query has a
        character of a script written without spaces, by substrings (articles_cjk): each string
        of three or more characters as itself, a shorter one as any of the (at most
        ``_MAX_EXPANSIONS`` most common) trigrams that start with it. AND, OR, NOT and "quoted
        strings" work in both."""
        if not _SUBSTRING_SCRIPTS.search(query):
            return _Match("articles_fts", query, None)
        parts: list[str] = []
        bare: list[str] = []
        marks: list[str] = []
        negated = False
        for m in _QUERY_PART.finditer(query):
            phrase, word = m.groups()
            if phrase is None and word in ("AND", "OR", "NOT"):
                parts.append(word)
                negated = word == "NOT"
                continue
            text = phrase if phrase is not None else word.strip('*^()"')
            if not text:
                continue
            if len(text) >= 3:
                term = _fts_string(text)
            else:
                found = self._db.execute(
                    "SELECT term FROM articles_cjk_terms WHERE term >= ? AND term < ? "
                    "ORDER BY doc DESC, term LIMIT ?",
                    (text.lower(), text.lower() + "\U0010ffff", _MAX_EXPANSIONS),
                ).fetchall()
                term = "(" + " OR ".join(_fts_string(t) for (t,) in found) + ")" if found else '""'
            if parts and parts[-1] not in ("AND", "OR", "NOT"):
                parts.append("AND")  # FTS5 takes no implicit AND before a parenthesis
            parts.append(term)
            bare.append(term)
            if not negated:
                marks.append(text)
            negated = False
        if not bare:
            raise SearchQueryError(f"cannot search for {query!r}: nothing to look for")
        return _Match("articles_cjk", " ".join(parts), tuple(marks), " AND ".join(bare))

    @staticmethod
    def _fallback(match: _Match, query: str) -> _Match:
        """The query to try when FTS5 cannot parse ``match.query``: its words, all required."""
        if match.marks is not None and match.bare is not None:
            return dataclasses.replace(match, query=match.bare)
        quoted = _quote_terms(query)
        if not quoted:
            raise SearchQueryError(f"cannot search for {query!r}: no words to look for") from None
        return dataclasses.replace(match, query=quoted)

    def _rank(
        self, match: _Match, where: str, params: list[Any], limit: int, offset: int, window: int | None
    ) -> list[tuple[int, float]]:
        """Phase 1 of a search: (id, bm25 rank) of one page of matches, best first.

        Without filters the full-text index alone answers (no read of article rows), and
        ``window`` ranks only the ``window`` latest arrivals among the matches (found in the
        index's rowid order, which costs little), so a word in every article does not mean scoring
        every article. With filters every match is ranked: a window would drop the older matches
        a filter (a date range, a small source) asks for."""
        fts = match.table
        filtered = where != "1"
        base = (
            f"FROM {fts} JOIN articles a ON a.id = {fts}.rowid WHERE {fts} MATCH ? AND {where}"
            if filtered
            else f"FROM {fts} WHERE {fts} MATCH ?"
        )
        args: list[Any] = [match.query, *params] if filtered else [match.query]
        if window is not None and not filtered:
            edge = self._db.execute(
                f"SELECT {fts}.rowid {base} ORDER BY {fts}.rowid DESC LIMIT 1 OFFSET ?",
                [*args, max(window, 1) - 1],
            ).fetchone()
            if edge is not None:
                base += f" AND {fts}.rowid >= ?"
                args.append(edge[0])
        rows = self._db.execute(
            f"SELECT {fts}.rowid, bm25({fts}, 5.0, 1.0) AS rank {base} ORDER BY rank LIMIT ? OFFSET ?",
            [*args, limit, offset],
        ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def search_latest(
        self,
        query: str,
        filters: SearchFilters | None = None,
        *,
        limit: int = 50,
        budget: QueryBudget | None = None,
    ) -> list[StoredArticle]:
        with self._budgeted(budget, query):
            return self._search_latest(query, filters, limit)

    def _search_latest(self, query: str, filters: SearchFilters | None, limit: int) -> list[StoredArticle]:
        if not query.strip():
            raise SearchQueryError("empty search query")
        where, params = self._where(filters)
        with self._errors("search"):
            match = self._match(query)
        # The latest arrivals (FTS5 walks its doclists backwards by rowid and stops after
        # ``limit``: no sort of every match, however common the words), then the chosen rows.
        fts = match.table
        sql = (
            f"SELECT a.id FROM {fts} JOIN articles a ON a.id = {fts}.rowid "
            f"WHERE {fts} MATCH ? AND {where} ORDER BY {fts}.rowid DESC LIMIT ?"
        )
        try:
            ids = [r[0] for r in self._db.execute(sql, [match.query, *params, limit]).fetchall()]
        except sqlite3.OperationalError as e:
            if interrupted(e):
                raise
            match = self._fallback(match, query)
            with self._errors("search"):
                ids = [r[0] for r in self._db.execute(sql, [match.query, *params, limit]).fetchall()]
        except sqlite3.Error as e:
            raise StorageError(f"search failed in {self.path}: {e}") from e
        if not ids:
            return []
        with self._errors("reading found articles"):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles WHERE id IN ({','.join('?' * len(ids))})", ids
            ).fetchall()
        found = [self._row_to_stored(r) for r in rows]
        found.sort(key=lambda s: (s.article.published or s.first_seen, s.id), reverse=True)
        return found

    # -- inputs already stored (migration 0010) -----------------------------------------------

    def known_inputs(self, pairs: Sequence[tuple[bytes, bytes]]) -> list[KnownInput | None]:
        out: list[KnownInput | None] = []
        with self._errors("looking up inputs already stored"):
            for digest, extraction in pairs:
                # The join: a row whose article is gone (deleted by a client that left foreign
                # keys off, so nothing cascaded) is ignored.
                row = self._db.execute(
                    "SELECT d.article_id, d.reason, d.detail, d.url FROM input_digests d "
                    "LEFT JOIN articles a ON a.id = d.article_id "
                    "WHERE d.digest = ? AND d.extraction = ? AND (d.article_id IS NULL OR a.id IS NOT NULL)",
                    (digest, extraction),
                ).fetchone()
                if row is None:
                    out.append(None)
                elif row["article_id"] is not None:
                    out.append(KnownInput(int(row["article_id"])))
                else:
                    out.append(KnownInput(None, RejectReason(row["reason"]), row["detail"], row["url"]))
        return out

    def save_input(
        self,
        digest: bytes,
        extraction: bytes,
        *,
        article_id: int | None = None,
        rejected: Rejected | None = None,
    ) -> None:
        if (article_id is None) == (rejected is None):
            raise ValueError("an input becomes an article or a rejection")
        reason, detail, url = (
            (rejected.reason.value, rejected.detail, rejected.url) if rejected else (None, None, None)
        )
        with self._transaction("remembering an input") as db:
            db.execute(
                "INSERT OR REPLACE INTO input_digests (digest, extraction, article_id, reason, detail, url) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (digest, extraction, article_id, reason, detail, url),
            )

    # -- rejections and sources ---------------------------------------------------------------

    def record_rejection(self, rejected: Rejected, *, seen: datetime) -> None:
        with self._transaction(f"recording rejection of {rejected.origin}") as db:
            db.execute(
                "INSERT INTO rejections (origin, url, reason, detail, seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (origin) DO UPDATE SET url = excluded.url, reason = excluded.reason, "
                "detail = excluded.detail WHERE reason != excluded.reason "
                "OR detail != excluded.detail",
                (rejected.origin, rejected.url, rejected.reason.value, rejected.detail, _iso(seen)),
            )

    def rejections(self) -> list[Rejected]:
        with self._errors("reading rejections"):
            rows = self._db.execute(
                "SELECT origin, url, reason, detail FROM rejections ORDER BY origin"
            ).fetchall()
        return [
            Rejected(origin=r["origin"], url=r["url"], reason=RejectReason(r["reason"]), detail=r["detail"])
            for r in rows
        ]

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
        from ..urls import domain_of, redact_url

        with self._transaction(f"adding source {redact_url(url)}") as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO sources (kind, url, name, domain, added, category) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, url, name, domain_of(url), _iso(added), category),
            )
            if credentials is not None:
                db.execute(
                    "INSERT INTO source_credentials (source_id, username, password) "
                    "SELECT id, ?, ? FROM sources WHERE url = ? ON CONFLICT (source_id) DO UPDATE "
                    "SET username = excluded.username, password = excluded.password",
                    (credentials.username, credentials.password, url),
                )
            return cur.rowcount > 0

    def source_credentials(self, source_id: int) -> Credentials | None:
        with self._errors(f"reading the credentials of source {source_id}"):
            row = self._db.execute(
                "SELECT username, password FROM source_credentials WHERE source_id = ?", (source_id,)
            ).fetchone()
        return Credentials(row["username"], row["password"]) if row else None

    def sources(self) -> list[StoredSource]:
        with self._errors("listing sources"):
            rows = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY id").fetchall()
        return [_row_to_source(r) for r in rows]

    # -- fetching -------------------------------------------------------------------------------

    def get_source(self, source_id: int) -> StoredSource | None:
        with self._errors(f"reading source {source_id}"):
            row = self._db.execute(
                f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,)
            ).fetchone()
        return _row_to_source(row) if row else None

    def find_source(self, url: str) -> StoredSource | None:
        with self._errors(f"looking up source {url}"):
            row = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE url = ?", (url,)).fetchone()
        return _row_to_source(row) if row else None

    def due_sources(self, now: datetime, kinds: Sequence[str]) -> list[StoredSource]:
        marks = ",".join("?" * len(kinds))
        with self._errors("listing due sources"):
            rows = self._db.execute(
                f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE paused_reason IS NULL "
                f"AND kind IN ({marks}) AND (next_due IS NULL OR next_due <= ?) "
                "ORDER BY next_due IS NOT NULL, next_due, id",
                [*kinds, _iso(now)],
            ).fetchall()
        return [_row_to_source(r) for r in rows]

    def next_due(self, kinds: Sequence[str]) -> datetime | None:
        marks = ",".join("?" * len(kinds))
        with self._errors("reading the next due time"):
            row = self._db.execute(
                f"SELECT min(coalesce(next_due, '')) FROM sources WHERE paused_reason IS NULL "
                f"AND kind IN ({marks})",
                list(kinds),
            ).fetchone()
        if row is None or row[0] is None:
            return None
        return _dt(row[0]) if row[0] else datetime.min.replace(tzinfo=UTC)

    def record_source_fetch(self, source_id: int, fetch: SourceFetch) -> None:
        fetched = _iso(fetch.fetched)
        with self._transaction(f"recording a fetch of source {source_id}") as db:
            db.execute(
                "UPDATE sources SET last_fetched = ?, last_status = ?, next_due = ?, "
                "errors_in_row = ?, paused_reason = ?, fetches = fetches + 1, "
                "not_modified = not_modified + ?, "
                "last_error = CASE WHEN ? IS NOT NULL THEN ? ELSE last_error END, "
                "last_success = CASE WHEN ? THEN ? ELSE last_success END, "
                "first_success = CASE WHEN ? AND first_success IS NULL THEN ? ELSE first_success END, "
                "etag = CASE WHEN ? THEN ? ELSE etag END, "
                "last_modified = CASE WHEN ? THEN ? ELSE last_modified END, "
                "new_articles = new_articles + ?, "
                "last_new_article = CASE WHEN ? > 0 THEN ? ELSE last_new_article END, "
                "ttl_seconds = CASE WHEN ? THEN ? ELSE ttl_seconds END, "
                "rate_per_day = coalesce(?, rate_per_day) "
                "WHERE id = ?",
                (
                    fetched,
                    fetch.status,
                    _iso(fetch.next_due),
                    fetch.errors_in_row,
                    fetch.paused_reason,
                    int(fetch.not_modified),
                    fetch.error,
                    fetch.error,
                    fetch.ok,
                    fetched,
                    fetch.ok,
                    fetched,
                    fetch.ok and not fetch.not_modified,
                    fetch.etag,
                    fetch.ok and not fetch.not_modified,
                    fetch.last_modified,
                    fetch.new_articles,
                    fetch.new_articles,
                    fetched,
                    fetch.ok,
                    fetch.ttl_seconds,
                    fetch.rate_per_day,
                    source_id,
                ),
            )

    def move_source(self, source_id: int, url: str, *, keep_credentials: bool = True) -> bool:
        from ..urls import domain_of, redact_url

        with self._transaction(f"moving source {source_id} to {redact_url(url)}") as db:
            taken = db.execute(
                "SELECT id FROM sources WHERE url = ? AND id != ?", (url, source_id)
            ).fetchone()
            if taken:
                return False
            db.execute(
                "UPDATE sources SET url = ?, domain = ?, etag = NULL, last_modified = NULL WHERE id = ?",
                (url, domain_of(url), source_id),
            )
            if not keep_credentials:
                db.execute("DELETE FROM source_credentials WHERE source_id = ?", (source_id,))
            return True

    def remove_source(self, source_id: int) -> bool:
        with self._transaction(f"removing source {source_id}") as db:
            return db.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount > 0

    def set_source_paused(self, source_id: int, reason: str | None, *, now: datetime) -> None:
        with self._transaction(f"pausing source {source_id}") as db:
            if reason is None:
                db.execute(
                    "UPDATE sources SET paused_reason = NULL, errors_in_row = 0, next_due = ? WHERE id = ?",
                    (_iso(now), source_id),
                )
            else:
                db.execute("UPDATE sources SET paused_reason = ? WHERE id = ?", (reason, source_id))

    def entry_article(self, source_id: int, entry_id: str) -> int | None:
        with self._errors("looking up an entry id"):
            row = self._db.execute(
                "SELECT article_id FROM entry_ids WHERE source_id = ? AND entry_id = ?", (source_id, entry_id)
            ).fetchone()
        return int(row[0]) if row else None

    def save_entry_ids(self, source_id: int, pairs: Sequence[tuple[str, int]]) -> None:
        if not pairs:
            return
        with self._transaction(f"recording entry ids of source {source_id}") as db:
            db.executemany(
                "INSERT INTO entry_ids (source_id, entry_id, article_id) VALUES (?, ?, ?) "
                "ON CONFLICT (source_id, entry_id) DO UPDATE SET article_id = excluded.article_id",
                ((source_id, entry_id, article_id) for entry_id, article_id in pairs),
            )

    def add_article_url(self, article_id: int, url: str) -> bool:
        with self._transaction(f"adding a URL to article {article_id}") as db:
            if self._find_id(db, [url]) is not None:
                return False
            db.execute("INSERT INTO article_urls (url, article_id) VALUES (?, ?)", (url, article_id))
            return True

    def article_id_for(self, url: str) -> int | None:
        with self._errors(f"looking up {url}"):
            return self._find_id(self._db, [url])

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self._errors("looking up known URLs"):
            for start in range(0, len(urls), 500):
                chunk = list(urls[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for (u,) in self._db.execute(
                    f"SELECT canonical_url FROM articles WHERE canonical_url IN ({marks}) "
                    f"UNION SELECT url FROM article_urls WHERE url IN ({marks})",
                    [*chunk, *chunk],
                ):
                    found.add(u)
        return found

    def page_fetch(self, url: str) -> PageFetch | None:
        with self._errors(f"looking up the fetch of {url}"):
            r = self._db.execute(
                "SELECT url, status, outcome, detail, attempts, tried FROM page_fetches WHERE url = ?", (url,)
            ).fetchone()
        if r is None:
            return None
        tried = _dt(r["tried"])
        assert tried is not None
        return PageFetch(
            r["url"], r["status"], PageOutcome(r["outcome"]), r["detail"], int(r["attempts"]), tried
        )

    def record_page_fetch(
        self,
        url: str,
        *,
        source_id: int | None,
        status: int | None,
        outcome: str,
        detail: str | None,
        tried: datetime,
    ) -> None:
        with self._transaction(f"recording the fetch of {url}") as db:
            db.execute(
                "INSERT INTO page_fetches (url, source_id, status, outcome, detail, attempts, tried) "
                "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (url) DO UPDATE SET "
                "source_id = excluded.source_id, status = excluded.status, outcome = excluded.outcome, "
                "detail = excluded.detail, attempts = attempts + 1, tried = excluded.tried",
                (url, source_id, status, outcome, detail, _iso(tried)),
            )
            if outcome == "stored":
                db.execute("DELETE FROM rejections WHERE origin = ? AND reason = 'fetch-failed'", (url,))

    # -- provenance -------------------------------------------------------------------------------

    def save_fingerprint(self, article_id: int, index: IndexKeys) -> None:
        with self._transaction(f"fingerprinting article {article_id}") as db:
            self._write_index(db, article_id, index)

    @staticmethod
    def _write_index(db: sqlite3.Connection, article_id: int, index: IndexKeys) -> None:
        """The article's fingerprint and LSH keys, its old keys (listed in its fingerprint: see
        migration 0013) removed first."""
        old = db.execute("SELECT keys FROM fingerprints WHERE article_id = ?", (article_id,)).fetchone()
        if old is not None and old[0] is None:
            db.execute("DELETE FROM lsh_keys WHERE article_id = ?", (article_id,))  # a scan: not listed
        elif old is not None:
            db.executemany(
                "DELETE FROM lsh_keys WHERE key = ? AND article_id = ?",
                ((k, article_id) for k in _vectors.unpack_keys(old[0])),
            )
        db.execute(
            "INSERT INTO fingerprints (article_id, exact, words, keys) VALUES (?, ?, ?, ?) "
            "ON CONFLICT (article_id) DO UPDATE SET exact = excluded.exact, words = excluded.words, "
            "keys = excluded.keys",
            (article_id, index.exact, index.words, _vectors.pack_keys(index.keys)),
        )
        db.executemany(
            "INSERT OR IGNORE INTO lsh_keys (key, article_id) VALUES (?, ?)",
            ((k, article_id) for k in index.keys),
        )

    def candidates(self, exact: str, keys: Sequence[int], *, exclude: int, limit: int) -> list[int]:
        with self._errors("looking up copy candidates"):
            found: dict[int, int] = {}
            for (aid,) in self._db.execute(
                "SELECT article_id FROM fingerprints WHERE exact = ? AND article_id != ?", (exact, exclude)
            ):
                found[int(aid)] = 1_000_000
            for start in range(0, len(keys), 500):
                chunk = list(keys[start : start + 500])
                marks = ",".join("?" * len(chunk))
                for aid, n in self._db.execute(
                    f"SELECT article_id, count(*) FROM lsh_keys WHERE key IN ({marks}) "
                    "AND article_id != ? GROUP BY article_id",
                    [*chunk, exclude],
                ):
                    found[int(aid)] = found.get(int(aid), 0) + int(n)
        ranked = sorted(found, key=lambda a: (-found[a], a))
        return ranked[:limit]

    def copy_group(self, article_id: int) -> list[int]:
        with self._errors(f"reading the copy group of {article_id}"):
            rows = self._db.execute(
                "SELECT article_id FROM copy_groups WHERE group_id = "
                "(SELECT group_id FROM copy_groups WHERE article_id = ?) ORDER BY article_id",
                (article_id,),
            ).fetchall()
        return [int(r[0]) for r in rows]

    def save_copy_group(self, members: Sequence[int], original: int, edges: Sequence[CopyEdge]) -> None:
        group_id = min(members)
        with self._transaction(f"recording the copy group of {original}") as db:
            marks = ",".join("?" * len(members))
            db.execute(f"DELETE FROM copies WHERE copy_id IN ({marks})", list(members))
            db.executemany(
                "INSERT INTO copy_groups (article_id, group_id, original) VALUES (?, ?, ?) "
                "ON CONFLICT (article_id) DO UPDATE SET group_id = excluded.group_id, "
                "original = excluded.original",
                ((m, group_id, original) for m in members),
            )
            db.executemany(
                "INSERT INTO copies (copy_id, original_id, kind, score, evidence, decided) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (
                        e.copy_id,
                        e.original_id,
                        e.kind.value,
                        e.score,
                        json.dumps(e.evidence, ensure_ascii=False, sort_keys=True),
                        _iso(e.decided),
                    )
                    for e in edges
                ),
            )

    def copy_edges(self, *, original_id: int | None = None, copy_id: int | None = None) -> list[CopyEdge]:
        where, params = "1", []
        if original_id is not None:
            where, params = "original_id = ?", [original_id]
        elif copy_id is not None:
            where, params = "copy_id = ?", [copy_id]
        with self._errors("reading copy edges"):
            rows = self._db.execute(
                "SELECT copy_id, original_id, kind, score, evidence, decided FROM copies "
                f"WHERE {where} ORDER BY original_id, copy_id",
                params,
            ).fetchall()
        out = []
        for r in rows:
            decided = _dt(r["decided"])
            assert decided is not None
            out.append(
                CopyEdge(
                    int(r["copy_id"]),
                    int(r["original_id"]),
                    CopyKind(r["kind"]),
                    float(r["score"]),
                    json.loads(r["evidence"]),
                    decided,
                )
            )
        return out

    def copy_page(
        self,
        *,
        kind: str | None = None,
        source: str | None = None,
        after: int | None = None,
        limit: int = 20,
    ) -> list[CopyEdge]:
        where = ["c.copy_id > ?"]
        params: list[Any] = [after or 0]
        if kind is not None:
            where.append("c.kind = ?")
            params.append(kind)
        if source is not None:
            where.append(
                "EXISTS (SELECT 1 FROM articles a WHERE a.id IN (c.copy_id, c.original_id) "
                "AND (lower(a.source) = lower(?) OR lower(a.site_name) = lower(?)))"
            )
            params += [source, source]
        with self._errors("listing a page of copy edges"):
            rows = self._db.execute(
                "SELECT copy_id, original_id, kind, score, evidence, decided FROM copies c "
                f"WHERE {' AND '.join(where)} ORDER BY c.copy_id LIMIT ?",
                [*params, limit],
            ).fetchall()
        out = []
        for r in rows:
            decided = _dt(r["decided"])
            assert decided is not None
            out.append(
                CopyEdge(
                    int(r["copy_id"]),
                    int(r["original_id"]),
                    CopyKind(r["kind"]),
                    float(r["score"]),
                    json.loads(r["evidence"]),
                    decided,
                )
            )
        return out

    def provenance_by_source(self) -> list[SourceProvenance]:
        with self._errors("reporting provenance by source"):
            totals = self._db.execute(
                "SELECT coalesce(a.source, a.site_name, '(unknown)') AS src, count(*) AS n, "
                "sum(c.copy_id IS NULL) AS own FROM articles a LEFT JOIN copies c ON c.copy_id = a.id "
                "GROUP BY src ORDER BY n DESC, src"
            ).fetchall()
            kinds = self._db.execute(
                "SELECT coalesce(a.source, a.site_name, '(unknown)') AS src, c.kind, count(*) FROM copies c "
                "JOIN articles a ON a.id = c.copy_id GROUP BY src, c.kind"
            ).fetchall()
            origins = self._db.execute(
                "SELECT coalesce(a.source, a.site_name, '(unknown)') AS src, "
                "coalesce(o.source, o.site_name, '(unknown)') AS osrc, count(*) FROM copies c "
                "JOIN articles a ON a.id = c.copy_id JOIN articles o ON o.id = c.original_id "
                "GROUP BY src, osrc ORDER BY 3 DESC"
            ).fetchall()
        by_kind: dict[str, dict[str, int]] = {}
        for src, kind, n in kinds:
            by_kind.setdefault(src, {})[kind] = int(n)
        copied: dict[str, dict[str, int]] = {}
        for src, osrc, n in origins:
            copied.setdefault(src, {})[osrc] = int(n)
        return [
            SourceProvenance(
                r["src"], int(r["n"]), int(r["own"]), by_kind.get(r["src"], {}), copied.get(r["src"], {})
            )
            for r in totals
        ]

    def provenance_of_source(self, name: str) -> SourceProvenance:
        # Every query starts from the articles_source index: cost follows the source's size.
        with self._errors(f"reporting the provenance of {name!r}"):
            n, own = self._db.execute(
                "SELECT count(*), coalesce(sum(c.copy_id IS NULL), 0) FROM articles a "
                "LEFT JOIN copies c ON c.copy_id = a.id WHERE a.source = ?",
                (name,),
            ).fetchone()
            kinds = self._db.execute(
                "SELECT c.kind, count(*) FROM articles a JOIN copies c ON c.copy_id = a.id "
                "WHERE a.source = ? GROUP BY c.kind",
                (name,),
            ).fetchall()
            origins = self._db.execute(
                "SELECT coalesce(o.source, o.site_name, '(unknown)'), count(*) FROM articles a "
                "JOIN copies c ON c.copy_id = a.id JOIN articles o ON o.id = c.original_id "
                "WHERE a.source = ? GROUP BY 1 ORDER BY 2 DESC, 1",
                (name,),
            ).fetchall()
        return SourceProvenance(
            name, int(n), int(own), {k: int(c) for k, c in kinds}, {s: int(c) for s, c in origins}
        )

    def clear_provenance(self) -> None:
        with self._transaction("clearing provenance") as db:
            for table in ("copies", "copy_groups", "lsh_keys", "fingerprints", "provenance_state"):
                db.execute(f"DELETE FROM {table}")

    def articles_with_line(self, line: str, *, source: str, limit: int) -> int:
        words = re.findall(r"\w+", line)
        if not words:
            return 0
        with self._errors("counting the articles that carry a line"):
            row = self._db.execute(
                "SELECT count(*) FROM (SELECT a.id FROM articles_fts "
                "JOIN articles a ON a.id = articles_fts.rowid "
                "WHERE articles_fts MATCH ? AND coalesce(a.source, a.site_name) = ? LIMIT ?)",
                ('text : "' + " ".join(words) + '"', source, limit),
            ).fetchone()
        return int(row[0])

    def fingerprint_scheme(self) -> int | None:
        with self._errors("reading the fingerprint scheme"):
            row = self._db.execute(
                "SELECT value FROM provenance_state WHERE name = 'fingerprint_scheme'"
            ).fetchone()
        return int(row[0]) if row else None

    def set_fingerprint_scheme(self, scheme: int) -> None:
        with self._transaction("recording the fingerprint scheme") as db:
            db.execute(
                "INSERT INTO provenance_state (name, value) VALUES ('fingerprint_scheme', ?) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (scheme,),
            )

    # -- stories ----------------------------------------------------------------------------------

    _STORY_COLUMNS = (
        "id, title, title_article, first_seen, last_seen, size, open, merged_into, centroid, word_norm, "
        "name_norm, sources, categories"
    )

    @staticmethod
    def _row_to_sketch(r: sqlite3.Row) -> StorySketch:
        word_norm, name_norm = r["word_norm"], r["name_norm"]
        return StorySketch(
            id=int(r["id"]),
            centroid=_vectors.unpack(r["centroid"]),
            size=int(r["size"]),
            first=r["first_seen"],
            last=r["last_seen"],
            title=r["title"],
            title_article=int(r["title_article"]),
            sources=json.loads(r["sources"]),
            categories=json.loads(r["categories"]),
            open=bool(r["open"]),
            merged_into=r["merged_into"],
            norms=None if word_norm is None or name_norm is None else (word_norm, name_norm),
        )

    def _memo(self) -> StoryMemo:
        """The stories' state as read before, forgotten first when another connection has
        committed since (its writes may have changed any of it); see ``_memo.py``."""
        memo = self._stories
        version = self._db.execute("PRAGMA data_version").fetchone()[0]
        if version != memo.version:
            memo.forget()
            memo.version = version
        return memo

    def _read_df_log(self, memo: StoryMemo) -> Counter[str]:
        if memo.logged is None:
            logged: Counter[str] = Counter()
            rows = 0
            for (terms,) in self._db.execute("SELECT terms FROM story_df_log"):
                logged.update(_vectors.unpack_terms(terms))
                rows += 1
            memo.logged, memo.log_rows = logged, rows
        return memo.logged

    def story_doc_freqs(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        """Each term's count in ``story_df`` (read once, then kept) plus in ``story_df_log``."""
        with self._errors("reading document frequencies"):
            memo = self._memo()
            logged = self._read_df_log(memo)
            folded = memo.folded
            missing = [t for t in terms if t not in folded]
            if missing:
                found = dict.fromkeys(missing, 0)
                for start in range(0, len(missing), 500):
                    chunk = missing[start : start + 500]
                    marks = ",".join("?" * len(chunk))
                    for term, df in self._db.execute(
                        f"SELECT term, df FROM story_df WHERE term IN ({marks})", chunk
                    ).fetchall():
                        found[term] = int(df)
                memo.fold_in(found, keep=terms)
            if memo.docs is None:
                memo.docs = int(self._db.execute("SELECT docs FROM story_counts WHERE id = 1").fetchone()[0])
            docs = memo.docs
        get = logged.get
        return {t: n for t in terms if (n := folded[t] + get(t, 0))}, docs

    def story_candidates(self, keys: Sequence[str], *, limit: int) -> list[StorySketch]:
        """As the protocol says; the sketches are shared with later calls (the stage copies one
        before changing it, as with ``MemoryBook``), and decoded from their rows only when the
        store's memo does not hold them."""
        if not keys:
            return []
        marks = ",".join("?" * len(keys))
        with self._errors("looking up candidate stories"):
            memo = self._memo()
            ids = [
                int(r[0])
                for r in self._db.execute(
                    f"SELECT story_id, count(*) AS n FROM story_terms WHERE term IN ({marks}) "
                    "GROUP BY story_id ORDER BY n DESC, story_id LIMIT ?",
                    [*keys, limit],
                )
            ]
            found: dict[int, StorySketch] = {}
            for i in ids:
                sketch = memo.recall(i)
                if sketch is not None:
                    found[i] = sketch
            missing = [i for i in ids if i not in found]
            if missing:
                rows = self._db.execute(
                    f"SELECT {self._STORY_COLUMNS} FROM stories WHERE id IN ({','.join('?' * len(missing))})",
                    missing,
                ).fetchall()
                for r in rows:
                    found[int(r["id"])] = sketch = self._row_to_sketch(r)
                    if sketch.open and sketch.merged_into is None:
                        memo.remember(sketch)
        return [found[i] for i in ids if i in found]

    def story_sketch(self, story_id: int) -> StorySketch | None:
        with self._errors(f"reading story {story_id}"):
            for _ in range(64):  # follow merges
                row = self._db.execute(
                    f"SELECT {self._STORY_COLUMNS} FROM stories WHERE id = ?", (story_id,)
                ).fetchone()
                if row is None:
                    return None
                if row["merged_into"] is None:
                    return self._row_to_sketch(row)
                story_id = int(row["merged_into"])
        return None

    # A member's vector is packed bytes, or a number n: the first n terms of its story's centroid.
    # That is what a story of one article holds (its centroid is the article's vector cut at
    # Params.centroid_terms, the member's the same cut at Params.member_terms, both rounded alike),
    # and most stories have one article: their vector is stored once. The store writes the vector
    # out (``_write_out_vectors``) before the centroid changes or the member leaves the story.
    _MEMBER_SELECT = (
        "SELECT m.article_id, m.story_id, m.vector, m.at, m.joined, m.score, a.title, "
        "coalesce(a.source, a.site_name) AS source, a.category, "
        "CASE WHEN typeof(m.vector) = 'integer' THEN (SELECT s.centroid FROM stories s "
        "WHERE s.id = m.story_id) END AS centroid FROM story_members m "
        "JOIN articles a ON a.id = m.article_id "
    )

    @staticmethod
    def _member_vector(vector: bytes | int, centroid: bytes | None) -> dict[str, float]:
        if isinstance(vector, int):
            if centroid is None:
                raise StorageError("a story member refers to the centroid of a story that is gone")
            return _vectors.first(_vectors.unpack(centroid), vector)
        return _vectors.unpack(vector)

    @staticmethod
    def _write_out_vectors(db: sqlite3.Connection, where: str, params: Sequence[int]) -> None:
        """Members (``where``, over story_members m) whose vector is the start of their story's
        centroid get it written out: their story's centroid is about to change, or they to move."""
        rows = db.execute(
            "SELECT m.article_id, m.vector, s.centroid FROM story_members m "
            f"JOIN stories s ON s.id = m.story_id WHERE typeof(m.vector) = 'integer' AND ({where})",
            list(params),
        ).fetchall()
        db.executemany(
            "UPDATE story_members SET vector = ? WHERE article_id = ?",
            ((_vectors.pack(_vectors.first(_vectors.unpack(c), n)), a) for a, n, c in rows),
        )

    @classmethod
    def _row_to_member(cls, r: sqlite3.Row) -> StoryMember:
        return StoryMember(
            article_id=int(r["article_id"]),
            story_id=int(r["story_id"]),
            vector=cls._member_vector(r["vector"], r["centroid"]),
            when=r["at"],
            title=r["title"],
            source=r["source"],
            category=r["category"],
            joined=JoinKind(r["joined"]),
            score=float(r["score"]),
        )

    def story_members(self, story_id: int) -> list[StoryMember]:
        with self._errors(f"reading the members of story {story_id}"):
            rows = self._db.execute(
                self._MEMBER_SELECT + "WHERE m.story_id = ? ORDER BY m.article_id", (story_id,)
            ).fetchall()
        return [self._row_to_member(r) for r in rows]

    def story_member(self, article_id: int) -> StoryMember | None:
        with self._errors(f"reading the story membership of article {article_id}"):
            row = self._db.execute(self._MEMBER_SELECT + "WHERE m.article_id = ?", (article_id,)).fetchone()
        return None if row is None else self._row_to_member(row)

    def story_id_of(self, article_id: int) -> int | None:
        with self._errors(f"reading the story of article {article_id}"):
            row = self._db.execute(
                "SELECT story_id FROM story_members WHERE article_id = ?", (article_id,)
            ).fetchone()
        return None if row is None else int(row[0])

    def new_story_id(self) -> int:
        with self._errors("numbering a story"):
            return int(self._db.execute("SELECT coalesce(max(id), 0) + 1 FROM stories").fetchone()[0])

    def save_story_change(self, change: StoryChange) -> None:
        decided = _iso(change.decided or datetime.now(UTC))
        closed: list[int] = []
        with self._transaction(f"recording the story of article {change.article_id}") as db:
            memo = self._memo()  # read in this transaction: true for what it writes
            folded = self._count_terms(db, memo, change.terms)
            changed = list(change.sketches)
            moved = [a for a, _ in change.moves]
            for start in range(0, len(changed), 500):
                chunk = changed[start : start + 500]
                self._write_out_vectors(db, f"m.story_id IN ({','.join('?' * len(chunk))})", chunk)
            for start in range(0, len(moved), 500):
                chunk = moved[start : start + 500]
                self._write_out_vectors(db, f"m.article_id IN ({','.join('?' * len(chunk))})", chunk)
            for s in change.sketches.values():
                live = s.merged_into is None and s.open
                word_norm, name_norm = s.norms if s.norms is not None else (None, None)
                db.execute(
                    f"INSERT OR REPLACE INTO stories ({self._STORY_COLUMNS}, category) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        s.id,
                        s.title,
                        s.title_article,
                        s.first,
                        s.last,
                        s.size,
                        int(live),
                        s.merged_into,
                        _vectors.pack(s.centroid),
                        word_norm,
                        name_norm,
                        json.dumps(s.sources, ensure_ascii=False, sort_keys=True),
                        json.dumps(s.categories, ensure_ascii=False, sort_keys=True),
                        s.category,
                    ),
                )
                self._index_story(db, s.id, change.keys.get(s.id, ()) if live else ())
            m = change.member
            home = change.sketches.get(change.story_id)
            vector: bytes | int = (
                len(m.vector)
                if home is not None
                and home.merged_into is None
                and m.article_id not in moved
                and _vectors.starts(m.vector, home.centroid)
                else _vectors.pack(m.vector)
            )
            db.execute(
                "INSERT OR REPLACE INTO story_members (article_id, story_id, at, joined, score, vector) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (m.article_id, change.story_id, m.when, m.joined, m.score, vector),
            )
            if change.moves:
                db.executemany(
                    "UPDATE story_members SET story_id = ? WHERE article_id = ?",
                    ((to, a) for a, to in change.moves),
                )
            if change.decisions:
                db.executemany(
                    "INSERT INTO story_decisions (kind, story_id, other_id, articles, score, reason, "
                    "article_id, decided) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        (
                            d.kind,
                            d.story_id,
                            d.other_id,
                            json.dumps(list(d.articles)),
                            d.score,
                            d.reason,
                            d.article_id,
                            decided,
                        )
                        for d in change.decisions
                    ),
                )
            if change.close_before is not None:
                # (no ORDER BY: it would make SQLite scan every story instead of the open ones' index)
                closed = sorted(
                    int(r[0])
                    for r in db.execute(
                        "SELECT id FROM stories WHERE open = 1 AND last_seen < ?", (change.close_before,)
                    )
                )
                if closed:
                    db.executemany("DELETE FROM story_terms WHERE story_id = ?", ((i,) for i in closed))
                    db.executemany("UPDATE stories SET open = 0 WHERE id = ?", ((i,) for i in closed))
        # The writes succeeded: the memo follows them (a rollback of the unit around forgets it).
        if folded is not None:
            self._folded(memo, folded)
        elif change.terms and memo.logged is not None:
            memo.logged.update(change.terms)
            memo.log_rows += 1
        if memo.docs is not None:
            memo.docs += 1
        for s in change.sketches.values():
            if s.merged_into is None and s.open and s.id not in closed:
                memo.remember(
                    dataclasses.replace(
                        s, centroid=dict(s.centroid), sources=dict(s.sources), categories=dict(s.categories)
                    )
                )
            else:
                memo.sketches.pop(s.id, None)
        for i in closed:
            memo.sketches.pop(i, None)

    def settle(self) -> None:
        """Fold ``story_df_log`` into ``story_df`` now, if it holds anything: the log saves a write
        of nearly a page for each term of each article during a run, but at rest it takes about
        twice the room of the frequencies it holds (one row an article, its terms repeated across
        articles), and a store that ingests a few hundred articles between runs never reached
        ``_DF_FOLD``. Every term's frequency (story_df plus the log) is the same before and after.
        Then the pages left free go back to the file system (a file made with auto_vacuum)."""
        with self._transaction("folding document frequencies") as db:
            memo = self._memo()
            logged = self._read_df_log(memo)
            folded = bool(memo.log_rows)
            if folded:
                self._fold(db, logged)
        if folded:
            self._folded(memo, logged)
        if self._depth:
            return  # inside a unit of work: its pages are given back when it has ended
        with self._errors("giving free pages back"):
            # The pages the log (and any other deletion) left free go back to the file system, in
            # a file made with auto_vacuum (every new one; see __init__); a no-op in others.
            # (executescript: the pragma frees one page a step, and it steps to the end)
            if self._db.execute("PRAGMA freelist_count").fetchone()[0]:
                self._db.executescript("PRAGMA incremental_vacuum")

    def compact(self) -> None:
        """As the protocol says; the full-text indexes are merged first, and the file is made one
        that gives its free pages back when the store settles (auto_vacuum, which only VACUUM can
        turn on in an existing file)."""
        if self._depth:
            raise StorageError("cannot compact the store inside a unit of work")
        self.settle()
        with self._errors("compacting"):
            # The full-text indexes merged into one segment each (FTS5's optimize): a term's list
            # of articles once, not once in every segment that mentions it (about a tenth smaller;
            # too slow to do after every run of a big store). The same matches and ranks.
            with self._transaction("merging the full-text indexes") as db:
                for table in ("articles_fts", "articles_cjk"):
                    db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            self._db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            self._db.execute("VACUUM")

    @staticmethod
    def _fold(db: sqlite3.Connection, counts: Counter[str]) -> None:
        db.executemany(
            "INSERT INTO story_df (term, df) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            sorted(counts.items()),
        )
        db.execute("DELETE FROM story_df_log")

    @staticmethod
    def _folded(memo: StoryMemo, counts: Counter[str]) -> None:
        """The memo after ``counts`` went from the log into ``story_df`` (the writes succeeded)."""
        for t, n in counts.items():
            if t in memo.folded:
                memo.folded[t] += n
        memo.logged, memo.log_rows = Counter(), 0

    def _count_terms(
        self, db: sqlite3.Connection, memo: StoryMemo, terms: Sequence[str]
    ) -> Counter[str] | None:
        """Count an article's terms once more in the document frequencies: a row of the log, and
        every ``_DF_FOLD`` articles the log folded into ``story_df``. Returns what was folded."""
        db.execute("UPDATE story_counts SET docs = docs + 1 WHERE id = 1")
        if not terms:
            return None
        logged = self._read_df_log(memo)
        db.execute("INSERT INTO story_df_log (terms) VALUES (?)", (_vectors.pack_terms(terms),))
        if memo.log_rows + 1 < _DF_FOLD:
            return None
        folded = logged + Counter(terms)
        self._fold(db, folded)
        return folded

    @staticmethod
    def _index_story(db: sqlite3.Connection, story_id: int, keys: Sequence[str]) -> None:
        """List a story under ``keys`` in the index (none: out of it), moving only the terms that
        changed: a story's top terms change a few at a time."""
        held = {r[0] for r in db.execute("SELECT term FROM story_terms WHERE story_id = ?", (story_id,))}
        wanted = set(keys)
        if held - wanted:
            db.executemany(
                "DELETE FROM story_terms WHERE term = ? AND story_id = ?",
                ((k, story_id) for k in sorted(held - wanted)),
            )
        if wanted - held:
            db.executemany(
                "INSERT INTO story_terms (term, story_id) VALUES (?, ?)",
                ((k, story_id) for k in sorted(wanted - held)),
            )

    @staticmethod
    def _row_to_story(r: sqlite3.Row) -> Story:
        sources = json.loads(r["sources"])
        return Story(
            id=int(r["id"]),
            title=r["title"],
            title_article=int(r["title_article"]),
            first_seen=datetime.fromtimestamp(r["first_seen"], UTC) if r["first_seen"] is not None else None,
            last_seen=datetime.fromtimestamp(r["last_seen"], UTC) if r["last_seen"] is not None else None,
            size=int(r["size"]),
            sources=tuple(sorted(sources, key=lambda k: (-sources[k], k))),
            category=r["category"],
            open=bool(r["open"]),
        )

    def stories(
        self,
        *,
        since: datetime | None = None,
        category: str | None = None,
        limit: int | None = None,
        min_size: int = 1,
    ) -> list[Story]:
        where = ["merged_into IS NULL", "size >= ?"]
        params: list[Any] = [min_size]
        if since is not None:
            where.append("last_seen >= ?")
            params.append(since.timestamp())
        if category is not None:
            where.append("lower(category) = lower(?)")
            params.append(category)
        sql = (
            "SELECT id, title, title_article, first_seen, last_seen, size, category, open, sources "
            f"FROM stories WHERE {' AND '.join(where)} ORDER BY last_seen DESC, id DESC"
        )
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        with self._errors("listing stories"):
            rows = self._db.execute(sql, params).fetchall()
        return [self._row_to_story(r) for r in rows]

    def story_page(
        self,
        *,
        since: datetime | None = None,
        category: str | None = None,
        before: tuple[datetime | None, int] | None = None,
        limit: int = 20,
    ) -> list[Story]:
        where = ["merged_into IS NULL"]
        params: list[Any] = []
        if since is not None:
            where.append("last_seen >= ?")
            params.append(since.timestamp())
        if category is not None:
            where.append("lower(category) = lower(?)")
            params.append(category)
        select = (
            "SELECT id, title, title_article, first_seen, last_seen, size, category, open, sources "
            "FROM stories WHERE "
        )
        with self._errors("listing a page of stories"):
            rows: list[sqlite3.Row] = []
            if before is None or before[0] is not None:
                timed = [*where, "last_seen IS NOT NULL"]
                args = list(params)
                if before is not None and before[0] is not None:
                    # The plain bound lets the stories_last index seek; the pair breaks ties.
                    ts = before[0].timestamp()
                    timed += ["last_seen <= ?", "(last_seen < ? OR id < ?)"]
                    args += [ts, ts, before[1]]
                sql = f"{select}{' AND '.join(timed)} ORDER BY last_seen DESC, id DESC LIMIT ?"
                rows = self._db.execute(sql, [*args, limit]).fetchall()
            if len(rows) < limit and since is None:  # stories without a time come last
                untimed = [*where, "last_seen IS NULL"]
                args = list(params)
                if before is not None and before[0] is None:
                    untimed.append("id < ?")
                    args.append(before[1])
                sql = f"{select}{' AND '.join(untimed)} ORDER BY id DESC LIMIT ?"
                rows += self._db.execute(sql, [*args, limit - len(rows)]).fetchall()
        return [self._row_to_story(r) for r in rows]

    def story_categories(self, recent: int) -> list[str]:
        with self._errors("listing the categories of recent stories"):
            rows = self._db.execute(
                "SELECT DISTINCT category FROM (SELECT category FROM stories "
                "WHERE merged_into IS NULL AND last_seen IS NOT NULL ORDER BY last_seen DESC LIMIT ?) "
                "WHERE category IS NOT NULL",
                (recent,),
            ).fetchall()
        return [r[0] for r in rows]

    def get_story(self, story_id: int) -> Story | None:
        """A story by id (a merged-away id leads to the story it was merged into)."""
        sketch = self.story_sketch(story_id)
        if sketch is None:
            return None
        with self._errors(f"reading story {story_id}"):
            row = self._db.execute(
                "SELECT id, title, title_article, first_seen, last_seen, size, category, open, sources "
                "FROM stories WHERE id = ?",
                (sketch.id,),
            ).fetchone()
        return self._row_to_story(row)

    def story_decisions(self, story_id: int | None = None) -> list[StoryDecision]:
        where, params = ("1", []) if story_id is None else ("story_id = ? OR other_id = ?", [story_id] * 2)
        with self._errors("reading story decisions"):
            rows = self._db.execute(
                "SELECT kind, story_id, other_id, articles, score, reason, article_id FROM story_decisions "
                f"WHERE {where} ORDER BY id",
                params,
            ).fetchall()
        return [
            StoryDecision(
                DecisionKind(r["kind"]),
                int(r["story_id"]),
                int(r["other_id"]),
                tuple(json.loads(r["articles"])),
                float(r["score"]),
                r["reason"],
                int(r["article_id"]),
            )
            for r in rows
        ]

    def story_assignments(self) -> dict[int, int]:
        """Article id -> story id, for every clustered article."""
        with self._errors("reading story assignments"):
            return {
                int(a): int(s) for a, s in self._db.execute("SELECT article_id, story_id FROM story_members")
            }

    def clear_stories(self) -> None:
        with self._transaction("clearing stories") as db:
            for table in (
                "story_decisions",
                "story_terms",
                "story_members",
                "story_df",
                "story_df_log",
                "stories",
            ):
                db.execute(f"DELETE FROM {table}")
            db.execute("UPDATE story_counts SET docs = 0 WHERE id = 1")
        self._stories.forget()

    # -- health -----------------------------------------------------------------------------

    def stats(self) -> StoreStats:
        def groups(expr: str) -> dict[str, int]:
            rows = self._db.execute(
                f"SELECT coalesce({expr}, '(none)') AS k, count(*) AS n FROM articles "
                "GROUP BY k ORDER BY n DESC, k"
            ).fetchall()
            return {r["k"]: int(r["n"]) for r in rows}

        with self._errors("reading statistics"):
            one = self._db.execute
            return StoreStats(
                articles=int(one("SELECT count(*) FROM articles").fetchone()[0]),
                revisions=int(one("SELECT count(*) FROM article_revisions").fetchone()[0]),
                sources=int(one("SELECT count(*) FROM sources").fetchone()[0]),
                rejections=int(one("SELECT count(*) FROM rejections").fetchone()[0]),
                by_category=groups("category"),
                by_source=groups("coalesce(source, site_name)"),
                by_language=groups("language"),
            )

    def disk_usage(self) -> DiskUsage:
        with self._errors("measuring the store"):
            one = self._db.execute
            page_size = int(one("PRAGMA page_size").fetchone()[0])
            pages = int(one("PRAGMA page_count").fetchone()[0])
            free = int(one("PRAGMA freelist_count").fetchone()[0])
            articles = int(one("SELECT count(*) FROM articles").fetchone()[0])
            text = one(
                "SELECT coalesce(sum(length(CAST(title AS BLOB)) "
                "+ coalesce(text_size, length(CAST(text AS BLOB)))), 0) FROM articles"
            ).fetchone()[0]
            owners = {
                r["name"]: (r["tbl_name"], r["type"] == "index")
                for r in one(
                    "SELECT name, tbl_name, type FROM sqlite_schema WHERE type IN ('table', 'index')"
                )
            }
            try:
                # The pages of each table and index, as SQLite's own sqlite3_analyzer counts them.
                sizes = one(
                    "SELECT name, sum(pgsize) FROM dbstat WHERE schema = 'main' GROUP BY name"
                ).fetchall()
            except sqlite3.OperationalError:
                sizes = []  # SQLite built without SQLITE_ENABLE_DBSTAT_VTAB: the totals only
        objects = []
        for name, size in sizes:
            table, index = owners.get(name, (name, False))
            objects.append(StoredObject(name, table, index, _area(table), int(size)))
        # The rest of the pages (when dbstat counted them): the pointer map of a file made with
        # auto_vacuum (a page for every few hundred), which dbstat does not list.
        rest = (pages - free) * page_size - sum(o.bytes for o in objects)
        if sizes and rest > 0:
            objects.append(StoredObject(_POINTER_MAP, _POINTER_MAP, False, StorageArea.OTHER, rest))
        objects.sort(key=lambda o: (-o.bytes, o.name))
        return DiskUsage(
            file_bytes=pages * page_size,
            free_bytes=free * page_size,
            articles=articles,
            text_bytes=int(text),
            objects=tuple(objects),
        )

    def unfinished_articles(self) -> list[UnfinishedArticle]:
        with self._errors("looking for unfinished articles"):
            rows = self._db.execute(
                "SELECT a.id, f.article_id IS NULL AS no_fingerprint, m.article_id IS NULL AS no_story "
                "FROM articles a LEFT JOIN fingerprints f ON f.article_id = a.id "
                "LEFT JOIN story_members m ON m.article_id = a.id "
                "WHERE f.article_id IS NULL OR m.article_id IS NULL ORDER BY a.id"
            ).fetchall()
        out = []
        for r in rows:
            missing = {MissingPart.FINGERPRINT} if r["no_fingerprint"] else set()
            if r["no_story"]:
                missing.add(MissingPart.STORY)
            out.append(UnfinishedArticle(int(r["id"]), frozenset(missing)))
        return out

    def integrity_check(self) -> list[str]:
        with self._errors("checking integrity"):
            rows = [r[0] for r in self._db.execute("PRAGMA integrity_check").fetchall()]
            problems = [r for r in rows if r != "ok"]
            for table, what in (("articles_fts", "full-text index"), ("articles_cjk", "substring index")):
                try:
                    self._db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
                except sqlite3.DatabaseError as e:
                    problems.append(f"{what}: {e}")
        return problems
