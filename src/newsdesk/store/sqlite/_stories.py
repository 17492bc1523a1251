"""The story book: document frequencies, story sketches and their term index, members, decisions,
and the memo of them kept between articles (``_memo.py``).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ...exceptions import StorageError
from ...model import DecisionKind, JoinKind, Story, StoryChange, StoryDecision, StoryMember, StorySketch
from .. import _vectors
from .._memo import StoryMemo
from ._connection import StorageBase
from ._sql import _chunks, _iso

#: Articles whose terms ``story_df_log`` holds before they are folded into ``story_df`` (see
#: migration 0011): a fold writes each distinct term once, where counting articles one by one wrote
#: nearly a page for each term.
_DF_FOLD = 1000


class StoriesMixin(StorageBase):
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
                for chunk, marks in _chunks(missing):
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

    def story_ids_of(self, article_ids: Sequence[int]) -> dict[int, int]:
        found: dict[int, int] = {}
        with self._errors("reading the stories of articles"):
            for chunk, marks in _chunks(sorted(set(article_ids))):
                for aid, sid in self._db.execute(
                    f"SELECT article_id, story_id FROM story_members WHERE article_id IN ({marks})", chunk
                ):
                    found[int(aid)] = int(sid)
        return found

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
            for chunk, marks in _chunks(changed):
                self._write_out_vectors(db, f"m.story_id IN ({marks})", chunk)
            for chunk, marks in _chunks(moved):
                self._write_out_vectors(db, f"m.article_id IN ({marks})", chunk)
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
            # a file made with auto_vacuum (every new one; see ``StorageBase.__init__``); a no-op in others.
            # (executescript: the pragma frees one page a step, and it steps to the end)
            if self._db.execute("PRAGMA freelist_count").fetchone()[0]:
                self._db.executescript("PRAGMA incremental_vacuum")

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
