"""Articles: saving one (new, updated, unchanged or older; its revisions and other URLs), reading
them back one by one or newest first, and the inputs already stored.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from ...exceptions import ArticleNotFoundError
from ...model import Article, IndexKeys, Outcome, Rejected, RejectReason, SearchFilters, StoredArticle
from .. import _texts
from ..protocols import KnownInput, Revision
from ._connection import StorageBase
from ._provenance import _write_index
from ._sql import (
    _ARTICLE_COLUMNS,
    _category_spellings,
    _chunks,
    _dt,
    _find_id,
    _iso,
    _row_to_stored,
    _source_spellings,
    _where,
)


def content_hash(title: str, text: str) -> str:
    """Identity of a revision: whitespace-insensitive, so re-extraction noise is not an update."""
    norm = " ".join(title.split()) + "\n" + " ".join(text.split())
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


class ArticlesMixin(StorageBase):
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
            article_id = _find_id(db, [article.canonical_url, article.url])
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
                    _write_index(db, article_id, index)
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
                _write_index(db, article_id, index)
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
        return _row_to_stored(row, int(count))

    def find_article(self, url: str) -> StoredArticle | None:
        with self._errors(f"looking up {url}"):
            article_id = _find_id(self._db, [url])
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
            where, params = _where(filters)
            with self._errors(what):
                rows = self._db.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {where}{extra} {order} LIMIT ?",
                    [*params, *extra_params, limit],
                ).fetchall()
            return [_row_to_stored(r) for r in rows]
        where, params = _where(rest)
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
        return [_row_to_stored(r) for r in rows]

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
        return [_row_to_stored(r) for r in rows]

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
        return [_row_to_stored(r) for r in rows]

    def latest_of_story(self, story_id: int, limit: int) -> list[StoredArticle]:
        with self._errors(f"listing the latest articles of story {story_id}"):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM story_members m JOIN articles a ON a.id = m.article_id "
                "WHERE m.story_id = ? ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC LIMIT ?",
                (story_id, limit),
            ).fetchall()
        return [_row_to_stored(r) for r in rows]

    def iter_articles(self, filters: SearchFilters | None = None) -> Iterator[StoredArticle]:
        where, params = _where(filters)
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
                yield _row_to_stored(r)
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

    def add_article_url(self, article_id: int, url: str) -> bool:
        with self._transaction(f"adding a URL to article {article_id}") as db:
            if _find_id(db, [url]) is not None:
                return False
            db.execute("INSERT INTO article_urls (url, article_id) VALUES (?, ?)", (url, article_id))
            return True

    def article_id_for(self, url: str) -> int | None:
        with self._errors(f"looking up {url}"):
            return _find_id(self._db, [url])

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        found: set[str] = set()
        with self._errors("looking up known URLs"):
            for chunk, marks in _chunks(urls):
                for (u,) in self._db.execute(
                    f"SELECT canonical_url FROM articles WHERE canonical_url IN ({marks}) "
                    f"UNION SELECT url FROM article_urls WHERE url IN ({marks})",
                    [*chunk, *chunk],
                ):
                    found.add(u)
        return found
