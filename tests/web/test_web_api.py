"""The JSON API under /api/v1, in-process against the sample corpus (and a copy of it for writes):
every route, cursor pages that visit every item once while articles arrive, filters, the error
shape, ETag/304, the token rule, adding a source served from 127.0.0.1, the OpenAPI document and
the docs page rendered from it."""

from __future__ import annotations

import base64
import json
import random
import re
import shutil
from collections.abc import Iterator
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from newsdesk import open_desk
from newsdesk.config import load_config
from newsdesk.core import Desk
from newsdesk.web import api, create_app

from .._bombs import entity_bomb
from .._pages import article_page
from .._server import Reply, Server, running

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Loopback Local News</title><link>http://127.0.0.1/</link>
<item><title>Ferry timetable changes from Monday</title><link>http://127.0.0.1/news/1</link>
<pubDate>Wed, 11 Mar 2026 10:00:00 +0000</pubDate><description>The ferry changes.</description></item>
</channel></rss>"""


def make_client(db: Path, **settings: Any) -> TestClient:
    config = load_config({"db": str(db), "web_token": TOKEN, **settings})
    return TestClient(create_app(config))


@pytest.fixture(scope="module")
def client(sample_store: Path) -> Iterator[TestClient]:
    with make_client(sample_store) as c:
        yield c


@pytest.fixture
def store_copy(sample_store: Path, tmp_path: Path) -> Path:
    db = tmp_path / "copy.sqlite"
    shutil.copy(sample_store, db)
    return db


@pytest.fixture
def server() -> Iterator[Server]:
    with running() as s:
        yield s


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"}
    err: dict[str, Any] = body["error"]
    assert err["status"] == status
    assert isinstance(err["message"], str) and err["message"]
    assert isinstance(err["code"], str) and re.fullmatch(r"[a-z_]+", err["code"])
    if code is not None:
        assert err["code"] == code
    return err


def walk(client: TestClient, url: str) -> list[dict[str, Any]]:
    """Every item of a paged list, following ``next`` (and checking the Link header agrees)."""
    items: list[dict[str, Any]] = []
    for _ in range(1000):
        r = client.get(url)
        assert r.status_code == 200, r.text
        page = r.json()
        items += page["items"]
        if page["next"] is None:
            assert page["cursor"] is None
            assert "link" not in r.headers
            return items
        assert r.headers["link"] == f'<{page["next"]}>; rel="next"'
        assert page["cursor"] in page["next"]
        url = page["next"]
    raise AssertionError("paging did not end")


def when(item: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(item["published"] or item["first_seen"])


# -- sources ---------------------------------------------------------------------------------------


def test_sources_list_with_health_and_pages(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        known = {s.id: s for s in desk.sources()}
    items = walk(client, "/api/v1/sources?limit=2")
    assert [s["id"] for s in items] == sorted(known)
    first = items[0]
    assert first["url"] == known[first["id"]].url
    assert first["health"]["status"] == "never_fetched"
    assert set(first["health"]) >= {
        "last_fetched",
        "errors_in_row",
        "paused_reason",
        "next_due",
        "last_error",
    }
    assert first["links"]["self"] == f"/api/v1/sources/{first['id']}"
    one = client.get(first["links"]["self"])
    assert one.status_code == 200 and one.json() == first


def test_a_lease_is_shown_while_it_runs_and_not_after(store_copy: Path) -> None:
    """A killed collector's lease keeps its name in the store until another collector takes the
    source; the API says who is updating a source only while the lease runs."""
    from datetime import UTC, timedelta

    now = datetime.now(UTC)
    with open_desk(store_copy) as desk:
        store: Any = desk._store
        kinds = sorted({s.kind for s in desk.sources()})
        running = store.claim_sources(
            now, kinds, holder="host:1:live", until=now + timedelta(hours=1), limit=1
        )
        gone = store.claim_sources(
            now, kinds, holder="host:2:dead", until=now - timedelta(seconds=1), limit=1
        )
    assert len(running) == len(gone) == 1
    with make_client(store_copy) as c:
        live = c.get(f"/api/v1/sources/{running[0].id}").json()["health"]
        dead = c.get(f"/api/v1/sources/{gone[0].id}").json()["health"]
    assert live["leased_by"] == "host:1:live" and live["leased_until"] is not None
    assert dead["leased_by"] is None and dead["leased_until"] is None


def test_unknown_source_is_404(client: TestClient) -> None:
    assert_error(client.get("/api/v1/sources/9999"), 404, "not_found")


# -- articles: paging ------------------------------------------------------------------------------


def test_cursor_pages_visit_every_article_once_newest_first(client: TestClient) -> None:
    items = walk(client, "/api/v1/articles?limit=7")
    ids = [a["id"] for a in items]
    assert len(ids) == 90 == len(set(ids))
    keys = [(when(a), a["id"]) for a in items]
    assert keys == sorted(keys, reverse=True)
    assert all(a["links"]["self"] == f"/api/v1/articles/{a['id']}" for a in items)


def test_default_and_maximum_page_sizes(client: TestClient) -> None:
    assert len(client.get("/api/v1/articles").json()["items"]) == 20
    assert len(client.get("/api/v1/articles?limit=100").json()["items"]) == 90
    err = assert_error(client.get("/api/v1/articles?limit=101"), 422, "invalid_request")
    assert any(d["loc"] == ["query", "limit"] for d in err["details"])
    assert_error(client.get("/api/v1/articles?limit=0"), 422)


def test_pages_stay_stable_while_articles_arrive(store_copy: Path, tmp_path: Path) -> None:
    rng = random.Random(3)
    pages = tmp_path / "new"
    pages.mkdir()
    # Published 2026-03-28 (newer than every sample article) and 2026-03-01 00:00 (older than most).
    newer, older = pages / "newer.html", pages / "older.html"
    newer.write_text(article_page(27, rng), encoding="utf-8")
    older.write_text(article_page(28 * 24, rng), encoding="utf-8")
    with make_client(store_copy) as c:
        first = c.get("/api/v1/articles?limit=30").json()
        with open_desk(store_copy) as desk:
            report = desk.ingest([newer, older])
        assert report.new == 2
        new_ids = report.article_ids
        rest = walk(c, first["next"])
        seen = [a["id"] for a in first["items"] + rest]
        assert len(seen) == len(set(seen)), "an article came twice"
        newer_id, older_id = new_ids
        assert newer_id not in seen  # arrived before the pages already read
        assert older_id in seen  # arrived in the part still to read
        assert len(seen) == 91
        assert len(walk(c, "/api/v1/articles?limit=50")) == 92


def test_bad_cursors_are_422(client: TestClient) -> None:
    for cursor in ("zz", "bm90IGpzb24", "WyJ4IiwxXQ", "%00"):
        assert_error(client.get(f"/api/v1/articles?cursor={cursor}"), 422)
    stories = client.get("/api/v1/stories?limit=1").json()
    assert_error(client.get(f"/api/v1/articles?cursor={stories['cursor']}"), 422, "invalid_request")
    for key in (["a", "2026-03-01T00:00:00+00:00", 10**30], ["q", 10**6], ["a", "yesterday", 1], ["a"]):
        forged = base64.urlsafe_b64encode(json.dumps(key).encode()).decode()
        assert_error(client.get(f"/api/v1/articles?q={'x' if key[0] == 'q' else ''}&cursor={forged}"), 422)
    search = client.get("/api/v1/articles?q=council&limit=1").json()
    assert_error(client.get(f"/api/v1/copies?cursor={search['cursor']}"), 422)


# -- articles: filters and search ------------------------------------------------------------------


def test_filters(client: TestClient, sample_store: Path) -> None:
    business = walk(client, "/api/v1/articles?category=Business&limit=100")
    assert business and all(
        "business" in ((a["category"] or "").lower(), (a["section"] or "").lower()) for a in business
    )
    harbour = walk(client, "/api/v1/articles?source=The%20Harbour%20Times&limit=100")
    assert len(harbour) == 14 and {a["source"] for a in harbour} == {"The Harbour Times"}
    by_domain = walk(client, "/api/v1/articles?source=harbourtimes.example&limit=100")
    assert {a["id"] for a in by_domain} >= {a["id"] for a in harbour}
    assert len(walk(client, "/api/v1/articles?language=en&limit=100")) == 90
    assert walk(client, "/api/v1/articles?language=fr") == []
    window = walk(client, "/api/v1/articles?since=2026-03-05&until=2026-03-10T00:00:00Z&limit=100")
    assert window
    for a in window:
        assert "2026-03-05" <= when(a).isoformat() < "2026-03-10"
    with open_desk(sample_store) as desk:
        copies = {e.copy_id for e in desk.copy_edges()}
    originals = walk(client, "/api/v1/articles?originals_only=true&limit=25")
    assert len(originals) == 90 - len(copies)
    assert not {a["id"] for a in originals} & copies
    assert all(a["copy_of"] is None for a in originals)
    everything = walk(client, "/api/v1/articles?limit=100")
    assert {a["id"] for a in everything if a["copy_of"]} == copies


def test_search_with_snippets_and_pages(client: TestClient) -> None:
    first = client.get("/api/v1/articles?q=council&limit=3").json()
    assert len(first["items"]) == 3 and first["next"]
    hit = first["items"][0]
    assert "<mark>" in hit["snippet_html"] and "\x02" not in hit["snippet"]
    assert "council" in hit["snippet"].lower()
    allhits = walk(client, "/api/v1/articles?q=council&limit=4")
    ids = [a["id"] for a in allhits]
    assert len(ids) == len(set(ids)) > 3
    one_page = client.get("/api/v1/articles?q=council&limit=100").json()["items"]
    assert [a["id"] for a in one_page] == ids
    # Filters apply to search; originals_only too.
    business = walk(client, "/api/v1/articles?q=council&category=business&limit=100")
    assert business and all(a["category"] == "business" for a in business)
    originals = walk(client, "/api/v1/articles?q=council&originals_only=true&limit=100")
    assert all(a["copy_of"] is None for a in originals)
    # Text that is not FTS syntax is searched as words; HTML in the query never comes back as HTML.
    r = client.get('/api/v1/articles?q="council<script>')
    assert r.status_code == 200
    assert "<script>" not in r.text


def test_plain_list_has_no_snippets(client: TestClient) -> None:
    item = client.get("/api/v1/articles?limit=1").json()["items"][0]
    assert item["snippet"] is None and item["snippet_html"] is None


# -- one article -----------------------------------------------------------------------------------


def test_article_whole(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        edge = desk.copy_edges()[0]
        stored = desk.get_article(edge.copy_id)
        story = desk.story_of(edge.copy_id)
        declared = next(s for s in desk.articles() if s.article.source_links)
    r = client.get(f"/api/v1/articles/{edge.copy_id}")
    assert r.status_code == 200
    a = r.json()
    assert a["text"] == stored.article.text
    assert a["canonical_url"] == stored.article.canonical_url
    assert a["title"] == stored.article.title
    assert a["provenance"] == {
        "role": "copy",
        "original_id": edge.original_id,
        "kind": edge.kind.value,
        "score": edge.score,
        "copies": 0,
    }
    assert story is not None and a["story"]["id"] == story.id
    assert a["links"]["story"] == f"/api/v1/stories/{story.id}"
    assert a["links"]["copies"] == f"/api/v1/articles/{edge.copy_id}/copies"
    original = client.get(f"/api/v1/articles/{edge.original_id}").json()
    assert original["provenance"]["role"] == "original" and original["provenance"]["copies"] >= 1
    links = client.get(f"/api/v1/articles/{declared.id}").json()["source_links"]
    assert links == [{"url": s.url, "label": s.label} for s in declared.article.source_links]


def test_unknown_and_invalid_article_ids(client: TestClient) -> None:
    assert_error(client.get("/api/v1/articles/99999"), 404, "not_found")
    assert_error(client.get("/api/v1/articles/99999/copies"), 404, "not_found")
    assert_error(client.get("/api/v1/articles/99999/related"), 404, "not_found")
    err = assert_error(client.get("/api/v1/articles/abc"), 422, "invalid_request")
    assert err["details"][0]["loc"] == ["path", "article_id"]
    assert_error(client.get("/api/v1/articles/0"), 422)
    assert_error(client.get(f"/api/v1/articles/{10**30}"), 422)


def test_article_copies_with_evidence(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        edge = desk.copy_edges()[0]
        copied = {e.copy_id for e in desk.copy_edges()} | {e.original_id for e in desk.copy_edges()}
        unique = next(s.id for s in desk.articles() if s.id not in copied)
    copy = client.get(f"/api/v1/articles/{edge.copy_id}/copies").json()
    assert copy["role"] == "copy"
    assert copy["original"]["id"] == edge.original_id
    assert copy["copy_of"]["copy"]["id"] == edge.copy_id
    assert copy["copy_of"]["original"]["id"] == edge.original_id
    assert copy["copy_of"]["evidence"] == edge.evidence
    assert edge.copy_id in [c["copy"]["id"] for c in copy["copies"]]
    original = client.get(f"/api/v1/articles/{edge.original_id}/copies").json()
    assert original["role"] == "original" and original["copy_of"] is None
    assert original["copies"] == copy["copies"] and original["copies_total"] == len(original["copies"])
    alone = client.get(f"/api/v1/articles/{unique}/copies").json()
    assert alone["role"] == "unique" and alone["original"] is None and alone["copies"] == []


def test_related(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        story = max(desk.stories(), key=lambda s: s.size)
        members = {m.id for m in desk.story(story.id).articles}
    some = min(members)
    items = client.get(f"/api/v1/articles/{some}/related").json()["items"]
    same = [r for r in items if r["same_story"]]
    assert same and {r["id"] for r in same} <= members - {some}
    assert all(r["story_id"] == story.id for r in same)
    assert len(client.get(f"/api/v1/articles/{some}/related?limit=1&others=0").json()["items"]) == 1
    assert_error(client.get(f"/api/v1/articles/{some}/related?limit=51"), 422)


# -- stories ---------------------------------------------------------------------------------------


def test_story_pages_and_filters(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        known = desk.stories()
    items = walk(client, "/api/v1/stories?limit=4")
    assert [s["id"] for s in items] == [s.id for s in known]
    business = walk(client, "/api/v1/stories?category=business&limit=3")
    assert business and {s["category"] for s in business} == {"business"}
    assert len(business) == len([s for s in known if s.category == "business"])
    recent = walk(client, "/api/v1/stories?since=2026-03-12T00:00:00Z")
    assert recent and all(s["last_seen"] >= "2026-03-12" for s in recent)
    assert len(recent) < len(items)


def test_story_detail(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        story = max(desk.stories(), key=lambda s: s.size)
        found = desk.story(story.id)
        members, decisions = found.articles, found.decisions
    d = client.get(f"/api/v1/stories/{story.id}").json()
    assert d["story"]["id"] == story.id and d["story"]["title"] == story.title
    assert [m["id"] for m in d["members"]] == [m.id for m in members]
    assert d["members_total"] == len(members) == d["story"]["size"]
    assert len(d["decisions"]) == len(decisions)
    assert_error(client.get("/api/v1/stories/99999"), 404, "not_found")
    assert_error(client.get("/api/v1/stories/x"), 422)


# -- copies ----------------------------------------------------------------------------------------


def test_copy_edges_paged_and_filtered(client: TestClient, sample_store: Path) -> None:
    with open_desk(sample_store) as desk:
        edges = desk.copy_edges()
        by_id = {s.id: s.article for s in desk.articles()}
    items = walk(client, "/api/v1/copies?limit=3")
    assert sorted((e["copy"]["id"], e["original"]["id"]) for e in items) == sorted(
        (e.copy_id, e.original_id) for e in edges
    )
    assert [e["copy"]["id"] for e in items] == sorted(e["copy"]["id"] for e in items)
    assert all(e["evidence"] and e["kind"] in ("identical", "near", "syndicated", "rewritten") for e in items)
    for kind in {e.kind.value for e in edges}:
        got = walk(client, f"/api/v1/copies?kind={kind}")
        assert len(got) == sum(1 for e in edges if e.kind.value == kind)
    assert_error(client.get("/api/v1/copies?kind=stolen"), 422)
    name = by_id[edges[0].original_id].source
    assert name
    mine = walk(client, f"/api/v1/copies?source={name}")
    expected = [e for e in edges if name in (by_id[e.copy_id].source, by_id[e.original_id].source)]
    assert len(mine) == len(expected) >= 1


# -- errors, methods, caching ----------------------------------------------------------------------


def test_errors_have_one_shape(client: TestClient) -> None:
    assert_error(client.get("/api/v1/no-such-thing"), 404, "not_found")
    assert_error(client.get("/api/nothing"), 404, "not_found")
    r = client.put("/api/v1/articles/1")
    assert_error(r, 405, "method_not_allowed")
    assert r.headers["cache-control"] == "no-store"
    assert_error(client.get("/api/v1/articles?since=yesterday"), 422, "invalid_request")


@pytest.mark.parametrize(
    ("path", "allowed"),
    [
        ("/api/v1/sources", "GET, HEAD, POST, OPTIONS"),
        ("/api/v1/sources/1", "GET, HEAD, DELETE, OPTIONS"),
        ("/api/v1/sources/1/pause", "POST, OPTIONS"),
        ("/api/v1/articles/1", "GET, HEAD, OPTIONS"),
        ("/api/v1/openapi.json", "GET, HEAD, OPTIONS"),
        ("/api/docs", "GET, HEAD, OPTIONS"),
        ("/", "GET, HEAD, OPTIONS"),
        ("/feeds/all.atom", "GET, HEAD, OPTIONS"),
        ("/static/site.css", "GET, HEAD, OPTIONS"),
    ],
)
def test_options_and_every_405_say_which_methods_a_path_takes(
    client: TestClient, path: str, allowed: str
) -> None:
    r = client.options(path)
    assert r.status_code == 204 and r.headers["allow"] == allowed
    assert not any(h.startswith("access-control-") for h in r.headers)  # no CORS
    for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"):
        if method in allowed.split(", "):
            continue
        refused = client.request(method, path, headers=AUTH)
        assert refused.status_code == 405, (method, path)
        assert refused.headers["allow"] == allowed, (method, path)
    assert client.options("/api/v1/no-such-thing").status_code == 404


def test_a_write_without_a_valid_token_is_refused_before_its_body_is_read(store_copy: Path) -> None:
    broken = {"content-type": "application/json"}
    with make_client(store_copy) as c:
        for method, url in [
            ("POST", "/api/v1/sources"),
            ("POST", "/api/v1/sources/1/pause"),
            ("POST", "/api/v1/sources/1/resume"),
            ("DELETE", "/api/v1/sources/1"),
            ("DELETE", "/api/v1/sources/not-a-number"),
        ]:
            for body in (b"{", b'{"url": ', b"\xff", b'{"url": 12}'):
                assert_error(c.request(method, url, content=body, headers=broken), 401, "unauthorized")
                wrong = {**broken, "Authorization": "Bearer nope"}
                assert_error(c.request(method, url, content=body, headers=wrong), 403, "forbidden")
        # With the token, the body is read and judged.
        assert_error(
            c.post("/api/v1/sources", content=b"{", headers={**broken, **AUTH}), 422, "invalid_request"
        )
        assert_error(c.post("/api/v1/sources/1/pause", content=b"{", headers={**broken, **AUTH}), 422)
    with open_desk(store_copy) as desk:
        assert len(desk.sources()) == 6 and desk.source(1).paused_reason is None


@pytest.mark.parametrize(
    "value", ["0.0", "0", "1700000000", "-1", "1e9", "20260301", "2026-03", "yesterday", ""]
)
def test_dates_are_refused_unless_iso_8601(client: TestClient, value: str) -> None:
    for url, name in [
        ("/api/v1/articles", "until"),
        ("/api/v1/articles", "since"),
        ("/api/v1/stories", "since"),
    ]:
        err = assert_error(client.get(url, params={name: value}), 422, "invalid_request")
        assert name in err["message"]


def test_dates_in_iso_8601_pass(client: TestClient) -> None:
    for value in ("2026-03-05", "2026-03-05T08:00", "2026-03-05T08:00:00Z", "2026-03-05 08:00:00+01:00"):
        assert client.get("/api/v1/articles", params={"since": value}).status_code == 200, value
        assert client.get("/api/v1/stories", params={"since": value}).status_code == 200, value
    everything = walk(client, "/api/v1/articles?limit=100")
    before = walk(client, "/api/v1/articles?limit=100&until=2026-03-10")
    assert 0 < len(before) < len(everything)
    assert all(when(a) < datetime.fromisoformat("2026-03-10T00:00:00+00:00") for a in before)


def test_server_errors_are_json_under_api(sample_store: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(self: Desk, *args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(Desk, "article_page", boom)
    config = load_config({"db": str(sample_store), "web_token": TOKEN})
    with TestClient(create_app(config), raise_server_exceptions=False) as c:
        err = assert_error(c.get("/api/v1/articles"), 500)
        assert "disk on fire" not in err["message"]


def test_etag_and_not_modified(client: TestClient) -> None:
    for url, policy in [
        ("/api/v1/articles?limit=5", "public, max-age=30"),
        ("/api/v1/articles/1", "public, max-age=300"),
        ("/api/v1/stories", "public, max-age=30"),
        ("/api/v1/copies", "public, max-age=30"),
        ("/api/v1/sources", "public, max-age=10"),
        ("/api/v1/openapi.json", None),
        ("/api/docs", "public, max-age=300"),
    ]:
        r = client.get(url)
        assert r.status_code == 200
        etag = r.headers["etag"]
        assert re.fullmatch(r'"[0-9a-f]{32}"', etag), etag  # strong
        assert r.headers["cache-control"] == (policy or r.headers["cache-control"])
        assert "max-age" in r.headers["cache-control"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == etag
        assert client.get(url, headers={"If-None-Match": f'"other", W/{etag}'}).status_code == 304
        assert client.get(url, headers={"If-None-Match": '"other"'}).status_code == 200
    assert (
        client.get("/api/v1/articles?limit=5").headers["etag"]
        != client.get("/api/v1/articles?limit=6").headers["etag"]
    )


def test_etag_changes_when_data_does(store_copy: Path) -> None:
    with make_client(store_copy) as c:
        before = c.get("/api/v1/sources/1").headers["etag"]
        assert c.post("/api/v1/sources/1/pause", headers=AUTH).status_code == 200
        r = c.get("/api/v1/sources/1", headers={"If-None-Match": before})
        assert r.status_code == 200 and r.headers["etag"] != before


# -- writes ----------------------------------------------------------------------------------------

WRITES = [
    ("post", "/api/v1/sources", {"url": "https://example.org/feed.xml"}),
    ("delete", "/api/v1/sources/1", None),
    ("post", "/api/v1/sources/1/pause", None),
    ("post", "/api/v1/sources/1/resume", None),
]


@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_writes_need_the_token(store_copy: Path, method: str, url: str, body: Any) -> None:
    with make_client(store_copy) as c:
        r = c.request(method, url, json=body)
        assert_error(r, 401, "unauthorized")
        assert r.headers["www-authenticate"].startswith("Bearer")
        assert r.headers["cache-control"] == "no-store"
        assert_error(c.request(method, url, json=body, headers={"Authorization": "Bearer nope"}), 403)
        assert_error(c.request(method, url, json=body, headers={"Authorization": f"Basic {TOKEN}"}), 401)
    with make_client(store_copy, web_token="") as off:
        err = assert_error(off.request(method, url, json=body, headers=AUTH), 403, "forbidden")
        assert "web_token" in err["message"]
    with open_desk(store_copy) as desk:
        source = desk.source(1)
        assert source.paused_reason is None and len(desk.sources()) == 6  # nothing changed


def test_pause_resume_remove(store_copy: Path) -> None:
    with make_client(store_copy) as c:
        r = c.post("/api/v1/sources/2/pause", headers=AUTH, json={"reason": "too noisy"})
        assert r.status_code == 200 and r.headers["cache-control"] == "no-store"
        assert r.json()["health"] == {**r.json()["health"], "status": "paused", "paused_reason": "too noisy"}
        assert c.get("/api/v1/sources/2").json()["health"]["status"] == "paused"
        default = c.post("/api/v1/sources/3/pause", headers=AUTH)
        assert default.json()["health"]["paused_reason"] == "paused through the API"
        resumed = c.post("/api/v1/sources/2/resume", headers=AUTH).json()
        assert resumed["health"]["paused_reason"] is None
        assert resumed["health"]["status"] != "paused"
        removed = c.delete("/api/v1/sources/2", headers=AUTH)
        assert removed.status_code == 200 and removed.json()["id"] == 2
        assert_error(c.get("/api/v1/sources/2"), 404)
        assert_error(c.delete("/api/v1/sources/2", headers=AUTH), 404, "not_found")
        assert_error(c.post("/api/v1/sources/2/pause", headers=AUTH), 404)
        assert_error(c.post("/api/v1/sources/3/pause", headers=AUTH, json={"reason": ""}), 422)
        assert len(c.get("/api/v1/sources").json()["items"]) == 5
        # Articles stay when their source goes.
        assert len(walk(c, "/api/v1/articles?limit=100")) == 90


def test_add_a_source_served_on_loopback(store_copy: Path, tmp_path: Path, server: Server) -> None:
    feed = server.add("/feed.xml", Reply(body=RSS, content_type="application/rss+xml"))
    server.add("/page", Reply(body=b"<html><head><title>No feeds</title></head><body>Hi</body></html>"))
    live = {"allow_private_addresses": True, "data_dir": str(tmp_path / "data"), "per_host_delay": 0}
    with make_client(store_copy, **live) as c:
        r = c.post("/api/v1/sources", headers=AUTH, json={"url": feed, "category": "Local"})
        assert r.status_code == 201, r.text
        assert r.headers["cache-control"] == "no-store"
        (added,) = r.json()["added"]
        assert added["new"] is True
        src = added["source"]
        assert src["url"] == feed and src["kind"] == "feed" and src["category"] == "Local"
        assert src["name"] == "Loopback Local News"
        assert c.get(src["links"]["self"]).json()["url"] == feed
        again = c.post("/api/v1/sources", headers=AUTH, json={"url": feed})
        assert again.status_code == 200 and again.json()["added"][0]["new"] is False
        named = c.post("/api/v1/sources", headers=AUTH, json={"url": feed.replace("feed", "nope")})
        err = assert_error(named, 502, "fetch_failed")
        assert err["upstream_status"] == 404
        err = assert_error(c.post("/api/v1/sources", headers=AUTH, json={"url": server.url("/page")}), 422)
        assert err["code"] == "unsupported_input"
        bomb = server.add("/bomb.xml", Reply(body=entity_bomb(20_000), content_type="application/rss+xml"))
        err = assert_error(
            c.post("/api/v1/sources", headers=AUTH, json={"url": bomb}), 422, "unsupported_input"
        )
        assert "entity bomb" in err["message"]
        assert_error(
            c.post("/api/v1/sources", headers=AUTH, json={"url": "ftp://x.example/"}), 422, "invalid_url"
        )
        assert_error(c.post("/api/v1/sources", headers=AUTH, json={"name": "no url"}), 422, "invalid_request")
        assert_error(
            c.post("/api/v1/sources", headers={**AUTH, "content-type": "application/json"}, content=b"{"),
            422,
        )
    assert server.count("/feed.xml") == 2
    with make_client(store_copy, data_dir=str(tmp_path / "data")) as guarded:
        err = assert_error(guarded.post("/api/v1/sources", headers=AUTH, json={"url": feed}), 422)
        assert err["code"] == "blocked_address"
    assert server.count("/feed.xml") == 2  # the guard refused before connecting


# -- OpenAPI and the docs page ---------------------------------------------------------------------


def _refs(node: Any) -> Iterator[str]:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "$ref":
                yield v
            else:
                yield from _refs(v)
    elif isinstance(node, list):
        for v in node:
            yield from _refs(v)


def api_routes() -> set[tuple[str, str]]:
    """Every route the API's resource modules declare (the app includes their routers whole)."""
    return {
        (m.lower(), r.path)
        for resource in api.RESOURCES
        for r in resource.router.routes
        if isinstance(r, APIRoute)
        for m in r.methods
    }


def test_openapi_document(client: TestClient) -> None:
    r = client.get("/api/v1/openapi.json")
    assert r.status_code == 200
    spec = r.json()
    assert spec["openapi"].startswith("3.")
    assert spec["info"]["title"] == "newsdesk" and spec["info"]["version"]
    listed = {(m, p) for p, item in spec["paths"].items() for m in item}
    assert listed == api_routes()
    assert len(listed) == 17  # with /entities, /entities/{id}, /entities/{id}/articles, /quotes
    schemas = spec["components"]["schemas"]
    for ref in _refs(spec):
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in schemas, ref
    assert "HTTPValidationError" not in schemas  # 422 is documented with the one error shape
    assert spec["components"]["securitySchemes"]["bearerToken"]["scheme"] == "bearer"
    for path, item in spec["paths"].items():
        for method, op in item.items():
            assert op["summary"] and op["tags"] and op["description"], (method, path)
            ok = op["responses"].get("200") or op["responses"].get("201")
            assert ok and "$ref" in str(ok["content"]["application/json"]["schema"]), (method, path)
            if method == "get":
                assert "security" not in op
            else:
                assert op["security"] == [{"bearerToken": []}], (method, path)
                for status in ("401", "403"):
                    assert op["responses"][status]["content"]["application/json"]["schema"] == {
                        "$ref": "#/components/schemas/ErrorBody"
                    }
            for status, resp in op["responses"].items():
                if status.startswith(("4", "5")):
                    assert resp["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    for name in (
        "ArticleSummary",
        "ArticleOut",
        "SourceOut",
        "StoryOut",
        "CopyEdgeOut",
        "ErrorBody",
        "EntityOut",
        "QuoteOut",
        "ArticleEntityOut",
    ):
        # Answers always carry every field (null when empty): the schema says each is required.
        assert set(schemas[name]["required"]) == set(schemas[name]["properties"]), name
    assert "copy" in schemas["CopyEdgeOut"]["properties"]
    assert schemas["AddSourceIn"]["required"] == ["url"]
    article = schemas["ArticleOut"]["properties"]
    assert {"text", "canonical_url", "source_links", "story", "provenance"} <= set(article)
    assert {"quotes", "entities", "filed_by", "category_confidence"} <= set(article)
    params = {p["name"]: p for p in spec["paths"]["/api/v1/articles"]["get"]["parameters"]}
    assert set(params) == {
        "source",
        "category",
        "language",
        "since",
        "until",
        "q",
        "originals_only",
        "limit",
        "cursor",
    }
    assert params["limit"]["schema"]["maximum"] == 100
    assert schemas["SourceOut"].get("examples")


def test_openapi_states_the_limits_and_errors_it_enforces(client: TestClient) -> None:
    spec = client.get("/api/v1/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for path in ("/api/v1/sources", "/api/v1/articles", "/api/v1/stories", "/api/v1/copies"):
        op = spec["paths"][path]["get"]
        (cursor,) = [p for p in op["parameters"] if p["name"] == "cursor"]
        assert {"type": "string", "maxLength": api.MAX_CURSOR} in cursor["schema"]["anyOf"], path
        assert (
            f"at most {api.MAX_CURSOR} characters" in cursor["description"] and "422" in cursor["description"]
        )
        page = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
        assert {"type": "string", "maxLength": api.MAX_CURSOR} in schemas[page]["properties"]["cursor"][
            "anyOf"
        ]
    assert_error(client.get("/api/v1/articles", params={"cursor": "x" * (api.MAX_CURSOR + 1)}), 422)
    articles = spec["paths"]["/api/v1/articles"]["get"]
    assert "no words to look for" in articles["responses"]["400"]["description"]
    (q,) = [p for p in articles["parameters"] if p["name"] == "q"]
    assert "400" in q["description"]
    for value in ("+", "*", "-"):
        err = assert_error(client.get("/api/v1/articles", params={"q": value}), 400, "bad_request")
        assert "no words to look for" in err["message"]
    params = {p["name"]: p for p in articles["parameters"]}
    for name in ("since", "until"):
        formats = {o.get("format") for o in params[name]["schema"]["anyOf"]}
        assert formats == {"date-time", "date", None}, name  # strings only: no number is a time
        assert {o["type"] for o in params[name]["schema"]["anyOf"]} == {"string", "null"}


def test_docs_page(client: TestClient) -> None:
    r = client.get("/api/docs")
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    page = r.text
    spec = client.get("/api/v1/openapi.json").json()
    for path, item in spec["paths"].items():
        for method in item:
            assert f"<code>{method.upper()} {path}</code>" in page, (method, path)
    for name in spec["components"]["schemas"]:
        assert f'id="schema-{name}"' in page
    for href in set(re.findall(r'href="#([^"]+)"', page)):
        assert f'id="{href}"' in page, href
    assert 'href="/api/v1/openapi.json"' in page
    assert "Needs the bearer token" in page and "web_token" in page
    assert "<script" not in page and "style=" not in page and "<style" not in page
    assert re.search(r'<main id="main"', page) and "<h1>API reference</h1>" in page
    headings = [int(h) for h in re.findall(r"<h([1-6])", page)]
    assert headings[0] == 1 and all(b - a <= 1 for a, b in pairwise(headings))
    assert "default-src 'none'" in r.headers["content-security-policy"]
