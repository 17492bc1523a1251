"""Sources and what fetching them leaves behind: their health, feed entry ids, page fetches and
rejections.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from ...model import Credentials, PageOutcome, Rejected, RejectReason
from .._rows import SOURCE_COLUMNS, stored_source
from ..protocols import PageFetch, SourceFetch, StoredSource
from ._connection import StorageBase
from ._sql import _utc

_SOURCE_COLUMNS = SOURCE_COLUMNS

#: Due: not paused, of the kinds asked for, due by now and not under a running lease.
_DUE = (
    "paused_reason IS NULL AND kind = ANY(%(kinds)s) AND (next_due IS NULL OR next_due <= %(now)s) "
    "AND (leased_until IS NULL OR leased_until <= %(now)s)"
)


def _row_to_source(r: dict[str, Any]) -> StoredSource:
    return stored_source(r, when=_utc)


class SourcesMixin(StorageBase):
    def record_rejection(self, rejected: Rejected, *, seen: datetime) -> None:
        with self._transaction(f"recording rejection of {rejected.origin}") as db:
            db.execute(
                "INSERT INTO rejections AS r (origin, url, reason, detail, seen) VALUES (%s, %s, %s, %s, %s) "
                "ON CONFLICT (origin) DO UPDATE SET url = excluded.url, reason = excluded.reason, "
                "detail = excluded.detail WHERE r.reason != excluded.reason OR r.detail != excluded.detail",
                (rejected.origin, rejected.url, rejected.reason.value, rejected.detail, _utc(seen)),
            )

    def rejections(self) -> list[Rejected]:
        with self._reading("reading rejections") as db:
            rows = db.execute(
                'SELECT origin, url, reason, detail FROM rejections ORDER BY origin COLLATE "C"'
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
            # Looked up first: an INSERT that meets the URL's conflict still takes a number from the
            # sequence, and ids are kept dense as the SQLite store's are (the same history, the
            # same ids). ON CONFLICT stays for another writer adding it meanwhile.
            known = db.execute("SELECT 1 FROM sources WHERE url = %s", (url,)).fetchone()
            added_now = known is None and (
                db.execute(
                    "INSERT INTO sources (kind, url, name, domain, added, category) "
                    "VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (url) DO NOTHING",
                    (kind, url, name, domain_of(url), _utc(added), category),
                ).rowcount
                > 0
            )
            if credentials is not None:
                db.execute(
                    "INSERT INTO source_credentials (source_id, username, password) "
                    "SELECT id, %s, %s FROM sources WHERE url = %s ON CONFLICT (source_id) DO UPDATE "
                    "SET username = excluded.username, password = excluded.password",
                    (credentials.username, credentials.password, url),
                )
            return added_now

    def source_credentials(self, source_id: int) -> Credentials | None:
        with self._reading(f"reading the credentials of source {source_id}") as db:
            row = db.execute(
                "SELECT username, password FROM source_credentials WHERE source_id = %s", (source_id,)
            ).fetchone()
        return Credentials(row["username"], row["password"]) if row else None

    def sources(self) -> list[StoredSource]:
        with self._reading("listing sources") as db:
            rows = db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources ORDER BY id").fetchall()
        return [_row_to_source(r) for r in rows]

    def get_source(self, source_id: int) -> StoredSource | None:
        with self._reading(f"reading source {source_id}") as db:
            row = db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE id = %s", (source_id,)).fetchone()
        return _row_to_source(row) if row else None

    def find_source(self, url: str) -> StoredSource | None:
        with self._reading(f"looking up source {url}") as db:
            row = db.execute(f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE url = %s", (url,)).fetchone()
        return _row_to_source(row) if row else None

    def due_sources(self, now: datetime, kinds: Sequence[str]) -> list[StoredSource]:
        with self._reading("listing due sources") as db:
            rows = db.execute(
                f"SELECT {_SOURCE_COLUMNS} FROM sources WHERE {_DUE} "
                "ORDER BY next_due IS NOT NULL, next_due, id",
                {"kinds": list(kinds), "now": _utc(now)},
            ).fetchall()
        return [_row_to_source(r) for r in rows]

    def claim_sources(
        self, now: datetime, kinds: Sequence[str], *, holder: str, until: datetime, limit: int
    ) -> list[StoredSource]:
        # SKIP LOCKED: a row another collector is claiming this moment is passed over rather than
        # waited for (and then found leased), so collectors claiming at once never block each other
        # and never take the same source.
        with self._transaction("claiming due sources") as db:
            rows = db.execute(
                f"UPDATE sources SET leased_by = %(holder)s, leased_until = %(until)s WHERE id IN ("
                f"SELECT id FROM sources WHERE {_DUE} "
                "ORDER BY next_due IS NOT NULL, next_due, id LIMIT %(limit)s FOR UPDATE SKIP LOCKED) "
                f"RETURNING {_SOURCE_COLUMNS}",
                {
                    "holder": holder,
                    "until": _utc(until),
                    "kinds": list(kinds),
                    "now": _utc(now),
                    "limit": max(limit, 0),
                },
            ).fetchall()
        found = [_row_to_source(r) for r in rows]
        return sorted(found, key=lambda s: (s.next_due is not None, s.next_due or now, s.id))

    def renew_claims(self, holder: str, source_ids: Sequence[int], until: datetime) -> None:
        if not source_ids:
            return
        with self._transaction("renewing source leases") as db:
            db.execute(
                "UPDATE sources SET leased_until = %s WHERE leased_by = %s AND id = ANY(%s)",
                (_utc(until), holder, list(source_ids)),
            )

    def release_claims(self, holder: str) -> None:
        with self._transaction("releasing source leases") as db:
            db.execute(
                "UPDATE sources SET leased_by = NULL, leased_until = NULL WHERE leased_by = %s", (holder,)
            )

    def next_due(self, kinds: Sequence[str]) -> datetime | None:
        """As the protocol says; a source never fetched is due at the beginning of time."""
        with self._reading("reading the next due time") as db:
            row = db.execute(
                "SELECT count(*) AS n, bool_or(next_due IS NULL AND leased_until IS NULL) AS unscheduled, "
                "min(greatest(next_due, leased_until)) AS due "
                "FROM sources WHERE paused_reason IS NULL AND kind = ANY(%s)",
                (list(kinds),),
            ).fetchone()
        if row is None or not row["n"]:
            return None
        if row["unscheduled"]:
            return datetime.min.replace(tzinfo=UTC)
        return _utc(row["due"])

    def record_source_fetch(self, source_id: int, fetch: SourceFetch) -> None:
        fetched = _utc(fetch.fetched)
        fresh = fetch.ok and not fetch.not_modified
        with self._transaction(f"recording a fetch of source {source_id}") as db:
            db.execute(
                "UPDATE sources SET last_fetched = %(fetched)s, last_status = %(status)s, "
                "next_due = %(next_due)s, errors_in_row = %(errors)s, paused_reason = %(paused)s, "
                "fetches = fetches + 1, not_modified = not_modified + %(not_modified)s, "
                "last_error = coalesce(%(error)s, last_error), "
                "last_success = CASE WHEN %(ok)s THEN %(fetched)s ELSE last_success END, "
                "first_success = CASE WHEN %(ok)s AND first_success IS NULL THEN %(fetched)s "
                "ELSE first_success END, "
                "etag = CASE WHEN %(fresh)s THEN %(etag)s ELSE etag END, "
                "last_modified = CASE WHEN %(fresh)s THEN %(last_modified)s ELSE last_modified END, "
                "new_articles = new_articles + %(new)s, "
                "last_new_article = CASE WHEN %(new)s > 0 THEN %(fetched)s ELSE last_new_article END, "
                "ttl_seconds = CASE WHEN %(ok)s THEN %(ttl)s ELSE ttl_seconds END, "
                "rate_per_day = coalesce(%(rate)s, rate_per_day), leased_by = NULL, leased_until = NULL "
                "WHERE id = %(id)s",
                {
                    "fetched": fetched,
                    "status": fetch.status,
                    "next_due": _utc(fetch.next_due),
                    "errors": fetch.errors_in_row,
                    "paused": fetch.paused_reason,
                    "not_modified": int(fetch.not_modified),
                    "error": fetch.error,
                    "ok": fetch.ok,
                    "fresh": fresh,
                    "etag": fetch.etag,
                    "last_modified": fetch.last_modified,
                    "new": fetch.new_articles,
                    "ttl": fetch.ttl_seconds,
                    "rate": fetch.rate_per_day,
                    "id": source_id,
                },
            )

    def move_source(self, source_id: int, url: str, *, keep_credentials: bool = True) -> bool:
        from ...urls import domain_of, redact_url

        with self._transaction(f"moving source {source_id} to {redact_url(url)}") as db:
            taken = db.execute(
                "SELECT id FROM sources WHERE url = %s AND id != %s", (url, source_id)
            ).fetchone()
            if taken:
                return False
            db.execute(
                "UPDATE sources SET url = %s, domain = %s, etag = NULL, last_modified = NULL WHERE id = %s",
                (url, domain_of(url), source_id),
            )
            if not keep_credentials:
                db.execute("DELETE FROM source_credentials WHERE source_id = %s", (source_id,))
            return True

    def remove_source(self, source_id: int) -> bool:
        with self._transaction(f"removing source {source_id}") as db:
            return db.execute("DELETE FROM sources WHERE id = %s", (source_id,)).rowcount > 0

    def set_source_paused(self, source_id: int, reason: str | None, *, now: datetime) -> None:
        with self._transaction(f"pausing source {source_id}") as db:
            if reason is None:
                db.execute(
                    "UPDATE sources SET paused_reason = NULL, errors_in_row = 0, next_due = %s WHERE id = %s",
                    (_utc(now), source_id),
                )
            else:
                db.execute("UPDATE sources SET paused_reason = %s WHERE id = %s", (reason, source_id))

    def entry_article(self, source_id: int, entry_id: str) -> int | None:
        with self._reading("looking up an entry id") as db:
            row = db.execute(
                "SELECT article_id FROM entry_ids WHERE source_id = %s AND entry_id = %s",
                (source_id, entry_id),
            ).fetchone()
        return int(row["article_id"]) if row else None

    def save_entry_ids(self, source_id: int, pairs: Sequence[tuple[str, int]]) -> None:
        if not pairs:
            return
        with self._transaction(f"recording entry ids of source {source_id}") as db, db.cursor() as cur:
            cur.executemany(
                "INSERT INTO entry_ids (source_id, entry_id, article_id) VALUES (%s, %s, %s) "
                "ON CONFLICT (source_id, entry_id) DO UPDATE SET article_id = excluded.article_id",
                [(source_id, entry_id, article_id) for entry_id, article_id in pairs],
            )

    def page_fetch(self, url: str) -> PageFetch | None:
        with self._reading(f"looking up the fetch of {url}") as db:
            r = db.execute(
                "SELECT url, status, outcome, detail, attempts, tried FROM page_fetches WHERE url = %s",
                (url,),
            ).fetchone()
        if r is None:
            return None
        tried = _utc(r["tried"])
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
                "INSERT INTO page_fetches AS p (url, source_id, status, outcome, detail, attempts, tried) "
                "VALUES (%s, %s, %s, %s, %s, 1, %s) ON CONFLICT (url) DO UPDATE SET "
                "source_id = excluded.source_id, status = excluded.status, outcome = excluded.outcome, "
                "detail = excluded.detail, attempts = p.attempts + 1, tried = excluded.tried",
                (url, source_id, status, str(outcome), detail, _utc(tried)),
            )
            if outcome == "stored":
                db.execute("DELETE FROM rejections WHERE origin = %s AND reason = 'fetch-failed'", (url,))
