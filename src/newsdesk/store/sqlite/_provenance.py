"""The copy index: fingerprints and their LSH keys, copy groups and copy edges, and the reports by
source built on them.
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence
from typing import Any

from ...model import CopyEdge, CopyKind, IndexKeys, SourceProvenance
from .. import _vectors
from ._connection import StorageBase
from ._sql import _chunks, _dt, _iso


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


def _edge(r: sqlite3.Row) -> CopyEdge:
    """A row of ``copies`` as the record (every copy edge is written with its decision time)."""
    decided = _dt(r["decided"])
    assert decided is not None
    return CopyEdge(
        int(r["copy_id"]),
        int(r["original_id"]),
        CopyKind(r["kind"]),
        float(r["score"]),
        json.loads(r["evidence"]),
        decided,
    )


class ProvenanceMixin(StorageBase):
    # -- provenance -------------------------------------------------------------------------------

    def save_fingerprint(self, article_id: int, index: IndexKeys) -> None:
        with self._transaction(f"fingerprinting article {article_id}") as db:
            _write_index(db, article_id, index)

    def candidates(self, exact: str, keys: Sequence[int], *, exclude: int, limit: int) -> list[int]:
        with self._errors("looking up copy candidates"):
            found: dict[int, int] = {}
            for (aid,) in self._db.execute(
                "SELECT article_id FROM fingerprints WHERE exact = ? AND article_id != ?", (exact, exclude)
            ):
                found[int(aid)] = 1_000_000
            for chunk, marks in _chunks(keys):
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
        return [_edge(r) for r in rows]

    def originals_of(self, article_ids: Sequence[int]) -> dict[int, CopyEdge]:
        found: dict[int, CopyEdge] = {}
        with self._errors("reading copy edges"):
            for chunk, marks in _chunks(sorted(set(article_ids))):
                for r in self._db.execute(
                    "SELECT copy_id, original_id, kind, score, evidence, decided FROM copies "
                    f"WHERE copy_id IN ({marks})",
                    chunk,
                ):
                    edge = _edge(r)
                    found[edge.copy_id] = edge
        return found

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
        return [_edge(r) for r in rows]

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
