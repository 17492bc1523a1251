"""The schema as numbered SQL scripts (``NNNN_name.sql``), applied in order by ``SQLiteStore``.

What SQL cannot say is a data step: ``DATA_STEPS[n]`` runs right after script ``n``, in the same
transaction, so a store is either wholly at version ``n`` or still before it.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit, urlunsplit

from ...urls import redact_url
from .._vectors import pack, pack_keys, starts, unpack, unpack_terms

#: Columns that may hold a URL with user info, or a message quoting one: before version 9, the user
#: info of a source's URL went wherever its URL went (the origins of its entries and sitemap URLs,
#: the urn:newsdesk:<origin> identity of an entry without a usable link, which copy evidence quotes,
#: fetch errors and pause reasons). Each with what a row whose cleaned value is taken already
#: becomes: a key of a record made again ("drop": the other row is the same thing), an identity
#: ("keep": made unique with "~<rowid>"), or nothing ("text": no constraint); "json": strings
#: inside a JSON document.
_REDACTED = (
    ("sources", "last_error", "text"),
    ("sources", "paused_reason", "text"),
    ("articles", "canonical_url", "keep"),
    ("articles", "url", "text"),
    ("articles", "origin", "text"),
    ("article_revisions", "origin", "text"),
    ("article_urls", "url", "drop"),
    ("rejections", "origin", "drop"),
    ("rejections", "url", "text"),
    ("rejections", "detail", "text"),
    ("page_fetches", "url", "drop"),
    ("page_fetches", "detail", "text"),
    ("copies", "evidence", "json"),
)


def _redact_json(text: str) -> str:
    """The strings of a JSON document redacted one by one (a regex over the whole text could run
    from one string into the next)."""

    def walk(value: Any) -> Any:
        if isinstance(value, str):
            return redact_url(value)
        if isinstance(value, list):
            return [walk(v) for v in value]
        if isinstance(value, dict):
            return {k: walk(v) for k, v in value.items()}
        return value

    try:
        data = json.loads(text)
    except ValueError:
        return text  # not JSON: nothing newsdesk wrote
    cleaned = walk(data)
    return text if cleaned == data else json.dumps(cleaned, ensure_ascii=False, sort_keys=True)


def _move_source_credentials(db: sqlite3.Connection) -> None:
    """Version 9: the user info of each source's URL becomes its row in ``source_credentials`` (decoded
    as httpx decoded it when it sent them), and leaves every column of ``_REDACTED``. A row is
    changed only when it has user info in it (found by LIKE: one pass over each table).

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
    for table, column, kind in _REDACTED:
        found = db.execute(
            f"SELECT rowid, {column} FROM {table} WHERE {column} LIKE '%://%@%' ORDER BY rowid"
        ).fetchall()  # the oldest row keeps a cleaned value two rows share
        for rowid, value in found:
            clean = _redact_json(value) if kind == "json" else redact_url(value)
            if clean == value:
                continue
            try:
                db.execute(f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (clean, rowid))
            except sqlite3.IntegrityError:
                if kind == "drop":
                    db.execute(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
                else:
                    db.execute(
                        f"UPDATE {table} SET {column} = ? WHERE rowid = ?", (f"{clean}~{rowid}", rowid)
                    )


def _story_pack(text: str) -> bytes:
    """A vector stored as JSON (``{term: weight}``), packed."""
    return pack({str(t): float(w) for t, w in json.loads(text).items()})


def _pack_story_vectors(db: sqlite3.Connection) -> None:
    """Version 11: every story's centroid and every member's vector, JSON text until now, packed
    (``store/_vectors.py``: the same terms in the same order, the same weights to the bit: JSON
    kept each float's shortest repr) into the tables script 0011 made; then the old tables go.
    The lengths of a centroid's parts are left NULL: clustering computes them when it next reads
    the story, and the store keeps them when it writes the story again."""
    db.create_function("story_pack", 1, _story_pack, deterministic=True)
    try:
        db.execute(
            "INSERT INTO stories (id, title, title_article, first_seen, last_seen, size, category, open, "
            "merged_into, centroid, sources, categories) "
            "SELECT id, title, title_article, first_seen, last_seen, size, category, open, merged_into, "
            "story_pack(centroid), sources, categories FROM stories_json ORDER BY id"
        )
        db.execute(
            "INSERT INTO story_members (article_id, story_id, at, joined, score, vector) "
            "SELECT article_id, story_id, at, joined, score, story_pack(vector) FROM story_members_json "
            "ORDER BY article_id"
        )
    finally:
        db.create_function("story_pack", 1, None)
    db.execute("DROP TABLE stories_json")
    db.execute("DROP TABLE story_members_json")


def _compact_stories(db: sqlite3.Connection) -> None:
    """Version 12 (after script 0012 compressed the texts): the document-frequency log folded into
    ``story_df`` (each term's frequency, the sum of both, stays what it was), every stored story
    vector packed again, which compresses it (``_vectors.pack``: the same vector read back), and the
    vector of a story's only member replaced by its length when it is the start of the centroid."""
    logged: Counter[str] = Counter()
    for (terms,) in db.execute("SELECT terms FROM story_df_log"):
        logged.update(unpack_terms(terms))
    db.executemany(
        "INSERT INTO story_df (term, df) VALUES (?, ?) "
        "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
        sorted(logged.items()),
    )
    db.execute("DELETE FROM story_df_log")
    db.create_function("story_repack", 1, lambda blob: pack(unpack(blob)), deterministic=True)
    try:
        db.execute("UPDATE stories SET centroid = story_repack(centroid)")
        db.execute("UPDATE story_members SET vector = story_repack(vector)")
    finally:
        db.create_function("story_repack", 1, None)
    # A member whose vector is the start of its story's centroid (the only member of a story) keeps
    # only its length (see SQLiteStore._MEMBER_SELECT).
    starting = [
        (len(vector), article_id)
        for article_id, packed, centroid in db.execute(
            "SELECT m.article_id, m.vector, s.centroid FROM story_members m "
            "JOIN stories s ON s.id = m.story_id WHERE s.merged_into IS NULL AND s.size = 1"
        )
        if starts(vector := unpack(packed), unpack(centroid))
    ]
    db.executemany("UPDATE story_members SET vector = ? WHERE article_id = ?", starting)


def _list_lsh_keys(db: sqlite3.Connection) -> None:
    """Version 13: every fingerprint lists its article's keys (read through lsh_keys_article, in
    the order of its rows), then that index goes."""
    rows = db.execute("SELECT article_id, key FROM lsh_keys ORDER BY article_id").fetchall()
    listed: dict[int, list[int]] = {}
    for article_id, key in rows:
        listed.setdefault(article_id, []).append(key)
    db.executemany(
        "UPDATE fingerprints SET keys = ? WHERE article_id = ?",
        ((pack_keys(keys), article_id) for article_id, keys in listed.items()),
    )
    db.execute("UPDATE fingerprints SET keys = x'' WHERE keys IS NULL")
    db.execute("DROP INDEX lsh_keys_article")


#: Data steps by migration number.
DATA_STEPS: dict[int, Callable[[sqlite3.Connection], None]] = {
    9: _move_source_credentials,
    11: _pack_story_vectors,
    12: _compact_stories,
    13: _list_lsh_keys,
}
