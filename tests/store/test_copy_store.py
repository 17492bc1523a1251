"""``newsdesk copy-store``: a desk ingested from the sample corpus, with live-source state added
(credentials, fetch health, entry ids, page fetches, rejections), copied SQLite -> PostgreSQL ->
SQLite through the real command, loses nothing: every table reads back the same (``Transfer``),
and so do the articles, revisions, sources, copy edges, stories and decisions through the
Protocols, the search results and the ``export`` output."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsdesk import open_desk
from newsdesk.model import Credentials, PageOutcome, Rejected, RejectReason
from newsdesk.store import TRANSFER_TABLES, SourceFetch, Store, open_store

from .._postgres import PostgresServer
from ..conftest import TickingClock, invoke_cli

T0 = datetime(2026, 3, 15, 9, 0, tzinfo=UTC)
#: Words, phrases, operators, and words with punctuation (which each engine tokenizes its own way:
#: the PostgreSQL store reads them as FTS5 does).
QUERIES = [
    "harbour", "bridge OR council", '"the council"', "東京", "news -weather", "club's", "1,000",
    "6.2%", "under-21", "people’s", "8:40", "title:harbour", "strike NOT council", '"0.6%"', "harb*",
    "title:cou* strike",
]  # fmt: skip


@pytest.fixture(scope="module")
def desk_file(tmp_path_factory: pytest.TempPathFactory, sample_dir: Path) -> Path:
    """The sample corpus ingested, and what fetching live sources leaves behind."""
    path = tmp_path_factory.mktemp("copy") / "from.sqlite"
    with open_desk(path, clock=TickingClock()) as desk:
        desk.ingest([sample_dir])
    store = open_store(str(path))
    try:
        some = [s.id for s in store.latest(3)]
        store.add_source("feed", "https://a.example/feed", "A", added=T0, credentials=Credentials("u", "p:w"))
        store.add_source("sitemap", "https://b.example/sitemap.xml", None, added=T0, category="world")
        a, b = store.sources()[-2:]
        store.record_source_fetch(
            a.id,
            SourceFetch(T0, 200, True, T0 + timedelta(hours=1), etag='"x"', new_articles=2, rate_per_day=3.5),
        )
        store.record_source_fetch(
            b.id, SourceFetch(T0, 500, False, T0 + timedelta(hours=4), error="HTTP 500")
        )
        store.set_source_paused(b.id, "gone", now=T0)
        store.save_entry_ids(a.id, [("urn:1", some[0]), ("urn:2", some[1])])
        store.record_page_fetch(
            "https://a.example/p",
            source_id=a.id,
            status=404,
            outcome=PageOutcome.GONE,
            detail="404",
            tried=T0,
        )
        store.record_rejection(
            Rejected(origin="https://a.example/x", reason=RejectReason.FETCH_FAILED, detail="t", url=None),
            seen=T0,
        )
        store.add_article_url(some[2], "https://amp.example/one")
        store.save_input(b"raw\x00digest", b"ex", article_id=some[2])
    finally:
        store.close()
    return path


def _tables(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, sorted (the order of text keys is the server's collation's)."""
    return {t.name: sorted(store.export_rows(t.name), key=repr) for t in TRANSFER_TABLES}


def _reads(store: Store) -> dict[str, Any]:
    """What the Protocols give of the whole desk."""
    articles = list(store.iter_articles())
    return {
        "articles": articles,
        "revisions": {a.id: store.revisions(a.id) for a in articles},
        "sources": store.sources(),
        "credentials": {s.id: store.source_credentials(s.id) for s in store.sources()},
        "rejections": store.rejections(),
        "edges": store.copy_edges(),
        "groups": {a.id: store.copy_group(a.id) for a in articles},
        "stories": store.stories(),
        "members": {s.id: store.story_members(s.id) for s in store.stories()},
        "decisions": store.story_decisions(),
        "assignments": store.story_assignments(),
        "scheme": store.fingerprint_scheme(),
        "stats": store.stats(),
        "provenance": store.provenance_by_source(),
        "unfinished": store.unfinished_articles(),
    }


def test_a_desk_goes_to_postgres_and_back_with_nothing_lost(
    desk_file: Path, postgres_server: PostgresServer, tmp_path: Path
) -> None:
    url = postgres_server.database()
    back = tmp_path / "back.sqlite"
    there = invoke_cli("copy-store", str(desk_file), url)
    assert there.returncode == 0, there.stderr
    assert "articles" in there.stdout
    again = invoke_cli("copy-store", url, str(back))
    assert again.returncode == 0, again.stderr

    first, pg, last = open_store(str(desk_file)), open_store(url), open_store(str(back))
    try:
        rows = _tables(first)
        assert rows["articles"] and rows["stories"] and rows["copies"] and rows["lsh_keys"]
        assert _tables(pg) == rows
        assert _tables(last) == rows
        reads = _reads(first)
        assert _reads(pg) == reads
        assert _reads(last) == reads
        for q in QUERIES:
            hits = first.search(q, limit=50)
            assert last.search(q, limit=50) == hits, q
            # PostgreSQL's own ranking and snippets differ; what matches does not
            assert {h.id for h in pg.search(q, limit=1000)} == {h.id for h in first.search(q, limit=1000)}, q
        # the next article gets a new id, after every copied one
        new, _ = pg.save_article(
            first.get_article(rows["articles"][0][0]).article.__class__(
                url="https://new.example/1",
                canonical_url="https://new.example/1",
                title="New",
                text="New one.",
            ),
            seen=T0,
        )
        assert new > max(r[0] for r in rows["articles"])
    finally:
        for s in (first, pg, last):
            s.close()
    exported = [invoke_cli("--db", db, "export").stdout for db in (str(desk_file), str(back))]
    assert exported[0] and exported[0] == exported[1]


def test_copying_into_a_desk_that_is_not_empty_is_refused(desk_file: Path, tmp_path: Path) -> None:
    target = tmp_path / "busy.sqlite"
    busy = open_store(str(target))
    busy.add_source("feed", "https://c.example/feed", None, added=T0)
    busy.close()
    done = invoke_cli("copy-store", str(desk_file), str(target))
    assert done.returncode == 1 and "already holds a desk (1 sources)" in done.stderr
    missing = invoke_cli("copy-store", str(tmp_path / "none.sqlite"), str(tmp_path / "x.sqlite"))
    assert missing.returncode != 0 and "does not exist" in missing.stderr
