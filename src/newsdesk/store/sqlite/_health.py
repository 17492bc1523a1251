"""The store as a whole: statistics, where its bytes go, unfinished articles, integrity, and
compaction.
"""

from __future__ import annotations

import sqlite3

from ...exceptions import StorageError
from ...model import MissingPart, UnfinishedArticle
from ..protocols import DiskUsage, StorageArea, StoredObject, StoreStats, table_area
from ._stories import StoriesMixin

#: What ``disk_usage`` calls the pages of the auto-vacuum pointer map.
_POINTER_MAP = "(pointer map)"


def _area(table: str) -> StorageArea:
    if table.startswith(("articles_fts", "articles_cjk")):
        return StorageArea.SEARCH
    return table_area(table)


class HealthMixin(StoriesMixin):
    """Compaction settles first, so this part builds on the stories' (``settle``)."""

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
                for table in ("articles_fts", "articles_cjk", "article_quotes_fts"):
                    db.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
            self._db.execute("PRAGMA auto_vacuum = INCREMENTAL")
            self._db.execute("VACUUM")

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
            for table, what in (
                ("articles_fts", "full-text index"),
                ("articles_cjk", "substring index"),
                ("article_quotes_fts", "quotes' word index"),
            ):
                try:
                    self._db.execute(f"INSERT INTO {table} ({table}, rank) VALUES ('integrity-check', 1)")
                except sqlite3.DatabaseError as e:
                    problems.append(f"{what}: {e}")
        return problems
