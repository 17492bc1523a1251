"""The store as a whole: statistics, where its bytes go, unfinished articles, integrity, and
compaction, as PostgreSQL tells them.
"""

from __future__ import annotations

from ...exceptions import StorageError
from ...model import MissingPart, UnfinishedArticle
from ..protocols import DiskUsage, StorageArea, StoredObject, StoreStats, table_area
from ._stories import StoriesMixin

#: The search indexes over articles: their bytes are the search's, not their table's.
_SEARCH_INDEXES = frozenset({"articles_search", "articles_substrings"})


def _area(name: str, table: str) -> StorageArea:
    if name in _SEARCH_INDEXES:
        return StorageArea.SEARCH
    return table_area(table)


#: Checks of what the schema's constraints do not say, each with the problem it finds.
_ORPHANS = (
    (
        "SELECT count(*) AS n FROM story_members m LEFT JOIN stories s ON s.id = m.story_id "
        "WHERE s.id IS NULL",
        "story members of a story that does not exist",
    ),
    (
        "SELECT count(*) AS n FROM copies c LEFT JOIN copy_groups g ON g.article_id = c.copy_id "
        "WHERE g.article_id IS NULL",
        "copy edges whose copy is in no copy group",
    ),
    (
        "SELECT count(*) AS n FROM articles a LEFT JOIN article_revisions r "
        "ON r.article_id = a.id AND r.text IS NULL WHERE r.id IS NULL",
        "articles without a current revision",
    ),
)


class HealthMixin(StoriesMixin):
    def compact(self) -> None:
        """As the protocol says: ``VACUUM (FULL, ANALYZE)`` writes every table and index again
        (holding each one's lock while it does) and refreshes the planner's statistics."""
        if self._pinned() is not None:
            raise StorageError("cannot compact the store inside a unit of work")
        self.settle()
        with self._reading("compacting") as db:
            db.execute("VACUUM (FULL, ANALYZE)")

    def stats(self) -> StoreStats:
        with self._reading("reading statistics") as db:

            def one(sql: str) -> int:
                row = db.execute(sql).fetchone()
                assert row is not None
                return int(row["n"])

            def groups(expr: str) -> dict[str, int]:
                rows = db.execute(
                    f"SELECT coalesce({expr}, '(none)') AS k, count(*) AS n FROM articles "
                    f"GROUP BY 1 ORDER BY n DESC, coalesce({expr}, '(none)') COLLATE \"C\""
                ).fetchall()
                return {r["k"]: int(r["n"]) for r in rows}

            return StoreStats(
                articles=one("SELECT count(*) AS n FROM articles"),
                revisions=one("SELECT count(*) AS n FROM article_revisions"),
                sources=one("SELECT count(*) AS n FROM sources"),
                rejections=one("SELECT count(*) AS n FROM rejections"),
                by_category=groups("category"),
                by_source=groups("coalesce(source, site_name)"),
                by_language=groups("language"),
            )

    def disk_usage(self) -> DiskUsage:
        """The database's size and each of newsdesk's tables (with its TOAST table, where long
        texts go) and indexes; free space is not known to PostgreSQL without reading every page
        (``pgstattuple``), so ``free_bytes`` is 0."""
        with self._reading("measuring the store") as db:
            total = db.execute("SELECT pg_database_size(current_database()) AS n").fetchone()
            sizes = db.execute(
                "SELECT c.relname AS name, coalesce(t.relname, c.relname) AS tbl, "
                "c.relkind = 'i' AS is_index, CASE WHEN c.relkind = 'i' THEN pg_relation_size(c.oid) "
                "ELSE pg_table_size(c.oid) END AS bytes "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "LEFT JOIN pg_index i ON i.indexrelid = c.oid LEFT JOIN pg_class t ON t.oid = i.indrelid "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')"
            ).fetchall()
            counted = db.execute(
                "SELECT count(*) AS n, coalesce(sum(octet_length(title) + octet_length(text)), 0) AS b "
                "FROM articles"
            ).fetchone()
        assert total is not None and counted is not None
        objects = sorted(
            (
                StoredObject(
                    r["name"], r["tbl"], bool(r["is_index"]), _area(r["name"], r["tbl"]), int(r["bytes"])
                )
                for r in sizes
            ),
            key=lambda o: (-o.bytes, o.name),
        )
        return DiskUsage(
            file_bytes=int(total["n"]),
            free_bytes=0,
            articles=int(counted["n"]),
            text_bytes=int(counted["b"]),
            objects=tuple(objects),
        )

    def unfinished_articles(self) -> list[UnfinishedArticle]:
        with self._reading("looking for unfinished articles") as db:
            rows = db.execute(
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
        """What the schema's constraints cannot say (PostgreSQL keeps its pages and indexes sound
        itself, and checks them with data checksums when the cluster has them): rows that lead
        nowhere."""
        problems = []
        with self._reading("checking integrity") as db:
            for sql, what in _ORPHANS:
                row = db.execute(sql).fetchone()
                if row is not None and row["n"]:
                    problems.append(f"{row['n']} {what}")
        return problems
