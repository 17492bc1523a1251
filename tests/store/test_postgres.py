"""What only the PostgreSQL store has: its schema versions and migrations, its pool shared by
threads, the limits of its word index, and the scripts its substring index takes (the contract
every backend keeps is test_store_contract.py)."""

from __future__ import annotations

import dataclasses
import re
import threading
import time
import unicodedata
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsdesk.exceptions import SchemaVersionError
from newsdesk.model import Article, Understanding
from newsdesk.store import Store, open_store

from .._postgres import PostgresServer

T0 = datetime(2026, 3, 2, 8, 0, tzinfo=UTC)
MIGRATIONS = Path(__file__).parents[2] / "src/newsdesk/store/migrations/postgres"


def art(url: str, text: str, title: str = "Title") -> Article:
    return Article(url=url, canonical_url=url, title=title, text=text)


@pytest.fixture
def url(postgres_url: str) -> str:
    return postgres_url


def test_the_schema_is_versioned_and_a_newer_one_is_refused(url: str) -> None:
    import psycopg

    from newsdesk.store.postgres._schema import migrations

    store = open_store(url)
    latest = migrations()[-1][0]
    assert store.schema_version == latest  # type: ignore[attr-defined]
    store.close()
    open_store(url).close()  # opening again applies nothing
    with psycopg.connect(url, autocommit=True) as conn:
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone() == (latest,)
        conn.execute("INSERT INTO schema_version (version) VALUES (%s)", (latest + 1,))
    with pytest.raises(SchemaVersionError, match="newer than this newsdesk"):
        open_store(url)


def test_connections_the_server_closed_are_replaced_not_failed(url: str) -> None:
    """A web server or collector outlives its connections: the server restarts, or an administrator
    (or a proxy) ends idle sessions. The next call must get a new connection, not an error."""
    import psycopg

    store = open_store(url)
    try:
        store.save_article(art("https://a.example/1", "The bridge closed."), seen=T0)
        with psycopg.connect(url, autocommit=True) as admin:
            ended = admin.execute(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid != pg_backend_pid()"
            ).fetchone()
        assert ended is not None and ended[0] >= 1  # the store's pooled connections are gone
        assert store.find_article("https://a.example/1") is not None
        store.save_article(art("https://a.example/2", "The ferry runs."), seen=T0)
        assert store.stats().articles == 2
    finally:
        store.close()


def test_the_servers_activity_names_the_stores_connections(url: str) -> None:
    """An administrator reading pg_stat_activity tells newsdesk's connections from other clients'
    (and the pool's from the one that migrated the schema); a name the URL gives wins."""
    import psycopg

    def names(db: str, expected: list[str]) -> list[str]:
        """The names connected now; a backend whose client has just gone may linger a moment."""
        for _ in range(50):
            with psycopg.connect(db, autocommit=True) as admin:
                rows = admin.execute(
                    "SELECT application_name FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid != pg_backend_pid() "
                    "AND application_name != ''"
                ).fetchall()
            found = sorted({row[0] for row in rows})
            if found == expected:
                break
            time.sleep(0.1)
        return found

    store = open_store(url)
    try:
        store.save_article(art("https://a.example/1", "The bridge closed."), seen=T0)
        assert names(url, ["newsdesk"]) == ["newsdesk"]
    finally:
        store.close()
    sep = "&" if "?" in url else "?"
    store = open_store(f"{url}{sep}application_name=night-collector")
    try:
        store.save_article(art("https://a.example/2", "The ferry runs."), seen=T0)
        assert names(url, ["night-collector"]) == ["night-collector"]
    finally:
        store.close()


def test_processes_opening_a_new_database_at_once_take_turns(url: str) -> None:
    errors: list[BaseException] = []

    def open_close() -> None:
        try:
            open_store(url).close()
        except BaseException as e:  # noqa: BLE001  # reported by the assertion below
            errors.append(e)

    threads = [threading.Thread(target=open_close) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []


def test_threads_share_one_store_each_in_its_own_unit_of_work(url: str) -> None:
    store = open_store(url)
    inside = threading.Barrier(2)
    seen: dict[str, object] = {}

    def unit(name: str) -> None:
        with store.transaction():
            store.save_article(art(f"https://a.example/{name}", f"Text {name}."), seen=T0)
            inside.wait()  # both units open at once
            seen[name] = sorted(a.article.canonical_url for a in store.latest(10))
            inside.wait()

    threads = [threading.Thread(target=unit, args=(n,)) for n in ("x", "y")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {"x": ["https://a.example/x"], "y": ["https://a.example/y"]}  # each sees its own
    assert len(store.latest(10)) == 2
    store.close()


def test_a_huge_text_is_stored_and_found_by_its_start(url: str) -> None:
    """A tsvector holds at most 1 MB: the word index takes the first 250,000 characters, and the
    text is kept whole."""
    store = open_store(url)
    text = "opening " + " ".join(f"w{i}" for i in range(400_000)) + " closing"
    aid, _ = store.save_article(art("https://a.example/huge", text), seen=T0)
    assert store.get_article(aid).article.text == text
    assert [h.id for h in store.search("opening")] == [aid]
    assert store.search("closing") == []  # past the indexed start (the SQLite store finds it)
    store.close()


def test_the_index_and_the_query_agree_on_which_scripts_need_substrings(url: str) -> None:
    """The partial trigram index's condition (migration 0001) is the query's, and both take the
    characters SQLite's substring index takes."""
    import psycopg

    from newsdesk.store.postgres._search import _SUBSTRING_CLASS, _SUBSTRING_SCRIPTS

    sql = (MIGRATIONS / "0001_initial.sql").read_text(encoding="utf-8")
    assert set(re.findall(r"~ '([^']+)'", sql)) == {_SUBSTRING_CLASS}
    edges = [0x0DFF, 0x0E00, 0x0EFF, 0x0F00, 0x0FFF, 0x1000, 0x109F, 0x10A0, 0x177F, 0x1780, 0x17FF]
    edges += [0x1800, 0x303F, 0x3040, 0x9FFF, 0xA000, 0xABFF, 0xAC00, 0xD7AF, 0xD7B0, 0xF8FF, 0xF900]
    edges += [0xFAFF, 0xFB00, 0x1FFFF, 0x20000, 0x3134F, 0x31350, ord("a"), ord("я"), ord("א")]
    open_store(url).close()
    with psycopg.connect(url) as conn:
        for code in edges:
            char = chr(code)
            row = conn.execute(f"SELECT %s ~ '{_SUBSTRING_CLASS}'", (f"x{char}y",)).fetchone()
            assert row is not None and row[0] == bool(_SUBSTRING_SCRIPTS.search(char)), hex(code)


def test_text_with_nul_and_the_escape_character_reads_back(url: str) -> None:
    store = open_store(url)
    text = "a\x00b \ue000 c \ue0000 \\x00 end"
    aid, _ = store.save_article(art("https://a.example/nul", text), seen=T0)
    assert store.get_article(aid).article.text == text
    store.save_article(art("https://a.example/nul", "new text"), seen=T0)
    assert [r.text for r in store.revisions(aid)] == [text, "new text"]
    store.close()


def test_the_sample_corpus_ingested_into_postgres_is_what_sqlite_holds(
    url: str, sample_dir: Path, tmp_path: Path
) -> None:
    """The whole pipeline on a PostgreSQL desk: the same articles, revisions, copies, stories and
    export as on a SQLite one, table for table."""
    from newsdesk import open_desk
    from newsdesk.store import TRANSFER_TABLES

    from ..conftest import TickingClock

    lite = tmp_path / "s.sqlite"
    for db in (str(lite), url):
        with open_desk(db, clock=TickingClock()) as desk:
            report = desk.ingest([sample_dir])
            assert report.new >= 80 and desk.check() == []
    a, b = open_store(str(lite)), open_store(url)
    try:
        for table in TRANSFER_TABLES:
            rows = sorted(a.export_rows(table.name), key=repr)
            assert sorted(b.export_rows(table.name), key=repr) == rows, table.name
    finally:
        a.close()
        b.close()


def test_a_search_stops_at_its_budget_and_when_its_caller_goes(url: str) -> None:
    from newsdesk.exceptions import SearchCancelledError, SearchTimeoutError
    from newsdesk.model import QueryBudget

    store = open_store(url)
    budgeted = store._budgeted  # type: ignore[attr-defined]
    reading = store._reading  # type: ignore[attr-defined]
    with (
        pytest.raises(SearchTimeoutError, match="search_timeout"),
        reading("test") as db,
        budgeted(db, QueryBudget(seconds=0.2), "slow"),
    ):
        db.execute("SELECT pg_sleep(5)")
    with (
        pytest.raises(SearchCancelledError, match="cancelled"),
        reading("test") as db,
        budgeted(db, QueryBudget(cancelled=lambda: True), "slow"),
    ):
        db.execute("SELECT pg_sleep(5)")
    with reading("test") as db:  # the connection goes back to the pool without a time limit
        row = db.execute("SHOW statement_timeout").fetchone()
        assert row is not None and row["statement_timeout"] == "0"
    store.close()


def test_writers_sharing_the_database_take_turns(url: str) -> None:
    """Two stores (two collectors) storing the same article at once: one stores it, the other
    finds it; and a unit that looked copy candidates up holds copy detection's turn until it ends."""
    from newsdesk.model import Outcome

    first, second = open_store(url), open_store(url)
    outcomes: list[Outcome] = []
    start = threading.Barrier(2)

    def save(store: Store) -> None:
        start.wait()
        outcomes.append(store.save_article(art("https://a.example/same", "Same text."), seen=T0)[1])

    threads = [threading.Thread(target=save, args=(s,)) for s in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == sorted([Outcome.NEW, Outcome.UNCHANGED])

    order: list[str] = []
    holding = threading.Event()

    def unit() -> None:
        with first.transaction():
            first.candidates("e", (1,), exclude=0, limit=5)
            holding.set()
            threading.Event().wait(0.3)
            order.append("first done")

    t = threading.Thread(target=unit)
    t.start()
    holding.wait()
    with second.transaction():
        second.candidates("e", (1,), exclude=0, limit=5)  # waits for the first unit to end
        order.append("second in")
    t.join()
    assert order == ["first done", "second in"]
    assert second.candidates("e", (1,), exclude=0, limit=5) == []  # no wait outside a unit
    first.close()
    second.close()


@given(
    st.text(alphabet=st.sampled_from(["a", "\x00", "\ue000", "0", "\\", "é", " "]), max_size=40) | st.text()
)
def test_any_text_is_stored_as_postgresql_text_and_read_back_exactly(text: str) -> None:
    from newsdesk.store.postgres._sql import _from_db, _to_db

    stored = _to_db(text)
    assert "\x00" not in stored and _from_db(stored) == text


def _understood(*names: str, quotes: tuple[str, ...] = ()) -> Understanding:
    """People (their keys folded, as the understand stage makes them) and quotes of the first."""
    from newsdesk._text import fold_words
    from newsdesk.model import ArticleQuote, NamedEntity, Span

    return Understanding(
        version="1-x",
        entities=tuple(NamedEntity(f"person:{fold_words(n)}", n, "person", (Span(n, 0, len(n)),)) for n in names),
        quotes=tuple(
            ArticleQuote(names[0], f"person:{fold_words(names[0])}", names[0], 0, 4, "said", 5, 9, q, 10,
                         10 + len(q), True, "s:" + fold_words(q))
            for q in quotes
        ),
    )  # fmt: skip


def test_the_understandings_reads_can_walk_their_indexes(url: str) -> None:
    """The words of ``quotes(query=...)`` are migration 0004's indexed expression, letter for
    letter: the planner can answer them from article_quotes_words (a rare word, on a big desk);
    and what is left to understand is bounded on both sides of its anti-join, so a batch far into
    the desk starts there in the understandings too, not at their first."""
    from newsdesk.store.postgres._understanding import _NOT_UNDERSTOOD, _QUOTE_WORDS, _quotes_sql

    sql = (MIGRATIONS / "0004_folded_accents.sql").read_text(encoding="utf-8")
    indexed = re.search(r"USING gin \(\s*(to_tsvector\(.*?\)\))\s*\);", sql, re.DOTALL)
    assert indexed is not None
    assert " ".join(indexed.group(1).split()) == " ".join(
        _QUOTE_WORDS.replace("%%", "%").replace("q.", "").split()
    )
    store = open_store(url)
    aid, _ = store.save_article(art("https://a.example/1", "Text."), seen=T0)
    store.save_understanding(aid, _understood("Ana Ruiz", quotes=("The harbour stays closed.",)), when=T0)
    asked = _quotes_sql(speaker=None, query="harbour", article_ids=None, statements=False, limit=50, offset=0)
    once = _quotes_sql(speaker=None, query="harbour", article_ids=None, statements=True, limit=50, offset=0)
    assert asked is not None and once is not None
    with store._reading("test") as db:  # type: ignore[attr-defined]
        db.execute("SET enable_seqscan = off")
        try:
            words = "\n".join(r["QUERY PLAN"] for r in db.execute("EXPLAIN " + asked[0], asked[1]).fetchall())
            folded = "\n".join(r["QUERY PLAN"] for r in db.execute("EXPLAIN " + once[0], once[1]).fetchall())
            left = "\n".join(
                r["QUERY PLAN"]
                for r in db.execute("EXPLAIN " + _NOT_UNDERSTOOD, (7000, 7000, "1-x", 1000)).fetchall()
            )
        finally:
            db.execute("RESET enable_seqscan")
    assert "Bitmap Index Scan on article_quotes_words" in words, words
    assert "Bitmap Index Scan on article_quotes_words" in folded, folded
    assert [h.article_id for h in store.quotes(query="hárbour")] == [aid]  # folded, still indexed
    assert re.search(r"article_understanding_pkey.*\n\s+Index Cond: \(article_id > ", left), left
    assert [h.article_id for h in store.quotes(query="harbour")] == [aid]
    store.close()


def test_writers_sharing_the_database_understand_in_turn(url: str) -> None:
    """Two collectors storing understandings that name the same entity: the second waits for the
    first unit to end (the understanding's turn), so the entity is made once, numbered after the
    largest id as SQLite numbers it, and counts both articles."""
    first, second = open_store(url), open_store(url)
    a, _ = first.save_article(art("https://a.example/1", "One."), seen=T0)
    b, _ = first.save_article(art("https://a.example/2", "Two."), seen=T0)
    order: list[str] = []
    holding = threading.Event()

    def unit() -> None:
        with first.transaction():
            first.save_understanding(a, _understood("Ana Ruiz", quotes=("We stay.",)), when=T0)
            holding.set()
            threading.Event().wait(0.3)
            order.append("first done")

    t = threading.Thread(target=unit)
    t.start()
    holding.wait()
    with second.transaction():
        second.save_understanding(b, _understood("Ana Ruiz", "Brannock Sill", quotes=("We go.",)), when=T0)
        order.append("second in")
    t.join()
    assert order == ["first done", "second in"]
    assert [(e.id, e.name, e.articles, e.quotes) for e in second.entities()] == [
        (1, "Ana Ruiz", 2, 2),
        (2, "Brannock Sill", 1, 0),
    ]
    assert sorted(r[0] for r in second.export_rows("article_quotes")) == [1, 2]
    first.close()
    second.close()


@pytest.mark.parametrize("refiles", [True, False], ids=["refiled", "understood again"])
def test_reunderstanding_an_article_a_collector_is_updating_waits_instead_of_deadlocking(
    url: str, refiles: bool
) -> None:
    """``reunderstand`` refiles an article and stores its understanding (the understanding's and
    the stories' turns, and the article's row: the category's update, the understanding's key
    check) while a collector stores a new version of it (the article's row, then the turns): each
    takes the article's row first, so one waits for the other rather than each holding what the
    other waits for (PostgreSQL would end one of them: deadlock detected)."""
    collector, refiler = open_store(url), open_store(url)
    aid, _ = collector.save_article(art("https://a.example/strike", "Dockers walk out."), seen=T0)
    refiler.save_understanding(aid, _understood("Ana Ruiz"), when=T0)
    failed: list[BaseException] = []
    holding = threading.Event()

    def unit() -> None:
        try:
            with collector.transaction():
                collector.save_article(art("https://a.example/strike", "Dockers walk out again."), seen=T0)
                holding.set()
                threading.Event().wait(0.5)  # the refiling goes as far as it can meanwhile
                collector.save_understanding(aid, _understood("Ana Ruiz"), when=T0)
        except BaseException as e:  # noqa: BLE001 - the test reports it
            failed.append(e)

    t = threading.Thread(target=unit)
    t.start()
    holding.wait()
    with refiler.transaction():
        if refiles:
            refiler.set_category(aid, "business")
        refiler.save_understanding(aid, _understood("Brannock Sill"), when=T0)
    t.join()
    assert failed == []
    assert refiler.get_article(aid).article.category == ("business" if refiles else None)
    assert refiler.get_article(aid).article.text == "Dockers walk out again."
    assert [e.name for e in refiler.entities()] == ["Brannock Sill"]
    collector.close()
    refiler.close()


def test_words_of_a_text_with_nul_are_understood_and_read_back(
    url: str, postgres_server: PostgresServer
) -> None:
    """A quote or a name is words of the article's text, which may hold NUL (the SQLite store keeps
    it): stored escaped as the text is, read back, copied out and in as they were."""
    from newsdesk.store import TRANSFER_TABLES, copy_store

    store = open_store(url)
    aid, _ = store.save_article(art("https://a.example/nul", "a\x00b"), seen=T0)
    said = "We stay\x00 here \ue000."
    understood = _understood("Ana\x00 Ruiz", quotes=(said,))
    store.save_understanding(aid, understood, when=T0)
    assert store.understandings([aid]) == {aid: understood}
    assert [h.quote.text for h in store.quotes()] == [said]
    assert [e.name for e in store.entities()] == ["Ana\x00 Ruiz"]
    text = next(t.columns.index("text") for t in TRANSFER_TABLES if t.name == "article_quotes")
    assert [r[text] for r in store.export_rows("article_quotes")] == [said]
    copy = open_store(postgres_server.database())
    copy_store(store, copy)
    assert copy.understandings([aid]) == {aid: understood}
    copy.close()
    store.close()


def _sqlite_tokens(texts: list[str]) -> list[list[str]]:
    """The words SQLite's word index (FTS5 unicode61, remove_diacritics 2) makes of each text."""
    import sqlite3

    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    db.execute("CREATE VIRTUAL TABLE v USING fts5vocab(t, 'instance')")
    db.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", list(enumerate(texts)))
    out: list[list[str]] = [[] for _ in texts]
    for term, doc in db.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
        out[doc].append(term)
    db.close()
    return out


def test_the_word_indexes_fold_accents_letter_for_letter_as_sqlite(url: str) -> None:
    """Migration 0004 spells _fold's strings in both word indexes, and PostgreSQL's words of each
    letter of the Latin blocks (and of each combining mark written alone) are SQLite's: the
    accented letters fold to their base, those without a decomposition (ø, ł, đ, ß, æ) stay."""
    import psycopg

    from newsdesk.store.postgres._fold import FOLD, FOLD_FROM_SQL, FOLD_TO_SQL, LETTERS

    sql = (MIGRATIONS / "0004_folded_accents.sql").read_text(encoding="utf-8")
    assert all(line.isascii() for line in sql.splitlines() if "U&'" in line)
    pairs = re.findall(r"translate\((?:title|left\(text, 250000\)|text),\s*(U&'.*?'),\s*(U&'.*?')\)", sql)
    assert pairs == [(FOLD_FROM_SQL, FOLD_TO_SQL)] * 3
    assert {"é": "e", "Ž": "Z", "ñ": "n", "ç": "c", "ờ": "o", "ſ": "s"}.items() <= LETTERS.items()
    assert not {"ø", "ł", "đ", "ß", "æ", "œ", "þ", "ı"} & LETTERS.keys()
    latin = [chr(c) for lo, hi in ((0xC0, 0x24F), (0x1E00, 0x1EFF)) for c in range(lo, hi + 1)]
    # The letters (folded or not), and the marks 0004 deletes (the others are a space to unicode61
    # and part of a word to PostgreSQL's parser, with or without 0004; as are "²", "½").
    chars = [c for c in latin if unicodedata.category(c).startswith("L")]
    chars += sorted({m for c in LETTERS for m in unicodedata.normalize("NFD", c)[1:]})
    texts = [f"q{c}q" for c in chars]
    open_store(url).close()
    translated = f"translate(t, {FOLD_FROM_SQL}, {FOLD_TO_SQL})".replace("%", "%%")
    with psycopg.connect(url) as conn:
        folded = conn.execute(f"SELECT {translated} FROM unnest(%s::text[]) AS t", (texts,)).fetchall()
        assert [r[0] for r in folded] == [t.translate(FOLD) for t in texts]
        words = conn.execute(
            f"SELECT array(SELECT lexeme FROM unnest(to_tsvector('simple', {translated}))) "
            "FROM unnest(%s::text[]) AS t",
            (texts,),
        ).fetchall()
    sqlite = _sqlite_tokens(texts)
    differ = {
        c: (ours, theirs)
        for c, (ours,), theirs in zip(chars, words, sqlite, strict=True)
        if sorted(ours) != sorted(theirs)
    }
    assert differ == {}


def test_article_search_walks_its_index_with_folded_words(url: str) -> None:
    """The articles' search column is indexed (migration 0004 rebuilds it) and asked by folded words."""
    store = open_store(url)
    aid, _ = store.save_article(art("https://a.example/1", "Talks in Zürich.", title="Genève"), seen=T0)
    assert [h.id for h in store.search("zurich geneve")] == [aid]
    with store._reading("test") as db:  # type: ignore[attr-defined]
        db.execute("SET enable_seqscan = off")
        try:
            match = store._match(db, "Zürich")  # type: ignore[attr-defined]
            assert match.tsquery_params == ('"Zurich"',)
            plan = "\n".join(
                r["QUERY PLAN"]
                for r in db.execute(f"EXPLAIN SELECT a.id FROM articles a WHERE {match.where}", match.params)
            )
        finally:
            db.execute("RESET enable_seqscan")
    assert "Bitmap Index Scan on articles_search" in plan, plan
    store.close()


def test_a_store_of_schema_3_is_found_by_folded_words_once_migrated(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 0004 rebuilds both word indexes of a store already written: its articles and
    quotes are found by their words without accents once it has run."""
    from newsdesk.store.postgres import _schema

    every = _schema.migrations()
    monkeypatch.setattr(_schema, "migrations", lambda: every[:3])
    old = open_store(url)
    talks = Article(
        url="https://a.example/1", canonical_url="https://a.example/1", title="São Paulo",
        text="Talks in Zürich.", source="Wire",
    )  # fmt: skip
    aid, _ = old.save_article(talks, seen=T0)
    assert old.articles_with_line("Talks in Zurich", source="Wire", limit=5) == 0
    said = _understood("José Álvarez", quotes=("Zürich stays closed.",))
    # Without its entities: this newsdesk writes a column of entities that schema 3 lacks (0005).
    old.save_understanding(aid, dataclasses.replace(said, entities=()), when=T0)
    assert old.search("zurich") == []  # the words indexed with their accents
    old.close()
    monkeypatch.undo()
    store = open_store(url)
    assert store.schema_version == every[-1][0]  # type: ignore[attr-defined]
    assert [h.id for h in store.search("zurich sao paulo")] == [aid]
    assert [h.id for h in store.search("title:sao")] == [aid]
    assert [h.article_id for h in store.quotes(query="zurich")] == [aid]
    assert store.articles_with_line("Talks in Zurich", source="Wire", limit=5) == 1
    assert store.articles_with_line("Talks in Zürich", source="Wire", limit=5) == 1
    store.close()


def test_a_store_of_schema_4_finds_its_people_by_last_word_once_migrated(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Migration 0005 keeps with each article the last word it calls a person of full name by
    alone (a mention that is that word), as ``last_word`` does for those stored from then on (and
    as SQLite's 0016 does)."""
    import json

    import psycopg

    from newsdesk.store.postgres import _schema

    named = {
        ("person:barack obama", ("Barack Obama", "Obama")): "obama",
        ("person:vladimir v. putin", ("Vladimir V. Putin", "PUTIN")): "putin",
        ("person:mary-kate o'neill", ("Mary-Kate O'Neill", "O'Neill")): "o'neill",
        ("person:thank god", ("Thank God",)): None,
        ("person:obama", ("Obama",)): None,
        ("place:kestrel bay", ("Kestrel Bay", "Bay")): None,
    }
    every = _schema.migrations()
    monkeypatch.setattr(_schema, "migrations", lambda: every[:4])
    old = open_store(url)
    page = Article(
        url="https://a.example/1", canonical_url="https://a.example/1", title="Obama", text="Obama.",
        source="Wire",
    )  # fmt: skip
    aid, _ = old.save_article(page, seen=T0)
    old.close()
    with psycopg.connect(url) as db:  # rows as that schema's store wrote them
        for n, (key, said) in enumerate(named, start=1):
            db.execute(
                "INSERT INTO entities (id, key, name, type, articles, mentions) VALUES (%s, %s, %s, %s, 1, %s)",
                (n, key, said[0], key.partition(":")[0], len(said)),
            )
            db.execute(
                "INSERT INTO article_entities (article_id, entity_id, seq, name, mentions) "
                "VALUES (%s, %s, %s, %s, %s)",
                (aid, n, n, said[0], json.dumps([[0, len(t), t] for t in said])),
            )
    monkeypatch.undo()
    store = open_store(url)
    with psycopg.connect(url) as db:
        stored = dict(
            db.execute(
                "SELECT e.key, ae.last_word FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
            ).fetchall()
        )
    assert stored == {key: word for (key, _), word in named.items()}
    assert [p.key for p in store.people_by_last_word("obama")] == ["person:barack obama"]
    assert [p.key for p in store.people_by_last_word("o'neill")] == ["person:mary-kate o'neill"]
    assert store.people_by_last_word("god") == []
    store.close()
