"""What the understand stage found in articles (``UnderstandingStore``, migration 0015): entities
joined across articles with their counts, quotes with the FTS5 index of their words and the first
report of each statement, figures, versions, and refiling an article under another category."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ..._text import fold_words
from ...model import ENTITY_TYPES, EntitySummary, QuoteHit, StoredArticle, Understanding
from .._rows import like_pattern
from .._understanding_rows import (
    article_quote,
    entity_summary,
    figures_json,
    figures_of,
    mentions_json,
    named_entity,
    quote_hit,
    story_tally,
    story_tally_json,
)
from ._connection import StorageBase
from ._search import _quote_terms
from ._sql import _ARTICLE_COLUMNS, _chunks, _dt, _iso, _row_to_stored

_ENTITY_COLUMNS = "id, key, name, type, articles, mentions, quotes, first_seen, last_seen"

#: A quote with its article and the first report of its statement (earliest article time, then id).
_QUOTE_SELECT = (
    "SELECT q.*, a.title, a.canonical_url AS url, coalesce(a.source, a.site_name) AS source, "
    "coalesce(a.published, a.first_seen) AS at, f.id AS first_id, "
    "coalesce(f.source, f.site_name) AS first_source, coalesce(f.published, f.first_seen) AS first_at, "
    "(SELECT count(DISTINCT q3.article_id) FROM article_quotes q3 "
    "WHERE q3.statement = q.statement) AS reports "
    "FROM article_quotes q JOIN articles a ON a.id = q.article_id "
    "JOIN articles f ON f.id = ("
    "  SELECT q2.article_id FROM article_quotes q2 JOIN articles a2 ON a2.id = q2.article_id"
    "  WHERE q2.statement = q.statement"
    "  ORDER BY coalesce(a2.published, a2.first_seen), a2.id LIMIT 1)"
)


class UnderstandingMixin(StorageBase):
    def save_understanding(
        self,
        article_id: int,
        understanding: Understanding,
        *,
        when: datetime,
        called_by: Mapping[str, str] | None = None,
    ) -> None:
        at = _iso(when)
        called = called_by or {}
        with self._transaction(f"storing the understanding of article {article_id}") as db:
            dropped = self._drop_understanding(db, article_id)
            db.execute(
                "INSERT INTO article_understanding (article_id, version, figures, category_basis, "
                "category_confidence, at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    understanding.version,
                    figures_json(understanding.figures),
                    understanding.category_basis,
                    understanding.category_confidence,
                    at,
                ),
            )
            ids: dict[str, int] = {}
            for seq, e in enumerate(understanding.entities):
                db.execute(
                    "INSERT INTO entities (key, name, type, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT (key) DO NOTHING",
                    (e.key, e.name, e.type, at, at),
                )
                eid = int(db.execute("SELECT id FROM entities WHERE key = ?", (e.key,)).fetchone()[0])
                ids[e.key] = eid
                db.execute(
                    "INSERT INTO article_entities (article_id, entity_id, seq, name, mentions, last_word) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (article_id, eid, seq, e.name, mentions_json(e.mentions), called.get(e.key)),
                )
                db.execute(
                    "UPDATE entities SET articles = articles + 1, mentions = mentions + ?, "
                    "first_seen = CASE WHEN first_seen IS NULL OR ? < first_seen THEN ? ELSE first_seen END, "
                    "last_seen = CASE WHEN last_seen IS NULL OR ? > last_seen THEN ? ELSE last_seen END "
                    "WHERE id = ?",
                    (len(e.mentions), at, at, at, at, eid),
                )
            for seq, q in enumerate(understanding.quotes):
                speaker = None
                if q.speaker_key is not None:
                    speaker = ids.get(q.speaker_key)
                    if speaker is None:
                        row = db.execute("SELECT id FROM entities WHERE key = ?", (q.speaker_key,)).fetchone()
                        speaker = int(row[0]) if row is not None else None
                db.execute(
                    "INSERT INTO article_quotes (article_id, seq, speaker, speaker_key, speaker_entity, "
                    "speaker_mention, speaker_start, speaker_end, cue, cue_start, cue_end, text, "
                    "text_start, text_end, direct, statement) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        article_id, seq, q.speaker, q.speaker_key, speaker, q.speaker_mention,
                        q.speaker_start, q.speaker_end, q.cue, q.cue_start, q.cue_end, q.text,
                        q.start, q.end, int(q.direct), q.statement,
                    ),
                )  # fmt: skip
                if speaker is not None:
                    db.execute("UPDATE entities SET quotes = quotes + 1 WHERE id = ?", (speaker,))
            self._retime(db, [eid for eid in dropped if eid not in ids.values()])

    def _drop_understanding(self, db: sqlite3.Connection, article_id: int) -> list[int]:
        """Take an article's understanding out, its entities' counts with it; the entities it named."""
        named = db.execute(
            "SELECT entity_id, mentions FROM article_entities WHERE article_id = ?", (article_id,)
        ).fetchall()
        for r in named:
            db.execute(
                "UPDATE entities SET articles = articles - 1, mentions = mentions - ? WHERE id = ?",
                (len(json.loads(r["mentions"])), r["entity_id"]),
            )
        db.execute(
            "UPDATE entities SET quotes = quotes - (SELECT count(*) FROM article_quotes q "
            "WHERE q.article_id = ? AND q.speaker_entity = entities.id) "
            "WHERE id IN (SELECT speaker_entity FROM article_quotes WHERE article_id = ?)",
            (article_id, article_id),
        )
        db.execute("DELETE FROM article_quotes WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM article_entities WHERE article_id = ?", (article_id,))
        db.execute("DELETE FROM article_understanding WHERE article_id = ?", (article_id,))
        return [int(r["entity_id"]) for r in named]

    @staticmethod
    def _retime(db: sqlite3.Connection, entity_ids: Sequence[int]) -> None:
        """First and last seen again, for entities an article stopped naming."""
        for chunk, marks in _chunks(list(entity_ids)):
            db.execute(
                "UPDATE entities SET "
                "first_seen = (SELECT min(u.at) FROM article_entities ae JOIN article_understanding u "
                "ON u.article_id = ae.article_id WHERE ae.entity_id = entities.id), "
                "last_seen = (SELECT max(u.at) FROM article_entities ae JOIN article_understanding u "
                f"ON u.article_id = ae.article_id WHERE ae.entity_id = entities.id) WHERE id IN ({marks})",
                chunk,
            )

    def understandings(self, article_ids: Sequence[int]) -> dict[int, Understanding]:
        found: dict[int, Understanding] = {}
        with self._errors("reading understandings"):
            for chunk, marks in _chunks(list(dict.fromkeys(article_ids))):
                heads = self._db.execute(
                    f"SELECT * FROM article_understanding WHERE article_id IN ({marks})", chunk
                ).fetchall()
                if not heads:
                    continue
                named: dict[int, list[Any]] = {}
                for r in self._db.execute(
                    "SELECT ae.article_id, ae.name, ae.mentions, e.key, e.type FROM article_entities ae "
                    f"JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id IN ({marks}) "
                    "ORDER BY ae.article_id, ae.seq",
                    chunk,
                ):
                    named.setdefault(r["article_id"], []).append(named_entity(r))
                said: dict[int, list[Any]] = {}
                for r in self._db.execute(
                    f"SELECT * FROM article_quotes WHERE article_id IN ({marks}) ORDER BY article_id, seq",
                    chunk,
                ):
                    said.setdefault(r["article_id"], []).append(article_quote(r))
                for h in heads:
                    aid = h["article_id"]
                    found[aid] = Understanding(
                        version=h["version"],
                        entities=tuple(named.get(aid, ())),
                        figures=figures_of(h["figures"]),
                        quotes=tuple(said.get(aid, ())),
                        category_basis=h["category_basis"],
                        category_confidence=h["category_confidence"],
                    )
        return found

    def not_understood(self, version: str, *, after: int = 0, limit: int = 1000) -> list[int]:
        with self._errors("listing the articles to understand"):
            rows = self._db.execute(
                "SELECT a.id FROM articles a LEFT JOIN article_understanding u ON u.article_id = a.id "
                "WHERE a.id > ? AND (u.version IS NULL OR u.version != ?) ORDER BY a.id LIMIT ?",
                (after, version, limit),
            ).fetchall()
        return [int(r[0]) for r in rows]

    def forget_understanding(self) -> None:
        with self._transaction("forgetting every understanding") as db:
            db.execute("DELETE FROM article_quotes")
            db.execute("DELETE FROM article_entities")
            db.execute("DELETE FROM article_understanding")
            db.execute(
                "UPDATE entities SET articles = 0, mentions = 0, quotes = 0, "
                "first_seen = NULL, last_seen = NULL"
            )

    def set_category(self, article_id: int, category: str | None) -> None:
        with self._transaction(f"filing article {article_id}") as db:
            row = db.execute("SELECT category FROM articles WHERE id = ?", (article_id,)).fetchone()
            if row is None or row["category"] == category:
                return
            old = row["category"]
            db.execute("UPDATE articles SET category = ? WHERE id = ?", (category, article_id))
            story = db.execute(
                "SELECT s.id, s.categories FROM story_members m JOIN stories s ON s.id = m.story_id "
                "WHERE m.article_id = ?",
                (article_id,),
            ).fetchone()
            if story is not None:
                tally, top = story_tally(json.loads(story["categories"]), old, category)
                db.execute(
                    "UPDATE stories SET categories = ?, category = ? WHERE id = ?",
                    (story_tally_json(tally), top, story["id"]),
                )
                self._stories.forget()  # the memo holds the story's old tally

    def entities(
        self,
        *,
        type: str | None = None,
        since: datetime | None = None,
        query: str | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[EntitySummary]:
        where: list[str] = ["articles > 0"]
        params: list[Any] = []
        if type is not None:
            where.append("type = ?")
            params.append(type)
        if since is not None:
            where.append("last_seen >= ?")
            params.append(_iso(since))
        if query is not None and fold_words(query):
            where.append("substr(key, instr(key, ':') + 1) LIKE ? ESCAPE '\\'")
            params.append(like_pattern(fold_words(query)))
        with self._errors("listing entities"):
            rows = self._db.execute(
                f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE {' AND '.join(where)} "
                "ORDER BY articles DESC, name, id LIMIT ? OFFSET ?",
                [*params, limit, offset],
            ).fetchall()
        return [entity_summary(r, when=_dt) for r in rows]

    def get_entity(self, entity_id: int) -> EntitySummary | None:
        with self._errors(f"reading entity {entity_id}"):
            row = self._db.execute(
                f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id = ?", (entity_id,)
            ).fetchone()
        return entity_summary(row, when=_dt) if row is not None else None

    def entity_of_key(self, key: str) -> EntitySummary | None:
        with self._errors(f"reading the entity {key!r}"):
            row = self._db.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE key = ?", (key,)).fetchone()
        return entity_summary(row, when=_dt) if row is not None else None

    def people_by_last_word(self, word: str, *, limit: int = 20) -> list[EntitySummary]:
        with self._errors(f"finding the people called {word!r}"):
            rows = self._db.execute(
                f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id IN "
                "(SELECT entity_id FROM article_entities WHERE last_word = ?) AND articles > 0 "
                "ORDER BY articles DESC, key, id LIMIT ?",
                (word, limit),
            ).fetchall()
        return [entity_summary(r, when=_dt) for r in rows]

    def find_entities(self, name: str, *, limit: int = 10) -> list[EntitySummary]:
        folded = fold_words(name)
        if not folded:
            return []
        exact = [f"{kind}:{folded}" for kind in ENTITY_TYPES]
        marks = ", ".join("?" * len(exact))
        with self._errors(f"finding the entity {name!r}"):
            rows = self._db.execute(
                f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE key IN ({marks}) AND articles > 0 "
                "ORDER BY articles DESC, name, id LIMIT ?",
                [*exact, limit],
            ).fetchall()
            if len(rows) < limit:
                rows += self._db.execute(
                    f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE articles > 0 AND key NOT IN ({marks}) "
                    "AND substr(key, instr(key, ':') + 1) LIKE ? ESCAPE '\\' "
                    "ORDER BY articles DESC, name, id LIMIT ?",
                    [*exact, like_pattern(folded), limit - len(rows)],
                ).fetchall()
        return [entity_summary(r, when=_dt) for r in rows]

    def entity_articles(self, entity_id: int, limit: int, *, offset: int = 0) -> list[StoredArticle]:
        with self._errors(f"listing the articles of entity {entity_id}"):
            rows = self._db.execute(
                f"SELECT {_ARTICLE_COLUMNS} FROM article_entities ae JOIN articles a ON a.id = ae.article_id "
                "WHERE ae.entity_id = ? ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC "
                "LIMIT ? OFFSET ?",
                (entity_id, limit, offset),
            ).fetchall()
        return [_row_to_stored(r) for r in rows]

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
        where: list[str] = []
        params: list[Any] = []
        if speaker is not None:
            where.append("q.speaker_entity = ?")
            params.append(speaker)
        fts_at = -1
        if query is not None:
            if not query.strip():
                return []
            where.append("q.id IN (SELECT rowid FROM article_quotes_fts WHERE article_quotes_fts MATCH ?)")
            fts_at = len(params)
            params.append(query)
        if article_ids is not None:
            ids = list(dict.fromkeys(article_ids))
            if not ids:
                return []
            where.append(f"q.article_id IN ({','.join('?' * len(ids))})")
            params.extend(ids)
        matching = " AND ".join(where) or "1"
        if statements:
            # Each statement once: the earliest of its reports that match (its first report when
            # that one matches), found by a window over the matches, ordered as the rest.
            matching = (
                "q.id IN (SELECT id FROM (SELECT q.id, row_number() OVER (PARTITION BY q.statement "
                "ORDER BY coalesce(a.published, a.first_seen), a.id, q.seq) AS nth "
                f"FROM article_quotes q JOIN articles a ON a.id = q.article_id WHERE {matching}) "
                "WHERE nth = 1)"
            )
        sql = (
            f"{_QUOTE_SELECT} WHERE {matching} "
            "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC, q.seq LIMIT ? OFFSET ?"
        )
        with self._errors("listing quotes"):
            try:
                rows = self._db.execute(sql, [*params, limit, offset]).fetchall()
            except sqlite3.OperationalError:
                if fts_at < 0:
                    raise
                # Not FTS5 syntax (as article search reads a query: AND, OR, NOT, "phrases"): its
                # words, all required.
                params[fts_at] = _quote_terms(query or "")
                if not params[fts_at]:
                    return []
                rows = self._db.execute(sql, [*params, limit, offset]).fetchall()
        return [quote_hit(r, when=_dt) for r in rows]
