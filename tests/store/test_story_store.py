"""Stories in the SQLite store: vectors packed exactly, the migration from the JSON of schema 9, and
the store deciding as ``MemoryBook`` does (its memo of sketches kept true across connections and
rollbacks)."""

from __future__ import annotations

import json
import math
import random
import sqlite3
from collections.abc import Sequence
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as hs

from newsdesk import stories as st
from newsdesk.model import StoryChange
from newsdesk.store import SQLiteStore
from newsdesk.store._vectors import ZLIB, pack, unpack
from newsdesk.store.sqlite import _migrations, _statements
from newsdesk.store.sqlite import _stories as sqlite_stories

from ._docs import article_of

# -- packed vectors ------------------------------------------------------------------------------------

_TERMS = hs.text(hs.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), max_size=12)


@given(hs.dictionaries(_TERMS, hs.floats(allow_nan=False), max_size=40))
def test_any_vector_is_read_back_exactly_and_in_order(vector: dict[str, float]) -> None:
    back = unpack(pack(vector))
    assert list(back) == list(vector)
    assert [math.copysign(1.0, v) for v in back.values()] == [math.copysign(1.0, v) for v in vector.values()]
    assert back == vector


@given(hs.dictionaries(_TERMS, hs.integers(min_value=0, max_value=10**7), max_size=40))
def test_weights_to_four_decimals_are_read_back_exactly(counts: dict[str, int]) -> None:
    vector = {t: round(c / 10_000, 4) for t, c in counts.items()}
    back = unpack(pack(vector))
    assert list(back.items()) == list(vector.items())


def test_vectors_as_clustering_keeps_them_take_two_bytes_a_weight() -> None:
    centroid = {f"term{i}": round(random.Random(i).uniform(0.0, 6.0), 4) for i in range(300)}
    member = {f"term{i}": round(random.Random(i).uniform(0.0, 1.0), 4) for i in range(80)}
    for vector in (centroid, member):
        packed = pack(vector)
        assert packed[0] == 1 | ZLIB  # two bytes a weight, then compressed
        plain = 5 + 2 * len(vector) + len("\x00".join(vector).encode())
        assert len(packed) < 0.6 * plain
        assert len(packed) < 0.35 * len(json.dumps(vector, separators=(",", ":")))
        assert unpack(packed) == vector
    assert pack({"a": 1 / 3})[0] == 3  # not to four decimals: a float64, still exact (too short to compress)


def test_a_vector_packed_before_compression_reads_back() -> None:
    """A vector written before vectors were compressed (no ZLIB flag) reads back as it was."""
    vector = {"harbour": 0.5, "bridge": 1.25}
    rest = (2).to_bytes(4, "little") + bytes.fromhex("8813") + bytes.fromhex("d430") + b"harbour\x00bridge"
    assert unpack(bytes((1,)) + rest) == vector


def test_a_term_with_a_nul_and_foreign_bytes_are_refused() -> None:
    with pytest.raises(ValueError, match="NUL"):
        pack({"a\x00b": 1.0})
    for data in (b"", b"\x09\x01\x00\x00\x00", b"\x01\x05\x00\x00\x00ab"):
        with pytest.raises(ValueError):
            unpack(data)


# -- a stream of articles --------------------------------------------------------------------------


def stream(n: int, seed: int = 2) -> list[st.Doc]:
    """Events born every ten articles or so, living half a day to a few days, four outlets, three
    categories, an article every 15 minutes: stories open, grow, merge, split and close."""
    rng = random.Random(seed)
    common = [f"word{i}" for i in range(3000)]
    topics = [[f"topic{j}term{i}" for i in range(30)] for j in range(25)]
    events: list[tuple[float, list[str], list[str], str]] = []
    t = datetime(2026, 1, 1, tzinfo=UTC).timestamp()
    docs = []
    for i in range(1, n + 1):
        t += 900.0
        if i == 1 or rng.random() < 0.1:
            names = [f"Alda{len(events)}x{k} Brun{len(events)}x{k}" for k in range(3)]
            category = rng.choice(["world", "local", "sport"])
            events.append((t + rng.uniform(0.5, 2.5) * 86_400, names, rng.choice(topics), category))
        live = [e for e in events if e[0] >= t][-30:] or events[-1:]
        _, names, topic, category = rng.choice(live)
        body = [rng.choice(common) for _ in range(rng.randint(30, 60))]
        body += [rng.choice(topic) for _ in range(12)]
        body += [f"{rng.choice(names)} {rng.choice(common)}" for _ in range(6)]
        rng.shuffle(body)
        title = " ".join(rng.choice(topic) for _ in range(4)) + " " + names[0]
        text = "the " + " ".join(body) + "."
        source = rng.choice(["Harbour", "Valley", "Metro", "Courier"])
        docs.append(st.features(i, title, text, when=t, source=source, category=category))
    return docs


def _copy_of(doc: st.Doc) -> int | None:
    """Every 40th article is a copy of the one 7 before it (provenance would say so)."""
    return doc.article_id - 7 if doc.article_id % 40 == 0 else None


def _assign(book: st.StoryBook, doc: st.Doc) -> StoryChange:
    copied = _copy_of(doc)
    copy_story = book.story_id_of(copied) if copied is not None else None
    return st.assign(book, doc, copy_story=copy_story)


def _kinds(decisions: Sequence[object]) -> set[str]:
    return {d.kind for d in decisions}  # type: ignore[attr-defined]


# -- a store of schema 9, written as newsdesk wrote it then ------------------------------------------


def _store_at_version_9(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for number, _, sql in _migrations():
        if number <= 9:
            for statement in _statements(sql):
                db.execute(statement)
    db.execute("PRAGMA user_version = 9")
    return db


def _save_like_version_9(db: sqlite3.Connection, change: StoryChange) -> None:
    """``SQLiteStore.save_story_change`` of schema 9 (JSON vectors), statement for statement."""
    db.execute("BEGIN")
    db.executemany(
        "INSERT INTO story_df (term, df) VALUES (?, 1) ON CONFLICT (term) DO UPDATE SET df = df + 1",
        ((t,) for t in change.terms),
    )
    db.execute("UPDATE story_counts SET docs = docs + 1 WHERE id = 1")
    for s in change.sketches.values():
        live = s.merged_into is None and s.open
        db.execute(
            "INSERT OR REPLACE INTO stories (id, title, title_article, first_seen, last_seen, size, open, "
            "merged_into, centroid, sources, categories, category) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                s.id,
                s.title,
                s.title_article,
                s.first,
                s.last,
                s.size,
                int(live),
                s.merged_into,
                json.dumps(s.centroid, ensure_ascii=False, separators=(",", ":")),
                json.dumps(s.sources, ensure_ascii=False, sort_keys=True),
                json.dumps(s.categories, ensure_ascii=False, sort_keys=True),
                s.category,
            ),
        )
        db.execute("DELETE FROM story_terms WHERE story_id = ?", (s.id,))
        if live:
            db.executemany(
                "INSERT OR IGNORE INTO story_terms (term, story_id) VALUES (?, ?)",
                ((k, s.id) for k in change.keys.get(s.id, ())),
            )
    m = change.member
    db.execute(
        "INSERT OR REPLACE INTO story_members (article_id, story_id, at, joined, score, vector) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (
            m.article_id,
            change.story_id,
            m.when,
            m.joined,
            m.score,
            json.dumps(m.vector, ensure_ascii=False, separators=(",", ":")),
        ),
    )
    db.executemany(
        "UPDATE story_members SET story_id = ? WHERE article_id = ?", ((to, a) for a, to in change.moves)
    )
    db.executemany(
        "INSERT INTO story_decisions (kind, story_id, other_id, articles, score, reason, article_id, decided) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            (
                d.kind,
                d.story_id,
                d.other_id,
                json.dumps(list(d.articles)),
                d.score,
                d.reason,
                d.article_id,
                "",
            )
            for d in change.decisions
        ),
    )
    if change.close_before is not None:
        db.execute(
            "DELETE FROM story_terms WHERE story_id IN (SELECT id FROM stories WHERE open = 1 AND last_seen < ?)",
            (change.close_before,),
        )
        db.execute("UPDATE stories SET open = 0 WHERE open = 1 AND last_seen < ?", (change.close_before,))
    db.execute("COMMIT")


class _Version9Book(st.MemoryBook):
    """A ``MemoryBook`` that also writes each change (and its article) into a store of schema 9,
    while it has one."""

    def __init__(self, db: sqlite3.Connection) -> None:
        super().__init__()
        self.db: sqlite3.Connection | None = db

    def save_story_change(self, change: StoryChange) -> None:
        super().save_story_change(change)
        if self.db is None:
            return
        m = change.member
        self.db.execute(
            "INSERT INTO articles (id, canonical_url, url, title, source, category, published, first_seen, "
            "last_seen, text, word_count, content_hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?)",
            (
                m.article_id,
                f"https://news.example/{m.article_id}",
                f"https://news.example/{m.article_id}",
                m.title,
                m.source,
                m.category,
                None,
                "2026-01-01T00:00:00+00:00",
                "2026-01-01T00:00:00+00:00",
                f"text of {m.article_id}",
                str(m.article_id),
            ),
        )
        _save_like_version_9(self.db, change)


def _assert_store_holds(store: SQLiteStore, path: Path, book: st.MemoryBook) -> None:
    """Every story (its row, merged and closed ones too), membership, decision, document frequency
    and index entry of the store is the book's."""
    raw = sqlite3.connect(path)
    try:
        rows = raw.execute(
            "SELECT id, title, title_article, first_seen, last_seen, size, open, merged_into, centroid, "
            "sources, categories, category FROM stories ORDER BY id"
        ).fetchall()
        index = set(raw.execute("SELECT term, story_id FROM story_terms").fetchall())
    finally:
        raw.close()
    assert [r[0] for r in rows] == sorted(book.sketches)
    for (
        sid,
        title,
        title_article,
        first,
        last,
        size,
        is_open,
        merged_into,
        centroid,
        sources,
        cats,
        cat,
    ) in rows:
        s = book.sketches[sid]
        assert (title, title_article, first, last, size, merged_into) == (
            s.title,
            s.title_article,
            s.first,
            s.last,
            s.size,
            s.merged_into,
        )
        assert bool(is_open) == (s.open and s.merged_into is None)
        packed = unpack(centroid)
        assert list(packed.items()) == list(s.centroid.items()), sid
        assert (json.loads(sources), json.loads(cats), cat) == (s.sources, s.categories, s.category)
    assert index == {(k, sid) for sid, keys in book.keys.items() for k in keys}
    assert store.story_assignments() == book.labels()
    for article_id, member in book.vectors.items():
        assert store.story_member(article_id) == member
    for sid, ids in book.member_ids.items():
        assert [m.article_id for m in store.story_members(sid)] == sorted(ids)
    assert store.story_decisions() == book.decisions
    assert store.story_doc_freqs(sorted(book.df)) == (book.df, book.docs)


@pytest.fixture
def fold_often(monkeypatch: pytest.MonkeyPatch) -> None:
    """Document frequencies folded from their log every 64 articles (every 1,000 by default)."""
    monkeypatch.setattr(sqlite_stories, "_DF_FOLD", 64)


@pytest.mark.usefixtures("fold_often")
def test_a_store_of_schema_9_is_migrated_with_every_story_intact_and_decides_as_before(
    tmp_path: Path,
) -> None:
    docs = stream(2000)
    path = tmp_path / "old.sqlite"
    old = _store_at_version_9(path)
    book = _Version9Book(old)
    for doc in docs[:1200]:
        _assign(book, doc)
    old.close()
    book.db = None
    assert _kinds(book.decisions) == {"merge", "split"}
    made = len(book.decisions)
    assert any(not s.open for s in book.sketches.values() if s.merged_into is None), "some closed"

    store = SQLiteStore(str(path))
    try:
        assert store.schema_version == _migrations()[-1][0]
        _assert_store_holds(store, path, book)
        # Arrivals after the migration: the store decides exactly as the book, which never left memory.
        for doc in docs[1200:]:
            with store.transaction():
                article_id, _ = store.save_article(article_of(doc), seen=datetime(2026, 3, 1, tzinfo=UTC))
                assert article_id == doc.article_id
                in_store = _assign(store, doc)
            assert in_store == _assign(book, doc)
        assert _kinds(book.decisions[made:]) == {"merge", "split"}
        _assert_store_holds(store, path, book)
    finally:
        store.close()


@pytest.mark.usefixtures("fold_often")
def test_stores_decide_as_memory_when_two_connections_take_turns_and_a_unit_is_undone(tmp_path: Path) -> None:
    """Two stores on one file take turns (each must see the other's commits, not its own memo of
    the sketches), and a unit of work that fails after its story was saved leaves no trace: the
    same article placed again gets what ``MemoryBook`` gives it."""
    docs = stream(800, seed=5)
    book = st.MemoryBook()
    path = tmp_path / "s.sqlite"
    one, two = SQLiteStore(str(path)), SQLiteStore(str(path))
    try:
        for doc in docs:
            store = one if (doc.article_id // 50) % 2 else two
            if doc.article_id % 97 == 0:
                with pytest.raises(RuntimeError), store.transaction():
                    store.save_article(article_of(doc), seen=datetime(2026, 3, 1, tzinfo=UTC))
                    _assign(store, doc)
                    raise RuntimeError("a later step of the unit failed")
            with store.transaction():
                article_id, _ = store.save_article(article_of(doc), seen=datetime(2026, 3, 1, tzinfo=UTC))
                assert article_id == doc.article_id
                in_store = _assign(store, doc)
            assert in_store == _assign(book, doc), doc.article_id
        assert _kinds(book.decisions) == {"merge", "split"}
        _assert_store_holds(one, path, book)
    finally:
        one.close()
        two.close()


def test_a_store_settled_between_runs_decides_as_memory_and_keeps_no_log(tmp_path: Path) -> None:
    """Runs of articles, the store settled (and closed) after each: the log of frequencies is
    folded, the free pages go back, and every decision, vector and frequency is still the book's.
    Most stories have one article, whose vector the store keeps as the start of the centroid."""
    docs = stream(600, seed=7)
    book = st.MemoryBook()
    path = tmp_path / "s.sqlite"
    for start in range(0, len(docs), 150):
        store = SQLiteStore(str(path))
        try:
            for doc in docs[start : start + 150]:
                with store.transaction():
                    store.save_article(article_of(doc), seen=datetime(2026, 3, 1, tzinfo=UTC))
                    in_store = _assign(store, doc)
                assert in_store == _assign(book, doc), doc.article_id
            with closing(sqlite3.connect(path)) as raw:
                assert raw.execute("SELECT count(*) FROM story_df_log").fetchone()[0] == 150
            store.settle()
            _assert_store_holds(store, path, book)
        finally:
            store.close()
        with closing(sqlite3.connect(path)) as raw:
            assert raw.execute("SELECT count(*) FROM story_df_log").fetchone()[0] == 0
            assert raw.execute("PRAGMA freelist_count").fetchone()[0] == 0
            lengths = raw.execute(
                "SELECT count(*) FROM story_members WHERE typeof(vector) = 'integer'"
            ).fetchone()[0]
    assert _kinds(book.decisions) == {"merge", "split"}
    assert lengths > 0
