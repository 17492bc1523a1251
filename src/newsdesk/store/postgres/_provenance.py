"""The copy index: fingerprints and their LSH keys, copy groups and copy edges, and the reports by
source built on them.

Every lookup here goes down a btree (migration 0001): ``candidates`` looks the exact fingerprint up
in ``fingerprints_exact`` and each LSH key in ``lsh_keys``'s primary key (led by the key), so it
costs a descent a key (logarithmic: flat in practice from a thousand articles to millions) and
never reads the index whole; an article's old keys are removed by the same key. Inside a unit of
work, looking candidates up waits for copy detection's turn (``StorageBase._in_turn``), so that
writers sharing the database elect originals one article at a time.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from ...model import CopyEdge, CopyKind, IndexKeys, SourceProvenance
from .. import _vectors
from ._connection import Conn, Stage, StorageBase
from ._fold import fold
from ._sql import _utc


def _write_index(db: Conn, article_id: int, index: IndexKeys) -> None:
    """The article's fingerprint and LSH keys, its old keys (listed in its fingerprint) removed first."""
    old = db.execute("SELECT keys FROM fingerprints WHERE article_id = %s", (article_id,)).fetchone()
    if old is not None and old["keys"] is None:
        db.execute("DELETE FROM lsh_keys WHERE article_id = %s", (article_id,))
    elif old is not None:
        db.execute(
            "DELETE FROM lsh_keys WHERE article_id = %s AND key = ANY(%s::bigint[])",
            (article_id, list(_vectors.unpack_keys(bytes(old["keys"])))),
        )
    db.execute(
        "INSERT INTO fingerprints (article_id, exact, words, keys) VALUES (%s, %s, %s, %s) "
        "ON CONFLICT (article_id) DO UPDATE SET exact = excluded.exact, words = excluded.words, "
        "keys = excluded.keys",
        (article_id, index.exact, index.words, _vectors.pack_keys(index.keys)),
    )
    if index.keys:
        db.execute(
            "INSERT INTO lsh_keys (key, article_id) SELECT k, %s FROM unnest(%s::bigint[]) AS k "
            "ON CONFLICT DO NOTHING",
            (article_id, list(index.keys)),
        )


def _edge(r: dict[str, Any]) -> CopyEdge:
    decided = _utc(r["decided"])
    assert decided is not None
    return CopyEdge(
        int(r["copy_id"]),
        int(r["original_id"]),
        CopyKind(r["kind"]),
        float(r["score"]),
        json.loads(r["evidence"]),
        decided,
    )


_EDGE_COLUMNS = "copy_id, original_id, kind, score, evidence, decided"


class ProvenanceMixin(StorageBase):
    def save_fingerprint(self, article_id: int, index: IndexKeys) -> None:
        with self._transaction(f"fingerprinting article {article_id}") as db:
            _write_index(db, article_id, index)

    def candidates(self, exact: str, keys: Sequence[int], *, exclude: int, limit: int) -> list[int]:
        found: dict[int, int] = {}
        with self._reading("looking up copy candidates") as db:
            self._in_turn(db, Stage.PROVENANCE)
            for r in db.execute(
                "SELECT article_id FROM fingerprints WHERE exact = %s AND article_id != %s", (exact, exclude)
            ):
                found[int(r["article_id"])] = 1_000_000
            if keys:
                for r in db.execute(
                    "SELECT article_id, count(*) AS n FROM lsh_keys WHERE key = ANY(%s::bigint[]) "
                    "AND article_id != %s GROUP BY article_id",
                    (list(keys), exclude),
                ):
                    aid = int(r["article_id"])
                    found[aid] = found.get(aid, 0) + int(r["n"])
        ranked = sorted(found, key=lambda a: (-found[a], a))
        return ranked[:limit]

    def copy_group(self, article_id: int) -> list[int]:
        with self._reading(f"reading the copy group of {article_id}") as db:
            rows = db.execute(
                "SELECT article_id FROM copy_groups WHERE group_id = "
                "(SELECT group_id FROM copy_groups WHERE article_id = %s) ORDER BY article_id",
                (article_id,),
            ).fetchall()
        return [int(r["article_id"]) for r in rows]

    def save_copy_group(self, members: Sequence[int], original: int, edges: Sequence[CopyEdge]) -> None:
        group_id = min(members)
        with self._transaction(f"recording the copy group of {original}") as db:
            self._in_turn(db, Stage.PROVENANCE)
            db.execute("DELETE FROM copies WHERE copy_id = ANY(%s)", (list(members),))
            with db.cursor() as cur:
                cur.executemany(
                    "INSERT INTO copy_groups (article_id, group_id, original) VALUES (%s, %s, %s) "
                    "ON CONFLICT (article_id) DO UPDATE SET group_id = excluded.group_id, "
                    "original = excluded.original",
                    [(m, group_id, original) for m in members],
                )
                if edges:
                    cur.executemany(
                        f"INSERT INTO copies ({_EDGE_COLUMNS}) VALUES (%s, %s, %s, %s, %s, %s)",
                        [
                            (
                                e.copy_id,
                                e.original_id,
                                e.kind.value,
                                e.score,
                                json.dumps(e.evidence, ensure_ascii=False, sort_keys=True),
                                _utc(e.decided),
                            )
                            for e in edges
                        ],
                    )

    def copy_edges(self, *, original_id: int | None = None, copy_id: int | None = None) -> list[CopyEdge]:
        where, params = "true", []
        if original_id is not None:
            where, params = "original_id = %s", [original_id]
        elif copy_id is not None:
            where, params = "copy_id = %s", [copy_id]
        with self._reading("reading copy edges") as db:
            rows = db.execute(
                f"SELECT {_EDGE_COLUMNS} FROM copies WHERE {where} ORDER BY original_id, copy_id", params
            ).fetchall()
        return [_edge(r) for r in rows]

    def originals_of(self, article_ids: Sequence[int]) -> dict[int, CopyEdge]:
        if not article_ids:
            return {}
        with self._reading("reading copy edges") as db:
            rows = db.execute(
                f"SELECT {_EDGE_COLUMNS} FROM copies WHERE copy_id = ANY(%s)", (sorted(set(article_ids)),)
            ).fetchall()
        return {edge.copy_id: edge for edge in map(_edge, rows)}

    def copy_page(
        self,
        *,
        kind: str | None = None,
        source: str | None = None,
        after: int | None = None,
        limit: int = 20,
    ) -> list[CopyEdge]:
        where = ["c.copy_id > %s"]
        params: list[Any] = [after or 0]
        if kind is not None:
            where.append("c.kind = %s")
            params.append(kind)
        if source is not None:
            where.append(
                "EXISTS (SELECT 1 FROM articles a WHERE a.id IN (c.copy_id, c.original_id) "
                "AND (lower(a.source) = lower(%s) OR lower(a.site_name) = lower(%s)))"
            )
            params += [source, source]
        with self._reading("listing a page of copy edges") as db:
            rows = db.execute(
                f"SELECT {_EDGE_COLUMNS} FROM copies c WHERE {' AND '.join(where)} "
                "ORDER BY c.copy_id LIMIT %s",
                [*params, limit],
            ).fetchall()
        return [_edge(r) for r in rows]

    def provenance_by_source(self) -> list[SourceProvenance]:
        src = "coalesce(a.source, a.site_name, '(unknown)')"
        with self._reading("reporting provenance by source") as db:
            totals = db.execute(
                f"SELECT {src} AS src, count(*) AS n, count(*) FILTER (WHERE c.copy_id IS NULL) AS own "
                "FROM articles a LEFT JOIN copies c ON c.copy_id = a.id "
                f'GROUP BY 1 ORDER BY n DESC, {src} COLLATE "C"'
            ).fetchall()
            kinds = db.execute(
                f"SELECT {src} AS src, c.kind, count(*) AS n FROM copies c "
                "JOIN articles a ON a.id = c.copy_id GROUP BY 1, 2"
            ).fetchall()
            origins = db.execute(
                f"SELECT {src} AS src, coalesce(o.source, o.site_name, '(unknown)') AS osrc, count(*) AS n "
                "FROM copies c JOIN articles a ON a.id = c.copy_id JOIN articles o ON o.id = c.original_id "
                "GROUP BY 1, 2 ORDER BY 3 DESC"
            ).fetchall()
        by_kind: dict[str, dict[str, int]] = {}
        for r in kinds:
            by_kind.setdefault(r["src"], {})[r["kind"]] = int(r["n"])
        copied: dict[str, dict[str, int]] = {}
        for r in origins:
            copied.setdefault(r["src"], {})[r["osrc"]] = int(r["n"])
        return [
            SourceProvenance(
                r["src"], int(r["n"]), int(r["own"]), by_kind.get(r["src"], {}), copied.get(r["src"], {})
            )
            for r in totals
        ]

    def provenance_of_source(self, name: str) -> SourceProvenance:
        with self._reading(f"reporting the provenance of {name!r}") as db:
            total = db.execute(
                "SELECT count(*) AS n, count(*) FILTER (WHERE c.copy_id IS NULL) AS own FROM articles a "
                "LEFT JOIN copies c ON c.copy_id = a.id WHERE a.source = %s",
                (name,),
            ).fetchone()
            kinds = db.execute(
                "SELECT c.kind, count(*) AS n FROM articles a JOIN copies c ON c.copy_id = a.id "
                "WHERE a.source = %s GROUP BY c.kind",
                (name,),
            ).fetchall()
            origins = db.execute(
                "SELECT coalesce(o.source, o.site_name, '(unknown)') AS osrc, count(*) AS n FROM articles a "
                "JOIN copies c ON c.copy_id = a.id JOIN articles o ON o.id = c.original_id "
                "WHERE a.source = %s GROUP BY 1 "
                "ORDER BY 2 DESC, coalesce(o.source, o.site_name, '(unknown)') COLLATE \"C\"",
                (name,),
            ).fetchall()
        assert total is not None
        return SourceProvenance(
            name,
            int(total["n"]),
            int(total["own"]),
            {r["kind"]: int(r["n"]) for r in kinds},
            {r["osrc"]: int(r["n"]) for r in origins},
        )

    def clear_provenance(self) -> None:
        with self._transaction("clearing provenance") as db:
            for table in ("copies", "copy_groups", "lsh_keys", "fingerprints", "provenance_state"):
                db.execute(f"DELETE FROM {table}")

    def articles_with_line(self, line: str, *, source: str, limit: int) -> int:
        """The words of ``line`` as a phrase (``<->``: in this order, next to each other) in the
        text's part of the word index (weight B)."""
        words = re.findall(r"\w+", fold(line))  # as the word index reads it (migration 0004)
        if not words:
            return 0
        with self._reading("counting the articles that carry a line") as db:
            row = db.execute(
                "SELECT count(*) AS n FROM (SELECT a.id FROM articles a "
                "WHERE a.search @@ to_tsquery('simple', %s) "
                "AND coalesce(a.source, a.site_name) = %s LIMIT %s) AS found",
                (" <-> ".join(f"'{w}':B" for w in words), source, limit),
            ).fetchone()
        assert row is not None
        return int(row["n"])

    def fingerprint_scheme(self) -> int | None:
        with self._reading("reading the fingerprint scheme") as db:
            row = db.execute(
                "SELECT value FROM provenance_state WHERE name = 'fingerprint_scheme'"
            ).fetchone()
        return int(row["value"]) if row else None

    def set_fingerprint_scheme(self, scheme: int) -> None:
        with self._transaction("recording the fingerprint scheme") as db:
            db.execute(
                "INSERT INTO provenance_state (name, value) VALUES ('fingerprint_scheme', %s) "
                "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                (scheme,),
            )
