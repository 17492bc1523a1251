"""The site and the API over a PostgreSQL desk: the sample corpus copied there from SQLite
(``copy_store``), then every kind of page and API answer compared with the SQLite desk's. Search
answers the same articles (its ranks and snippets are PostgreSQL's own)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from newsdesk.config import load_config
from newsdesk.store import copy_store, open_store
from newsdesk.web import create_app

from .._postgres import PostgresServer

#: Answers that must be the same byte for byte on both backends.
SAME = [
    "/api/v1/articles?limit=100",
    "/api/v1/articles/1",
    "/api/v1/stories",
    "/api/v1/sources",
    "/api/v1/copies",
    "/article/1",
    "/story/1",
    "/source/Northwind%20Herald",
    "/feeds/all.atom",
    "/api/v1/entities?limit=100",
    "/api/v1/quotes?limit=100",
    "/entities",
    "/quotes",
]


@pytest.fixture(scope="module")
def clients(sample_store: Path, postgres_server: PostgresServer) -> Iterator[tuple[TestClient, TestClient]]:
    url = postgres_server.database()
    source, target = open_store(str(sample_store)), open_store(url)
    try:
        copy_store(source, target)
    finally:
        source.close()
        target.close()
    apps = [create_app(load_config({"db": db, "web_token": "t" * 32})) for db in (str(sample_store), url)]
    with TestClient(apps[0]) as lite, TestClient(apps[1]) as pg:
        yield lite, pg


@pytest.mark.parametrize("path", SAME)
def test_a_postgres_desk_serves_what_the_sqlite_one_does(
    clients: tuple[TestClient, TestClient], path: str
) -> None:
    lite, pg = clients
    a, b = lite.get(path), pg.get(path)
    assert a.status_code == 200, path
    assert (b.status_code, b.text) == (a.status_code, a.text)


def test_search_on_postgres_finds_the_same_articles(clients: tuple[TestClient, TestClient]) -> None:
    lite, pg = clients
    for q in ("strike", "harbour council", '"the council"', "strike OR council"):
        a, b = (c.get("/api/v1/articles", params={"q": q, "limit": 100}) for c in (lite, pg))
        assert a.status_code == b.status_code == 200, (q, a.text, b.text)
        ids = [{hit["id"] for hit in r.json()["items"]} for r in (a, b)]
        assert ids[0] and ids[0] == ids[1], q
    assert pg.get("/search", params={"q": "strike"}).status_code == 200
    assert pg.get("/").status_code == 200


def test_a_busy_server_shares_one_pool_of_connections(postgres_url: str, tmp_path: Path) -> None:
    """Under load, Starlette spreads requests over its 40 threads. On SQLite each thread reads
    through a Desk (a connection) of its own; on PostgreSQL every thread shares one Desk and its
    pool, so the server sees the pool's few connections, not a pool a thread (which ran the server
    out of connections at 200 requests/s: bench/RESULTS.md, "Scale")."""
    import threading

    import psycopg

    from newsdesk.store.postgres._connection import APPLICATION_NAME
    from newsdesk.web.deps import DeskPool

    def readers(db: str) -> tuple[DeskPool, set[int]]:
        pool = DeskPool(load_config({"db": db, "data_dir": str(tmp_path)}))
        seen: list[int] = []
        gate = threading.Barrier(40)

        def read() -> None:
            gate.wait()
            desk = pool.reader()
            desk.search("bridge")
            desk.latest(5)
            seen.append(id(desk))

        threads = [threading.Thread(target=read) for _ in range(40)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return pool, set(seen)

    pool, desks = readers(f"sqlite:///{tmp_path / 'desk.sqlite'}")
    pool.close()
    assert len(desks) == 40  # one connection cannot serve two threads at once
    pool, desks = readers(postgres_url)
    try:
        assert len(desks) == 1
        with psycopg.connect(postgres_url, autocommit=True) as admin:
            # The store's own connections only: a backend whose client has just closed (the
            # migration's connection) may still be listed for a moment.
            row = admin.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND application_name = %s",
                (APPLICATION_NAME,),
            ).fetchone()
        assert row is not None and 1 <= row[0] <= 10  # the pool's size, whatever the threads
    finally:
        pool.close()
