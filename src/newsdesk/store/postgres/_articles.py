"""Articles: saving one (new, updated, unchanged or older; its revisions and other URLs), reading
them back one by one or newest first, and the inputs already stored. The same decisions as the
SQLite store's ``_articles.py``; the texts are stored as text (see migration 0001).
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from ...exceptions import ArticleNotFoundError
from ...model import Article, IndexKeys, Outcome, Rejected, RejectReason, SearchFilters, StoredArticle
from ..protocols import KnownInput, Revision
from ..sqlite import content_hash
from ._connection import Conn, StorageBase
from ._provenance import _write_index
from ._sql import (
    _ARTICLE_COLUMNS,
    _category_spellings,
    _find_id,
    _from_db,
    _row_to_stored,
    _source_spellings,
    _to_db,
    _utc,
    _where,
)

_ORIGINALS = " AND NOT EXISTS (SELECT 1 FROM copies c WHERE c.copy_id = a.id)"


class ArticlesMixin(StorageBase):
    def save_article(
        self, article: Article, *, seen: datetime, index: IndexKeys | None = None
    ) -> tuple[int, Outcome]:
        digest = content_hash(article.title, article.text)
        seen_utc = _utc(seen)
        fields: dict[str, Any] = {
            "url": article.url,
            "source": article.source,
            "site_name": article.site_name,
            "title": article.title,
            "byline": article.byline,
            "published": _utc(article.published),
            "updated": _utc(article.updated),
            "fetched": _utc(article.fetched),
            "language": article.language,
            "section": article.section,
            "category": article.category,
            "tags": json.dumps(list(article.tags), ensure_ascii=False),
            "source_links": json.dumps(
                [{"url": s.url, "label": s.label} for s in article.source_links], ensure_ascii=False
            ),
            "description": article.description,
            "notes": json.dumps(list(article.notes), ensure_ascii=False),
            "text": _to_db(article.text),
            "word_count": article.word_count,
            "content_hash": digest,
            "entry_id": article.entry_id,
            "origin": article.origin,
        }
        with self._transaction(f"storing {article.canonical_url}") as db:
            # Two writers storing the same URL at once take turns (the second finds the first's
            # article), as they would in SQLite, rather than one failing on the unique URL.
            db.execute("SELECT pg_advisory_xact_lock(1, hashtext(%s))", (article.canonical_url,))
            article_id = _find_id(db, [article.canonical_url, article.url])
            if article_id is None:
                cols = ["canonical_url", "first_seen", "last_seen", *fields]
                vals = [article.canonical_url, seen_utc, seen_utc, *fields.values()]
                row = db.execute(
                    f"INSERT INTO articles ({', '.join(cols)}) VALUES ({', '.join(['%s'] * len(cols))}) "
                    "RETURNING id",
                    vals,
                ).fetchone()
                assert row is not None
                article_id = int(row["id"])
                self._add_revision(db, article_id, 1, digest, article, seen_utc, current=True)
                self._add_aliases(db, article_id, article)
                if index is not None:
                    _write_index(db, article_id, index)
                return article_id, Outcome.NEW
            known = db.execute(
                "SELECT 1 FROM article_revisions WHERE article_id = %s AND content_hash = %s",
                (article_id, digest),
            ).fetchone()
            if known:
                return article_id, Outcome.UNCHANGED
            cur_row = db.execute(
                "SELECT a.published, a.updated, "
                "(SELECT max(revision) FROM article_revisions r WHERE r.article_id = a.id) AS last "
                "FROM articles a WHERE a.id = %s FOR UPDATE",
                (article_id,),
            ).fetchone()
            assert cur_row is not None
            revision = int(cur_row["last"]) + 1
            self._add_aliases(db, article_id, article)
            stored_time = cur_row["updated"] or cur_row["published"]
            new_time = fields["updated"] or fields["published"]
            if stored_time and new_time and new_time < stored_time:
                self._add_revision(db, article_id, revision, digest, article, seen_utc, current=False)
                return article_id, Outcome.OLDER
            # The text being replaced goes to its revision's row before the article takes the new
            # one (the current revision's text is the article's, stored once).
            db.execute(
                "UPDATE article_revisions SET text = (SELECT text FROM articles WHERE id = %s) "
                "WHERE article_id = %s AND text IS NULL",
                (article_id, article_id),
            )
            self._add_revision(db, article_id, revision, digest, article, seen_utc, current=True)
            sets = ", ".join(f"{c} = %s" for c in fields)
            db.execute(
                f"UPDATE articles SET {sets}, revision = %s, last_seen = %s WHERE id = %s",
                [*fields.values(), revision, seen_utc, article_id],
            )
            if index is not None:
                _write_index(db, article_id, index)
            return article_id, Outcome.UPDATED

    @staticmethod
    def _add_revision(
        db: Conn,
        article_id: int,
        revision: int,
        digest: str,
        article: Article,
        seen: datetime | None,
        *,
        current: bool,
    ) -> None:
        """Record a revision; the ``current`` one without its text, which is the article's own."""
        db.execute(
            "INSERT INTO article_revisions (article_id, revision, content_hash, title, text, "
            "published, updated, stored, origin) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
            (
                article_id,
                revision,
                digest,
                article.title,
                None if current else _to_db(article.text),
                _utc(article.published),
                _utc(article.updated),
                seen,
                article.origin,
            ),
        )

    @staticmethod
    def _add_aliases(db: Conn, article_id: int, article: Article) -> None:
        if article.url != article.canonical_url:
            db.execute(
                "INSERT INTO article_urls (url, article_id) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                (article.url, article_id),
            )

    def get_article(self, article_id: int) -> StoredArticle:
        with self._reading(f"reading article {article_id}") as db:
            row = db.execute(
                f"SELECT {_ARTICLE_COLUMNS}, "
                "(SELECT count(*) FROM article_revisions r WHERE r.article_id = a.id) AS revisions "
                "FROM articles a WHERE id = %s",
                (article_id,),
            ).fetchone()
        if row is None:
            raise ArticleNotFoundError(f"no article with id {article_id}")
        return _row_to_stored(row, int(row["revisions"]))

    def find_article(self, url: str) -> StoredArticle | None:
        with self._reading(f"looking up {url}") as db:
            article_id = _find_id(db, [url])
        return None if article_id is None else self.get_article(article_id)

    def revisions(self, article_id: int) -> list[Revision]:
        with self._reading(f"reading revisions of article {article_id}") as db:
            current = db.execute("SELECT content_hash FROM articles WHERE id = %s", (article_id,)).fetchone()
            if current is None:
                raise ArticleNotFoundError(f"no article with id {article_id}")
            rows = db.execute(
                "SELECT r.revision, r.content_hash, r.title, coalesce(r.text, a.text) AS text, "
                "r.published, r.updated, r.stored, r.origin "
                "FROM article_revisions r JOIN articles a ON a.id = r.article_id "
                "WHERE r.article_id = %s ORDER BY r.revision",
                (article_id,),
            ).fetchall()
        out = []
        for r in rows:
            stored = _utc(r["stored"])
            assert stored is not None
            out.append(
                Revision(
                    revision=int(r["revision"]),
                    title=r["title"],
                    text=_from_db(r["text"]),
                    published=_utc(r["published"]),
                    updated=_utc(r["updated"]),
                    stored=stored,
                    origin=r["origin"],
                    current=r["content_hash"] == current["content_hash"],
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

        As in the SQLite store: a source or category filter is an OR of spellings, read one
        spelling at a time down its own index in time order (each stops after a page), the pages
        merged and cut again; the other filters apply inside each read."""
        order = "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC"
        if filters is not None and filters.source:
            terms, values = _source_spellings(filters.source)
            rest = dataclasses.replace(filters, source=None)
        elif filters is not None and filters.category:
            terms, values = _category_spellings(filters.category)
            rest = dataclasses.replace(filters, category=None)
        else:
            where, params = _where(filters)
            with self._reading(what) as db:
                rows = db.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {where}{extra} {order} LIMIT %s",
                    [*params, *extra_params, limit],
                ).fetchall()
            return [_row_to_stored(r) for r in rows]
        where, params = _where(rest)
        branches: list[str] = []
        branch_params: list[Any] = []
        for term, value in zip(terms, values, strict=True):
            branches.append(
                f"(SELECT a.id FROM articles a WHERE {term.format(a='a')} AND {where}{extra} "
                f"{order} LIMIT %s)"
            )
            branch_params += [value, *params, *extra_params, limit]
        with self._reading(what) as db:
            rows = db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.id IN ({' UNION '.join(branches)}) "
                f"{order} LIMIT %s",
                [*branch_params, limit],
            ).fetchall()
        return [_row_to_stored(r) for r in rows]

    def latest(
        self, limit: int, filters: SearchFilters | None = None, *, originals: bool = False
    ) -> list[StoredArticle]:
        return self._page("listing the latest articles", filters, _ORIGINALS if originals else "", [], limit)

    def latest_of_source(self, name: str, limit: int, *, offset: int = 0) -> list[StoredArticle]:
        with self._reading(f"listing the latest articles of {name!r}") as db:
            rows = db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.source = %s "
                "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC LIMIT %s OFFSET %s",
                (name, limit, offset),
            ).fetchall()
        return [_row_to_stored(r) for r in rows]

    def latest_of_category(
        self, category: str, limit: int, *, originals: bool = False
    ) -> list[StoredArticle]:
        own = _ORIGINALS if originals else ""
        with self._reading(f"listing the latest articles in {category!r}") as db:
            rows = db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE a.category = %s{own} "
                "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC LIMIT %s",
                (category, limit),
            ).fetchall()
        return [_row_to_stored(r) for r in rows]

    def latest_of_story(self, story_id: int, limit: int) -> list[StoredArticle]:
        with self._reading(f"listing the latest articles of story {story_id}") as db:
            rows = db.execute(
                f"SELECT {', '.join('a.' + c for c in _ARTICLE_COLUMNS.split(', '))} "
                "FROM story_members m JOIN articles a ON a.id = m.article_id WHERE m.story_id = %s "
                "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC LIMIT %s",
                (story_id, limit),
            ).fetchall()
        return [_row_to_stored(r) for r in rows]

    def iter_articles(self, filters: SearchFilters | None = None) -> Iterator[StoredArticle]:
        where, params = _where(filters)
        last_id = 0
        while True:  # keyset pages: no long-lived cursor holding a snapshot open
            with self._reading("reading articles") as db:
                rows = db.execute(
                    f"SELECT {_ARTICLE_COLUMNS} FROM articles a WHERE {where} AND a.id > %s "
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
        extra = _ORIGINALS if originals else ""
        params: list[Any] = []
        if before is not None:
            extra += " AND (coalesce(a.published, a.first_seen), a.id) < (%s, %s)"
            params += [_utc(before[0]), before[1]]
        return self._page("listing a page of articles", filters, extra, params, limit)

    # -- inputs already stored ------------------------------------------------------------------

    def known_inputs(self, pairs: Sequence[tuple[bytes, bytes]]) -> list[KnownInput | None]:
        out: list[KnownInput | None] = []
        with self._reading("looking up inputs already stored") as db:
            for digest, extraction in pairs:
                row = db.execute(
                    "SELECT article_id, reason, detail, url FROM input_digests "
                    "WHERE digest = %s AND extraction = %s",
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
                "INSERT INTO input_digests (digest, extraction, article_id, reason, detail, url) "
                "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (digest) DO UPDATE SET "
                "extraction = excluded.extraction, article_id = excluded.article_id, "
                "reason = excluded.reason, detail = excluded.detail, url = excluded.url",
                (digest, extraction, article_id, reason, detail, url),
            )

    def add_article_url(self, article_id: int, url: str) -> bool:
        with self._transaction(f"adding a URL to article {article_id}") as db:
            if _find_id(db, [url]) is not None:
                return False
            db.execute("INSERT INTO article_urls (url, article_id) VALUES (%s, %s)", (url, article_id))
            return True

    def article_id_for(self, url: str) -> int | None:
        with self._reading(f"looking up {url}") as db:
            return _find_id(db, [url])

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """One statement however many URLs: an array parameter, not a list of marks."""
        wanted = list(urls)
        if not wanted:
            return set()
        with self._reading("looking up known URLs") as db:
            rows = db.execute(
                "SELECT canonical_url AS u FROM articles WHERE canonical_url = ANY(%s) "
                "UNION SELECT url FROM article_urls WHERE url = ANY(%s)",
                (wanted, wanted),
            ).fetchall()
        return {r["u"] for r in rows}
