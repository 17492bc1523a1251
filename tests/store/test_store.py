"""What only the SQLite store does: its file and pragmas, its migrations, its sabotaged writes,
its texts' packing and its disk usage. What any backend must do is test_store_contract.py's."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk import (
    Article,
    Outcome,
    SchemaVersionError,
    StorageError,
)
from newsdesk.model import (
    IndexKeys,
    MissingPart,
    Rejected,
    RejectReason,
    UnfinishedArticle,
)
from newsdesk.store import SQLiteStore, StorageArea, open_store
from newsdesk.store._texts import head, pack_text, unpack_text

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)


def art(
    url: str = "https://a.example/world/1", text: str = "The bridge closed today.", **kw: object
) -> Article:
    fields: dict[str, object] = {"url": url, "canonical_url": url, "title": "Bridge closed", "text": text}
    fields.update(kw)
    return Article(**fields)  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> SQLiteStore:
    s = SQLiteStore(str(tmp_path / "s.sqlite"))
    yield s
    s.close()


def test_each_text_is_stored_once(store: SQLiteStore) -> None:
    """The current text in the article's row only, the others in their revisions' (migration
    0010); what the revisions read back is the contract's (test_store_contract.py)."""
    a1 = art(published=T0)
    id1, _ = store.save_article(a1, seen=T0)
    a2 = art(
        text="The bridge closed today. Engineers found a crack.",
        published=T0,
        updated=datetime(2026, 3, 2, 12, 0, tzinfo=UTC),
    )
    assert store.save_article(a2, seen=T0) == (id1, Outcome.UPDATED)
    a0 = art(text="Bridge reported shut.", published=T0)
    assert store.save_article(a0, seen=T0)[1] is Outcome.OLDER
    # Each text stored once: the current one in articles only, the others in their revisions.
    with sqlite3.connect(store.path) as db:
        kept = [
            (n, None if text is None else unpack_text(text, size))
            for n, text, size in db.execute(
                "SELECT revision, text, text_size FROM article_revisions ORDER BY revision"
            )
        ]
    assert kept == [(1, a1.text), (2, None), (3, a0.text)]


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    title=st.text(min_size=1, max_size=80).filter(str.strip),
    text=st.text(min_size=1, max_size=2000).filter(str.strip),
    tags=st.lists(st.text(max_size=20), max_size=4).map(tuple),
)
def test_storage_round_trip_any_text(tmp_path: Path, title: str, text: str, tags: tuple[str, ...]) -> None:
    with sqlite3.connect(":memory:"):
        pass
    s = SQLiteStore(":memory:")
    a = Article(
        url="https://a.example/x", canonical_url="https://a.example/x", title=title, text=text, tags=tags
    )
    aid, _ = s.save_article(a, seen=T0)
    assert s.get_article(aid).article == a
    assert s.integrity_check() == []
    s.close()


def test_schema_is_versioned_and_migrations_are_not_rerun(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    s = SQLiteStore(str(path))
    assert s.schema_version >= 1
    s.save_article(art(), seen=T0)
    s.close()
    s2 = SQLiteStore(str(path))  # reopening migrates nothing and keeps the data
    assert s2.stats().articles == 1
    s2.close()
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_newer_schema_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite"
    SQLiteStore(str(path)).close()
    with sqlite3.connect(path) as db:
        db.execute("PRAGMA user_version = 999")
    with pytest.raises(SchemaVersionError, match="newer"):
        SQLiteStore(str(path))


def test_driver_errors_become_storage_errors(tmp_path: Path) -> None:
    bogus = tmp_path / "not-a-db.sqlite"
    bogus.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageError):
        open_store(str(bogus))


def test_failed_write_rolls_back_the_whole_item(store: SQLiteStore) -> None:
    store.save_article(art(), seen=T0)
    # sabotage: a trigger that makes revision inserts fail after the article row is written
    store._db.execute(
        "CREATE TRIGGER boom BEFORE INSERT ON article_revisions BEGIN SELECT RAISE(ABORT, 'boom'); END"
    )
    with pytest.raises(StorageError, match="boom"):
        store.save_article(art("https://a.example/2"), seen=T0)
    assert store.find_article("https://a.example/2") is None
    assert store.stats().articles == 1
    assert store.integrity_check() == []


def test_a_unit_of_work_commits_all_its_writes_or_none(tmp_path: Path) -> None:
    path = str(tmp_path / "u.sqlite")
    store, reader = SQLiteStore(path), SQLiteStore(path)
    url = art().canonical_url
    try:
        with pytest.raises(RuntimeError, match="killed"), store.transaction():
            aid, _ = store.save_article(art(), seen=T0)
            store.save_fingerprint(aid, IndexKeys("e", 5, (1, 2)))
            assert store.find_article(url) is not None  # the unit sees its own writes
            assert reader.find_article(url) is None  # nobody else does before it ends
            raise RuntimeError("killed")
        assert store.find_article(url) is None and store.stats().articles == 0
        # sabotage: rejections cannot be written; that one write fails, the unit goes on
        store._db.execute(
            "CREATE TRIGGER boom BEFORE INSERT ON rejections BEGIN SELECT RAISE(ABORT, 'boom'); END"
        )
        with store.transaction():
            aid, _ = store.save_article(art(), seen=T0)
            with store.transaction():  # an inner unit joins the outer one
                store.save_fingerprint(aid, IndexKeys("e", 5, (1, 2)))
            with pytest.raises(StorageError, match="boom"):
                store.record_rejection(Rejected(origin="o", reason=RejectReason.EMPTY, detail="-"), seen=T0)
        assert reader.find_article(url) is not None and reader.rejections() == []
        assert reader.unfinished_articles() == [UnfinishedArticle(aid, frozenset({MissingPart.STORY}))]
        assert store.integrity_check() == []
    finally:
        store.close()
        reader.close()


def test_a_postgres_url_without_psycopg_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    import sys

    from newsdesk import ConfigError

    for name in [m for m in sys.modules if m.startswith(("psycopg", "newsdesk.store.postgres"))]:
        monkeypatch.delitem(sys.modules, name)
    monkeypatch.setitem(sys.modules, "psycopg", None)  # import psycopg raises ImportError
    with pytest.raises(ConfigError, match=r"pip install 'newsdesk\[postgres\]'"):
        open_store("postgresql://localhost/newsdesk")


def test_a_postgres_url_opens_postgres_and_a_server_that_is_not_there_says_so() -> None:
    """The URL picks the backend; a failed connection names the URL without its password and
    gives the server's (here libpq's) own words. (Port 1: nothing listens there.)"""
    from newsdesk.exceptions import StorageError

    for scheme in ("postgresql", "postgres"):
        with pytest.raises(StorageError, match="cannot connect to the PostgreSQL database") as e:
            open_store(f"{scheme}://reader:s3cret@127.0.0.1:1/newsdesk?password=s3cret")
        assert f"{scheme}://reader@127.0.0.1:1/newsdesk" in str(e.value)
        assert "s3cret" not in str(e.value) and "refused" in str(e.value).lower()


def test_a_migration_another_process_applied_meanwhile_is_skipped(tmp_path: Path) -> None:
    """Two processes opening an older store at once (two web workers): the one that waited for the
    lock finds the migration applied and goes on, instead of failing on "duplicate column"."""
    import threading
    import time

    from newsdesk.store.sqlite import _migrations, _statements

    path = tmp_path / "race.sqlite"
    number, _, sql = next(m for m in _migrations() if m[0] == 7)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")  # as the store makes it
    for earlier, _, script in _migrations():  # a store of the schema before that migration
        if earlier < number:
            for statement in _statements(script):
                db.execute(statement)
    db.execute(f"PRAGMA user_version = {number - 1}")

    db.execute("BEGIN IMMEDIATE")  # "the other process" holds the lock while it migrates
    errors: list[StorageError] = []

    def open_store() -> None:
        try:
            SQLiteStore(str(path)).close()
        except StorageError as e:  # reported by the assertion below
            errors.append(e)

    opener = threading.Thread(target=open_store)
    opener.start()
    time.sleep(0.5)  # it has read the old version and waits for the lock
    for statement in _statements(sql):
        db.execute(statement)
    db.execute(f"PRAGMA user_version = {number}")
    db.execute("COMMIT")
    opener.join(10)
    assert not opener.is_alive() and errors == []
    db.close()
    store = SQLiteStore(str(path))
    assert store.schema_version == _migrations()[-1][0]  # and the later ones applied after it
    store.close()


def test_disk_usage_accounts_for_every_page_by_area(store: SQLiteStore) -> None:
    for n in range(20):
        store.save_article(
            art(url=f"https://x.example/{n}", text=f"Report {n}. " + "The bridge closed. " * 200), seen=T0
        )
    usage = store.disk_usage()
    assert usage.articles == 20
    assert usage.text_bytes == sum(len(a.article.title) + len(a.article.text) for a in store.iter_articles())
    assert sum(o.bytes for o in usage.objects) + usage.free_bytes == usage.file_bytes
    with sqlite3.connect(store.path) as db:
        tables = {
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_schema WHERE type IN ('table', 'index') AND rootpage > 0"
            )
        }
    # the file is made with auto_vacuum (free pages go back when the store settles): its pointer
    # map, which dbstat does not list, is counted too
    assert {o.name for o in usage.objects} == tables | {"sqlite_schema", "(pointer map)"}
    assert {o.name for o in usage.objects if o.area is StorageArea.OTHER} == {
        "sqlite_schema",
        "(pointer map)",
    }
    areas = usage.by_area()
    # the texts are in articles (compressed); revisions hold only what each revision is, not the
    # text again
    with sqlite3.connect(store.path) as db:
        stored = db.execute("SELECT sum(length(text)) FROM articles").fetchone()[0]
    assert stored < usage.text_bytes
    assert areas[StorageArea.ARTICLES] > stored
    assert areas[StorageArea.REVISIONS] < usage.text_bytes / 5


def test_new_keys_replace_an_articles_old_ones(store: SQLiteStore) -> None:
    """The old keys are found through the fingerprint that lists them (migration 0013: lsh_keys
    has no index by article), and only this article's go."""
    one, _ = store.save_article(art("https://a.example/1"), seen=T0, index=IndexKeys("e1", 5, (1, 2, 3)))
    two, _ = store.save_article(art("https://a.example/2"), seen=T0, index=IndexKeys("e2", 5, (2, 3)))
    store.save_fingerprint(one, IndexKeys("e1", 5, (3, 4, -(2**63))))
    with closing(sqlite3.connect(store.path)) as db:
        rows = sorted(db.execute("SELECT key, article_id FROM lsh_keys"))
    assert rows == [(-(2**63), one), (2, two), (3, one), (3, two), (4, one)]
    assert store.candidates("x", [1, 2], exclude=0, limit=5) == [two]
    assert store.candidates("x", [3, 4], exclude=0, limit=5) == [one, two]


@settings(max_examples=200, deadline=None)
@given(st.text(), st.integers(min_value=1, max_value=5000))
def test_a_stored_text_reads_back_byte_for_byte_and_its_start_alone(text: str, limit: int) -> None:
    text = text * 40  # (repetitive: compressed)
    stored, size = pack_text(text)
    assert unpack_text(stored, size) == text
    assert size == len(text.encode("utf-8"))
    chunks = iter([stored[i : i + 7] for i in range(0, len(stored), 7)])
    assert head(lambda n: next(chunks, b""), len(stored), size, limit) == text.encode("utf-8")[:limit]


def test_texts_are_compressed_and_read_back_after_the_store_is_closed_and_opened(tmp_path: Path) -> None:
    import random

    path = str(tmp_path / "s.sqlite")
    noise = "".join(random.Random(3).choice("qwertyuiopasdfghjklzxcvbnm ") for _ in range(3000))
    texts = ["The council voted to close the harbour bridge. " * 60, noise, "Bridge shut.", "天气很好。" * 50]
    store = SQLiteStore(path)
    ids = [store.save_article(art(f"https://a.example/{n}", t), seen=T0)[0] for n, t in enumerate(texts)]
    before = store.search("bridge"), store.search("天气"), store.search("harbour council")
    store.close()
    store = SQLiteStore(path)
    try:
        assert [store.get_article(i).article.text for i in ids] == texts
        assert (store.search("bridge"), store.search("天气"), store.search("harbour council")) == before
        assert before[0] and before[1] and "council" in before[2][0].snippet
    finally:
        store.close()
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute("SELECT typeof(text), length(text), text_size FROM articles ORDER BY id").fetchall()
    assert all(kind == "blob" for kind, _, _ in rows)
    assert rows[0][1] < rows[0][2] / 10  # compressed
    assert rows[2][1] == rows[2][2]  # too short to gain: kept as its UTF-8
