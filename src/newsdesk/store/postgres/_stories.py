"""The story book: document frequencies, story sketches and their term index, members, decisions.

What the SQLite store keeps for speed and this one does not: a memo of sketches between articles
(``_memo.py``: each read here goes to the server), the document-frequency log (each article's
terms are counted straight into ``story_df``, an upsert a term: PostgreSQL writes a row, not a
page), and a member's vector kept as the start of its story's centroid (always packed here).
What any read gives is the same. Inside a unit of work the book's reads wait for the stories'
turn (``StorageBase._in_turn``): clustering is order-dependent, so writers sharing the database
assign their articles one at a time.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ...model import DecisionKind, JoinKind, Story, StoryChange, StoryDecision, StoryMember, StorySketch
from .. import _vectors
from ._connection import Conn, Stage, StorageBase
from ._sql import _utc

_STORY_COLUMNS = (
    "id, title, title_article, first_seen, last_seen, size, open, merged_into, centroid, word_norm, "
    "name_norm, sources, categories"
)
_STORY_LISTED = "id, title, title_article, first_seen, last_seen, size, category, open, sources"
_MEMBER_SELECT = (
    "SELECT m.article_id, m.story_id, m.vector, m.at, m.joined, m.score, a.title, "
    "coalesce(a.source, a.site_name) AS source, a.category FROM story_members m "
    "JOIN articles a ON a.id = m.article_id "
)


def _row_to_sketch(r: dict[str, Any]) -> StorySketch:
    word_norm, name_norm = r["word_norm"], r["name_norm"]
    return StorySketch(
        id=int(r["id"]),
        centroid=_vectors.unpack(bytes(r["centroid"])),
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


def _row_to_member(r: dict[str, Any]) -> StoryMember:
    return StoryMember(
        article_id=int(r["article_id"]),
        story_id=int(r["story_id"]),
        vector=_vectors.unpack(bytes(r["vector"])),
        when=r["at"],
        title=r["title"],
        source=r["source"],
        category=r["category"],
        joined=JoinKind(r["joined"]),
        score=float(r["score"]),
    )


def _row_to_story(r: dict[str, Any]) -> Story:
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


class StoriesMixin(StorageBase):
    def story_doc_freqs(self, terms: Sequence[str]) -> tuple[dict[str, int], int]:
        with self._reading("reading document frequencies") as db:
            self._in_turn(db, Stage.STORIES)
            rows = db.execute("SELECT term, df FROM story_df WHERE term = ANY(%s)", (list(terms),)).fetchall()
            docs = db.execute("SELECT docs FROM story_counts WHERE id = 1").fetchone()
        found = {r["term"]: int(r["df"]) for r in rows}
        return {t: n for t in terms if (n := found.get(t, 0))}, int(docs["docs"]) if docs else 0

    def story_candidates(self, keys: Sequence[str], *, limit: int) -> list[StorySketch]:
        """Open stories listed under any of ``keys`` in ``story_terms`` (a descent of its primary
        key a key: the cost follows the keys, not the number of stories)."""
        if not keys:
            return []
        with self._reading("looking up candidate stories") as db:
            self._in_turn(db, Stage.STORIES)
            rows = db.execute(
                f"SELECT {', '.join('s.' + c for c in _STORY_COLUMNS.split(', '))}, t.n FROM "
                "(SELECT story_id, count(*) AS n FROM story_terms WHERE term = ANY(%s) "
                "GROUP BY story_id ORDER BY n DESC, story_id LIMIT %s) t "
                "JOIN stories s ON s.id = t.story_id ORDER BY t.n DESC, s.id",
                (list(keys), limit),
            ).fetchall()
        return [_row_to_sketch(r) for r in rows]

    def story_sketch(self, story_id: int) -> StorySketch | None:
        with self._reading(f"reading story {story_id}") as db:
            for _ in range(64):  # follow merges
                row = db.execute(
                    f"SELECT {_STORY_COLUMNS} FROM stories WHERE id = %s", (story_id,)
                ).fetchone()
                if row is None:
                    return None
                if row["merged_into"] is None:
                    return _row_to_sketch(row)
                story_id = int(row["merged_into"])
        return None

    def story_members(self, story_id: int) -> list[StoryMember]:
        with self._reading(f"reading the members of story {story_id}") as db:
            rows = db.execute(
                _MEMBER_SELECT + "WHERE m.story_id = %s ORDER BY m.article_id", (story_id,)
            ).fetchall()
        return [_row_to_member(r) for r in rows]

    def story_member(self, article_id: int) -> StoryMember | None:
        with self._reading(f"reading the story membership of article {article_id}") as db:
            row = db.execute(_MEMBER_SELECT + "WHERE m.article_id = %s", (article_id,)).fetchone()
        return None if row is None else _row_to_member(row)

    def story_id_of(self, article_id: int) -> int | None:
        with self._reading(f"reading the story of article {article_id}") as db:
            row = db.execute(
                "SELECT story_id FROM story_members WHERE article_id = %s", (article_id,)
            ).fetchone()
        return None if row is None else int(row["story_id"])

    def story_ids_of(self, article_ids: Sequence[int]) -> dict[int, int]:
        if not article_ids:
            return {}
        with self._reading("reading the stories of articles") as db:
            rows = db.execute(
                "SELECT article_id, story_id FROM story_members WHERE article_id = ANY(%s)",
                (sorted(set(article_ids)),),
            ).fetchall()
        return {int(r["article_id"]): int(r["story_id"]) for r in rows}

    def new_story_id(self) -> int:
        with self._reading("numbering a story") as db:
            self._in_turn(db, Stage.STORIES)
            row = db.execute("SELECT coalesce(max(id), 0) + 1 AS n FROM stories").fetchone()
        assert row is not None
        return int(row["n"])

    def save_story_change(self, change: StoryChange) -> None:
        decided = _utc(change.decided or datetime.now(UTC))
        with self._transaction(f"recording the story of article {change.article_id}") as db:
            self._in_turn(db, Stage.STORIES)
            self._count_terms(db, change.terms)
            with db.cursor() as cur:
                for s in change.sketches.values():
                    live = s.merged_into is None and s.open
                    word_norm, name_norm = s.norms if s.norms is not None else (None, None)
                    cur.execute(
                        f"INSERT INTO stories ({_STORY_COLUMNS}, category) "
                        "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) "
                        "ON CONFLICT (id) DO UPDATE SET title = excluded.title, "
                        "title_article = excluded.title_article, first_seen = excluded.first_seen, "
                        "last_seen = excluded.last_seen, size = excluded.size, open = excluded.open, "
                        "merged_into = excluded.merged_into, centroid = excluded.centroid, "
                        "word_norm = excluded.word_norm, name_norm = excluded.name_norm, "
                        "sources = excluded.sources, categories = excluded.categories, "
                        "category = excluded.category",
                        (
                            s.id,
                            s.title,
                            s.title_article,
                            s.first,
                            s.last,
                            s.size,
                            live,
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
                cur.execute(
                    "INSERT INTO story_members (article_id, story_id, at, joined, score, vector) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (article_id) DO UPDATE SET "
                    "story_id = excluded.story_id, at = excluded.at, joined = excluded.joined, "
                    "score = excluded.score, vector = excluded.vector",
                    (m.article_id, change.story_id, m.when, str(m.joined), m.score, _vectors.pack(m.vector)),
                )
                if change.moves:
                    cur.executemany(
                        "UPDATE story_members SET story_id = %s WHERE article_id = %s",
                        [(to, a) for a, to in change.moves],
                    )
                if change.decisions:
                    cur.executemany(
                        "INSERT INTO story_decisions (kind, story_id, other_id, articles, score, reason, "
                        "article_id, decided) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                        [
                            (
                                str(d.kind),
                                d.story_id,
                                d.other_id,
                                json.dumps(list(d.articles)),
                                d.score,
                                d.reason,
                                d.article_id,
                                decided,
                            )
                            for d in change.decisions
                        ],
                    )
            if change.close_before is not None:
                closed = [
                    int(r["id"])
                    for r in db.execute(
                        "UPDATE stories SET open = false WHERE open AND last_seen < %s RETURNING id",
                        (change.close_before,),
                    ).fetchall()
                ]
                if closed:
                    db.execute("DELETE FROM story_terms WHERE story_id = ANY(%s)", (closed,))

    @staticmethod
    def _count_terms(db: Conn, terms: Sequence[str]) -> None:
        """Count an article's terms once more in the document frequencies (in the order of the
        terms, so that two writers at once take the rows' locks in one order)."""
        db.execute("UPDATE story_counts SET docs = docs + 1 WHERE id = 1")
        if not terms:
            return
        counts = sorted(Counter(terms).items())
        db.execute(
            "INSERT INTO story_df AS d (term, df) SELECT * FROM unnest(%s::text[], %s::integer[]) "
            "ON CONFLICT (term) DO UPDATE SET df = d.df + excluded.df",
            ([t for t, _ in counts], [n for _, n in counts]),
        )

    @staticmethod
    def _index_story(db: Conn, story_id: int, keys: Sequence[str]) -> None:
        """List a story under ``keys`` in the index (none: out of it), moving only the terms that
        changed."""
        held = {
            r["term"] for r in db.execute("SELECT term FROM story_terms WHERE story_id = %s", (story_id,))
        }
        wanted = set(keys)
        if held - wanted:
            db.execute(
                "DELETE FROM story_terms WHERE story_id = %s AND term = ANY(%s)",
                (story_id, sorted(held - wanted)),
            )
        if wanted - held:
            db.execute(
                "INSERT INTO story_terms (term, story_id) SELECT t, %s FROM unnest(%s::text[]) AS t",
                (story_id, sorted(wanted - held)),
            )

    def settle(self) -> None:
        """Nothing to put away: the document frequencies have no log here (see the module)."""

    def stories(
        self,
        *,
        since: datetime | None = None,
        category: str | None = None,
        limit: int | None = None,
        min_size: int = 1,
    ) -> list[Story]:
        where = ["merged_into IS NULL", "size >= %s"]
        params: list[Any] = [min_size]
        if since is not None:
            where.append("last_seen >= %s")
            params.append(since.timestamp())
        if category is not None:
            where.append("lower(category) = lower(%s)")
            params.append(category)
        sql = (
            f"SELECT {_STORY_LISTED} FROM stories WHERE {' AND '.join(where)} "
            "ORDER BY last_seen DESC NULLS LAST, id DESC"
        )
        if limit is not None:
            sql += " LIMIT %s"
            params.append(limit)
        with self._reading("listing stories") as db:
            rows = db.execute(sql, params).fetchall()
        return [_row_to_story(r) for r in rows]

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
            where.append("last_seen >= %s")
            params.append(since.timestamp())
        if category is not None:
            where.append("lower(category) = lower(%s)")
            params.append(category)
        select = f"SELECT {_STORY_LISTED} FROM stories WHERE "
        rows: list[dict[str, Any]] = []
        with self._reading("listing a page of stories") as db:
            if before is None or before[0] is not None:
                timed = [*where, "last_seen IS NOT NULL"]
                args = list(params)
                if before is not None and before[0] is not None:
                    timed.append("(last_seen, id) < (%s, %s)")
                    args += [before[0].timestamp(), before[1]]
                sql = f"{select}{' AND '.join(timed)} ORDER BY last_seen DESC, id DESC LIMIT %s"
                rows = db.execute(sql, [*args, limit]).fetchall()
            if len(rows) < limit and since is None:  # stories without a time come last
                untimed = [*where, "last_seen IS NULL"]
                args = list(params)
                if before is not None and before[0] is None:
                    untimed.append("id < %s")
                    args.append(before[1])
                sql = f"{select}{' AND '.join(untimed)} ORDER BY id DESC LIMIT %s"
                rows += db.execute(sql, [*args, limit - len(rows)]).fetchall()
        return [_row_to_story(r) for r in rows]

    def story_categories(self, recent: int) -> list[str]:
        with self._reading("listing the categories of recent stories") as db:
            rows = db.execute(
                "SELECT category FROM (SELECT category, last_seen, id FROM stories "
                "WHERE merged_into IS NULL AND last_seen IS NOT NULL "
                "ORDER BY last_seen DESC, id DESC LIMIT %s) s "
                "WHERE category IS NOT NULL GROUP BY category ORDER BY max(last_seen) DESC, category",
                (recent,),
            ).fetchall()
        return [r["category"] for r in rows]

    def get_story(self, story_id: int) -> Story | None:
        """A story by id (a merged-away id leads to the story it was merged into)."""
        sketch = self.story_sketch(story_id)
        if sketch is None:
            return None
        with self._reading(f"reading story {story_id}") as db:
            row = db.execute(f"SELECT {_STORY_LISTED} FROM stories WHERE id = %s", (sketch.id,)).fetchone()
        return None if row is None else _row_to_story(row)

    def story_decisions(self, story_id: int | None = None) -> list[StoryDecision]:
        where, params = (
            ("true", []) if story_id is None else ("story_id = %s OR other_id = %s", [story_id] * 2)
        )
        with self._reading("reading story decisions") as db:
            rows = db.execute(
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
        with self._reading("reading story assignments") as db:
            rows = db.execute("SELECT article_id, story_id FROM story_members ORDER BY article_id").fetchall()
        return {int(r["article_id"]): int(r["story_id"]) for r in rows}

    def clear_stories(self) -> None:
        with self._transaction("clearing stories") as db:
            for table in ("story_decisions", "story_terms", "story_members", "story_df", "stories"):
                db.execute(f"DELETE FROM {table}")
            db.execute("UPDATE story_counts SET docs = 0 WHERE id = 1")
