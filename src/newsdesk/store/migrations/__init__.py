"""The schema as numbered SQL scripts (``NNNN_name.sql``), applied in order by ``SQLiteStore``.

What SQL cannot say is a data step: ``DATA_STEPS[n]`` runs right after script ``n``, in the same
transaction, so a store is either wholly at version ``n`` or still before it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from urllib.parse import unquote, urlsplit, urlunsplit

from ...urls import redact_url

#: Columns that may hold a URL with user info, or a message quoting one (before version 8, the user
#: info of a source's URL went wherever the URL went: the URLs of the pages its feed linked to
#: relatively, the origins of its entries, fetch errors and pause reasons).
_REDACTED = (
    ("sources", "last_error"),
    ("sources", "paused_reason"),
    ("articles", "url"),
    ("articles", "origin"),
    ("article_revisions", "origin"),
    ("rejections", "origin"),
    ("rejections", "url"),
    ("rejections", "detail"),
    ("page_fetches", "url"),
    ("page_fetches", "detail"),
)

_KEYS = {("rejections", "origin"), ("page_fetches", "url")}


def _move_source_credentials(db: sqlite3.Connection) -> None:
    """Version 8: the user info of each source's URL becomes its row in ``source_credentials`` (decoded
    as httpx decoded it when it sent them), and leaves every column of ``_REDACTED``.

    Two sources whose URLs differed only in their user info would now have one URL: the later one
    keeps working with its own credentials under the same URL with ``#source-<id>`` (a fragment is
    never sent), rather than one of them being dropped.
    """
    rows = db.execute("SELECT id, url FROM sources WHERE url LIKE '%@%' ORDER BY id").fetchall()
    for source_id, url in rows:
        try:
            parts = urlsplit(url)
        except ValueError:
            # Never fetchable (httpx refuses what urlsplit does): its user info goes, unused.
            clean, userinfo = redact_url(url), ""
        else:
            userinfo, at, hostport = parts.netloc.rpartition("@")
            if not at:
                continue  # an "@" in the path ("/@newsroom/feed"), not user info
            clean = urlunsplit((parts.scheme, hostport, parts.path, parts.query, parts.fragment))
        if clean == url:
            continue
        if db.execute("SELECT 1 FROM sources WHERE url = ? AND id != ?", (clean, source_id)).fetchone():
            clean = f"{clean.partition('#')[0]}#source-{source_id}"
        db.execute("UPDATE sources SET url = ? WHERE id = ?", (clean, source_id))
        user, _, password = userinfo.partition(":")
        if user or password:
            db.execute(
                "INSERT OR REPLACE INTO source_credentials (source_id, username, password) VALUES (?, ?, ?)",
                (source_id, unquote(user), unquote(password)),
            )
    for table, column in _REDACTED:
        found = db.execute(f"SELECT rowid, {column} FROM {table} WHERE {column} LIKE '%://%@%'").fetchall()
        # A URL that is a key may now equal another row's: that row is the same page, recorded
        # again, and gives way (OR REPLACE; only there: elsewhere a conflict would be a bug).
        update = "UPDATE OR REPLACE" if (table, column) in _KEYS else "UPDATE"
        for rowid, value in found:
            clean = redact_url(value)
            if clean != value:
                db.execute(f"{update} {table} SET {column} = ? WHERE rowid = ?", (clean, rowid))


#: Data steps by migration number.
DATA_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {8: _move_source_credentials}
