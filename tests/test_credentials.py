"""Credentials in a source's URL (``http://user:password@host/feed``) are a secret: kept apart from the
URL, sent as HTTP Basic auth to that origin only (never to another host a redirect leads to), and
never shown: not by the API, the CLI, an OPML export, an error message, a log line, the store's other
tables or the WARC archive. Against the real test server on 127.0.0.1, whose members-only routes
answer 401 without the right Authorization header."""

from __future__ import annotations

import base64
import gzip
import json
import logging
import random
import sqlite3
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from html import escape
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from newsdesk import open_desk
from newsdesk.archive import WarcWriter
from newsdesk.config import load_config
from newsdesk.core import Desk
from newsdesk.exceptions import HTTPStatusError, InvalidURLError
from newsdesk.fetch import Response, may_send_credentials
from newsdesk.store._texts import register
from newsdesk.store.sqlite import _migrations, _statements
from newsdesk.web import create_app

from ._pages import article_page
from ._server import Reply, Request, Server, running
from .conftest import run_cli

USER = "reader"
#: Needs percent-encoding in a URL (":", "@", "/", "ö"); MARK is in every spelling of it.
PASSWORD = "s3cret:p@ss/wörd"
MARK = "s3cret"
TOKEN = base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
PRIVATE = "private.example"
ELSEWHERE = "elsewhere.example"
TITLE = "Members Only News"


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as s:
        yield s


def live_settings(tmp: Path, **kw: Any) -> dict[str, Any]:
    return {
        "data_dir": str(tmp),
        "host_overrides": "*.example=127.0.0.1",
        "allow_private_addresses": True,
        "per_host_delay": 0,
        "retry_base_delay": 0.01,
        "max_retries": 0,
        "read_timeout": 2.0,
        "total_timeout": 5.0,
        **kw,
    }


def open_live(tmp: Path, db: Path | None = None, **kw: Any) -> Desk:
    return open_desk(db or tmp / "desk.sqlite", **live_settings(tmp, **kw))


def cli_env(tmp: Path) -> dict[str, str]:
    return {
        "NEWSDESK_DATA_DIR": str(tmp),
        "NEWSDESK_HOST_OVERRIDES": "*.example=127.0.0.1",
        "NEWSDESK_ALLOW_PRIVATE_ADDRESSES": "true",
        "NEWSDESK_PER_HOST_DELAY": "0",
        "NEWSDESK_MAX_RETRIES": "0",
        "COLUMNS": "300",
    }


def secret_url(server: Server, path: str, *, password: str = PASSWORD, user: str = USER) -> str:
    return f"http://{user}:{quote(password, safe='')}@{PRIVATE}:{server.port}{path}"


def members_only(reply: Reply) -> Callable[[Request], Reply]:
    """A route that answers ``reply`` to the right credentials and 401 to anything else."""

    def route(req: Request) -> Reply:
        if req.headers.get("authorization") != f"Basic {TOKEN}":
            headers = {"WWW-Authenticate": 'Basic realm="members"'}
            return Reply(status=401, body=b"members only", headers=headers, conditional=False)
        return reply

    return route


def rss(items: list[tuple[str, str, str | None]]) -> bytes:
    """A feed of (title, link, full text or None for a summary-only entry)."""
    out = [
        f'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        f"<channel><title>{TITLE}</title><link>http://{PRIVATE}/</link>"
    ]
    for n, (title, link, full) in enumerate(items):
        out.append(f"<item><title>{escape(title)}</title><link>{escape(link)}</link><guid>g{n}</guid>")
        out.append(
            "<pubDate>Wed, 11 Mar 2026 10:00:00 +0000</pubDate><description>A short summary.</description>"
        )
        if full:
            out.append(f"<content:encoded><![CDATA[{full}]]></content:encoded>")
        out.append("</item>")
    out.append("</channel></rss>")
    return "".join(out).encode()


def full_text(seed: int) -> str:
    rng = random.Random(seed)
    words = "harbour council bridge ferry budget river storm market factory union league season".split()
    return "".join(
        "<p>" + " ".join(rng.choice(words) for _ in range(40)).capitalize() + ".</p>" for _ in range(5)
    )


def serve_members_feed(server: Server) -> None:
    """A members-only feed: one full-text entry (a relative link), two summary-only entries whose
    pages are members-only too (one of them missing), and one whose page is on another host."""
    rng = random.Random(3)
    items: list[tuple[str, str, str | None]] = [
        ("Full text for members", "/stories/full", full_text(1)),
        ("Synthetic report number 1", f"http://{PRIVATE}:{server.port}/stories/1", None),
        ("Synthetic report number 2", f"http://{ELSEWHERE}:{server.port}/story/2", None),
        ("Gone", f"http://{PRIVATE}:{server.port}/stories/missing", None),
    ]
    server.add(
        "/feed.xml", members_only(Reply(body=rss(items), content_type="application/rss+xml")), host=PRIVATE
    )
    server.add("/stories/1", members_only(Reply(body=article_page(1, rng).encode())), host=PRIVATE)
    server.add(
        "/stories/missing", members_only(Reply(status=404, body=b"gone", conditional=False)), host=PRIVATE
    )
    server.add("/story/2", Reply(body=article_page(2, rng).encode()), host=ELSEWHERE)


def _dump(con: sqlite3.Connection) -> list[str]:
    """Every row of every table as SQL text, and every stored text in plain words (texts are kept
    compressed, migration 0012: a secret in one would not show in its row's hex)."""
    register(con)  # the word index reads the texts through sqlar_uncompress
    lines = list(con.iterdump())
    for table in ("articles", "article_revisions"):
        lines += [
            f"{table}: {text}"
            for (text,) in con.execute(
                f"SELECT CAST(sqlar_uncompress(text, text_size) AS TEXT) FROM {table} WHERE text IS NOT NULL"
            )
        ]
    return lines


def assert_password_only_in_its_table(db: Path) -> None:
    """Every row of every table of the store, as SQL text: the password (in any spelling) and the
    Basic token appear in ``source_credentials`` and nowhere else."""
    con = sqlite3.connect(db)
    try:
        lines = _dump(con)
    finally:
        con.close()
    holding = [line for line in lines if MARK in line or TOKEN in line]
    assert holding, "the credentials are stored somewhere"
    assert all(line.startswith('INSERT INTO "source_credentials"') for line in holding), holding


def warc_bytes(tmp: Path) -> bytes:
    files = sorted((tmp / "warc").glob("*.warc.gz"))
    assert files, "the fetches were archived"
    return b"".join(gzip.decompress(f.read_bytes()) for f in files)


def assert_no_secret(text: str | bytes) -> None:
    data = text.encode() if isinstance(text, str) else text
    for secret in (MARK, quote(PASSWORD, safe=""), TOKEN):
        assert secret.encode() not in data, secret


# -- the whole path --------------------------------------------------------------------------------


def test_a_feed_behind_basic_auth_is_followed_and_its_password_never_shows(
    server: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    serve_members_feed(server)
    clean = server.url("/feed.xml", PRIVATE)
    db = tmp_path / "desk.sqlite"
    with open_live(tmp_path) as desk:
        ((src, new),) = desk.add_source(secret_url(server, "/feed.xml"))
        assert new and src.url == clean and src.name == TITLE
        report = desk.update()
        (result,) = report.results
        assert result.error is None and result.new == 3 and result.entries == 4
        assert result.pages_fetched == 2 and result.pages_failed == 1
        assert_no_secret(repr(desk.sources()) + repr(desk.rejections()) + repr(report.as_dict()))
        opml = desk.export_opml()
        assert f'xmlUrl="{clean}"' in opml.decode() and MARK not in opml.decode()

    # Sent as Basic auth with every request to its origin (robots.txt aside), never elsewhere.
    private = [r for r in server.log if r.host == PRIVATE and r.path != "/robots.txt"]
    assert {r.path for r in private} == {"/feed.xml", "/stories/1", "/stories/missing"}
    assert all(r.headers.get("authorization") == f"Basic {TOKEN}" for r in private)
    elsewhere = [r for r in server.log if r.host == ELSEWHERE]
    assert elsewhere and all("authorization" not in r.headers for r in elsewhere)

    assert_password_only_in_its_table(db)
    archive = warc_bytes(tmp_path)
    assert clean.encode() in archive  # the feed is archived, under its URL without credentials
    assert_no_secret(archive)

    # Through the real entry point (not in process): what main's logging writes to stderr is output
    # too, and must not show a secret either.
    env = cli_env(tmp_path)
    for args in (["sources"], ["sources", "--json"], ["export-opml"], ["rejected", "-v"]):
        out = run_cli("--db", str(db), *args, env=env)
        assert out.returncode == 0, out.stderr
        assert_no_secret(out.stdout + out.stderr)
    assert clean in run_cli("--db", str(db), "sources", "--json", env=env).stdout

    with TestClient(create_app(load_config({"db": str(db), "data_dir": str(tmp_path)}))) as c:
        listed = c.get("/api/v1/sources").json()["items"]
        assert [s["url"] for s in listed] == [clean]
        for path in (
            "/api/v1/sources",
            f"/api/v1/sources/{src.id}",
            "/api/v1/articles?limit=100",
            f"/source/{quote(TITLE)}",
            "/api/v1/openapi.json",
        ):
            r = c.get(path)
            assert r.status_code == 200, (path, r.text)
            assert_no_secret(r.text)
    assert_no_secret("\n".join(r.getMessage() for r in caplog.records))


def test_failures_never_show_the_password(
    server: Server, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    serve_members_feed(server)
    db = tmp_path / "desk.sqlite"
    with open_live(tmp_path, pause_after_errors=1) as desk:
        with pytest.raises(HTTPStatusError) as missing:
            desk.add_source(secret_url(server, "/missing.xml"))
        assert server.url("/missing.xml", PRIVATE) in str(missing.value)  # the URL, without credentials
        with pytest.raises(HTTPStatusError) as refused:
            desk.add_source(secret_url(server, "/feed.xml", password=MARK + "-wrong"))
        assert refused.value.status == 401
        with pytest.raises(InvalidURLError) as invalid:
            desk.add_source(f"http://{USER}:{MARK}@0177.0.0.1/feed.xml")
        with pytest.raises(InvalidURLError) as unencoded:  # "/" in the password: the host ends early
            desk.add_source(f"http://{USER}:{MARK}/x@{PRIVATE}:{server.port}/feed.xml")
        for e in (missing.value, refused.value, invalid.value, unencoded.value):
            assert_no_secret(str(e))

        desk.add_source(secret_url(server, "/feed.xml"))
        # The feed now sends its readers round in circles: the error names every URL on the way.
        loop = Reply(status=302, headers={"Location": "/loop.xml"}, conditional=False)
        server.add("/feed.xml", members_only(loop), host=PRIVATE)
        server.add(
            "/loop.xml", members_only(Reply(status=302, headers={"Location": "/feed.xml"})), host=PRIVATE
        )
        (result,) = desk.update().results
        assert result.error and "redirect-loop" in result.error and "/loop.xml" in result.error
        (src,) = desk.sources()
        assert src.paused_reason and src.last_error
        assert_no_secret(repr(result) + repr(src))

    env = cli_env(tmp_path)
    out = run_cli("--db", str(db), "add", secret_url(server, "/missing.xml"), env=env)
    assert out.returncode == 1 and "error:" in out.stderr and "HTTP 404" in out.stderr
    assert "Traceback" not in out.stderr
    assert_no_secret(out.stdout + out.stderr)
    for args in (["update", "-v", "1"], ["sources"], ["resume", "1"]):
        out = run_cli("--db", str(db), *args, env=env)
        assert_no_secret(out.stdout + out.stderr)

    config = load_config({"db": str(db), "web_token": "t", **live_settings(tmp_path)})
    with TestClient(create_app(config)) as c:
        auth = {"Authorization": "Bearer t"}
        r = c.post("/api/v1/sources", headers=auth, json={"url": secret_url(server, "/missing.xml")})
        assert r.status_code == 502 and r.json()["error"]["upstream_status"] == 404
        assert_no_secret(r.text)
        r = c.post("/api/v1/sources", headers=auth, json={"url": f"http://{USER}:{MARK}@0177.0.0.1/"})
        assert r.status_code == 422 and r.json()["error"]["code"] == "invalid_url"
        assert_no_secret(r.text)
        assert_no_secret(c.get("/api/v1/sources").text)
    assert_password_only_in_its_table(db)
    assert_no_secret("\n".join(r.getMessage() for r in caplog.records))


# -- redirects -------------------------------------------------------------------------------------


def test_credentials_are_not_sent_to_another_host_after_a_redirect(server: Server, tmp_path: Path) -> None:
    port = server.port
    feed = Reply(body=rss([("Full", "/stories/full", full_text(2))]), content_type="application/rss+xml")
    server.add(
        "/away.xml",
        members_only(Reply(status=302, headers={"Location": f"http://{ELSEWHERE}:{port}/feed.xml"})),
        host=PRIVATE,
    )
    server.add("/old.xml", members_only(Reply(status=302, headers={"Location": "/feed.xml"})), host=PRIVATE)
    server.add("/feed.xml", members_only(feed), host=PRIVATE)
    server.add("/feed.xml", feed, host=ELSEWHERE)
    with open_live(tmp_path) as desk:
        desk.add_source(secret_url(server, "/away.xml"))
        desk.add_source(secret_url(server, "/old.xml"))  # a redirect on the same origin keeps them
        report = desk.update()
        assert report.failed == []
    hops = [(r.host, r.path, r.headers.get("authorization")) for r in server.log]
    assert (PRIVATE, "/away.xml", f"Basic {TOKEN}") in hops and (
        PRIVATE,
        "/old.xml",
        f"Basic {TOKEN}",
    ) in hops
    assert (PRIVATE, "/feed.xml", f"Basic {TOKEN}") in hops
    assert [h for h in hops if h[0] == ELSEWHERE] == [(ELSEWHERE, "/feed.xml", None)] * 2


def test_a_source_moved_to_another_host_forgets_its_credentials(server: Server, tmp_path: Path) -> None:
    port = server.port
    feed = Reply(body=rss([("Full", "/stories/full", full_text(3))]), content_type="application/rss+xml")
    server.add("/feed.xml", members_only(feed), host=PRIVATE)
    server.add("/new.xml", feed, host=ELSEWHERE)
    db = tmp_path / "desk.sqlite"
    with open_live(tmp_path) as desk:
        ((src, _),) = desk.add_source(secret_url(server, "/feed.xml"))
        assert credentials_of(db) == {src.id: (USER, PASSWORD)}
        moved = Reply(
            status=301, headers={"Location": f"http://{ELSEWHERE}:{port}/new.xml"}, conditional=False
        )
        server.add("/feed.xml", members_only(moved), host=PRIVATE)
        (result,) = desk.update().results
        assert result.moved_to == server.url("/new.xml", ELSEWHERE) and result.error is None
        assert credentials_of(db) == {}  # they were for the old origin
        desk.update(sources=[src.id])
    assert [r.headers.get("authorization") for r in server.log if r.host == ELSEWHERE] == [None, None]


def credentials_of(db: Path) -> dict[int, tuple[str, str]]:
    con = sqlite3.connect(db)
    try:
        return {
            r[0]: (r[1], r[2])
            for r in con.execute("SELECT source_id, username, password FROM source_credentials")
        }
    finally:
        con.close()


@pytest.mark.parametrize(
    ("given_for", "url", "sent"),
    [
        ("http://a.example/feed", "http://a.example/other", True),
        ("http://a.example/feed", "https://a.example/feed", True),  # the upgrade browsers allow
        ("https://a.example/feed", "http://a.example/feed", False),  # never down to cleartext
        ("http://a.example:8080/feed", "https://a.example/feed", False),
        ("http://a.example/feed", "http://a.example:8080/feed", False),
        ("http://a.example/feed", "http://b.a.example/feed", False),
        ("http://a.example/feed", "http://A.EXAMPLE:80/x", True),
        ("http://bücher.example/feed", "http://xn--bcher-kva.example/x", True),
        ("http://a.example/feed", "http://evil.example/a.example", False),
        ("http://a.example/feed", "not a url", False),
    ],
)
def test_which_requests_get_the_credentials(given_for: str, url: str, sent: bool) -> None:
    assert may_send_credentials(given_for, url) is sent


# -- stores from before ----------------------------------------------------------------------------


def store_at_version_7(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    for number, _, sql in _migrations():
        if number <= 7:
            for statement in _statements(sql):
                db.execute(statement)
    db.execute("PRAGMA user_version = 7")
    return db


def test_a_migration_moves_credentials_out_of_stored_urls(server: Server, tmp_path: Path) -> None:
    serve_members_feed(server)
    path = tmp_path / "old.sqlite"
    old = store_at_version_7(path)
    with_creds = secret_url(server, "/feed.xml")
    other_creds = secret_url(server, "/feed.xml", user="editor", password=MARK + "-2")
    at_in_path = "https://medium.example/@newsroom/feed"
    added = "2026-03-01T00:00:00+00:00"
    old.executemany(
        "INSERT INTO sources (id, kind, url, name, domain, added, last_error, paused_reason) "
        "VALUES (?, 'feed', ?, ?, ?, ?, ?, ?)",
        [
            (1, with_creds, TITLE, PRIVATE, added, f"http-500: cannot fetch {with_creds}", None),
            (
                2,
                other_creds,
                "Same feed, another account",
                PRIVATE,
                added,
                None,
                f"moved permanently to {other_creds}",
            ),
            (3, at_in_path, "Newsroom", "medium.example", added, None, None),
        ],
    )
    page = secret_url(server, "/stories/1")
    old.execute(
        "INSERT INTO articles (id, canonical_url, url, title, first_seen, last_seen, text, word_count, "
        "content_hash, origin) VALUES (1, 'https://synthetic.example/a', ?, 'A', ?, ?, 'text', 1, 'h', ?)",
        (page, added, added, with_creds + "#entry-2"),
    )
    # Entries without a usable link were identified by urn:newsdesk:<origin>, and evidence quotes it.
    for n, feed_url in ((2, with_creds), (3, other_creds)):
        old.execute(
            "INSERT INTO articles (id, canonical_url, url, title, first_seen, last_seen, text, word_count, "
            "content_hash, origin) VALUES (?, ?, ?, 'B', ?, ?, 'text', 1, 'h', ?)",
            (
                n,
                f"urn:newsdesk:{feed_url}#entry-9",
                f"urn:newsdesk:{feed_url}#entry-9",
                added,
                added,
                f"{feed_url}#entry-9",
            ),
        )
    old.execute("INSERT INTO article_urls (url, article_id) VALUES (?, 2)", (page,))
    evidence = {"matched_via": {"id": 2, "url": f"urn:newsdesk:{with_creds}#entry-9"}, "note": "a@b"}
    old.execute(
        "INSERT INTO copies (copy_id, original_id, kind, score, evidence, decided) VALUES (3, 2, 'identical', 1, ?, ?)",
        (json.dumps(evidence), added),
    )
    old.execute(
        "INSERT INTO rejections (origin, url, reason, detail, seen) VALUES (?, ?, 'fetch-failed', ?, ?)",
        (with_creds + "#entry-4", page, f"http-404: {page}", added),
    )
    old.execute(
        "INSERT INTO page_fetches (url, source_id, status, outcome, detail, tried) VALUES (?, 1, 404, 'gone', ?, ?)",
        (page, f"http-404: {page}", added),
    )
    old.close()

    clean = server.url("/feed.xml", PRIVATE)
    with open_live(tmp_path, db=path) as desk:
        assert [s.url for s in desk.sources()] == [clean, clean + "#source-2", at_in_path]
        assert credentials_of(path) == {1: (USER, PASSWORD), 2: ("editor", MARK + "-2")}
        assert_password_only_in_its_table(path)
        src = desk.source(1)
        assert src.last_error == f"http-500: cannot fetch {clean}"
        urn = f"urn:newsdesk:{clean}#entry-9"
        assert desk.get_article(2).article.canonical_url == urn
        assert desk.get_article(3).article.canonical_url == f"{urn}~3"  # the same once cleaned: kept apart
        edge = desk.original_of(3)
        assert edge is not None and edge.evidence == {"matched_via": {"id": 2, "url": urn}, "note": "a@b"}
        (result,) = desk.update(sources=[1]).results  # the moved credentials still open the feed
        assert result.error is None and result.new >= 1
        (again,) = desk.update(sources=[2]).results  # another account's: refused, but each its own
        assert again.status == 401
    sent = {r.headers.get("authorization") for r in server.log if r.path == "/feed.xml"}
    editor = base64.b64encode(f"editor:{MARK}-2".encode()).decode()
    assert sent == {f"Basic {TOKEN}", f"Basic {editor}"}
    assert_password_only_in_its_table(path)


# -- archives written before ----------------------------------------------------------------------


def test_an_archive_written_before_gives_back_no_credentials(tmp_path: Path) -> None:
    """WARC records written before this change name a feed by its URL with the user info in it
    (WARC-Target-URI, Newsdesk-Requested-URI); reading them (``ingest x.warc.gz``, ``reextract``)
    must not bring it back into the store, here through the reason a broken feed is rejected."""
    old_url = f"http://{USER}:{quote(PASSWORD, safe='')}@{PRIVATE}/feed.xml"
    writer = WarcWriter(tmp_path / "warc")
    writer.write_response(
        Response(
            url=old_url,
            final_url=old_url.replace("/feed.xml", "/feed2.xml"),
            status=200,
            headers=(("Content-Type", "application/rss+xml"),),
            body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>Cut</title><item><title>',
            fetched_at=datetime(2026, 3, 11, tzinfo=UTC),
        )
    )
    writer.close()
    assert MARK.encode() in warc_bytes(tmp_path)  # as an archive written before has it
    db = tmp_path / "desk.sqlite"
    with open_live(tmp_path) as desk:
        report = desk.ingest([writer.path])
        (broken,) = report.broken
        assert f"http://{PRIVATE}/feed2.xml: malformed feed" in broken.detail
        assert_no_secret(repr(report.as_dict()) + repr(desk.rejections()))
    con = sqlite3.connect(db)
    try:
        assert_no_secret("\n".join(_dump(con)))
    finally:
        con.close()
