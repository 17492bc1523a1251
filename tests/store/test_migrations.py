"""Migrations 0010 and 0011: a store of schema 9 (every text twice, story vectors as JSON) converted
in place loses nothing; migration 0016: a store of schema 15 finds its people by last word."""

from __future__ import annotations

import io
import json
import sqlite3
from collections import Counter
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsdesk import Desk, open_desk
from newsdesk.store import open_store
from newsdesk.store._texts import register, unpack_text
from newsdesk.store._vectors import ZLIB, first, unpack, unpack_keys
from newsdesk.store.migrations import DATA_STEPS
from newsdesk.store.sqlite import _migrations, _statements

from ..conftest import TickingClock

_VOCAB = (
    "harbour council bridge ferry budget river storm market factory union league season minister "
    "report police court hospital school rail flood energy prices workers strike vote election"
).split()


def _text(seed: int, words: int = 90) -> str:
    return " ".join(_VOCAB[(seed * 7 + i * i) % len(_VOCAB)] for i in range(words)) + "."


def _revised_records() -> list[dict[str, str]]:
    """Articles with several revisions: an update, a later update, and an older text arriving late."""
    t0 = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)
    out = []
    for n in range(3):
        url = f"https://revised.example/news/{n}"
        for version, hours in ((1, 1), (2, 5), (3, 9), (0, 0)):  # the last is older than all
            out.append(
                {
                    "url": url,
                    "title": f"Revised story {n}",
                    "text": _text(n * 10 + version),
                    "published": t0.isoformat(),
                    "updated": (t0 + timedelta(hours=hours)).isoformat(),
                    "source": "Revised Times",
                }
            )
    return out


def _schema_9(path: Path) -> None:
    """A store made by the migration scripts up to 9 (with their data steps), as newsdesk made it."""
    with closing(sqlite3.connect(path, isolation_level=None)) as db:
        for number, _name, sql in _migrations():
            if number > 9:
                break
            db.execute("BEGIN")
            for statement in _statements(sql):
                db.execute(statement)
            step = DATA_STEPS.get(number)
            if step is not None:
                step(db)
            db.execute(f"PRAGMA user_version = {number}")
            db.execute("COMMIT")


def _as_json(vector: bytes | int, centroid: bytes | None) -> str:
    """A stored vector as JSON: packed bytes, or a length (the start of ``centroid``)."""
    if isinstance(vector, int):
        assert centroid is not None
        return json.dumps(first(unpack(centroid), vector))
    return json.dumps(unpack(vector))


def _copy_as_schema_9(source: Path, target: Path) -> None:
    """Every row of ``source`` (a current store) into ``target`` (schema 9), laid out as newsdesk
    before migration 0010 wrote it: each revision with its own text, the current one included.
    The full-text indexes are filled by schema 9's own triggers as the articles go in."""
    with closing(sqlite3.connect(target, isolation_level=None)) as db:
        db.execute("ATTACH ? AS cur", (str(source),))
        tables = [
            r[0]
            for r in db.execute("SELECT name FROM main.sqlite_schema WHERE type = 'table' ORDER BY name")
            if not r[0].startswith(("sqlite_", "articles_fts", "articles_cjk"))
        ]
        db.create_function("as_json", 2, _as_json, deterministic=True)
        register(db)  # schema 9 kept texts as plain text: sqlar_uncompress gives them back
        db.execute("BEGIN")
        for table in ["articles", *[t for t in tables if t != "articles"]]:
            cols = [r[1] for r in db.execute(f"PRAGMA main.table_info({table})")]
            if table in ("stories", "story_members"):
                # schema 9 kept story vectors as JSON text (a member's own, where this one may
                # keep only its length: the start of its story's centroid)
                vector = "centroid" if table == "stories" else "vector"
                whole = (
                    "NULL"
                    if table == "stories"
                    else "(SELECT centroid FROM cur.stories s WHERE s.id = story_id)"
                )
                chosen = ", ".join(f"as_json({c}, {whole})" if c == vector else c for c in cols)
                select = f"SELECT {chosen} FROM cur.{table}"
            elif table == "articles":
                plain = "CAST(sqlar_uncompress(text, text_size) AS TEXT)"
                select = f"SELECT {', '.join(plain if c == 'text' else c for c in cols)} FROM cur.articles"
            elif table == "article_revisions":
                plain = (
                    "CAST(sqlar_uncompress(coalesce(r.text, a.text), "
                    "CASE WHEN r.text IS NULL THEN a.text_size ELSE r.text_size END) AS TEXT)"
                )
                chosen = ", ".join(plain if c == "text" else f"r.{c}" for c in cols)
                select = (
                    f"SELECT {chosen} FROM cur.article_revisions r JOIN cur.articles a ON a.id = r.article_id"
                )
            else:
                select = f"SELECT {', '.join(cols)} FROM cur.{table}"
            db.execute(f"INSERT OR REPLACE INTO main.{table} ({', '.join(cols)}) {select}")
        # schema 9 counted document frequencies in story_df alone, with no log beside it
        logged: Counter[str] = Counter()
        for (terms,) in db.execute("SELECT terms FROM cur.story_df_log"):
            logged.update(bytes(terms).decode("utf-8").split("\x00"))
        db.executemany(
            "INSERT INTO main.story_df (term, df) VALUES (?, ?) "
            "ON CONFLICT (term) DO UPDATE SET df = df + excluded.df",
            logged.items(),
        )
        db.execute("COMMIT")
        db.execute("DETACH cur")


def _everything(desk: Desk) -> dict[str, object]:
    """What a person can read of a store through the Desk, in a comparable form."""
    articles = list(desk.articles())
    out = io.StringIO()
    desk.export("jsonl", out)
    return {
        "articles": articles,
        "revisions": {s.id: desk.revisions(s.id) for s in articles},
        "copies": sorted(desk.copy_edges(), key=lambda e: e.copy_id),
        "stories": desk.stories(),
        "story_of": {s.id: desk.story_id_of(s.id) for s in articles},
        "search": [desk.search(w) for w in ("council", "harbour bridge", "revised")],
        "export": out.getvalue(),
    }


def test_a_schema_9_store_keeps_every_article_revision_copy_and_story(
    tmp_path: Path, sample_dir: Path
) -> None:
    current = tmp_path / "current.sqlite"
    records = tmp_path / "revised.jsonl"
    records.write_text("\n".join(json.dumps(r) for r in _revised_records()), encoding="utf-8")
    with open_desk(current, clock=TickingClock()) as desk:
        desk.ingest([sample_dir])
        report = desk.ingest([records])
        assert (report.new, report.updated, report.older) == (3, 6, 3)
        before = _everything(desk)
    assert before["copies"] and before["stories"]
    assert any(len(r) == 4 for r in before["revisions"].values())  # type: ignore[attr-defined]

    old = tmp_path / "old.sqlite"
    _schema_9(old)
    _copy_as_schema_9(current, old)
    with closing(sqlite3.connect(old)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 9
        assert db.execute("SELECT count(*) FROM article_revisions WHERE text IS NULL").fetchone()[0] == 0
        old_text = db.execute("SELECT sum(length(CAST(text AS BLOB))) FROM article_revisions").fetchone()[0]

    with open_desk(old, clock=TickingClock()) as desk:  # migrates to the current schema
        # Schema 9 had no understanding: what the upgrade notes say to run gives it back whole.
        assert desk.reunderstand() == len(before["articles"])  # type: ignore[arg-type]
        after = _everything(desk)
        assert desk.check() == []
    assert after == before

    with closing(sqlite3.connect(old)) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] >= 11
        # story vectors are packed bytes now, not JSON text (or a member's length: see below)
        assert db.execute("SELECT count(*) FROM stories WHERE typeof(centroid) != 'blob'").fetchone()[0] == 0
        assert (
            db.execute(
                "SELECT count(*) FROM story_members WHERE typeof(vector) NOT IN ('blob', 'integer')"
            ).fetchone()[0]
            == 0
        )
        articles = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        # Each article's current text is stored once, in articles; only past texts stay in revisions.
        assert (
            db.execute("SELECT count(*) FROM article_revisions WHERE text IS NULL").fetchone()[0] == articles
        )
        past = db.execute(
            "SELECT count(*) FROM article_revisions r JOIN articles a ON a.id = r.article_id "
            "WHERE r.text IS NOT NULL AND r.content_hash != a.content_hash"
        ).fetchone()[0]
        assert past == db.execute("SELECT count(*) FROM article_revisions").fetchone()[0] - articles
        # text_size is the plain text's length in UTF-8
        new_text = db.execute("SELECT coalesce(sum(text_size), 0) FROM article_revisions").fetchone()[0]
        current_text = db.execute("SELECT sum(text_size) FROM articles").fetchone()[0]
        assert new_text == old_text - current_text
        # Texts are BLOBs now, compressed where that is smaller, and read back byte for byte.
        assert db.execute("SELECT count(*) FROM articles WHERE typeof(text) != 'blob'").fetchone()[0] == 0
        assert db.execute("SELECT count(*) FROM articles WHERE length(text) < text_size").fetchone()[0] > 0
        for text, size in db.execute(
            "SELECT text, text_size FROM articles UNION ALL "
            "SELECT text, text_size FROM article_revisions WHERE text IS NOT NULL"
        ):
            assert len(unpack_text(text, size).encode("utf-8")) == size
        # Each fingerprint lists its article's LSH keys (migration 0013), which lose their index.
        listed = {
            a: sorted(unpack_keys(k)) for a, k in db.execute("SELECT article_id, keys FROM fingerprints")
        }
        held: dict[int, list[int]] = {a: [] for a in listed}
        for key, a in db.execute("SELECT key, article_id FROM lsh_keys"):
            held[a].append(key)
        assert listed == {a: sorted(k) for a, k in held.items()} and any(listed.values())
        assert not db.execute("SELECT 1 FROM sqlite_schema WHERE name = 'lsh_keys_article'").fetchall()
        # The only member of a story keeps only the length of its vector (the start of the centroid).
        lengths = db.execute(
            "SELECT count(*) FROM story_members m JOIN stories s ON s.id = m.story_id "
            "WHERE s.size = 1 AND typeof(m.vector) = 'integer'"
        ).fetchone()[0]
        assert lengths > 0
        # The log of document frequencies is folded; story vectors are compressed.
        assert db.execute("SELECT count(*) FROM story_df_log").fetchone()[0] == 0
        flags = [r[0][0] & ZLIB for r in db.execute("SELECT centroid FROM stories")]
        assert any(flags)
        # In the sqlite3 shell (sqlar_uncompress built in) a person reads texts through the view.
        register(db)
        assert [r[0] for r in db.execute("SELECT text FROM article_texts ORDER BY id")] == [
            s.article.text
            for s in sorted(after["articles"], key=lambda s: s.id)  # type: ignore[attr-defined]
        ]


#: Entities as an article of a store before migration 0016 named them (key, the mentions' texts),
#: and the last word each is found by after it: a person's full name where the article also calls
#: it by its last word alone, as a mention's whole text.
_NAMED = {
    ("person:barack obama", ("Barack Obama", "Obama")): "obama",
    ("person:vladimir v. putin", ("Vladimir V. Putin", "PUTIN")): "putin",
    ("person:mary-kate o'neill", ("Mary-Kate O'Neill", "O'Neill")): "o'neill",
    ("person:thank god", ("Thank God",)): None,  # never called by its last word alone
    ("person:obama", ("Obama",)): None,
    ("place:kestrel bay", ("Kestrel Bay", "Bay")): None,
    ("organisation:city council", ("City Council", "Council")): None,
}


def test_a_store_of_schema_15_finds_its_people_by_last_word_once_migrated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 0016 keeps with each article the last word it calls a person of full name by
    alone (a mention that is that word), as ``last_word`` does for those stored from then on."""
    from newsdesk.store.sqlite import _schema

    every = _migrations()
    monkeypatch.setattr(_schema, "_migrations", lambda: [m for m in every if m[0] <= 15])
    path = tmp_path / "old.sqlite"
    open_store(str(path)).close()
    with closing(sqlite3.connect(path)) as db, db:  # rows as that schema's store wrote them
        db.execute("PRAGMA foreign_keys = OFF")
        for n, (key, said) in enumerate(_NAMED, start=1):
            db.execute(
                "INSERT INTO entities (id, key, name, type, articles, mentions) VALUES (?, ?, ?, ?, 1, ?)",
                (n, key, said[0], key.partition(":")[0], len(said)),
            )
            db.execute(
                "INSERT INTO article_entities (article_id, entity_id, seq, name, mentions) VALUES (1, ?, ?, ?, ?)",
                (n, n, said[0], json.dumps([[0, len(t), t] for t in said])),
            )
    monkeypatch.undo()
    store = open_store(str(path))
    with closing(sqlite3.connect(path)) as db:
        stored = dict(
            db.execute(
                "SELECT e.key, ae.last_word FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
            ).fetchall()
        )
    assert stored == {key: word for (key, _), word in _NAMED.items()}
    assert [p.key for p in store.people_by_last_word("obama")] == ["person:barack obama"]
    assert [p.key for p in store.people_by_last_word("o'neill")] == ["person:mary-kate o'neill"]
    assert store.people_by_last_word("god") == []
    plan = " ".join(
        str(r[-1])
        for r in store._db.execute(  # type: ignore[attr-defined]
            "EXPLAIN QUERY PLAN SELECT entity_id FROM article_entities WHERE last_word = ?", ("obama",)
        )
    )
    assert "article_entities_by_last_word" in plan, plan
    store.close()
