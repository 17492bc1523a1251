"""What the understand stage found in articles (``UnderstandingStore``, migration postgres/0003):
entities joined across articles with their counts, quotes with their word index and the first
report of each statement, figures, versions, and filing an article under another category.

Every write waits for the understanding's turn (``StorageBase._in_turn``): writers sharing the
database update the same entities' counts, and ids are numbered here as SQLite numbers its rowids,
one past the largest (the migration says why), which two writers at once would both take. Within
the turn the writes are those of the SQLite store, in the same order, so that a desk reads back
the same on either backend, row for row (tests/store/test_postgres.py ingests the sample corpus
into both and compares every table). Names and quotes are words of an article's text, and
kept as its text is (NUL escaped: ``TEXT_COLUMNS``).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from ..._text import fold_words
from ...model import ENTITY_TYPES, EntitySummary, NamedEntity, QuoteHit, StoredArticle, Understanding
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
from ._connection import Conn, Stage, StorageBase
from ._fold import FOLD_FROM_SQL, FOLD_TO_SQL
from ._search import _websearch
from ._sql import _ARTICLE_COLUMNS, _from_db, _row_to_stored, _to_db, _utc

_ENTITY_COLUMNS = "id, key, name, type, articles, mentions, quotes, first_seen, last_seen"
#: The listing's order: the most named first, then by name in byte order (SQLite's BINARY), then id.
#: Spelled as migration 0003's entities_by_articles index is (with its condition, ``articles > 0``).
_ENTITY_ORDER = 'articles DESC, name COLLATE "C", id'
#: The part of an entity's key after its type: the folded name a query is compared with.
_KEY_NAME = "substr(key, strpos(key, ':') + 1)"
_QUOTE_COLUMNS = (
    "q.id, q.article_id, q.seq, q.speaker, q.speaker_key, q.speaker_entity, q.speaker_mention, "
    "q.speaker_start, q.speaker_end, q.cue, q.cue_start, q.cue_end, q.text, q.text_start, q.text_end, "
    "q.direct, q.statement"
)
#: The words of a quote, as migration 0004's article_quotes_words index spells them (the same
#: expression, or the planner cannot use it; "%" doubled: the statement has parameters):
#: punctuation a space, accents folded (``_fold``).
_QUOTE_WORDS = (
    f"to_tsvector('simple'::regconfig, translate(q.text, {FOLD_FROM_SQL}, {FOLD_TO_SQL}))"
).replace("%", "%%")
#: The columns that hold words of an article's text, which may hold NUL: stored as ``_sql._to_db``
#: stores a text (PostgreSQL's text cannot hold NUL), by table (``_transfer`` reads them so too).
TEXT_COLUMNS = {
    "entities": ("name",),
    "article_entities": ("name",),
    "article_quotes": ("speaker", "speaker_mention", "cue", "text"),
}
_QUOTE_TEXTS = TEXT_COLUMNS["article_quotes"]


def _opt_to_db(text: str | None) -> str | None:
    return None if text is None else _to_db(text)


def _read_back(row: dict[str, Any], columns: Sequence[str]) -> dict[str, Any]:
    """A row with the ``columns`` that hold text as ``_to_db`` stored it read back."""
    return row | {c: _from_db(row[c]) for c in columns if row[c] is not None}


#: Articles with no understanding of a version, from an id on (``not_understood``).
_NOT_UNDERSTOOD = (
    "SELECT a.id FROM articles a WHERE a.id > %s AND NOT EXISTS (SELECT 1 FROM article_understanding u "
    "WHERE u.article_id = a.id AND u.article_id > %s AND u.version = %s) ORDER BY a.id LIMIT %s"
)
#: Where ``_websearch`` marks a word as asked of one column of an article (``'word':*A``): a quote
#: has one text, so the mark goes and the prefix stays.
_COLUMN_MARK = re.compile(r":(\*?)[AB]$")


def _quote_tsquery(query: str) -> tuple[str, list[str]] | None:
    """The tsquery (an SQL expression, its parameters) a quote search asks, reading ``query`` as
    article search does (``_search._websearch``); None when it has no word to look for."""
    words, weighted = _websearch(query)
    if not re.search(r"\w", words) and not weighted:
        return None
    parts: list[str] = []
    params: list[str] = []
    if words.strip() or not weighted:
        parts.append("websearch_to_tsquery('simple', %s)")
        params.append(words)
    if weighted:
        unmarked = [_COLUMN_MARK.sub(lambda m: ":" + m.group(1) if m.group(1) else "", w) for w in weighted]
        parts.append("to_tsquery('simple', %s)")
        params.append(" & ".join(unmarked))
    return "(" + " && ".join(parts) + ")", params


class UnderstandingMixin(StorageBase):
    def save_understanding(
        self,
        article_id: int,
        understanding: Understanding,
        *,
        when: datetime,
        called_by: Mapping[str, str] | None = None,
    ) -> None:
        at = _utc(when)
        called = called_by or {}
        with self._transaction(f"storing the understanding of article {article_id}") as db:
            # The article's row before the turn (``Stage``): the rows below refer to it, and a
            # collector storing a new version of it holds the row while it waits for the turn.
            db.execute("SELECT 1 FROM articles WHERE id = %s FOR KEY SHARE", (article_id,))
            self._in_turn(db, Stage.UNDERSTANDING)
            dropped = self._drop_understanding(db, article_id)
            db.execute(
                "INSERT INTO article_understanding (article_id, version, figures, category_basis, "
                "category_confidence, at) VALUES (%s, %s, %s, %s, %s, %s)",
                (
                    article_id,
                    understanding.version,
                    figures_json(understanding.figures),
                    understanding.category_basis,
                    understanding.category_confidence,
                    at,
                ),
            )
            ids = self._entity_ids(db, understanding.entities, at)
            if understanding.entities:
                with db.cursor() as cur:
                    cur.executemany(
                        "INSERT INTO article_entities (article_id, entity_id, seq, name, mentions, "
                        "last_word) VALUES (%s, %s, %s, %s, %s, %s)",
                        [
                            (
                                article_id,
                                ids[e.key],
                                seq,
                                _to_db(e.name),
                                mentions_json(e.mentions),
                                called.get(e.key),
                            )
                            for seq, e in enumerate(understanding.entities)
                        ],
                    )
                named = Counter[int]()
                mentioned = Counter[int]()
                for e in understanding.entities:
                    named[ids[e.key]] += 1
                    mentioned[ids[e.key]] += len(e.mentions)
                order = sorted(named)
                db.execute(
                    "UPDATE entities e SET articles = e.articles + v.n, mentions = e.mentions + v.m, "
                    "first_seen = least(e.first_seen, %s), last_seen = greatest(e.last_seen, %s) "
                    "FROM unnest(%s::bigint[], %s::integer[], %s::integer[]) AS v (id, n, m) "
                    "WHERE e.id = v.id",
                    (at, at, order, [named[i] for i in order], [mentioned[i] for i in order]),
                )
            if understanding.quotes:
                self._save_quotes(db, article_id, understanding, ids)
            kept = set(ids.values())
            self._retime(db, sorted({i for i in dropped if i not in kept}))

    @staticmethod
    def _entity_ids(db: Conn, entities: Sequence[NamedEntity], at: datetime | None) -> dict[str, int]:
        """The id of each entity's key, the keys not seen before made entities (numbered in the
        article's order, from one past the largest id: as SQLite numbers them), their name the
        form this article gives."""
        if not entities:
            return {}
        keys = sorted({e.key for e in entities})
        ids = {
            r["key"]: int(r["id"])
            for r in db.execute("SELECT id, key FROM entities WHERE key = ANY(%s)", (keys,))
        }
        first_of: dict[str, NamedEntity] = {}
        for e in entities:
            first_of.setdefault(e.key, e)
        new = [e for key, e in first_of.items() if key not in ids]
        if new:
            row = db.execute("SELECT coalesce(max(id), 0) AS n FROM entities").fetchone()
            assert row is not None
            first = int(row["n"]) + 1
            with db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO entities (id, key, name, type, first_seen, last_seen) "
                    "VALUES (%s, %s, %s, %s, %s, %s)",
                    [(first + n, e.key, _to_db(e.name), e.type, at, at) for n, e in enumerate(new)],
                )
            ids.update({e.key: first + n for n, e in enumerate(new)})
        return ids

    @staticmethod
    def _save_quotes(db: Conn, article_id: int, understanding: Understanding, ids: dict[str, int]) -> None:
        """An article's quotes, each tied to the entity its speaker's key is (one of the article's,
        else one the desk knows already), numbered from one past the largest id."""
        keys = {q.speaker_key for q in understanding.quotes if q.speaker_key is not None}
        wanted = sorted(keys - ids.keys())
        speakers = dict(ids)
        if wanted:
            speakers.update(
                (r["key"], int(r["id"]))
                for r in db.execute("SELECT id, key FROM entities WHERE key = ANY(%s)", (wanted,))
            )
        row = db.execute("SELECT coalesce(max(id), 0) AS n FROM article_quotes").fetchone()
        assert row is not None
        first = int(row["n"]) + 1
        rows = []
        said = Counter[int]()
        for seq, q in enumerate(understanding.quotes):
            speaker = speakers.get(q.speaker_key) if q.speaker_key is not None else None
            if speaker is not None:
                said[speaker] += 1
            rows.append(
                (
                    first + seq, article_id, seq, _opt_to_db(q.speaker), q.speaker_key, speaker,
                    _opt_to_db(q.speaker_mention), q.speaker_start, q.speaker_end, _to_db(q.cue),
                    q.cue_start, q.cue_end, _to_db(q.text), q.start, q.end, q.direct, q.statement,
                )
            )  # fmt: skip
        with db.cursor() as cur:
            cur.executemany(
                f"INSERT INTO article_quotes ({_QUOTE_COLUMNS.replace('q.', '')}) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                rows,
            )
        if said:
            order = sorted(said)
            db.execute(
                "UPDATE entities e SET quotes = e.quotes + v.n "
                "FROM unnest(%s::bigint[], %s::integer[]) AS v (id, n) WHERE e.id = v.id",
                (order, [said[i] for i in order]),
            )

    @staticmethod
    def _drop_understanding(db: Conn, article_id: int) -> list[int]:
        """Take an article's understanding out, its entities' counts with it; the entities it named."""
        if db.execute("DELETE FROM article_understanding WHERE article_id = %s", (article_id,)).rowcount == 0:
            return []  # never understood (the three tables are written together)
        named = db.execute(
            "DELETE FROM article_entities WHERE article_id = %s RETURNING entity_id, mentions", (article_id,)
        ).fetchall()
        said = Counter(
            int(r["speaker_entity"])
            for r in db.execute(
                "DELETE FROM article_quotes WHERE article_id = %s RETURNING speaker_entity", (article_id,)
            ).fetchall()
            if r["speaker_entity"] is not None
        )
        mentioned = {int(r["entity_id"]): len(json.loads(r["mentions"])) for r in named}
        order = sorted(set(mentioned) | set(said))
        if order:
            db.execute(
                "UPDATE entities e SET articles = e.articles - v.n, mentions = e.mentions - v.m, "
                "quotes = e.quotes - v.q FROM unnest(%s::bigint[], %s::integer[], %s::integer[], "
                "%s::integer[]) AS v (id, n, m, q) WHERE e.id = v.id",
                (
                    order,
                    [1 if i in mentioned else 0 for i in order],
                    [mentioned.get(i, 0) for i in order],
                    [said.get(i, 0) for i in order],
                ),
            )
        return sorted(mentioned)

    @staticmethod
    def _retime(db: Conn, entity_ids: Sequence[int]) -> None:
        """First and last seen again (none: no article names it), for entities an article stopped
        naming."""
        if not entity_ids:
            return
        db.execute(
            "UPDATE entities e SET first_seen = t.lo, last_seen = t.hi FROM ("
            "SELECT x.id, min(u.at) AS lo, max(u.at) AS hi FROM unnest(%s::bigint[]) AS x (id) "
            "LEFT JOIN article_entities ae ON ae.entity_id = x.id "
            "LEFT JOIN article_understanding u ON u.article_id = ae.article_id GROUP BY x.id"
            ") t WHERE e.id = t.id",
            (list(entity_ids),),
        )

    def understandings(self, article_ids: Sequence[int]) -> dict[int, Understanding]:
        ids = sorted(set(article_ids))
        if not ids:
            return {}
        with self._reading("reading understandings") as db:
            heads = db.execute(
                "SELECT article_id, version, figures, category_basis, category_confidence "
                "FROM article_understanding WHERE article_id = ANY(%s)",
                (ids,),
            ).fetchall()
            if not heads:
                return {}
            named: dict[int, list[NamedEntity]] = {}
            for r in db.execute(
                "SELECT ae.article_id, ae.name, ae.mentions, e.key, e.type FROM article_entities ae "
                "JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id = ANY(%s) "
                "ORDER BY ae.article_id, ae.seq",
                (ids,),
            ):
                named.setdefault(int(r["article_id"]), []).append(named_entity(_read_back(r, ("name",))))
            said: dict[int, list[Any]] = {}
            for r in db.execute(
                f"SELECT {_QUOTE_COLUMNS} FROM article_quotes q WHERE q.article_id = ANY(%s) "
                "ORDER BY q.article_id, q.seq",
                (ids,),
            ):
                said.setdefault(int(r["article_id"]), []).append(article_quote(_read_back(r, _QUOTE_TEXTS)))
        found: dict[int, Understanding] = {}
        for h in heads:
            aid = int(h["article_id"])
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
        """A merge of the articles' primary key with the understandings', both walked from ``after``
        (said of both: the planner does not carry a bound of one side of an anti-join to the other,
        and would read the understandings from the first) until ``limit`` are found."""
        with self._reading("listing the articles to understand") as db:
            rows = db.execute(_NOT_UNDERSTOOD, (after, after, version, limit)).fetchall()
        return [int(r["id"]) for r in rows]

    def forget_understanding(self) -> None:
        with self._transaction("forgetting every understanding") as db:
            self._in_turn(db, Stage.UNDERSTANDING)
            db.execute("DELETE FROM article_quotes")
            db.execute("DELETE FROM article_entities")
            db.execute("DELETE FROM article_understanding")
            db.execute(
                "UPDATE entities SET articles = 0, mentions = 0, quotes = 0, first_seen = NULL, "
                "last_seen = NULL WHERE articles <> 0 OR mentions <> 0 OR quotes <> 0 "
                "OR first_seen IS NOT NULL OR last_seen IS NOT NULL"
            )

    def set_category(self, article_id: int, category: str | None) -> None:
        """The article's category and its story's tally, in the stories' turn (clustering reads
        and writes the tally back whole: a refiling between its read and its write would be lost),
        taken after the understanding's (see ``Stage``). The article's row is locked before the
        turns, as a collector storing a new version of it holds the row when it asks for them:
        taken the other way round, each would hold what the other waits for."""
        with self._transaction(f"filing article {article_id}") as db:
            row = db.execute(
                "SELECT category FROM articles WHERE id = %s FOR NO KEY UPDATE", (article_id,)
            ).fetchone()
            self._in_turn(db, Stage.UNDERSTANDING)
            self._in_turn(db, Stage.STORIES)
            if row is None or row["category"] == category:
                return
            old = row["category"]
            db.execute("UPDATE articles SET category = %s WHERE id = %s", (category, article_id))
            story = db.execute(
                "SELECT s.id, s.categories FROM story_members m JOIN stories s ON s.id = m.story_id "
                "WHERE m.article_id = %s",
                (article_id,),
            ).fetchone()
            if story is not None:
                tally, top = story_tally(json.loads(story["categories"]), old, category)
                db.execute(
                    "UPDATE stories SET categories = %s, category = %s WHERE id = %s",
                    (story_tally_json(tally), top, story["id"]),
                )

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
            where.append("type = %s")
            params.append(type)
        if since is not None:
            where.append("last_seen >= %s")
            params.append(_utc(since))
        folded = fold_words(query) if query is not None else ""
        if folded:
            where.append(f"{_KEY_NAME} LIKE %s")
            params.append(like_pattern(folded))
        with self._reading("listing entities") as db:
            rows = db.execute(
                f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE {' AND '.join(where)} "
                f"ORDER BY {_ENTITY_ORDER} LIMIT %s OFFSET %s",
                [*params, limit, offset],
            ).fetchall()
        return [entity_summary(_read_back(r, ("name",)), when=_utc) for r in rows]

    def get_entity(self, entity_id: int) -> EntitySummary | None:
        with self._reading(f"reading entity {entity_id}") as db:
            row = db.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id = %s", (entity_id,)).fetchone()
        return None if row is None else entity_summary(_read_back(row, ("name",)), when=_utc)

    def entity_of_key(self, key: str) -> EntitySummary | None:
        with self._reading(f"reading the entity {key!r}") as db:
            row = db.execute(f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE key = %s", (key,)).fetchone()
        return None if row is None else entity_summary(_read_back(row, ("name",)), when=_utc)

    def people_by_last_word(self, word: str, *, limit: int = 20) -> list[EntitySummary]:
        with self._reading(f"finding the people called {word!r}") as db:
            rows = db.execute(
                f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE id IN "
                "(SELECT entity_id FROM article_entities WHERE last_word = %s) AND articles > 0 "
                'ORDER BY articles DESC, key COLLATE "C", id LIMIT %s',
                (word, limit),
            ).fetchall()
        return [entity_summary(_read_back(r, ("name",)), when=_utc) for r in rows]

    def find_entities(self, name: str, *, limit: int = 10) -> list[EntitySummary]:
        """The keys of the name's folded form, one a type, first (each a look-up of the key's
        index); then the listed entities whose name holds it."""
        folded = fold_words(name)
        if not folded:
            return []
        exact = [f"{kind}:{folded}" for kind in ENTITY_TYPES]
        with self._reading(f"finding the entity {name!r}") as db:
            rows = db.execute(
                f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE key = ANY(%s) AND articles > 0 "
                f"ORDER BY {_ENTITY_ORDER} LIMIT %s",
                (exact, limit),
            ).fetchall()
            if len(rows) < limit:
                rows += db.execute(
                    f"SELECT {_ENTITY_COLUMNS} FROM entities WHERE articles > 0 AND key <> ALL(%s) "
                    f"AND {_KEY_NAME} LIKE %s ORDER BY {_ENTITY_ORDER} LIMIT %s",
                    (exact, like_pattern(folded), limit - len(rows)),
                ).fetchall()
        return [entity_summary(_read_back(r, ("name",)), when=_utc) for r in rows]

    def entity_articles(self, entity_id: int, limit: int, *, offset: int = 0) -> list[StoredArticle]:
        columns = ", ".join("a." + c for c in _ARTICLE_COLUMNS.split(", "))
        with self._reading(f"listing the articles of entity {entity_id}") as db:
            rows = db.execute(
                f"SELECT {columns} FROM article_entities ae JOIN articles a ON a.id = ae.article_id "
                "WHERE ae.entity_id = %s ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC "
                "LIMIT %s OFFSET %s",
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
        asked = _quotes_sql(
            speaker=speaker,
            query=query,
            article_ids=article_ids,
            statements=statements,
            limit=limit,
            offset=offset,
        )
        if asked is None:
            return []
        with self._reading("listing quotes") as db:
            rows = db.execute(*asked).fetchall()
        return [quote_hit(_read_back(r, _QUOTE_TEXTS), when=_utc) for r in rows]


def _quotes_sql(
    *,
    speaker: int | None,
    query: str | None,
    article_ids: Sequence[int] | None,
    statements: bool,
    limit: int,
    offset: int,
) -> tuple[str, list[Any]] | None:
    """The statement ``quotes`` runs, and its parameters (None: nothing can match): one page of
    quotes (newest article first, text order within one), then the first report of each one's
    statement and its count of reporting articles, looked up for that page only (the statement's
    index). With ``statements``, the matches are first cut to the earliest of each statement's."""
    where: list[str] = []
    params: list[Any] = []
    if speaker is not None:
        where.append("q.speaker_entity = %s")
        params.append(speaker)
    if query is not None:
        asked = _quote_tsquery(query)
        if asked is None:
            return None
        where.append(f"{_QUOTE_WORDS} @@ {asked[0]}")
        params += asked[1]
    if article_ids is not None:
        ids = sorted(set(article_ids))
        if not ids:
            return None
        where.append("q.article_id = ANY(%s)")
        params.append(ids)
    matching = " AND ".join(where) or "true"
    if statements:
        matching = (
            "q.id IN (SELECT DISTINCT ON (q.statement) q.id "
            "FROM article_quotes q JOIN articles a ON a.id = q.article_id "
            f"WHERE {matching} "
            "ORDER BY q.statement, coalesce(a.published, a.first_seen), a.id, q.seq)"
        )
    sql = (
        "SELECT p.*, f.id AS first_id, f.source AS first_source, f.at AS first_at, "
        "(SELECT count(DISTINCT q3.article_id) FROM article_quotes q3 "
        "WHERE q3.statement = p.statement) AS reports FROM ("
        f"SELECT {_QUOTE_COLUMNS}, a.title, a.canonical_url AS url, "
        "coalesce(a.source, a.site_name) AS source, coalesce(a.published, a.first_seen) AS at "
        "FROM article_quotes q JOIN articles a ON a.id = q.article_id "
        f"WHERE {matching} "
        "ORDER BY coalesce(a.published, a.first_seen) DESC, a.id DESC, q.seq LIMIT %s OFFSET %s"
        ") p CROSS JOIN LATERAL ("
        "SELECT a2.id, coalesce(a2.source, a2.site_name) AS source, "
        "coalesce(a2.published, a2.first_seen) AS at "
        "FROM article_quotes q2 JOIN articles a2 ON a2.id = q2.article_id "
        "WHERE q2.statement = p.statement ORDER BY coalesce(a2.published, a2.first_seen), a2.id LIMIT 1"
        ") f ORDER BY p.at DESC, p.article_id DESC, p.seq"
    )
    return sql, [*params, limit, offset]
