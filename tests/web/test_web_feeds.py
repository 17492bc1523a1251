"""The outgoing Atom feeds, on the sample corpus: valid Atom 1.0 (feedparser reads them without
complaint, and the elements RFC 4287 requires are there), the right articles in each, short
excerpts only, links to our pages and to the publishers, conditional GET."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote, urlsplit

import feedparser
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from lxml import etree

from newsdesk import Desk, open_desk
from newsdesk.config import load_config
from newsdesk.model import SearchFilters
from newsdesk.web import create_app
from newsdesk.web.feeds import ENTRIES, EXCERPT_WORDS, MEDIA_TYPE, FeedCache

A = "{http://www.w3.org/2005/Atom}"
BASE = "http://testserver"


@pytest.fixture(scope="module")
def app(sample_store: Path) -> FastAPI:
    return create_app(load_config({"db": str(sample_store), "web_token": "t"}))


@pytest.fixture(scope="module")
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def desk(sample_store: Path) -> Iterator[Desk]:
    with open_desk(sample_store) as d:
        yield d


def fetch(client: TestClient, url: str) -> tuple[etree._Element, feedparser.FeedParserDict]:
    r = client.get(url)
    assert r.status_code == 200, (url, r.status_code, r.text[:300])
    assert r.headers["content-type"] == MEDIA_TYPE
    assert r.headers["etag"].startswith('"')
    assert "max-age" in r.headers["cache-control"]
    parsed = feedparser.parse(r.content)
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    assert parsed.version == "atom10"
    root = etree.fromstring(r.content)
    check_atom(root, url)
    return root, parsed


def _one(el: etree._Element, tag: str) -> etree._Element:
    found = el.findall(A + tag)
    assert len(found) == 1, (tag, len(found))
    return found[0]


def _stamp(text: str | None) -> datetime:
    assert text and text.endswith("Z"), text
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def check_atom(root: etree._Element, url: str) -> None:
    """What RFC 4287 requires of a feed and its entries, and what we promise on top."""
    assert root.tag == A + "feed"
    for tag in ("id", "title", "updated"):
        assert (_one(root, tag).text or "").strip(), tag
    links = {(link.get("rel"), link.get("type")): link.get("href") for link in root.findall(A + "link")}
    assert links[("self", "application/atom+xml")] == BASE + url.split("#")[0] or url.startswith(
        "/feeds/search.atom"
    )
    assert links[("alternate", "text/html")].startswith(BASE + "/")
    feed_updated = _stamp(_one(root, "updated").text)
    entries = root.findall(A + "entry")
    assert len(entries) <= ENTRIES
    ids = [_one(e, "id").text for e in entries]
    assert len(set(ids)) == len(ids), "entry ids are unique"
    for e in entries:
        assert urlsplit(_one(e, "id").text or "").scheme in ("http", "https", "tag")
        assert (_one(e, "title").text or "").strip()
        updated = _stamp(_one(e, "updated").text)
        assert updated <= feed_updated
        assert (e.findtext(f"{A}author/{A}name") or "").strip()
        rels = {link.get("rel"): link.get("href") or "" for link in e.findall(A + "link")}
        assert rels["alternate"].startswith(BASE + "/article/")
        assert rels["related"].startswith(("http://", "https://"))
        summary = _one(e, "summary")
        assert summary.get("type") == "text"
        assert len((summary.text or "").split()) <= EXCERPT_WORDS + 1  # the ellipsis
    # Newest first by publication (the order of the site's lists); a story's feed too.
    when = [_stamp(e.findtext(A + "published") or e.findtext(A + "updated")) for e in entries]
    assert when == sorted(when, reverse=True), "newest first"


def article_ids(root: etree._Element) -> list[int]:
    out = []
    for e in root.findall(A + "entry"):
        href = next(link.get("href") for link in e.findall(A + "link") if link.get("rel") == "alternate")
        out.append(int(href.rsplit("/", 1)[1]))
    return out


def alternate(root: etree._Element) -> str:
    return next(link.get("href") or "" for link in root.findall(A + "link") if link.get("rel") == "alternate")


# -- each feed -------------------------------------------------------------------------------------


def test_all(client: TestClient, desk: Desk) -> None:
    root, parsed = fetch(client, "/feeds/all.atom")
    assert article_ids(root) == [s.id for s in desk.latest(ENTRIES)]
    assert len(parsed.entries) == ENTRIES  # the sample has 90 articles: the newest 50
    assert alternate(root) == BASE + "/"
    assert parsed.feed.id == BASE + "/feeds/all.atom"


def test_entry_fields(client: TestClient, desk: Desk) -> None:
    _, parsed = fetch(client, "/feeds/all.atom")
    newest = desk.latest(1)[0]
    e = parsed.entries[0]
    a = newest.article
    assert e.id == a.canonical_url
    assert e.title == a.title
    assert e.author == (a.byline or a.source)
    assert e.published_parsed is not None and a.published is not None
    assert datetime(*e.published_parsed[:6], tzinfo=UTC) == a.published
    assert e.link == f"{BASE}/article/{newest.id}"
    related = [link.href for link in e.links if link.rel == "related"]
    assert related == [a.canonical_url]
    assert [t.term for t in e.tags] == [a.category]
    assert e.summary_detail.language == a.language == "en"
    assert e.summary == (a.description or "")[:2000] or e.summary.startswith(" ".join(a.text.split()[:5]))


def test_only_excerpts_never_whole_articles(client: TestClient, desk: Desk) -> None:
    root, _ = fetch(client, "/feeds/all.atom")
    body = etree.tostring(root, encoding="unicode")
    long_ones = [s for s in desk.latest(ENTRIES) if s.article.word_count > 2 * EXCERPT_WORDS]
    assert long_ones
    for stored in long_ones:
        words = stored.article.text.split()
        tail = " ".join(words[EXCERPT_WORDS + 5 : EXCERPT_WORDS + 25])
        assert tail not in body, f"article {stored.id} is republished beyond its excerpt"


def test_originals(client: TestClient, desk: Desk) -> None:
    copies = {e.copy_id for e in desk.copy_edges()}
    assert copies
    root, _ = fetch(client, "/feeds/originals.atom")
    ids = article_ids(root)
    assert ids and not copies & set(ids)
    assert ids == [s.id for s in desk.latest(ENTRIES, originals=True)]
    assert alternate(root) == BASE + "/"


def test_originals_of_a_category(client: TestClient, desk: Desk) -> None:
    root, parsed = fetch(client, "/feeds/originals.atom?category=World")
    ids = article_ids(root)
    assert ids == [s.id for s in desk.category_articles("World", limit=ENTRIES, originals=True)]
    assert set(ids) <= {s.id for s in desk.latest(ENTRIES, SearchFilters(category="World"))}
    assert ids and all(e.tags[0].term == "world" for e in parsed.entries)
    assert alternate(root) == BASE + "/?category=World"
    assert "World" in parsed.feed.title


def test_category(client: TestClient, desk: Desk) -> None:
    root, parsed = fetch(client, "/feeds/category/Business.atom")
    ids = article_ids(root)
    assert ids == [s.id for s in desk.category_articles("business", limit=ENTRIES)]
    assert ids == [s.id for s in desk.latest(ENTRIES, SearchFilters(category="Business"))]
    assert len(parsed.entries) == 28  # the sample's business articles
    assert alternate(root) == BASE + "/?category=Business"


def test_unknown_category_is_an_empty_feed(client: TestClient) -> None:
    root, parsed = fetch(client, "/feeds/category/Nothing%20here.atom")
    assert parsed.entries == []
    assert root.findtext(A + "updated")


@pytest.mark.parametrize("name", ["Northwind Herald", "Pressline"])
def test_source(client: TestClient, desk: Desk, name: str) -> None:
    url = f"/feeds/source/{quote(name, safe='')}.atom"
    root, parsed = fetch(client, url)
    ids = article_ids(root)
    assert ids == [s.id for s in desk.source_articles(name, limit=ENTRIES)]
    assert all(desk.get_article(i).article.source == name for i in ids)
    assert alternate(root) == f"{BASE}/source/{quote(name, safe='')}"
    assert name in parsed.feed.title


def test_unknown_source_is_404(client: TestClient) -> None:
    r = client.get("/feeds/source/No%20such%20outlet.atom")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")


def test_story(client: TestClient, desk: Desk) -> None:
    story = desk.stories(limit=1)[0]
    root, parsed = fetch(client, f"/feeds/story/{story.id}.atom")
    members = desk.story(story.id).articles
    assert sorted(article_ids(root)) == sorted(m.id for m in members)
    assert alternate(root) == f"{BASE}/story/{story.id}"
    assert story.title in parsed.feed.title


@pytest.mark.parametrize("url", ["/feeds/story/999999.atom", "/feeds/story/abc.atom", "/feeds/story/-1.atom"])
def test_unknown_story_is_404(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("text/html")


def test_search(client: TestClient, desk: Desk) -> None:
    root, parsed = fetch(client, "/feeds/search.atom?q=comet")
    ids = article_ids(root)
    assert ids == [s.id for s in desk.search_latest("comet")]
    assert set(ids) == {h.id for h in desk.search("comet", limit=100)}
    assert alternate(root) == BASE + "/search?q=comet"
    assert "comet" in parsed.feed.title


def test_search_with_filters(client: TestClient, desk: Desk) -> None:
    url = "/feeds/search.atom?q=rates&category=business&since=2026-03-11&until=2026-03-12T12:00:00Z"
    root, _ = fetch(client, url)
    filters = SearchFilters(
        category="business",
        since=datetime(2026, 3, 11, tzinfo=UTC),
        until=datetime(2026, 3, 12, 12, tzinfo=UTC),
    )
    ids = article_ids(root)
    assert ids == [s.id for s in desk.search_latest("rates", filters)]
    assert 0 < len(ids) < len(desk.search_latest("rates"))
    assert alternate(root).startswith(BASE + "/search?q=rates&category=business&since=2026-03-11")
    source_root, _ = fetch(client, "/feeds/search.atom?q=rates&source=Northwind%20Herald&language=en")
    assert all(desk.get_article(i).article.source == "Northwind Herald" for i in article_ids(source_root))


def test_search_with_an_age(client: TestClient) -> None:
    _, parsed = fetch(client, "/feeds/search.atom?q=comet&since=3d")
    assert parsed.entries == []  # the sample is from March 2026, long before "3 days ago"


@pytest.mark.parametrize(
    "url",
    [
        "/feeds/search.atom",
        "/feeds/search.atom?q=",
        "/feeds/search.atom?q=%20%20",
        "/feeds/search.atom?q=%22%22%22",
        "/feeds/search.atom?q=comet&since=yesterday",
        "/feeds/search.atom?q=comet&until=2026-13-40",
    ],
)
def test_bad_search_is_400(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 400, (url, r.status_code)
    assert r.headers["content-type"].startswith("text/html")


def test_search_syntax_is_forgiven(client: TestClient) -> None:
    _, parsed = fetch(client, "/feeds/search.atom?q=%22comet")  # an unbalanced quote: its words
    assert parsed.entries


# -- HTTP ------------------------------------------------------------------------------------------


def test_conditional_get(client: TestClient) -> None:
    first = client.get("/feeds/all.atom")
    etag = first.headers["etag"]
    assert client.get("/feeds/all.atom").headers["etag"] == etag  # same content, same tag
    for header in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        r = client.get("/feeds/all.atom", headers={"If-None-Match": header})
        assert r.status_code == 304, header
        assert r.content == b""
        assert r.headers["etag"] == etag
    assert client.get("/feeds/all.atom", headers={"If-None-Match": '"other"'}).status_code == 200
    other = client.get("/feeds/originals.atom").headers["etag"]
    assert other != etag


def test_head(client: TestClient) -> None:
    r = client.head("/feeds/all.atom")
    assert r.status_code == 200
    assert r.headers["content-type"] == MEDIA_TYPE
    assert r.content == b""


def test_feed_changes_when_an_article_arrives(sample_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(sample_store, db)
    app = create_app(load_config({"db": str(db)}))
    cache = app.state.feed_cache = FeedCache(ttl=3600)
    with TestClient(app) as c:
        before = c.get("/feeds/all.atom").headers["etag"]
        page = tmp_path / "in" / "new.html"
        page.parent.mkdir()
        page.write_text(_page("Lighthouse keeper retires after forty years", "2026-03-13T09:00:00Z"))
        with open_desk(db) as d:
            assert d.ingest([page.parent]).new == 1
        # Within the cache's time the feed is the one built before ...
        assert c.get("/feeds/all.atom", headers={"If-None-Match": before}).status_code == 304
        # ... another host's is built afresh (links are absolute) ...
        other = c.get("/feeds/all.atom", headers={"Host": "news.example"})
        assert other.headers["etag"] != before
        assert b"http://news.example/article/" in other.content
        # ... and after it, the new article is there.
        cache.ttl = 0
        r = c.get("/feeds/all.atom", headers={"If-None-Match": before})
        assert r.status_code == 200
        assert feedparser.parse(r.content).entries[0].title == "Lighthouse keeper retires after forty years"


def test_feed_cache_is_bounded() -> None:
    cache = FeedCache(ttl=60, size=3)
    for n in range(5):
        cache.put(f"k{n}", b"%d" % n)
    assert [cache.get(f"k{n}") for n in range(5)] == [None, None, b"2", b"3", b"4"]
    cache.get("k2")
    cache.put("k5", b"5")
    assert cache.get("k3") is None and cache.get("k2") == b"2"


def test_characters_xml_forbids_are_dropped(sample_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.sqlite"
    shutil.copyfile(sample_store, db)
    page = tmp_path / "in" / "ctrl.html"
    page.parent.mkdir()
    page.write_text(_page("Bell\x07 rings\x0b at\x1b noon \ufffe again", "2026-03-14T09:00:00Z"))
    with open_desk(db) as d:
        assert d.ingest([page.parent]).new == 1
    app = create_app(load_config({"db": str(db)}))
    with TestClient(app) as c:
        _, parsed = fetch(c, "/feeds/all.atom")
    assert parsed.entries[0].title.split() == ["Bell", "rings", "at", "noon", "again"]


def _page(title: str, when: str) -> str:
    body = " ".join(
        f"Sentence {n} of a plain local report about the harbour, its people and the weather."
        for n in range(20)
    )
    return (
        f"<!doctype html><html><head><title>{title}</title>"
        f'<link rel="canonical" href="https://local.example/{abs(hash(title))}">'
        f'<meta property="og:site_name" content="Local Example">'
        f'<meta property="article:published_time" content="{when}"></head>'
        f"<body><article><h1>{title}</h1><p>{body}</p></article></body></html>"
    )
