"""Sources and what fetching them leaves behind: their health, feed entry ids, page fetches and
rejections.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from ...model import Credentials, PageOutcome, Rejected, RejectReason
from .._rows import SOURCE_COLUMNS, stored_source
from ..protocols import PageFetch, SourceFetch, StoredSource
from ._connection import StorageBase
from ._sql import _chunks, _dt, _iso

_SOURCE_COLUMNS = SOURCE_COLUMNS


#: Due: not paused, of the kinds asked for (``{marks}``), due by the time bound first and not under
#: a running lease (the time bound again).
_DUE = (
    "paused_reason IS NULL AND kind IN ({marks}) AND (next_due IS NULL OR next_due <= ?) "
    "AND (leased_until IS NULL OR leased_until <= ?)"
)


def _row_to_source(r: sqlite3.Row) -> StoredSource:
    return stored_source(r, when=_dt)


#: The area (see ``StorageArea``) of each table; an index is in its table's. The full-text


class SourcesMixin(StorageBase):
    # -- rejections and sources ---------------------------------------------------------------

    def record_rejection(self, rejected: Rejected, *, seen: datetime) -> None:
        with self._transaction(f"recording rejection of {rejected.origin}") as db:
            db.execute(
                "INSERT INTO rejections (origin, url, reason, detail, seen) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (origin) DO UPDATE SET url = excluded.url, reason = excluded.reason, "
                "detail = excluded.detail WHERE reason != excluded.reason "
                "OR detail != excluded.detail",
                (rejected.origin, rejected.url, rejected.reason.value, rejected.detail, _iso(seen)),
            )

    def rejections(self) -> list[Rejected]:
        with self._errors("reading rejections"):
            rows = self._db.execute(
                "SELECT origin, url, reason, detail FROM rejections ORDER BY origin"
            ).fetchall()
        return [
            Rejected(origin=r["origin"], url=r["url"], reason=RejectReason(r["reason"]), detail=r["detail"])
            for r in rows
        ]

    def add_source(
        self,
        kind: str,
        url: str,
        name: str | None,
        *,
        added: datetime,
        category: str | None = None,
        credentials: Credentials | None = None,
    ) -> bool:
        from ...urls import domain_of, redact_url

        with self._transaction(f"adding source {redact_url(url)}") as db:
            cur = db.execute(
                "INSERT OR IGNORE INTO sources (kind, url, name, domain, added, category) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (kind, url, name, domain_of(url), _iso(added), category),
            )
            if credentials is not None:
                db.execute(
                    "INSERT INTO source_credentials (source_id, username, password) "
                    "SELECT id, ?, ? FROM sources WHERE url = ? ON CONFLICT (source_id) DO UPDATE "
                    "SET username = excluded.username, password = excluded.password",
                    (credentials.username, credentials.password, url),
                )
            return cur.rowcount > 0

    def source_credentials(self, source_id: int) -> Credentials | None:
        with self._errors(f"reading the credentials of source {source_id}"):
            row = self._db.execute(
                "SELECT username, password FROM source_credentials WHERE source_id = ?", (source_id,)
            ).fetchone()
        return Credentials(row["username"], row["password"]) if row else None

    def sources(self) -> list[StoredSource]:
        with self._errors("listing sources"):
            rows = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY id").fetchall()
        return [_row_to_source(r) for r in rows]

    # -- fetching -------------------------------------------------------------------------------

    def get_source(self, source_id: int) -> StoredSource | None:
        with self._errors(f"reading source {source_id}"):
            row = self._db.execute(
                f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = ?", (source_id,)
            ).fetchone()
        return _row_to_source(row) if row else None

    def find_source(self, url: str) -> StoredSource | None:
        with self._errors(f"looking up source {url}"):
            row = self._db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE url = ?", (url,)).fetchone()
        return _row_to_source(row) if row else None

    def due_sources(self, now: datetime, kinds: Sequence[str]) -> list[StoredSource]:
        marks = ",".join("?" * len(kinds))
        with self._errors("listing due sources"):
            rows = self._db.execute(
                f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE {_DUE.format(marks=marks)} "
                "ORDER BY next_due IS NOT NULL, next_due, id",
                [*kinds, _iso(now), _iso(now)],
            ).fetchall()
        return [_row_to_source(r) for r in rows]

    def claim_sources(
        self, now: datetime, kinds: Sequence[str], *, holder: str, until: datetime, limit: int
    ) -> list[StoredSource]:
        # One write transaction (BEGIN IMMEDIATE holds SQLite's one writer lock): the due sources
        # read are the ones leased, whatever other processes do meanwhile.
        marks = ",".join("?" * len(kinds))
        with self._transaction("claiming due sources") as db:
            rows = db.execute(
                f"UPDATE sources SET leased_by = ?, leased_until = ? WHERE id IN ("
                f"SELECT id FROM sources WHERE {_DUE.format(marks=marks)} "
                "ORDER BY next_due IS NOT NULL, next_due, id LIMIT ?) "
                f"RETURNING {_SOURCE_COLUMNS}",
                [holder, _iso(until), *kinds, _iso(now), _iso(now), max(limit, 0)],
            ).fetchall()
        found = [_row_to_source(r) for r in rows]
        # RETURNING gives rows in no promised order: most overdue first, as due_sources.
        return sorted(found, key=lambda s: (s.next_due is not None, s.next_due or now, s.id))

    def renew_claims(self, holder: str, source_ids: Sequence[int], until: datetime) -> None:
        if not source_ids:
            return
        with self._transaction("renewing source leases") as db:
            for chunk, marks in _chunks(source_ids):
                db.execute(
                    f"UPDATE sources SET leased_until = ? WHERE leased_by = ? AND id IN ({marks})",
                    [_iso(until), holder, *chunk],
                )

    def release_claims(self, holder: str) -> None:
        with self._transaction("releasing source leases") as db:
            db.execute(
                "UPDATE sources SET leased_by = NULL, leased_until = NULL WHERE leased_by = ?", (holder,)
            )

    def next_due(self, kinds: Sequence[str]) -> datetime | None:
        marks = ",".join("?" * len(kinds))
        with self._errors("reading the next due time"):
            row = self._db.execute(
                # max() of two strings: the later of the due time and the lease's end ('' sorts first).
                "SELECT min(max(coalesce(next_due, ''), coalesce(leased_until, ''))) FROM sources "
                "WHERE paused_reason IS NULL "
                f"AND kind IN ({marks})",
                list(kinds),
            ).fetchone()
        if row is None or row[0] is None:
            return None
        return _dt(row[0]) if row[0] else datetime.min.replace(tzinfo=UTC)

    def record_source_fetch(self, source_id: int, fetch: SourceFetch) -> None:
        fetched = _iso(fetch.fetched)
        with self._transaction(f"recording a fetch of source {source_id}") as db:
            db.execute(
                "UPDATE sources SET last_fetched = ?, last_status = ?, next_due = ?, "
                "errors_in_row = ?, paused_reason = ?, fetches = fetches + 1, "
                "not_modified = not_modified + ?, "
                "last_error = CASE WHEN ? IS NOT NULL THEN ? ELSE last_error END, "
                "last_success = CASE WHEN ? THEN ? ELSE last_success END, "
                "first_success = CASE WHEN ? AND first_success IS NULL THEN ? ELSE first_success END, "
                "etag = CASE WHEN ? THEN ? ELSE etag END, "
                "last_modified = CASE WHEN ? THEN ? ELSE last_modified END, "
                "new_articles = new_articles + ?, "
                "last_new_article = CASE WHEN ? > 0 THEN ? ELSE last_new_article END, "
                "ttl_seconds = CASE WHEN ? THEN ? ELSE ttl_seconds END, "
                "rate_per_day = coalesce(?, rate_per_day), leased_by = NULL, leased_until = NULL "
                "WHERE id = ?",
                (
                    fetched,
                    fetch.status,
                    _iso(fetch.next_due),
                    fetch.errors_in_row,
                    fetch.paused_reason,
                    int(fetch.not_modified),
                    fetch.error,
                    fetch.error,
                    fetch.ok,
                    fetched,
                    fetch.ok,
                    fetched,
                    fetch.ok and not fetch.not_modified,
                    fetch.etag,
                    fetch.ok and not fetch.not_modified,
                    fetch.last_modified,
                    fetch.new_articles,
                    fetch.new_articles,
                    fetched,
                    fetch.ok,
                    fetch.ttl_seconds,
                    fetch.rate_per_day,
                    source_id,
                ),
            )

    def move_source(self, source_id: int, url: str, *, keep_credentials: bool = True) -> bool:
        from ...urls import domain_of, redact_url

        with self._transaction(f"moving source {source_id} to {redact_url(url)}") as db:
            taken = db.execute(
                "SELECT id FROM sources WHERE url = ? AND id != ?", (url, source_id)
            ).fetchone()
            if taken:
                return False
            db.execute(
                "UPDATE sources SET url = ?, domain = ?, etag = NULL, last_modified = NULL WHERE id = ?",
                (url, domain_of(url), source_id),
            )
            if not keep_credentials:
                db.execute("DELETE FROM source_credentials WHERE source_id = ?", (source_id,))
            return True

    def remove_source(self, source_id: int) -> bool:
        with self._transaction(f"removing source {source_id}") as db:
            return db.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount > 0

    def set_source_paused(self, source_id: int, reason: str | None, *, now: datetime) -> None:
        with self._transaction(f"pausing source {source_id}") as db:
            if reason is None:
                db.execute(
                    "UPDATE sources SET paused_reason = NULL, errors_in_row = 0, next_due = ? WHERE id = ?",
                    (_iso(now), source_id),
                )
            else:
                db.execute("UPDATE sources SET paused_reason = ? WHERE id = ?", (reason, source_id))

    def entry_article(self, source_id: int, entry_id: str) -> int | None:
        with self._errors("looking up an entry id"):
            row = self._db.execute(
                "SELECT article_id FROM entry_ids WHERE source_id = ? AND entry_id = ?", (source_id, entry_id)
            ).fetchone()
        return int(row[0]) if row else None

    def save_entry_ids(self, source_id: int, pairs: Sequence[tuple[str, int]]) -> None:
        if not pairs:
            return
        with self._transaction(f"recording entry ids of source {source_id}") as db:
            db.executemany(
                "INSERT INTO entry_ids (source_id, entry_id, article_id) VALUES (?, ?, ?) "
                "ON CONFLICT (source_id, entry_id) DO UPDATE SET article_id = excluded.article_id",
                ((source_id, entry_id, article_id) for entry_id, article_id in pairs),
            )

    def page_fetch(self, url: str) -> PageFetch | None:
        with self._errors(f"looking up the fetch of {url}"):
            r = self._db.execute(
                "SELECT url, status, outcome, detail, attempts, tried FROM page_fetches WHERE url = ?", (url,)
            ).fetchone()
        if r is None:
            return None
        tried = _dt(r["tried"])
        assert tried is not None
        return PageFetch(
            r["url"], r["status"], PageOutcome(r["outcome"]), r["detail"], int(r["attempts"]), tried
        )

    def record_page_fetch(
        self,
        url: str,
        *,
        source_id: int | None,
        status: int | None,
        outcome: str,
        detail: str | None,
        tried: datetime,
    ) -> None:
        with self._transaction(f"recording the fetch of {url}") as db:
            db.execute(
                "INSERT INTO page_fetches (url, source_id, status, outcome, detail, attempts, tried) "
                "VALUES (?, ?, ?, ?, ?, 1, ?) ON CONFLICT (url) DO UPDATE SET "
                "source_id = excluded.source_id, status = excluded.status, outcome = excluded.outcome, "
                "detail = excluded.detail, attempts = attempts + 1, tried = excluded.tried",
                (url, source_id, status, outcome, detail, _iso(tried)),
            )
            if outcome == "stored":
                db.execute("DELETE FROM rejections WHERE origin = ? AND reason = 'fetch-failed'", (url,))
